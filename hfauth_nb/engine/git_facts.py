"""Ask git which credential it would use for the Hub host, so that nothing can prompt, pop up, hang or erase.

The recipe is fact G5: `git credential fill` with terminal prompts off, every askpass program emptied and
Git Credential Manager told not to interact, under a subprocess timeout. We never run `approve`/`reject` or a
git network operation (G7: a 401 makes git erase the stored credential).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from urllib.parse import urlsplit

_QUIET_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    "GCM_INTERACTIVE": "never",
    "GCM_GUI_PROMPT": "false",
    "GIT_TRACE": "0",
    "LC_ALL": "C",
}
_QUIET_CONFIG = ("-c", "core.askPass=", "-c", "credential.interactive=false")


@dataclass(frozen=True)
class GitFacts:
    """git's view of credentials for the Hub host."""

    available: bool
    host: str = ""
    version: str | None = None
    helpers: tuple[str, ...] = ()
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # secret: compared, never shown
    error: str | None = None  # why no credential could be read (timeout, git failure, prompts disabled)


def _run(args: list[str], stdin: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **_QUIET_ENV}
    return subprocess.run(
        args, input=stdin, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def gather_git(endpoint: str, timeout: float = 3.0) -> GitFacts:
    """The helpers git has configured and the credential `git credential fill` returns for `endpoint`."""
    git = shutil.which("git")
    parts = urlsplit(endpoint)
    host = parts.netloc.rpartition("@")[2]
    if git is None:
        return GitFacts(available=False, host=host, error="git is not installed")
    try:
        version = _run([git, "--version"], "", timeout).stdout.strip() or None
        helpers = _helpers(git, timeout)
        fill = _run(
            [git, *_QUIET_CONFIG, "credential", "fill"], f"protocol={parts.scheme}\nhost={host}\n\n", timeout
        )
    except subprocess.TimeoutExpired:
        return GitFacts(available=True, host=host, error=f"git did not answer within {timeout:g} s")
    except OSError as exc:
        return GitFacts(available=False, host=host, error=f"git could not run: {exc.strerror or exc}")
    values = dict(line.split("=", 1) for line in fill.stdout.splitlines() if "=" in line)
    if fill.returncode != 0 or not values.get("password"):
        reason = (
            "no credential stored for this host" if fill.returncode in (0, 128) else _first_line(fill.stderr)
        )
        return GitFacts(available=True, host=host, version=version, helpers=helpers, error=reason)
    return GitFacts(
        available=True,
        host=host,
        version=version,
        helpers=helpers,
        username=values.get("username"),
        password=values.get("password"),
    )


def _helpers(git: str, timeout: float) -> tuple[str, ...]:
    """`credential.helper` values, including host-scoped `credential.<url>.helper` ones (G3 misses those)."""
    found: list[str] = []
    plain = _run([git, "config", "--get-all", "credential.helper"], "", timeout)
    found.extend(line.strip() for line in plain.stdout.splitlines() if line.strip())
    scoped = _run([git, "config", "--get-regexp", r"^credential\..+\.helper$"], "", timeout)
    for line in scoped.stdout.splitlines():
        key, _, value = line.partition(" ")
        if value.strip():
            found.append(f"{value.strip()} (for {key[len('credential.') : -len('.helper')]})")
    return tuple(found)


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["git credential fill failed"])[0][:200]
