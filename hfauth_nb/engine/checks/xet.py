"""Xet storage: the layer after the Hub. Downloads of Xet-backed files ask the Hub's token route for a short-lived
Xet token (a Hub request, diagnosed like any repo request), then send that token to a storage (CAS) host. A refusal
there is never the user's Hub token; a storage host out of reach is the network (services facts X1-X6, E6)."""

from __future__ import annotations

from hfauth_nb.engine.context import Context
from hfauth_nb.engine.report import Finding
from hfauth_nb.engine.service_failure import ServiceFailure

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


def _evidence(failure: ServiceFailure) -> dict[str, object]:
    evidence: dict[str, object] = {
        "service": failure.service,
        "hf_xet": failure.xet_version or "not installed",
        "HF_HUB_DISABLE_XET": failure.xet_disabled,
    }
    if failure.url:
        evidence["storage host"] = failure.url
    if failure.target:
        evidence["repo"] = failure.target
    if failure.message:
        evidence["error"] = failure.message
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
    fix: tuple[str, ...] = (
        _UPGRADE if buggy else "Retry the download (a fresh Xet token is minted for each attempt).",
        _DISABLE,
    )
    if not buggy:
        fix = (
            *fix,
            "If it repeats, report it with RUST_LOG=info set: https://github.com/huggingface/xet-core/issues",
        )
    return [Finding("xet-storage-refused", "error", title, detail, fix, _evidence(failure))]


def check_xet_unreachable(ctx: Context) -> list[Finding]:
    """hf_xet could not reach the storage host: a firewall, proxy or DNS rule lets the Hub through but not the
    Xet hosts (services fact X3). Authentication never got a say."""
    failure = ctx.failure
    if failure is None or failure.kind != "xet-cas-unreachable":
        return []
    where = failure.url or "the Xet storage host"
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
            _evidence(failure),
        )
    ]
