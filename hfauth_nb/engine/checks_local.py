"""Pure checks that need no network: token sources, netrc, git, environment. Each is named after its finding.

A check reads a `Context` and returns findings; it does no I/O. Tokens appear only masked.
"""

from __future__ import annotations

import time
from typing import Callable

from hfauth_nb.engine.causes import EnvVarCause, GitCredentialCause, NetrcStanzaCause
from hfauth_nb.engine.context import DEFAULT_ENDPOINT, Context
from hfauth_nb.engine.git_facts import GitFacts
from hfauth_nb.engine.library import version_tuple
from hfauth_nb.engine.report import Finding, Severity
from hfauth_nb.secrets import mask, mask_secret

Check = Callable[[Context], list[Finding]]

_KAGGLE_FIX = (
    "from kaggle_secrets import UserSecretsClient; import os; "
    'os.environ["HF_TOKEN"] = UserSecretsClient().get_secret("HF_TOKEN")'
)


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


def replace_token_step(kind: str, name: str) -> str:
    """The one step that puts a new token into a source of this kind."""
    if kind == "env":
        return f'%env {name}=<new token>   (or remove it: import os; os.environ.pop("{name}"))'
    if kind == "colab":
        return "Colab: key icon (Secrets) > edit HF_TOKEN, then restart the session"
    return (
        "hf auth login   (or in Python: from huggingface_hub import login; login()); replaces the token file"
    )


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
            detail="huggingface_hub reads it with a plain open() (login, logout and auth switch do, and get_token() too "
            "in the versions that refresh OAuth logins): on a FIFO or a device that call waits forever.",
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


def check_oidc_token_active(ctx: Context) -> list[Finding]:
    source = ctx.facts.tokens.source("HF_OIDC_RESOURCE")
    if source is None:
        return []
    env = ctx.facts.env
    if source.state == "refused":
        return [
            Finding(
                id="oidc-token-active",
                severity="error",
                title="HF_OIDC_RESOURCE is set and the Hub refused the OIDC id token exchange, so huggingface_hub "
                "raises instead of using any token.",
                detail=f"{source.note}. With HF_OIDC_RESOURCE set, get_token() exchanges the id token for a short-lived "
                "Hub token and never falls back to HF_TOKEN or the token file.",
                fix=(
                    "unset HF_OIDC_RESOURCE   # to use HF_TOKEN or your login instead",
                    "or check that the id token is fresh and that HF_OIDC_RESOURCE names a repo or user the "
                    "trusted publisher is set up for",
                ),
                evidence={"HF_OIDC_RESOURCE": env.oidc_resource, "HF_OIDC_ID_TOKEN set": env.oidc_id_token},
            )
        ]
    if source.state != "exchange":
        return [
            Finding(
                id="oidc-token-active",
                severity="info",
                title=f"HF_OIDC_RESOURCE is set but huggingface_hub {ctx.facts.library.version} ignores it.",
                detail="Trusted-publisher (OIDC) tokens are supported from huggingface_hub 1.19.",
                fix=("pip install -U 'huggingface_hub>=1.19'   # or unset HF_OIDC_RESOURCE",),
                evidence={"HF_OIDC_RESOURCE": env.oidc_resource},
            )
        ]
    no_id_token = not env.oidc_id_token and not env.github_actions_oidc
    return [
        Finding(
            id="oidc-token-active",
            severity="error" if no_id_token else "warning",
            title=(
                "HF_OIDC_RESOURCE is set but no OIDC id token is available, so huggingface_hub raises instead of "
                "using your token."
                if no_id_token
                else "HF_OIDC_RESOURCE is set: an exchanged CI token takes precedence over HF_TOKEN and your login."
            ),
            detail="With HF_OIDC_RESOURCE set, get_token() exchanges an OIDC id token for a short-lived Hub token and "
            "never falls back to HF_TOKEN or the token file.",
            fix=("unset HF_OIDC_RESOURCE   # to use HF_TOKEN or your login instead",)
            + (("set HF_OIDC_ID_TOKEN to the id token your CI provider minted",) if no_id_token else ()),
            evidence={"HF_OIDC_RESOURCE": env.oidc_resource, "HF_OIDC_ID_TOKEN set": env.oidc_id_token},
        )
    ]


_RELOGIN = ("hf auth login   # log in again (in a notebook: from huggingface_hub import login; login())",)


def expired_login_explains(ctx: Context) -> bool:
    """The token sent is a browser login that expired and was not refreshed: oauth-token-expired says why."""
    login = ctx.facts.tokens.oauth
    winner = ctx.winner
    return (
        login is not None
        and winner is not None
        and winner.kind == "file"
        and login.outcome not in ("refreshed", "not-due", "not-used")
        and login.expires_at is not None
        and login.expires_at <= ctx.facts.tokens.now
    )


def check_oauth_token_expired(ctx: Context) -> list[Finding]:
    """A browser (OAuth) login that expired, or is about to, and that huggingface_hub could not refresh (T18, A4).

    A refresh that worked is no finding: the token the library now sends is judged like any other.
    """
    login = ctx.facts.tokens.oauth
    if login is None or login.outcome in ("refreshed", "not-due"):
        return []
    expired = login.expires_at is not None and login.expires_at <= ctx.facts.tokens.now
    when = _utc(login.expires_at)
    in_use = ctx.winner is not None and ctx.winner.kind == "file"
    evidence = {
        "token name": login.name,
        "expires": when,
        "refresh token stored": login.has_refresh,
        "refresh": login.outcome,
        "library": ctx.facts.library.version,
    }
    name = f"Your browser login ({login.name})"
    detail = (
        "Browser (OAuth) logins last a limited time; huggingface_hub 1.20+ refreshes them inside get_token() "
        "with the stored refresh token, from a day before they expire."
    )
    if login.outcome == "revoked":
        return [
            Finding(
                id="oauth-token-expired",
                severity="error" if expired and in_use else "warning",
                title=f"{name} expired on {when} and huggingface_hub could not refresh it: the Hub refused the refresh "
                "token (expired or revoked)."
                if expired
                else f"{name} expires on {when} and can no longer be refreshed: the Hub refused its refresh token.",
                detail=detail
                + " The Hub answered invalid_grant, so only a new login helps; huggingface_hub stops "
                "trying in this session.",
                fix=_RELOGIN,
                evidence=evidence,
            )
        ]
    if login.outcome in ("failed", "pending"):
        return [
            Finding(
                id="oauth-token-expired",
                severity="warning",
                title=f"{name} {'expired' if expired else 'expires'} on {when}; {login.detail}.",
                detail=detail
                + (
                    " A refresh that failed for another reason (network, server error) is retried after 5 minutes."
                    if login.outcome == "failed"
                    else " Run the check again in a moment to see its outcome."
                ),
                fix=("Run the check again in a few minutes.", *_RELOGIN),
                evidence=evidence,
            )
        ]
    if not expired:
        return []
    cannot = login.outcome in ("unsupported", "no-refresh-token")
    reason = f": {login.detail}" if login.detail else ""
    return [
        Finding(
            id="oauth-token-expired",
            severity="error" if in_use and cannot else "warning",
            title=f"{name} expired on {when}"
            + (
                f" and cannot be refreshed{reason}."
                if cannot
                else f"; huggingface_hub will refresh it{reason}."
            ),
            detail=detail,
            fix=_RELOGIN
            + (("pip install -U 'huggingface_hub>=1.20'",) if login.outcome == "unsupported" else ()),
            evidence=evidence,
        )
    ]


def _utc(timestamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp or 0))


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
                title="HF_TOKEN is set to blanks, so huggingface_hub skips HUGGING_FACE_HUB_TOKEN and reads the token file.",
                detail="The two variables are joined with `or` before cleaning: a whitespace-only HF_TOKEN is 'set', "
                "cleans to nothing, and the lookup jumps to the token file.",
                fix=('import os; os.environ.pop("HF_TOKEN")', *fix),
                evidence=evidence,
                cause=_LEGACY,
            )
        ]
    if modern is not None and modern.present and modern.value != legacy.value:
        return [
            Finding(
                id="legacy-env-var",
                severity="warning",
                title="HUGGING_FACE_HUB_TOKEN holds a different token from HF_TOKEN and is ignored (HF_TOKEN wins).",
                detail="HUGGING_FACE_HUB_TOKEN is the deprecated name; huggingface_hub reads it only when HF_TOKEN is unset.",
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


def check_netrc(ctx: Context) -> list[Finding]:
    """netrc-overrides-token where the observed header proves it; netrc-entry otherwise (git still uses it)."""
    facts = ctx.facts
    observed = facts.observed
    findings: list[Finding] = []
    library_file_seen = False
    for netrc_file, entry in facts.netrc.entries:
        library_reads = any("requests" in user for user in netrc_file.used_by)
        evidence = {
            "file": netrc_file.path,
            "machine": entry.machine,
            "login": entry.login,
            "password": mask_secret(entry.password),
            "used by": list(netrc_file.used_by),
            "huggingface_hub": f"{facts.library.version} ({facts.library.backend})",
        }
        stanza = "default entry" if entry.is_default else f"'machine {entry.machine}' entry"
        cause = NetrcStanzaCause(netrc_file.path, entry.machine)
        if library_reads and observed is not None and observed.replaced and not library_file_seen:
            library_file_seen = True
            evidence["observed Authorization"] = f"Basic (login {observed.basic_login})"
            same = entry.password is not None and entry.password == ctx.effective
            findings.append(
                Finding(
                    id="netrc-overrides-token",
                    severity="warning" if same else "error",
                    title=f"The {stanza} in {netrc_file.path} replaces your token: huggingface_hub "
                    f"{facts.library.version} sends it as Basic auth instead of the Bearer token.",
                    detail="requests (used by huggingface_hub < 1.0) applies netrc credentials to every request that has no "
                    "explicit auth, overwriting the Authorization header; the Hub then answers 401 'Invalid "
                    "credentials in Authorization header', even for public repos. Seen here: the library's own "
                    "session put Basic auth on a request to " + facts.host + ".",
                    fix=(
                        "hfauth fix netrc-overrides-token   # removes only this entry, keeps a backup; "
                        "--dry-run shows the change (in a notebook: %hfauth fix ...)",
                        "%env NETRC=/dev/null   # this kernel only: requests then reads no netrc file",
                        "pip install -U 'huggingface_hub>=1.0'   # httpx-based versions ignore netrc (if your "
                        "transformers allows it)",
                    ),
                    evidence=evidence,
                    cause=cause,
                )
            )
            continue
        git_users = [u for u in netrc_file.used_by if u.startswith("git")]
        if not git_users and not library_reads:
            continue
        same = entry.password is not None and entry.password == ctx.effective
        findings.append(
            Finding(
                id="netrc-entry",
                severity="info" if same else "warning",
                title=f"{netrc_file.path} has a {stanza} that git and git-lfs send to {facts.host}"
                + (" (it matches your token)." if same else ", and it is not your current token."),
                detail="huggingface_hub "
                + (
                    f"{facts.library.version} ignores netrc"
                    if facts.library.backend != "requests"
                    else "does not use it here"
                )
                + ", but git clone/push over https and git-lfs use netrc credentials instead of the credential "
                "helper, so a stale entry breaks them with 401.",
                fix=(
                    "hfauth fix netrc-entry   # removes only this entry, keeps a backup; --dry-run shows the change",
                    f"or update its password in {netrc_file.path} to your current token",
                ),
                evidence=evidence,
                cause=cause,
            )
        )
    return findings


def check_netrc_unusable(ctx: Context) -> list[Finding]:
    findings = []
    for netrc_file in ctx.facts.netrc.files:
        if netrc_file.error:
            findings.append(
                Finding(
                    id="netrc-unusable",
                    severity="warning",
                    title=f"{netrc_file.path} cannot be used: {netrc_file.error}.",
                    detail="requests skips a netrc file it cannot parse without a word, while curl/git may still read parts "
                    "of it, so tools disagree about your credentials.",
                    fix=(f"Fix or remove {netrc_file.path} (keep a copy).",),
                    evidence={
                        "file": netrc_file.path,
                        "error": netrc_file.error,
                        "used by": list(netrc_file.used_by),
                    },
                )
            )
        elif netrc_file.unsafe_mode and netrc_file.entry is not None:
            findings.append(
                Finding(
                    id="netrc-unusable",
                    severity="warning",
                    title=f"{netrc_file.path} holds credentials but other users can read it (mode {netrc_file.unsafe_mode}).",
                    detail="Python's netrc refuses such a ~/.netrc for non-anonymous logins, and it exposes your passwords.",
                    fix=(f"chmod 600 {netrc_file.path}",),
                    evidence={"file": netrc_file.path, "mode": netrc_file.unsafe_mode},
                )
            )
    return findings


def _git_cause(git: GitFacts) -> GitCredentialCause:
    return GitCredentialCause(git.host, tuple(git.helpers), git.username, stored=git.password is not None)


def _git_timed_out(git: GitFacts) -> Finding:
    """git was the slow part, not the network: its helper hung, so it was stopped and left out."""
    return Finding(
        id="git-credential-missing",
        severity="warning",
        title=f"git's credential helper did not answer for {git.host}: git clone/push over https would hang here.",
        detail="hfauth_nb gave git its own small time budget, then stopped it; the Hub was asked in parallel, so the "
        "verdict on your token does not depend on git. This was slow on this machine, not on the network.",
        fix=(
            "git config --show-origin --get-all credential.helper   # find the helper that hangs",
            f"printf 'protocol=https\\nhost={git.host}\\n\\n' | GIT_TERMINAL_PROMPT=0 git credential fill"
            "   # try it by hand",
        ),
        evidence={"host": git.host, "helpers": list(git.helpers), "git": git.version, "reason": git.error},
        cause=_git_cause(git),
    )


def check_git_credential(ctx: Context) -> list[Finding]:
    git = ctx.facts.git
    if not git.available:
        return []
    if git.timed_out:
        return [_git_timed_out(git)]
    if git.password is None:
        return [
            Finding(
                id="git-credential-missing",
                severity="info",
                title=f"git has no credential stored for {git.host}: git clone/push over https would ask for one.",
                detail="Only git and git-lfs need this; Python calls use the token directly.",
                fix=(
                    "hf auth login --add-to-git-credential   # stores your token for git",
                    "git config --global credential.helper store   # if no helper is configured",
                ),
                evidence={
                    "host": git.host,
                    "helpers": list(git.helpers),
                    "git": git.version,
                    "reason": git.error,
                },
                cause=_git_cause(git),
            )
        ]
    rejected = ctx.valid(git.password) is False
    if git.password == ctx.effective and not rejected:
        return []
    return [
        Finding(
            id="git-credential-stale",
            severity="warning",
            title=f"git's credential helper holds a token for {git.host} that "
            + ("the Hub rejects." if rejected else "differs from the one huggingface_hub uses."),
            detail="git clone/push and git-lfs use the helper's token, so they fail (or act as another user) while Python "
            "calls work.",
            fix=(
                "hfauth fix git-credential-stale   # stores your current token for git (--remove: just erase it)",
                "or: hf auth login --add-to-git-credential",
                f"printf 'protocol={_protocol(ctx)}\\nhost={git.host}\\nusername={git.username or 'hf_user'}\\n\\n' | "
                "git credential reject   # or just remove it",
            ),
            evidence={
                "host": git.host,
                "helpers": list(git.helpers),
                "username": git.username,
                "masked": mask_secret(git.password),
                "rejected by the Hub": rejected,
            },
            cause=_git_cause(git),
        )
    ]


def _protocol(ctx: Context) -> str:
    return ctx.facts.endpoint.split(":", 1)[0]


def check_endpoint(ctx: Context) -> list[Finding]:
    facts = ctx.facts
    findings = []
    env_endpoint = facts.env.endpoint or DEFAULT_ENDPOINT
    if facts.library.imported_before and env_endpoint != facts.library.endpoint:
        findings.append(
            Finding(
                id="endpoint-changed-after-import",
                severity="warning",
                title=f"HF_ENDPOINT is now {env_endpoint}, but huggingface_hub read {facts.library.endpoint} when it "
                "was imported and still uses it.",
                detail="huggingface_hub reads HF_ENDPOINT once, at import; changing it later (%env, os.environ) has no "
                "effect until the kernel restarts.",
                fix=(
                    "Restart the kernel, and set HF_ENDPOINT before anything imports huggingface_hub or transformers.",
                ),
                evidence={"HF_ENDPOINT now": facts.env.endpoint, "library endpoint": facts.library.endpoint},
            )
        )
    if facts.endpoint_login is not None:
        findings.append(
            Finding(
                id="endpoint-custom",
                severity="error",
                title="HF_ENDPOINT carries a user name and password: every request sends them (Basic auth) instead of "
                "your token.",
                detail="A URL of the form https://user:password@host makes the HTTP client replace the Authorization "
                "header with Basic credentials, so the Hub never sees your token.",
                fix=("Remove the user:password@ part from HF_ENDPOINT, then restart the kernel.",),
                evidence={"endpoint": facts.endpoint, "user in URL": facts.endpoint_login},
            )
        )
    elif facts.endpoint != DEFAULT_ENDPOINT and facts.endpoint_error is None:
        findings.append(
            Finding(
                id="endpoint-custom",
                severity="info",
                title=f"Requests go to {facts.endpoint}, not huggingface.co: a token is valid only on the Hub that issued it.",
                detail="HF_ENDPOINT (or a mirror/private Hub) sends your token to that host; netrc and git credentials are "
                "matched against its host name.",
                fix=("unset HF_ENDPOINT   # to use huggingface.co (then restart the kernel)",),
                evidence={"endpoint": facts.endpoint, "HF_ENDPOINT": facts.env.endpoint},
            )
        )
    return findings


def check_offline_mode(ctx: Context) -> list[Finding]:
    lib, env = ctx.facts.library, ctx.facts.env
    if lib.offline:
        still = "" if env.offline else " (the variable is gone now, but the library read it at import)"
        return [
            Finding(
                id="offline-mode",
                severity="error",
                title="Offline mode is on: huggingface_hub sends nothing to the Hub" + still + ".",
                detail="HF_HUB_OFFLINE=1 (or TRANSFORMERS_OFFLINE=1) makes every Hub call fail or use the local cache only; "
                "the flag is read once at import.",
                fix=("unset HF_HUB_OFFLINE TRANSFORMERS_OFFLINE, then restart the kernel",),
                evidence={"variable": env.offline_variable, "library constant": lib.offline},
            )
        ]
    if env.offline:
        return [
            Finding(
                id="offline-mode",
                severity="info",
                title=f"{env.offline_variable} is set now, but huggingface_hub was imported before and is not offline.",
                detail="The flag takes effect only for a kernel that sets it before importing huggingface_hub.",
                fix=("Restart the kernel if you meant to work offline.",),
                evidence={"variable": env.offline_variable, "library constant": lib.offline},
            )
        ]
    return []


def check_endpoint_invalid(ctx: Context) -> list[Finding]:
    """HF_ENDPOINT (or the configured endpoint) is not a URL the library can send to: a setting, not a network."""
    facts = ctx.facts
    if facts.endpoint_error is None:
        return []
    imports = "" if facts.library.installed else " huggingface_hub cannot even be imported with it."
    return [
        Finding(
            id="endpoint-custom",
            severity="error",
            title=f"The Hub endpoint {facts.endpoint} is not a usable URL: {facts.endpoint_error}.{imports}",
            detail="Every Hub request goes to this URL, so none can be sent; nothing was sent to check your token. "
            "This is a setting on this machine, not a network or token problem.",
            fix=(
                "Fix HF_ENDPOINT (e.g. https://huggingface.co or https://your-mirror.example.com), or unset it; "
                "then restart the kernel.",
            ),
            evidence={
                "endpoint": facts.endpoint,
                "problem": facts.endpoint_error,
                "HF_ENDPOINT set": bool(facts.env.endpoint),
            },
        )
    ]


def check_library_outdated(ctx: Context) -> list[Finding]:
    lib = ctx.facts.library
    if not lib.installed and ctx.facts.endpoint_error is not None:
        return []  # the import failed on the endpoint: check_endpoint_invalid says so
    if not lib.installed:
        return [
            Finding(
                id="library-outdated",
                severity="error",
                title="huggingface_hub is not installed (or fails to import) in this environment.",
                detail=lib.import_error or "",
                fix=("pip install -U huggingface_hub",),
                evidence={"error": lib.import_error},
            )
        ]
    if version_tuple(lib.version) < (0, 25, 0):
        return [
            Finding(
                id="library-outdated",
                severity="warning",
                title=f"huggingface_hub {lib.version} is old: upgrade it for clearer auth errors and token handling.",
                detail="Versions before 0.25 lack auth_check(), named tokens and the 403 'check your token permissions' "
                "messages; before 0.23 HF_TOKEN_PATH is ignored.",
                fix=("pip install -U huggingface_hub",),
                evidence={"version": lib.version},
            )
        ]
    return []


def check_colab_secret_not_granted(ctx: Context) -> list[Finding]:
    """Colab did not hand over the HF_TOKEN secret: refused, no answer, no Colab UI, or an earlier refusal cached."""
    tokens = ctx.facts.tokens
    vault = tokens.vault
    if vault is None:
        return []
    no_token = ctx.effective is None and not ctx.oidc_wins
    restart = "Runtime > Restart session, then run your cells again"
    grant = "Colab: key icon (Secrets) > switch on 'Notebook access' for HF_TOKEN"
    version = ctx.facts.library.version
    evidence = {"vault": vault.outcome, "read by": "hfauth, now", "detail": vault.detail}
    if vault.outcome == "not-granted":
        return [
            Finding(
                id="colab-secret-not-granted",
                severity="error" if no_token else "warning",
                title="Colab holds an HF_TOKEN secret, but this notebook was not granted access to it.",
                detail=f"huggingface_hub {version} asks for the secret once per session, gets nothing after a refusal and "
                "remembers that until the session restarts.",
                fix=(grant, restart),
                evidence=evidence,
            )
        ]
    if vault.outcome == "timeout":
        waits = tokens.colab_reached
        return [
            Finding(
                id="colab-secret-not-granted",
                severity="error" if waits else "warning",
                title=f"{vault.detail}: a grant-access popup may be waiting in the notebook."
                if ctx.facts.runtime.kind == "colab"
                else f"{vault.detail}.",
                detail="Colab answers secret requests only while the notebook is open in the Colab UI; "
                + (
                    f"huggingface_hub {version} reads the vault on its next call and waits for that answer too."
                    if waits
                    else f"huggingface_hub {version} does not need the secret here (another source wins)."
                ),
                fix=(
                    "Answer the popup in the Colab tab (Grant access), then run the check again",
                    "Not in the Colab UI (VS Code, colab CLI)? Set the token another way: "
                    "from huggingface_hub import login; login()",
                ),
                evidence={**evidence, "waited (s)": round(vault.waited, 1)},
            )
        ]
    if vault.outcome in ("no-ui", "error"):
        return [
            Finding(
                id="colab-secret-not-granted",
                severity="error" if no_token else "warning",
                title=f"Colab could not hand over the HF_TOKEN secret ({vault.detail}).",
                detail=f"huggingface_hub {version} then uses no Colab secret for the whole session (it warns once).",
                fix=(
                    "Open the notebook in the Colab UI, or set the token another way: "
                    "from huggingface_hub import login; login()",
                    restart,
                ),
                evidence=evidence,
            )
        ]
    if vault.outcome == "granted" and tokens.colab_cache_empty:
        return [
            Finding(
                id="colab-secret-not-granted",
                severity="error" if no_token else "warning",
                title="The HF_TOKEN secret is readable now, but huggingface_hub read the vault before access was granted "
                "and keeps using no secret until the session restarts.",
                detail="The library reads the Colab vault once per process and caches the answer, including a refusal.",
                fix=(restart,),
                evidence={**evidence, "library cache": "no secret"},
            )
        ]
    return []


def check_colab(ctx: Context) -> list[Finding]:
    facts = ctx.facts
    findings = []
    colab = facts.tokens.source("Colab secret")
    if colab is not None and colab.present:
        others = [s for s in ctx.present_sources if s.kind in ("env", "file") and s.value != colab.value]
        if others:
            winner = ctx.winner
            loser = others[0] if winner is colab else colab
            findings.append(
                Finding(
                    id="colab-secret-shadowed",
                    severity="warning",
                    title=f"The Colab secret and {ctx.source_label(others[0])} hold different tokens; huggingface_hub "
                    f"{facts.library.version} uses {ctx.source_label(winner)}.",
                    detail="Up to 1.18 the Colab secret wins over HF_TOKEN and login(); from 1.19 it is the last resort.",
                    fix=(f"Make them the same token, or remove {ctx.source_label(loser)}.",),
                    evidence={"winner": winner.name if winner else None, "order": list(facts.library.order)},
                )
            )
    if facts.runtime.colab_markers and not facts.runtime.in_kernel:
        findings.append(
            Finding(
                id="colab-secret-kernel-only",
                severity="warning" if not ctx.has_token else "info",
                title="This runs outside the Colab kernel: the Colab secret HF_TOKEN is not visible here.",
                detail="Colab hands secrets to the notebook's Python kernel only; `!hf ...`, `!hfauth` and other "
                "subprocesses see no token unless HF_TOKEN is exported.",
                fix=(
                    "In a cell: from google.colab import userdata; import os; "
                    'os.environ["HF_TOKEN"] = userdata.get("HF_TOKEN")',
                    "or run the check in the kernel: %load_ext hfauth_nb then %hfauth check",
                ),
                evidence={"runtime": facts.runtime.kind},
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
            title="No token outside the Colab secret, which was not read (--no-colab-secret): huggingface_hub will "
            "read it on its next call.",
            detail="Whether that call sends a token depends on the secret; run the check without --no-colab-secret "
            "to know.",
            fix=("%hfauth check   # reads the Colab secret (Colab may ask you to grant access)",),
            evidence={
                "sources checked": [s.name for s in ctx.facts.tokens.sources],
                "Colab secret": "not read",
            },
        )
    ]


def no_token_finding(ctx: Context, severity: Severity, why: str) -> Finding:
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


def check_implicit_token_disabled(ctx: Context) -> list[Finding]:
    if not ctx.facts.library.implicit_token_disabled or ctx.hub is not None:
        return []
    return [implicit_token_finding(ctx, "warning")]


def implicit_token_finding(ctx: Context, severity: Severity) -> Finding:
    return Finding(
        id="implicit-token-disabled",
        severity=severity,
        title="HF_HUB_DISABLE_IMPLICIT_TOKEN is set: library calls send no token unless you pass token=... explicitly.",
        detail="Downloads, uploads and repo creation without an explicit token go out anonymous, so gated, private "
        "and write requests fail with 401/403 even though you are logged in.",
        fix=(
            "unset HF_HUB_DISABLE_IMPLICIT_TOKEN, then restart the kernel",
            "or pass token=True in each call",
        ),
        evidence={"library constant": ctx.facts.library.implicit_token_disabled},
    )


LOCAL_CHECKS: tuple[Check, ...] = (
    check_token_file_unreadable,
    check_token_malformed,
    check_oidc_token_active,
    check_oauth_token_expired,
    check_legacy_env_var,
    check_env_var_misnamed,
    check_netrc,
    check_netrc_unusable,
    check_git_credential,
    check_endpoint_invalid,
    check_endpoint,
    check_offline_mode,
    check_library_outdated,
    check_colab,
    check_colab_secret_not_granted,
    check_no_token_local,
    check_implicit_token_disabled,
)
