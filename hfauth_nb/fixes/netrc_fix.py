"""The netrc fix: remove the Hub host's entry from the file the finding names, and nothing else.

Planning reads the file and computes the new text (shown as a masked diff); applying writes it through
`files.replace_content`, which backs up, checks the file did not change meanwhile, and swaps atomically.
The new file is read back with Python's `netrc` before it replaces the old one.
"""

from __future__ import annotations

import locale
import netrc
import shlex
from pathlib import Path

from hfauth_nb.engine.causes import NetrcStanzaCause
from hfauth_nb.engine.report import Finding
from hfauth_nb.fixes import files
from hfauth_nb.fixes.model import FixError, Step
from hfauth_nb.fixes.netrc_edit import NetrcEdit, NetrcEditError, parse, remove_machine
from hfauth_nb.fixes.netrc_show import masked_diff, secret_comments


def entry_label(machine: str) -> str:
    return "default entry" if machine == "default" else f"'machine {machine}' entry"


def plan_netrc(finding: Finding) -> Step:
    """The step that removes the finding's netrc entry (or says why it cannot, changing nothing)."""
    cause = finding.cause
    if not isinstance(cause, NetrcStanzaCause):
        return Step("manual", "The finding does not name a netrc file.", commands=finding.fix)
    path, machine = Path(cause.file), cause.machine
    label = entry_label(machine)
    try:
        snapshot = files.read_snapshot(path)
        text, encoding = _decode(snapshot.data, path)
        edit = remove_machine(text, machine)
    except FileNotFoundError:
        return Step("manual", f"{path} no longer exists: nothing to remove.")
    except FixError as exc:
        return Step("manual", str(exc), commands=finding.fix)
    except NetrcEditError as exc:
        return Step(
            "manual",
            f"{path} was left untouched: {exc}. Remove the {label} by hand (keep a copy first).",
            commands=(f"cp -p {shlex.quote(str(path))} {shlex.quote(str(path))}.bak",),
        )
    if not edit.changed:
        return Step("manual", f"{path} has no {label} any more: nothing to remove.")
    new_data = edit.after.encode(encoding)
    where = ", ".join(f"line {a}" if a == b else f"lines {a}-{b}" for a, b in edit.lines)
    notes = list(edit.notes)
    if machine == "default":
        notes.insert(
            0,
            "The default entry applies to every host, not only the Hub: git, curl and requests will stop "
            "sending these credentials to other hosts too (the backup keeps them).",
        )
    passwords = [value[2] for value in parse(text)[0].values() if value[2]]
    for line, shown in secret_comments(edit.after, passwords):
        notes.append(
            f"Line {line} of the new file is a comment that holds a credential ({shown}). Comments are yours, so "
            "it stays: delete that line yourself if the credential is no longer needed (and revoke it if it is a "
            "real token)."
        )
    if snapshot.via_link:
        notes.append(f"{path} is a symlink: its target {snapshot.target} is edited, the link stays.")
    notes.append("A backup of the whole file is written next to it first; other entries stay byte for byte.")
    return Step(
        "file",
        f"Remove the {label} from {path} ({where}).",
        diff=masked_diff(edit, str(path)),
        notes=tuple(notes),
        action=lambda: _apply(snapshot, edit, new_data, label),
    )


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """Text as Python's netrc reads it (UTF-8, else the locale's encoding), if it round-trips exactly."""
    for encoding in dict.fromkeys(("utf-8", locale.getpreferredencoding(False))):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if text.encode(encoding) == data:
            return text, encoding
    raise FixError(f"{path} is not valid text in UTF-8 or the locale's encoding; it was left as it is.")


def read_back(path: Path) -> tuple[dict[str, tuple[str, ...]], dict[str, list[str]]]:
    """(hosts, macros) of a file as Python's netrc reads it from disk; raises FixError if it cannot."""
    try:
        reader = netrc.netrc(str(path))
    except (netrc.NetrcParseError, OSError) as exc:
        raise FixError(f"the new version did not read back cleanly ({exc}); nothing was changed.") from None
    return {name: tuple(value) for name, value in reader.hosts.items()}, dict(reader.macros)


def _apply(snapshot: files.Snapshot, edit: NetrcEdit, new_data: bytes, label: str) -> str:
    expected = parse(edit.after)

    def check(temp: Path) -> None:
        """The new file, read by the stdlib parser itself before it goes live, must be what was planned."""
        if read_back(temp) != expected:
            raise FixError("the new version reads differently than planned; nothing was changed.")

    backup = files.replace_content(snapshot, new_data, check=check)
    target = snapshot.target
    edited = f"{target} (the target of the symlink {snapshot.path})" if snapshot.via_link else str(target)
    return (
        f"Removed the {label} from {edited}. Backup of the old file: {backup}. "
        f"Undo: cp -p {shlex.quote(str(backup))} {shlex.quote(str(target))}"
    )
