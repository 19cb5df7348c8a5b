"""Wording shared by the renderers, so text, HTML and Markdown describe a report in the same words."""

from __future__ import annotations

import json
from typing import Any, Mapping

from hfauth_nb.engine.report import SEVERITY_RANK, Report, Target, TokenSummary

LABELS: Mapping[str, str] = {"error": "ERROR", "warning": "WARNING", "info": "INFO", "ok": "OK"}


def worst_severity(report: Report) -> str:
    """The banner's severity: `error` or `warning` if any finding has it, else `ok` (notes are not problems)."""
    severities: list[str] = [f.severity for f in report.findings if f.severity in ("error", "warning")]
    severities = severities or ["ok"]
    return min(severities, key=SEVERITY_RANK.__getitem__)


def describe_target(target: Target) -> str:
    """`model org/name (read access, revision main) on https://huggingface.co`, or the no-repo case."""
    if not target.repo_id:
        return f"token setup only (no repo) on {target.endpoint}"
    access = "write access" if target.write else "read access"
    revision = f", revision {target.revision}" if target.revision else ""
    return f"{target.repo_type} {target.repo_id} ({access}{revision}) on {target.endpoint}"


def describe_token(token: TokenSummary) -> str:
    """`hf_...wxyz from HF_TOKEN (user alice, role write)`, or that no token was found."""
    if not token.masked and not token.source:
        return "none found"
    parts = [token.masked or "(hidden)"]
    if token.source:
        parts.append(f"from {token.source}")
    owner = ", ".join(
        f"{label} {value}" for label, value in (("user", token.user), ("role", token.role)) if value
    )
    if owner:
        parts.append(f"({owner})")
    return " ".join(parts)


def describe_timings(timings: Mapping[str, float]) -> str:
    """`whoami 0.12s, repo 0.30s`: seconds, in the engine's order."""
    return ", ".join(f"{name} {seconds:.2f}s" for name, seconds in timings.items())


def format_value(value: Any) -> str:
    """Evidence values as one line: strings as they are, everything else as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def yes_no(value: bool | None) -> str:
    """Three-valued facts (a source's validity) as a word; None means it was not checked."""
    return {True: "yes", False: "no", None: "-"}[value]
