"""`hfauth fix netrc-*` and `%hfauth fix netrc-*` keep every comment around the Hub stanza (issue 11): a UTF-8
comment, '# Hugging Face', '# TODO rotate these', a comment holding an old password, a commented-out old entry.
Where a kept comment holds a credential, the plan says so and leaves it to the user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hfauth_nb.fixes.netrc_edit import BRIDGE, parse
from tests.fixes.harness import Stage

COMMENTS = (
    "# Schl\u00fcssel f\u00fcr den Hub \u2014 \u65e5\u672c\u8a9e",
    "# Hugging Face",
    "# TODO rotate these",
    "# old password: {old}",
    "# machine {host} login olduser password {old}",
)


def _stage(stage: Stage, newline: str, trailing: str) -> tuple[Path, str, str, str]:
    stage.env("HF_TOKEN", stage.token(role="write"))
    old = stage.token()  # an old token, now only in a comment
    lines = [
        f"# netrc for {stage.host}",
        f"machine github.com login me password {stage.secret('gh-' + 'secret')}{trailing}",
        f"machine {stage.host}",
        "  login nuser",
        f"  password {stage.secret('stale-' + 'netrc-password')}",
        *(c.format(old=old, host=stage.host) for c in COMMENTS),
        "machine example.org login x password y",
    ]
    text = newline.join(lines) + newline
    path = stage.netrc("")
    path.write_bytes(text.encode())
    data = json.loads(stage.cli("check", "--json").out)
    (finding_id,) = {f["id"] for f in data["findings"]} & {"netrc-overrides-token", "netrc-entry"}
    stanza = newline.join(lines[2:5]) + newline
    return path, text, stanza, finding_id


def _kept_everything(before: str, after: str, stanza: str, newline: str) -> None:
    assert after in (before.replace(stanza, ""), before.replace(stanza, BRIDGE + newline)), after
    hosts = parse(after)[0]
    assert set(hosts) == {"github.com", "example.org"}


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("trailing", ["", "  "], ids=["plain", "trailing-space"])
def test_cli_fix_keeps_the_comments(hub_stage: Stage, newline: str, trailing: str) -> None:
    path, before, stanza, finding_id = _stage(hub_stage, newline, trailing)
    result = hub_stage.cli("fix", finding_id, "--yes")
    assert result.code == 0, result.text
    _kept_everything(before, path.read_bytes().decode(), stanza, newline)


def test_cli_plan_names_a_credential_left_in_a_comment(hub_stage: Stage) -> None:
    path, before, _, finding_id = _stage(hub_stage, "\n", "")
    plan = hub_stage.cli("fix", finding_id, "--dry-run")
    assert "holds a credential" in plan.out  # the old token in a comment: named, masked, left to the user
    hub_stage.assert_no_secret(plan.text)
    assert path.read_bytes().decode() == before


def test_magic_fix_keeps_the_comments(hub_stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    path, before, stanza, finding_id = _stage(hub_stage, "\n", "  ")
    with hub_stage.shell() as shell:
        done = shell.run_line_magic("hfauth", f"fix {finding_id} --yes")
        assert done.status == "applied", str(done)
        assert "holds a credential" in str(done)
        hub_stage.assert_no_secret(str(done))
    _kept_everything(before, path.read_bytes().decode(), stanza, "\n")
