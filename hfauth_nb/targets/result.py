"""A preflight's outcome: one row per Hub target with its verdict, the token setup once, and what was unresolved.

Built from the engine's reports (one per target, one for the token alone); the JSON is the stable
`hfauth-preflight/1` schema. A target row lists only the findings its own report adds to the token setup's, so a
cause that touches every target (a revoked token, offline mode) is said once, at the top.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hfauth_nb.engine.findings import ALL_CLEAR
from hfauth_nb.engine.report import SEVERITY_RANK, Finding, Report
from hfauth_nb.targets.model import Target, Unresolved

SCHEMA = "hfauth-preflight/1"


@dataclass(frozen=True)
class TargetRow:
    """One target and what its check found."""

    target: Target
    report: Report
    own: tuple[Finding, ...]  # findings not already said by the token setup (or more severe here)

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def verdict(self) -> str:
        return self.report.verdict

    @property
    def fix(self) -> tuple[str, ...]:
        """The first fix of the most blocking problem of this row (empty when it is fine)."""
        for finding in self.report.findings:
            if finding.severity in ("error", "warning") and finding.fix:
                return finding.fix
        return ()

    def to_dict(self) -> dict[str, Any]:
        t = self.target
        return {
            "repo_id": t.repo_id,
            "repo_type": t.repo_type,
            "revision": t.revision,
            "write": t.write,
            "via": t.via,
            "sources": [{"file": s.file, "cell": s.cell, "line": s.line, "call": s.call} for s in t.sources],
            "ok": self.ok,
            "verdict": self.verdict,
            "findings": [f.id for f in self.own],
        }


@dataclass(frozen=True)
class PreflightResult:
    """Everything a preflight found, ready to render."""

    files: tuple[str, ...]
    rows: tuple[TargetRow, ...]
    unresolved: tuple[Unresolved, ...]
    setup: Report  # the token setup alone (no repo): its findings are said once

    @property
    def ok(self) -> bool:
        """True when every target passes (exit status 0)."""
        return all(row.ok for row in self.rows) and self.setup.ok

    @property
    def setup_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.setup.findings if f.id != ALL_CLEAR)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "ok": self.ok,
            "files": list(self.files),
            "targets": [row.to_dict() for row in self.rows],
            "unresolved": [
                {"file": u.file, "cell": u.cell, "line": u.line, "code": u.code, "reason": u.reason}
                for u in self.unresolved
            ],
            "token": self.setup.token.to_dict(),
            "findings": [f.to_dict() for f in self.setup_findings],
        }

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from hfauth_nb.targets import render

        # No JSON entry: JupyterLab would show it as a JSON tree instead of the table (`--json` gives the JSON).
        return {"text/plain": render.text(self), "text/html": render.html(self)}

    def __str__(self) -> str:
        from hfauth_nb.targets import render

        return render.text(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def own_findings(report: Report, setup: Report) -> tuple[Finding, ...]:
    """The findings of a target's report that the token setup does not already state at the same severity."""
    said = {f.id: SEVERITY_RANK[f.severity] for f in setup.findings}
    return tuple(
        f
        for f in report.findings
        if f.id != ALL_CLEAR and (f.id not in said or SEVERITY_RANK[f.severity] < said[f.id])
    )


def build(
    files: tuple[str, ...],
    targets: list[tuple[Target, Report]],
    unresolved: tuple[Unresolved, ...],
    setup: Report,
) -> PreflightResult:
    """Rows in the order the code names its targets (followed base models right after their adapter)."""
    rows = tuple(TargetRow(target, report, own_findings(report, setup)) for target, report in targets)
    return PreflightResult(files=files, rows=rows, unresolved=unresolved, setup=setup)
