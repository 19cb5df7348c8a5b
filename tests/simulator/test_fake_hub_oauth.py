"""FakeHub's `POST /oauth/token`: browser-login refresh grants rotate, revoked or reused ones get invalid_grant;
non-rotating refresh grants and the OIDC exchange, driven by the real library where it has them (OIDC from
1.19) and by plain HTTP everywhere."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import huggingface_hub
import pytest

from hfauth_nb.testing import FakeHub


def _post(hub: FakeHub, body: bytes, content_type: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"{hub.url}/oauth/token", data=body, method="POST", headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def post_refresh(hub: FakeHub, refresh_token: str) -> tuple[int, dict[str, Any]]:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": "test"}
    return _post(hub, urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded")


def whoami_status(hub: FakeHub, token: str) -> int:
    request = urllib.request.Request(f"{hub.url}/api/whoami-v2", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_refresh_rotates_and_a_used_refresh_token_is_refused() -> None:
    with FakeHub() as hub:
        hub.add_user("alice")
        access, refresh = hub.add_oauth_login("alice", expires_at=time.time() - 60)
        assert whoami_status(hub, access) == 401  # expired
        status, answer = post_refresh(hub, refresh)
        assert status == 200 and answer["access_token"].startswith("hf_oauth_")
        assert answer["refresh_token"] != refresh and answer["expires_in"] > 0
        assert whoami_status(hub, answer["access_token"]) == 200
        status, answer = post_refresh(hub, refresh)  # single use
        assert status == 400 and answer["error"] == "invalid_grant"
        assert hub.refresh_calls() == 2


def test_revoked_refresh_token_is_invalid_grant() -> None:
    with FakeHub() as hub:
        hub.add_user("alice")
        access, refresh = hub.add_oauth_login("alice")
        assert whoami_status(hub, access) == 200
        hub.revoke_refresh_token(refresh)
        status, answer = post_refresh(hub, refresh)
        assert status == 400 and answer["error"] == "invalid_grant"


def _whoami(hub: FakeHub, token: str) -> str:
    request = urllib.request.Request(f"{hub.url}/api/whoami-v2", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.loads(response.read())["name"])


def test_oidc_exchange_mints_a_working_jwt_token(fake_hub: FakeHub) -> None:
    fake_hub.add_user("alice")
    id_token = fake_hub.add_oidc_id_token("alice", resource="alice")
    body = json.dumps(
        {
            "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
            "subject_token_type": "urn:ietf:params:oauth:token-type:id_token",
            "subject_token": id_token,
            "resource": "alice",
        }
    ).encode()
    status, answer = _post(fake_hub, body, "application/json")
    assert status == 200 and answer["token_type"] == "bearer" and answer["expires_in"] > 0
    assert answer["access_token"].startswith("hf_jwt_")
    assert _whoami(fake_hub, answer["access_token"]) == "alice"
    assert fake_hub.minted_tokens == 1 and fake_hub.token_owner(answer["access_token"]) == "alice"
    wrong = json.loads(body)
    wrong["resource"] = "someone-else"
    assert _post(fake_hub, json.dumps(wrong).encode(), "application/json") == (
        400,
        {"error": "invalid_grant", "error_description": "The id token is not valid for this resource"},
    )


def test_refresh_mints_new_tokens_until_the_grant_is_revoked(fake_hub: FakeHub) -> None:
    fake_hub.add_user("alice")
    refresh = fake_hub.add_refresh_token("alice")
    form = urllib.parse.urlencode(
        {"grant_type": "refresh_token", "refresh_token": refresh, "client_id": "x"}
    ).encode()
    first = _post(fake_hub, form, "application/x-www-form-urlencoded")
    second = _post(fake_hub, form, "application/x-www-form-urlencoded")  # reusable: never rotated
    assert first[0] == second[0] == 200 and first[1]["access_token"] != second[1]["access_token"]
    assert first[1]["access_token"].startswith("hf_oauth_")
    assert _whoami(fake_hub, second[1]["access_token"]) == "alice"
    fake_hub.revoke_grant(refresh)
    status, answer = _post(fake_hub, form, "application/x-www-form-urlencoded")
    assert status == 400 and answer["error"] == "invalid_grant"
    assert _post(fake_hub, b"grant_type=password", "application/x-www-form-urlencoded")[1]["error"] == (
        "unsupported_grant_type"
    )
    assert [r.path for r in fake_hub.requests].count("/oauth/token") == 4


@pytest.mark.skipif(
    not hasattr(huggingface_hub, "__version__")
    or tuple(int(p) for p in huggingface_hub.__version__.split(".")[:2]) < (1, 19),
    reason="OIDC exchange arrived in huggingface_hub 1.19",
)
def test_library_oidc_exchange_against_fake_hub(fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub._oidc import exchange_oidc_token

    fake_hub.add_user("alice")
    id_token = fake_hub.add_oidc_id_token("alice")
    answer = exchange_oidc_token(subject_token=id_token, resource="alice", endpoint=fake_hub.url)
    assert _whoami(fake_hub, answer["access_token"]) == "alice"
