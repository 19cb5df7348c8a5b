"""The objects a user holds (Report, Finding, panel Outcome) carry no raw secret in any form."""

from __future__ import annotations

import copy
import dataclasses
import pickle

from hfauth_nb.engine.report import Finding, Report, Target, TokenSummary, secrets_of
from hfauth_nb.panel.actions import Outcome
from hfauth_nb.render import html, markdown, text

INLINE = "hf_" + "InlineHelperTokenAbcdefghijklmnopq"
PASSWORD = "n0t-a-token-pw"  # an endpoint password: not token-shaped
ECHOED = INLINE[:15]  # a server quoting the start of the token


def _report() -> Report:
    findings = [
        Finding(
            id="git-credential-stale",
            severity="warning",
            title="git holds another token",
            detail=f"helper: !f() {{ echo password={INLINE}; }}; f — server said {ECHOED}...",
            fix=(f"git config --global --unset credential.helper '!f() {{ echo password={INLINE}; }}; f'",),
            evidence={"helper": f"!f() {{ echo password={INLINE}; }}; f", "nested": [(PASSWORD,)]},
        ),
        Finding(
            id="endpoint-custom",
            severity="info",
            title="HF_ENDPOINT points to a mirror",
            evidence={"HF_ENDPOINT": f"https://mirroruser:{PASSWORD}@mirror.example"},
        ),
    ]
    return Report(
        target=Target(repo_id="org/name", endpoint="https://mirror.example"),
        token=TokenSummary(source="HF_TOKEN", masked="hf_...wxyz"),
        findings=findings,
        environment={"git_helpers": [f"!f() {{ echo password={INLINE}; }}; f"], "endpoint": "https://x:y@m"},
        secrets=frozenset({INLINE, PASSWORD}),
    )


def _everything(report: Report) -> str:
    parts = [repr(report), str(report), repr(report.findings), repr(dataclasses.asdict(report))]
    parts += [repr(vars(report)), pickle.dumps(report).decode("latin-1"), repr(copy.deepcopy(report))]
    parts += [repr(f) for f in report.findings] + [repr(dataclasses.asdict(f)) for f in report.findings]
    parts += [str(report.to_dict()), str(report._repr_mimebundle_())]
    parts += [text.render(report), html.render(report), markdown.render(report, home="/home/u")]
    return "\n".join(parts)


def test_reprs_asdict_pickle_and_vars_hold_no_secret() -> None:
    shown = _everything(_report())
    for secret in (INLINE, PASSWORD, ECHOED, "x:y@"):
        assert secret not in shown
    assert "hf_...mnopq"[:6] in shown or "hf_..." in shown


def test_the_report_object_keeps_no_raw_secret_attribute() -> None:
    report = _report()
    assert "secrets" not in {f.name for f in dataclasses.fields(report)}
    assert INLINE not in repr(vars(report))
    assert secrets_of(report) == frozenset(
        {INLINE, PASSWORD}
    )  # still known for rendering, outside the object


def test_fields_changed_after_construction_are_still_scrubbed_when_rendered() -> None:
    report = _report()
    report.environment = {**report.environment, "explained": {"url": f"https://u:{PASSWORD}@m/x {INLINE}"}}
    for rendered in (text.render(report), html.render(report), str(report.to_dict()), repr(report)):
        assert PASSWORD not in rendered and INLINE not in rendered


def test_the_stable_interface_still_works() -> None:
    report = _report()
    data = report.to_dict()
    assert data["schema"] == "hfauth/1"
    assert [f["id"] for f in data["findings"]] == ["git-credential-stale", "endpoint-custom"]
    assert set(report._repr_mimebundle_()) == {"text/plain", "text/html"}
    assert report.findings[0].evidence["nested"] == [("********",)]  # types kept, value hidden


def test_a_finding_made_anywhere_drops_token_shapes_and_url_credentials() -> None:
    finding = Finding(
        id="endpoint-custom",
        severity="info",
        title=f"mirror https://u:{PASSWORD}@m",
        evidence={"x": INLINE},
    )
    assert INLINE not in repr(finding) and PASSWORD not in repr(finding)


def test_a_panel_outcome_is_scrubbed_against_its_report() -> None:
    outcome = Outcome("error", f"The Hub at https://u:{PASSWORD}@m rejected {ECHOED}", _report(), (PASSWORD,))
    assert PASSWORD not in outcome.text() and ECHOED not in outcome.text()
