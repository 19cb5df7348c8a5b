"""The report for a terminal: the verdict on the first line, then each finding with its fix and evidence.

Plain ASCII decoration (content is shown as the engine wrote it); ANSI colour only when asked.
"""

from __future__ import annotations

import textwrap
from typing import Sequence

from hfauth_nb.engine.report import Finding, Report, SourceRow, secrets_of
from hfauth_nb.render import _common as common
from hfauth_nb.secrets import scrub

WIDTH = 100
_INDENT = "    "
_COLORS = {"error": "31", "warning": "33", "info": "36", "ok": "32"}


def render(report: Report, *, color: bool = False) -> str:
    """The whole report as terminal text; every line passes through `scrub` last."""
    lines = [
        _label(common.worst_severity(report), color) + ": " + report.verdict,
        "Target: " + common.describe_target(report.target),
    ]
    for finding in report.findings:
        lines.append("")
        lines.extend(_finding(finding, color, secrets_of(report)))
    lines.append("")
    lines.append("Token: " + common.describe_token(report.token))
    lines.extend(_sources(report.sources))
    if report.timings:
        lines.append("Timings: " + common.describe_timings(report.timings))
    return scrub("\n".join(lines), secrets_of(report))


def _label(severity: str, color: bool) -> str:
    label = common.LABELS[severity]
    return f"\x1b[1;{_COLORS[severity]}m{label}\x1b[0m" if color else label


def _finding(finding: Finding, color: bool, secrets: frozenset[str]) -> list[str]:
    lines = [f"[{_label(finding.severity, color)}] {finding.title} ({finding.id})"]
    lines.extend(_wrap(scrub(finding.detail, secrets), _INDENT))  # before wrapping can split a secret
    if finding.fix:
        lines.append(_INDENT + "Fix:")
        for number, step in enumerate(finding.fix, 1):
            lines.extend(_numbered(number, step))
    if finding.evidence:
        lines.append(_INDENT + "Evidence:")
        lines.extend(
            f"{_INDENT * 2}{key}: {common.format_value(value)}" for key, value in finding.evidence.items()
        )
    return lines


def _wrap(text: str, indent: str) -> list[str]:
    """Wrap prose paragraph by paragraph; words are never split, so paths and URLs stay whole."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        wrapped = textwrap.wrap(
            paragraph,
            WIDTH,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines.extend(wrapped or [""])
    return lines


def _numbered(number: int, step: str) -> list[str]:
    """A fix step as written (commands must stay copyable): numbered, continuation lines aligned."""
    head = f"{_INDENT * 2}{number}. "
    first, *rest = step.splitlines() or [""]
    return [head + first, *(" " * len(head) + line for line in rest)]


def _sources(sources: Sequence[SourceRow]) -> list[str]:
    if not sources:
        return []
    return ["Sources:", *(_source_line(row) for row in sources)]


def _source_line(row: SourceRow) -> str:
    if not row.present:
        return f"  - {row.name}: {row.shown}" + (f" ({row.note})" if row.unreadable and row.note else "")
    cells = [
        f"  {'*' if row.wins else '-'} {row.name}: {row.masked or '(hidden)'}",
        f"valid {common.yes_no(row.valid)}",
    ]
    if row.user:
        cells.append(f"user {row.user}")
    if row.role:
        cells.append(f"role {row.role}")
    if row.wins:
        cells.append("<- used")
    if row.note:
        cells.append(row.note)
    return ", ".join(cells)
