"""End-to-end scenarios: a temporary HOME with real files, real git, the loopback Hub, and both front ends.

Every scenario runs through the CLI (`python -m hfauth_nb check --json` in a subprocess, a fresh import that reads
the environment like a new kernel) and through the magic (`%load_ext hfauth_nb` + `%hfauth check --json` in a
real InteractiveShell in this process, where huggingface_hub was imported earlier, as in a long-lived kernel).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from hfauth_nb.engine.hub import clear_whoami_cache
from hfauth_nb.engine.runtime import is_true
from hfauth_nb.testing import FakeHub

FRONTENDS = ("cli", "magic")


@dataclass
class Outcome:
    """What a front end produced for one check."""

    code: int | None
    data: dict[str, Any]
    raw: str = ""

    @property
    def ids(self) -> list[str]:
        return [f["id"] for f in self.data["findings"]]

    def finding(self, finding_id: str) -> dict[str, Any]:
        for f in self.data["findings"]:
            if f["id"] == finding_id:
                return f  # type: ignore[no-any-return]
        raise AssertionError(f"{finding_id} not in {self.ids}: {self.data['verdict']}")

    def severity(self, finding_id: str) -> str:
        return str(self.finding(finding_id)["severity"])


@dataclass
class Scenario:
    home: Path
    hub: FakeHub
    monkeypatch: pytest.MonkeyPatch
    secrets: list[str] = field(default_factory=list)

    # -- setting the stage -------------------------------------------------------------------------
    def token(self, user: str = "alice", role: str = "read", **kwargs: Any) -> str:
        token = self.hub.add_token(user, role=role, **kwargs)
        self.secrets.append(token)
        return token

    def env(self, name: str, value: str) -> None:
        self.monkeypatch.setenv(name, value)

    @property
    def token_path(self) -> Path:
        return self.home / ".cache" / "huggingface" / "token"

    def token_file(self, value: str) -> Path:
        self.token_path.parent.mkdir(parents=True, exist_ok=True)
        self.token_path.write_text(value)
        return self.token_path

    def netrc(self, text: str, mode: int = 0o600, name: str = ".netrc") -> Path:
        path = self.home / name
        path.write_text(text)
        path.chmod(mode)
        return path

    def git_store(self, token: str, username: str = "hf_user") -> None:
        subprocess.run(["git", "config", "--global", "credential.helper", "store"], check=True)
        host = self.hub.url.split("://", 1)[1]
        (self.home / ".git-credentials").write_text(f"http://{username}:{token}@{host}\n")

    # -- running the front ends --------------------------------------------------------------------
    def run(self, frontend: str, *args: str) -> Outcome:
        if frontend == "cli":
            return self.cli(*args)
        return self.magic(*args)

    def cli(self, *args: str) -> Outcome:
        proc = subprocess.run(
            [sys.executable, "-m", "hfauth_nb", "check", *args, "--json"],
            capture_output=True,
            text=True,
            timeout=60,
            env=os.environ.copy(),
        )
        assert proc.stdout.strip(), f"no output; stderr: {proc.stderr[-2000:]}"
        data = json.loads(proc.stdout)  # exactly one JSON object
        self._assert_no_secret(proc.stdout + proc.stderr)
        return Outcome(proc.returncode, data, proc.stdout)

    def magic(self, *args: str) -> Outcome:
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        self._library_as_imported_now()
        clear_whoami_cache()  # a new kernel session
        config = Config()
        config.HistoryManager.enabled = False
        shell = InteractiveShell.instance(config=config)
        try:
            shell.run_line_magic("load_ext", "hfauth_nb")
            line = " ".join(_quote(a) for a in ("check", *args, "--json"))
            result = shell.run_line_magic("hfauth", line)
            data = result.data
            raw = json.dumps(data)
            self._assert_no_secret(raw + result.plain)
            report = _report_from_text(shell, args)
            self._assert_no_secret(report)
            return Outcome(None, data, raw)
        finally:
            shell.run_line_magic("unload_ext", "hfauth_nb")
            InteractiveShell.clear_instance()

    def _library_as_imported_now(self) -> None:
        """huggingface_hub froze its constants when this test process imported it; re-freeze them from the
        scenario's environment, as a kernel started in this environment would have them."""
        from huggingface_hub import constants

        endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
        hf_home = os.environ.get("HF_HOME", str(self.home / ".cache" / "huggingface"))
        token_path = os.environ.get("HF_TOKEN_PATH") or os.path.join(hf_home, "token")
        patch = self.monkeypatch.setattr
        patch(constants, "ENDPOINT", endpoint)
        patch(constants, "HF_TOKEN_PATH", token_path)
        patch(
            constants,
            "HF_STORED_TOKENS_PATH",
            os.path.join(os.path.dirname(token_path), "stored_tokens"),
            raising=False,
        )
        offline = is_true(os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE"))
        patch(constants, "HF_HUB_OFFLINE", offline)
        patch(
            constants,
            "HF_HUB_DISABLE_IMPLICIT_TOKEN",
            is_true(os.environ.get("HF_HUB_DISABLE_IMPLICIT_TOKEN")),
        )

    def _assert_no_secret(self, text: str) -> None:
        for secret in self.secrets:
            assert secret not in text, "a raw token leaked into the output"


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def _report_from_text(shell: Any, args: tuple[str, ...]) -> str:
    """Also render the report as text and HTML (what a notebook shows) so tests can scan it for secrets."""
    line = " ".join(_quote(a) for a in ("check", *args))
    report = shell.run_line_magic("hfauth", line)
    assert_verdict_then_fix(report)
    bundle = report._repr_mimebundle_()
    return str(bundle["text/plain"]) + str(bundle["text/html"])


def assert_verdict_then_fix(report: Any) -> None:
    """Issue 16: the text report's first line is the verdict (once), the second the first step of its fix."""
    from hfauth_nb.render import text

    lines = text.render(report).splitlines()
    assert lines[0].endswith(": " + report.verdict), lines[:2]
    assert sum(report.verdict in line for line in lines) == 1, "the verdict is said once"
    blocking = [f for f in report.findings if f.severity in ("error", "warning")]
    if blocking:
        assert blocking[0].fix, f"{blocking[0].id} names a problem with no step to fix it"
        assert lines[1] == "Fix: " + blocking[0].fix[0].splitlines()[0], lines[:2]


@pytest.fixture()
def scenario(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scenario]:
    hub = FakeHub()
    url = hub.start()
    hub.add_user("alice", fullname="Alice", orgs={"acme": "read", "writers": "write"})
    monkeypatch.setenv("HF_ENDPOINT", url)
    # Each scenario is a new kernel: no OIDC token the library exchanged (and cached per resource, T17) in
    # an earlier one.
    auth = sys.modules.get("huggingface_hub.utils._auth")
    if auth is not None:
        monkeypatch.setattr(auth, "_OIDC_TOKEN_CACHE", None, raising=False)
    try:
        yield Scenario(home=isolated_home, hub=hub, monkeypatch=monkeypatch)
    finally:
        hub.stop()


@pytest.fixture(params=FRONTENDS)
def frontend(request: pytest.FixtureRequest) -> str:
    return str(request.param)
