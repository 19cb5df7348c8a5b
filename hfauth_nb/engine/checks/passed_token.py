"""A token passed to the failing call (`token=...`) is sent as is instead of the one `get_token()` resolves from
HF_TOKEN, the token file or a Colab secret (facts T1, T2, T20). The rest of a report judges that local token; these
findings judge the one the request really carried, read from the request attached to the exception, with the Hub's
answers to it (whoami and the repo's auth-check). A netrc entry that replaced it with Basic auth (requests era,
fact N1) leaves no Bearer token in the request, so these checks stay quiet and the netrc findings speak."""

from __future__ import annotations

from hfauth_nb.engine.checks.hub_answers import auth_probe, repo_word
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.report import Finding
from hfauth_nb.secrets import mask


def _local(ctx: Context) -> str:
    """The token this kernel resolves, in words (what the other lines of the report judge)."""
    if ctx.sent is None:
        return "no local token"
    return f"{ctx.source_label(ctx.winner)} ({mask(ctx.sent)})"


def check_passed_token(ctx: Context) -> list[Finding]:
    """The failing request carried a token other than the one the library resolves locally: judge that one."""
    passed = ctx.call_token
    if passed is None or passed == ctx.sent or ctx.hub is None:
        return []
    whoami = ctx.whoami(passed)
    shown = mask(passed)
    evidence: dict[str, object] = {"token the call sent": shown, "token this kernel resolves": _local(ctx)}
    aside = (
        f"A token passed to a call (token=...) is sent instead of {_local(ctx)}; the other lines of this report "
        "judge that local token, which this call did not use."
    )
    drop = "or drop token=... from the call to use the token this kernel resolves (its own lines are below)"
    if whoami is not None and whoami.valid is False:
        return [
            Finding(
                id="passed-token-rejected",
                severity="error",
                title=f"The failing call passed its own token ({shown}), and the Hub rejects it (401).",
                detail="The Hub does not accept that token: revoked, expired, mistyped or from another Hub. "
                + aside,
                fix=(f"Pass a valid token (create one at {ctx.site('/settings/tokens')})", drop),
                evidence={**evidence, "whoami": 401},
            )
        ]
    user = whoami.user if whoami is not None else None
    evidence["user"] = user or "unknown"
    target = ctx.target
    probe = auth_probe(ctx, passed) if target.repo_id else None
    status = probe.http.status if probe is not None else None
    if probe is not None and status in (401, 403, 404):
        action = "write to" if target.write else "read"
        said = probe.http.error_message
        evidence.update({"repo": target.repo_id, "auth-check": status})
        return [
            Finding(
                id="passed-token-no-access",
                severity="error",
                title=f"The token the failing call passed ({shown}{', user ' + user if user else ''}) may not "
                f"{action} {repo_word(target.repo_type)} {target.repo_id} (HTTP {status}).",
                detail=(f"The Hub said: {said}. " if said else "")
                + "Gated repos need their terms accepted by that token's account, private ones membership; a "
                "fine-grained token needs the repo or its org in its permissions. " + aside,
                fix=(
                    f"Pass a token of an account that may {action} {target.repo_id}: "
                    f"{ctx.site('/settings/tokens')}",
                    drop,
                ),
                evidence=evidence,
            )
        ]
    return [
        Finding(
            id="passed-token-used",
            severity="info",
            title=f"The failing call passed its own token ({shown}{', user ' + user if user else ''}), not "
            f"{_local(ctx)}.",
            detail=aside + (" The Hub accepts the passed token for this repo now." if status == 200 else ""),
            fix=(),
            evidence=evidence,
        )
    ]
