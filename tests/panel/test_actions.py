"""Token box actions against the loopback Hub: validate first, then set; refuse without changing anything."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest

from hfauth_nb.engine.precedence import TokenPrecedence
from hfauth_nb.engine.report import Report, SourceRow, Target, TokenSummary
from hfauth_nb.panel import actions
from hfauth_nb.panel.actions import Settings
from hfauth_nb.secrets import mask
from hfauth_nb.testing.hub import FakeHub


def test_a_valid_token_becomes_the_session_token(hub: FakeHub, settings: Settings, canary: str) -> None:
    hub.add_token("alice", role="write", value=canary)
    outcome = actions.submit_token(f"  {canary}\n", settings)
    assert outcome.level == "ok", outcome.text()
    assert os.environ["HF_TOKEN"] == canary
    assert outcome.report is not None and outcome.report.token.source == "HF_TOKEN"
    assert "(user alice, role write)" in outcome.message
    assert "gone when the kernel restarts" in outcome.text()
    assert canary not in outcome.text()


def test_a_rejected_token_leaves_hf_token_unchanged(
    hub: FakeHub, settings: Settings, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = hub.add_token("alice", role="read")
    monkeypatch.setenv("HF_TOKEN", before)
    hub.add_token("alice", value=canary)
    hub.revoke(canary)
    outcome = actions.submit_token(canary, settings)
    assert outcome.level == "error"
    assert "rejected" in outcome.message and "HF_TOKEN was not changed" in outcome.message
    assert os.environ["HF_TOKEN"] == before
    assert canary not in outcome.text() and mask(canary) in outcome.message


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_hub_refuses_unless_the_check_is_skipped(canary: str) -> None:
    settings = Settings(timeout=2.0, endpoint=f"http://127.0.0.1:{_closed_port()}")
    refused = actions.submit_token(canary, settings)
    assert refused.level == "error" and "Could not check" in refused.message
    assert "HF_TOKEN" not in os.environ
    accepted = actions.submit_token(canary, settings, validate=False)
    assert accepted.level == "ok" and "not checked with the Hub" in accepted.message
    assert os.environ["HF_TOKEN"] == canary


def test_skipping_the_check_still_says_a_token_looks_wrong(settings: Settings) -> None:
    outcome = actions.submit_token('"hf_short"', settings, validate=False)
    assert outcome.level == "warning"
    assert "quotes" in outcome.text()


def test_an_empty_box_changes_nothing(settings: Settings) -> None:
    assert actions.submit_token(" \n ", settings).level == "error"
    assert "HF_TOKEN" not in os.environ


def test_forget_restores_the_previous_token_and_reports_it(
    hub: FakeHub, settings: Settings, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = hub.add_token("alice", role="read")
    monkeypatch.setenv("HF_TOKEN", before)
    hub.add_token("alice", role="write", value=canary)
    assert actions.submit_token(canary, settings).ok
    outcome = actions.forget_token(settings)
    assert outcome.level == "ok" and os.environ["HF_TOKEN"] == before
    assert outcome.report is not None and outcome.report.token.role == "read"


def test_oidc_makes_hf_token_lose_and_the_outcome_says_so(
    hub: FakeHub, settings: Settings, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hfauth_nb.engine.library import has_oidc_support

    if not has_oidc_support():
        pytest.skip("this huggingface_hub has no OIDC exchange (before 1.19): HF_TOKEN wins")
    monkeypatch.setenv("HF_OIDC_RESOURCE", "alice/model")
    hub.add_token("alice", value=canary)
    outcome = actions.submit_token(canary, settings)
    assert outcome.level == "warning"
    assert "HF_OIDC_RESOURCE is set" in outcome.text()


def _report(order: list[str], source: str | None, colab: SourceRow | None) -> Report:
    rows = [SourceRow("HF_TOKEN", True, masked="hf_...abcd")] + ([colab] if colab else [])
    return Report(
        target=Target(),
        token=TokenSummary(source=source, masked="hf_...wxyz" if source else None),
        findings=[],
        sources=rows,
        environment={"token_order": order, "huggingface_hub": "1.18.0"},
        precedence=TokenPrecedence(
            version="1.18.0",
            order=tuple(order),
            winner=source,
            colab_masked=colab.masked if colab is not None and colab.present else None,
        ),
    )


@pytest.mark.parametrize(
    ("colab", "says"),
    [
        (
            SourceRow("Colab secret", True, masked="hf_...wxyz", wins=True),
            "the Colab secret HF_TOKEN (hf_...wxyz)",
        ),
        (SourceRow("Colab secret", False, note="not read"), "if this notebook has access to one"),
    ],
)
def test_a_colab_secret_ranked_first_is_named(colab: SourceRow, says: str) -> None:
    source = "Colab secret" if colab.present else None
    blocker = actions.hf_token_blocker(_report(["colab", "env", "file"], source, colab))
    assert blocker is not None and says in blocker and "! commands" in blocker


def test_no_blocker_when_hf_token_wins() -> None:
    assert actions.hf_token_blocker(_report(["oidc", "env", "file", "colab"], "HF_TOKEN", None)) is None


def test_check_repo_refuses_a_token_in_the_repo_box(settings: Settings, canary: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        actions.check_repo(settings, canary, "model", False)
    assert canary not in str(excinfo.value)


def test_check_repo_runs_the_engine(hub: FakeHub, settings: Settings, canary: str, monkeypatch: Any) -> None:
    hub.add_token("alice", role="read", value=canary)
    hub.add_repo("org/gated", gated="manual")
    monkeypatch.setenv("HF_TOKEN", canary)
    report = actions.check_repo(settings, "https://huggingface.co/org/gated", "model", False)
    assert report.target.repo_id == "org/gated"
    assert "gated-not-requested" in report.ids


@pytest.mark.parametrize(
    "flag, read, skip",
    [("", False, False), ("--colab-secret", True, False), ("--no-colab-secret", False, True)],
)
def test_the_panel_honours_the_colab_secret_flags(
    shell: Any, hub: FakeHub, monkeypatch: pytest.MonkeyPatch, flag: str, read: bool, skip: bool
) -> None:
    """`%hfauth panel --no-colab-secret` keeps the vault closed for every check the panel runs."""
    from hfauth_nb.grammar import requests as req

    asked: list[Any] = []
    real = req.run_check

    def spy(request: Any) -> Report:
        asked.append(request)
        return real(request)

    monkeypatch.setattr(req, "run_check", spy)
    shell.run_line_magic("config", f"HfAuth.endpoint = {hub.url!r}")
    shell.run_line_magic("hfauth", f"{flag} panel".strip())
    assert asked and all((r.read_colab_secret, r.skip_colab_secret) == (read, skip) for r in asked)
