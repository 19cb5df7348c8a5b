"""The `hfauth` command: exit statuses, one JSON object for --json, no traceback for any failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from frontend_helpers import CANARY, FakeEngine, ok_report

from hfauth_nb.cli import main
from hfauth_nb.grammar.requests import CheckRequest


def test_check_with_an_error_finding_exits_1(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "https://huggingface.co/datasets/org/d/tree/v1", "--write", "--timeout", "2"]) == 1
    assert engine.calls == [
        CheckRequest(repo_id="org/d", repo_type="dataset", write=True, revision="v1", timeout=2.0)
    ]
    out, err = capsys.readouterr()
    assert out.startswith("ERROR: The Hub rejects the token in HF_TOKEN\n")
    assert err == ""
    assert CANARY not in out


def test_clean_report_exits_0(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    engine.report = ok_report()
    assert main(["check", "gpt2"]) == 0
    assert capsys.readouterr().out.startswith("OK: ")


@pytest.mark.parametrize(
    "argv", [["check", "gpt2", "--json"], ["--json", "check", "gpt2"], ["status", "--json"]]
)
def test_json_prints_exactly_one_object(
    argv: list[str], engine: FakeEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    out, err = capsys.readouterr()
    data = json.loads(out)  # fails on anything but exactly one JSON document
    assert out.count("\n") == 1 and out.endswith("}\n")
    assert data["schema"] == "hfauth/1" and data["ok"] is False
    assert {"verdict", "target", "token", "findings", "timings"} <= set(data)
    assert err == ""
    assert CANARY not in out


def test_status_is_a_check_without_repo(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    main(["status", "--timeout", "1.5"])
    assert engine.calls == [CheckRequest(repo_id=None, timeout=1.5)]


def test_markdown_is_redacted(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "alice/private-model", "--markdown"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("### hfauth: ERROR")
    assert "alice" not in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["check", "bad id"], "whitespace"),
        (["check", "https://hf.co/spaces/o/a", "--type", "model"], "names a space"),
        (["check", "--timeout", "-1"], "positive number"),
        (["frobnicate"], "invalid choice"),
        ([], "choose a command"),
        (["check", "gpt2", "--markdown", "--json"], "not allowed"),
    ],
)
def test_usage_errors_exit_2_with_a_message_and_no_traceback(
    argv: list[str], says: str, engine: FakeEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert says in err and "hfauth: error:" in err and "usage: hfauth" in err
    assert "Traceback" not in err
    assert engine.calls == []


def test_a_token_argument_is_refused_and_not_echoed(
    engine: FakeEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", CANARY]) == 2
    out, err = capsys.readouterr()
    assert "a token must never be typed on the command line" in err
    assert CANARY not in out + err
    assert engine.calls == []


def test_internal_error_is_one_scrubbed_line(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    engine.error = RuntimeError(f"boom with {CANARY}\nsecond line")
    assert main(["check", "gpt2"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "internal error (RuntimeError: boom with hf_...klmn)" in err
    assert "--debug" in err
    assert CANARY not in err


def test_debug_shows_the_scrubbed_traceback(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    engine.error = KeyError(CANARY)
    assert main(["check", "gpt2", "--debug"]) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "KeyError" in err
    assert CANARY not in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == "hfauth_nb 0.1.0\n"


def test_python_dash_m_help_and_usage_error() -> None:
    """One real process: the module entry point, --help, and a usage error's exit status."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    shown = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert shown.returncode == 0
    assert "check" in shown.stdout and "status" in shown.stdout
    refused = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", "check", "not/a/repo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "more than one '/'" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert refused.stdout == ""
