"""Gated repos: access not requested, pending or rejected, and fine-grained tokens without gated access."""

from __future__ import annotations

from hfauth_nb.engine.checks._shared import why_anonymous
from hfauth_nb.engine.checks.hub_answers import repo_meta, repo_word
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.hub import Whoami
from hfauth_nb.engine.report import Finding, Severity

_FINE_GRAINED_GATED = "enable access to public gated repositories"


def _gate_mode(ctx: Context) -> str | None:
    for token in (ctx.sent, None):
        meta = repo_meta(ctx, ctx.target.repo_type, token)
        if meta is not None:
            gated = meta.get("gated")
            return str(gated) if gated else None
    return None


def gate_findings(ctx: Context, status: int | None, message: str, whoami: Whoami | None) -> list[Finding]:
    """Why the gate refused this token (not requested, pending, rejected), from the Hub's own sentence."""
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
        return [why_anonymous(ctx, f"{target.repo_id} is gated and the request carried no token.")]
    user = whoami.user if whoami else None
    as_user = f" as {user}" if user else ""
    if "awaiting a review" in low:
        findings.append(
            Finding(
                id="gated-pending",
                severity="error",
                title=f"Your request to access {target.repo_id} is still pending{as_user}: the authors have "
                "not reviewed it yet.",
                detail="Gated repos with manual approval stay closed until the authors accept the request; "
                "nothing on your side can speed it up.",
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
                title=f"You have not asked for access to the gated {repo_word(target.repo_type)} "
                f"{target.repo_id}{as_user}: open {page} and accept its terms.",
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
        title="Your fine-grained token is not allowed to read gated repos: enable 'Read access to contents "
        "of all public gated repos you can access' for it.",
        detail="Fine-grained tokens need that switch even when your account has been granted access to the repo."
        + (f" The Hub answered: '{message}'." if message else ""),
        fix=(f"Edit the token at {ctx.site('/settings/tokens')} and tick the gated-repos permission.",),
        evidence={"repo": ctx.target.repo_id, "X-Error-Message": message or None},
    )


def fine_grained_refusal(
    ctx: Context, status: int | None, message: str, whoami: Whoami | None
) -> Finding | None:
    """A 403 that a fine-grained token's missing gated-repos permission explains (the Hub says so, or the repo is
    gated and the token lacks the switch)."""
    if status != 403:
        return None
    if _FINE_GRAINED_GATED in message.lower() or _fine_grained_blocks_gated(ctx, whoami):
        return _fine_grained_no_gated(ctx, message)
    return None
