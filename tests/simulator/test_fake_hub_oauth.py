"""The simulated OAuth token endpoint: refresh grants rotate, revoked or reused ones get invalid_grant."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from hfauth_nb.testing import FakeHub


def post_refresh(hub: FakeHub, refresh_token: str) -> tuple[int, dict[str, Any]]:
    body = urllib.parse.urlencode(
        {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": "test"}
    ).encode()
    request = urllib.request.Request(f"{hub.url}/oauth/token", data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


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
