"""At DEBUG, nothing the HTTP stacks or huggingface_hub log about the tool's own requests is secret.

Runs on whichever stack the interpreter has: httpx2 (newest), httpx, or requests/urllib3 (requests-era).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import pytest

from hfauth_nb.engine.hub import clear_whoami_cache, probe_hub
from hfauth_nb.engine.observe import observe_authorization
from hfauth_nb.engine.transport import backend_name
from hfauth_nb.panel import actions
from hfauth_nb.testing.hub import FakeHub
from hfauth_nb.testing.rules import error_reply

PASSWORD = "Mirr0r!s3cret-pw"  # not token-shaped, with a character a URL must encode


def _with_userinfo(url: str) -> str:
    return url.replace("://", f"://mirroruser:{quote(PASSWORD, safe='')}@", 1)


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    return caplog.text + "\n".join(r.getMessage() for r in caplog.records)


def _assert_clean(text: str, *secrets: str) -> None:
    for secret in (PASSWORD, quote(PASSWORD, safe=""), *secrets):
        assert secret not in text
    for secret in secrets:
        body = secret[3:]
        assert not any(body[i : i + 8] in text for i in range(len(body) - 7)), "a piece of a token was logged"


@pytest.fixture()
def hub(fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> FakeHub:
    clear_whoami_cache()
    fake_hub.add_user("alice")
    fake_hub.add_repo("alice/private", private=True)
    return fake_hub


def _echo(hub: FakeHub, monkeypatch: pytest.MonkeyPatch, token: str) -> None:
    """The server quotes the start of the token it rejects (some proxies and private Hubs do)."""
    runtime = hub._runtime
    dispatch = runtime.dispatch

    def echo(incoming: Any) -> Any:
        if incoming.authorization == f"Bearer {token}":
            return error_reply(401, f"Invalid credentials in Authorization header: {token[:20]}")
        return dispatch(incoming)

    monkeypatch.setattr(runtime, "dispatch", echo)


def test_the_tools_requests_log_no_url_credentials_and_no_token(
    hub: FakeHub, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = hub.add_token("alice")
    bad = "hf_" + "EchoedByTheServerAbcdefghijklmnopq"
    _echo(hub, monkeypatch, bad)
    caplog.set_level(logging.DEBUG)
    facts = probe_hub(
        _with_userinfo(hub.url), [good, bad], sent_token=good, repo_id="alice/private", timeout=10.0
    )
    assert facts.whoami_for(good) is not None and facts.whoami_for(good).valid  # type: ignore[union-attr]
    assert facts.whoami_for(bad) is not None and facts.whoami_for(bad).valid is False  # type: ignore[union-attr]
    # The URL lost its userinfo, so the token itself was sent (credentials in a URL would replace it, N6).
    assert {r.auth_scheme for r in hub.requests} == {"Bearer", None}  # None: the anonymous metadata probe
    assert {r.basic_user for r in hub.requests} == {None}
    assert caplog.records, (
        f"the {backend_name()} stack logged nothing at DEBUG: this test would prove nothing"
    )
    _assert_clean(_logged(caplog), good, bad)


def test_observing_the_header_stays_right_and_logs_no_credentials(
    hub: FakeHub, caplog: pytest.LogCaptureFixture
) -> None:
    token = hub.add_token("alice")
    caplog.set_level(logging.DEBUG)
    observed = observe_authorization(f"{_with_userinfo(hub.url)}/api/whoami-v2", token)
    assert observed.scheme == "Basic"  # fact N6: the URL's credentials replace the Bearer token
    assert observed.basic_login == "mirroruser"
    assert observed.basic_password == PASSWORD
    assert PASSWORD not in repr(observed)
    _assert_clean(_logged(caplog), token)


def test_the_token_box_checks_the_token_itself_and_names_the_endpoint_without_credentials(
    hub: FakeHub, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hfauth_nb import session

    caplog.set_level(logging.DEBUG)
    settings = actions.Settings(timeout=10.0, endpoint=_with_userinfo(hub.url))
    good = hub.add_token("alice")
    try:
        accepted = actions.submit_token(good, settings)
        rejected = actions.submit_token("hf_" + "RejectedByTheHubAbcdefghijklmnopqr", settings)
    finally:
        session.forget()
    assert accepted.ok, accepted.text()
    assert rejected.level == "error" and hub.url in rejected.message
    _assert_clean(accepted.text() + rejected.text() + repr(accepted) + repr(rejected) + _logged(caplog), good)
    monkeypatch.delenv("HF_TOKEN", raising=False)
