"""The report for a terminal: the verdict, its fix on the next line, then a checklist (one line per area).

Only areas with a problem expand to the finding's detail and steps; notes stay one line. `verbose` shows every
finding with its fix and evidence (the full report). Plain ASCII decoration; ANSI colour only when asked.
"""

from __future__ import annotations

import textwrap
from typing import Sequence

from hfauth_nb.engine.report import Finding, Report, SourceRow, secrets_of
from hfauth_nb.render import _common as common
from hfauth_nb.render import checklist
from hfauth_nb.secrets import scrub

WIDTH = 100
_INDENT = "    "
_COLORS = {"error": "31", "warning": "33", "info": "36", "ok": "32"}
_MARK_COLORS = {"ok": "32", "problem": "31", "note": "36", "skipped": "2"}
_MARK_WIDTH = len("[skipped]") + 1
VERBOSE_HINT = "(-v shows every finding with its evidence)"


def render(report: Report, *, color: bool = False, verbose: bool = False) -> str:
    """The report as terminal text (the full one when `verbose`); every line passes through `scrub` last."""
    lines = _verbose(report, color) if verbose else _checklist(report, color)
    return scrub("\n".join(lines), secrets_of(report))


def brief(report: Report, *, color: bool = False) -> str:
    """Only the verdict and its fix (under a failed cell, where a traceback is already long), and the id."""
    shape = checklist.build(report)
    lines = _head(shape, color)
    if shape.lead is not None:
        lines.append(f"({shape.lead.id}; details: %hfauth why)")
    return scrub("\n".join(lines), secrets_of(report))


def _head(shape: checklist.Checklist, color: bool) -> list[str]:
    lines = [_label(shape.severity, color) + ": " + shape.verdict]
    if shape.first_step is not None:
        first, *rest = shape.first_step.splitlines() or [""]
        lines.append("Fix: " + first)
        lines.extend(" " * len("Fix: ") + line for line in rest)
    return lines


def _checklist(report: Report, color: bool) -> list[str]:
    shape = checklist.build(report)
    lines = _head(shape, color)
    secrets = secrets_of(report)
    if shape.lead is None:  # nothing wrong: the token, the notes, and every other area on one line
        rows = [row for row in shape.rows if row.line == "token" or row.mark in ("note", "problem")]
        fine = [_also(row, report) for row in shape.rows if row not in rows and row.mark == "ok"]
        skipped = [row.label for row in shape.rows if row.mark == "skipped"]
        for row in rows:
            lines.extend(_row(row, shape, color, secrets))
        rest = ["also checked: " + ", ".join(fine)] if fine else []
        rest += ["skipped: " + ", ".join(skipped)] if skipped else []
        if rest:
            lines.append(_mark("ok", color) + "; ".join(rest))
    else:
        for row in shape.rows:
            lines.extend(_row(row, shape, color, secrets))
    lines.append(VERBOSE_HINT)
    return lines


def _also(row: checklist.Row, report: Report) -> str:
    """An area that is fine, in a word (the Hub with how long it took to answer)."""
    seconds = report.timings.get("hub")
    return f"{row.label} ({seconds:.2f}s)" if row.line == "hub" and seconds is not None else row.label


def _mark(mark: str, color: bool) -> str:
    word = f"[{mark}]"
    padded = word.ljust(_MARK_WIDTH)
    return f"\x1b[{_MARK_COLORS[mark]}m{word}\x1b[0m" + padded[len(word) :] if color else padded


def _row(row: checklist.Row, shape: checklist.Checklist, color: bool, secrets: frozenset[str]) -> list[str]:
    pad = " " * _MARK_WIDTH
    notes = [note.title for note in row.notes]
    summary = notes.pop(0) if notes and not row.problems else row.summary
    lines = [f"{_mark(row.mark, color)}{row.label}: {summary}"]
    for problem in row.problems:
        if problem is not shape.lead:
            lines.append(f"{pad}{_label(problem.severity, color)}: {problem.title} ({problem.id})")
        else:
            lines.append(f"{pad}({problem.id})")
        lines.extend(_wrap(scrub(problem.detail, secrets), pad))
        steps = problem.fix
        if problem is shape.lead and len(steps) == 1:
            continue  # its one step is already the second line of the report
        if steps:
            lines.append(pad + "Fix:")
            for number, step in enumerate(steps, 1):
                lines.extend(_numbered(number, step, pad + "  "))
    lines.extend(f"{pad}note: {title}" for title in notes)
    if row.line in checklist.STEPS_FOR_NOTES and not row.problems:
        for note in row.notes:
            lines.extend(line for n, step in enumerate(note.fix, 1) for line in _numbered(n, step, pad))
    return lines


def _verbose(report: Report, color: bool) -> list[str]:
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
    return lines


def _label(severity: str, color: bool) -> str:
    label = common.LABELS[severity]
    return f"\x1b[1;{_COLORS[severity]}m{label}\x1b[0m" if color else label


def _finding(finding: Finding, color: bool, secrets: frozenset[str]) -> list[str]:
    lines = [f"[{_label(finding.severity, color)}] {finding.title} ({finding.id})"]
    lines.extend(_wrap(scrub(finding.detail, secrets), _INDENT))  # before wrapping can split a secret
    if finding.fix:
        lines.append(_INDENT + "Fix:")
        for number, step in enumerate(finding.fix, 1):
            lines.extend(_numbered(number, step, _INDENT * 2))
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


def _numbered(number: int, step: str, indent: str) -> list[str]:
    """A fix step as written (commands must stay copyable): numbered, continuation lines aligned."""
    head = f"{indent}{number}. "
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
