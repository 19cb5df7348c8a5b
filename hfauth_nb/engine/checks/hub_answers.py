"""Readers of what the Hub answered to the probes, shared by the checks that judge those answers.

Classification follows the facts reference (3.1-3.3): status first, then `X-Error-Code`, then the token's
whoami data; exact message text is used only where it is the sole signal.
"""

from __future__ import annotations

from typing import Any

from hfauth_nb.engine.context import Context
from hfauth_nb.engine.hub import RepoProbe, auth_check_unsupported
from hfauth_nb.engine.transport import HttpResult

INVALID_CREDENTIALS = "invalid credentials"


def all_results(ctx: Context) -> list[HttpResult]:
    """Every answer the probes got (whoami and repo requests), in the order they were asked."""
    hub = ctx.hub
    if hub is None:
        return []
    return [w.http for w in hub.whoami.values()] + [p.http for p in hub.repo]


def _answered(result: HttpResult) -> bool:
    """The Hub answered, or the request never left this process (a token unfit for a header)."""
    return result.status is not None or result.error_kind == "header"


def transport_failure(ctx: Context) -> HttpResult | None:
    """The first transport failure when the Hub gave no usable answer to the probes that matter."""
    results = all_results(ctx)
    failures = [r for r in results if r.status is None and r.error_kind != "header"]
    if not failures:
        return None
    needed = essential(ctx)
    if needed and all(_answered(r) for r in needed):
        return None
    return failures[0]


def essential(ctx: Context) -> list[HttpResult]:
    """The answers a verdict rests on: whoami of the sent token, and the auth-check with it."""
    out = []
    sent_whoami = ctx.whoami(ctx.sent)
    if sent_whoami is not None:
        out.append(sent_whoami.http)
    auth = auth_probe(ctx, ctx.sent)
    if auth is not None:
        out.append(auth.http)
    return out


def auth_probe(ctx: Context, token: str | None) -> RepoProbe | None:
    """The answer that judges access to the target repo with `token`: the auth-check, or /resolve/ without one."""
    if ctx.hub is None:
        return None
    kind = "auth-write" if ctx.target.write else "auth-read"
    probe = ctx.hub.probe(kind, ctx.target.repo_type, token)
    if probe is not None and auth_check_unsupported(probe.http):
        # No auth-check route on this server: judge reads by /resolve/, writes by whoami (check_write_intent).
        return ctx.hub.probe("resolve", ctx.target.repo_type, token)
    return probe


def repo_meta(ctx: Context, repo_type: str, token: str | None) -> dict[str, Any] | None:
    """The repo's metadata as this type with `token`, when the Hub answered 200 (None otherwise)."""
    probe = ctx.hub.probe("meta", repo_type, token) if ctx.hub is not None else None
    if probe is None or probe.http.status != 200:
        return None
    data = probe.http.json
    return data if isinstance(data, dict) else {}


def credentials_refused(ctx: Context, token: str) -> tuple[RepoProbe, RepoProbe | None] | None:
    """A repo request carrying `token` that the server answered 401 naming the credentials, with the same request
    sent without a token (when the probe sent one). Used when whoami cannot tell (a mirror without the route,
    a rate limit): every route that answers 401 'invalid credentials' is evidence, not only auth-check."""
    if ctx.hub is None or not ctx.target.repo_id:
        return None
    for probe in ctx.hub.repo:
        if probe.token != token or probe.http.status != 401:
            continue
        if INVALID_CREDENTIALS not in probe.http.error_message.lower():
            continue
        return probe, ctx.hub.probe(probe.kind, probe.repo_type, None)
    return None


def repo_word(repo_type: str) -> str:
    """The repo type as a sentence names it."""
    return {"model": "model", "dataset": "dataset", "space": "Space"}[repo_type]
