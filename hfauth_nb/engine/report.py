"""The report: findings, verdict and their JSON form.

Everything a front end shows comes from a `Report`. Tokens never enter it unmasked: checks put masked
values in evidence, and `Report` additionally scrubs every string it serialises against the raw secrets
the engine saw, so a slip in one check cannot leak a token into text, HTML or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Sequence

from hfauth_nb.secrets import scrub

Severity = Literal["error", "warning", "info", "ok"]
SCHEMA = "hfauth/1"

SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2, "ok": 3}

# Most blocking first. Within one severity, a report lists findings in this order, and the verdict
# names the first one: a cause that stops every request (offline, unreachable Hub, a token the Hub
# rejects) outranks one that only matters for this repo.
FINDING_IDS: tuple[str, ...] = (
    "offline-mode",
    "hub-unreachable",
    "oidc-token-active",
    "token-file-unreadable",
    "token-malformed",
    "netrc-overrides-token",
    "token-shadowed",
    "token-invalid",
    "oauth-token-expired",
    "colab-secret-shadowed",
    "colab-secret-not-granted",
    "rate-limited",
    "implicit-token-disabled",
    "no-token",
    "endpoint-changed-after-import",
    "repo-disabled",
    "repo-type-mismatch",
    "repo-not-found",
    "gated-rejected",
    "gated-pending",
    "gated-not-requested",
    "fine-grained-no-gated",
    "fine-grained-scope-missing",
    "token-read-only",
    "namespace-not-owned",
    "org-role-insufficient",
    "access-denied",
    "git-credential-stale",
    "netrc-unusable",
    "netrc-entry",
    "legacy-env-var",
    "env-var-misnamed",
    "colab-secret-kernel-only",
    "endpoint-custom",
    "library-outdated",
    "git-credential-missing",
    "token-leaked",
    "widget-frontend-missing",
    "access-ok",
)
_ID_RANK = {finding_id: rank for rank, finding_id in enumerate(FINDING_IDS)}


@dataclass(frozen=True)
class Finding:
    """One established cause (or the all-clear), with the evidence and the steps that fix it."""

    id: str
    severity: Severity
    title: str
    detail: str = ""
    fix: tuple[str, ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.id not in _ID_RANK:
            raise ValueError(f"unknown finding id {self.id!r}")
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r}")

    def sort_key(self) -> tuple[int, int]:
        return (SEVERITY_RANK[self.severity], _ID_RANK[self.id])

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
    endpoint: str = "https://huggingface.co"

    @property
    def url(self) -> str | None:
        if not self.repo_id:
            return None
        prefix = {"model": "", "dataset": "datasets/", "space": "spaces/"}.get(self.repo_type, "")
        return f"{self.endpoint}/{prefix}{self.repo_id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "repo_id": self.repo_id,
            "repo_type": self.repo_type,
            "write": self.write,
            "revision": self.revision,
            "endpoint": self.endpoint,
            "url": self.url,
        }


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "present": self.present,
            "masked": self.masked,
            "wins": self.wins,
            "valid": self.valid,
            "user": self.user,
            "role": self.role,
            "note": self.note,
        }


@dataclass
class Report:
    """The result of one diagnosis; renders as text, HTML and JSON."""

    target: Target
    token: TokenSummary
    findings: list[Finding]
    sources: Sequence[SourceRow] = ()
    environment: Mapping[str, Any] = field(default_factory=dict)
    timings: Mapping[str, float] = field(default_factory=dict)
    # Raw secret strings seen while diagnosing; used only to scrub output, never serialised or shown.
    secrets: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def __post_init__(self) -> None:
        self.findings = sorted(self.findings, key=Finding.sort_key)

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def verdict(self) -> str:
        """One sentence naming the most blocking cause (or that nothing blocks)."""
        for finding in self.findings:
            if finding.severity in ("error", "warning"):
                return scrub(finding.title, self.secrets)
        for finding in self.findings:
            if finding.id == "access-ok":
                return scrub(finding.title, self.secrets)
        if self.target.repo_id:
            return "No problem found with your Hugging Face setup for this repo."
        return "No problem found with your Hugging Face token setup."

    def finding(self, finding_id: str) -> Finding | None:
        """The finding with this id, if the report has it."""
        return next((f for f in self.findings if f.id == finding_id), None)

    @property
    def ids(self) -> list[str]:
        return [f.id for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        data = {
            "schema": SCHEMA,
            "ok": self.ok,
            "verdict": self.verdict,
            "target": self.target.to_dict(),
            "token": self.token.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "sources": [s.to_dict() for s in self.sources],
            "environment": dict(self.environment),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }
        scrubbed: dict[str, Any] = _scrub_tree(data, self.secrets)
        return scrubbed

    # -- rich display -----------------------------------------------------------------------------
    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from hfauth_nb.render import html, text

        return {
            "text/plain": text.render(self),
            "text/html": html.render(self),
            "application/json": self.to_dict(),
        }

    def __str__(self) -> str:
        from hfauth_nb.render import text

        return text.render(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def _scrub_tree(value: Any, secrets: frozenset[str]) -> Any:
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, dict):
        return {k: _scrub_tree(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub_tree(v, secrets) for v in value]
    return value
