"""A scan's result: the `token-leaked` report plus what was covered, as text, HTML and JSON.

A clean scan must say what it looked at ("no token in these 12 places"), which a plain Report cannot,
so this small wrapper renders the summary and delegates the findings to the report.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from typing import Any

from hfauth_nb.engine.report import Finding, Report, secrets_of
from hfauth_nb.render._common import format_value
from hfauth_nb.secrets import scrub

_INDENT = "    "
_WIDTH = 100


@dataclass(frozen=True)
class ScanResult:
    """The `token-leaked` findings, and the places looked at or skipped (with why), secrets scrubbed."""

    report: Report
    scanned: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A path can hold a secret (a file named after a token): scrubbed once here, again when rendered.
        known = secrets_of(self.report)
        object.__setattr__(self, "scanned", tuple(scrub(place, known) for place in self.scanned))
        object.__setattr__(self, "skipped", tuple(scrub(place, known) for place in self.skipped))

    @property
    def findings(self) -> list[Finding]:
        return self.report.findings

    @property
    def found(self) -> bool:
        return bool(self.report.findings)

    @property
    def summary(self) -> str:
        count = len(self.findings)
        if not count:
            return f"No Hugging Face token found in {_places(len(self.scanned))} scanned."
        mine = sum(1 for f in self.findings if f.evidence.get("this machine") != "no")
        noun = "token" if count == 1 else "tokens"
        extra = f" ({mine} of them this machine's)" if mine and count > 1 else ""
        extra = " (this machine's token)" if mine and count == 1 else extra
        return f"{count} Hugging Face {noun} found{extra}: revoke {'it' if count == 1 else 'them'}."

    def to_dict(self) -> dict[str, Any]:
        data = self.report.to_dict()
        known = secrets_of(self.report)
        data["verdict"] = scrub(self.summary, known)
        # `environment` holds what the scan covered (the report itself has no engine environment).
        data["environment"] = {
            "scanned": [scrub(place, known) for place in self.scanned],
            "skipped": [scrub(place, known) for place in self.skipped],
        }
        return data

    def text(self) -> str:
        lines = [("ERROR: " if self.found else "OK: ") + self.summary]
        lines.append("Scanned: " + (", ".join(self.scanned) or "nothing"))
        if self.skipped:
            lines.append("Skipped: " + "; ".join(self.skipped))
        for finding in self.findings:
            lines.append("")
            lines.extend(_finding(finding))
        return scrub("\n".join(lines), secrets_of(self.report))

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.text())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/plain": self.text(),
            "text/html": f'<pre class="hfauth-scan">{html.escape(self.text())}</pre>',
        }


def _places(count: int) -> str:
    return "the 1 place" if count == 1 else f"the {count} places"


def _finding(finding: Finding) -> list[str]:
    lines = [f"[ERROR] {finding.title} ({finding.id})"]
    lines.extend(textwrap.wrap(finding.detail, _WIDTH, initial_indent=_INDENT, subsequent_indent=_INDENT))
    lines.append(_INDENT + "Fix:")
    lines.extend(f"{_INDENT * 2}{number}. {step}" for number, step in enumerate(finding.fix, 1))
    lines.append(_INDENT + "Evidence:")
    for key, value in finding.evidence.items():
        if key == "locations":
            lines.append(f"{_INDENT * 2}locations:")
            lines.extend(f"{_INDENT * 3}- {place}" for place in value)
        else:
            lines.append(f"{_INDENT * 2}{key}: {format_value(value)}")
    return lines
