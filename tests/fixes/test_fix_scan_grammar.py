"""`fix` and `scan` in the shared grammar: typed requests, usage errors, magic-only --undo."""

from __future__ import annotations

import pytest

from hfauth_nb.grammar.parse import RequestError, help_text, parse_command
from hfauth_nb.grammar.requests import FixRequest, ScanRequest


def test_fix_request() -> None:
    assert parse_command(["fix", "netrc-entry", "--dry-run", "--timeout", "2"]) == FixRequest(
        finding_id="netrc-entry", dry_run=True, timeout=2.0
    )
    assert parse_command(["fix", "git-credential-stale", "-y", "--remove"]) == FixRequest(
        finding_id="git-credential-stale", yes=True, git_action="remove"
    )
    assert parse_command(["fix", "--undo"], magic=True, endpoint="https://m.example") == FixRequest(
        undo=True, endpoint="https://m.example"
    )


@pytest.mark.parametrize(
    ("argv", "magic", "message"),
    [
        (["fix"], False, "name the finding to fix"),
        (["fix", "no-such-id"], False, "unknown finding id 'no-such-id'"),
        (["fix", "netrc-entry", "--undo"], True, "--undo takes no FINDING_ID"),
        (["fix", "git-credential-stale", "--replace", "--remove"], False, "not allowed with"),
    ],
)
def test_fix_usage_errors(argv: list[str], magic: bool, message: str) -> None:
    with pytest.raises(RequestError, match=message):
        parse_command(argv, magic=magic)


def test_undo_is_magic_only() -> None:
    with pytest.raises(RequestError):
        parse_command(["fix", "--undo"])


def test_scan_request() -> None:
    assert parse_command(["scan"]) == ScanRequest()
    assert parse_command(["scan", "a.ipynb", "dir", "--json"]) == ScanRequest(
        ("a.ipynb", "dir"), output="json"
    )
    assert parse_command(["--json", "scan"], magic=True) == ScanRequest(output="json")


def test_help_documents_both_commands() -> None:
    for magic in (False, True):
        text = help_text(magic=magic)
        assert "FINDING_ID" in text and "--dry-run" in text and "PATH" in text
