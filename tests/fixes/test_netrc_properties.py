"""Property tests over generated netrc files: only the Hub stanza goes, the backup is the original byte for
byte, the mode and owner are kept, and a second run changes nothing."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hfauth_nb.engine.causes import NetrcStanzaCause
from hfauth_nb.engine.report import Finding
from hfauth_nb.fixes.netrc_edit import BRIDGE, NetrcEdit, NetrcEditError, parse, remove_machine
from hfauth_nb.fixes.netrc_fix import plan_netrc
from tests.fixes.netrc_strategies import HUB, Item, NetrcFile, hub_files_with_comments, marker, netrc_files

TARGETS = (HUB, "default")
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("HFAUTH_PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _rendered(netrc: NetrcFile) -> list[str]:
    """Each item's text exactly as it sits in the file (line endings, the missing final newline)."""
    texts = [item.text for item in netrc.items]
    if texts and not netrc.final_newline:
        texts[-1] = texts[-1][:-1]
    return [t.replace("\n", "\r\n") if netrc.crlf else t for t in texts]


def _newline(netrc: NetrcFile) -> str:
    return "\r\n" if netrc.crlf else "\n"


def _live(pieces: list[str], index: int, item: Item) -> bool | None:
    """Whether Python's netrc reads the commented-out stanza at `index` as a live entry (fact N12), asked of
    the stdlib parser itself: its unique password is the machine's value right after that item, or not."""
    try:
        hosts, _ = parse("".join(pieces[: index + 1]))
    except NetrcEditError:
        return None  # the prefix does not parse: either answer is allowed
    value = hosts.get(item.machine or "")
    return value is not None and value[2] == marker(index)


def _stanza_items(netrc: NetrcFile, target: str) -> list[int]:
    """The items that are the target's stanzas: its entries, and the commented-out ones Python's netrc reads as
    live (or may: when the oracle cannot tell)."""
    pieces = _rendered(netrc)
    return [
        index
        for index, item in enumerate(netrc.items)
        if item.machine == target
        and (
            item.kind == "entry"
            or (item.kind == "commented-entry" and _live(pieces, index, item) is not False)
        )
    ]


def _stanza_ranges(netrc: NetrcFile, target: str) -> list[tuple[int, int]]:
    """Where the target's stanzas sit in the file (adjacent ones merged: one cut may take both)."""
    pieces = _rendered(netrc)
    offsets = list(itertools.accumulate([0, *map(len, pieces)]))
    ranges: list[tuple[int, int]] = []
    for index in _stanza_items(netrc, target):
        lo, hi = offsets[index], offsets[index + 1]
        if ranges and ranges[-1][1] == lo:
            ranges[-1] = (ranges[-1][0], hi)
        else:
            ranges.append((lo, hi))
    return ranges


def _only_stanza_bytes_removed(netrc: NetrcFile, target: str, cuts: tuple[tuple[int, int], ...]) -> bool:
    """Every removed byte lies inside one of the target's stanzas: every other byte of the file is kept."""
    ranges = _stanza_ranges(netrc, target)
    return all(any(lo <= a and b <= hi for lo, hi in ranges) for a, b in cuts)


def _with_bridges_only_at_cuts(
    text: str, after: str, cuts: tuple[tuple[int, int], ...], newline: str
) -> bool:
    """`after` is the kept bytes, with at most one bridge line where a cut was made."""
    pieces = []
    cursor = 0
    for a, b in cuts:
        pieces.append(re.escape(text[cursor:a]))
        pieces.append(f"(?:{re.escape(BRIDGE + newline)})?")
        cursor = b
    pieces.append(re.escape(text[cursor:]))
    return re.fullmatch("".join(pieces), after, flags=re.DOTALL) is not None


def _parsed_or_refused(text: str, target: str) -> Any:
    """The stdlib parser's reading of `text`; None (after checking the editor refuses it too) when it fails."""
    try:
        return parse(text)
    except NetrcEditError:
        event("original does not parse")
        with pytest.raises(NetrcEditError):
            remove_machine(text, target)
        return None


@pytest.mark.parametrize("target", TARGETS)
@PROPERTY_SETTINGS
@given(netrc=netrc_files())
def test_only_the_target_stanza_is_removed(netrc: NetrcFile, target: str) -> None:
    text = netrc.text
    parsed = _parsed_or_refused(text, target)
    if parsed is None:
        return
    hosts, macros = parsed
    if target not in hosts:
        event("no entry for the target")
        edit = remove_machine(text, target)
        assert edit.after == text and not edit.changed
        return
    try:
        edit = remove_machine(text, target)
    except NetrcEditError:
        event("refused: no byte-keeping cut reads right")
        _assert_no_simple_keeping_text(
            netrc, target, ({k: v for k, v in hosts.items() if k != target}, macros)
        )
        return
    event("target removed")
    _check_edit(netrc, target, edit, hosts, macros)


def _check_edit(
    netrc: NetrcFile, target: str, edit: NetrcEdit, hosts: dict[str, Any], macros: dict[str, Any]
) -> None:
    text = netrc.text
    # The parser the libraries use reads exactly the original minus the target.
    assert parse(edit.after) == ({k: v for k, v in hosts.items() if k != target}, macros)
    # Byte level: only bytes of the target's stanzas went; every comment, blank line and other entry stays. Where
    # the lines around a stanza depend on it, a one-word bridge comment takes its place, and the edit says so.
    assert _only_stanza_bytes_removed(netrc, target, edit.cuts), edit.cuts
    assert _with_bridges_only_at_cuts(text, edit.after, edit.cuts, _newline(netrc))
    if BRIDGE in edit.after and BRIDGE not in text:
        event("bridge comment left in place of the stanza")
        assert any(BRIDGE in note for note in edit.notes)
    # Idempotent: nothing left to remove.
    again = remove_machine(edit.after, target)
    assert again.after == edit.after and not again.changed


@settings(
    max_examples=int(
        os.environ.get("HFAUTH_NETRC_COMMENT_EXAMPLES", "1000")
    ),  # >= 200 files where the fix runs
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(netrc=hub_files_with_comments())
def test_comments_around_the_hub_stanza_are_kept(netrc: NetrcFile) -> None:
    """Issue 11: comments before, between and after the Hub stanza (UTF-8, '#word', commented-out stanzas,
    tokens in comments), LF or CRLF: every byte outside the stanza is kept, or the file is refused when no
    byte-keeping text reads as the original minus the Hub entry."""
    text = netrc.text
    parsed = _parsed_or_refused(text, HUB)
    if parsed is None:
        return
    hosts, macros = parsed
    expected_hosts = ({k: v for k, v in hosts.items() if k != HUB}, macros)
    try:
        edit = remove_machine(text, HUB)
    except NetrcEditError:
        event("refused: no byte-keeping cut reads right")
        _assert_no_simple_keeping_text(netrc, HUB, expected_hosts)
        return
    event("hub stanza removed, comments kept" + (" (bridge)" if BRIDGE in edit.after else ""))
    _check_edit(netrc, HUB, edit, hosts, macros)
    comment_lines = [i.text.strip() for i in netrc.items if i.kind in ("comment", "commented-entry")]
    for line in comment_lines:
        live_stanza = line.startswith("#") and HUB in line and line not in edit.after
        assert line in edit.after or live_stanza


def _assert_no_simple_keeping_text(netrc: NetrcFile, target: str, expected: object) -> None:
    """A refusal is right only if no text that drops just the Hub stanzas' lines (each left out or replaced by
    the bridge) reads as the original minus the Hub entry."""
    pieces = _rendered(netrc)
    bridge = BRIDGE + _newline(netrc)
    flexible = _stanza_items(netrc, target)
    for combo in itertools.product(("", bridge, None), repeat=len(flexible)):
        chosen = dict(zip(flexible, combo))
        candidate = "".join(
            pieces[i] if chosen.get(i) is None else str(chosen[i]) for i in range(len(pieces))
        )
        with contextlib.suppress(NetrcEditError):
            assert parse(candidate) != expected, candidate


def _complement(cuts: tuple[tuple[int, int], ...], length: int) -> list[tuple[int, int]]:
    spans = []
    cursor = 0
    for start, end in cuts:
        spans.append((cursor, start))
        cursor = end
    spans.append((cursor, length))
    return spans


def _finding(path: Path, machine: str) -> Finding:
    return Finding(
        "netrc-entry",
        "warning",
        "t",
        evidence={"file": str(path), "machine": machine},
        cause=NetrcStanzaCause(str(path), machine),
    )


@pytest.mark.parametrize("target", TARGETS)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(netrc=netrc_files(), mode=st.sampled_from((0o600, 0o400, 0o640, 0o644)))
def test_file_fix_keeps_a_byte_exact_backup_mode_and_owner(netrc: NetrcFile, mode: int, target: str) -> None:
    data = netrc.text.encode()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ".netrc"
        path.write_bytes(data)
        path.chmod(mode)
        owner = (path.stat().st_uid, path.stat().st_gid)
        step = plan_netrc(_finding(path, target))
        if step.action is None:  # unparsable, or nothing to remove: untouched, no backup
            assert path.read_bytes() == data
            assert sorted(os.listdir(folder)) == [".netrc"]
            return
        message = step.action()
        backups = [name for name in os.listdir(folder) if name.startswith(".netrc.hfauth-backup-")]
        assert len(backups) == 1 and backups[0] in message
        assert (Path(folder) / backups[0]).read_bytes() == data
        assert stat.S_IMODE(path.stat().st_mode) == mode
        assert (path.stat().st_uid, path.stat().st_gid) == owner
        assert path.read_bytes() == remove_machine(netrc.text, target).after.encode()
        assert sorted(os.listdir(folder)) == sorted([".netrc", backups[0]])  # no temporary file left
        second = plan_netrc(_finding(path, target))
        assert second.action is None and "nothing to remove" in second.summary
        assert len(os.listdir(folder)) == 2
