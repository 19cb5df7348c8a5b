"""Read the netrc files that could carry credentials for the Hub host, with the parser the libraries use.

requests (huggingface_hub < 1.0) reads `$NETRC` if set, else `~/.netrc`, else `~/_netrc` (fact N2); git
(libcurl) and git-lfs read `$HOME/.netrc` and ignore `NETRC` (N7, N8). Python's `netrc` decides what is an
entry (N12: a "commented out" stanza can still be live), so we judge with it, never by eye.
"""

from __future__ import annotations

import io
import netrc
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from hfauth_nb import userfile


@dataclass(frozen=True)
class NetrcEntry:
    """The entry that matches the Hub host (a `default` entry matches every host)."""

    machine: str  # the host name, or "default"
    login: str | None
    password: str | None = field(default=None, repr=False)  # secret: compared, never shown

    @property
    def is_default(self) -> bool:
        return self.machine == "default"


@dataclass(frozen=True)
class NetrcFile:
    path: str
    used_by: tuple[str, ...]
    exists: bool
    error: str | None = None  # why it cannot be read or parsed
    unsafe_mode: str | None = None  # e.g. "0644"
    entry: NetrcEntry | None = None
    blocks: bool = False  # a FIFO or a device: a plain open() of it (requests, curl) waits or never ends


@dataclass(frozen=True)
class NetrcFacts:
    host: str
    files: tuple[NetrcFile, ...] = ()

    @property
    def blocks_requests(self) -> str | None:
        """The netrc file requests would open, when opening it never ends (a FIFO, /dev/zero): requests reads it
        while preparing every request, so the library's calls (< 1.0) and any observation of them would hang."""
        blocking = next(
            (f for f in self.files if f.blocks and any(u.startswith("requests") for u in f.used_by)), None
        )
        return blocking.path if blocking is not None else None

    @property
    def entries(self) -> list[tuple[NetrcFile, NetrcEntry]]:
        return [(f, f.entry) for f in self.files if f.entry is not None]


def _requests_path(home: Path) -> Path | None:
    """The one file requests would consult (N2), or None."""
    override = os.environ.get("NETRC")
    if override is not None:  # set, even empty: requests then reads that file only (an empty one: none)
        return Path(override).expanduser() if override else None
    for name in (".netrc", "_netrc"):
        candidate = home / name
        if candidate.exists():
            return candidate
    return None


def gather_netrc(host: str) -> NetrcFacts:
    """Every netrc file that matters for `host`, and the entry each one yields for it."""
    home = Path(os.path.expanduser("~"))
    users: dict[Path, list[str]] = {}
    req = _requests_path(home)
    if req is not None:
        users.setdefault(req, []).append("requests (huggingface_hub<1.0, other Python tools)")
    git_path = home / ".netrc"
    users.setdefault(git_path, []).extend(["git", "git-lfs"])
    files = tuple(_read_one(path, tuple(who), host) for path, who in users.items())
    return NetrcFacts(host=host, files=tuple(f for f in files if f.exists or f.error))


def _read_one(path: Path, used_by: tuple[str, ...], host: str) -> NetrcFile:
    try:
        info = path.stat()
    except FileNotFoundError:
        return NetrcFile(str(path), used_by, exists=False)
    except OSError as exc:
        return NetrcFile(str(path), used_by, exists=True, error=f"cannot stat: {exc.strerror or exc}")
    if stat.S_ISDIR(info.st_mode):
        return NetrcFile(str(path), used_by, exists=True, error="is a directory")
    unsafe = oct(info.st_mode & 0o777)[2:].zfill(4) if info.st_mode & 0o077 else None
    try:
        parsed = _parse(path, userfile.read_text(path))
    except netrc.NetrcParseError as exc:
        message = f"parse error at line {exc.lineno}: {exc.msg}" if exc.lineno else f"parse error: {exc.msg}"
        return NetrcFile(str(path), used_by, exists=True, error=message, unsafe_mode=unsafe)
    except userfile.NotARegularFile as exc:
        error = (
            f"cannot read: {exc.strerror} (programs that open it, such as requests and git, can hang on it)"
        )
        return NetrcFile(str(path), used_by, exists=True, error=error, blocks=True)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        return NetrcFile(str(path), used_by, exists=True, error=f"cannot read: {reason}", unsafe_mode=unsafe)
    return NetrcFile(str(path), used_by, exists=True, unsafe_mode=unsafe, entry=_match(parsed, host))


def _parse(path: Path, text: str) -> netrc.netrc:
    """Python's own netrc parser over text we read safely (it would open a FIFO and wait forever)."""
    parsed = netrc.netrc.__new__(netrc.netrc)
    parsed.hosts, parsed.macros = {}, {}
    # `_parse(file, fp, default_netrc)` is what netrc.netrc() runs on the file it opened (3.8 to 3.13), which it
    # opens in text mode: universal newlines, so a CRLF file reads like an LF one.
    parsed._parse(str(path), io.StringIO(text, newline=None), False)  # type: ignore[attr-defined]
    return parsed


def _match(parsed: netrc.netrc, host: str) -> NetrcEntry | None:
    if host in parsed.hosts:
        machine = host
    elif "default" in parsed.hosts:
        machine = "default"
    else:
        return None
    login, _account, password = parsed.hosts[machine]
    return NetrcEntry(machine=machine, login=login or None, password=password or None)
