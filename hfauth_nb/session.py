"""The session-only token: `HF_TOKEN` set in this kernel's environment, restorable, never written to disk.

"Session" means this Python process: code in this kernel, and `!` commands started after the token was set
(they inherit the environment). Nothing is saved anywhere, so a kernel restart forgets it. The process
environment is the only copy: this module keeps a hash of the token (to know whether `HF_TOKEN` is still
the one it set), and the value `HF_TOKEN` had before, which is already a secret of this process.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from typing import Literal

from hfauth_nb.secrets import mask

VARIABLE = "HF_TOKEN"

MEANING = (
    "Session means this kernel: Python code here, and ! commands started from now on, see HF_TOKEN. "
    "It is never written to disk and is gone when the kernel restarts; Forget (or %hfauth logout) puts "
    "back what HF_TOKEN was before. Objects made with an explicit token (HfApi(token=...)) keep theirs."
)

SHORT = "The token becomes HF_TOKEN in this kernel only: never saved, gone when the kernel restarts."

_lock = threading.Lock()


@dataclass(frozen=True)
class _Saved:
    """What to restore on Forget, and which token this module set (by hash only)."""

    previous: str | None  # HF_TOKEN before the first session token; None when it was unset
    digest: str


_saved: _Saved | None = None


@dataclass(frozen=True)
class SessionState:
    """What the panel and `%hfauth logout` show: is a session token in force, and what did it replace."""

    active: bool
    masked: str | None = None
    replaced: str | None = None  # the masked previous HF_TOKEN, when there was one
    had_previous: bool = False


ForgetOutcome = Literal["restored", "removed", "changed", "none"]


@dataclass(frozen=True)
class Forgotten:
    """The result of `forget()`: what HF_TOKEN is now, in words that never show a token."""

    outcome: ForgetOutcome
    message: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _ours(saved: _Saved | None) -> bool:
    current = os.environ.get(VARIABLE)
    return saved is not None and current is not None and _digest(current) == saved.digest


def use(token: str) -> SessionState:
    """Set HF_TOKEN to `token` for this process; the first call remembers the value to restore."""
    global _saved
    if not token or token != token.strip() or "\n" in token:
        raise ValueError("the session token must be a cleaned, non-empty string")
    with _lock:
        previous = _saved.previous if _ours(_saved) and _saved is not None else os.environ.get(VARIABLE)
        _saved = _Saved(previous=previous, digest=_digest(token))
        os.environ[VARIABLE] = token
        return _state_locked()


def forget() -> Forgotten:
    """Undo `use()`: restore HF_TOKEN's previous value, or remove it; leave it alone if someone changed it."""
    global _saved
    with _lock:
        saved, _saved = _saved, None
        if saved is None:
            return Forgotten("none", _nothing_to_forget())
        if not _ours(saved):
            return Forgotten(
                "changed",
                "HF_TOKEN was changed after the session token was set, so it was left as it is "
                f"({_describe_current()}).",
            )
        if saved.previous is None:
            os.environ.pop(VARIABLE, None)
            return Forgotten("removed", "Session token forgotten: HF_TOKEN is unset again, as it was before.")
        os.environ[VARIABLE] = saved.previous
        return Forgotten(
            "restored",
            f"Session token forgotten: HF_TOKEN is back to its previous value {mask(saved.previous)}.",
        )


def state() -> SessionState:
    """The session token in force now (inactive once HF_TOKEN no longer holds it)."""
    with _lock:
        return _state_locked()


def _state_locked() -> SessionState:
    if _saved is None or not _ours(_saved):
        return SessionState(active=False)
    return SessionState(
        active=True,
        masked=mask(os.environ.get(VARIABLE)),
        replaced=mask(_saved.previous),
        had_previous=_saved.previous is not None,
    )


def _describe_current() -> str:
    current = os.environ.get(VARIABLE)
    return "HF_TOKEN is unset" if current is None else f"HF_TOKEN is {mask(current)}"


def _nothing_to_forget() -> str:
    return (
        f"No session token to forget ({_describe_current()}, not set by hfauth); nothing changed. "
        "A token saved on disk by `hf auth login` is removed with `hf auth logout`."
    )
