"""Property tests over generated netrc files: only the Hub stanza goes, the backup is the original byte for
byte, the mode and owner are kept, and a second run changes nothing."""

from __future__ import annotations

import itertools
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hfauth_nb.engine.report import Finding
from hfauth_nb.fixes.netrc_edit import NetrcEditError, parse, remove_machine
from hfauth_nb.fixes.netrc_fix import plan_netrc
from tests.fixes.netrc_strategies import HUB, NetrcFile, netrc_files

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


def _optional_neighbours(netrc: NetrcFile, target: str) -> list[list[int]]:
    """For each target entry, the blank lines right above it and the comment lines right below it: a cut
    may take one of these runs when the parser would otherwise read the rest differently (and says so)."""
    runs = []
    for index, item in enumerate(netrc.items):
        if item.kind != "entry" or item.machine != target:
            continue
        for step, kind in ((-1, "blank"), (1, "comment")):
            run = []
            other = index + step
            while 0 <= other < len(netrc.items) and netrc.items[other].kind == kind:
                run.append(other)
                other += step
            if run:
                runs.append(run)
    return runs


def _expected_results(netrc: NetrcFile, target: str) -> set[str]:
    """Every text that is the file without the target's entries and, at most, their neighbouring runs."""
    pieces = _rendered(netrc)
    targets = {i for i, item in enumerate(netrc.items) if item.kind == "entry" and item.machine == target}
    runs = _optional_neighbours(netrc, target)
    results = set()
    for choice in itertools.product((False, True), repeat=len(runs)):
        removed = set(targets)
        for take, run in zip(choice, runs):
            if take:
                removed.update(run)
        results.add("".join(p for i, p in enumerate(pieces) if i not in removed))
    return results


@pytest.mark.parametrize("target", TARGETS)
@PROPERTY_SETTINGS
@given(netrc=netrc_files())
def test_only_the_target_stanza_is_removed(netrc: NetrcFile, target: str) -> None:
    text = netrc.text
    try:
        hosts, macros = parse(text)
    except NetrcEditError:
        event("original does not parse")
        with pytest.raises(NetrcEditError):
            remove_machine(text, target)
        return
    edit = remove_machine(text, target)
    if target not in hosts:
        event("no entry for the target")
        assert edit.after == text and not edit.changed
        return
    event("target removed")
    # The parser the libraries use reads exactly the original minus the target.
    assert parse(edit.after) == ({k: v for k, v in hosts.items() if k != target}, macros)
    # Byte level: only the target's own items went (with a neighbouring blank or comment run only when
    # the parser needs it, and then the edit says so).
    assert edit.after in _expected_results(netrc, target)
    if edit.after not in _expected_results_without_neighbours(netrc, target):
        event("a neighbouring blank or comment line taken too")
        assert any("blank line" in note or "comment line" in note for note in edit.notes)
    # The cuts describe the change exactly.
    kept = "".join(text[a:b] for a, b in _complement(edit.cuts, len(text)))
    assert kept == edit.after
    # Idempotent: nothing left to remove.
    again = remove_machine(edit.after, target)
    assert again.after == edit.after and not again.changed


def _expected_results_without_neighbours(netrc: NetrcFile, target: str) -> set[str]:
    pieces = _rendered(netrc)
    return {
        "".join(
            p for p, item in zip(pieces, netrc.items) if not (item.kind == "entry" and item.machine == target)
        )
    }


def _complement(cuts: tuple[tuple[int, int], ...], length: int) -> list[tuple[int, int]]:
    spans = []
    cursor = 0
    for start, end in cuts:
        spans.append((cursor, start))
        cursor = end
    spans.append((cursor, length))
    return spans


def _finding(path: Path, machine: str) -> Finding:
    return Finding("netrc-entry", "warning", "t", evidence={"file": str(path), "machine": machine})


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
        step = plan_netrc(_finding(path, target), HUB)
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
        second = plan_netrc(_finding(path, target), HUB)
        assert second.action is None and "nothing to remove" in second.summary
        assert len(os.listdir(folder)) == 2
