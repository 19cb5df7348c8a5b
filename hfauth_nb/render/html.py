"""The report as an HTML fragment for notebooks: the verdict banner, its fix, a checklist, and the details.

The checklist has one line per area (checklist.py); only problems expand. Every finding with its evidence, the
sources and the timings sit in a `<details>` disclosure (open when verbose). No JavaScript and no stylesheet
(inline styles only), so it renders the same in JupyterLab, Colab, VS Code and static viewers that strip scripts.
Colours come as explicit foreground/background pairs (badges, banner) or inherit the theme's text colour
(`currentColor`), so dark themes stay readable. Every piece of text is scrubbed, then escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from hfauth_nb.engine.report import Finding, Report, SourceRow, secrets_of
from hfauth_nb.render import _common as common
from hfauth_nb.render import checklist
from hfauth_nb.secrets import scrub

# (accent, background): readable with dark text in light and dark notebook themes.
_PALETTE: Mapping[str, tuple[str, str]] = {
    "error": ("#cf222e", "#ffebe9"),
    "warning": ("#9a6700", "#fff8c5"),
    "info": ("#0969da", "#ddf4ff"),
    "ok": ("#1a7f37", "#dafbe1"),
}
# Checklist marks: (foreground, background), a pair that reads on any page colour.
_MARKS: Mapping[str, tuple[str, str]] = {
    "ok": ("#ffffff", "#1a7f37"),
    "problem": ("#ffffff", "#cf222e"),
    "note": ("#ffffff", "#0969da"),
    "skipped": ("#ffffff", "#6e7781"),
}
_CELL = (
    "padding:2px 8px;border-bottom:1px solid rgba(127,127,127,.35);text-align:left;vertical-align:top;"
    "color:inherit;background:transparent"
)
_ROOT = "font-family:system-ui,sans-serif;line-height:1.45;max-width:60em;color:inherit"
_CODE = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:90%"


def render(report: Report, *, verbose: bool = False) -> str:
    """The whole report as one `<div>` (details open when `verbose`); scrubbed again as a whole at the end."""
    return scrub(_Writer(secrets_of(report)).report(report, verbose), secrets_of(report))


def brief(report: Report) -> str:
    """The verdict and its fix, with the checklist and details collapsed (under a failed cell)."""
    writer = _Writer(secrets_of(report))
    shape = checklist.build(report)
    inner = writer.report(report, verbose=False)
    parts = [
        f'<div class="hfauth-report" style="{_ROOT}">',
        writer.head(shape),
        f'<details style="margin:4px 0"><summary style="cursor:pointer">details'
        f"{writer.lead_id(shape)}</summary>{inner}</details>",
        "</div>",
    ]
    return scrub("\n".join(parts), secrets_of(report))


@dataclass(frozen=True)
class _Writer:
    """Builds the fragment; holds the secrets so every text is scrubbed before it is escaped."""

    secrets: frozenset[str]

    def esc(self, text: str) -> str:
        return html.escape(scrub(text, self.secrets), quote=True)

    def report(self, report: Report, verbose: bool) -> str:
        shape = checklist.build(report)
        details = [
            self.facts(report),
            self.findings(report.findings),
            self.sources(report.sources),
            self.footer(report),
        ]
        opened = " open" if verbose else ""
        parts = [
            f'<div class="hfauth-report" style="{_ROOT}">',
            self.head(shape),
            self.rows(shape),
            f'<details{opened} style="margin:6px 0"><summary style="cursor:pointer">'
            "Every finding with its evidence, the token sources, timings</summary>",
            *details,
            "</details>",
            "</div>",
        ]
        return "\n".join(part for part in parts if part)

    def head(self, shape: checklist.Checklist) -> str:
        """The verdict once, and the first step of its fix right below it."""
        banner = self.banner(shape.severity, shape.verdict)
        if shape.first_step is None:
            return banner
        return f'{banner}<div style="margin:6px 0 2px 0"><b>Fix:</b> {self.step(shape.first_step)}</div>'

    def lead_id(self, shape: checklist.Checklist) -> str:
        if shape.lead is None:
            return ""
        return f' <code style="{_CODE};opacity:.7">{self.esc(shape.lead.id)}</code>'

    def rows(self, shape: checklist.Checklist) -> str:
        rows = "".join(self.row(row, shape) for row in shape.rows)
        return f'<ul style="list-style:none;padding-left:0;margin:8px 0">{rows}</ul>'

    def row(self, row: checklist.Row, shape: checklist.Checklist) -> str:
        fg, bg = _MARKS[row.mark]
        mark = (
            f'<span style="color:{fg};background:{bg};padding:0 6px;border-radius:3px;font-size:80%;'
            f'font-weight:700;flex:none;min-width:4.5em;text-align:center">{row.mark}</span>'
        )
        notes = [note.title for note in row.notes]
        summary = notes.pop(0) if notes and not row.problems else row.summary
        parts = [
            f'<li style="margin:3px 0;display:flex;gap:6px;align-items:baseline">{mark}<div>'
            f"<b>{self.esc(row.label)}</b>: {self.esc(summary)}"
        ]
        for problem in row.problems:
            parts.append(self.problem(problem, lead=problem is shape.lead))
        parts.extend(f"<div>note: {self.esc(title)}</div>" for title in notes)
        if row.line in checklist.STEPS_FOR_NOTES and not row.problems:
            steps = [step for note in row.notes for step in note.fix]
            parts.append(self.fix(steps) if steps else "")
        parts.append("</div></li>")
        return "".join(parts)

    def problem(self, finding: Finding, *, lead: bool) -> str:
        """A problem expanded: its title (unless it is the verdict), detail and steps."""
        parts = ['<div style="margin:2px 0 6px 0">']
        if not lead:
            parts.append(f"{self.badge(finding.severity)} <b>{self.esc(finding.title)}</b> ")
        parts.append(f'<code style="{_CODE};opacity:.7">{self.esc(finding.id)}</code>')
        if finding.detail:
            parts.append(f'<div style="white-space:pre-wrap;margin:4px 0">{self.esc(finding.detail)}</div>')
        if finding.fix and not (lead and len(finding.fix) == 1):
            parts.append(self.fix(finding.fix))
        parts.append("</div>")
        return "".join(parts)

    def banner(self, severity: str, verdict: str) -> str:
        accent, background = _PALETTE[severity]
        style = (
            f"padding:8px 12px;border-left:6px solid {accent};background:{background};"
            "color:#1f2328;font-weight:600;border-radius:4px"
        )
        return f'<div style="{style}">{self.badge(severity)} {self.esc(verdict)}</div>'

    def badge(self, severity: str) -> str:
        accent, _ = _PALETTE[severity]
        style = (
            f"color:#fff;background:{accent};padding:0 6px;border-radius:3px;font-size:80%;font-weight:700"
        )
        return f'<span style="{style}">{common.LABELS[severity]}</span>'

    def facts(self, report: Report) -> str:
        rows = [
            ("Target", common.describe_target(report.target)),
            ("Token", common.describe_token(report.token)),
        ]
        items = "".join(f"<div><b>{label}:</b> {self.esc(value)}</div>" for label, value in rows)
        return f'<div style="margin:6px 0;font-size:92%">{items}</div>'

    def findings(self, findings: Sequence[Finding]) -> str:
        if not findings:
            return ""
        items = "\n".join(self.finding(finding) for finding in findings)
        return f'<ul style="list-style:none;padding-left:0;margin:8px 0">\n{items}\n</ul>'

    def finding(self, finding: Finding) -> str:
        accent, _ = _PALETTE[finding.severity]
        parts = [
            f'<li style="margin:10px 0;padding-left:10px;border-left:3px solid {accent}">',
            f"{self.badge(finding.severity)} <b>{self.esc(finding.title)}</b> "
            f'<code style="{_CODE};opacity:.7">{self.esc(finding.id)}</code>',
        ]
        if finding.detail:
            parts.append(f'<div style="white-space:pre-wrap;margin:4px 0">{self.esc(finding.detail)}</div>')
        if finding.fix:
            parts.append(self.fix(finding.fix))
        if finding.evidence:
            parts.append(self.evidence(finding.evidence))
        parts.append("</li>")
        return "".join(parts)

    def fix(self, steps: Sequence[str]) -> str:
        items = "".join(f"<li>{self.step(step)}</li>" for step in steps)
        return f'<div style="margin-top:4px"><b>Fix:</b><ol style="margin:2px 0">{items}</ol></div>'

    def step(self, step: str) -> str:
        """One step as written, so a command can be copied exactly: `<pre>` when it spans lines."""
        if "\n" in step:
            style = f"{_CODE};margin:2px 0;padding:4px 8px;background:rgba(127,127,127,.12);color:inherit;white-space:pre-wrap"
            return f'<pre style="{style}">{self.esc(step)}</pre>'
        return f'<code style="{_CODE};white-space:pre-wrap">{self.esc(step)}</code>'

    def evidence(self, evidence: Mapping[str, Any]) -> str:
        rows = "".join(
            f'<tr><th style="{_CELL}">{self.esc(str(key))}</th>'
            f'<td style="{_CELL}"><code style="{_CODE}">'
            f"{self.esc(common.format_value(value))}</code></td></tr>"
            for key, value in evidence.items()
        )
        return (
            '<details style="margin-top:4px"><summary style="cursor:pointer">Evidence</summary>'
            f'<table style="border-collapse:collapse;margin:4px 0">{rows}</table></details>'
        )

    def sources(self, sources: Sequence[SourceRow]) -> str:
        if not sources:
            return ""
        head = "".join(
            f'<th style="{_CELL}">{name}</th>'
            for name in ("Source", "Token", "Used", "Valid", "User", "Role", "Note")
        )
        body = "".join(self.source(row) for row in sources)
        return (
            '<table style="border-collapse:collapse;font-size:90%;margin:8px 0">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def source(self, row: SourceRow) -> str:
        cells = (
            row.name,
            row.shown,
            "yes" if row.wins else "",
            common.yes_no(row.valid) if row.present else "",
            row.user or "",
            row.role or "",
            row.note,
        )
        weight = "font-weight:600;" if row.wins else ""
        tds = "".join(f'<td style="{weight}{_CELL}">{self.esc(cell)}</td>' for cell in cells)
        return f"<tr>{tds}</tr>"

    def footer(self, report: Report) -> str:
        if not report.timings:
            return ""
        timings = self.esc(common.describe_timings(report.timings))
        return f'<div style="font-size:80%;opacity:.7">Timings: {timings}</div>'
