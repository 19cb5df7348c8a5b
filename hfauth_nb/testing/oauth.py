"""The simulated Hub's `POST /oauth/token`: OIDC token exchange (RFC 8693) and OAuth refresh.

huggingface_hub 1.19+ exchanges a CI id token for a short-lived Hub token when `HF_OIDC_RESOURCE` is set
(facts T17, JSON body), and 1.20+ refreshes a stored browser login close to expiry (T18, form body). Both
answer with `{"access_token", "token_type", "expires_in"}`; a grant the Hub does not know, or a revoked or
already used one, gets a 400 with the OAuth error `invalid_grant`, which the library treats as final.

Refresh tokens of a browser login rotate by default (the strict reading of services fact A5): each is
exchanged once for a new access token and a new refresh token, so a client that refreshes without persisting
the new refresh token breaks the login, which a test must be able to see. Non-rotating refresh tokens
(`rotate=False`) serve tests where several processes refresh from copies of one stored login.
"""

from __future__ import annotations

import json
import secrets
import string
import time
from urllib.parse import parse_qs

from hfauth_nb.testing.rules import Reply, json_reply
from hfauth_nb.testing.state import HubState, OidcGrant, RefreshGrant

TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
REFRESH = "refresh_token"
LOGIN_SECONDS = 30 * 24 * 3600  # PR #4354: access tokens from the device login live 30 days
EXCHANGED_SECONDS = 3600  # OIDC tokens live an hour (T17)
_ALPHANUMERIC = string.ascii_letters + string.digits


def new_secret(prefix: str) -> str:
    """A random secret generated at runtime (no token-shaped literal lives in the source)."""
    return prefix + "".join(secrets.choice(_ALPHANUMERIC) for _ in range(34))


def add_login(
    state: HubState, user: str, role: str = "read", expires_at: float | None = None
) -> tuple[str, str]:
    """A browser login as the device flow leaves it: (access token, rotating refresh token)."""
    access = state.add_token(user, role, oauth=True)
    access.expires_at = expires_at if expires_at is not None else time.time() + LOGIN_SECONDS
    return access.value, add_refresh_grant(state, user, role).value


def add_refresh_grant(state: HubState, user: str, role: str = "read", *, rotate: bool = True) -> RefreshGrant:
    if user not in state.users:
        raise ValueError(f"unknown user {user!r}")
    value = new_secret("hf_rt_")
    grant = state.refresh_grants[value] = RefreshGrant(value=value, user=user, role=role, rotate=rotate)  # type: ignore[arg-type]
    return grant


def add_oidc_id_token(state: HubState, user: str, role: str = "write", resource: str | None = None) -> str:
    if user not in state.users:
        raise ValueError(f"unknown user {user!r}")
    id_token = new_secret("eyJ")
    state.oidc_id_tokens[id_token] = OidcGrant(user, role, resource)
    return id_token


def revoke(state: HubState, secret: str) -> None:
    """A refresh token (the user signed out, the session expired) or an id token the Hub no longer accepts."""
    if secret in state.oidc_id_tokens:
        del state.oidc_id_tokens[secret]
    elif secret in state.refresh_grants:
        state.refresh_grants[secret].revoked = True
    else:
        raise ValueError("unknown refresh token or id token")


def _body(raw: bytes) -> dict[str, str]:
    """The request body as a flat dict: JSON (the OIDC exchange) or form-encoded (the refresh)."""
    text = raw.decode("utf-8", "replace").strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return {k: v[0] for k, v in parse_qs(text).items() if v}


def _oauth_error(error: str, description: str) -> Reply:
    return json_reply({"error": error, "error_description": description}, status=400)


def _mint(state: HubState, user: str, role: str, prefix: str, lifetime: int) -> str:
    value = new_secret(prefix)
    state.add_token(user, role, value=value, oauth=True, expires_at=time.time() + lifetime)
    state.minted += 1
    return value


def handle_token(state: HubState, body: bytes) -> Reply:
    """Answer one `POST /oauth/token` (it takes no Authorization: the grant is in the body)."""
    fields = _body(body)
    grant_type = fields.get("grant_type")
    if grant_type == TOKEN_EXCHANGE:
        oidc = state.oidc_id_tokens.get(fields.get("subject_token", ""))
        if oidc is None or (oidc.resource is not None and oidc.resource != fields.get("resource")):
            return _oauth_error("invalid_grant", "The id token is not valid for this resource")
        access = _mint(state, oidc.user, oidc.role, "hf_jwt_", EXCHANGED_SECONDS)
        return json_reply({"access_token": access, "token_type": "bearer", "expires_in": EXCHANGED_SECONDS})
    if grant_type != REFRESH:
        return _oauth_error("unsupported_grant_type", f"Unsupported grant_type: {grant_type!r}")
    grant = state.refresh_grants.get(fields.get("refresh_token", ""))
    if grant is None or grant.revoked or grant.used:
        return _oauth_error("invalid_grant", "The refresh token is invalid, expired or revoked.")
    access = _mint(state, grant.user, grant.role, "hf_oauth_", LOGIN_SECONDS)
    answer: dict[str, object] = {"access_token": access, "token_type": "bearer", "expires_in": LOGIN_SECONDS}
    if grant.rotate:
        grant.used = True
        answer["refresh_token"] = add_refresh_grant(state, grant.user, grant.role).value
    return json_reply(answer)
