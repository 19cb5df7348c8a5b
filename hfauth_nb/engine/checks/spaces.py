"""Spaces: admin routes that refuse browser (OAuth) logins, Space hosts that refuse gradio_client, ZeroGPU quota
messages that mean the call was anonymous, and what whoami cannot say about an OAuth token (services facts G1-G3,
H1-H2, Z1-Z3, A6). Checks read the failure `explain(exc)` found; none of them calls a Space route."""

from __future__ import annotations

import time

from hfauth_nb.engine.checks.oauth import is_oauth_token
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.report import Finding
from hfauth_nb.engine.service_failure import OAUTH_REFUSED_ROUTES, ServiceFailure
from hfauth_nb.secrets import mask

_CLASSIC_TOKEN_STEP = (
    "Create a classic write token (or a fine-grained one with write access to this Space) at {site}, then pass "
    "it to these calls: HfApi(token=...).{call}(...), or set HF_TOKEN for the session"
)


def judged_token(ctx: Context) -> str | None:
    """The token the failed call carried (HfApi(token=...) or Client(token=...) may pass one no local source
    holds), else the one the library sends from the local sources."""
    failure = ctx.failure
    return failure.sent if failure is not None and failure.sent is not None else ctx.sent


def token_is_oauth(ctx: Context) -> bool:
    """The token the failed call carried is a browser (OAuth) login (services facts A1, A6, Q3)."""
    return is_oauth_token(ctx, judged_token(ctx))


def token_argument(version: str | None, src: str | None = None) -> str:
    """How to pass the token to gradio_client's Client for the installed major (services fact G1), with the
    Space the failed call named (its id, or the host URL it was given) so the line runs as written."""
    space = repr(src) if src else "'owner/space'"
    major = version.split(".", 1)[0] if version else ""
    if major.isdigit():
        if int(major) >= 2:
            return f"Client({space}, token=...)   (gradio_client {version})"
        return f"Client({space}, hf_token=...)   (gradio_client {version}; 2.x renamed it token=)"
    return f"gradio_client 2.x: Client({space}, token=...)   (1.x: hf_token=...)"


def _read_only_step(failure: ServiceFailure, runtime: bool = False) -> str:
    """The read-only calls that show whether the token may see the Space (never a route that changes it)."""
    space = repr(failure.target) if failure.target else "'owner/space'"
    calls = f"HfApi().space_info({space})" + (f" and HfApi().get_space_runtime({space})" if runtime else "")
    return f"Check access with read-only calls: {calls}"


def _space_evidence(ctx: Context) -> dict[str, object]:
    failure = ctx.failure
    evidence: dict[str, object] = {"service": failure.service if failure else "Spaces"}
    if failure is not None:
        for key, value in (
            ("Space", failure.target),
            ("route", failure.url),
            ("gradio_client", failure.gradio_client),
            ("status", failure.status),
            ("error", failure.message),
        ):
            if value:
                evidence[key] = value
        if failure.client_found:
            evidence["token passed to Client"] = failure.token_passed
            evidence["token sent"] = mask(failure.sent) or "none"
        elif failure.sent:
            evidence["token sent"] = mask(failure.sent)
    return evidence


def _sender(ctx: Context, failure: ServiceFailure) -> str | None:
    """The account of the token the refused request carried (whoami of that token, when the Hub answered)."""
    answer = ctx.whoami(failure.sent) if failure.sent else None
    return answer.user if answer is not None else None


def check_space_admin_oauth_refused(ctx: Context) -> list[Finding]:
    """A Space admin route answered 401 to a browser (OAuth) login (services fact H2): restart, sleep time and
    hardware were seen refusing it with the anonymous text while read routes accepted it. The library shows it as a
    missing repo (services fact E5)."""
    failure = ctx.failure
    if failure is None or failure.kind != "space-admin-route" or not token_is_oauth(ctx):
        return []
    route = failure.route or "admin"
    call = {
        "restart": "restart_space",
        "sleeptime": "set_space_sleep_time",
        "hardware": "request_space_hardware",
    }
    seen = route in OAUTH_REFUSED_ROUTES
    return [
        Finding(
            "space-admin-oauth-refused",
            "error",
            f"The Space {route} route refused your browser (OAuth) login for {failure.target}; the Space exists "
            "and the login is not invalid.",
            "Tokens from `hf auth login`'s browser/device flow were seen refused by the restart, sleep-time and "
            "hardware routes with the same 401 an anonymous call gets, while space_info and the runtime route "
            "accept them; huggingface_hub then reports a missing repo. Why the Hub refuses them (the login's "
            "scopes) is not documented: treat it as a limit of browser logins"
            + (
                "." if seen else f"; the {route} route was not among those seen, so this is a likely reading."
            ),
            (
                _CLASSIC_TOKEN_STEP.format(site=ctx.site("/settings/tokens"), call=call.get(route, "...")),
                "Read-only checks of the Space (space_info, get_space_runtime) work with the browser login.",
            ),
            _space_evidence(ctx),
        )
    ]


def check_space_host_refused(ctx: Context) -> list[Finding]:
    """gradio_client reached the Space host without a token it accepts (services fact G3): private Spaces answer 401, or 404 as if
    they did not exist, to a call without the token or from another account."""
    failure = ctx.failure
    if failure is None or failure.kind != "space-host":
        return []
    user = _sender(ctx, failure)
    sent = (
        failure.sent is not None if failure.client_found else ctx.has_token
    )  # without the Client: local facts
    space = failure.target or failure.url or "this Space"
    title = f"The Space host refused gradio_client for {space}: " + (
        "no token was sent."
        if not sent
        else f"it hides the Space from {user}, the token's account."
        if user
        else "the token was missing or belongs to an account without access."
    )
    client = token_argument(failure.gradio_client, failure.target or failure.url)
    step = (
        f"Pass a token of an account that may open it: {client}"
        if sent
        else f"Log in (hf auth login) or pass the token: {client}"
    )
    return [
        Finding(
            "space-host-refused",
            "error",
            title,
            'A private Space answers 401 ("credentials were not provided") or 404 to requests without a token it '
            "accepts, and gradio_client then cannot fetch its config. gradio_client sends the token to the Space "
            "host as x-hf-authorization; it takes token= from gradio_client 2.0 and hf_token= before.",
            (step, _read_only_step(failure, runtime=True)),
            _space_evidence(ctx),
        )
    ]


def check_space_lookup_refused(ctx: Context) -> list[Finding]:
    """gradio_client's `Client("owner/space")` asks the Hub for the Space before its host (services fact G2); the
    Hub refused that look-up: anonymous (401, shown as a missing repo, services fact E5) or hidden from the token's
    account (404). The Hub's answer itself is judged by the repo checks; this names the call and its argument."""
    failure = ctx.failure
    if failure is None or failure.kind != "space-lookup":
        return []
    space = failure.target or "this Space"
    user = _sender(ctx, failure)
    if failure.sent is None:
        cause = "the Hub answered as to an anonymous caller: no token was sent."
        step = "Log in (hf auth login) or pass the token: " + token_argument(
            failure.gradio_client, failure.target
        )
    else:
        cause = f"the Hub hides it from {user or 'the token sent'}" + (
            " (the token given to Client)." if failure.token_passed else " (the local token)."
        )
        step = (
            f"Use a token of an account that may read {space} (its owner, or a member of its organization): "
            + token_argument(failure.gradio_client, failure.target)
        )
    return [
        Finding(
            "space-lookup-refused",
            "error",
            f"gradio_client could not open the Space {space}: {cause}",
            "Client('owner/space') first asks the Hub for the Space (space_info, then its runtime) with the token "
            "passed to it, or the local token when none is; only then does it contact the Space's host. A private "
            "Space is hidden from callers who may not read it, and huggingface_hub reports that as a missing repo.",
            (step, _read_only_step(failure)),
            _space_evidence(ctx),
        )
    ]


def check_zerogpu_anonymous(ctx: Context) -> list[Finding]:
    """A ZeroGPU quota error that asks the caller to create an account or sign up (services fact Z2): the Space saw no token."""
    failure = ctx.failure
    if failure is None or failure.kind != "zerogpu-signup":
        return []
    return [
        Finding(
            "zerogpu-anonymous",
            "error",
            "The ZeroGPU Space treated this call as anonymous (its quota error asks you to create an account), so "
            "the anonymous daily quota applied.",
            "ZeroGPU gives anonymous callers the smallest daily quota; its message invites them to sign up. A "
            "logged-in call gets the account's quota instead. The wording ZeroGPU uses for logged-in users is not "
            "documented, so only the sign-up text is read as 'anonymous'.",
            (
                "Pass your token to the client: " + token_argument(failure.gradio_client, failure.target),
                "huggingface_hub >= 2.1.1: HfApi().get_zero_gpu_quota() shows your quota (read-only; needs a token "
                "with billing read)",
            ),
            {**_space_evidence(ctx), "token available locally": ctx.has_token},
        )
    ]


def check_space_not_running(ctx: Context) -> list[Finding]:
    """gradio_client read the Space's runtime from the Hub and refused to connect: its stage is PAUSED or a build or
    runtime error (services fact G3). The Hub answered both look-ups, so access is not what failed."""
    failure = ctx.failure
    if failure is None or failure.kind != "space-stage":
        return []
    space = failure.target
    page = f" (its page: {ctx.site('/spaces/' + space)})" if space else ""
    return [
        Finding(
            "space-not-running",
            "error",
            f"The Space {space or '(unnamed)'} is {failure.stage or 'not running'}, so gradio_client cannot open "
            "it: this is not a token problem.",
            "gradio_client asks the Hub for the Space and its runtime before contacting its host, and stops when the "
            "stage is PAUSED, RUNTIME_ERROR, BUILD_ERROR, CONFIG_ERROR or NO_APP_FILE. The Hub answered both "
            "look-ups, so access to the Space is not what failed; only its owner can restart or fix it.",
            (
                f"Ask the Space's owner to restart or fix it{page}; if it is yours, restart it from that page",
                f"Check its state read-only: HfApi().get_space_runtime({space or 'owner/space'!r}).stage",
            ),
            {**_space_evidence(ctx), "stage": failure.stage},
        )
    ]


def check_oauth_permissions_unknown(ctx: Context) -> list[Finding]:
    """A service call failed with a browser (OAuth) login: whoami shows no role or scopes for such tokens,
    so what it may do cannot be read; the stored login's expiry and refresh state are read, never refreshed (services fact A6)."""
    if ctx.failure is None or ctx.hub is None or judged_token(ctx) is None or not token_is_oauth(ctx):
        return []
    login = (
        ctx.facts.tokens.oauth if judged_token(ctx) == ctx.sent else None
    )  # the stored login, if it was sent
    evidence: dict[str, object] = {"token type": "oauth (browser/device login)"}
    if login is not None:
        evidence.update(
            {
                "expires": _utc(login.expires_at),
                "refresh token stored": login.has_refresh,
                "refresh": login.outcome,
            }
        )
    return [
        Finding(
            "oauth-permissions-unknown",
            "info",
            "Your token is a browser (OAuth) login: the Hub's whoami does not say what it may do, so its "
            "permissions for this service cannot be checked.",
            "For OAuth tokens whoami returns the token type and expiry but no role, fine-grained permissions or "
            "scopes. hfauth read the stored login's expiry and refresh state without refreshing it.",
            (
                "To know exactly what a token may do, use a classic or fine-grained token from the settings page.",
            ),
            evidence,
        )
    ]


def _utc(timestamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp)) if timestamp else "unknown"
