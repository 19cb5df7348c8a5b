"""explain(exc) on services beyond repo files: real exceptions from real huggingface_hub / hf_xet calls against the
loopback Hub (Xet storage host refusing or out of reach, the Xet token route, Space admin routes with a browser
login), then the service, the target and the cause are named. No check sends a request that changes a Space."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Iterator

import pytest
from huggingface_hub import HfApi, hf_hub_download

from hfauth_nb.engine.api import diagnose, find_failed_request, find_service_failure
from hfauth_nb.secrets import mask
from hfauth_nb.testing import FakeHub
from hfauth_nb.watch import service_failed
from hfauth_nb.why import explain
from tests.explain.calls import raised

XET_REPO = "alice/xet-model"
SPACE = "alice/demo-space"


@pytest.fixture()
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """alice's read token in HF_TOKEN; a model with a Xet-backed file; a gated model with one too; her Space.
    HF_ENDPOINT points at the loopback Hub before huggingface_hub reads it (the conftest restores the env)."""
    with FakeHub() as fake:
        fake.add_user("alice")
        fake.add_repo(XET_REPO, files={"model.bin": b"x" * 64})
        fake.add_xet_file(XET_REPO, "model.bin")
        fake.add_repo("meta-llama/Gated", gated="manual", files={"model.bin": b"y" * 64})
        fake.add_xet_file("meta-llama/Gated", "model.bin")
        fake.add_repo(SPACE, repo_type="space", files={"app.py": b"print(1)"})
        monkeypatch.setenv("HF_TOKEN", fake.add_token("alice", role="read"))
        monkeypatch.setenv("HF_XET_TELEMETRY_ENABLED", "0")
        monkeypatch.setenv("HF_XET_CLIENT_RETRY_MAX_ATTEMPTS", "1")  # an unreachable host fails at once
        yield fake


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _download(hub: FakeHub, repo_id: str, cache: Path) -> BaseException:
    return raised(lambda: hf_hub_download(repo_id, "model.bin", endpoint=hub.url, cache_dir=cache))


def _no_space_writes(hub: FakeHub) -> None:
    writes = [
        r for r in hub.requests if r.path.startswith("/api/spaces/") and r.method not in ("GET", "HEAD")
    ]
    assert writes == [], writes


def test_storage_host_refusal_is_not_the_hub_token(hub: FakeHub, tmp_path: Path) -> None:
    exc = _download(hub, XET_REPO, tmp_path)
    paths = [r.path for r in hub.requests]
    assert any("/xet-read-token/" in p for p in paths) and any(
        p.startswith("/v2/reconstructions/") for p in paths
    )
    report = explain(exc, timeout=5)
    assert report.ids[0] == "xet-storage-refused", report.ids
    finding = report.findings[0]
    assert finding.evidence["service"] == "Xet storage" and finding.evidence["repo"] == XET_REPO
    import importlib.metadata

    assert finding.evidence["hf_xet"] == importlib.metadata.version("hf_xet")
    assert "token-invalid" not in report.ids and "no-token" not in report.ids
    assert report.target.repo_id == XET_REPO  # the repo check ran read-only on the repo the call named
    assert "HF_HUB_DISABLE_XET" in " ".join(finding.fix)
    assert service_failed(exc)  # watch shows it too


def _token_route_asks(hub: FakeHub) -> list[tuple[int | None, str | None]]:
    return [(r.status, r.token) for r in hub.requests if "/xet-read-token/" in r.path]


def test_storage_refusal_asks_the_token_route_again(hub: FakeHub, tmp_path: Path) -> None:
    """explain() asks the Hub's Xet token route once with the token the library sends (services fact X6): a Hub that
    still hands it a Xet token is evidence that the Hub token is fine; the minted Xet token never reaches the report."""
    exc = _download(hub, XET_REPO, tmp_path)
    hub.clear_requests()
    report = explain(exc, timeout=5)
    assert _token_route_asks(hub) == [(200, os.environ["HF_TOKEN"])]
    finding = report.findings[0]
    assert str(finding.evidence["Xet token route now"]).startswith("200")
    assert "still hands your token a Xet token" in finding.detail
    assert "xet_" not in json.dumps(report.to_dict()) and "xet_" not in repr(report)


def test_storage_refusal_with_a_token_refused_now(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exc = _download(hub, XET_REPO, tmp_path)
    # The user pasted another token since, one the Hub rejects.
    monkeypatch.setenv("HF_TOKEN", "hf_" + "R" * 34)
    hub.clear_requests()
    report = explain(exc, timeout=5)
    assert [status for status, _ in _token_route_asks(hub)] == [401]
    assert report.ids[0] == "token-invalid", report.ids  # the token the kernel holds now is the first problem
    finding = next(f for f in report.findings if f.id == "xet-storage-refused")
    assert "now refuses your token" in finding.title
    assert str(finding.evidence["Xet token route now"]).startswith("401")


def test_only_a_failed_xet_transfer_asks_the_token_route(hub: FakeHub) -> None:
    """A Xet token is minted only to explain a Xet failure: an ordinary check of the same repo never asks for one."""
    hub.clear_requests()
    report = diagnose(XET_REPO, timeout=5, endpoint=hub.url)
    assert any("/auth-check" in r.path for r in hub.requests), report.ids  # the repo was probed
    assert _token_route_asks(hub) == []


def test_storage_host_unreachable_is_the_network(hub: FakeHub, tmp_path: Path) -> None:
    hub.set_storage(f"http://127.0.0.1:{_unused_port()}")
    exc = _download(hub, XET_REPO, tmp_path)
    report = explain(exc, timeout=5)
    assert report.ids[0] == "xet-unreachable", report.ids
    assert report.findings[0].evidence["repo"] == XET_REPO
    # line 1 names the host a firewall rule would name, not the file's reconstruction URL (kept in the evidence)
    title = report.findings[0].title
    assert "the Xet storage host http://127.0.0.1:" in title and "/v2/" not in title, title
    assert "/v2/reconstructions/" in str(report.findings[0].evidence["storage host"])


def _refused_refresh(hub: FakeHub, cache: Path) -> BaseException:
    """A Xet token that lives 10 s (under hf_xet's 30 s margin, so it is renewed before the first storage request,
    services fact X7) and a Hub that stops accepting the user's token once it has handed that Xet token out."""
    hub.set_xet_tokens(10, revoke_after_first=True)
    exc = _download(hub, XET_REPO, cache)
    asks = [(r.status, r.token) for r in hub.requests if "/xet-read-token/" in r.path]
    user_token = os.environ["HF_TOKEN"]
    assert asks == [(200, user_token), (401, user_token)], asks  # the renewal carried the user's own token
    assert not any(r.path.startswith("/v2/") for r in hub.requests)  # refused before any storage request
    return exc


def _renewed_by_python() -> bool:
    """huggingface_hub 0.x renews the Xet token in a Python callback that hf_xet calls; 1.x/2.x let hf_xet ask."""
    import huggingface_hub

    return huggingface_hub.__version__.startswith("0.")


@pytest.mark.parametrize("oauth", [False, True], ids=["classic-token", "browser-login"])
def test_refused_xet_refresh_is_the_hub_token(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, oauth: bool
) -> None:
    """Revoked, rotated or an expired login during the download: unlike the storage host's 401, this is the token."""
    if oauth:
        monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="read", oauth=True))
    exc = _refused_refresh(hub, tmp_path)
    text = str(exc)
    assert "Token refresh failed" in text
    if _renewed_by_python():  # hf_xet wraps the callback's HfHubHTTPError, which carries the Hub's words
        assert isinstance(exc, ConnectionError) and "HfHubHTTPError" in text, repr(exc)
    else:
        assert type(exc) is RuntimeError and "401 Unauthorized" in text, repr(exc)
    failure = find_service_failure(exc, find_failed_request(exc))
    assert failure is not None and failure.kind == "xet-refresh-refused" and failure.status == 401
    assert failure.renewed_by == ("huggingface_hub" if _renewed_by_python() else "hf_xet")
    report = explain(exc, timeout=5)
    assert report.ids[0] == "xet-renewal-refused", report.ids
    finding = report.findings[0]
    assert finding.evidence["service"] == "Xet storage" and finding.evidence["repo"] == XET_REPO
    assert finding.evidence["accepted now"] is False  # whoami, asked now, rejects it too
    assert "HF_TOKEN" in finding.title and "/settings/tokens" in " ".join(finding.fix)
    assert "token-invalid" in report.ids and "xet-storage-refused" not in report.ids
    assert report.target.repo_id == XET_REPO
    assert os.environ["HF_TOKEN"] not in json.dumps(report.to_dict())
    assert service_failed(exc)  # watch shows it


def test_refused_xet_refresh_with_a_token_that_works_now(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exc = _refused_refresh(hub, tmp_path)
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="read"))  # the user made a new token since
    report = explain(exc, timeout=5)
    assert report.ids[0] == "xet-renewal-refused", report.ids
    assert report.findings[0].evidence["accepted now"] is True
    assert "token-invalid" not in report.ids


def test_token_route_refusal_is_an_ordinary_hub_answer(hub: FakeHub) -> None:
    """The token route follows the Hub's rules: a gated repo fails there with the Hub's gated error."""
    import huggingface_hub
    from huggingface_hub.utils import _xet, build_hf_headers

    if not hasattr(_xet, "refresh_xet_connection_info"):  # 1.2x reaches the route through other helpers
        pytest.skip(f"huggingface_hub {huggingface_hub.__version__} has no refresh_xet_connection_info")
    XetFileData, refresh_xet_connection_info = _xet.XetFileData, _xet.refresh_xet_connection_info

    route = f"{hub.url}/api/models/meta-llama/Gated/xet-read-token/main"
    file_data = XetFileData(file_hash="0" * 64, refresh_route=route)
    exc = raised(lambda: refresh_xet_connection_info(file_data=file_data, headers=build_hf_headers()))
    found = find_failed_request(exc)
    assert found is not None and found.repo_id == "meta-llama/Gated" and not found.write
    failure = find_service_failure(exc, found)
    assert failure is not None and failure.kind == "xet-token-route"
    report = explain(exc, timeout=5)
    assert report.ids[0] == "gated-not-requested", report.ids
    assert not service_failed(exc)  # a Hub answer: watch's Hub rule catches it, not the service one


def test_gated_xet_file_fails_at_the_hub_before_storage(hub: FakeHub, tmp_path: Path) -> None:
    exc = _download(hub, "meta-llama/Gated", tmp_path)
    assert not any(r.path.startswith("/v2/") for r in hub.requests)
    assert explain(exc, timeout=5).ids[0] == "gated-not-requested"


def test_space_reads_accept_a_browser_login(hub: FakeHub) -> None:
    api = HfApi(endpoint=hub.url, token=hub.add_token("alice", role="write", oauth=True))
    assert api.space_info(SPACE).id == SPACE
    assert api.get_space_runtime(SPACE).stage == "RUNNING"
    _no_space_writes(hub)


def test_space_admin_refuses_a_browser_login(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    oauth = hub.add_token("alice", role="write", oauth=True)
    monkeypatch.setenv("HF_TOKEN", oauth)
    # The user's own call (the simulated Hub refuses it before anything changes); explain() then only reads.
    exc = raised(lambda: HfApi(endpoint=hub.url).restart_space(SPACE))
    hub.clear_requests()
    report = explain(exc, timeout=5)
    assert report.ids[0] == "space-admin-oauth-refused", report.ids
    assert report.findings[0].evidence["Space"] == SPACE
    assert "restart_space" in " ".join(report.findings[0].fix)
    assert "oauth-permissions-unknown" in report.ids
    assert report.target.repo_id == SPACE and report.target.repo_type == "space" and not report.target.write
    assert "repo-not-found" not in report.ids  # the library's missing-repo reading is not repeated
    _no_space_writes(hub)
    assert hub.requests, "explain asked the Hub"


@pytest.mark.parametrize("passed_oauth", [True, False], ids=["browser-login-passed", "classic-token-passed"])
def test_space_admin_refusal_is_judged_on_the_token_the_call_passed(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, passed_oauth: bool
) -> None:
    """HfApi(token=...) carries a token no local source holds: the refusal is judged on it, not on the local one
    (a browser login passed beside a classic HF_TOKEN, and the reverse)."""
    hub.add_user("bob")  # his classic token may not restart alice's Space: the call fails either way
    oauth, classic = hub.add_token("alice", role="write", oauth=True), hub.add_token("bob", role="write")
    passed, local = (oauth, classic) if passed_oauth else (classic, oauth)
    monkeypatch.setenv("HF_TOKEN", local)
    exc = raised(lambda: HfApi(endpoint=hub.url, token=passed).restart_space(SPACE))
    hub.clear_requests()  # the user's own call; explain() then only reads
    report = explain(exc, timeout=5)
    assert ("space-admin-oauth-refused" in report.ids) is passed_oauth, report.ids
    if passed_oauth:
        assert report.ids[0] == "space-admin-oauth-refused", report.ids
        assert report.findings[0].evidence["token sent"] == mask(passed)
    _no_space_writes(hub)


def test_space_admin_with_a_classic_token_is_not_the_oauth_cause(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="write"))
    HfApi(endpoint=hub.url).pause_space(SPACE)  # the simulated Hub accepts it and changes nothing
    hub.add_user("bob")
    monkeypatch.setenv("HF_TOKEN", hub.add_token("bob", role="write"))
    exc = raised(lambda: HfApi(endpoint=hub.url).restart_space(SPACE))
    hub.clear_requests()
    report = explain(exc, timeout=5)
    assert "space-admin-oauth-refused" not in report.ids and "oauth-permissions-unknown" not in report.ids
    _no_space_writes(hub)


def test_zerogpu_sign_up_text_means_anonymous() -> None:
    """The quota error as text, as a Space sends it (services fact Z2); no gradio_client call raises it here."""
    exc = ValueError(
        "The upstream Gradio app has raised an exception: You have exceeded your GPU quota (60s requested vs. "
        '56s left). <a href="https://huggingface.co/join">Create a free account</a> to get more usage quota.'
    )
    failure = find_service_failure(exc)
    assert failure is not None and failure.kind == "zerogpu-signup" and failure.service == "ZeroGPU"
    assert service_failed(exc)


def test_gradio_client_refusals_name_the_space_host() -> None:
    """The text reading alone, for stacks without gradio_client (colab): its two refusal texts (services fact G3)
    raised by stand-ins of the same class name and message read as the Space host refusing. Real
    `gradio_client.Client(...)` calls against the simulated Space host are in test_spaces_gradio.py."""

    class AuthenticationError(ValueError):
        pass

    for exc in (
        AuthenticationError(
            "Could not load alice/private-space as credentials were not provided. Please login."
        ),
        ValueError("Could not fetch config for alice/private-space"),
    ):
        failure = find_service_failure(exc)
        assert failure is not None and failure.kind == "space-host", exc
        assert failure.target == "alice/private-space" and failure.service == "Spaces"
    paused = ValueError(
        "The current space is in the invalid state: PAUSED. Please contact the owner to fix this."
    )
    failure = find_service_failure(paused)
    assert failure is not None and failure.kind == "space-stage" and failure.stage == "PAUSED"
    assert not service_failed(paused)  # not an auth error: watch stays quiet
