"""Check every Hub target a notebook or script names, at once, through the engine; follow adapters to their base.

One reading of the local facts, one time budget, whoami at most once per token. A model read from the Hub may be
a PEFT adapter: its `adapter_config.json` is read alongside the checks (transformers and peft load the base model it
names), and each base model found becomes a target of its own in a second, equally concurrent round, saying where
it came from. Write targets named by one segment (`push_to_hub("my-model")`) go under the token owner's
namespace, which whoami tells; without a known owner they are listed as unresolved, not guessed.
"""

from __future__ import annotations

import time
from dataclasses import replace
from os import PathLike
from pathlib import Path
from typing import Any, Sequence

from hfauth_nb.engine.diagnose import MAX_TIMEOUT, clamp_timeout, diagnose_many
from hfauth_nb.engine.report import Report
from hfauth_nb.engine.report import Target as EngineTarget
from hfauth_nb.targets.extract import extract_paths, extract_text, merge_targets
from hfauth_nb.targets.locate import Located
from hfauth_nb.targets.model import Extraction, Target, Unresolved
from hfauth_nb.targets.pointers import base_model_target
from hfauth_nb.targets.result import PreflightResult, build

ADAPTER_CONFIG = "adapter_config.json"
_FOLLOW_SHARE = 0.5  # of what is left of the budget, at least, for the second round (followed base models)


def run_preflight(
    paths: Sequence[str | PathLike[str]] = (),
    *,
    located: Located | None = None,
    timeout: float = 5.0,
    endpoint: str | None = None,
    read_colab_secret: bool = False,
    skip_colab_secret: bool = False,
) -> PreflightResult:
    """Extract the targets of `paths` (and of the notebook the front end handed over), then check them all."""
    started = time.monotonic()
    timeout = clamp_timeout(min(timeout, MAX_TIMEOUT))
    extraction = _extract([Path(p) for p in paths], located)
    files = tuple(str(p) for p in paths) + ((located.name,) if located is not None else ())
    options: dict[str, Any] = {
        "endpoint": endpoint,
        "read_colab_secret": read_colab_secret,
        "skip_colab_secret": skip_colab_secret,
    }
    named = list(extraction.targets)
    now = [t for t in named if not _needs_owner(t)]
    first = diagnose_many([_engine_target(t) for t in now], timeout=timeout, fetch=_adapter_config, **options)
    owner = first.setup.token.user
    unresolved = list(extraction.unresolved)
    later: list[tuple[Target, Target]] = []  # (the target the rows follow, the target to check in round two)
    known = {t.key for t in named}
    for target, config in zip(now, first.fetched):
        base = base_model_target(target, config) if isinstance(config, dict) else None
        if base is not None and base.key not in known:
            known.add(base.key)
            later.append((target, base))
    for target in named:
        if _needs_owner(target):
            if owner is None:
                unresolved += _owner_unknown(target)
            else:
                later.append((target, replace(target, repo_id=f"{owner}/{target.repo_id}")))
    second_reports: list[Report] = []
    if later:
        left = max(timeout - (time.monotonic() - started), timeout * _FOLLOW_SHARE)
        second = diagnose_many([_engine_target(t) for _, t in later], timeout=left, **options)
        second_reports = second.reports
    reports = {id(t): r for t, r in zip(now, first.reports)}
    rows: list[tuple[Target, Report]] = []
    for target in named:
        if target in now:
            rows.append((target, reports[id(target)]))
        rows += [
            (checked, report) for (anchor, checked), report in zip(later, second_reports) if anchor is target
        ]
    return build(files, rows, tuple(unresolved), first.setup)


def _needs_owner(target: Target) -> bool:
    """A one-segment name written to the Hub lives under the token owner's namespace (create_repo, Trainer)."""
    return target.write and "/" not in target.repo_id


def _owner_unknown(target: Target) -> list[Unresolved]:
    reason = f"writes {target.repo_id!r} under the token owner's namespace, and no token owner is known"
    return [Unresolved(s.file, s.cell, s.line, s.call, reason) for s in target.sources]


def _extract(paths: Sequence[str | Path], located: Located | None) -> Extraction:
    found = extract_paths(paths)
    if located is None:
        return found
    if located.path is not None:
        extra = extract_paths([located.path])
    else:
        name = located.name if located.name.endswith(".ipynb") else f"{located.name}.ipynb"
        extra = extract_text(located.content or "", name)
    return Extraction(merge_targets([*found.targets, *extra.targets]), (*found.unresolved, *extra.unresolved))


def _engine_target(target: Target) -> EngineTarget:
    return EngineTarget(
        repo_id=target.repo_id, repo_type=target.repo_type, write=target.write, revision=target.revision
    )


def _adapter_config(target: EngineTarget) -> str | None:
    """Which file to read alongside a target's check: an adapter's config, for models read from the Hub."""
    return ADAPTER_CONFIG if target.repo_type == "model" and not target.write else None
