"""The git credential fix with real git and the `store` helper in a temporary HOME: no prompt, no network,
the token only on stdin, and nothing wider than the Hub host and its stored user."""

from __future__ import annotations

import secrets
import string
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hfauth_nb.engine.causes import GitCredentialCause
from hfauth_nb.engine.report import Finding
from hfauth_nb.fixes.git_credentials import helper_name, plan_git, unreachable_helpers

ENDPOINT = "https://huggingface.co"


def _token() -> str:
    return "hf_" + "".join(secrets.choice(string.ascii_letters) for _ in range(34))


def _store(home: Path, *lines: str) -> Path:
    subprocess.run(["git", "config", "--global", "credential.helper", "store"], check=True)
    path = home / ".git-credentials"
    path.write_text("".join(f"{line}\n" for line in lines))
    path.chmod(0o600)
    return path


def _stale(username: str = "olduser", helpers: tuple[str, ...] = ("store",)) -> Finding:
    return Finding(
        "git-credential-stale",
        "warning",
        "t",
        evidence={
            "host": "huggingface.co",
            "username": username,
            "helpers": list(helpers),
            "masked": "hf_...old",
        },
        cause=GitCredentialCause("huggingface.co", helpers, username),
    )


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every command run through subprocess.run, with its arguments, stdin and environment."""
    seen: list[dict[str, Any]] = []
    real_run = subprocess.run

    def run(args: list[str], **kwargs: Any) -> Any:
        seen.append({"args": list(args), "input": kwargs.get("input"), "env": kwargs.get("env")})
        return real_run(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", run)
    return seen


def test_replace_swaps_only_the_hub_entry_and_passes_the_token_on_stdin(
    isolated_home: Path, calls: list[dict[str, Any]]
) -> None:
    old, new = _token(), _token()
    path = _store(isolated_home, f"https://olduser:{old}@huggingface.co", "https://bob:gh-secret@github.com")
    step = plan_git(_stale(), ENDPOINT, new, "auto")
    assert step.kind == "git" and new not in step.summary and "hf_user" in step.summary
    assert step.action is not None
    message = step.action()
    lines = path.read_text().splitlines()
    assert f"https://hf_user:{new}@huggingface.co" in lines
    assert "https://bob:gh-secret@github.com" in lines
    assert not any(old in line for line in lines)
    assert new not in message and "git now returns the token huggingface_hub uses" in message
    changes = [c for c in calls if c["args"][-2:] in (["credential", "reject"], ["credential", "approve"])]
    assert [c["args"][-1] for c in changes] == ["reject", "approve"]
    for call in changes:
        assert not any(new in arg or old in arg for arg in call["args"])
        assert call["env"]["GIT_TERMINAL_PROMPT"] == "0" and call["env"]["GIT_ASKPASS"] == ""
        assert "core.askPass=" in call["args"] and "credential.interactive=false" in call["args"]
    assert f"password={new}" in changes[1]["input"]
    assert "username=olduser" in changes[0]["input"] and "password" not in changes[0]["input"]


def test_remove_rejects_the_hub_host_and_stored_user_only(isolated_home: Path) -> None:
    old = _token()
    path = _store(
        isolated_home,
        f"https://olduser:{old}@huggingface.co",
        "https://bob:gh-secret@github.com",
        "https://other:keep-me@huggingface.co",
    )
    step = plan_git(_stale(), ENDPOINT, _token(), "remove")
    assert step.action is not None
    message = step.action()
    assert path.read_text().splitlines() == [
        "https://bob:gh-secret@github.com",
        "https://other:keep-me@huggingface.co",
    ]
    assert "still returns another one" in message and "keep-me" not in message


def test_keychains_and_managers_get_the_command_not_a_run(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = _token()
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("git must not run"))
    step = plan_git(_stale(helpers=("store", "osxkeychain")), ENDPOINT, new, "replace")
    assert step.kind == "manual" and step.action is None
    assert "osxkeychain" in step.summary
    text = "\n".join(step.commands)
    assert new not in text
    assert "git credential reject" in text and "username=olduser" in text
    assert "get_token()" in text and "git credential approve" in text


def test_printed_commands_work_as_shell_lines(isolated_home: Path) -> None:
    old = _token()
    path = _store(isolated_home, f"https://olduser:{old}@huggingface.co")
    step = plan_git(_stale(helpers=("manager",)), ENDPOINT, None, "remove")
    env = {
        "HOME": str(isolated_home),
        "PATH": "/usr/bin:/bin",
        "GIT_CONFIG_GLOBAL": str(isolated_home / ".gitconfig"),
    }
    subprocess.run(step.commands[0], shell=True, check=True, env=env)
    assert path.read_text() == ""


def test_missing_credential_is_stored_when_a_local_helper_exists(isolated_home: Path) -> None:
    new = _token()
    path = _store(isolated_home)
    finding = Finding(
        "git-credential-missing",
        "info",
        "t",
        evidence={"host": "huggingface.co", "helpers": ["store"]},
        cause=GitCredentialCause("huggingface.co", ("store",), stored=False),
    )
    step = plan_git(finding, ENDPOINT, new, "auto")
    assert step.action is not None
    step.action()
    assert path.read_text() == f"https://hf_user:{new}@huggingface.co\n"


def test_missing_credential_without_helper_only_explains(isolated_home: Path) -> None:
    finding = Finding(
        "git-credential-missing",
        "info",
        "t",
        evidence={"host": "huggingface.co", "helpers": []},
        cause=GitCredentialCause("huggingface.co", (), stored=False),
    )
    step = plan_git(finding, ENDPOINT, _token(), "auto")
    assert step.action is None
    assert step.commands[0] == "git config --global credential.helper store"


def test_replace_without_a_token_asks_to_log_in_first() -> None:
    step = plan_git(_stale(), ENDPOINT, None, "replace")
    assert step.action is None and "Log in first" in step.summary


@pytest.mark.parametrize(
    ("helper", "name"),
    [
        ("store", "store"),
        ("cache --timeout=300", "cache"),
        ("store --file ~/.my-creds", "store"),
        ("/usr/local/bin/git-credential-manager-core", "manager-core"),
        ("osxkeychain (for https://huggingface.co)", "osxkeychain"),
        ("!f() { echo password=x; }; f", "!shell"),
        ("libsecret", "libsecret"),
    ],
)
def test_helper_names(helper: str, name: str) -> None:
    assert helper_name(helper) == name


def test_only_store_and_cache_are_driven() -> None:
    assert unreachable_helpers(["store", "cache --timeout=9", "wincred", "manager"]) == ["wincred", "manager"]
