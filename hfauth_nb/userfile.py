"""Read a file the user controls without ever blocking: regular files only, and only up to a size limit.

Every reader of user files goes through here (netrc, the token file, stored tokens, the scanner). A FIFO in
place of `~/.netrc` would block `open()` until a writer comes, `/dev/zero` (or a symlink to it) never ends,
and a huge file would fill memory: each is refused with an `OSError` whose `strerror` says why, so callers
report it the way they report a permission error.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO, Union

PathLike = Union[str, "os.PathLike[str]"]

DEFAULT_LIMIT = 1024 * 1024  # credential files are a few hundred bytes
_CHUNK = 1024 * 1024

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotARegularFile(OSError):
    """The path is a FIFO, a device or a socket: reading it could block or never end."""


class FileTooLarge(OSError):
    """The file is larger than the reader's limit."""


def describe_kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: PathLike, limit: int | None = DEFAULT_LIMIT) -> BinaryIO:
    """A binary file object for a regular file (of at most `limit` bytes by its size), for readers that only
    need its head (the scanner sniffs for SQLite and binary data). Raises as `read_bytes`."""
    fd = os.open(os.fspath(path), os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        _judge(path, info.st_mode, info.st_size, limit)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _judge(path: PathLike, mode: int, size: int, limit: int | None) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", os.fspath(path))
    if not stat.S_ISREG(mode):
        raise NotARegularFile(errno.EINVAL, f"is {describe_kind(mode)}, not a file", os.fspath(path))
    if limit is not None and size > limit:
        raise FileTooLarge(errno.EFBIG, f"is larger than {_size(limit)}", os.fspath(path))


def read_bytes(path: PathLike, limit: int = DEFAULT_LIMIT) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; symlinks are followed, then judged by target.

    Raises FileNotFoundError, PermissionError, IsADirectoryError, NotARegularFile, FileTooLarge (all OSError).
    """
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, before we can look at it.
    fd = os.open(os.fspath(path), os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        _judge(path, info.st_mode, info.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while True:  # st_size can lie (/proc, a file still growing): stop at the limit whatever it said
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(errno.EFBIG, f"is larger than {_size(limit)}", os.fspath(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: PathLike, limit: int = DEFAULT_LIMIT, *, errors: str = "strict") -> str:
    """`read_bytes` decoded as UTF-8, as huggingface_hub and `netrc` read them (a BOM is kept, as they keep it)."""
    return read_bytes(path, limit).decode("utf-8", errors)


def is_regular_file(path: PathLike) -> bool:
    """True for a regular file (or a symlink to one); never opens it."""
    try:
        return stat.S_ISREG(Path(path).stat().st_mode)
    except (OSError, ValueError):
        return False


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)} MB"
    return f"{limit // 1024} KB" if limit >= 1024 else f"{limit} bytes"
