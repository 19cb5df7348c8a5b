"""Replace a file's content so that nothing can be lost: backup first, atomic swap, same mode and owner.

The new content goes to a temporary file in the same directory and takes the original's place with
`os.replace`, so a reader sees the old file or the new one, never half of one. A symlink is followed and
its target edited; the link itself stays. If the file changed since it was read (another program, an
editor), nothing is written. Every failure raises FixError saying that the original is untouched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from hfauth_nb.fixes.model import FixError


@dataclass(frozen=True)
class Snapshot:
    """A file as read: where it really is, its bytes, and what must match before it is replaced."""

    path: Path  # as named (maybe a symlink)
    target: Path  # the regular file behind it
    data: bytes = field(repr=False)
    mode: int
    uid: int
    gid: int
    inode: int
    size: int
    mtime_ns: int
    links: int

    @property
    def via_link(self) -> bool:
        return self.path != self.target


def read_snapshot(path: Path) -> Snapshot:
    """Read `path` (following symlinks) with the metadata needed to replace it safely later."""
    target = Path(os.path.realpath(path))
    try:
        before = os.stat(target)
        if not stat.S_ISREG(before.st_mode):
            raise FixError(f"{path} is not a regular file; it was left as it is.")
        with open(target, "rb") as handle:
            data = handle.read()
        after = os.stat(target)
    except FixError:
        raise
    except OSError as exc:
        raise FixError(f"cannot read {path}: {_reason(exc)}; it was left as it is.") from None
    if _identity(before) != _identity(after):
        raise FixError(f"{path} changed while it was being read; it was left as it is. Try again.")
    return Snapshot(
        path=Path(path),
        target=target,
        data=data,
        mode=stat.S_IMODE(after.st_mode),
        uid=after.st_uid,
        gid=after.st_gid,
        inode=after.st_ino,
        size=after.st_size,
        mtime_ns=after.st_mtime_ns,
        links=after.st_nlink,
    )


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or type(exc).__name__


def backup_name(path: Path, when: float | None = None) -> str:
    """`.netrc` -> `.netrc.hfauth-backup-20250102-030405` (UTC), next to the file."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if when is None else when))
    return f"{path.name}.hfauth-backup-{stamp}"


def replace_content(snapshot: Snapshot, data: bytes, *, check: Callable[[Path], None] | None = None) -> Path:
    """Put `data` in place of the snapshot's file; returns the backup (the old bytes, next to it).

    `check(temp_path)` runs on the new file before it takes the original's place and may raise FixError.
    Right before the swap the file must still be exactly the snapshot (content and metadata); otherwise
    nothing is written and the backup is removed again.
    """
    if snapshot.links > 1:
        raise FixError(
            f"{snapshot.target} has {snapshot.links} hard links; replacing it would split them. "
            "It was left as it is: edit it by hand."
        )
    folder = snapshot.target.parent
    _ensure_unchanged(snapshot)
    backup = _write_backup(snapshot)
    try:
        temp = _write_temp(snapshot, data)
        try:
            if check is not None:
                check(temp)
            _ensure_unchanged(snapshot)
            os.replace(temp, snapshot.target)
        except BaseException:
            _remove_quietly(temp)
            raise
    except BaseException:
        _remove_quietly(backup)
        raise
    _sync_folder(folder)
    return backup


def _ensure_unchanged(snapshot: Snapshot) -> None:
    """Refuse when the file was edited, replaced or re-linked since it was read."""
    message = (
        f"{snapshot.path} changed after hfauth read it (another program or an editor?); nothing was written. "
        "Run the fix again to see the current content."
    )
    if Path(os.path.realpath(snapshot.path)) != snapshot.target:
        raise FixError(message)
    try:
        info = os.stat(snapshot.target)
        with open(snapshot.target, "rb") as handle:
            data = handle.read()
    except OSError:
        raise FixError(message) from None
    same_meta = (info.st_ino, info.st_size, info.st_mtime_ns) == (
        snapshot.inode,
        snapshot.size,
        snapshot.mtime_ns,
    )
    if not same_meta or data != snapshot.data:
        raise FixError(message)


def _write_backup(snapshot: Snapshot) -> Path:
    folder = snapshot.target.parent
    base = backup_name(snapshot.target)
    for attempt in range(1, 100):
        candidate = folder / (base if attempt == 1 else f"{base}-{attempt}")
        try:
            fd = os.open(
                candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600
            )
        except FileExistsError:
            continue
        except OSError as exc:
            raise FixError(_cannot_write(snapshot, exc, "the backup")) from None
        _fill(fd, candidate, snapshot.data, snapshot, mode=snapshot.mode & 0o700 or 0o600)
        return candidate
    raise FixError(f"too many backups of {snapshot.target} already exist in {folder}; nothing was changed.")


def _write_temp(snapshot: Snapshot, data: bytes) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{snapshot.target.name}.hfauth-", dir=snapshot.target.parent)
    except OSError as exc:
        raise FixError(_cannot_write(snapshot, exc, "the new version")) from None
    _fill(fd, Path(name), data, snapshot, mode=snapshot.mode)
    return Path(name)


def _fill(fd: int, path: Path, data: bytes, snapshot: Snapshot, *, mode: int) -> None:
    """Write, flush to disk, and give the new file the original's mode and owner (or fail cleanly)."""
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
            if hasattr(os, "fchmod"):  # POSIX; on Windows the mode bits mean little
                os.fchmod(fd, mode)
            if hasattr(os, "fchown") and (snapshot.uid, snapshot.gid) != _owner(fd):
                os.fchown(fd, snapshot.uid, snapshot.gid)
        finally:
            os.close(fd)
    except OSError as exc:
        _remove_quietly(path)
        if exc.errno == errno.EPERM:
            raise FixError(
                f"cannot give the new file the owner of {snapshot.target} (uid {snapshot.uid}); "
                "nothing was changed."
            ) from None
        raise FixError(_cannot_write(snapshot, exc, "the new version")) from None


def _owner(fd: int) -> tuple[int, int]:
    info = os.fstat(fd)
    return info.st_uid, info.st_gid


def _cannot_write(snapshot: Snapshot, exc: OSError, what: str) -> str:
    return (
        f"cannot write {what} in {snapshot.target.parent} ({_reason(exc)}); nothing was changed and "
        f"{snapshot.path} is as it was."
    )


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable; best effort (not every file system allows opening a directory)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
