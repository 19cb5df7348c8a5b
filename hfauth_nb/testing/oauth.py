"""The Hub's OAuth token endpoint, as huggingface_hub >= 1.20 uses it to refresh browser logins (facts A1-A5).

`POST /oauth/token` with `grant_type=refresh_token&refresh_token=...&client_id=...` answers a new access token,
its lifetime and a new refresh token. Refresh tokens are single-use here (rotation, the strict reading of A5):
a second use of the same one, or a revoked one, gets 400 `invalid_grant`, so a client that refreshes without
persisting the new refresh token breaks the login, which is exactly what a test must be able to see.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import parse_qs

from hfauth_nb.testing.rules import Reply, json_reply
from hfauth_nb.testing.state import HubState, RefreshGrant

ACCESS_LIFETIME = 30 * 24 * 3600  # PR #4354: access tokens from the device login live 30 days
REFRESH_GRANT = "refresh_token"


def add_login(
    state: HubState, user: str, role: str = "read", expires_at: float | None = None
) -> tuple[str, str]:
    """A browser login as the device flow leaves it: (access token, refresh token)."""
    access = state.add_token(user, role, oauth=True)
    access.expires_at = expires_at if expires_at is not None else time.time() + ACCESS_LIFETIME
    grant = _new_grant(state, user, access.role)
    return access.value, grant.value


def _new_grant(state: HubState, user: str, role: str) -> RefreshGrant:
    value = "hf_rt_" + secrets.token_urlsafe(24)
    grant = state.refresh_grants[value] = RefreshGrant(value=value, user=user, role=role)  # type: ignore[arg-type]
    return grant


def revoke(state: HubState, refresh_token: str) -> None:
    """The user signed out everywhere (or the session expired): the refresh token answers invalid_grant."""
    if refresh_token not in state.refresh_grants:
        raise ValueError("unknown refresh token")
    state.refresh_grants[refresh_token].revoked = True


def _error(code: str, description: str, status: int = 400) -> Reply:
    return json_reply({"error": code, "error_description": description}, status=status)


def handle_token(state: HubState, body: bytes) -> Reply:
    """Exchange a refresh token (the only grant simulated) for a new access token and refresh token."""
    form = {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}
    if form.get("grant_type") != REFRESH_GRANT:
        return _error("unsupported_grant_type", "only refresh_token is simulated")
    grant = state.refresh_grants.get(form.get("refresh_token", ""))
    if grant is None or grant.revoked or grant.used:
        return _error("invalid_grant", "The refresh token is invalid, expired or revoked.")
    grant.used = True
    access = state.add_token(grant.user, grant.role, oauth=True)
    access.expires_at = time.time() + ACCESS_LIFETIME
    rotated = _new_grant(state, grant.user, grant.role)
    return json_reply(
        {
            "access_token": access.value,
            "token_type": "bearer",
            "expires_in": ACCESS_LIFETIME,
            "refresh_token": rotated.value,
        }
    )
