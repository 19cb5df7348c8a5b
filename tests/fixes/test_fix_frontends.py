"""`hfauth fix` (a subprocess with a temporary HOME) and `%hfauth fix` (a real InteractiveShell), end to end
against the loopback Hub: what changes, what is asked, what is printed, and the check run afterwards."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from hfauth_nb.fixes import session_env
from hfauth_nb.fixes.run import FixOutcome
from tests.fixes.harness import Stage


@pytest.fixture(autouse=True)
def fresh_undo_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_env, "_JOURNAL", [])


def _netrc_stage(stage: Stage) -> tuple[Path, bytes, str]:
    """HF_TOKEN valid, and a stale netrc entry for the Hub host next to another machine's entry."""
    stage.env("HF_TOKEN", stage.token(role="write"))
    password = stage.secret("stale-" + "netrc-password")
    path = stage.netrc(
        f"machine github.com login me password {stage.secret('gh-' + 'secret')}\n"
        f"machine {stage.host} login nuser password {password}\n"
    )
    finding_id = _netrc_finding_id(stage)
    return path, path.read_bytes(), finding_id


def _netrc_finding_id(stage: Stage) -> str:
    """requests-based huggingface_hub (0.x) reports netrc-overrides-token; httpx-based ones netrc-entry."""
    data = json.loads(stage.cli("check", "--json").out)
    ids = {f["id"] for f in data["findings"]}
    found = sorted(ids & {"netrc-overrides-token", "netrc-entry"})
    assert len(found) == 1, ids
    return str(found[0])


def _backups(home: Path) -> list[Path]:
    return sorted(home.glob(".netrc.hfauth-backup-*"))


# -- CLI ---------------------------------------------------------------------------------------------


def test_cli_netrc_fix_with_yes_removes_the_entry_keeps_a_backup_and_rechecks(hub_stage: Stage) -> None:
    path, original, finding_id = _netrc_stage(hub_stage)
    result = hub_stage.cli("fix", finding_id, "--yes")
    assert result.code == 0, result.text
    assert f"{finding_id} is gone." in result.out and "Check now: " in result.out
    assert path.read_text().startswith("machine github.com login me password gh-secret\n")
    assert hub_stage.host not in path.read_text()
    (backup,) = _backups(hub_stage.home)
    assert backup.read_bytes() == original
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_cli_refuses_to_change_a_file_without_a_terminal_or_yes(hub_stage: Stage) -> None:
    path, original, finding_id = _netrc_stage(hub_stage)
    result = hub_stage.cli("fix", finding_id)
    assert result.code == 2
    assert "--yes" in result.out and "stdin is not a terminal" in result.out
    assert path.read_bytes() == original and not _backups(hub_stage.home)


@pytest.mark.parametrize(("answer", "code", "changed"), [("y", 0, True), ("n", 1, False), ("", 1, False)])
def test_cli_asks_on_a_terminal(hub_stage: Stage, answer: str, code: int, changed: bool) -> None:
    path, original, finding_id = _netrc_stage(hub_stage)
    result = hub_stage.cli("fix", finding_id, answer=answer)
    assert result.code == code, result.text
    assert "Apply these changes? [y/N]" in result.out
    assert (path.read_bytes() != original) is changed
    assert len(_backups(hub_stage.home)) == int(changed)


def test_cli_dry_run_shows_a_masked_diff_and_changes_nothing(hub_stage: Stage) -> None:
    path, original, finding_id = _netrc_stage(hub_stage)
    result = hub_stage.cli("fix", finding_id, "--dry-run")
    assert result.code == 0
    assert f"-machine {hub_stage.host} login nuser password ********" in result.out  # nothing of a password
    assert "Dry run: nothing was changed." in result.out
    assert path.read_bytes() == original and not _backups(hub_stage.home)


def test_cli_env_fix_prints_shell_lines_and_previews_the_verdict(hub_stage: Stage) -> None:
    hub_stage.env("HUGGING_FACE_HUB_TOKEN", hub_stage.token())
    result = hub_stage.cli("fix", "legacy-env-var")
    assert result.code == 1  # the user's shell still has to run the lines
    assert "cannot change the environment of the shell that started it" in result.out
    assert '$ export HF_TOKEN="$HUGGING_FACE_HUB_TOKEN"' in result.out
    assert "$ unset HUGGING_FACE_HUB_TOKEN" in result.out
    assert "In a shell where you ran the lines above, the check would say: " in result.out
    assert "legacy-env-var is gone." in result.out


def test_cli_git_credential_fix_replaces_the_stale_token(hub_stage: Stage) -> None:
    current = hub_stage.token(role="write")
    stale = hub_stage.token()
    hub_stage.hub.revoke(stale)
    hub_stage.env("HF_TOKEN", current)
    subprocess.run(["git", "config", "--global", "credential.helper", "store"], check=True)
    netloc = hub_stage.hub.url.split("://", 1)[1]
    store = hub_stage.home / ".git-credentials"
    store.write_text(f"http://someone:{stale}@{netloc}\n")
    result = hub_stage.cli("fix", "git-credential-stale", "--yes")
    assert result.code == 0, result.text
    assert "git-credential-stale is gone." in result.out
    assert unquote(store.read_text()) == f"http://hf_user:{current}@{netloc}\n"  # git writes ':' as %3a


def test_cli_finding_without_an_automatic_fix_prints_its_fix_text(hub_stage: Stage) -> None:
    result = hub_stage.cli("fix", "endpoint-custom", "--yes")  # the loopback Hub is a custom endpoint
    assert result.code == 1
    assert "hfauth does not change this for you" in result.out and "- unset HF_ENDPOINT" in result.out
    assert "Nothing was changed: hfauth leaves this one to you." in result.out


def test_cli_absent_finding_and_unknown_id(hub_stage: Stage) -> None:
    absent = hub_stage.cli("fix", "token-invalid")
    assert absent.code == 0 and "Nothing to fix: the check does not report token-invalid now." in absent.out
    unknown = hub_stage.cli("fix", "not-a-finding")
    assert unknown.code == 2 and "unknown finding id" in unknown.err


# -- magic -------------------------------------------------------------------------------------------


def _magic(shell: Any, line: str) -> Any:
    return shell.run_line_magic("hfauth", line)


def test_magic_env_fix_applies_to_this_kernel_and_undoes(
    hub_stage: Stage, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = hub_stage.token()
    hub_stage.env("HUGGING_FACE_HUB_TOKEN", legacy)
    with hub_stage.shell() as shell:
        outcome = _magic(shell, "fix legacy-env-var")
        assert isinstance(outcome, FixOutcome) and outcome.status == "applied" and outcome.resolved
        assert os.environ.get("HF_TOKEN") == legacy and "HUGGING_FACE_HUB_TOKEN" not in os.environ
        text = str(outcome)
        assert "In this kernel only" in text and "Undo: %hfauth fix --undo" in text
        hub_stage.assert_no_secret(text + str(outcome._repr_mimebundle_()))
        assert _magic(shell, "fix --undo") is None
        assert "Restored HF_TOKEN, HUGGING_FACE_HUB_TOKEN" in capsys.readouterr().out
        assert os.environ.get("HUGGING_FACE_HUB_TOKEN") == legacy and "HF_TOKEN" not in os.environ


def test_magic_unsets_a_revoked_hf_token_so_the_valid_login_is_used(hub_stage: Stage) -> None:
    revoked = hub_stage.token()
    hub_stage.hub.revoke(revoked)
    hub_stage.env("HF_TOKEN", revoked)
    hub_stage.token_file(hub_stage.token(role="write"))
    with hub_stage.shell() as shell:
        outcome = _magic(shell, "fix token-invalid")
        assert outcome.status == "applied" and outcome.resolved, str(outcome)
        assert "HF_TOKEN" not in os.environ
        assert outcome.after is not None and outcome.after.token.source == "token file"


def test_magic_netrc_fix_asks_first(hub_stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    path, original, finding_id = _netrc_stage(hub_stage)
    with hub_stage.shell() as shell:
        # pytest's stdin cannot be read: the magic cannot ask, so it changes nothing and says how to confirm.
        pending = _magic(shell, f"fix {finding_id}")
        assert pending.status == "needs-confirmation"
        assert f"To apply it: %hfauth fix {finding_id} --yes" in str(pending)
        assert path.read_bytes() == original
        monkeypatch.setattr("builtins.input", lambda prompt="": "y")
        done = _magic(shell, f"fix {finding_id}")
        assert done.status == "applied" and done.resolved
        assert _backups(hub_stage.home)[0].read_bytes() == original


def test_magic_dry_run_and_nothing_to_undo(hub_stage: Stage, capsys: pytest.CaptureFixture[str]) -> None:
    path, original, finding_id = _netrc_stage(hub_stage)
    with hub_stage.shell() as shell:
        outcome = _magic(shell, f"fix {finding_id} --dry-run")
        assert (
            outcome.status == "dry-run"
            and "password ********" in str(outcome)
            and "sta..." not in str(outcome)
        )
        assert path.read_bytes() == original
        _magic(shell, "fix --undo")
        assert "Nothing to undo" in capsys.readouterr().out
