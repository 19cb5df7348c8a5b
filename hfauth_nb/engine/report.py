"""The report: findings, verdict and their JSON form.

Everything a front end shows comes from a `Report`. Tokens never enter it unmasked: checks put masked
values in evidence, a `Finding` drops token shapes and URL credentials when it is made, and `Report` scrubs
every string it holds against the raw secrets the engine saw, once when it is built (so `repr`, `asdict`,
`pickle` and `vars` show nothing secret) and again whenever it renders (fields a caller changed later). The
raw secrets themselves are never stored on the report: they stay in a registry of this module, keyed by the
report's identity and dropped with it.
"""

from __future__ import annotations

import dataclasses
import weakref
from dataclasses import InitVar, dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Mapping, Sequence

from hfauth_nb.engine.causes import Cause
from hfauth_nb.engine.fields import field_dict
from hfauth_nb.engine.findings import ALL_CLEAR, RANK
from hfauth_nb.hub_refs import DEFAULT_ENDPOINT, URL_PREFIX
from hfauth_nb.secrets import scrub

if TYPE_CHECKING:
    from hfauth_nb.engine.explained import Explained
    from hfauth_nb.engine.precedence import TokenPrecedence

Severity = Literal["error", "warning", "info", "ok"]
SCHEMA = "hfauth/1"

SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2, "ok": 3}


@dataclass(frozen=True)
class Finding:
    """One established cause (or the all-clear), with the evidence and the steps that fix it."""

    id: str
    severity: Severity
    title: str
    detail: str = ""
    fix: tuple[str, ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict)
    # What a fix reads (typed); evidence is only its rendering. Not part of the JSON.
    cause: Cause | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.id not in RANK:
            raise ValueError(f"unknown finding id {self.id!r}")
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r}")
        # Token shapes and URL credentials never enter a finding, whichever check made it.
        object.__setattr__(self, "title", scrub(self.title))
        object.__setattr__(self, "detail", scrub(self.detail))
        object.__setattr__(self, "fix", tuple(scrub(step) for step in self.fix))
        object.__setattr__(self, "evidence", _scrub_value(dict(self.evidence), frozenset()))
        if self.cause is not None:  # a git helper's command line can hold a token: causes are scrubbed too
            object.__setattr__(self, "cause", _scrub_dataclass(self.cause, frozenset()))

    def scrubbed(self, secrets: frozenset[str]) -> Finding:
        """This finding with every known secret masked."""
        if not secrets:
            return self
        return dataclasses.replace(
            self,
            title=scrub(self.title, secrets),
            detail=scrub(self.detail, secrets),
            fix=tuple(scrub(step, secrets) for step in self.fix),
            evidence=_scrub_value(dict(self.evidence), secrets),
            cause=None if self.cause is None else _scrub_dataclass(self.cause, secrets),
        )

    def sort_key(self) -> tuple[int, int]:
        return (SEVERITY_RANK[self.severity], RANK[self.id])

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "title": self.title,
            "detail": self.detail,
            "fix": list(self.fix),
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class Target:
    """What was asked: which repo, of which type, for reading or writing, on which endpoint."""

    repo_id: str | None = None
    repo_type: str = "model"
    write: bool = False
    revision: str | None = None
    endpoint: str = DEFAULT_ENDPOINT

    @property
    def url(self) -> str | None:
        if not self.repo_id:
            return None
        prefix = URL_PREFIX.get(self.repo_type, "")
        return f"{self.endpoint}/{prefix}{self.repo_id}"

    def to_dict(self) -> dict[str, Any]:
        return {**field_dict(self), "url": self.url}


@dataclass(frozen=True)
class TokenSummary:
    """The effective token as the report shows it: masked, with its source and owner."""

    source: str | None = None
    masked: str | None = None
    user: str | None = None
    role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "masked": self.masked, "user": self.user, "role": self.role}


@dataclass(frozen=True)
class SourceRow:
    """One candidate token source, for the sources table (panel, status)."""

    name: str
    present: bool
    masked: str | None = None
    wins: bool = False
    valid: bool | None = None
    user: str | None = None
    role: str | None = None
    note: str = ""
    unreadable: bool = False  # the source exists but cannot be read (a directory, no permission, a FIFO)

    @property
    def shown(self) -> str:
        """The value cell: the masked token, or why there is none ("not set" is only for an absent source)."""
        if self.present:
            return self.masked or "(hidden)"
        return "cannot be read" if self.unreadable else "not set"

    def to_dict(self) -> dict[str, Any]:
        return field_dict(self, skip=frozenset({"unreadable"}))


# Raw secrets seen while diagnosing, per live report (by id); never an attribute of the report itself.
_SCRUB_SETS: dict[int, frozenset[str]] = {}


@dataclass(repr=False)
class Report:
    """The result of one diagnosis; renders as text, HTML and JSON."""

    target: Target
    token: TokenSummary
    findings: list[Finding]
    sources: Sequence[SourceRow] = ()
    environment: Mapping[str, Any] = field(default_factory=dict)
    timings: Mapping[str, float] = field(default_factory=dict)
    # Raw secret strings seen while diagnosing: scrubbed out of every field here, then kept only in this
    # module's registry (not a field: `asdict`, `pickle`, `vars` and `repr` never see them).
    secrets: InitVar[frozenset[str]] = frozenset()
    # Typed facts that front ends read (not untyped `environment` entries):
    precedence: TokenPrecedence | None = None  # the token order and winner: why HF_TOKEN may not count
    explained: Explained | None = None  # set by `explain(exc)`: the Hub request found in the exception

    def __post_init__(self, secrets: frozenset[str]) -> None:
        known = frozenset(s for s in secrets if s)
        if known:
            key = id(self)
            _SCRUB_SETS[key] = known
            weakref.finalize(self, _SCRUB_SETS.pop, key, None)
        self.findings = sorted((f.scrubbed(known) for f in self.findings), key=Finding.sort_key)
        self.target = _scrub_dataclass(self.target, known)
        self.token = _scrub_dataclass(self.token, known)
        rows = [_scrub_dataclass(row, known) for row in self.sources]
        self.sources = rows if isinstance(self.sources, list) else tuple(rows)
        self.environment = _scrub_value(dict(self.environment), known)
        if self.precedence is not None:
            self.precedence = _scrub_dataclass(self.precedence, known)
        if self.explained is not None:
            self.explained = _scrub_dataclass(self.explained, known)

    def scrub(self, text: str) -> str:
        """`text` with every secret this report's diagnosis saw (and every token shape, URL credential) masked."""
        return scrub(text, _SCRUB_SETS.get(id(self), frozenset()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self))
        return self.scrub(f"{type(self).__name__}({fields})")

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def verdict(self) -> str:
        """One sentence naming the most blocking cause (or that nothing blocks)."""
        for finding in self.findings:
            if finding.severity in ("error", "warning"):
                return self.scrub(finding.title)
        # A specific answer to what was asked (`check --inference`: may this token call it?) before the generic
        # all-clear of the repo, which answers a question the user did not ask first.
        for finding in self.findings:
            if finding.severity == "ok" and finding.id != ALL_CLEAR:
                return self.scrub(finding.title)
        for finding in self.findings:
            if finding.id == ALL_CLEAR:
                return self.scrub(finding.title)
        if self.target.repo_id:
            return "No problem found with your Hugging Face setup for this repo."
        return "No problem found with your Hugging Face token setup."

    def finding(self, finding_id: str) -> Finding | None:
        """The finding with this id, if the report has it."""
        return next((f for f in self.findings if f.id == finding_id), None)

    @property
    def ids(self) -> list[str]:
        return [f.id for f in self.findings]

    def environment_block(self) -> dict[str, Any]:
        """`environment` as the JSON shows it: the engine's facts, then the explained request (when there is one)."""
        block = dict(self.environment)
        if self.explained is not None:
            block["explained"] = self.explained.to_dict()
        return block

    def to_dict(self) -> dict[str, Any]:
        data = {
            "schema": SCHEMA,
            "ok": self.ok,
            "verdict": self.verdict,
            "target": self.target.to_dict(),
            "token": self.token.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "sources": [s.to_dict() for s in self.sources],
            "environment": self.environment_block(),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }
        scrubbed: dict[str, Any] = _scrub_tree(data, _SCRUB_SETS.get(id(self), frozenset()))
        return scrubbed

    # -- rich display -----------------------------------------------------------------------------
    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """Text and HTML only: JupyterLab 4 ranks its JSON viewer above HTML, so an application/json entry showed a
        JSON tree instead of the report. The JSON is `to_dict()`, `--json`, or `%hfauth check --json`."""
        from hfauth_nb.render import html, text

        return {
            "text/plain": text.render(self),
            "text/html": html.render(self),
        }

    def __str__(self) -> str:
        from hfauth_nb.render import text

        return text.render(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def secrets_of(report: Report) -> frozenset[str]:
    """The raw secrets a report scrubs against (for code that renders related text, such as a fix plan)."""
    return _SCRUB_SETS.get(id(report), frozenset())


def _scrub_value(value: Any, secrets: frozenset[str]) -> Any:
    """Like `_scrub_tree`, but keeps tuples as tuples (a report's fields keep their types)."""
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, dict):
        return {k: _scrub_value(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_value(v, secrets) for v in value]
    if isinstance(value, tuple):
        return tuple(_scrub_value(v, secrets) for v in value)
    return value


def _scrub_dataclass(value: Any, secrets: frozenset[str]) -> Any:
    changes = {
        f.name: _scrub_value(getattr(value, f.name), secrets)
        for f in dataclasses.fields(value)
        if isinstance(getattr(value, f.name), (str, dict, list, tuple))
    }
    return dataclasses.replace(value, **changes)


def _scrub_tree(value: Any, secrets: frozenset[str]) -> Any:
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, dict):
        return {k: _scrub_tree(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub_tree(v, secrets) for v in value]
    return value
