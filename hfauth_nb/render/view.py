"""A report shown another way than its default: every finding open (`-v`), or only the verdict and its fix.

`Report` itself renders the checklist; a `ReportView` wraps it for the two other shapes and renders as text and
HTML only (the same MIME types as the report, for the same reason: see `Report._repr_mimebundle_`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from hfauth_nb.engine.report import Report

Style = Literal["verbose", "brief"]


@dataclass(frozen=True, repr=False)
class ReportView:
    """`verbose`: the full report (HTML details open). `brief`: the verdict, its fix, the rest collapsed."""

    report: Report
    style: Style

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from hfauth_nb.render import html

        page = html.render(self.report, verbose=True) if self.style == "verbose" else html.brief(self.report)
        return {"text/plain": str(self), "text/html": page}

    def __str__(self) -> str:
        from hfauth_nb.render import text

        if self.style == "verbose":
            return text.render(self.report, verbose=True)
        return text.brief(self.report)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))
