"""Checks on tokens the library obtains by itself: a CI (OIDC) exchange and a browser (OAuth) login."""

from __future__ import annotations

import time

from hfauth_nb.engine.context import Context
from hfauth_nb.engine.report import Finding


def check_oidc_token_active(ctx: Context) -> list[Finding]:
    source = ctx.facts.tokens.source("HF_OIDC_RESOURCE")
    if source is None:
        return []
    env = ctx.facts.env
    if source.state == "refused":
        return [
            Finding(
                id="oidc-token-active",
                severity="error",
                title="HF_OIDC_RESOURCE is set and the Hub refused the OIDC id token exchange, so "
                "huggingface_hub raises instead of using any token.",
                detail=f"{source.note}. With HF_OIDC_RESOURCE set, get_token() exchanges the id token for a "
                "short-lived Hub token and never falls back to HF_TOKEN or the token file.",
                fix=(
                    "unset HF_OIDC_RESOURCE   # to use HF_TOKEN or your login instead",
                    "or check that the id token is fresh and that HF_OIDC_RESOURCE names a repo or user the "
                    "trusted publisher is set up for",
                ),
                evidence={"HF_OIDC_RESOURCE": env.oidc_resource, "HF_OIDC_ID_TOKEN set": env.oidc_id_token},
            )
        ]
    if source.state != "exchange":
        return [
            Finding(
                id="oidc-token-active",
                severity="info",
                title=f"HF_OIDC_RESOURCE is set but huggingface_hub {ctx.facts.library.version} ignores it.",
                detail="Trusted-publisher (OIDC) tokens are supported from huggingface_hub 1.19.",
                fix=("pip install -U 'huggingface_hub>=1.19'   # or unset HF_OIDC_RESOURCE",),
                evidence={"HF_OIDC_RESOURCE": env.oidc_resource},
            )
        ]
    no_id_token = not env.oidc_id_token and not env.github_actions_oidc
    return [
        Finding(
            id="oidc-token-active",
            severity="error" if no_id_token else "warning",
            title=(
                "HF_OIDC_RESOURCE is set but no OIDC id token is available, so huggingface_hub raises instead of "
                "using your token."
                if no_id_token
                else "HF_OIDC_RESOURCE is set: an exchanged CI token takes precedence over HF_TOKEN and your login."
            ),
            detail="With HF_OIDC_RESOURCE set, get_token() exchanges an OIDC id token for a short-lived Hub "
            "token and never falls back to HF_TOKEN or the token file.",
            fix=("unset HF_OIDC_RESOURCE   # to use HF_TOKEN or your login instead",)
            + (("set HF_OIDC_ID_TOKEN to the id token your CI provider minted",) if no_id_token else ()),
            evidence={"HF_OIDC_RESOURCE": env.oidc_resource, "HF_OIDC_ID_TOKEN set": env.oidc_id_token},
        )
    ]


_OAUTH_PREFIX = "hf_oauth_"


def is_oauth_token(ctx: Context, token: str | None) -> bool:
    """`token` is a browser (OAuth) login: whoami says `auth.type == "oauth"` (it then carries no `accessToken`,
    no role and no scopes: services fact Q3), or the token has the OAuth prefix, or it is the stored login's token
    (the winning token file holds it: services facts A1, A6). Never a missing `accessToken` alone."""
    if token is None:
        return False
    answer = ctx.whoami(token)
    auth = answer.data.get("auth") if answer is not None else None
    if isinstance(auth, dict) and auth.get("type") == "oauth":
        return True
    if token.startswith(_OAUTH_PREFIX):
        return True
    login, winner = ctx.facts.tokens.oauth, ctx.winner
    return login is not None and winner is not None and winner.kind == "file" and winner.value == token


_RELOGIN = ("hf auth login   # log in again (in a notebook: from huggingface_hub import login; login())",)


def expired_login_explains(ctx: Context) -> bool:
    """The token sent is a browser login that expired and was not refreshed: oauth-token-expired says why."""
    login = ctx.facts.tokens.oauth
    winner = ctx.winner
    return (
        login is not None
        and winner is not None
        and winner.kind == "file"
        and login.outcome not in ("refreshed", "not-due", "not-used")
        and login.expires_at is not None
        and login.expires_at <= ctx.facts.tokens.now
    )


def check_oauth_token_expired(ctx: Context) -> list[Finding]:
    """A browser (OAuth) login that expired, or is about to, and that huggingface_hub could not refresh (T18; services fact A4).

    A refresh that worked is no finding: the token the library now sends is judged like any other.
    """
    login = ctx.facts.tokens.oauth
    if login is None or login.outcome in ("refreshed", "not-due"):
        return []
    expired = login.expires_at is not None and login.expires_at <= ctx.facts.tokens.now
    when = _utc(login.expires_at)
    in_use = ctx.winner is not None and ctx.winner.kind == "file"
    evidence = {
        "token name": login.name,
        "expires": when,
        "refresh token stored": login.has_refresh,
        "refresh": login.outcome,
        "library": ctx.facts.library.version,
    }
    name = f"Your browser login ({login.name})"
    detail = (
        "Browser (OAuth) logins last a limited time; huggingface_hub 1.20+ refreshes them inside get_token() "
        "with the stored refresh token, from a day before they expire."
    )
    if login.outcome == "revoked":
        return [
            Finding(
                id="oauth-token-expired",
                severity="error" if expired and in_use else "warning",
                title=f"{name} expired on {when} and huggingface_hub could not refresh it: the Hub refused the refresh "
                "token (expired or revoked)."
                if expired
                else f"{name} expires on {when} and can no longer be refreshed: the Hub refused its refresh token.",
                detail=detail
                + " The Hub answered invalid_grant, so only a new login helps; huggingface_hub stops "
                "trying in this session.",
                fix=_RELOGIN,
                evidence=evidence,
            )
        ]
    if login.outcome in ("failed", "pending"):
        return [
            Finding(
                id="oauth-token-expired",
                severity="warning",
                title=f"{name} {'expired' if expired else 'expires'} on {when}; {login.detail}.",
                detail=detail
                + (
                    " A refresh that failed for another reason (network, server error) is retried after 5 minutes."
                    if login.outcome == "failed"
                    else " Run the check again in a moment to see its outcome."
                ),
                fix=("Run the check again in a few minutes.", *_RELOGIN),
                evidence=evidence,
            )
        ]
    if not expired:
        return []
    cannot = login.outcome in ("unsupported", "no-refresh-token")
    reason = f": {login.detail}" if login.detail else ""
    return [
        Finding(
            id="oauth-token-expired",
            severity="error" if in_use and cannot else "warning",
            title=f"{name} expired on {when}"
            + (
                f" and cannot be refreshed{reason}."
                if cannot
                else f"; huggingface_hub will refresh it{reason}."
            ),
            detail=detail,
            fix=_RELOGIN
            + (("pip install -U 'huggingface_hub>=1.20'",) if login.outcome == "unsupported" else ()),
            evidence=evidence,
        )
    ]


def _utc(timestamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp or 0))
