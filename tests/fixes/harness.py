"""End-to-end helpers for fix and scan tests: the loopback Hub, the CLI in a subprocess (optionally on a
pseudo-terminal) and the magic in a real InteractiveShell with history off (patterns of tests/scenarios)."""

from __future__ import annotations

import os
import pty
import secrets
import string
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from hfauth_nb.engine.hub import clear_whoami_cache
from hfauth_nb.engine.runtime import is_true
from hfauth_nb.testing import FakeHub


def random_token() -> str:
    """A token-shaped canary, made at run time so no source file holds one."""
    return "hf_" + "".join(secrets.choice(string.ascii_letters) for _ in range(34))


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@dataclass
class Stage:
    """A temporary HOME with the loopback Hub as HF_ENDPOINT; remembers every secret it hands out."""

    home: Path
    hub: FakeHub
    monkeypatch: pytest.MonkeyPatch
    secrets: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return self.hub.url.split("://", 1)[1].split(":")[0]

    def token(self, role: str = "read") -> str:
        value = self.hub.add_token("alice", role=role)
        self.secrets.append(value)
        return value

    def secret(self, value: str) -> str:
        self.secrets.append(value)
        return value

    def env(self, name: str, value: str) -> None:
        self.monkeypatch.setenv(name, value)

    def token_file(self, value: str) -> Path:
        path = self.home / ".cache" / "huggingface" / "token"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(value)
        return path

    def netrc(self, text: str, mode: int = 0o600) -> Path:
        path = self.home / ".netrc"
        path.write_text(text)
        path.chmod(mode)
        return path

    def cli(self, *args: str, answer: str | None = None) -> CliResult:
        """`python -m hfauth_nb ARGS`; with `answer`, stdin is a terminal that types it."""
        command = [sys.executable, "-m", "hfauth_nb", *args]
        env = os.environ.copy()
        if answer is None:
            proc = subprocess.run(
                command, capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL
            )
            result = CliResult(proc.returncode, proc.stdout, proc.stderr)
        else:
            result = _on_a_terminal(command, env, answer)
        self.assert_no_secret(result.text)
        return result

    def assert_no_secret(self, text: str) -> None:
        for value in self.secrets:
            assert value not in text, "a raw secret reached the output"

    @contextmanager
    def shell(self, config: Any = None) -> Iterator[Any]:
        """A real InteractiveShell with history off (unless `config` says otherwise) and %hfauth loaded."""
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        library_as_imported_now(self.monkeypatch, self.home)
        clear_whoami_cache()
        if config is None:
            config = Config()
            config.HistoryManager.enabled = False
        InteractiveShell.clear_instance()
        shell = InteractiveShell.instance(config=config)
        try:
            shell.run_line_magic("load_ext", "hfauth_nb")
            yield shell
        finally:
            shell.run_line_magic("unload_ext", "hfauth_nb")
            InteractiveShell.clear_instance()


def _on_a_terminal(command: list[str], env: dict[str, str], answer: str) -> CliResult:
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            command, stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        os.close(follower)
        os.write(leader, (answer + "\n").encode())
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(leader)
    return CliResult(proc.returncode, out, err)


def library_as_imported_now(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """huggingface_hub froze its constants when this process imported it; re-freeze them from the test's
    environment, as a kernel started in it would have them (the same as tests/scenarios do)."""
    from huggingface_hub import constants

    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
    hf_home = os.environ.get("HF_HOME", str(home / ".cache" / "huggingface"))
    token_path = os.environ.get("HF_TOKEN_PATH") or os.path.join(hf_home, "token")
    monkeypatch.setattr(constants, "ENDPOINT", endpoint)
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", token_path)
    monkeypatch.setattr(
        constants,
        "HF_STORED_TOKENS_PATH",
        os.path.join(os.path.dirname(token_path), "stored_tokens"),
        raising=False,
    )
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", is_true(os.environ.get("HF_HUB_OFFLINE")))
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_IMPLICIT_TOKEN", False)


@contextmanager
def stage(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stage]:
    hub = FakeHub()
    url = hub.start()
    hub.add_user("alice", fullname="Alice")
    monkeypatch.setenv("HF_ENDPOINT", url)
    try:
        yield Stage(home=home, hub=hub, monkeypatch=monkeypatch)
    finally:
        hub.stop()
