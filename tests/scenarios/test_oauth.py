"""Browser (OAuth) logins that huggingface_hub >= 1.20 refreshes inside get_token() (fact T18; services facts A1-A5).

The login is what the device flow leaves on disk: an `hf_oauth_` token in the token file and a stored_tokens
section with its refresh token and expiry. The loopback Hub rejects an expired access token (401) and answers
`POST /oauth/token` once per refresh token (rotation). Each report must name the token the library will send,
and the user's login must still work after the check: a library call in a new process succeeds.
"""

from __future__ import annotations

import configparser
import json
import os
import subprocess
import sys
import time
from typing import Iterator

import huggingface_hub
import pytest

from hfauth_nb.engine import library
from hfauth_nb.secrets import mask
from tests.scenarios.conftest import Outcome, Scenario

REFRESHES = library.version_tuple(huggingface_hub.__version__) >= (1, 20, 0)
needs_refresh = pytest.mark.skipif(not REFRESHES, reason="huggingface_hub refreshes browser logins from 1.20")
HOUR = 3600


@pytest.fixture(autouse=True)
def fresh_refresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The library caches its refresh decision per process; each test is a new kernel."""
    auth = library.auth_module()
    monkeypatch.setattr(auth, "_OAUTH_REFRESH_CACHE", None, raising=False)
    monkeypatch.setattr(auth, "_OAUTH_REFRESH_WARNED", False, raising=False)
    yield


def browser_login(scenario: Scenario, expires_in: float, role: str = "read") -> tuple[str, str]:
    """What `hf auth login` (device flow) writes: the token file and an [oauth-alice] stored_tokens section."""
    expires_at = time.time() + expires_in
    access, refresh = scenario.hub.add_oauth_login("alice", role, expires_at=expires_at)
    scenario.secrets += [access, refresh]
    scenario.token_file(access)
    stored_tokens(scenario).write_text(
        f"[oauth-alice]\nhf_token = {access}\nrefresh_token = {refresh}\nexpires_at = {int(expires_at)}\n"
    )
    return access, refresh


def stored_tokens(scenario: Scenario) -> os.PathLike[str]:
    return scenario.token_path.parent / "stored_tokens"  # type: ignore[return-value]


def stored_login(scenario: Scenario) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(stored_tokens(scenario))
    fields = dict(parser.items("oauth-alice"))
    scenario.secrets += [fields["hf_token"], fields["refresh_token"]]
    return fields


def library_call_in_a_new_process() -> subprocess.CompletedProcess[str]:
    """A later notebook session using the stored login: whoami() through the library's own token resolution."""
    code = "import huggingface_hub as h; print(h.whoami()['name'])"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=os.environ.copy()
    )


def assert_names(out: Outcome, token: str) -> None:
    assert out.data["token"]["source"] == "token file"
    assert out.data["token"]["masked"] == mask(token), out.data["token"]
    row = next(s for s in out.data["sources"] if s["name"] == "token file")
    assert row["wins"] and row["masked"] == mask(token)


@needs_refresh
def test_expired_login_with_a_working_refresh(scenario: Scenario, frontend: str) -> None:
    old, old_refresh = browser_login(scenario, expires_in=-HOUR)
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model")
    new = scenario.token_path.read_text()
    scenario.secrets.append(new)
    refreshed = new != old
    assert refreshed, "the library did not refresh the login during the check"
    assert out.data["ok"] is True, out.data["verdict"]
    assert "token-invalid" not in out.ids and "oauth-token-expired" not in out.ids
    assert_names(out, new)
    assert out.data["token"]["user"] == "alice"
    assert "huggingface_hub refreshed your login" in out.data["environment"]["token_decided_by"]
    assert out.data["environment"]["oauth_login"]["refresh"] == "refreshed"
    assert "refreshed" in next(s for s in out.data["sources"] if s["name"] == "token file")["note"]
    assert scenario.hub.refresh_calls() == 1
    # The login is left working: the rotated refresh token was stored by the library, the new token is used.
    login = stored_login(scenario)
    rotated = login["hf_token"] == new and login["refresh_token"] != old_refresh
    assert rotated, "stored_tokens does not hold the refreshed login"
    later = library_call_in_a_new_process()
    assert later.returncode == 0 and later.stdout.strip() == "alice", later.stderr[-2000:]
    assert scenario.hub.refresh_calls() == 1


@needs_refresh
def test_login_within_the_refresh_window_names_the_refreshed_token(scenario: Scenario, frontend: str) -> None:
    old, _ = browser_login(scenario, expires_in=5 * HOUR)
    out = scenario.run(frontend)
    new = scenario.token_path.read_text()
    scenario.secrets.append(new)
    refreshed = new != old
    assert refreshed, "the library did not refresh the login during the check"
    assert_names(out, new)
    assert out.data["ok"] is True and "oauth-token-expired" not in out.ids
    later = library_call_in_a_new_process()
    assert later.returncode == 0 and later.stdout.strip() == "alice", later.stderr[-2000:]


@needs_refresh
def test_expired_login_whose_refresh_is_revoked(scenario: Scenario, frontend: str) -> None:
    old, refresh = browser_login(scenario, expires_in=-HOUR)
    scenario.hub.revoke_refresh_token(refresh)
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model")
    unchanged = scenario.token_path.read_text() == old
    assert unchanged, "the check changed the token file"
    finding = out.finding("oauth-token-expired")
    assert out.ids[0] == "oauth-token-expired" and finding["severity"] == "error"
    assert any("hf auth login" in step for step in finding["fix"])
    assert finding["evidence"]["refresh"] == "revoked"
    assert "token-invalid" not in out.ids  # not "create a new token": log in again
    assert_names(out, old)
    assert out.data["ok"] is False


@needs_refresh
def test_login_within_the_window_whose_refresh_is_revoked_still_works(
    scenario: Scenario, frontend: str
) -> None:
    old, refresh = browser_login(scenario, expires_in=5 * HOUR)
    scenario.hub.revoke_refresh_token(refresh)
    out = scenario.run(frontend)
    assert_names(out, old)
    finding = out.finding("oauth-token-expired")
    assert finding["severity"] == "warning" and "can no longer be refreshed" in finding["title"]
    assert out.data["ok"] is True
    later = library_call_in_a_new_process()
    assert later.returncode == 0 and later.stdout.strip() == "alice", later.stderr[-2000:]


@needs_refresh
def test_login_not_yet_due_is_left_alone(scenario: Scenario, frontend: str) -> None:
    old, _ = browser_login(scenario, expires_in=48 * HOUR)
    out = scenario.run(frontend)
    assert scenario.hub.refresh_calls() == 0
    unchanged = scenario.token_path.read_text() == old
    assert unchanged, "the check changed the token file"
    assert_names(out, old)
    assert out.data["environment"]["oauth_login"]["refresh"] == "not-due"


@needs_refresh
def test_magic_report_matches_the_library_in_the_same_kernel(scenario: Scenario) -> None:
    """In the kernel, the library's own get_token() after the check returns the token the report named."""
    browser_login(scenario, expires_in=-HOUR)
    out = scenario.magic()
    resolved = library.auth_module().get_token()  # type: ignore[union-attr]
    assert out.data["token"]["masked"] == mask(resolved)
    same = resolved == scenario.token_path.read_text()
    assert same, "the library resolves another token than the token file"


@needs_refresh
def test_refresh_that_does_not_answer_in_time(scenario: Scenario, frontend: str) -> None:
    """The Hub does not answer the refresh: the check returns under its deadline and says so."""
    old, _ = browser_login(scenario, expires_in=-HOUR)
    scenario.hub.fail("^/oauth/token$", "stall")
    out = scenario.run(frontend, "--timeout", "2")
    finding = out.finding("oauth-token-expired")
    assert finding["severity"] == "warning" and finding["evidence"]["refresh"] == "pending"
    assert "still refreshing" in out.data["environment"]["token_decided_by"]
    assert_names(out, old)
    unchanged = scenario.token_path.read_text() == old
    assert unchanged, "the check changed the token file"


@pytest.mark.skipif(REFRESHES, reason="versions before 1.20 never refresh a browser login")
def test_expired_login_on_a_version_that_cannot_refresh(scenario: Scenario, frontend: str) -> None:
    """A HOME shared with a newer install: huggingface_hub < 1.20 sends the expired token as it is."""
    browser_login(scenario, expires_in=-HOUR)
    out = scenario.run(frontend)
    finding = out.finding("oauth-token-expired")
    assert finding["severity"] == "error" and finding["evidence"]["refresh"] == "unsupported"
    assert any("hf auth login" in step for step in finding["fix"])
    assert scenario.hub.refresh_calls() == 0


@needs_refresh
def test_status_names_the_refreshed_token(scenario: Scenario) -> None:
    """`hfauth status` goes through the same door as check: no token-invalid, the refreshed token named."""
    browser_login(scenario, expires_in=-HOUR)
    proc = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", "status", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    new = scenario.token_path.read_text()
    scenario.secrets.append(new)
    for secret in scenario.secrets:
        assert secret not in proc.stdout + proc.stderr, "a raw token leaked"
    data = json.loads(proc.stdout)
    assert proc.returncode == 0 and data["ok"] is True, data["verdict"]
    assert data["token"]["masked"] == mask(new) and data["token"]["user"] == "alice"
    assert all(f["id"] != "token-invalid" for f in data["findings"])
