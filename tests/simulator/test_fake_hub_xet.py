"""The simulated Hub's Xet token route: the token lifetime a test chooses, and a Hub that stops accepting the
caller's token once it has handed out the first Xet token (a mid-download revocation, services fact X7)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from hfauth_nb.testing import FakeHub


def _get(url: str, token: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read()


def test_xet_token_lifetime_and_revocation_after_the_first() -> None:
    with FakeHub() as hub:
        hub.add_user("alice")
        hub.add_repo("alice/xet-model", files={"model.bin": b"x" * 8})
        token = hub.add_token("alice")
        route = f"{hub.url}/api/models/alice/xet-model/xet-read-token/main"
        hub.set_xet_tokens(12)
        status, headers, body = _get(route, token)
        assert status == 200
        left = int(headers["X-Xet-Token-Expiration"]) - time.time()
        assert 0 < left <= 12 and json.loads(body)["exp"] == int(headers["X-Xet-Token-Expiration"])
        assert _get(route, token)[0] == 200  # without revoke_after_first the token keeps working
        hub.set_xet_tokens(12, revoke_after_first=True)
        assert _get(route, token)[0] == 200  # this answer still goes out
        status, _, body = _get(route, token)
        assert status == 401 and "Invalid credentials" in body.decode()
        assert _get(f"{hub.url}/api/whoami-v2", token)[0] == 401  # revoked everywhere, as a real revocation


@pytest.mark.parametrize("seconds", [0, -5, 86401])
def test_xet_token_lifetime_is_validated(seconds: int) -> None:
    with pytest.raises(ValueError, match="lifetime"):
        FakeHub().set_xet_tokens(seconds)
