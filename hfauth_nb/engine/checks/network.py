"""Checks on the Hub's reachability: transport failures, server errors, local settings that stop every
request, and rate limits. None of these say anything about the token."""

from __future__ import annotations

from typing import Any

from hfauth_nb.engine.checks.hub_answers import all_results, auth_probe, essential, transport_failure
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.report import Finding

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


def check_hub_unreachable(ctx: Context) -> list[Finding]:
    failure = transport_failure(ctx)
    if failure is None:
        results = all_results(ctx)
        server_errors = [r for r in essential(ctx) if r.status is not None and r.status >= 500]
        if not server_errors:
            return []
        first = server_errors[0]
        auth = auth_probe(ctx, ctx.sent)
        # The repo's own answer decides the verdict when it came back; a failed whoami then only hides the identity.
        repo_answered = auth is not None and auth.http.status is not None and auth.http.status < 500
        return [
            Finding(
                id="hub-unreachable",
                severity="warning" if repo_answered else "error",
                title=f"{ctx.facts.endpoint} answered with a server error ({first.status}); this is not a "
                "token problem.",
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
            title=f"The Hub at {ctx.facts.endpoint} "
            f"{_TRANSPORT_WORDS.get(kind, 'could not be reached')}{proxy_note}; this is a network problem, "
            "not a token problem.",
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
        return _local_setting(
            f"{env.proxy} is not a usable proxy URL ({env.proxy_error}): no request left this machine",
            f"huggingface_hub's HTTP client reads {env.proxy} and cannot connect through it.",
            f"Fix {env.proxy} (http://host:port) or unset it, then restart the kernel.",
            {"kind": "proxy-setting", "proxy variable": env.proxy, "problem": env.proxy_error},
        )
    text = _first_failure_text(ctx)
    no_file = any(words in text for words in ("No such file", "CA certificate bundle, invalid path"))
    if env.ca_missing and (kind == "tls" or no_file):
        variable, path = env.ca_missing[0]
        return _local_setting(
            f"{variable} names {path}, which does not exist: no TLS connection can start",
            f"The HTTP client loads the CA certificates from {variable} before connecting.",
            f"Point {variable} at your CA bundle file, or unset it (then restart the kernel).",
            {"kind": "ca-file-missing", "variable": variable, "path": path},
        )
    return None


def _local_setting(what: str, detail: str, fix: str, evidence: dict[str, Any]) -> Finding:
    """hub-unreachable caused by a setting on this machine; the title says it is not the network."""
    return Finding(
        id="hub-unreachable",
        severity="error",
        title=f"{what}; this is a local setting, not a network or token problem.",
        detail=detail,
        fix=(fix,),
        evidence=evidence,
    )


def _first_failure_text(ctx: Context) -> str:
    failure = transport_failure(ctx)
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


def check_rate_limited(ctx: Context) -> list[Finding]:
    limited = [r for r in all_results(ctx) if r.status == 429]
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
            detail="Rate limits are counted per token or IP over 5-minute windows; whoami is limited "
            "strictly.",
            fix=("Wait for the window to reset, then run the check again.",),
            evidence={
                "RateLimit": first.headers.get("ratelimit"),
                "RateLimit-Policy": first.headers.get("ratelimit-policy"),
            },
        )
    ]
