"""The doctor-style shape of a report, shared by the text and HTML renderers.

The verdict once, its first fix step next, then one line per area with a mark: `ok`, `problem` (an error or a
warning: it expands to the finding's detail and steps), `note` (information that does not block this request:
one line, no steps) or `skipped` (not checked here). Which area a finding belongs to comes from the catalogue
(`FindingSpec.area`), so a new finding id lands in its line without an edit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal, Mapping, Sequence

from hfauth_nb.engine.findings import AREAS, Area, spec
from hfauth_nb.engine.report import Finding, Report, SourceRow
from hfauth_nb.hub_refs import DEFAULT_ENDPOINT
from hfauth_nb.render import _common as common

Mark = Literal["ok", "problem", "note", "skipped"]
Line = Literal[
    "token", "sources", "hub", "repo", "services", "netrc", "git", "credentials", "environment", "runtime"
]

# One checklist line per catalogue area group, in the order a person reads them.
LINE_LABELS: Mapping[Line, str] = {
    "token": "Token",
    "sources": "Other sources",
    "hub": "Hub reachable",
    "repo": "Repo access",
    "services": "Services",
    "netrc": "netrc",
    "git": "git",
    "credentials": "Other credentials",
    "environment": "Environment",
    "runtime": "Runtime",
}
# A note on these lines bears on every request (it is about the token sent): its fix steps stay visible.
STEPS_FOR_NOTES: frozenset[Line] = frozenset({"token"})
LINE_OF_AREA: Mapping[Area, Line] = {
    "token": "token",
    "login": "token",
    "sources": "sources",
    "hub": "hub",
    "repo": "repo",
    "permission": "repo",
    "services": "services",
    "netrc": "netrc",
    "git": "git",
    "credentials": "credentials",
    "environment": "environment",
    "notebook": "runtime",
}
# Lines shown only when a finding lands in them (the others are always there).
_ONLY_WITH_FINDINGS: frozenset[Line] = frozenset({"credentials", "services"})
PROBLEM_SEVERITIES = ("error", "warning")

assert set(LINE_OF_AREA) == set(AREAS), "every catalogue area needs a checklist line"


@dataclass(frozen=True)
class Row:
    """One checklist line: its mark, what was found in a few words, and the findings behind it."""

    line: Line
    mark: Mark
    summary: str
    problems: tuple[Finding, ...] = ()
    notes: tuple[Finding, ...] = ()

    @property
    def label(self) -> str:
        return LINE_LABELS[self.line]


@dataclass(frozen=True)
class Checklist:
    """The verdict, its severity, the first fix step of the most blocking finding, and the lines."""

    severity: str
    verdict: str
    first_step: str | None
    lead: Finding | None  # the finding the verdict names (its title is not repeated below)
    rows: tuple[Row, ...]


def line_of(finding: Finding) -> Line:
    """The checklist line a finding belongs to, from the catalogue's area."""
    return LINE_OF_AREA[spec(finding.id).area]


def build(report: Report) -> Checklist:
    """The checklist of a report (pure: reads the report only)."""
    problems = [f for f in report.findings if f.severity in PROBLEM_SEVERITIES]
    lead = problems[0] if problems else None
    first_step = lead.fix[0] if lead is not None and lead.fix else None
    rows = tuple(row for line in LINE_LABELS if (row := _row(line, report)) is not None)
    return Checklist(common.worst_severity(report), report.verdict, first_step, lead, rows)


def _row(line: Line, report: Report) -> Row | None:
    found = [f for f in report.findings if line_of(f) == line]
    problems = tuple(f for f in found if f.severity in PROBLEM_SEVERITIES)
    notes = tuple(f for f in found if f.severity == "info")
    if line in _ONLY_WITH_FINDINGS and not (problems or notes):
        return None
    summary, skipped = _SUMMARIES[line](report)
    mark: Mark = "problem" if problems else "note" if notes else "skipped" if skipped else "ok"
    return Row(line, mark, summary, problems, notes)


# -- what each line says when nothing is wrong: (summary, skipped) -----------------------------------------------


def _token(report: Report) -> tuple[str, bool]:
    if not report.token.masked and not report.token.source:
        return "none found", False
    winner = next((row for row in report.sources if row.wins), None)
    valid = {True: "valid", False: "rejected by the Hub", None: "not checked"}[
        winner.valid if winner else None
    ]
    return f"{common.describe_token(report.token)}, {valid}", False


def _sources(report: Report) -> tuple[str, bool]:
    others = [
        row
        for row in report.sources
        if (row.present or row.unreadable) and not row.wins and not _is_netrc(row) and not _is_git(row)
    ]
    if not others:
        return "no other source holds a token", False
    return "; ".join(_other_source(row, report) for row in others), False


def _other_source(row: SourceRow, report: Report) -> str:
    if row.unreadable:
        return f"{row.name}: {row.shown}"
    same = row.masked is not None and row.masked == report.token.masked
    state = "same token" if same else f"{row.masked or '(hidden)'}, shadowed"
    return f"{row.name}: {state}" + (f" (valid {common.yes_no(row.valid)})" if not same else "")


def _hub(report: Report) -> tuple[str, bool]:
    skipped = report.environment.get("hub_skipped")
    if skipped:
        return f"not contacted ({skipped})", True
    seconds = report.timings.get("hub")
    took = f" in {seconds:.2f}s" if seconds is not None else ""
    return f"{_endpoint(report)} answered{took}", False


def _repo(report: Report) -> tuple[str, bool]:
    target = report.target
    if not target.repo_id:
        service = getattr(report.explained, "service", None)
        if service:  # the failed call named a model of a service, not a repo request: say so, not "no repo"
            model = getattr(report.explained, "model", None)
            return f"not checked: the failed call went to {service}" + (f" ({model})" if model else ""), True
        return "no repo given", True
    asked = "write" if target.write else "read"
    if report.environment.get("hub_skipped"):
        return f"{asked} {target.repo_type} {target.repo_id}: not checked", True
    if not any(line_of(f) == "repo" for f in report.findings):
        # No verdict on the repo (neither access-ok nor a refusal): another finding (a rejected token, an
        # unreachable Hub) stopped the check before it, so the line must not read as a pass.
        return f"{asked} {target.repo_type} {target.repo_id}: not judged on its own (see above)", True
    return f"{asked} {target.repo_type} {target.repo_id}", False


def _netrc(report: Report) -> tuple[str, bool]:
    entries = [row for row in report.sources if _is_netrc(row) and row.present]
    if not entries:
        return "no entry for the Hub host", False
    return "; ".join(f"{row.name} ({row.note})" if row.note else row.name for row in entries), False


def _git(report: Report) -> tuple[str, bool]:
    version = report.environment.get("git")
    if not version:
        return "git not found", True
    stored = next((row for row in report.sources if _is_git(row) and row.present), None)
    if stored is not None:
        return (
            f"stores {stored.masked or '(hidden)'} for the Hub (valid {common.yes_no(stored.valid)})",
            False,
        )
    helpers = report.environment.get("git_helpers") or []
    helper = f", {len(helpers)} credential helper(s)" if helpers else ", no credential helper"
    return f"{version}{helper}", False


def _credentials(report: Report) -> tuple[str, bool]:
    return "credentials other tools send", False


def _services(report: Report) -> tuple[str, bool]:
    explained = report.explained
    service = getattr(explained, "service", None) if explained is not None else None
    return (f"{service} call" if service else "Hugging Face services called with the token"), False


def _environment(report: Report) -> tuple[str, bool]:
    env = report.environment
    parts = [f"endpoint {_endpoint(report)}"]
    parts.append("offline" if env.get("offline") else "online")
    parts.append("implicit token off" if env.get("implicit_token_disabled") else "implicit token on")
    return ", ".join(parts), False


def _runtime(report: Report) -> tuple[str, bool]:
    env = report.environment
    parts = [str(env["runtime"])] if env.get("runtime") not in (None, "", "python") else []
    parts += [
        f"{label} {env[key]}"
        for label, key in (("python", "python"), ("huggingface_hub", "huggingface_hub"))
        if env.get(key)
    ]
    return ", ".join(parts) or "unknown", False


def _endpoint(report: Report) -> str:
    return str(report.environment.get("endpoint") or report.target.endpoint or DEFAULT_ENDPOINT)


def _is_netrc(row: SourceRow) -> bool:
    return row.name.lower().startswith("netrc")


def _is_git(row: SourceRow) -> bool:
    return row.name.lower().startswith("git ")


_SUMMARIES: Mapping[Line, Callable[[Report], tuple[str, bool]]] = {
    "token": _token,
    "sources": _sources,
    "hub": _hub,
    "repo": _repo,
    "netrc": _netrc,
    "git": _git,
    "credentials": _credentials,
    "services": _services,
    "environment": _environment,
    "runtime": _runtime,
}
assert set(_SUMMARIES) == set(LINE_LABELS), "every checklist line needs its summary"


def every_finding(rows: Sequence[Row]) -> list[Finding]:
    """The findings the checklist shows, problems first (for tests and the verbose disclosure)."""
    return [f for row in rows for f in (*row.problems, *row.notes)]
