"""Helpers for the front-end tests: hand-built reports and a stand-in for the engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from hfauth_nb.engine.report import Finding, Report, SourceRow, Target, TokenSummary
from hfauth_nb.grammar import requests as request_module
from hfauth_nb.secrets import mask

# Token-shaped (hf_ + 34 letters) but never valid anywhere; assembled so no source line holds it whole.
CANARY = "hf_" + "CanaryTokenDoNotLeak" + "Abcdefghijklmn"
# A secret that is not token-shaped (a netrc password): only the secrets the report was built with can scrub it.
NETRC_SECRET = "n3trc&<pass>'word"
HOME = "/home/alice"


def make_report(
    *,
    findings: list[Finding] | None = None,
    repo_id: str | None = "alice/private-model",
    user: str | None = "alice",
) -> Report:
    """A report whose text carries everything a renderer must neutralise: HTML, secrets, home paths."""
    if findings is None:
        findings = [
            Finding(
                id="token-invalid",
                severity="error",
                title="The Hub rejects the token in HF_TOKEN",
                detail=(
                    f"Server said: <script>alert('x')</script> for {CANARY}.\n"
                    f"The token file {HOME}/.cache/huggingface/token holds another one; "
                    f"netrc password {NETRC_SECRET}."
                ),
                fix=("hf auth login", "unset HF_TOKEN\nhf auth whoami"),
                evidence={"status": 401, "source": "HF_TOKEN", "sent": CANARY, "path": f"{HOME}/.netrc"},
            ),
            Finding(id="legacy-env-var", severity="warning", title="HUGGING_FACE_HUB_TOKEN is set"),
            Finding(id="endpoint-custom", severity="info", title="HF_ENDPOINT points to a mirror"),
        ]
    return Report(
        target=Target(repo_id=repo_id, write=True, revision="main" if repo_id else None),
        token=TokenSummary(source="HF_TOKEN", masked=mask(CANARY), user=user, role="read"),
        findings=findings,
        sources=(
            SourceRow("HF_TOKEN", True, masked=mask(CANARY), wins=True, valid=False, note="revoked <b>"),
            SourceRow("token file", True, masked="hf_...wxyz", valid=True, user=user, role="write"),
            SourceRow("HUGGING_FACE_HUB_TOKEN", False),
        ),
        environment={"huggingface_hub": "2.4.0", "home": HOME, "runtime": "jupyter"},
        timings={"local": 0.012, "hub": 0.25},
        secrets=frozenset({CANARY, NETRC_SECRET}),
    )


def ok_report() -> Report:
    """A report with no error: the CLI exits 0 for it."""
    return make_report(
        findings=[Finding(id="access-ok", severity="ok", title="The token can write to alice/private-model")]
    )


@dataclass
class FakeEngine:
    """Stands in for `hfauth_nb.grammar.requests.run_check`: records each request, returns `report` or raises."""

    report: Report = field(default_factory=make_report)
    error: BaseException | None = None
    calls: list[request_module.CheckRequest] = field(default_factory=list)

    def __call__(self, request: request_module.CheckRequest) -> Report:
        self.calls.append(request)
        if self.error is not None:
            raise self.error
        return self.report
