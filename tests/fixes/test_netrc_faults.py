"""Faults during a netrc fix: every one leaves the user's file as it was and says why, clearly."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Callable, Iterator

import pytest

from hfauth_nb.engine.causes import NetrcStanzaCause
from hfauth_nb.engine.report import Finding
from hfauth_nb.fixes import files, netrc_fix
from hfauth_nb.fixes.model import FixError, Step
from hfauth_nb.fixes.netrc_fix import plan_netrc

HUB = "huggingface.co"
ORIGINAL = b"machine github.com login me password gh-pass\nmachine huggingface.co login u password old\n"
NOBODY = 65534


def _finding(path: Path, machine: str = HUB) -> Finding:
    return Finding(
        "netrc-overrides-token",
        "error",
        "t",
        evidence={"file": str(path), "machine": machine},
        cause=NetrcStanzaCause(str(path), machine),
    )


def _plan(path: Path) -> Step:
    step = plan_netrc(_finding(path))
    assert step.action is not None, step.summary
    return step


def _apply(step: Step) -> str:
    assert step.action is not None
    return step.action()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of its own (tmp_path also holds the test's HOME)."""
    path = tmp_path / "work"
    path.mkdir()
    return path


def _netrc(folder: Path, data: bytes = ORIGINAL, mode: int = 0o600) -> Path:
    path = folder / ".netrc"
    path.write_bytes(data)
    path.chmod(mode)
    return path


def test_unparsable_file_is_left_untouched_with_the_reason(folder: Path) -> None:
    data = b"machine huggingface.co login u password p\nthis is not netrc\n"
    path = _netrc(folder, data)
    step = plan_netrc(_finding(path))
    assert step.action is None
    assert "left untouched" in step.summary and "line 2" in step.summary
    assert path.read_bytes() == data
    assert os.listdir(folder) == [".netrc"]


def test_file_replaced_after_the_plan_is_not_clobbered(folder: Path) -> None:
    path = _netrc(folder)
    step = _plan(path)
    newer = folder / "newer"
    newer.write_bytes(ORIGINAL + b"machine added.example login x password y\n")
    os.replace(newer, path)  # an editor saving a new version in between
    with pytest.raises(FixError, match=r"changed after hfauth read it.*nothing was written"):
        _apply(step)
    assert path.read_bytes().endswith(b"added.example login x password y\n")
    assert os.listdir(folder) == [".netrc"]  # no backup, no temporary file left behind


def test_file_edited_in_the_last_moment_before_the_swap_is_not_clobbered(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _netrc(folder)
    step = _plan(path)
    real_read_back = netrc_fix.read_back

    def read_back_while_racing(file: Path) -> tuple[dict[str, tuple[str, ...]], dict[str, list[str]]]:
        with open(path, "ab") as handle:  # another program appends while hfauth checks its new version
            handle.write(b"machine late.example login l password m\n")
        return real_read_back(file)

    monkeypatch.setattr(netrc_fix, "read_back", read_back_while_racing)
    with pytest.raises(FixError, match="changed after hfauth read it"):
        _apply(step)
    assert path.read_bytes() == ORIGINAL + b"machine late.example login l password m\n"
    assert os.listdir(folder) == [".netrc"]


def test_symlinked_netrc_edits_the_target_and_keeps_the_link(folder: Path) -> None:
    dotfiles = folder / "dotfiles"
    dotfiles.mkdir()
    target = _netrc(dotfiles)
    home = folder / "home"
    home.mkdir()
    link = home / ".netrc"
    link.symlink_to(target)
    step = _plan(link)
    assert any("symlink" in note for note in step.notes)
    message = _apply(step)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == b"machine github.com login me password gh-pass\n"
    backups = [p for p in dotfiles.iterdir() if p.name.startswith(".netrc.hfauth-backup-")]
    assert len(backups) == 1 and backups[0].read_bytes() == ORIGINAL
    assert str(backups[0]) in message and "target of the symlink" in message
    assert os.listdir(home) == [".netrc"]


def test_hard_linked_file_is_refused(folder: Path) -> None:
    path = _netrc(folder)
    os.link(path, folder / "other-name")
    with pytest.raises(FixError, match="hard links"):
        _apply(_plan(path))
    assert path.read_bytes() == ORIGINAL
    assert sorted(os.listdir(folder)) == [".netrc", "other-name"]


def test_directory_in_place_of_the_file(folder: Path) -> None:
    (folder / ".netrc").mkdir()
    step = plan_netrc(_finding(folder / ".netrc"))
    assert step.action is None and "not a regular file" in step.summary


def test_an_existing_backup_name_is_never_overwritten(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _netrc(folder)
    monkeypatch.setattr(files, "backup_name", lambda p, when=None: ".netrc.hfauth-backup-fixed")
    (folder / ".netrc.hfauth-backup-fixed").write_bytes(b"an older backup")
    _apply(_plan(path))
    assert (folder / ".netrc.hfauth-backup-fixed").read_bytes() == b"an older backup"
    assert (folder / ".netrc.hfauth-backup-fixed-2").read_bytes() == ORIGINAL


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing owners needs root")
def test_owner_and_group_are_kept_when_root_fixes_a_users_file(folder: Path) -> None:
    path = _netrc(folder, mode=0o640)
    os.chown(path, 12345, 23456)
    message = _apply(_plan(path))
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (12345, 23456, 0o640)
    backup = Path(message.split("Backup of the old file: ")[1].split(". Undo")[0])
    assert (backup.stat().st_uid, backup.stat().st_gid) == (12345, 23456)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


# -- a read-only directory -------------------------------------------------------------------------


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary folder another user can enter (pytest's own tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="hfauth-ro-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in folder.rglob("*"):
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder)


def _as_unprivileged_user(action: Callable[[], str]) -> str:
    """Run `action` in a child process that dropped root; returns 'ok: ...' or 'FixError: ...'."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        result = "crash"
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            result = "ok: " + action()
        except FixError as exc:
            result = f"FixError: {exc}"
        except BaseException as exc:
            result = f"other: {exc!r}"
        finally:
            os.write(write_end, result.encode())
            os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode()


def test_read_only_directory_loses_nothing_and_says_why(shared_tmp: Path) -> None:
    folder = shared_tmp / "home"
    folder.mkdir()
    path = _netrc(folder)
    root = os.geteuid() == 0
    if root:
        os.chown(folder, NOBODY, NOBODY)
        os.chown(path, NOBODY, NOBODY)
    step = _plan(path)
    folder.chmod(0o555)
    if root:
        outcome = _as_unprivileged_user(lambda: _apply(step))
    else:
        try:
            outcome = "ok: " + _apply(step)
        except FixError as exc:
            outcome = f"FixError: {exc}"
    assert outcome.startswith("FixError: "), outcome
    assert "permission denied" in outcome and "nothing was changed" in outcome
    assert str(path) in outcome
    assert path.read_bytes() == ORIGINAL
    assert os.listdir(folder) == [".netrc"]
