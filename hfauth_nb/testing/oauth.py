"""The simulated Hub's `POST /oauth/token`: OIDC token exchange (RFC 8693) and OAuth refresh.

huggingface_hub 1.19+ exchanges a CI id token for a short-lived Hub token when `HF_OIDC_RESOURCE` is set
(facts T17, JSON body), and 1.20+ refreshes a stored OAuth login close to expiry (T18, form body). Both
answer with `{"access_token", "token_type", "expires_in"}`; a grant the Hub does not know gets a 400 with
the OAuth error `invalid_grant`, which the library treats as final. Refresh tokens are not rotated, so
several processes may refresh from the same stored login (as the differential tests do).
"""

from __future__ import annotations

import json
import secrets
import string
import time
from dataclasses import dataclass
from urllib.parse import parse_qs

from hfauth_nb.testing.rules import Reply, json_reply
from hfauth_nb.testing.state import HubState

TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
REFRESH = "refresh_token"
ACCESS_TOKEN_SECONDS = 3600
_ALPHANUMERIC = string.ascii_letters + string.digits


@dataclass(frozen=True)
class Grant:
    """What an id token or a refresh token stands for: a user and the role of the tokens it yields."""

    user: str
    role: str = "read"
    resource: str | None = None  # OIDC only: the resource it is valid for (None = any)


@dataclass
class OAuthGrants:
    """Known OIDC id tokens and refresh tokens, and how many tokens each minted."""

    id_tokens: dict[str, Grant]
    refresh_tokens: dict[str, Grant]
    minted: int = 0


def new_secret(prefix: str) -> str:
    """A random secret generated at runtime (no token-shaped literal lives in the source)."""
    return prefix + "".join(secrets.choice(_ALPHANUMERIC) for _ in range(34))


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


def handle_token(state: HubState, grants: OAuthGrants, body: bytes) -> Reply:
    """Answer one `POST /oauth/token`."""
    fields = _body(body)
    grant_type = fields.get("grant_type")
    if grant_type == TOKEN_EXCHANGE:
        grant = grants.id_tokens.get(fields.get("subject_token", ""))
        if grant is None or (grant.resource is not None and grant.resource != fields.get("resource")):
            return _oauth_error("invalid_grant", "The id token is not valid for this resource")
        prefix = "hf_jwt_"
    elif grant_type == REFRESH:
        grant = grants.refresh_tokens.get(fields.get("refresh_token", ""))
        if grant is None:
            return _oauth_error("invalid_grant", "The refresh token is invalid, expired or revoked")
        prefix = "hf_oauth_"
    else:
        return _oauth_error("unsupported_grant_type", f"Unsupported grant_type: {grant_type!r}")
    value = new_secret(prefix)
    state.add_token(
        grant.user, grant.role, value=value, oauth=True, expires_at=time.time() + ACCESS_TOKEN_SECONDS
    )
    grants.minted += 1
    return json_reply({"access_token": value, "token_type": "bearer", "expires_in": ACCESS_TOKEN_SECONDS})
