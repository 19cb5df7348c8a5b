"""Inputs that used to hang the tool or end it with an internal error, through the CLI and the magic.

Every test is guarded: the CLI runs under a subprocess timeout and the magic in a daemon thread joined with a
timeout, so a regression fails the test instead of hanging the suite. The guards are generous (the machine
is shared); the assertions are about what is reported, never about how fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.scenarios.conftest import Scenario

GUARD_S = 90  # far above any budget below: reaching it means the tool hung


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-m", "hfauth_nb", *args],
            capture_output=True,
            text=True,
            timeout=GUARD_S,
            env=env or os.environ.copy(),
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`hfauth {' '.join(args)}` did not return within {GUARD_S} s")


def _guarded(call: Callable[[], Any]) -> Any:
    """Run `call` in a daemon thread; fail (instead of hanging) when it does not return."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # re-raised in the test's thread
            box["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(GUARD_S)
    if thread.is_alive():
        pytest.fail(f"the magic did not return within {GUARD_S} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _magic(scenario: Scenario, line: str) -> Any:
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from hfauth_nb.engine.hub import clear_whoami_cache

    scenario._library_as_imported_now()
    clear_whoami_cache()
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    try:
        shell.run_line_magic("load_ext", "hfauth_nb")
        return _guarded(lambda: shell.run_line_magic("hfauth", line))
    finally:
        shell.run_line_magic("unload_ext", "hfauth_nb")
        InteractiveShell.clear_instance()


def _json(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def _finding(data: dict[str, Any], finding_id: str) -> dict[str, Any]:
    for finding in data["findings"]:
        if finding["id"] == finding_id:
            return finding  # type: ignore[no-any-return]
    raise AssertionError(f"{finding_id} not in {[f['id'] for f in data['findings']]}")


# -- FIFOs and devices where credential files should be -------------------------------------------------


def _fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def _zero(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to("/dev/zero")
    return path


SPECIALS = {"fifo": (_fifo, "named pipe (FIFO)"), "dev-zero": (_zero, "character device")}


@pytest.mark.parametrize("kind", sorted(SPECIALS))
def test_netrc_that_never_ends_is_reported_not_waited_on(scenario: Scenario, kind: str) -> None:
    make, words = SPECIALS[kind]
    make(scenario.home / ".netrc")
    scenario.env("NETRC", str(make(scenario.home / "other-netrc")))
    scenario.env("HF_TOKEN", scenario.token())
    for command in ("check", "status"):
        data = _json(_cli(command, "--json"))
        unusable = [f for f in data["findings"] if f["id"] == "netrc-unusable"]
        assert {f["evidence"]["file"] for f in unusable} == {
            str(scenario.home / ".netrc"),
            str(scenario.home / "other-netrc"),
        }
        assert all(words in f["evidence"]["error"] for f in unusable)
        assert data["token"]["user"] == "alice"  # the Hub was still asked
    result = _magic(scenario, "status --json")
    assert any(f["id"] == "netrc-unusable" for f in result.data["findings"])


@pytest.mark.parametrize("kind", sorted(SPECIALS))
def test_token_file_that_never_ends_is_unreadable(scenario: Scenario, kind: str) -> None:
    make, words = SPECIALS[kind]
    make(scenario.token_path)
    for command in ("check", "status"):
        data = _json(_cli(command, "--json"))
        finding = _finding(data, "token-file-unreadable")
        assert words in finding["title"]
    report = _magic(scenario, "check --json")
    assert words in _finding(report.data, "token-file-unreadable")["title"]


@pytest.mark.parametrize("kind", sorted(SPECIALS))
def test_stored_tokens_that_never_end_do_not_block_get_token(scenario: Scenario, kind: str) -> None:
    make, _ = SPECIALS[kind]
    token = scenario.token()
    scenario.token_file(token)
    make(scenario.token_path.parent / "stored_tokens")
    for command in ("check", "status"):
        data = _json(_cli(command, "--json"))
        assert data["token"]["source"] == "token file" and data["token"]["user"] == "alice"
        assert "stored tokens file" in _finding(data, "token-file-unreadable")["title"]
    report = _magic(scenario, "status --json")
    assert report.data["token"]["source"] == "token file"
    assert "stored tokens file" in _finding(report.data, "token-file-unreadable")["title"]


# -- a git credential helper that never answers ------------------------------------------------------------


def _hanging_helper(scenario: Scenario) -> None:
    # The helper is a grandchild of git holding git's pipes: killing git alone would not end the wait.
    subprocess.run(
        ["git", "config", "--global", "credential.helper", "!sleep 600; echo"],
        check=True,
        env=os.environ.copy(),
    )


def test_hanging_git_helper_does_not_turn_a_revoked_token_into_a_network_problem(
    scenario: Scenario, frontend: str
) -> None:
    _hanging_helper(scenario)
    revoked = scenario.token()
    scenario.hub.revoke(revoked)
    scenario.env("HF_TOKEN", revoked)
    if frontend == "cli":
        data = _json(_cli("check", "--timeout", "3", "--json"))
    else:
        data = _magic(scenario, "check --timeout 3 --json").data
    ids = [f["id"] for f in data["findings"]]
    assert "token-invalid" in ids and "hub-unreachable" not in ids, ids
    git = _finding(data, "git-credential-missing")
    assert git["severity"] == "warning" and "did not answer" in git["title"]
    assert "not on the network" in git["detail"]


def test_hanging_git_helper_during_a_repo_check_keeps_the_hub_verdict(scenario: Scenario) -> None:
    _hanging_helper(scenario)
    scenario.hub.add_repo("stranger/private-model", private=True)
    scenario.env("HF_TOKEN", scenario.token())
    data = _json(_cli("check", "stranger/private-model", "--timeout", "3", "--json"))
    ids = [f["id"] for f in data["findings"]]
    assert "repo-not-found" in ids and "hub-unreachable" not in ids, ids
    assert "did not answer" in _finding(data, "git-credential-missing")["title"]
