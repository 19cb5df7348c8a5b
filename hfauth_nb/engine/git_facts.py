"""Ask git which credential it would use for the Hub host, so that nothing can prompt, pop up, hang or erase.

The recipe is fact G5: `git credential fill` with terminal prompts off, every askpass program emptied and
Git Credential Manager told not to interact, under a subprocess timeout. We never run `approve`/`reject` or a
git network operation (G7: a 401 makes git erase the stored credential).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
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
    timed_out: bool = False  # git (a credential helper) did not answer within its own budget
    elapsed: float = 0.0


class _GitTimeout(Exception):
    pass


@dataclass
class _Budget:
    """One deadline for every git command of a check, so four slow calls cannot take four budgets."""

    seconds: float
    deadline: float = 0.0

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def run(self, args: list[str], stdin: str) -> tuple[int, str, str]:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise _GitTimeout
        return _run(args, stdin, remaining)


def _run(args: list[str], stdin: str, timeout: float) -> tuple[int, str, str]:
    """(status, stdout, stderr) of one git command, decoded leniently (a helper may print any bytes).

    git runs in its own session so that, on timeout, the helper it started (a grandchild holding our pipes)
    is killed with it; otherwise reading the pipes would wait for the helper forever.
    """
    env = {**os.environ, **_QUIET_ENV}
    proc = subprocess.Popen(
        args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=os.name == "posix",
    )
    try:
        out, err = proc.communicate(stdin.encode("utf-8", "surrogateescape"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise _GitTimeout from None
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError):
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    try:
        proc.communicate(timeout=1.0)
    except subprocess.TimeoutExpired:  # a helper that left our session still holds the pipes: drop them
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=1.0)


def gather_git(endpoint: str, timeout: float = 2.0) -> GitFacts:
    """The helpers git has configured and the credential `git credential fill` returns for `endpoint`.

    Every git command shares one budget of `timeout` seconds; past it git (and its helper) is killed and the
    facts say that git was the slow part.
    """
    started = time.monotonic()
    if not endpoint:
        return GitFacts(available=False, error="no usable endpoint to ask git about")
    git = shutil.which("git")
    parts = urlsplit(endpoint)
    host = parts.netloc.rpartition("@")[2]
    if git is None:
        return GitFacts(available=False, host=host, error="git is not installed")
    budget = _Budget(timeout)
    version = None
    helpers: tuple[str, ...] = ()
    try:
        version = budget.run([git, "--version"], "")[1].strip() or None
        helpers = _helpers(git, budget)
        code, out, err = budget.run(
            [git, *_QUIET_CONFIG, "credential", "fill"], f"protocol={parts.scheme}\nhost={host}\n\n"
        )
    except _GitTimeout:
        return GitFacts(
            available=True,
            host=host,
            version=version,
            helpers=helpers,
            error=f"git (its credential helper) did not answer within {timeout:g} s; it was stopped",
            timed_out=True,
            elapsed=time.monotonic() - started,
        )
    except OSError as exc:
        return GitFacts(available=False, host=host, error=f"git could not run: {exc.strerror or exc}")
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    elapsed = time.monotonic() - started
    if code != 0 or not values.get("password"):
        reason = "no credential stored for this host" if code in (0, 128) else _first_line(err)
        return GitFacts(
            available=True, host=host, version=version, helpers=helpers, error=reason, elapsed=elapsed
        )
    return GitFacts(
        available=True,
        host=host,
        version=version,
        helpers=helpers,
        username=values.get("username"),
        password=values.get("password"),
        elapsed=elapsed,
    )


@dataclass
class PendingGit:
    """`gather_git` running in a daemon thread, so it overlaps the Hub probes instead of delaying them."""

    endpoint: str
    timeout: float
    _done: threading.Event = field(default_factory=threading.Event)
    _result: GitFacts | None = None

    def start(self) -> PendingGit:
        threading.Thread(target=self._work, name="hfauth-git", daemon=True).start()
        return self

    def _work(self) -> None:
        try:
            self._result = gather_git(self.endpoint, self.timeout)
        except Exception as exc:  # never let a git oddity take the check down
            self._result = GitFacts(available=False, error=f"git could not be asked: {type(exc).__name__}")
        finally:
            self._done.set()

    def result(self) -> GitFacts:
        """Wait for git; it stops itself after its budget (plus the time to kill it)."""
        if not self._done.wait(self.timeout + 5.0) or self._result is None:
            return GitFacts(
                available=True,
                error=f"git did not answer within {self.timeout:g} s and could not be stopped",
                timed_out=True,
                elapsed=self.timeout,
            )
        return self._result


def _helpers(git: str, budget: _Budget) -> tuple[str, ...]:
    """`credential.helper` values, including host-scoped `credential.<url>.helper` ones (G3 misses those)."""
    found: list[str] = []
    _, plain, _ = budget.run([git, "config", "--get-all", "credential.helper"], "")
    found.extend(line.strip() for line in plain.splitlines() if line.strip())
    _, scoped, _ = budget.run([git, "config", "--get-regexp", r"^credential\..+\.helper$"], "")
    for line in scoped.splitlines():
        key, _, value = line.partition(" ")
        if value.strip():
            found.append(f"{value.strip()} (for {key[len('credential.') : -len('.helper')]})")
    return tuple(found)


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["git credential fill failed"])[0][:200]
