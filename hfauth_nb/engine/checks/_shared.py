"""Finding builders that several check modules need: the no-token and implicit-token findings, the step that
replaces a token, and why a request went out without one."""

from __future__ import annotations

from typing import Callable

from hfauth_nb.engine.checks.colab import check_colab_secret_not_granted
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.report import Finding, Severity

Check = Callable[[Context], list[Finding]]


_KAGGLE_FIX = (
    "from kaggle_secrets import UserSecretsClient; import os; "
    'os.environ["HF_TOKEN"] = UserSecretsClient().get_secret("HF_TOKEN")'
)


def replace_token_step(kind: str, name: str) -> str:
    """The one step that puts a new token into a source of this kind."""
    if kind == "env":
        return f'%env {name}=<new token>   (or remove it: import os; os.environ.pop("{name}"))'
    if kind == "colab":
        return "Colab: key icon (Secrets) > edit HF_TOKEN, then restart the session"
    return (
        "hf auth login   (or in Python: from huggingface_hub import login; login()); replaces the token file"
    )


def calls_fail_locally(ctx: Context) -> str | None:
    """Why every library call that resolves a token raises before sending anything (None when they can run):
    `get_token()` reaches a token file it cannot read (a directory, no permission) and raises."""
    if ctx.winner is not None:
        return None
    token_file = ctx.facts.tokens.source("token file")
    if token_file is not None and token_file.state == "unreadable":
        return f"the token file {token_file.location} cannot be read ({token_file.note})"
    blocked = ctx.facts.tokens.resolution.blocked or ""
    return blocked if blocked.startswith("get_token() raised") else None


def no_token_finding(ctx: Context, severity: Severity, why: str) -> Finding:
    """no-token at this severity, with the fix for this runtime and why no source gave a token."""
    runtime = ctx.facts.runtime.kind
    fix: tuple[str, ...]
    if runtime == "kaggle":
        fix = ("Add HF_TOKEN under Add-ons > Secrets, then: " + _KAGGLE_FIX,)
    elif runtime in ("colab", "colab-enterprise"):
        fix = (
            "Colab: key icon (Secrets) > add HF_TOKEN and allow notebook access, then restart the session",
            "or run: from huggingface_hub import login; login()",
        )
    else:
        fix = (
            f"Create a token at {ctx.site('/settings/tokens')}",
            "hf auth login   (or in a notebook: %hfauth login, or from huggingface_hub import login; login())",
        )
    colab = ctx.facts.tokens.source("Colab secret")
    evidence: dict[str, object] = {"sources checked": [s.name for s in ctx.facts.tokens.sources]}
    colab_note = ""
    if colab is not None:
        evidence["Colab secret"] = colab.note or colab.state
        colab_note = f" Colab secret: {colab.note or colab.state}."
        if ctx.facts.tokens.colab_via == "library cache":
            fix = ("Runtime > Restart session (huggingface_hub asks Colab again after a restart)", *fix)
    title = "No Hugging Face token was found" + (f": {why}" if why else " in any source.")
    detail = (
        "Checked: HF_TOKEN, HUGGING_FACE_HUB_TOKEN, the token file"
        + (", the Colab secret" if colab is not None else "")
        + ". Public repos work without a token; gated, private and write access need one."
        + colab_note
    )
    moved = ctx.facts.token_path
    if moved is not None and moved.missing:
        title = (
            f"No Hugging Face token was found: HF_TOKEN_PATH points at {moved.path}, which does not exist"
            + (f", so the token in {moved.default_path} is never read." if moved.default_masked else ".")
        )
        detail = (
            (f"{why} " if why else "")
            + "With HF_TOKEN_PATH set, huggingface_hub reads the token file at that path only and treats a "
            "missing file as 'no token'"
            + (
                f"; the default token file {moved.default_path} holds {moved.default_masked}, which it ignores."
                if moved.default_masked
                else "."
            )
        )
        fix = (
            "unset HF_TOKEN_PATH   # then restart the kernel: the library reads it once, at import",
            f"or put the token at {moved.path}: hf auth login   (with HF_TOKEN_PATH set it writes there)",
        )
        evidence = {
            **evidence,
            "HF_TOKEN_PATH": moved.path,
            "exists": False,
            "default token file": moved.default_path,
            "default file token": moved.default_masked,
        }
    return Finding(id="no-token", severity=severity, title=title, detail=detail, fix=fix, evidence=evidence)


def implicit_token_finding(ctx: Context, severity: Severity) -> Finding:
    """implicit-token-disabled at this severity: calls without token= go out anonymous."""
    return Finding(
        id="implicit-token-disabled",
        severity=severity,
        title="HF_HUB_DISABLE_IMPLICIT_TOKEN is set: library calls send no token unless you pass token=... "
        "explicitly.",
        detail="Downloads, uploads and repo creation without an explicit token go out anonymous, so gated, "
        "private and write requests fail with 401/403 even though you are logged in.",
        fix=(
            "unset HF_HUB_DISABLE_IMPLICIT_TOKEN, then restart the kernel",
            "or pass token=True in each call",
        ),
        evidence={"library constant": ctx.facts.library.implicit_token_disabled},
    )


def why_anonymous(ctx: Context, why: str) -> Finding:
    """A request went out without a token: because there is none, or because implicit tokens are disabled."""
    if ctx.has_token and ctx.facts.library.implicit_token_disabled:
        return implicit_token_finding(ctx, "error")
    unanswered = check_colab_secret_not_granted(ctx) if ctx.facts.tokens.resolution.blocked else []
    if unanswered:
        return unanswered[0]  # the library waits for the Colab vault: "no token" is not established
    return no_token_finding(ctx, "error", why)
