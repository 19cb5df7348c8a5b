"""Environment fixes for this process only, each one restorable.

huggingface_hub reads HF_TOKEN and HUGGING_FACE_HUB_TOKEN on every call, so changing `os.environ` in a
kernel takes effect at once. Every change is journalled with the previous value (in memory only, never
shown) so `undo_last()` puts it back. A CLI cannot change the shell that started it; for it we only
print the exact `unset` / `export` lines.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping, MutableMapping

from hfauth_nb.engine.causes import EnvVarCause
from hfauth_nb.engine.report import Finding

HF_TOKEN = "HF_TOKEN"
LEGACY = "HUGGING_FACE_HUB_TOKEN"
TOKEN_VARIABLES = (HF_TOKEN, LEGACY)


@dataclass(frozen=True)
class EnvChange:
    """Set `name` to `after` (None: unset it). `copied_from` names the variable the new value comes from."""

    name: str
    before: str | None = field(default=None, repr=False)
    after: str | None = field(default=None, repr=False)
    copied_from: str | None = None

    def describe(self) -> str:
        if self.after is None:
            return f"unset {self.name}"
        if self.copied_from:
            return f"set {self.name} to the token in {self.copied_from}"
        return f"set {self.name}"

    def shell_line(self) -> str:
        """The POSIX shell line with the same effect; never contains a value, only variable names."""
        if self.after is None:
            return f"unset {self.name}"
        if self.copied_from:
            return f'export {self.name}="${self.copied_from}"'
        return f"export {self.name}=...   # your new token"


# -- deciding (pure) ---------------------------------------------------------------------------------


def changes_for(finding: Finding, environ: Mapping[str, str]) -> tuple[EnvChange, ...]:
    """The environment changes that remove the finding's cause, given the current environment.

    Empty when the cause is not an environment variable (a token file, a Colab secret).
    """
    cause = finding.cause
    if not isinstance(cause, EnvVarCause):
        return ()
    if cause.legacy:
        return _legacy(environ)
    name = cause.name
    if name not in TOKEN_VARIABLES or name not in environ:
        return ()
    changes = [EnvChange(name, before=environ[name], after=None)]
    other = LEGACY if name == HF_TOKEN else None
    if other and other in environ and environ[other].strip() == environ[name].strip():
        # The legacy variable holds the same token and would take over once HF_TOKEN is gone.
        changes.append(EnvChange(other, before=environ[other], after=None))
    return tuple(changes)


def _legacy(environ: Mapping[str, str]) -> tuple[EnvChange, ...]:
    legacy = environ.get(LEGACY)
    if legacy is None:
        return ()
    modern = environ.get(HF_TOKEN)
    drop_legacy = EnvChange(LEGACY, before=legacy, after=None)
    if modern is not None and modern.strip():
        return (drop_legacy,)  # HF_TOKEN already wins; the legacy one is dead weight (or stale)
    rename = EnvChange(HF_TOKEN, before=modern, after=legacy, copied_from=LEGACY)
    return (rename, drop_legacy)


def shell_lines(changes: tuple[EnvChange, ...]) -> tuple[str, ...]:
    return tuple(change.shell_line() for change in changes)


def python_line(changes: tuple[EnvChange, ...]) -> str:
    """The same changes as one line of Python for a notebook cell (no value written out)."""
    parts = ["import os"]
    for change in changes:
        if change.after is None:
            parts.append(f"os.environ.pop({change.name!r}, None)")
        elif change.copied_from:
            parts.append(f"os.environ[{change.name!r}] = os.environ[{change.copied_from!r}]")
    return "; ".join(parts)


# -- doing and undoing (this process) -----------------------------------------------------------------

_JOURNAL: list[tuple[EnvChange, ...]] = []


def apply(changes: tuple[EnvChange, ...], environ: MutableMapping[str, str] | None = None) -> str:
    """Make the changes in this process and remember how to undo them; returns what was done."""
    env = os.environ if environ is None else environ
    for change in changes:
        if change.after is None:
            env.pop(change.name, None)
        else:
            env[change.name] = change.after
    _JOURNAL.append(changes)
    return "In this process: " + "; ".join(c.describe() for c in changes) + "."


def undo_last(environ: MutableMapping[str, str] | None = None) -> str:
    """Put back the values the last fix changed; a variable changed since then is left alone and named."""
    env = os.environ if environ is None else environ
    if not _JOURNAL:
        return "Nothing to undo: no environment fix was applied in this session."
    changes = _JOURNAL.pop()
    restored: list[str] = []
    skipped: list[str] = []
    for change in reversed(changes):
        if env.get(change.name) != change.after:
            skipped.append(change.name)
            continue
        if change.before is None:
            env.pop(change.name, None)
        else:
            env[change.name] = change.before
        restored.append(change.name)
    message = "Restored " + (", ".join(sorted(restored)) if restored else "nothing")
    if skipped:
        message += f"; left {', '.join(sorted(skipped))} alone (changed again since the fix)"
    return message + "."


def pending_undos() -> int:
    return len(_JOURNAL)
