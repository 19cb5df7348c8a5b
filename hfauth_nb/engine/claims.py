"""What the library's own calls will send, stated so that it can be checked against the library itself.

`environment.library_requests` in the JSON report: for the two kinds of call, whether a request leaves this
process at all and which credential its Authorization header carries. `whoami` always sends the resolved token
(it ignores HF_HUB_DISABLE_IMPLICIT_TOKEN and refuses locally without one); `download` stands for every call
that takes the token implicitly (`hf_hub_download`, `model_info`, `snapshot_download`, ...). The header is the
one the library's own HTTP stack produced (observe.py), so netrc (requests) and credentials in HF_ENDPOINT
(fact N6) are accounted for. The differential test (tests/differential) compares these claims with the
headers the loopback Hub records from the real calls.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from hfauth_nb.engine.context import Context
from hfauth_nb.engine.observe import ObservedAuth, observe_authorization
from hfauth_nb.secrets import mask, mask_secret

# Stands in for a token minted at call time (OIDC exchange), only to see whether the stack keeps a Bearer.
_PLACEHOLDER = "hf_jwt_placeholder"
_HEADER_ERRORS = ("UnicodeEncodeError", "LocalProtocolError", "InvalidHeader")


def library_requests(ctx: Context) -> dict[str, Any]:
    """`{"whoami": claim, "download": claim, "token_endpoint": str | None}` (see the module docstring)."""
    return {
        "whoami": _claim(ctx, whoami=True),
        "download": _claim(ctx, whoami=False),
        "token_endpoint": token_endpoint(ctx),
    }


def _not_sent(blocked_by: str) -> dict[str, Any]:
    return {
        "leaves": False,
        "blocked_by": blocked_by,
        "scheme": None,
        "credential": None,
        "masked": None,
        "minted": False,
    }


def get_token_raises(ctx: Context) -> str | None:
    """Why the library's `get_token()` raises here (None when it returns): an unreadable token file (T4),
    `HF_OIDC_RESOURCE` without an id token (T17), or an error the library raised when we called it."""
    resolution = ctx.facts.tokens.resolution
    if resolution.winner is None and resolution.blocked and "raise" in resolution.blocked:
        return resolution.blocked
    if ctx.oidc_wins and not os.environ.get("HF_OIDC_ID_TOKEN") and _oidc_provider() is None:
        return "HF_OIDC_RESOURCE is set but no OIDC id token is available (get_token() raises OIDCError)"
    return None


def _oidc_provider() -> Any:
    """The CI provider the library would mint an id token from (its own detection; env reads only)."""
    try:
        return importlib.import_module("huggingface_hub._oidc").detect_provider()
    except Exception:
        return None


def token_endpoint(ctx: Context) -> str | None:
    """Which call to `{endpoint}/oauth/token` resolving the token makes, if any: an OIDC exchange or an OAuth
    refresh (both happen inside get_token(), before any Hub request)."""
    if ctx.facts.library.offline:
        return None
    oidc = ctx.facts.tokens.source("HF_OIDC_RESOURCE")
    if (ctx.oidc_wins and get_token_raises(ctx) is None) or (oidc is not None and oidc.state == "refused"):
        return "oidc-exchange"  # a refused exchange still leaves, then get_token() raises
    if oauth_refresh_due(ctx):
        return "oauth-refresh"
    return None


_REFRESH_TRIED = ("refreshed", "revoked", "failed", "pending")


def oauth_refresh_due(ctx: Context) -> bool:
    """The winning token file held a stored OAuth login due for refresh when the check started, so the
    library's get_token() POSTs a refresh before its first request (T18; sources.py let the library do it)."""
    login = ctx.facts.tokens.oauth
    return login is not None and login.outcome in _REFRESH_TRIED


def oauth_token_minted(ctx: Context) -> bool:
    """The token the library sends is one its refresh mints at call time (not the one stored at the start)."""
    login = ctx.facts.tokens.oauth
    return login is not None and login.outcome in ("refreshed", "pending")


def _calls_get_token(ctx: Context, whoami: bool) -> bool:
    """Whether the call resolves the token at all: whoami always; implicit calls as the context says."""
    return whoami or ctx.implicit_calls_resolve_token


def _claim(ctx: Context, *, whoami: bool) -> dict[str, Any]:
    lib = ctx.facts.library
    if not lib.installed:
        return _not_sent("huggingface_hub is not installed")
    if lib.offline:
        return _not_sent("offline mode")
    fifo = ctx.facts.netrc.blocks_requests
    if fifo is not None and lib.backend == "requests":
        return _not_sent(f"requests waits forever reading {fifo} while preparing the request")
    if _calls_get_token(ctx, whoami):
        raises = get_token_raises(ctx)
        if raises is not None:
            return _not_sent(raises)
    token = ctx.effective if whoami else ctx.sent
    minted = ctx.oidc_wins and (whoami or not lib.implicit_token_disabled)
    if whoami and token is None and not minted:
        return _not_sent("no token: whoami refuses locally without one")
    if minted:
        observed = observe_authorization(_endpoint_url(ctx), _PLACEHOLDER)
    elif token == ctx.facts.tokens.effective and not whoami and ctx.facts.observed is not None:
        observed = ctx.facts.observed  # already observed for this very token while gathering facts
    else:
        observed = observe_authorization(_endpoint_url(ctx), token)
    if observed.error in _HEADER_ERRORS:
        return _not_sent(f"the token cannot be put in an HTTP header ({observed.error})")
    return _describe(ctx, observed, token, minted=minted or (token is not None and oauth_token_minted(ctx)))


def _endpoint_url(ctx: Context) -> str:
    """The whoami URL on the endpoint as the library has it, credentials in the URL included (N6)."""
    raw = ctx.facts.endpoint
    if ctx.facts.endpoint_login is not None:
        scheme, _, rest = raw.partition("://")
        password = ctx.facts.endpoint_password
        userinfo = ctx.facts.endpoint_login + (f":{password}" if password is not None else "")
        raw = f"{scheme}://{userinfo}@{rest}"
    return f"{raw}/api/whoami-v2"


def _describe(ctx: Context, observed: ObservedAuth, token: str | None, *, minted: bool) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "leaves": True,
        "blocked_by": None,
        "scheme": observed.scheme,
        "credential": None,
        "masked": None,
        "minted": False,
    }
    if observed.error is not None:
        claim["blocked_by"] = f"not observed: {observed.error}"
    if observed.scheme == "Bearer":
        winner = ctx.winner
        claim["credential"] = winner.name if winner is not None else None
        claim["minted"] = minted
        claim["masked"] = None if minted else mask(token)
    elif observed.scheme == "Basic":
        claim["credential"], claim["masked"] = _basic_credential(ctx, observed)
    return claim


def _basic_credential(ctx: Context, observed: ObservedAuth) -> tuple[str | None, str | None]:
    """Whose user:password the Basic header carries: HF_ENDPOINT's userinfo or a netrc entry."""
    facts = ctx.facts
    if (
        facts.endpoint_login is not None
        and observed.basic_login == facts.endpoint_login
        and (observed.basic_password or None) == (facts.endpoint_password or None)
    ):
        return "HF_ENDPOINT", mask_secret(facts.endpoint_password)
    for netrc_file, entry in facts.netrc.entries:
        if "requests" in " ".join(netrc_file.used_by) and (entry.login or "") == (observed.basic_login or ""):
            return f"netrc ({netrc_file.path})", mask_secret(entry.password)
    return "unknown", mask_secret(observed.basic_password)
