"""Pure checks over what the Hub answered: identity, token validity, and why a repo answers 401/403/404.

Classification follows the facts reference (3.1-3.3): status first, then `X-Error-Code`, then the token's
whoami data; exact message text is used only where it is the sole signal (gated pending/rejected, fine-grained
gated access, disabled repos).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from hfauth_nb.engine.causes import env_var_cause
from hfauth_nb.engine.checks_local import (
    calls_fail_locally,
    check_colab_secret_not_granted,
    expired_login_explains,
    implicit_token_finding,
    no_token_finding,
    replace_token_step,
)
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.hub import REPO_TYPES, RepoProbe, Whoami, auth_check_unsupported
from hfauth_nb.engine.report import Finding, Severity, Target
from hfauth_nb.engine.transport import HttpResult
from hfauth_nb.secrets import mask

Check = Callable[[Context], list[Finding]]

_INVALID_CREDENTIALS = "invalid credentials"
_DISABLED = "access to this resource is disabled"
_FINE_GRAINED_GATED = "enable access to public gated repositories"
_TRANSPORT_WORDS = {
    "timeout": "did not answer in time",
    "dns": "could not be resolved (DNS)",
    "refused": "refused the connection",
    "proxy": "could not be reached through the proxy",
    "tls": "failed the TLS/certificate check",
    "connection": "could not be reached",
    "offline": "was not contacted (offline mode)",
    "other": "could not be reached",
}


# -- reachability ------------------------------------------------------------------------------------


def _all_results(ctx: Context) -> list[HttpResult]:
    hub = ctx.hub
    if hub is None:
        return []
    return [w.http for w in hub.whoami.values()] + [p.http for p in hub.repo]


def _answered(result: HttpResult) -> bool:
    """The Hub answered, or the request never left this process (a token unfit for a header)."""
    return result.status is not None or result.error_kind == "header"


def _transport_failure(ctx: Context) -> HttpResult | None:
    """The first transport failure when the Hub gave no usable answer to the probes that matter."""
    results = _all_results(ctx)
    failures = [r for r in results if r.status is None and r.error_kind != "header"]
    if not failures:
        return None
    essential = _essential(ctx)
    if essential and all(_answered(r) for r in essential):
        return None
    return failures[0]


def _essential(ctx: Context) -> list[HttpResult]:
    """The answers a verdict rests on: whoami of the sent token, and the auth-check with it."""
    out = []
    sent_whoami = ctx.whoami(ctx.sent)
    if sent_whoami is not None:
        out.append(sent_whoami.http)
    auth = _auth_probe(ctx, ctx.sent)
    if auth is not None:
        out.append(auth.http)
    return out


def check_hub_unreachable(ctx: Context) -> list[Finding]:
    failure = _transport_failure(ctx)
    if failure is None:
        results = _all_results(ctx)
        server_errors = [r for r in _essential(ctx) if r.status is not None and r.status >= 500]
        if not server_errors:
            return []
        first = server_errors[0]
        auth = _auth_probe(ctx, ctx.sent)
        # The repo's own answer decides the verdict when it came back; a failed whoami then only hides the identity.
        repo_answered = auth is not None and auth.http.status is not None and auth.http.status < 500
        return [
            Finding(
                id="hub-unreachable",
                severity="warning" if repo_answered else "error",
                title=f"{ctx.facts.endpoint} answered with a server error ({first.status}); this is not a token problem.",
                detail="The Hub (or a proxy in front of it) failed; retry in a few minutes and check "
                "https://status.huggingface.co.",
                fix=("Retry later.",),
                evidence={"status": first.status, "answers": len(results)},
            )
        ]
    env = ctx.facts.env
    kind = failure.error_kind or "other"
    local = _local_cause(ctx, kind)
    if local is not None:
        return [local]
    if env.proxy_url and kind in ("refused", "dns", "connection"):
        kind = "proxy"  # the connection that failed was the one to the proxy
    proxy_note = f" (proxy at {env.proxy_url} from {env.proxy})" if env.proxy_url else ""
    fixes = {
        "timeout": "Check your network or proxy; raise the budget with --timeout (or %config HfAuth.timeout = 15).",
        "dns": f"Check the host name in HF_ENDPOINT ({ctx.facts.endpoint}) and your DNS/network.",
        "refused": f"Nothing listens at {ctx.facts.endpoint}: check HF_ENDPOINT and any local proxy.",
        "proxy": f"Check the proxy in {env.proxy or 'HTTPS_PROXY'} (host, port, credentials) or unset it.",
        "tls": _tls_fix(ctx),
        "offline": "unset HF_HUB_OFFLINE and restart the kernel.",
    }
    return [
        Finding(
            id="hub-unreachable",
            severity="error",
            title=f"The Hub at {ctx.facts.endpoint} {_TRANSPORT_WORDS.get(kind, 'could not be reached')}{proxy_note}; "
            "this is a network problem, not a token problem.",
            detail=f"No HTTP answer came back: {failure.error}.",
            fix=(fixes.get(kind, "Check your network connection, proxy and HF_ENDPOINT."),),
            evidence={
                "kind": kind,
                "error": failure.error,
                "proxy": env.proxy_url,
                "proxy variable": env.proxy,
                "endpoint": ctx.facts.endpoint,
            },
        )
    ]


def _local_cause(ctx: Context, kind: str) -> Finding | None:
    """A failure caused by this machine's settings, named as such: a proxy variable that is not a URL, a CA
    bundle variable naming a missing file. No request reached the network, so it is not a network problem."""
    env = ctx.facts.env
    if env.proxy_error and kind not in ("timeout", "offline"):
        return Finding(
            id="hub-unreachable",
            severity="error",
            title=f"{env.proxy} is not a usable proxy URL ({env.proxy_error}): no request left this machine; this is a "
            "local setting, not a network or token problem.",
            detail=f"huggingface_hub's HTTP client reads {env.proxy} and cannot connect through it.",
            fix=(f"Fix {env.proxy} (http://host:port) or unset it, then restart the kernel.",),
            evidence={"kind": "proxy-setting", "proxy variable": env.proxy, "problem": env.proxy_error},
        )
    text = _first_failure_text(ctx)
    no_file = any(words in text for words in ("No such file", "CA certificate bundle, invalid path"))
    if env.ca_missing and (kind == "tls" or no_file):
        variable, path = env.ca_missing[0]
        return Finding(
            id="hub-unreachable",
            severity="error",
            title=f"{variable} names {path}, which does not exist: no TLS connection can start; this is a local "
            "setting, not a network or token problem.",
            detail=f"The HTTP client loads the CA certificates from {variable} before connecting.",
            fix=(f"Point {variable} at your CA bundle file, or unset it (then restart the kernel).",),
            evidence={"kind": "ca-file-missing", "variable": variable, "path": path},
        )
    return None


def _first_failure_text(ctx: Context) -> str:
    failure = _transport_failure(ctx)
    return failure.error or "" if failure is not None else ""


def _tls_fix(ctx: Context) -> str:
    backend = ctx.facts.library.backend
    if backend == "requests":
        return (
            "Point REQUESTS_CA_BUNDLE at your organisation's CA bundle (huggingface_hub < 1.0 uses requests)."
        )
    return (
        f"Point SSL_CERT_FILE at your organisation's CA bundle: huggingface_hub {ctx.facts.library.version} uses "
        f"{backend}, which ignores REQUESTS_CA_BUNDLE."
    )


# -- rate limits -------------------------------------------------------------------------------------


def check_rate_limited(ctx: Context) -> list[Finding]:
    limited = [r for r in _all_results(ctx) if r.status == 429]
    if not limited:
        return []
    first = limited[0]
    reset = first.rate_limit_reset
    return [
        Finding(
            id="rate-limited",
            severity="warning",
            title="The Hub answered 429 Too Many Requests"
            + (f": retry in {reset} s." if reset else ".")
            + " This says nothing about your token.",
            detail="Rate limits are counted per token or IP over 5-minute windows; whoami is limited strictly.",
            fix=("Wait for the window to reset, then run the check again.",),
            evidence={
                "RateLimit": first.headers.get("ratelimit"),
                "RateLimit-Policy": first.headers.get("ratelimit-policy"),
            },
        )
    ]


# -- token validity ----------------------------------------------------------------------------------


def check_token_invalid(ctx: Context) -> list[Finding]:
    winner = ctx.winner
    token = ctx.effective
    if winner is None or token is None or expired_login_explains(ctx):
        return []  # an expired browser login that was not refreshed: oauth-token-expired names the fix
    answer = ctx.whoami(token)
    refused = _credentials_refused(ctx, token)
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
            title=f"The Hub rejects the token from {ctx.source_label(winner)} ({mask(token)}): it is revoked, expired or "
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


def _credentials_refused(ctx: Context, token: str) -> tuple[RepoProbe, RepoProbe | None] | None:
    """A repo request carrying `token` that the server answered 401 naming the credentials, with the same request
    sent without a token (when the probe sent one). Used when whoami cannot tell (a mirror without the route,
    a rate limit): every route that answers 401 'invalid credentials' is evidence, not only auth-check."""
    if ctx.hub is None or not ctx.target.repo_id:
        return None
    for probe in ctx.hub.repo:
        if probe.token != token or probe.http.status != 401:
            continue
        if _INVALID_CREDENTIALS not in probe.http.error_message.lower():
            continue
        return probe, ctx.hub.probe(probe.kind, probe.repo_type, None)
    return None


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
            detail=f"The server answered {answer.http.status} to /api/whoami-v2 without the Hub's error code: it is a "
            "mirror or a private Hub that lacks the route. Check a repo to judge the token by a real request.",
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
    if winner_valid is False and valid_others:
        better = valid_others[0]
        after = _what_the_shadowed_token_meets(ctx, better)
        if after:
            evidence["with the shadowed token"] = [f.id for f in after]
        return [
            Finding(
                id="token-shadowed",
                severity="error",
                title=f"{_cap(ctx.source_label(winner))} holds a token the Hub rejects, and it wins over the valid one in "
                f"{ctx.source_label(better)}.",
                detail="huggingface_hub uses the first source that has a token, in this order: "
                + " -> ".join(ctx.facts.library.order)
                + "."
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
                title=f"The token in {ctx.source_label(better_access)} can do this, but {ctx.source_label(winner)} wins and "
                "its token cannot.",
                detail="huggingface_hub uses the first source that has a token, in this order: "
                + " -> ".join(ctx.facts.library.order)
                + ".",
                fix=fix,
                evidence=evidence,
                cause=env_var_cause(winner),
            )
        ]
    return [
        Finding(
            id="token-shadowed",
            severity="warning",
            title=f"Several sources hold different tokens; huggingface_hub uses the one from {ctx.source_label(winner)}.",
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
    if _auth_probe(ctx, source.value) is None:
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
    winner_probe = _auth_probe(ctx, ctx.sent)
    if winner_probe is None or winner_probe.http.status in (200, None):
        return None
    for source in others:
        probe = _auth_probe(ctx, source.value)
        if probe is not None and probe.http.status == 200:
            return source
    return None


# -- repo verdicts -----------------------------------------------------------------------------------


def _auth_probe(ctx: Context, token: str | None) -> RepoProbe | None:
    if ctx.hub is None:
        return None
    kind = "auth-write" if ctx.target.write else "auth-read"
    probe = ctx.hub.probe(kind, ctx.target.repo_type, token)
    if probe is not None and auth_check_unsupported(probe.http):
        # No auth-check route on this server: judge reads by /resolve/, writes by whoami (check_write_intent).
        return ctx.hub.probe("resolve", ctx.target.repo_type, token)
    return probe


def _meta(ctx: Context, repo_type: str, token: str | None) -> dict[str, Any] | None:
    probe = ctx.hub.probe("meta", repo_type, token) if ctx.hub is not None else None
    if probe is None or probe.http.status != 200:
        return None
    data = probe.http.json
    return data if isinstance(data, dict) else {}


def _repo_word(repo_type: str) -> str:
    return {"model": "model", "dataset": "dataset", "space": "Space"}[repo_type]


def check_repo(ctx: Context) -> list[Finding]:
    target = ctx.target
    if ctx.hub is None or not target.repo_id or _transport_failure(ctx) is not None:
        return []
    probe = _auth_probe(ctx, ctx.sent)
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
        or (status == 401 and _INVALID_CREDENTIALS in low)
        or _credentials_refused(ctx, ctx.sent) is not None
    ):
        return []  # token-invalid names the cause
    if _DISABLED in low or _disabled_in_meta(ctx):
        return [_repo_disabled(ctx, message)]
    if code == "GatedRepo":
        return _gated(ctx, status, message, sent_whoami)
    if status == 403 and (_FINE_GRAINED_GATED in low or _fine_grained_blocks_gated(ctx, sent_whoami)):
        return [_fine_grained_no_gated(ctx, message)]
    if code == "RevisionNotFound":
        return [_revision_not_found(ctx, message)]
    if status in (401, 404) or code == "RepoNotFound":
        return _not_found(ctx, status, sent_whoami)
    if status == 403:
        return _forbidden(ctx, message, sent_whoami)
    return [
        Finding(
            id="access-denied",
            severity="error",
            title=f"The Hub refused this request with {status}: {message or 'no message'}.",
            detail="The answer does not match a known cause.",
            fix=(f"Open {target.url} in a browser while logged in to see what the Hub says.",),
            evidence={"status": status, "X-Error-Code": code or None, "X-Error-Message": message or None},
        )
    ]


def _access_ok(ctx: Context, whoami: Whoami | None) -> Finding:
    target = ctx.target
    action = "write to" if target.write else "read"
    who = f" as {whoami.user}" if whoami and whoami.user else (" without a token" if ctx.sent is None else "")
    title = f"You can {action} {target.repo_type} {target.repo_id}{who}."
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
        meta = _meta(ctx, ctx.target.repo_type, token)
        if meta and meta.get("disabled"):
            return True
    return False


def _repo_disabled(ctx: Context, message: str) -> Finding:
    return Finding(
        id="repo-disabled",
        severity="error",
        title=f"{ctx.target.repo_id} has been disabled on the Hub; nobody can download it, whatever the token.",
        detail=f"The Hub answered: '{message or 'Access to this resource is disabled.'}'. Repos are disabled by the Hub "
        "staff (e.g. after a policy or legal report).",
        fix=("Use another repo or contact the authors / website@huggingface.co.",),
        evidence={"repo": ctx.target.repo_id, "X-Error-Message": message or None},
    )


def _gate_mode(ctx: Context) -> str | None:
    for token in (ctx.sent, None):
        meta = _meta(ctx, ctx.target.repo_type, token)
        if meta is not None:
            gated = meta.get("gated")
            return str(gated) if gated else None
    return None


def _gated(ctx: Context, status: int | None, message: str, whoami: Whoami | None) -> list[Finding]:
    target = ctx.target
    # Judge the Hub's sentence without the repo id in it: "org/rejected-samples" says nothing about the gate.
    low = message.replace(target.repo_id or "", "<repo>").lower()
    page = target.url or ""
    mode = _gate_mode(ctx)
    mode_note = {
        "manual": " The authors review each request by hand.",
        "auto": " Access is granted as soon as you accept the terms.",
    }.get(mode or "", "")
    evidence = {"status": status, "X-Error-Code": "GatedRepo", "X-Error-Message": message, "gated": mode}
    findings: list[Finding] = []
    if ctx.sent is None:
        return [_why_anonymous(ctx, f"{target.repo_id} is gated and the request carried no token.")]
    user = whoami.user if whoami else None
    as_user = f" as {user}" if user else ""
    if "awaiting a review" in low:
        findings.append(
            Finding(
                id="gated-pending",
                severity="error",
                title=f"Your request to access {target.repo_id} is still pending{as_user}: the authors have not reviewed it yet.",
                detail="Gated repos with manual approval stay closed until the authors accept the request; nothing on your "
                "side can speed it up.",
                fix=(
                    f"Check the request's status at {page}",
                    "Wait for the authors' e-mail, then run the check again.",
                ),
                evidence=evidence,
            )
        )
    elif "has been rejected" in low or "was rejected" in low:
        findings.append(
            Finding(
                id="gated-rejected",
                severity="error",
                title=f"Your request to access {target.repo_id} was rejected by the repo's authors{as_user}.",
                detail="A rejected request cannot be sent again from the same account.",
                fix=(f"See {page} and contact the authors if you think this is a mistake.",),
                evidence=evidence,
            )
        )
    else:
        findings.append(
            Finding(
                id="gated-not-requested",
                severity="error",
                title=f"You have not asked for access to the gated {_repo_word(target.repo_type)} {target.repo_id}{as_user}: "
                f"open {page} and accept its terms.",
                detail="Gated repos show their files only to accounts whose access request was accepted."
                + mode_note,
                fix=(
                    f"Open {page}, log in as {user or 'the token owner'}, and click the access request / accept button.",
                ),
                evidence=evidence,
            )
        )
    if _fine_grained_blocks_gated(ctx, whoami):
        findings.append(_fine_grained_no_gated(ctx, "", severity="warning"))
    return findings


def _fine_grained_blocks_gated(ctx: Context, whoami: Whoami | None) -> bool:
    if whoami is None or whoami.role != "fineGrained":
        return False
    return whoami.fine_grained.get("canReadGatedRepos") is not True and _gate_mode(ctx) is not None


def _fine_grained_no_gated(ctx: Context, message: str, severity: Severity = "error") -> Finding:
    return Finding(
        id="fine-grained-no-gated",
        severity=severity,
        title="Your fine-grained token is not allowed to read gated repos: enable 'Read access to contents of all public "
        "gated repos you can access' for it.",
        detail="Fine-grained tokens need that switch even when your account has been granted access to the repo."
        + (f" The Hub answered: '{message}'." if message else ""),
        fix=(f"Edit the token at {ctx.site('/settings/tokens')} and tick the gated-repos permission.",),
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
    return [t for t in REPO_TYPES if t != ctx.target.repo_type and _meta(ctx, t, ctx.sent) is not None]


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
                title=f"{target.repo_id} is a {_repo_word(other)}, not a {_repo_word(target.repo_type)}.",
                detail="The Hub keeps models, datasets and Spaces apart; the same id under the wrong type answers 'Repository "
                "not found'.",
                fix=(f"Pass {flag} (e.g. hf_hub_download(..., repo_type='{other}')).",),
                evidence={"asked": target.repo_type, "exists as": elsewhere},
            )
        ]
    findings: list[Finding] = []
    exists = (
        _meta(ctx, target.repo_type, ctx.sent) is not None or _meta(ctx, target.repo_type, None) is not None
    )
    if ctx.sent is None:
        why = (
            "writing needs a token."
            if exists
            else f"{target.repo_id} is private or does not exist, and no token was sent."
        )
        findings.append(_why_anonymous(ctx, why))
        if exists:
            return findings  # the repo is there: the missing token is the whole story
    # A cause that explains the miss (the token cannot reach this namespace, or cannot write there) comes first;
    # "not found" then stays as a warning: the repo may exist and be private.
    explained = write_problems(ctx, whoami) if target.write else []
    scope = _fine_grained_scope_gap(ctx, whoami, write=False)
    if scope is not None and not any(f.id == scope.id for f in explained):
        explained.insert(0, scope)
    findings += explained
    user = whoami.user if whoami else None
    findings.append(
        Finding(
            id="repo-not-found",
            severity="warning" if explained else "error",
            title=f"{target.repo_id} does not exist as a {_repo_word(target.repo_type)}, or it is private and "
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


def _why_anonymous(ctx: Context, why: str) -> Finding:
    """A request went out without a token: because there is none, or because implicit tokens are disabled."""
    if ctx.has_token and ctx.facts.library.implicit_token_disabled:
        return implicit_token_finding(ctx, "error")
    unanswered = check_colab_secret_not_granted(ctx) if ctx.facts.tokens.resolution.blocked else []
    if unanswered:
        return unanswered[0]  # the library waits for the Colab vault: "no token" is not established
    return no_token_finding(ctx, "error", why)


def _namespace(ctx: Context) -> str:
    repo_id = ctx.target.repo_id or ""
    return repo_id.split("/", 1)[0] if "/" in repo_id else ""


def _repo_name(ctx: Context) -> str:
    return (ctx.target.repo_id or "").rsplit("/", 1)[-1]


def _fine_grained_scope_gap(ctx: Context, whoami: Whoami | None, write: bool) -> Finding | None:
    """A fine-grained token whose permissions do not cover this repo's namespace (or repo)."""
    if whoami is None or whoami.role != "fineGrained":
        return None
    namespace = _namespace(ctx)
    if namespace and namespace != whoami.user and namespace not in whoami.orgs:
        return None  # no scope reaches a namespace that is neither the user nor one of their orgs
    needed = ("repo.write",) if write else ("repo.content.read", "repo.write")
    if _fine_grained_covers(whoami, ctx.target, namespace, needed):
        return None
    perm = "repo.write" if write else "repo.content.read"
    return Finding(
        id="fine-grained-scope-missing",
        severity="error",
        title=f"Your fine-grained token has no '{perm}' permission for {_namespace(ctx) or ctx.target.repo_id}.",
        detail="Fine-grained tokens only reach the users, organizations and repos listed in their permissions.",
        fix=(
            f"Edit the token at {ctx.site('/settings/tokens')} and add {perm} for {_namespace(ctx) or ctx.target.repo_id}.",
        ),
        evidence={
            "repo": ctx.target.repo_id,
            "needed": perm,
            "scoped to": [
                (s.get("entity") or {}).get("name")
                for s in whoami.fine_grained.get("scoped") or []
                if isinstance(s, dict)
            ],
        },
    )


def _fine_grained_covers(whoami: Whoami, target: Target, namespace: str, needed: tuple[str, ...]) -> bool:
    """A global permission, or a scoped one on the user/org that owns the repo, or on this very repo (W2)."""
    fine = whoami.fine_grained
    if any(p in needed for p in fine.get("global") or []):
        return True
    for scope in fine.get("scoped") or []:
        if not isinstance(scope, dict) or not any(p in needed for p in scope.get("permissions") or []):
            continue
        entity = scope.get("entity") or {}
        name, kind = str(entity.get("name") or ""), str(entity.get("type") or "")
        if kind in ("user", "org") and name == namespace:
            return True
        if kind in ("model", "dataset", "space") and kind == target.repo_type and name == target.repo_id:
            return True
        if not kind and name in (namespace, target.repo_id):  # entity type missing: judge by name alone
            return True
    return False


def _forbidden(ctx: Context, message: str, whoami: Whoami | None) -> list[Finding]:
    """403 without a gate: explain a refused write (or read) from the token's own whoami data."""
    if ctx.target.write:
        explained = write_problems(ctx, whoami, repo_exists=True)
        if explained:
            return explained
    return [
        Finding(
            id="access-denied",
            severity="error",
            title=f"The Hub refused access to {ctx.target.repo_id} (403): {message or 'no reason given'}.",
            detail="The answer does not match a known cause (not gated, not disabled, token valid); an organization policy "
            "may forbid this token.",
            fix=(
                f"Open {ctx.target.url} while logged in, and check the token at {ctx.site('/settings/tokens')}.",
            ),
            evidence={"status": 403, "X-Error-Message": message or None},
        )
    ]


def write_problems(ctx: Context, whoami: Whoami | None, repo_exists: bool = False) -> list[Finding]:
    """Why this token cannot write here, from its role, scopes and the user's organizations."""
    if whoami is None or whoami.valid is not True:
        return []
    namespace = _namespace(ctx)
    user = whoami.user or ""
    orgs = whoami.orgs
    findings: list[Finding] = []
    if whoami.role == "read":
        findings.append(
            Finding(
                id="token-read-only",
                severity="error",
                title="Your token is read-only: create a token with write access to push or create repos.",
                detail=f"The token in use ({whoami.access_token.get('displayName') or 'unnamed'}) has the 'read' role.",
                fix=(
                    f"Create a write (or fine-grained) token at {ctx.site('/settings/tokens')}",
                    "hf auth login   # then paste the new token",
                ),
                evidence={"role": "read", "user": user},
            )
        )
    elif whoami.role == "fineGrained":
        gap = _fine_grained_scope_gap(ctx, whoami, write=True)
        if gap is not None:
            findings.append(gap)
    if not namespace and ctx.target.repo_id and user:
        name = ctx.target.repo_id
        findings.append(
            Finding(
                id="namespace-not-owned",
                severity="error",
                title=f"'{name}' has no namespace: "
                + (
                    "it is a legacy repo id owned by the Hub, not by you."
                    if repo_exists
                    else f"uploads go to the id '{name}' itself, not to '{user}/{name}'."
                ),
                detail="Only create_repo() puts a bare name under your account; every other call uses the id as given, "
                "and an id without '/' names a legacy top-level repo that only Hugging Face can write to.",
                fix=(f"Use repo_id='{user}/{name}' (create it first with create_repo if needed).",),
                evidence={"repo": name, "namespace": None, "user": user},
            )
        )
    elif namespace and namespace != user and namespace not in orgs:
        findings.append(
            Finding(
                id="namespace-not-owned",
                severity="error",
                title=f"You ({user}) cannot write under '{namespace}': it is neither your account nor one of your "
                "organizations.",
                detail="Tutorials often use their author's namespace; write to your own instead.",
                fix=(f"Use '{user}/{_repo_name(ctx)}', or ask to join '{namespace}'.",),
                evidence={"namespace": namespace, "user": user, "organizations": sorted(orgs)},
            )
        )
    elif namespace in orgs and (
        orgs[namespace] in ("read", "") or (repo_exists and orgs[namespace] == "contributor")
    ):
        role = orgs[namespace] or "unknown"
        findings.append(
            Finding(
                id="org-role-insufficient",
                severity="error",
                title=f"Your role in the organization '{namespace}' is '{role}', which cannot write "
                + ("to repos other members created." if role == "contributor" else "to its repos."),
                detail="Writing to an organization's repos needs the write or admin role; contributors may only create "
                "repos and write to the ones they created.",
                fix=(f"Ask an admin of {namespace} for the write role ({ctx.site('/' + namespace)}).",),
                evidence={"organization": namespace, "role": orgs[namespace]},
            )
        )
    return findings


def check_write_intent(ctx: Context) -> list[Finding]:
    """Write problems visible from whoami alone, when the auth-check did not answer a clear 403."""
    if not ctx.target.write or not ctx.target.repo_id or ctx.hub is None:
        return []
    probe = _auth_probe(ctx, ctx.sent)
    if probe is not None and probe.http.status in (200, 403):
        return []  # 200: the Hub says yes; 403: check_repo explains it
    return write_problems(ctx, ctx.whoami(ctx.sent))


def check_no_token_hub(ctx: Context) -> list[Finding]:
    """no-token after asking the Hub: an error for write intent, info otherwise (repo checks raise it themselves)."""
    if ctx.hub is None or ctx.has_token or ctx.facts.tokens.resolution.blocked:
        return []
    probe = _auth_probe(ctx, None)
    if ctx.target.repo_id and probe is not None and probe.http.status in (401, 404):
        return []  # check_repo reports it with the repo's reason
    if ctx.target.write:
        return [no_token_finding(ctx, "error", "writing needs a token with write access.")]
    return [no_token_finding(ctx, "info", "")]


def check_implicit_hub(ctx: Context) -> list[Finding]:
    if ctx.hub is None or not ctx.facts.library.implicit_token_disabled:
        return []
    probe = _auth_probe(ctx, None)
    if ctx.target.repo_id and probe is not None and probe.http.status in (401, 404) and ctx.has_token:
        return []  # check_repo reports it as the cause
    return [implicit_token_finding(ctx, "error" if ctx.target.write else "warning")]


HUB_CHECKS: tuple[Check, ...] = (
    check_hub_unreachable,
    check_rate_limited,
    check_token_invalid,
    check_token_unverified,
    check_token_shadowed,
    check_repo,
    check_write_intent,
    check_no_token_hub,
    check_implicit_hub,
)
