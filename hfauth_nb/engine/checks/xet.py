"""Xet storage: the layer after the Hub. Downloads of Xet-backed files ask the Hub's token route for a short-lived
Xet token (a Hub request, diagnosed like any repo request), then send that token to a storage (CAS) host. A refusal
there is never the user's Hub token; a storage host out of reach is the network (services facts X1-X6, E6). The
one Xet failure that is the user's token: the Hub refusing it when the Xet token is renewed mid-download (services fact X7)."""

from __future__ import annotations

from urllib.parse import urlsplit

from hfauth_nb.engine.checks._shared import replace_token_step
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.report import Finding
from hfauth_nb.engine.service_failure import ServiceFailure
from hfauth_nb.secrets import mask

# hf_xet releases before the 30 s early JWT refresh (xet-core PR #405, first in 1.1.6; maintainers: use >= 1.1.7)
# could send a token that expired during a long download, and the storage host answered 401 (services fact X4).
XET_REFRESH_FIXED = (1, 1, 7)
_UPGRADE = "pip install -U hf_xet   # then restart the kernel"
_DISABLE = (
    "or, to download over plain HTTP instead: %env HF_HUB_DISABLE_XET=1 (before importing huggingface_hub; "
    "restart the kernel if it is already imported)"
)


def version_tuple(version: str | None) -> tuple[int, ...]:
    """(1, 1, 5) from "1.1.5"; () when unknown (pre-release tails are dropped)."""
    parts: list[int] = []
    for part in (version or "").split("."):
        digits = "".join(ch for ch in part if ch.isdigit()) if part[:1].isdigit() else ""
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def has_refresh_bug(version: str | None) -> bool:
    """An installed hf_xet old enough to let its storage token expire mid-download (services fact X4)."""
    parsed = version_tuple(version)
    return bool(parsed) and parsed < XET_REFRESH_FIXED


def token_route_now(ctx: Context) -> tuple[int | None, str] | None:
    """The Hub's Xet token route for the target repo, asked again with the token the library sends while the failure
    is explained (services fact X6): its status and what that means; None when it was not asked."""
    probe = ctx.hub.probe("xet-token", ctx.target.repo_type, ctx.sent) if ctx.hub is not None else None
    if probe is None:
        return None
    http = probe.http
    if http.status == 200:
        return 200, "200: the Hub hands this token a Xet token for the repo now"
    if http.status is None:
        return None, f"no answer ({http.error_kind or 'error'})"
    said = f" ({http.error_message})" if http.error_message else ""
    return http.status, f"{http.status}{said}: the Hub refuses this token a Xet token for the repo now"


def _evidence(
    failure: ServiceFailure, ctx: Context | None = None, url_label: str = "storage host"
) -> dict[str, object]:
    evidence: dict[str, object] = {
        "service": failure.service,
        "hf_xet": failure.xet_version or "not installed",
        "HF_HUB_DISABLE_XET": failure.xet_disabled,
    }
    if failure.url:
        evidence[url_label] = failure.url
    if failure.target:
        evidence["repo"] = failure.target
    if failure.message:
        evidence["error"] = failure.message
    route = token_route_now(ctx) if ctx is not None else None
    if route is not None:
        evidence["Xet token route now"] = route[1]
    return evidence


def check_xet_storage_refused(ctx: Context) -> list[Finding]:
    """The storage (CAS) host refused the Xet token hf_xet sent (401/403 on /reconstructions): the Hub had already
    accepted the user's token and minted that Xet token, so replacing the Hub token is not the fix (services fact X4)."""
    failure = ctx.failure
    if failure is None or failure.kind != "xet-cas-refused":
        return []
    version = failure.xet_version
    buggy = has_refresh_bug(version)
    what = f"the {failure.target} download" if failure.target else "a download"
    title = f"The Xet storage host refused {what} (HTTP {failure.status or '401/403'}); this is not your Hub token."
    detail = (
        "Xet-backed files are fetched in two steps: the Hub checks your token and hands out a short-lived Xet token, "
        "then hf_xet sends that Xet token to the storage host. The Hub accepted your token, so gated, private "
        "and token problems are ruled out for this file; the storage host refused the Xet token itself."
    )
    if buggy:
        detail += (
            f" hf_xet {version} is older than 1.1.7: versions before the fix let the Xet token expire during a "
            "long download, and the storage host then answers 401 (services fact X4)."
        )
    else:
        detail += (
            f" hf_xet {version or '(version unknown)'} already refreshes its token before it expires; the cause "
            "on the storage side is unknown: retry, and if it repeats use the workaround below and report it."
        )
    route = token_route_now(ctx)
    if route is not None and route[0] == 200:
        detail += (
            " Asked again now, the Hub's Xet token route still hands your token a Xet token for this repo."
        )
    elif route is not None and route[0] in (401, 403):
        title = (
            f"The Xet storage host refused {what} (HTTP {failure.status or '401/403'}), and the Hub now refuses "
            f"your token a Xet token for it (HTTP {route[0]})."
        )
        detail += (
            f" Asked again now, the Hub's Xet token route refuses your token (HTTP {route[0]}): the token or the "
            "repo's access changed since the download; the other findings judge the token."
        )
    fix: tuple[str, ...] = (_UPGRADE if buggy else _retry_step(ctx), _DISABLE)
    if not buggy:
        fix = (
            *fix,
            "If it repeats, report it with RUST_LOG=info set: https://github.com/huggingface/xet-core/issues",
        )
    return [Finding("xet-storage-refused", "error", title, detail, fix, _evidence(failure, ctx))]


def _retry_step(ctx: Context) -> str:
    """How to get a new Xet token: huggingface_hub 0.x asks the Hub on every attempt; 1.27 and 2.4 (hf_xet session,
    2.4 also its own cache) reuse the refused one within the kernel until it nears expiry (services fact X8)."""
    lib = ctx.facts.library
    if lib.installed and lib.version_tuple < (1, 0, 0):
        return f"Retry the download (huggingface_hub {lib.version} asks the Hub for a new Xet token on each attempt)."
    return (
        "Restart the kernel, then retry the download: this huggingface_hub keeps the Xet token for the whole "
        "kernel, so a retry in the same kernel sends the refused one again until it nears expiry."
    )


def check_xet_refresh_refused(ctx: Context) -> list[Finding]:
    """The Hub refused the user's own token when the Xet token was renewed mid-download (services fact X7): the
    first ask succeeded, so the token stopped working during the transfer (revoked, rotated, an expired login), or
    the repo's access changed. Unlike a storage host 401, this one is the Hub token; whoami says whether it still is."""
    failure = ctx.failure
    if failure is None or failure.kind != "xet-refresh-refused":
        return []
    what = f"the {failure.target} download" if failure.target else "a Xet download"
    status = failure.status
    by = (
        "huggingface_hub's refresh callback (called by hf_xet)"
        if failure.renewed_by == "huggingface_hub"
        else "hf_xet"
    )
    detail = (
        "Xet-backed files are fetched with a short-lived Xet token that the Hub hands out in exchange for your Hub "
        f"token; when it nears expiry, {by} asks the Hub's token route again with your Hub token. The first ask "
        f"succeeded and the renewal got {status or 'an error'}"
        + (f" ('{failure.hub_message}')" if failure.hub_message else "")
        + ", so "
    )
    winner, token = ctx.winner, ctx.effective
    now = ctx.valid(token) if token is not None else None
    evidence = _evidence(failure, ctx, url_label="refresh route")
    evidence["renewed by"] = failure.renewed_by or "hf_xet"
    if failure.hub_message:
        evidence["Hub said"] = failure.hub_message
    where = f"{ctx.source_label(winner)} ({mask(token)})" if winner is not None and token else "no source"
    evidence["token now"] = where
    evidence["accepted now"] = "not checked" if now is None else now
    fix: tuple[str, ...]
    if status == 403:
        title = (
            f"The Hub refused {what} when {by} renewed its Xet token (HTTP 403): access to the repo changed."
        )
        detail += (
            "the Hub still knows your token but no longer lets it read this repo (gated access withdrawn, the "
            "repo made private, or a fine-grained token's permissions changed during the download)."
        )
        fix = (f"hfauth check {failure.target or '<repo>'}   # the repo's own answer, read-only",)
    elif now is False:
        title = (
            f"The Hub stopped accepting your token during {what} (HTTP {status or 401} when the Xet token was "
            f"renewed), and it rejects it now: the token from {where} is revoked or expired."
        )
        detail += (
            "the token stopped working during the download: it was revoked or rotated on the token page, or a "
            "browser login expired. This time it is your Hub token, not the storage host."
        )
        fix = (
            f"Log in again or create a new token at {ctx.site('/settings/tokens')}",
            replace_token_step(winner.kind, winner.name) if winner is not None else "hf auth login",
            "then retry the download",
        )
    elif now is True:
        title = (
            f"The Hub refused your token when {what} renewed its Xet token (HTTP {status or 401}); the token "
            f"in use now ({where}) is accepted."
        )
        detail += (
            "the token that download used stopped working during it (revoked, rotated, an expired login). The "
            "token this kernel resolves now works: it was replaced or refreshed since."
        )
        fix = (_retry_step(ctx),)
    else:
        title = (
            f"The Hub refused your token when {what} renewed its Xet token (HTTP {status or 401}): your Hub "
            "token stopped working during the download."
        )
        detail += (
            "the token was revoked or rotated, or a browser login expired, while the file was downloading. "
            "Unlike a storage host 401, this is your Hub token; it was not checked again here."
        )
        fix = (
            "Check the token now: %hfauth check   (or in a terminal: hf auth whoami)",
            "If it is rejected: hf auth login (log in again) or create a new token at "
            f"{ctx.site('/settings/tokens')}, then retry the download",
        )
    return [Finding("xet-renewal-refused", "error", title, detail, fix, evidence)]


def check_xet_unreachable(ctx: Context) -> list[Finding]:
    """hf_xet could not reach the storage host: a firewall, proxy or DNS rule lets the Hub through but not the
    Xet hosts (services fact X3). Authentication never got a say."""
    failure = ctx.failure
    if failure is None or failure.kind != "xet-cas-unreachable":
        return []
    # The host, not the reconstruction URL with its file hash: the host is what a firewall rule names.
    parts = urlsplit(failure.url or "")
    where = (
        f"the Xet storage host {parts.scheme}://{parts.netloc}" if parts.netloc else "the Xet storage host"
    )
    return [
        Finding(
            "xet-unreachable",
            "error",
            f"hf_xet could not reach {where}: a network problem, not a token problem.",
            "Xet-backed files come from storage hosts other than the Hub (cas-server.xethub.hf.co, "
            "transfer.xethub.hf.co and their -eu twins, plus CDN hosts). A network that lets huggingface.co "
            "through but blocks those hosts fails here, after the Hub accepted the token.",
            (
                "Allow the Xet hosts through your firewall or proxy: cas-server.xethub.hf.co, "
                "transfer.xethub.hf.co (and the -eu variants)",
                _DISABLE,
            ),
            _evidence(failure, ctx),
        )
    ]
