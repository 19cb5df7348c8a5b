"""The report as Markdown to paste into a GitHub issue or a forum post.

Tokens are already masked; on top of that the home directory becomes `~` and the user's names (the Hub
account, local account names seen in `/home/NAME/`, `/Users/NAME/`, `C:\\Users\\NAME\\`) become `<user>`,
because a pasted report outlives the notebook it came from.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Sequence

from hfauth_nb.engine.report import Finding, Report, SourceRow, secrets_of
from hfauth_nb.render import _common as common
from hfauth_nb.secrets import scrub

USER_PLACEHOLDER = "<user>"
_HOME_SEGMENT = re.compile(r"(?:/home/|/Users/|[A-Za-z]:\\Users\\)([^/\\\s'\"`<>|]+)")
_NAME_EDGE = "A-Za-z0-9_-"
_MD_SPECIAL = re.compile(r"([\\`*\[\]|])")


def render(report: Report, *, home: str | None = None) -> str:
    """Redacted Markdown for `report`; `home` defaults to this user's home directory."""
    home = os.path.expanduser("~") if home is None else home
    writer = _Writer(Redactor.for_report(report, home), secrets_of(report))
    return scrub(writer.report(report), secrets_of(report))


# -- redaction ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redactor:
    """Replaces the home directory by `~` and each known user name (whole words) by `<user>`."""

    home: str
    names: frozenset[str]

    @classmethod
    def for_report(cls, report: Report, home: str) -> Redactor:
        """Names come from the token owners and from every home-like path anywhere in the report."""
        names = {report.token.user, *(row.user for row in report.sources)}
        usable = home.rstrip("/\\") if len(home.rstrip("/\\")) > 1 else ""
        names.update(_HOME_SEGMENT.findall(home + "/"))
        for text in _strings(report.to_dict()):
            # The user's own home is already `~` by then, so a path inside it ("~/.netrc") names nobody.
            if usable:
                text = text.replace(usable, "~")
            names.update(n for n in _HOME_SEGMENT.findall(text) if not n.startswith("."))
        return cls(home=usable, names=frozenset(n for n in names if n and n != USER_PLACEHOLDER))

    def __call__(self, text: str) -> str:
        if self.home:
            text = re.sub(re.escape(self.home) + r"(?![A-Za-z0-9_.-])", "~", text)
        if self.names:
            alternatives = "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
            pattern = rf"(?<![{_NAME_EDGE}])(?:{alternatives})(?![{_NAME_EDGE}])"
            text = re.sub(pattern, USER_PLACEHOLDER, text, flags=re.IGNORECASE)
        return text


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


# -- markdown -------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Prose that Markdown shows as written: no emphasis, links, tables or HTML out of server text."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def code(text: str) -> str:
    """An inline code span that survives backticks in `text`."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(text: str) -> str:
    """A fenced block that survives fences in `text`."""
    runs = [len(run) for run in re.findall(r"`{3,}", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}\n{text}\n{fence}"


@dataclass(frozen=True)
class _Writer:
    """Builds the Markdown; every value is scrubbed and redacted before it is escaped."""

    redactor: Redactor
    secrets: frozenset[str]

    def redact(self, value: str) -> str:
        return self.redactor(scrub(value, self.secrets))

    def text(self, value: str) -> str:
        return escape(self.redact(value))

    def code(self, value: str) -> str:
        return code(self.redact(value))

    def cell(self, value: str) -> str:
        """A table cell: one line, `|` escaped even inside code (GFM splits cells on it)."""
        return self.code(" ".join(value.split())).replace("|", "\\|") if value else ""

    def report(self, report: Report) -> str:
        severity = common.worst_severity(report)
        lines = [
            f"### hfauth: {common.LABELS[severity]} - {self.text(report.verdict)}",
            "",
            f"- **Target:** {self.text(common.describe_target(report.target))}",
            f"- **Token:** {self.text(common.describe_token(report.token))}",
        ]
        for number, finding in enumerate(report.findings, 1):
            lines.extend(["", *self.finding(number, finding)])
        lines.extend(self.sources(report.sources))
        lines.extend(self.details("Environment", report.environment_block()))
        if report.timings:
            lines.extend(["", f"Timings: {self.text(common.describe_timings(report.timings))}"])
        from hfauth_nb import __version__

        lines.extend(
            ["", f"<sub>Generated by hfauth_nb {__version__} (tokens masked, user names redacted)</sub>"]
        )
        return "\n".join(lines) + "\n"

    def finding(self, number: int, finding: Finding) -> list[str]:
        label = common.LABELS[finding.severity]
        lines = [f"#### {number}. [{label}] {self.text(finding.title)} ({code(finding.id)})"]
        if finding.detail:
            lines.extend(["", *(self.text(line) for line in finding.detail.splitlines())])
        if finding.fix:
            lines.extend(["", "**Fix:**", "", *self.steps(finding.fix)])
        lines.extend(self.details("Evidence", finding.evidence))
        return lines

    def steps(self, steps: Sequence[str]) -> Iterable[str]:
        for number, step in enumerate(steps, 1):
            if "\n" in step:
                block = code_block(self.redact(step)).replace("\n", "\n   ")
                yield f"{number}. {block}"
            else:
                yield f"{number}. {self.code(step)}"

    def details(self, summary: str, values: Mapping[str, Any]) -> list[str]:
        if not values:
            return []
        rows = [
            f"| {self.cell(str(key))} | {self.cell(common.format_value(value))} |"
            for key, value in values.items()
        ]
        return [
            "",
            f"<details><summary>{summary}</summary>",
            "",
            "| | |",
            "| --- | --- |",
            *rows,
            "",
            "</details>",
        ]

    def sources(self, sources: Sequence[SourceRow]) -> list[str]:
        if not sources:
            return []
        header = ["", "**Token sources**", "", "| source | token | used | valid | user | role | note |"]
        return [
            *header,
            "| --- | --- | --- | --- | --- | --- | --- |",
            *(self.source(row) for row in sources),
        ]

    def source(self, row: SourceRow) -> str:
        cells = (
            self.cell(row.name),
            self.cell(row.shown),
            "yes" if row.wins else "",
            common.yes_no(row.valid) if row.present else "",
            self.cell(row.user or ""),
            self.cell(row.role or ""),
            self.text(" ".join(row.note.split())),
        )
        return "| " + " | ".join(cells) + " |"
