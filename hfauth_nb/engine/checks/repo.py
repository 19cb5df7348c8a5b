"""The repo verdict: what the auth-check answered for the target repo, and which cause explains it.

The gate and the write permission have modules of their own; this one decides which of them speaks."""

from __future__ import annotations

from hfauth_nb.engine.checks._shared import calls_fail_locally, why_anonymous
from hfauth_nb.engine.checks.gated import fine_grained_refusal, gate_findings
from hfauth_nb.engine.checks.hub_answers import (
    INVALID_CREDENTIALS,
    auth_probe,
    credentials_refused,
    repo_meta,
    repo_word,
    transport_failure,
)
from hfauth_nb.engine.checks.write import (
    fine_grained_scope_gap,
    forbidden,
    unexplained_refusal,
    write_problems,
)
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.hub import Whoami
from hfauth_nb.engine.report import Finding
from hfauth_nb.hub_refs import REPO_TYPES

_DISABLED = "access to this resource is disabled"


def check_repo(ctx: Context) -> list[Finding]:
    """The repo verdict from the auth-check with the token the library sends; other checks own some causes."""
    target = ctx.target
    if ctx.hub is None or not target.repo_id or transport_failure(ctx) is not None:
        return []
    probe = auth_probe(ctx, ctx.sent)
    if probe is None or probe.http.status is None:
        return []
    http = probe.http
    status, code, message = http.status, (http.error_code or ""), http.error_message
    low = message.lower()
    sent_whoami = ctx.whoami(ctx.sent)
    if ctx.sent is None and ctx.implicit_calls_resolve_token and calls_fail_locally(ctx) is not None:
        # The library's own calls raise before sending anything (an unreadable token file, a refused OIDC
        # exchange): what an anonymous probe met is not what they meet; the local finding names the cause.
        return []
    if status == 200:
        missing_revision = _revision_missing(ctx)
        if missing_revision is not None:
            return [_revision_not_found(ctx, missing_revision)]
        observed = ctx.facts.observed
        if observed is not None and observed.replaced:
            # The token alone can, but the library's own calls carry other credentials (netrc or HF_ENDPOINT's
            # user:password): no access-ok beside the finding that names them (netrc-overrides-token / endpoint).
            return []
        return [_access_ok(ctx, sent_whoami)]
    if status == 429 or (status is not None and status >= 500):
        return []  # reported by rate-limited / hub-unreachable
    if ctx.sent is not None and (
        ctx.valid(ctx.sent) is False
        or (status == 401 and INVALID_CREDENTIALS in low)
        or credentials_refused(ctx, ctx.sent) is not None
    ):
        return []  # token-invalid names the cause
    if _DISABLED in low or _disabled_in_meta(ctx):
        return [_repo_disabled(ctx, message)]
    if code == "GatedRepo":
        return gate_findings(ctx, status, message, sent_whoami)
    no_gated_access = fine_grained_refusal(ctx, status, message, sent_whoami)
    if no_gated_access is not None:
        return [no_gated_access]
    if code == "RevisionNotFound":
        return [_revision_not_found(ctx, message)]
    if status in (401, 404) or code == "RepoNotFound":
        return _not_found(ctx, status, sent_whoami)
    if status == 403:
        return forbidden(ctx, message, sent_whoami)
    return [unexplained_refusal(ctx, status, code, message)]


def _access_ok(ctx: Context, whoami: Whoami | None) -> Finding:
    target = ctx.target
    action = "write to" if target.write else "read"
    who = f" as {whoami.user}" if whoami and whoami.user else (" without a token" if ctx.sent is None else "")
    title = f"You can {action} {target.repo_type} {target.repo_id}{who}."
    if ctx.call_token is not None and ctx.call_token != ctx.sent:
        title = title[:-1] + " with the token this kernel resolves (the failing call passed another one)."
    return Finding(
        id="access-ok",
        severity="ok",
        title=title,
        detail="The Hub's auth-check for this repo answered 200 with the token huggingface_hub resolves.",
        fix=(),
        evidence={"repo": target.repo_id, "type": target.repo_type, "write": target.write},
    )


def _revision_missing(ctx: Context) -> str | None:
    """The Hub's message when the repo exists but the asked revision does not (auth-check ignores revisions)."""
    if not ctx.target.revision or ctx.hub is None:
        return None
    probe = ctx.hub.probe("meta", ctx.target.repo_type, ctx.sent)
    if probe is not None and probe.http.error_code == "RevisionNotFound":
        return probe.http.error_message
    return None


def _disabled_in_meta(ctx: Context) -> bool:
    for token in (ctx.sent, None):
        meta = repo_meta(ctx, ctx.target.repo_type, token)
        if meta and meta.get("disabled"):
            return True
    return False


def _repo_disabled(ctx: Context, message: str) -> Finding:
    return Finding(
        id="repo-disabled",
        severity="error",
        title=f"{ctx.target.repo_id} has been disabled on the Hub; nobody can download it, whatever the "
        "token.",
        detail=f"The Hub answered: '{message or 'Access to this resource is disabled.'}'. Repos are disabled "
        "by the Hub staff (e.g. after a policy or legal report).",
        fix=("Use another repo or contact the authors / website@huggingface.co.",),
        evidence={"repo": ctx.target.repo_id, "X-Error-Message": message or None},
    )


def _revision_not_found(ctx: Context, message: str) -> Finding:
    return Finding(
        id="repo-not-found",
        severity="error",
        title=f"{ctx.target.repo_id} has no revision {ctx.target.revision!r}.",
        detail=f"The Hub answered RevisionNotFound: '{message}'.",
        fix=(f"See the branches and tags at {ctx.target.url}/tree/main",),
        evidence={"repo": ctx.target.repo_id, "revision": ctx.target.revision},
    )


def _exists_as(ctx: Context) -> list[str]:
    """Other repo types under which this id answers 200 (with the sent token)."""
    return [t for t in REPO_TYPES if t != ctx.target.repo_type and repo_meta(ctx, t, ctx.sent) is not None]


def _not_found(ctx: Context, status: int | None, whoami: Whoami | None) -> list[Finding]:
    target = ctx.target
    elsewhere = _exists_as(ctx)
    if elsewhere:
        other = elsewhere[0]
        flag = {
            "dataset": "--type dataset / repo_type='dataset'",
            "space": "--type space / repo_type='space'",
        }.get(other, "--type model")
        return [
            Finding(
                id="repo-type-mismatch",
                severity="error",
                title=f"{target.repo_id} is a {repo_word(other)}, not a {repo_word(target.repo_type)}.",
                detail="The Hub keeps models, datasets and Spaces apart; the same id under the wrong type "
                "answers 'Repository not found'.",
                fix=(f"Pass {flag} (e.g. hf_hub_download(..., repo_type='{other}')).",),
                evidence={"asked": target.repo_type, "exists as": elsewhere},
            )
        ]
    findings: list[Finding] = []
    exists = (
        repo_meta(ctx, target.repo_type, ctx.sent) is not None
        or repo_meta(ctx, target.repo_type, None) is not None
    )
    if ctx.sent is None:
        why = (
            "writing needs a token."
            if exists
            else f"{target.repo_id} is private or does not exist, and no token was sent."
        )
        findings.append(why_anonymous(ctx, why))
        if exists:
            return findings  # the repo is there: the missing token is the whole story
    # A cause that explains the miss (the token cannot reach this namespace, or cannot write there) comes first;
    # "not found" then stays as a warning: the repo may exist and be private.
    explained = write_problems(ctx, whoami) if target.write else []
    scope = fine_grained_scope_gap(ctx, whoami, write=False)
    if scope is not None and not any(f.id == scope.id for f in explained):
        explained.insert(0, scope)
    findings += explained
    user = whoami.user if whoami else None
    findings.append(
        Finding(
            id="repo-not-found",
            severity="warning" if explained else "error",
            title=f"{target.repo_id} does not exist as a {repo_word(target.repo_type)}, or it is private and "
            + (f"{user} cannot see it." if user else "this request cannot see it."),
            detail="The Hub answers 'Repository not found' both for ids that do not exist (check spelling and case) and for "
            "private repos the token has no access to."
            + (" To create it, use create_repo() with a token that can write there." if target.write else ""),
            fix=(
                f"Check the id at {ctx.site('/' + (target.repo_id or ''))} (typo? other namespace?)",
                "If it is private, use a token of an account that is a member of its owner.",
            ),
            evidence={"repo": target.repo_id, "type": target.repo_type, "status": status, "user": user},
        )
    )
    return findings
