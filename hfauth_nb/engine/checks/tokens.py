"""Checks on the token sources themselves: a malformed or unreadable token, misnamed or legacy variables,
no token at all, and implicit tokens switched off (before and after asking the Hub)."""

from __future__ import annotations

from hfauth_nb.engine.causes import EnvVarCause
from hfauth_nb.engine.checks._shared import implicit_token_finding, no_token_finding, replace_token_step
from hfauth_nb.engine.checks.hub_answers import auth_probe
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.report import Finding
from hfauth_nb.secrets import mask


def token_format_problems(raw: str | None, value: str | None) -> list[str]:
    """What is wrong with a token's shape (facts F1-F3, T9); the library sends it as is."""
    if not value:
        return []
    problems = []
    if value[0] in "\"'" or value[-1] in "\"'":
        problems.append("it is wrapped in quotes")
    if value.lower().startswith("bearer "):
        problems.append('it starts with "Bearer " (paste the token alone)')
    elif any(ch.isspace() for ch in value):
        problems.append("it contains whitespace inside")
    if any(ord(ch) > 127 for ch in value):
        problems.append("it contains non-ASCII characters (a smart quote or a look-alike letter?)")
    core = value.strip("\"'")
    if core.lower().startswith("bearer "):
        core = core[7:].strip()
    if core.startswith(("hf_oauth_", "hf_jwt_")):
        pass
    elif core.startswith("api_org_"):
        problems.append(
            "it is a legacy organization token (api_org_...), deprecated since 2023 and refused by login()"
        )
    elif core.startswith("api_"):
        problems.append("it is a legacy api_... token; create a new hf_... token")
    elif core.startswith("hf_"):
        body = core[3:]
        if len(body) != 34 or not body.isalpha():
            problems.append(
                f"an hf_ token has 34 letters after hf_; this one has {len(body)} characters (truncated?)"
            )
    elif not problems:
        problems.append("it does not start with hf_ (is it a token from another service?)")
    return problems


def check_token_malformed(ctx: Context) -> list[Finding]:
    winner = ctx.winner
    if winner is None or winner.value is None:
        return []
    problems = token_format_problems(winner.raw, winner.value)
    if not problems:
        return []
    sent = _request_leaves(ctx, winner.value)
    if sent is False:
        title = (
            f"The token huggingface_hub uses, from {ctx.source_label(winner)}, cannot even be sent: "
            f"{problems[0]}."
        )
        detail = (
            f"huggingface_hub {ctx.facts.library.version} raises UnicodeEncodeError before any request leaves "
            "this process: its HTTP client cannot encode the token in a header, so every call fails locally and the Hub never "
            "sees the token. Problems: " + "; ".join(problems) + "."
        )
    else:
        title = (
            f"The token huggingface_hub uses, from {ctx.source_label(winner)}, is malformed: {problems[0]}."
        )
        detail = (
            "huggingface_hub sends the token exactly as stored (only line breaks and outer spaces are removed), "
            + (
                "and the Hub rejects it: "
                if sent
                else "so its calls fail (its HTTP client may not even encode a non-ASCII token; nothing was sent to "
                "find out): "
                if any(ord(ch) > 127 for ch in winner.value)
                else "so the Hub will reject it: "
            )
            + "; ".join(problems)
            + "."
        )
    return [
        Finding(
            id="token-malformed",
            severity="error",
            title=title,
            detail=detail,
            fix=(
                f"Copy the token again from {ctx.site('/settings/tokens')} and store it without quotes or spaces.",
                replace_token_step(winner.kind, winner.name),
            ),
            evidence={
                "source": winner.name,
                "location": winner.location,
                "masked": mask(winner.value),
                "problems": problems,
                "request sent": sent,
            },
        )
    ]


def _request_leaves(ctx: Context, token: str | None) -> bool | None:
    """Whether the library's own HTTP stack put this token on the wire when the probe tried (None: not tried).

    The probes go through the installed library's session, so a header it cannot encode fails there exactly
    as in the user's calls (httpx: ASCII only; requests: latin-1 goes out and the Hub answers).
    """
    answer = ctx.whoami(token)
    if answer is None:
        return None
    if answer.http.error_kind == "header":
        return False
    return True if answer.http.status is not None else None


def _stored_tokens_blocking(ctx: Context) -> list[Finding]:
    """The stored-tokens file is a FIFO or a device: huggingface_hub reads it plainly and would wait forever."""
    stored = ctx.facts.tokens.stored
    if stored.path is None or not stored.error or "not a file" not in stored.error:
        return []
    return [
        Finding(
            id="token-file-unreadable",
            severity="warning",
            title=f"The stored tokens file {stored.path} cannot be read: {stored.error}.",
            detail="huggingface_hub reads it with a plain open() (login, logout and auth switch do, and "
            "get_token() too in the versions that refresh OAuth logins): on a FIFO or a device that call "
            "waits forever.",
            fix=(f"ls -l {stored.path}   # then remove it and log in again: hf auth login",),
            evidence={"path": stored.path, "reason": stored.error},
        )
    ]


def check_token_file_unreadable(ctx: Context) -> list[Finding]:
    source = ctx.facts.tokens.source("token file")
    if source is None or source.state != "unreadable":
        return _stored_tokens_blocking(ctx)
    reached = ctx.winner is None  # an earlier source (HF_TOKEN, OIDC, ...) means get_token() never opens it
    implicit = ctx.implicit_calls_resolve_token
    return [
        Finding(
            id="token-file-unreadable",
            severity="error" if reached and implicit else "warning",
            title=f"The token file {source.location} exists but cannot be read: {source.note}.",
            detail="huggingface_hub only tolerates a missing token file; an unreadable one makes get_token() and every "
            "call that needs a token raise an error."
            + (
                ""
                if implicit
                else " With HF_HUB_DISABLE_IMPLICIT_TOKEN set, calls without token= do not read it (they go out "
                "anonymous); whoami and calls with token=True raise."
            ),
            fix=(
                f"ls -ld {source.location}   # check owner and mode",
                f"chmod 600 {source.location}   # if you own it; or remove it and run: hf auth login",
            ),
            evidence={"path": source.location, "reason": source.note},
        )
    ]


_LEGACY = EnvVarCause("HUGGING_FACE_HUB_TOKEN", legacy=True)


def check_legacy_env_var(ctx: Context) -> list[Finding]:
    tokens = ctx.facts.tokens
    legacy = tokens.source("HUGGING_FACE_HUB_TOKEN")
    modern = tokens.source("HF_TOKEN")
    if legacy is None or legacy.state == "unset":
        return []
    evidence = {
        "HUGGING_FACE_HUB_TOKEN": mask(legacy.value),
        "HF_TOKEN": mask(modern.value) if modern else None,
    }
    fix = ('import os; os.environ["HF_TOKEN"] = os.environ.pop("HUGGING_FACE_HUB_TOKEN")   # rename it',)
    if modern is not None and modern.state == "blank" and modern.raw:
        return [
            Finding(
                id="legacy-env-var",
                severity="warning",
                title="HF_TOKEN is set to blanks, so huggingface_hub skips HUGGING_FACE_HUB_TOKEN and reads "
                "the token file.",
                detail="The two variables are joined with `or` before cleaning: a whitespace-only HF_TOKEN "
                "is 'set', cleans to nothing, and the lookup jumps to the token file.",
                fix=('import os; os.environ.pop("HF_TOKEN")', *fix),
                evidence=evidence,
                cause=_LEGACY,
            )
        ]
    if modern is not None and modern.present and not legacy.present:
        return [
            Finding(
                id="legacy-env-var",
                severity="info",
                title="HUGGING_FACE_HUB_TOKEN is set but blank; HF_TOKEN is the one in use.",
                detail="A blank deprecated variable changes nothing here, but it confuses other tools and readers.",
                fix=('import os; os.environ.pop("HUGGING_FACE_HUB_TOKEN")   # remove it',),
                evidence=evidence,
                cause=_LEGACY,
            )
        ]
    if modern is not None and modern.present and modern.value != legacy.value:
        return [
            Finding(
                id="legacy-env-var",
                severity="warning",
                title="HUGGING_FACE_HUB_TOKEN holds a different token from HF_TOKEN and is ignored "
                "(HF_TOKEN wins).",
                detail="HUGGING_FACE_HUB_TOKEN is the deprecated name; huggingface_hub reads it only when "
                "HF_TOKEN is unset.",
                fix=('import os; os.environ.pop("HUGGING_FACE_HUB_TOKEN")   # remove the stale one',),
                evidence=evidence,
                cause=_LEGACY,
            )
        ]
    return [
        Finding(
            id="legacy-env-var",
            severity="info",
            title="HUGGING_FACE_HUB_TOKEN is deprecated; name the variable HF_TOKEN.",
            detail="It still works, but newer tools read only HF_TOKEN.",
            fix=fix,
            evidence=evidence,
            cause=_LEGACY,
        )
    ]


def check_env_var_misnamed(ctx: Context) -> list[Finding]:
    findings = []
    for name, value in ctx.facts.tokens.misnamed:
        no_token = not ctx.has_token
        same = value == ctx.effective
        note = " (LangChain reads it; huggingface_hub does not)" if name == "HUGGINGFACEHUB_API_TOKEN" else ""
        findings.append(
            Finding(
                id="env-var-misnamed",
                severity="warning" if no_token else "info",
                title=f"{name} holds a token, but no Hub client reads that variable{note}.",
                detail="huggingface_hub reads HF_TOKEN (and the legacy HUGGING_FACE_HUB_TOKEN)."
                + (" It is the same token as the one in use." if same else ""),
                fix=(f'import os; os.environ["HF_TOKEN"] = os.environ["{name}"]   # this kernel only',),
                evidence={"variable": name, "masked": mask(value)},
            )
        )
    return findings


def check_no_token_local(ctx: Context) -> list[Finding]:
    """no-token when nothing resolves; its severity is raised by hub checks when the repo needs a token."""
    if ctx.has_token:
        return []
    if ctx.facts.tokens.resolution.blocked:
        return _colab_unread(ctx)
    return [] if ctx.hub is not None else [no_token_finding(ctx, "info", "")]


def _colab_unread(ctx: Context) -> list[Finding]:
    """--no-colab-secret kept the vault closed while it is the only place a token could come from."""
    colab = ctx.facts.tokens.source("Colab secret")
    if colab is None or colab.state != "not-read" or not ctx.facts.tokens.colab_reached:
        return []
    return [
        Finding(
            id="no-token",
            severity="info",
            title="No token outside the Colab secret, which was not read (--no-colab-secret): "
            "huggingface_hub will read it on its next call.",
            detail="Whether that call sends a token depends on the secret; run the check without "
            "--no-colab-secret to know.",
            fix=("%hfauth check   # reads the Colab secret (Colab may ask you to grant access)",),
            evidence={
                "sources checked": [s.name for s in ctx.facts.tokens.sources],
                "Colab secret": "not read",
            },
        )
    ]


def check_implicit_token_disabled(ctx: Context) -> list[Finding]:
    if not ctx.facts.library.implicit_token_disabled or ctx.hub is not None:
        return []
    return [implicit_token_finding(ctx, "warning")]


def check_no_token_hub(ctx: Context) -> list[Finding]:
    """no-token after asking the Hub: an error for write intent, info otherwise (repo checks raise it themselves)."""
    if ctx.hub is None or ctx.has_token or ctx.facts.tokens.resolution.blocked:
        return []
    probe = auth_probe(ctx, None)
    if ctx.target.repo_id and probe is not None and probe.http.status in (401, 404):
        return []  # check_repo reports it with the repo's reason
    if ctx.target.write:
        return [no_token_finding(ctx, "error", "writing needs a token with write access.")]
    return [no_token_finding(ctx, "info", "")]


def check_implicit_hub(ctx: Context) -> list[Finding]:
    if ctx.hub is None or not ctx.facts.library.implicit_token_disabled:
        return []
    probe = auth_probe(ctx, None)
    if ctx.target.repo_id and probe is not None and probe.http.status in (401, 404) and ctx.has_token:
        return []  # check_repo reports it as the cause
    return [implicit_token_finding(ctx, "error" if ctx.target.write else "warning")]
