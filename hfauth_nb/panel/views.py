"""HTML fragments of the panel (identity, sources, messages): scrubbed, then escaped, inline styles only.

The findings of a repo check are not built here: they are `hfauth_nb.render.html.render`, the same HTML
`%hfauth check` shows, so the panel and the magic cannot disagree.
"""

from __future__ import annotations

import html
from typing import Iterable

from hfauth_nb.engine.report import Report, SourceRow, secrets_of
from hfauth_nb.session import SessionState

_CELL = "padding:2px 8px;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top"
_CODE = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:90%"
_COLOURS = {"ok": "#1a7f37", "info": "#0969da", "warning": "#9a6700", "error": "#cf222e"}


def esc(text: str, report: Report | None = None) -> str:
    """Escape for HTML after scrubbing every secret the report saw (and every token-shaped string)."""
    from hfauth_nb.secrets import scrub

    return html.escape(scrub(text, secrets_of(report) if report is not None else ()), quote=True)


def identity(report: Report, session: SessionState) -> str:
    """Who the effective token belongs to, its role, where it comes from, and the sources table."""
    token = report.token
    if token.masked or token.source:
        who = token.user or "unknown user (not checked, or the Hub rejected it)"
        role = token.role or "unknown"
        line = (
            f"<b>{esc(who, report)}</b> · role <b>{esc(role, report)}</b> · token "
            f'<code style="{_CODE}">{esc(token.masked or "(hidden)", report)}</code> from '
            f"<b>{esc(token.source or 'an unknown source', report)}</b>"
        )
    else:
        line = "<b>No token</b>: requests go out anonymous (public repos only)."
    if session.active:
        line += (
            ' <span style="color:#fff;background:#0969da;padding:0 6px;border-radius:3px;font-size:80%">'
            "session token</span>"
        )
    verdict = f'<div style="margin-top:2px">{esc(report.verdict, report)}</div>'
    return f'<div style="line-height:1.5">{line}{verdict}</div>{sources(report.sources, report)}'


def sources(rows: Iterable[SourceRow], report: Report) -> str:
    """Every candidate source: present or not, masked, the winner marked, valid or not (or not checked)."""
    body = "".join(_source_row(row, report) for row in rows)
    if not body:
        return ""
    head = "".join(
        f'<th style="{_CELL}">{name}</th>' for name in ("", "Source", "Token", "Valid", "User", "Note")
    )
    return (
        '<table style="border-collapse:collapse;font-size:90%;margin:6px 0">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _source_row(row: SourceRow, report: Report) -> str:
    valid = {True: "valid", False: "rejected", None: "not checked"}[row.valid] if row.present else ""
    cells = (
        "✓ used" if row.wins else "",
        row.name,
        row.shown,
        valid,
        " ".join(part for part in (row.user or "", f"({row.role})" if row.role else "") if part),
        row.note,
    )
    weight = "font-weight:600;" if row.wins else ""
    return (
        "<tr>" + "".join(f'<td style="{weight}{_CELL}">{esc(cell, report)}</td>' for cell in cells) + "</tr>"
    )


def message(level: str, text: str, notes: Iterable[str] = ()) -> str:
    """One outcome line, coloured by level, with its notes below it."""
    colour = _COLOURS.get(level, _COLOURS["info"])
    extra = "".join(f'<div style="opacity:.85;margin-top:2px">{esc(note)}</div>' for note in notes)
    return (
        f'<div style="border-left:3px solid {colour};padding-left:8px;margin:4px 0">{esc(text)}{extra}</div>'
    )


def framed(level: str, inner_html: str) -> str:
    """Already-escaped HTML (a rendered plan or fix outcome) in the same coloured frame as `message`."""
    colour = _COLOURS.get(level, _COLOURS["info"])
    return f'<div style="border-left:3px solid {colour};padding-left:8px;margin:4px 0">{inner_html}</div>'


def pending_plan(text: str) -> str:
    """A fix plan (rendered by `hfauth_nb.fixes.render`, masked) as it waits for Confirm / Cancel."""
    return framed(
        "warning",
        "<b>Apply this change?</b> Nothing changes until you press Confirm."
        f'<pre class="hfauth-fix-plan" style="{_CODE};white-space:pre-wrap;margin:4px 0">{esc(text)}</pre>',
    )


def markdown_box(report: Report, markdown: str) -> str:
    """The redacted Markdown report in a read-only text area to select and copy (Ctrl+A, Ctrl+C)."""
    lines = min(max(markdown.count("\n") + 1, 6), 24)
    return (
        '<div style="font-size:90%;opacity:.85;margin:4px 0">Markdown for an issue or a forum post: tokens, '
        "user names and home paths are masked. Click in the box, select all and copy.</div>"
        f'<textarea class="hfauth-report-markdown" readonly rows="{lines}" spellcheck="false" '
        f'style="width:100%;max-width:60em;{_CODE}">{esc(markdown, report)}</textarea>'
    )
