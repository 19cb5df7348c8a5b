"""Inference Providers: why an `InferenceClient` call failed (from the router's answer), and whether a token may
call Inference Providers at all (from whoami alone: a test call could bill, services fact Q5).

The router's answers are told apart by status and text (services facts P1-P5); the library adds no hint of its own
(services facts E1, E3). Where the facts are uncertain (the router's 401 text, services fact P2; the org
permission, services fact Q2; OAuth scopes, services fact Q3) the finding says so instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hfauth_nb.engine.checks._shared import replace_token_step
from hfauth_nb.engine.checks.oauth import is_oauth_token
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.hub import Whoami
from hfauth_nb.engine.inference_call import RETIRED_HOST, SERVICE, InferenceCall
from hfauth_nb.engine.report import Finding
from hfauth_nb.secrets import mask

PERMISSION = "inference.serverless.write"
# The token page of the configured Hub (a token is valid only on the Hub that issued it), pre-filled as hub-docs does.
NEW_TOKEN = "/settings/tokens/new?ownUserPermissions=inference.serverless.write&tokenType=fineGrained"
_ANONYMOUS = "Invalid username or password."
_IMPLICIT_NOTE = (
    "HF_HUB_DISABLE_IMPLICIT_TOKEN does not stop InferenceClient from sending your local token: it resolves the "
    "token itself and passes it explicitly (services fact I3)."
)


@dataclass(frozen=True)
class MayCall:
    """The answer to "may this token call Inference Providers?": "yes", "no" or "unknown", and why."""

    answer: str
    reason: str
    where: str | None = None  # where the permission was found (fine-grained tokens)

    def to_dict(self) -> dict[str, Any]:
        return {"answer": self.answer, "reason": self.reason, "found in": self.where}


def may_call_inference(whoami: Whoami | None, bill_to: str | None = None, *, oauth: bool = False) -> MayCall:
    """Judge from whoami-v2 alone: classic read/write tokens may (services fact P6); a fine-grained one needs
    `inference.serverless.write` in `global` or its user's scoped entry (services fact Q1), and in the org's
    entry when billing an org (services fact Q2); an OAuth login's permissions are not readable
    (services fact Q3; `oauth`: the caller knows it is one from the token or the stored login); credits never show
    in whoami (services fact Q4)."""
    if whoami is None or whoami.valid is None:
        return MayCall("unknown", "whoami did not answer, so the token's permissions are unknown.")
    if not whoami.valid:
        return MayCall("no", "the Hub rejects this token (whoami answered 401).")
    user = whoami.user or "?"
    orgs = whoami.orgs
    if bill_to and bill_to not in orgs:
        return MayCall(
            "no", f"{user} is not a member of {bill_to}, so calls cannot be billed to it (services fact Q2)."
        )
    if oauth or _is_oauth(whoami):
        return MayCall(
            "unknown",
            "this is an OAuth (browser or device) login: whoami shows no scopes for it, so whether it may call "
            "Inference Providers cannot be read (services fact Q3).",
        )
    role = whoami.role
    if role in ("read", "write"):
        return MayCall("yes", f"a classic {role} token may call Inference Providers (services fact P6).")
    if role != "fineGrained":
        return MayCall("unknown", f"the token's role is {role!r}, which this check does not know.")
    return _fine_grained(whoami.fine_grained, user, bill_to)


def _is_oauth(whoami: Whoami) -> bool:
    """An OAuth login as whoami shows it: `auth.type` "oauth" (no `accessToken`, services fact Q3), or an access
    token without `displayName` (the older shape fact W1 describes). A missing `accessToken` alone is not one."""
    auth = whoami.data.get("auth")
    if not isinstance(auth, dict):
        return False
    access = auth.get("accessToken")
    return auth.get("type") == "oauth" or (isinstance(access, dict) and "displayName" not in access)


def _fine_grained(fine: dict[str, Any], user: str, bill_to: str | None) -> MayCall:
    granted = [str(p) for p in fine.get("global") or []]
    where = "global" if PERMISSION in granted else None
    entries = [e for e in fine.get("scoped") or [] if isinstance(e, dict)]

    def entry_has(kind: str, name: str) -> bool:
        return any(
            PERMISSION in (e.get("permissions") or [])
            and (e.get("entity") or {}).get("type") == kind
            and (e.get("entity") or {}).get("name") == name
            for e in entries
        )

    if where is None and entry_has("user", user):
        where = f"scoped: user {user}"
    if bill_to:
        if where == "global" or entry_has("org", bill_to):
            return MayCall(
                "yes",
                f"the token has {PERMISSION} for org {bill_to}; which org permission the router needs is not "
                "documented (services fact Q2, uncertain); whoami cannot show the org's credits (services fact Q4).",
                "global" if where == "global" else f"scoped: org {bill_to}",
            )
        return MayCall(
            "no",
            f"the fine-grained token has no {PERMISSION} on org {bill_to}, the permission the router most likely "
            "needs for it (services fact Q2, uncertain).",
        )
    if where is not None:
        return MayCall("yes", f"the fine-grained token has {PERMISSION} (services fact Q1).", where)
    return MayCall(
        "no",
        f'the fine-grained token lacks {PERMISSION} ("Make calls to Inference Providers", services fact Q1).',
    )


def check_inference(ctx: Context) -> list[Finding]:
    """The cause of a failed Inference Providers call found by explain(exc), or the answer to `check --inference`
    (an InferenceCall of stage "question": judged from whoami alone, nothing is sent to the router)."""
    call = ctx.inference
    if call is None:
        return []
    if call.stage == "question":
        return [_answer(ctx, call)]
    if call.stage == "retired-host":
        return [_retired_host(ctx, call)]
    builder = _BUILDERS.get(call.status or 0)
    if call.stage == "local" or (call.status == 401 and (call.sent is None or call.message == _ANONYMOUS)):
        return [_no_token(ctx, call)]
    return [builder(ctx, call)] if builder is not None else []


def _target(call: InferenceCall) -> str:
    provider = f" through provider {call.provider}" if call.provider else ""
    return f"{call.model or 'the model'}{provider}"


def _evidence(ctx: Context, call: InferenceCall, **extra: Any) -> dict[str, Any]:
    evidence: dict[str, Any] = {
        "service": SERVICE,
        "model": call.model,
        "provider": call.provider,
        "request": call.stage,
        "status": call.status,
        "server said": call.message or None,
        "token sent": mask(call.sent),
        "bill to": call.bill_to,
    }
    if call.stage == "metadata" and call.client_token_passed and call.client_token != call.sent:
        evidence["token passed to the client"] = mask(call.client_token)
    evidence.update(extra)
    return evidence


def _metadata_note(call: InferenceCall) -> str:
    if call.stage != "metadata":
        return ""
    return (
        " This was the model lookup the client makes on the Hub before the inference call: it uses your local "
        "(implicit) token or none, never the token passed to InferenceClient (services fact I5)."
    )


def _implicit_note(ctx: Context) -> str:
    return f" {_IMPLICIT_NOTE}" if ctx.facts.library.implicit_token_disabled else ""


# What each cause of a failed call means and how to fix it (the title names the call; see _said).
_NO_TOKEN = (
    "No token reached the call: none was passed to InferenceClient(token=...) and no local token was found "
    "(services facts I2, P1).",
    "Pass token=... to InferenceClient, or log in with `hf auth login` (a read token is enough).",
)
_NOT_ACCEPTED = "The token was sent but not accepted: revoked, expired or mistyped."
_REJECTED = (
    _NOT_ACCEPTED + " The router's exact wording for this is not documented (services fact P2, uncertain).",
    "",  # the steps name the Hub's token page and, for the model lookup, the local source (see _rejected)
)
_LOOKUP_NO_TOKEN = (
    "InferenceClient first asks the Hub about the model with the local token, or none; a private or gated model "
    "then looks missing to it (services fact I5).",
    "Log in locally so the lookup carries a token: hf auth login   (or %env HF_TOKEN=<token>)",
)
_NO_CREDITS = (
    "The token is fine; billing stopped the call: credits used up, or paid use not enabled for that provider "
    "(services fact P4; the server's words are above). whoami cannot show a credit balance "
    "(services fact Q4), so hfauth cannot confirm the amount left.",
    "",  # see _no_credits
)
_NOT_SERVED = (
    "The router answered 404: no provider serves this model, or the chosen provider does not "
    "(services fact P5).",
    "Pick a model that lists Inference Providers on its page, or another provider= (or provider='auto').",
)


def _said(
    ctx: Context, call: InferenceCall, texts: tuple[str, str]
) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """Detail, fix and evidence of a failed call's cause, with the notes every inference cause carries."""
    detail, fix = texts
    return detail + _metadata_note(call) + _implicit_note(ctx), (fix,), _evidence(ctx, call)


def _no_token(ctx: Context, call: InferenceCall) -> Finding:
    if call.stage == "question":  # `check --inference`: nothing was called, nothing was sent
        target = f" for {call.model}" if call.model else ""
        title = f"No token was found, so {SERVICE} calls{target} would fail: InferenceClient needs one."
        return Finding("inference-no-token", "error", title, *_said(ctx, call, _NO_TOKEN))
    if call.stage == "metadata":  # the Hub's model lookup, anonymous: only a local token would reach it
        title = (
            f"The Hub's model lookup for {_target(call)}, made by InferenceClient before the {SERVICE} call, "
            f"carried no token ({call.status} {_ANONYMOUS!r}): the lookup never uses InferenceClient(token=...)."
        )
        return Finding("inference-no-token", "error", title, *_said(ctx, call, _LOOKUP_NO_TOKEN))
    where = "before sending anything" if call.stage == "local" else f"({call.status} {_ANONYMOUS!r})"
    title = f"{SERVICE} call to {_target(call)} carried no token {where}."
    return Finding("inference-no-token", "error", title, *_said(ctx, call, _NO_TOKEN))


def _rejected(ctx: Context, call: InferenceCall) -> Finding:
    token, new_token = mask(call.sent), f"Create a new token at {ctx.site('/settings/tokens')}"
    detail, _, evidence = _said(ctx, call, (_NOT_ACCEPTED, "") if call.stage != "router" else _REJECTED)
    fix: tuple[str, ...] = (f"{new_token} and pass it (or `hf auth login`).",)
    title = f"{SERVICE} rejected the token {token} for {_target(call)} (401)."
    if call.stage == "question":  # `check --inference`: whoami rejected it, nothing reached the router
        title = f"The Hub rejects the token {token} (whoami 401), so it cannot call {SERVICE} either."
        fix = (new_token,)
    elif (
        call.stage == "metadata"
    ):  # the Hub's model lookup with the local token: replacing token= cannot help
        title = (
            f"The Hub's model lookup for {_target(call)}, made by InferenceClient before the {SERVICE} call, "
            f"rejected your local token {token} (401); the token passed to InferenceClient was not used for it."
        )
        winner = ctx.winner
        fix = (
            replace_token_step(winner.kind, winner.name) if winner is not None else "hf auth login",
            f"{new_token} (the lookup uses the local token only)",
        )
    return Finding("inference-token-rejected", "error", title, detail, fix, evidence)


def _no_credits(ctx: Context, call: InferenceCall) -> Finding:
    account = f"org {call.bill_to}" if call.bill_to else "your account"
    said = f": {call.message.strip().rstrip('.')}." if call.message.strip() else "."
    title = f"{SERVICE} answered 402 Payment Required for {_target(call)}, billed to {account}{said}"
    detail, _, evidence = _said(ctx, call, _NO_CREDITS)
    fix = (
        f"Check or buy credits at {ctx.site('/settings/billing')}"
        + (
            f" (an admin of {call.bill_to} manages the org's billing)"
            if call.bill_to
            else ", or bill an org with bill_to=..."
        ),
    )
    return Finding("inference-no-credits", "error", title, detail, fix, evidence)


def _not_served(ctx: Context, call: InferenceCall) -> Finding:
    title = f"{SERVICE} does not serve {_target(call)} (404); this is not a token problem."
    return Finding("inference-model-not-served", "error", title, *_said(ctx, call, _NOT_SERVED))


def _forbidden(ctx: Context, call: InferenceCall) -> Finding:
    org = call.bill_to
    detail = (
        f"The router would not bill org {org} for this token (services fact P3). Most likely the token lacks "
        f"{PERMISSION} on org {org}, but which org permission it needs is not documented (services fact Q2, "
        "uncertain)."
        if org
        else f'The token lacks {PERMISSION} ("Make calls to Inference Providers") (services facts P3, Q1).'
    )
    verdict = may_call_inference(ctx.whoami(call.sent), org, oauth=is_oauth_token(ctx, call.sent))
    return Finding(
        "inference-permission-missing",
        "error",
        f"{SERVICE} refused {_target(call)} (403): the token may not call it"
        + (f" on behalf of org {org}." if org else "."),
        detail + _implicit_note(ctx),
        (
            (
                f'Edit the token at {ctx.site("/settings/tokens")}: grant "Make calls to Inference Providers" '
                f"({PERMISSION}) on org {org}",
                f"Billing org {org} also needs {org} on a Team or Enterprise plan and you as its member (services fact Q2).",
            )
            if org
            else (
                f'Create a fine-grained token with "Make calls to Inference Providers": {ctx.site(NEW_TOKEN)}',
            )
        ),
        _evidence(ctx, call, **{"whoami says": verdict.answer}),
    )


_BUILT_BY = {
    "library": "huggingface_hub built it from the model id (versions up to 0.28 do)",
    "client-url": "the code passed it to InferenceClient (model= or base_url=), which posts to a URL as given",
    "other": "code outside InferenceClient built it (a raw requests/httpx call or another library)",
}


def _retired_host(ctx: Context, call: InferenceCall) -> Finding:
    """The retired inference host answered (services fact I7): no token can fix it; the URL has to change, by
    upgrading huggingface_hub when the library built it, or by editing the code that holds it."""
    lib = ctx.facts.library
    old = lib.installed and lib.version_tuple < (0, 29, 0)
    upgrade = (
        f"pip install -U 'huggingface_hub>=0.29'   # installed: {lib.version}; 0.29 and later send hf-inference "
        "calls through the router (then restart the kernel)"
    )
    origin = call.origin or "other"
    router_url = call.replacement or "https://router.huggingface.co/hf-inference/models/<model id>"
    fix: tuple[str, ...] = (
        (upgrade,) if origin == "library" else (f"Use the router URL instead: {router_url}",)
    )
    if origin == "client-url" and call.model:
        fix += (
            "or pass the model id rather than a URL and let huggingface_hub pick the route: "
            f"InferenceClient(model={call.model!r}, provider='hf-inference')",
        )
    if old and origin != "library":
        fix += (upgrade,)
    title = (
        f"The {SERVICE} call for {call.model or 'the model'} went to the retired host {RETIRED_HOST}, which "
        f"answered {call.status or 410} Gone: hf-inference calls go through the router now."
    )
    detail = (
        f"huggingface_hub 0.28 and older sent hf-inference calls to {RETIRED_HOST}. That host is retired and "
        "answers every request with 410 and a notice to use https://router.huggingface.co, whatever the token: "
        f"this is not a token problem (services fact I7). The URL: {_BUILT_BY.get(origin, _BUILT_BY['other'])}."
    )
    extra = {"URL built by": origin, "router URL": call.replacement, "huggingface_hub": lib.version}
    return Finding("inference-host-retired", "error", title, detail, fix, _evidence(ctx, call, **extra))


def _answer(ctx: Context, call: InferenceCall) -> Finding:
    """May the token InferenceClient would use call Inference Providers? It resolves the token with get_token()
    whatever HF_HUB_DISABLE_IMPLICIT_TOKEN says (services fact I3), so the effective token is the one judged."""
    token = ctx.effective
    if token is None and not ctx.oidc_wins:
        asked = InferenceCall("question", None, call.model, bill_to=call.bill_to)
        return _no_token(ctx, asked)
    whoami = ctx.whoami(token)
    verdict = may_call_inference(whoami, call.bill_to, oauth=is_oauth_token(ctx, token))
    asked = InferenceCall("question", None, call.model, bill_to=call.bill_to, sent=token)
    if whoami is not None and whoami.valid is False:
        return _rejected(ctx, asked)
    evidence = _evidence(
        ctx, asked, answer=verdict.answer, reason=verdict.reason, **{"found in": verdict.where}
    )
    evidence.update({"inference request sent": False, "credits": "not shown by whoami (services fact Q4)"})
    for key in ("status", "server said", "provider"):
        evidence.pop(key, None)
    target = f" for {call.model}" if call.model else ""
    billed = f" billed to org {call.bill_to}" if call.bill_to else ""
    if verdict.answer == "yes":
        return Finding(
            "inference-allowed",
            "ok",
            f"The token {mask(token)} may call Inference Providers{target}{billed} (judged from whoami; no "
            "inference request was sent).",
            verdict.reason + " Credits cannot be read from whoami: a call can still fail with 402.",
            (),
            evidence,
        )
    if verdict.answer == "no":
        forbidden = _forbidden(ctx, asked)
        title = f"The token {mask(token)} may not call Inference Providers{billed}: {verdict.reason}"
        if call.bill_to and whoami is not None and call.bill_to not in whoami.orgs:
            # Not a member: no token of this account can bill the org; a permission edit would not help.
            member_of = ", ".join(whoami.orgs) or "none"
            fix = (
                f"Bill an org you belong to (bill_to=..., member of: {member_of}), or ask an admin of "
                f"{call.bill_to} to add {whoami.user or 'you'} (services fact Q2)",
            )
            return Finding(forbidden.id, "error", title, verdict.reason, fix, evidence)
        # Nothing reached the router: with an org, whoami's reading is the detail.
        detail = f"From whoami: {verdict.reason}" if call.bill_to else forbidden.detail
        return Finding(forbidden.id, "error", title, detail, forbidden.fix, evidence)
    return Finding(
        "inference-permission-unknown",
        "warning",
        f"Whether the token {mask(token)} may call Inference Providers cannot be told from whoami.",
        verdict.reason + " Only a real inference call would tell, and it may be billed (services fact Q5): "
        "hfauth does not send one.",
        (
            'If calls fail with 403, use a classic read token or a fine-grained token with "Make calls to '
            f'Inference Providers": {ctx.site(NEW_TOKEN)}',
        ),
        evidence,
    )


_BUILDERS = {401: _rejected, 402: _no_credits, 403: _forbidden, 404: _not_served}
