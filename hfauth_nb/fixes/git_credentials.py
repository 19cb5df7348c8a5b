"""The git credential fix: replace or remove the helper's credential for the Hub host, without prompts.

Like `hf auth login --add-to-git-credential` (fact G1) it runs `git credential approve` with the endpoint's
protocol and host and username `hf_user`; removal is `git credential reject` for that host and the username
the helper returned, nothing wider (G4). The token goes in on stdin, never on a command line. git runs with
the engine's hardened settings (G5, G6: no terminal prompt, no askpass, GCM not interactive), and only for
helpers that store locally without any user interface (`store`, `cache`); for keychains and credential
managers we print the exact command instead of running it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from typing import Literal, Sequence
from urllib.parse import urlsplit

from hfauth_nb.engine.causes import GitCredentialCause
from hfauth_nb.engine.git_facts import _QUIET_CONFIG, _QUIET_ENV, gather_git
from hfauth_nb.engine.report import Finding
from hfauth_nb.fixes.model import FixError, Step
from hfauth_nb.secrets import mask, mask_secret

GitAction = Literal["auto", "replace", "remove"]
HUB_GIT_USER = "hf_user"  # what huggingface_hub stores (G1)
SAFE_HELPERS = frozenset({"store", "cache"})
_TIMEOUT = 10.0


def helper_name(helper: str) -> str:
    """`cache --timeout=300` -> cache, `/usr/bin/git-credential-manager-core` -> manager-core, `!f` -> !f."""
    value = helper.split(" (for ", 1)[0].strip()
    if value.startswith("!"):
        return "!shell"
    try:
        words = shlex.split(value)
    except ValueError:
        words = value.split()
    name = os.path.basename(words[0]) if words else ""
    return name[len("git-credential-") :] if name.startswith("git-credential-") else name


def unreachable_helpers(helpers: Sequence[str]) -> list[str]:
    """Helpers we do not run: anything that may show a dialog, unlock a keychain or run a shell snippet."""
    return [h for h in helpers if helper_name(h) not in SAFE_HELPERS]


def _fields(protocol: str, host: str, username: str | None, password: str | None = None) -> str:
    lines = [f"protocol={protocol}", f"host={host}"]
    if username:
        lines.append(f"username={username}")
    if password is not None:
        lines.append(f"password={password}")
    return "\n".join(lines) + "\n\n"


def reject_command(protocol: str, host: str, username: str | None) -> str:
    words = [f"protocol={protocol}", f"host={host}"] + ([f"username={username}"] if username else [])
    return "printf '%s\\n' " + " ".join(shlex.quote(w) for w in [*words, ""]) + " | git credential reject"


def approve_command(protocol: str, host: str) -> str:
    """Reads the token with huggingface_hub at run time: the command itself never contains it."""
    code = (
        "from huggingface_hub import get_token; "
        f'print("protocol={protocol}\\nhost={host}\\nusername={HUB_GIT_USER}\\npassword=" + get_token() + "\\n")'
    )
    return f"python -c {shlex.quote(code)} | git credential approve"


def run_credential(verb: Literal["approve", "reject"], stdin: str) -> None:
    """`git credential approve|reject` with prompts off, the token on stdin; raises FixError on failure."""
    git = shutil.which("git")
    if git is None:
        raise FixError("git is not installed; nothing was changed.")
    try:
        done = subprocess.run(
            [git, *_QUIET_CONFIG, "credential", verb],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=_TIMEOUT,
            env={**os.environ, **_QUIET_ENV},
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise FixError(f"git credential {verb} did not finish within {_TIMEOUT:g} s.") from None
    except OSError as exc:
        raise FixError(f"git could not run: {exc.strerror or exc}.") from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0][:200]
        raise FixError(f"git credential {verb} failed (exit {done.returncode}): {first}")


# -- planning ----------------------------------------------------------------------------------------


def plan_git(finding: Finding, endpoint: str, effective: str | None, action: GitAction) -> Step:
    """The step for git-credential-stale / git-credential-missing."""
    parts = urlsplit(endpoint)
    protocol = parts.scheme or "https"
    cause = finding.cause
    if not isinstance(cause, GitCredentialCause):
        return Step("manual", "The finding does not name a git credential.", commands=finding.fix)
    host = cause.host or parts.netloc.rpartition("@")[2]
    helpers = list(cause.helpers)
    username = cause.username or None
    if not cause.stored:
        return _plan_missing(protocol, host, helpers, effective, endpoint)
    if action == "auto":
        action = "replace" if effective else "remove"
    if action == "replace" and not effective:
        return Step(
            "manual",
            "There is no token to give git: huggingface_hub resolves none. Log in first, or use --remove.",
            commands=("hf auth login --add-to-git-credential",),
        )
    old = f"the credential git stores for {host} (user {username or '?'}, {finding.evidence.get('masked')})"
    commands = [reject_command(protocol, host, username)]
    if action == "replace":
        commands.append(approve_command(protocol, host))
    blocked = unreachable_helpers(helpers)
    if blocked:
        return Step(
            "manual",
            f"git uses {', '.join(blocked)}, which hfauth does not drive (it may show a dialog or unlock a "
            "keychain). Run this yourself to "
            + ("replace " if action == "replace" else "remove ")
            + old
            + ":",
            commands=tuple(commands),
        )
    if action == "remove":
        summary = f"Remove {old} (git credential reject, for that host and user only)."
    else:
        summary = (
            f"Replace {old} with the token huggingface_hub uses ({mask(effective)}), user {HUB_GIT_USER}, "
            "as `hf auth login --add-to-git-credential` does."
        )
    return Step(
        "git",
        summary,
        commands=tuple(commands),
        notes=(f"Helpers that receive it: {', '.join(helpers) or '(none)'}. The token is passed on stdin.",),
        action=lambda: _apply(action, protocol, host, username, effective, endpoint),
        undo="hf auth login --add-to-git-credential   # with the old token, if you need it back",
    )


def _plan_missing(protocol: str, host: str, helpers: list[str], effective: str | None, endpoint: str) -> Step:
    if not effective:
        return Step(
            "manual",
            "huggingface_hub resolves no token, so there is nothing to give git yet.",
            commands=("hf auth login --add-to-git-credential",),
        )
    approve = approve_command(protocol, host)
    if not helpers:
        return Step(
            "manual",
            "git has no credential helper to store the token in. Choose one (store keeps it in plain text in "
            "~/.git-credentials, mode 0600), then store your token:",
            commands=("git config --global credential.helper store", approve),
        )
    blocked = unreachable_helpers(helpers)
    if blocked:
        return Step(
            "manual",
            f"git uses {', '.join(blocked)}, which hfauth does not drive. Run this yourself:",
            commands=(approve,),
        )
    return Step(
        "git",
        f"Store the token huggingface_hub uses ({mask(effective)}) for {host} in git's credential helper "
        f"({', '.join(helpers)}), user {HUB_GIT_USER}.",
        commands=(approve,),
        notes=("The token is passed to git on stdin.",),
        action=lambda: _apply("store", protocol, host, None, effective, endpoint),
    )


def _apply(
    action: str, protocol: str, host: str, username: str | None, token: str | None, endpoint: str
) -> str:
    if action in ("remove", "replace"):
        run_credential("reject", _fields(protocol, host, username))
    if action in ("replace", "store") and token:
        run_credential("approve", _fields(protocol, host, HUB_GIT_USER, token))
    after = gather_git(endpoint)
    if action == "remove":
        if after.password is None:
            return f"Removed git's credential for {host}; git now has none for it."
        return (
            f"Removed the credential for {host} and user {username or '?'}, but git still returns another one "
            f"({mask_secret(after.password)}, user {after.username}) from another entry or helper."
        )
    if after.password == token:
        return f"git now returns the token huggingface_hub uses ({mask(token)}) for {host}."
    return (
        f"Stored the token for {host}, but git returns another credential first "
        f"({mask_secret(after.password)}, user {after.username}): another helper answers before."
    )
