"""Checks on whether the Hub accepts the token in use, and whether another source holds a better one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hfauth_nb.engine.causes import env_var_cause
from hfauth_nb.engine.checks._shared import replace_token_step
from hfauth_nb.engine.checks.hub_answers import auth_probe, credentials_refused
from hfauth_nb.engine.checks.oauth import expired_login_explains
from hfauth_nb.engine.checks.repo import check_repo
from hfauth_nb.engine.checks.write import check_write_intent
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.hub import RepoProbe, auth_check_unsupported
from hfauth_nb.engine.report import Finding
from hfauth_nb.secrets import mask


def check_token_invalid(ctx: Context) -> list[Finding]:
    winner = ctx.winner
    token = ctx.effective
    if winner is None or token is None or expired_login_explains(ctx):
        return []  # an expired browser login that was not refreshed: oauth-token-expired names the fix
    answer = ctx.whoami(token)
    refused = credentials_refused(ctx, token)
    if ctx.valid(token) is not False and refused is None:
        return []
    custom = ctx.facts.endpoint != "https://huggingface.co"
    evidence: dict[str, Any] = {
        "source": winner.name,
        "location": winner.location,
        "masked": mask(token),
        "status": 401,
    }
    if refused is None or (answer is not None and answer.valid is False):
        detail = (
            f"The Hub answered 401 '{answer.http.error_message if answer else ''}'. An invalid token fails even on "
            "public repos: "
            "the Hub does not fall back to anonymous access."
        )
    else:
        probe, anonymous = refused
        evidence["refused request"] = _route(probe)
        evidence["same request without a token"] = anonymous.http.status if anonymous else None
        whoami_said = (
            f"answered {answer.http.status}"
            if answer is not None and answer.http.status
            else "did not answer"
        )
        detail = (
            f"whoami {whoami_said} (a mirror or private Hub may lack the route), but {ctx.facts.endpoint} "
            f"answered 401 '{probe.http.error_message}' to the {_route(probe)} request carrying the token"
            + (
                f", and {anonymous.http.status} to the same request without it"
                if anonymous is not None and anonymous.http.status is not None
                else ""
            )
            + ". A 401 that names the credentials means the token itself is refused; huggingface_hub sends it "
            "with every call, so they all fail."
        )
    return [
        Finding(
            id="token-invalid",
            severity="error",
            title=f"The Hub rejects the token from {ctx.source_label(winner)} ({mask(token)}): it is "
            "revoked, expired or "
            "mistyped" + (f" for {ctx.facts.endpoint}" if custom else "") + ".",
            detail=detail,
            fix=(
                f"Create a new token at {ctx.site('/settings/tokens')}",
                replace_token_step(winner.kind, winner.name),
            ),
            evidence=evidence,
            cause=env_var_cause(winner),
        )
    ]


def _route(probe: RepoProbe) -> str:
    names = {"meta": "repo metadata", "auth-read": "auth-check", "auth-write": "auth-check (write)"}
    return names.get(probe.kind, "file download (resolve)")


def check_token_unverified(ctx: Context) -> list[Finding]:
    """The endpoint has no whoami route, and no repo request judged the token: say it was not checked, rather
    than 'no problem found'."""
    if ctx.hub is None or ctx.sent is None or ctx.target.repo_id:
        return []
    answer = ctx.whoami(ctx.sent)
    if answer is None or not auth_check_unsupported(answer.http):
        return []
    return [
        Finding(
            id="endpoint-custom",
            severity="warning",
            title=f"{ctx.facts.endpoint} has no whoami route, so the token in use could not be checked.",
            detail=f"The server answered {answer.http.status} to /api/whoami-v2 without the Hub's error "
            "code: it is a mirror or a private Hub that lacks the route. Check a repo to judge the token by "
            "a real request.",
            fix=("hfauth check <a repo you need>   # judges the token with that repo's own answer",),
            evidence={"endpoint": ctx.facts.endpoint, "whoami status": answer.http.status},
        )
    ]


def check_token_shadowed(ctx: Context) -> list[Finding]:
    """Sources disagree and the one that wins is not the one that works (or, without Hub answers, not the only one)."""
    winner = ctx.winner
    if winner is None or winner.value is None:
        return []
    others = [
        s for s in ctx.present_sources if s.value != winner.value and s.kind in ("env", "file", "colab")
    ]
    if not others:
        return []
    winner_valid = ctx.valid(winner.value)
    valid_others = [s for s in others if ctx.valid(s.value) is True]
    evidence: dict[str, Any] = {
        "winner": winner.name,
        "order": list(ctx.facts.library.order),
        "decided by": ctx.facts.tokens.resolution.decided_by,
        "sources": {s.name: mask(s.value) for s in [winner, *others]},
    }
    fix = (
        _remove_command(winner) + "   # let the other source win",
        *(
            ("%hfauth fix token-shadowed   # the same, for this kernel only (undo: %hfauth fix --undo)",)
            if winner.kind == "env"
            else ()
        ),
        "or make every source hold the same token",
    )
    order = (
        "huggingface_hub uses the first source that has a token, in this order: "
        + " -> ".join(ctx.facts.library.order)
        + "."
    )
    if winner_valid is False and valid_others:
        better = valid_others[0]
        after = _what_the_shadowed_token_meets(ctx, better)
        if after:
            evidence["with the shadowed token"] = [f.id for f in after]
        return [
            Finding(
                id="token-shadowed",
                severity="error",
                title=f"{_cap(ctx.source_label(winner))} holds a token the Hub rejects, and it wins over the "
                f"valid one in {ctx.source_label(better)}.",
                detail=order
                + (
                    " Removing it is not enough here: with the token from "
                    f"{ctx.source_label(better)} the Hub would still refuse this request ("
                    + ", ".join(f.id for f in after)
                    + ")."
                    if after
                    else ""
                ),
                fix=fix,
                evidence=evidence,
                cause=env_var_cause(winner),
            ),
            *after,
        ]
    better_access = _better_access_elsewhere(ctx, others)
    if better_access is not None:
        return [
            Finding(
                id="token-shadowed",
                severity="error",
                title=f"The token in {ctx.source_label(better_access)} can do this, but "
                f"{ctx.source_label(winner)} wins and its token cannot.",
                detail=order,
                fix=fix,
                evidence=evidence,
                cause=env_var_cause(winner),
            )
        ]
    return [
        Finding(
            id="token-shadowed",
            severity="warning",
            title="Several sources hold different tokens; huggingface_hub uses the one from "
            f"{ctx.source_label(winner)}.",
            detail="Other sources: "
            + ", ".join(ctx.source_label(s) for s in others)
            + ". A login() or a new secret "
            "does not take effect while a higher source holds a token.",
            fix=fix,
            evidence=evidence,
            cause=env_var_cause(winner, proven=False),
        )
    ]


def _what_the_shadowed_token_meets(ctx: Context, source: Any) -> list[Finding]:
    """The repo verdict for a shadowed token, from the answers the probe already has for it (its whoami and
    its auth-check): the second cause a user meets once the rejected token is gone."""
    if ctx.hub is None or not ctx.target.repo_id or ctx.facts.library.implicit_token_disabled:
        return []
    if auth_probe(ctx, source.value) is None:
        return []
    tokens = ctx.facts.tokens
    shadow = Context(
        facts=replace(
            ctx.facts, tokens=replace(tokens, resolution=replace(tokens.resolution, winner=source))
        ),
        target=ctx.target,
        hub=ctx.hub,
    )
    label = ctx.source_label(source)
    found = [*check_repo(shadow), *check_write_intent(shadow)]
    return [
        replace(
            f,
            title=f"Next, with the token from {label}: {f.title[:1].lower()}{f.title[1:]}",
            evidence={**f.evidence, "token": mask(source.value), "after fixing": "token-shadowed"},
        )
        for f in found
        if f.severity in ("error", "warning")
    ]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _remove_command(source: Any) -> str:
    if source.kind == "env":
        return f'import os; os.environ.pop("{source.name}")'
    if source.kind == "file":
        return "hf auth logout   (removes the token file)"
    return "remove the Colab secret HF_TOKEN (key icon) and restart the session"


def _better_access_elsewhere(ctx: Context, others: list[Any]) -> Any:
    """A shadowed source whose token passes the repo's auth-check when the winner's fails."""
    if ctx.hub is None or not ctx.target.repo_id:
        return None
    winner_probe = auth_probe(ctx, ctx.sent)
    if winner_probe is None or winner_probe.http.status in (200, None):
        return None
    for source in others:
        probe = auth_probe(ctx, source.value)
        if probe is not None and probe.http.status == 200:
            return source
    return None
