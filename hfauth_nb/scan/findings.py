"""Turn leaks into `token-leaked` findings: one per distinct token, with every place it was seen.

Pure. Whether a leaked token is one of this machine's tokens comes in as `known` (token -> source names, from
the engine's `api.known_credentials`); tokens themselves only ever appear masked.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Mapping, Sequence

from hfauth_nb.engine.report import Finding, Report, Target, TokenSummary
from hfauth_nb.scan.notebook import Leak, Location, checkpoint_of
from hfauth_nb.scan.tokens import kind_of
from hfauth_nb.secrets import mask

MAX_LOCATIONS = 50


def build_report(
    leaks: Sequence[Leak],
    *,
    known: Mapping[str, tuple[str, ...]],
    endpoint: str,
    secrets: frozenset[str] = frozenset(),
) -> Report:
    groups: dict[str, list[Location]] = {}
    for leak in leaks:
        places = groups.setdefault(leak.token, [])
        if leak.location not in places:
            places.append(leak.location)
    findings = [_finding(token, places, known.get(token, ()), endpoint) for token, places in groups.items()]
    return Report(
        target=Target(endpoint=endpoint),
        token=TokenSummary(),
        findings=findings,
        secrets=secrets | frozenset(groups),
    )


def _finding(token: str, places: list[Location], labels: tuple[str, ...], endpoint: str) -> Finding:
    kind = kind_of(token)
    shown = mask(token)
    first = places[0].describe()
    more = f" and {len(places) - 1} other place{'s' if len(places) > 2 else ''}" if len(places) > 1 else ""
    mine = f"; it is this machine's token ({', '.join(labels)})" if labels else ""
    return Finding(
        "token-leaked",
        "error",
        f"A Hugging Face {kind} ({shown}) is saved in {first}{more}{mine}.",
        "Anyone who can read these places (a shared or pushed notebook, its checkpoint copy, the IPython history) "
        "can use the token until it is revoked. Deleting it from the file does not help once it was shared.",
        _fix_steps(token, places, labels, endpoint),
        {
            "masked": shown,
            "kind": kind,
            "this machine": list(labels) if labels else "no",
            "places": len(places),
            "locations": [p.describe() for p in places[:MAX_LOCATIONS]],
        },
    )


def _fix_steps(token: str, places: list[Location], labels: tuple[str, ...], endpoint: str) -> tuple[str, ...]:
    steps = [
        f"Revoke it at {endpoint}/settings/tokens (the one ending in {token[-4:]}) and create a new one"
        + ("; then store the new one: hf auth login (or update " + ", ".join(labels) + ")" if labels else "")
    ]
    databases = list(dict.fromkeys(p.file for p in places if p.file and p.history is not None))
    notebooks = [f for f in _files(places, ".ipynb") if f not in databases]
    for notebook in notebooks:
        steps.extend(_notebook_steps(notebook, [p for p in places if p.file == notebook]))
    for db in databases:
        entries = sorted({p.history for p in places if p.file == db and p.history is not None})
        sql = " ".join(
            f"DELETE FROM history WHERE session={s} AND line={n}; "
            f"DELETE FROM output_history WHERE session={s} AND line={n};"
            for s, n in entries
        )
        steps.append(f"sqlite3 {shlex.quote(db)} {shlex.quote(sql)}   # with IPython closed")
    if any(p.file is None for p in places):
        steps.append("%reset -f in out   # In/Out keep it in this kernel's memory (or restart the kernel)")
    for other in [f for f in _files(places, "") if f not in notebooks and f not in databases]:
        lines = sorted({p.line for p in places if p.file == other and p.line is not None})
        steps.append(
            f"Remove it from {other} (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))})"
        )
    steps.append(
        "If a file holding it was committed or uploaded, the token stays in that history: revoke it."
    )
    return tuple(dict.fromkeys(steps))


def _notebook_steps(notebook: str, places: list[Location]) -> list[str]:
    """Strip it from the notebook (cells, outputs, widget state), then drop Jupyter's checkpoint copy."""
    path = Path(notebook)
    if path.parent.name == ".ipynb_checkpoints":
        return [
            f"rm -f {shlex.quote(notebook)}   # Jupyter's last saved copy of the notebook keeps the token"
        ]
    steps = []
    cells = sorted({p.cell for p in places if p.cell is not None})
    quoted = shlex.quote(notebook)
    if cells:
        steps.append(
            f"Delete the token from {notebook}, cell{'s' if len(cells) > 1 else ''} "
            + ", ".join(str(c) for c in cells)
            + " (use `from huggingface_hub import login; login()` or the HF_TOKEN secret instead), and save"
        )
    if any("output" in p.where for p in places):
        steps.append(
            f"jupyter nbconvert --ClearOutputPreprocessor.enabled=True --inplace {quoted}   # all outputs"
        )
    if any("widget state" in p.where for p in places):
        steps.append(
            f"jupyter nbconvert --ClearMetadataPreprocessor.enabled=True --inplace {quoted}   "
            "# drops the saved widget state (metadata.widgets)"
        )
    checkpoint = shlex.quote(str(checkpoint_of(path)))
    steps.append(f"rm -f {checkpoint}   # Jupyter's last saved copy of the notebook keeps the token too")
    return steps


def _files(places: list[Location], suffix: str) -> list[str]:
    return list(dict.fromkeys(p.file for p in places if p.file and p.file.endswith(suffix)))
