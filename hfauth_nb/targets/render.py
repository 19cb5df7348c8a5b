"""A preflight as a terminal table and as an HTML table for notebooks (inline styles, no JavaScript).

Every string is scrubbed with the secrets the checks saw before it is shown (and escaped in HTML).
"""

from __future__ import annotations

import html as html_lib
from pathlib import PurePath
from typing import TYPE_CHECKING, Callable

from hfauth_nb.engine.report import secrets_of
from hfauth_nb.render._common import LABELS, describe_token
from hfauth_nb.secrets import scrub

if TYPE_CHECKING:
    from hfauth_nb.targets.model import Source, Target
    from hfauth_nb.targets.result import PreflightResult, TargetRow

_MARK = {True: "OK", False: "FAIL"}
_COLOURS = {True: ("#1a7f37", "#dafbe1"), False: ("#cf222e", "#ffebe9")}
_CELL = "padding:2px 8px;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top"
_CODE = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:90%"


def headline(result: PreflightResult) -> str:
    """`3 Hub targets in a.ipynb: 1 fails, 2 ok; 1 call not resolved.`"""
    failing = sum(1 for row in result.rows if not row.ok)
    files = ", ".join(PurePath(f).name for f in result.files) or "the code"
    if not result.rows:
        words = f"No Hub target found in {files}"
    else:
        n = len(result.rows)
        words = f"{n} Hub target{'s' if n != 1 else ''} in {files}: " + (
            f"{failing} fail{'s' if failing == 1 else ''}, {n - failing} ok" if failing else "all ok"
        )
    if result.unresolved:
        m = len(result.unresolved)
        words += f"; {m} call{'s' if m != 1 else ''} not resolved (not checked)"
    return words + "."


def describe(target: Target) -> str:
    """`model org/name@rev (write)`, with where a followed target came from."""
    text = f"{target.repo_type} {target.repo_id}"
    if target.revision:
        text += f"@{target.revision}"
    if target.write:
        text += " (write)"
    if target.via:
        text += f" [{target.via}]"
    return text


def where(source: Source) -> str:
    """`train.ipynb cell 3 line 2: AutoModel.from_pretrained` (the file's name: the headline names the files)."""
    return f"{_place(source.file, source.cell, source.line)}: {source.call}"


def _place(file: str, cell: int | None, line: int) -> str:
    return f"{PurePath(file).name} " + (f"cell {cell} line {line}" if cell is not None else f"line {line}")


def text(result: PreflightResult) -> str:
    secrets = _secrets(result)
    lines = [headline(result), f"Token: {describe_token(result.setup.token)}"]
    for finding in result.setup_findings:
        if finding.severity in ("error", "warning"):
            lines.append(f"  {LABELS[finding.severity]}: {finding.title}")
            lines += [f"    fix: {step}" for step in finding.fix[:1]]
    for row in result.rows:
        lines.append(f"{_MARK[row.ok]:<5} {describe(row.target)}")
        if not row.ok or row.own:
            lines.append(f"      {row.verdict}")
            lines += [f"      fix: {step}" for step in row.fix[:1]]
        lines += [f"      at {where(s)}" for s in row.target.sources[:3]]
        if len(row.target.sources) > 3:
            lines.append(f"      and {len(row.target.sources) - 3} more places")
    if result.unresolved:
        lines.append("Not resolved (the repo depends on running the code; check it with %hfauth check REPO):")
        for u in result.unresolved:
            lines.append(
                f"  {_place(u.file, u.cell, u.line)}: {u.code}" + (f"  ({u.reason})" if u.reason else "")
            )
    return scrub("\n".join(lines), secrets)


def html(result: PreflightResult) -> str:
    secrets = _secrets(result)

    def esc(value: str) -> str:
        return html_lib.escape(scrub(value, secrets), quote=True)

    parts = [
        '<div class="hfauth-preflight" style="font-family:system-ui,sans-serif;line-height:1.45;max-width:70em">',
        f"<p><strong>{esc(headline(result))}</strong><br>Token: {esc(describe_token(result.setup.token))}</p>",
    ]
    problems = [f for f in result.setup_findings if f.severity in ("error", "warning")]
    if problems:
        parts.append("<ul>")
        for f in problems:
            fix = f"<br><code style='{_CODE}'>{esc(f.fix[0])}</code>" if f.fix else ""
            parts.append(f"<li><strong>{LABELS[f.severity]}</strong> {esc(f.title)}{fix}</li>")
        parts.append("</ul>")
    if result.rows:
        parts.append('<table style="border-collapse:collapse">')
        parts.append(
            "<tr>"
            + "".join(f'<th style="{_CELL}">{h}</th>' for h in ("", "repo", "verdict and fix", "where"))
            + "</tr>"
        )
        parts += [_row_html(row, esc) for row in result.rows]
        parts.append("</table>")
    if result.unresolved:
        parts.append("<p>Not resolved (the repo depends on running the code):</p><ul>")
        for u in result.unresolved:
            place = esc(_place(u.file, u.cell, u.line))
            reason = f" ({esc(u.reason)})" if u.reason else ""
            parts.append(f"<li>{place}: <code style='{_CODE}'>{esc(u.code)}</code>{reason}</li>")
        parts.append("</ul>")
    parts.append("</div>")
    return scrub("".join(parts), secrets)


def _row_html(row: TargetRow, esc: Callable[[str], str]) -> str:
    accent, background = _COLOURS[row.ok]
    mark = (
        f'<span style="color:{accent};background:{background};padding:0 6px;border-radius:4px;'
        f'font-weight:600">{_MARK[row.ok]}</span>'
    )
    verdict = esc(row.verdict) if (not row.ok or row.own) else "ok"
    fix = f"<br><code style='{_CODE}'>{esc(row.fix[0])}</code>" if row.fix and not row.ok else ""
    places = "<br>".join(esc(where(s)) for s in row.target.sources[:3])
    return (
        f'<tr class="hfauth-preflight-row"><td style="{_CELL}">{mark}</td>'
        f'<td style="{_CELL}"><code style="{_CODE}">{esc(describe(row.target))}</code></td>'
        f'<td style="{_CELL}">{verdict}{fix}</td><td style="{_CELL}">{places}</td></tr>'
    )


def _secrets(result: PreflightResult) -> frozenset[str]:
    found = set(secrets_of(result.setup))
    for row in result.rows:
        found |= secrets_of(row.report)
    return frozenset(found)
