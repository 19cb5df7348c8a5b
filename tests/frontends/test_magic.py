"""`%hfauth` in a real InteractiveShell: loading, subcommands, settings, usage errors, reload, unload."""

from __future__ import annotations

import json
from typing import Any

import pytest
from frontend_helpers import CANARY, FakeEngine
from IPython.core.error import UsageError

import hfauth_nb
from hfauth_nb.engine.report import Report
from hfauth_nb.grammar.requests import CheckRequest
from hfauth_nb.magic import HfAuth, HfAuthMagics, Rendered


def _settings(shell: Any) -> list[HfAuth]:
    return [c for c in shell.configurables if type(c).__name__ == "HfAuth"]


@pytest.fixture
def loaded(shell: Any) -> Any:
    shell.run_line_magic("load_ext", "hfauth_nb")
    return shell


def test_load_ext_registers_the_magic_and_its_settings(loaded: Any) -> None:
    assert "hfauth" in loaded.magics_manager.magics["line"]
    assert len(_settings(loaded)) == 1
    assert isinstance(loaded.magics_manager.registry["HfAuthMagics"], HfAuthMagics)


def test_check_returns_the_report(loaded: Any, engine: FakeEngine) -> None:
    result = loaded.run_line_magic("hfauth", "check 'https://hf.co/datasets/org/d' --write")
    assert isinstance(result, Report)
    assert engine.calls == [CheckRequest(repo_id="org/d", repo_type="dataset", write=True)]


def test_status_and_bare_magic_and_panel_show_the_status_report(loaded: Any, engine: FakeEngine) -> None:
    for line in ("status", "", "panel"):
        assert isinstance(loaded.run_line_magic("hfauth", line), Report)
    assert engine.calls == [CheckRequest()] * 3


@pytest.mark.parametrize("line", ["--json check gpt2", "check gpt2 --json", "status --json"])
def test_json_output(loaded: Any, engine: FakeEngine, line: str) -> None:
    result = loaded.run_line_magic("hfauth", line)
    assert isinstance(result, Rendered)
    bundle = result._repr_mimebundle_()
    assert bundle["application/json"]["schema"] == "hfauth/1"
    assert json.loads(bundle["text/plain"]) == bundle["application/json"]
    assert CANARY not in bundle["text/plain"]


def test_markdown_output(loaded: Any, engine: FakeEngine) -> None:
    result = loaded.run_line_magic("hfauth", "check gpt2 --markdown")
    assert isinstance(result, Rendered)
    assert result.mime == "text/markdown"
    assert result.data.startswith("### hfauth: ERROR")


def test_cell_displays_the_report_as_text_in_a_terminal_shell(
    loaded: Any, engine: FakeEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded.run_cell("%hfauth check gpt2")
    out = capsys.readouterr().out
    assert "ERROR: The Hub rejects the token in HF_TOKEN" in out
    assert CANARY not in out


def test_config_timeout_and_endpoint_reach_the_engine(loaded: Any, engine: FakeEngine) -> None:
    loaded.run_line_magic("config", "HfAuth.timeout = 10")
    loaded.run_line_magic("config", "HfAuth.endpoint = 'https://hub.example.com/'")
    loaded.run_line_magic("hfauth", "check gpt2")
    loaded.run_line_magic("hfauth", "status --timeout 2")
    assert [(c.timeout, c.endpoint) for c in engine.calls] == [
        (10.0, "https://hub.example.com"),
        (2.0, "https://hub.example.com"),
    ]


def test_config_rejects_a_bad_timeout(loaded: Any) -> None:
    settings = _settings(loaded)[0]
    with pytest.raises(Exception, match="positive"):
        settings.timeout = 0
    with pytest.raises(Exception, match="http"):
        settings.endpoint = "hub.example.com"


@pytest.fixture
def profile_config(shell_config: Any) -> Any:
    """What `c.HfAuth.timeout = 7.5` in ipython_config.py gives the shell before it starts."""
    shell_config.HfAuth.timeout = 7.5
    return shell_config


def test_profile_config_applies(profile_config: Any, shell: Any, engine: FakeEngine) -> None:
    shell.run_line_magic("load_ext", "hfauth_nb")
    shell.run_line_magic("hfauth", "status")
    assert engine.calls[0].timeout == 7.5


def test_config_lists_the_settings(loaded: Any, capsys: pytest.CaptureFixture[str]) -> None:
    loaded.run_line_magic("config", "HfAuth")
    out = capsys.readouterr().out
    assert "HfAuth.timeout" in out and "HF_ENDPOINT" in out


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("check 'bad id'", "whitespace"),
        ("check org/name --type kernel", "invalid choice"),
        ("frobnicate", "invalid choice"),
        ("check 'org/name", "No closing quotation"),
        ("check https://hf.co/datasets/o/d --type model", "names a dataset"),
    ],
)
def test_bad_input_is_a_usage_error(loaded: Any, engine: FakeEngine, line: str, says: str) -> None:
    with pytest.raises(UsageError, match=None) as excinfo:
        loaded.run_line_magic("hfauth", line)
    assert says in str(excinfo.value)
    assert engine.calls == []


@pytest.mark.parametrize(
    "line",
    [
        f"check {CANARY}",
        f"check org/name --token {CANARY}",
        f"'{CANARY}",
        "check org/name --token s3cretvalue",
    ],
    ids=["repo", "option", "broken-quote", "unknown-option"],
)
def test_a_token_on_the_line_is_refused_without_echo(
    loaded: Any, engine: FakeEngine, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UsageError) as excinfo:
        loaded.run_line_magic("hfauth", line)
    message = str(excinfo.value)
    assert "a token must never be typed on the magic line" in message
    assert CANARY not in message and "s3cretvalue" not in message
    loaded.run_cell(f"%hfauth {line}")  # as a user would: IPython prints the UsageError
    out, err = capsys.readouterr()
    assert "a token must never be typed on the magic line" in out + err
    assert CANARY not in out + err and "s3cretvalue" not in out + err
    assert engine.calls == []


def test_internal_error_is_a_scrubbed_usage_error(loaded: Any, engine: FakeEngine) -> None:
    engine.error = RuntimeError(f"boom {CANARY}")
    with pytest.raises(UsageError) as excinfo:
        loaded.run_line_magic("hfauth", "check gpt2")
    assert "internal error (RuntimeError: boom hf_...klmn)" in str(excinfo.value)
    assert "%hfauth --debug" in str(excinfo.value)


def test_help_lists_the_subcommands(loaded: Any) -> None:
    doc = loaded.magics_manager.magics["line"]["hfauth"].__doc__
    for word in (
        "check",
        "status",
        "panel",
        "--write",
        "--revision",
        "--json",
        "--markdown",
        "HfAuth.timeout",
    ):
        assert word in doc
    assert "never type a token" in doc.lower()


def test_question_mark_shows_the_help(loaded: Any, capsys: pytest.CaptureFixture[str]) -> None:
    loaded.run_cell("%hfauth?")
    out = capsys.readouterr().out
    assert "Diagnose Hugging Face Hub 401/403 problems" in out
    assert "%hfauth check [REPO] [--type model|dataset|space] [--write]" in out
    assert "%hfauth COMMAND --help" in out  # the full grammar is one flag away


def test_help_flag_prints_and_returns_nothing(loaded: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert loaded.run_line_magic("hfauth", "check --help") is None
    assert "usage: %hfauth check" in capsys.readouterr().out


def test_loading_twice_registers_once(loaded: Any, engine: FakeEngine) -> None:
    loaded.run_line_magic("config", "HfAuth.timeout = 3")
    hfauth_nb.load_ipython_extension(loaded)  # a second, direct load
    loaded.run_line_magic("load_ext", "hfauth_nb")  # IPython: "already loaded"
    assert len(_settings(loaded)) == 1
    assert list(loaded.magics_manager.registry).count("HfAuthMagics") == 1
    loaded.run_line_magic("hfauth", "status")
    assert engine.calls[0].timeout == 3.0  # the settings survived the second load


def test_reload_ext(loaded: Any, engine: FakeEngine) -> None:
    loaded.run_line_magic("reload_ext", "hfauth_nb")
    assert len(_settings(loaded)) == 1
    assert isinstance(loaded.run_line_magic("hfauth", "status"), Report)


def test_unload_then_load(loaded: Any, engine: FakeEngine) -> None:
    loaded.run_line_magic("unload_ext", "hfauth_nb")
    assert "hfauth" not in loaded.magics_manager.magics["line"]
    assert "HfAuthMagics" not in loaded.magics_manager.registry
    assert _settings(loaded) == []
    with pytest.raises(UsageError):
        loaded.run_line_magic("hfauth", "status")
    loaded.run_line_magic("load_ext", "hfauth_nb")
    assert len(_settings(loaded)) == 1
    assert isinstance(loaded.run_line_magic("hfauth", "status"), Report)


def test_unload_leaves_a_foreign_hfauth_magic_alone(shell: Any) -> None:
    shell.register_magic_function(lambda line: "mine", magic_name="hfauth")
    hfauth_nb.unload_ipython_extension(shell)
    assert shell.run_line_magic("hfauth", "") == "mine"


def test_help_names_every_command_of_the_grammar(loaded: Any) -> None:
    """The docstring is written out (building it from argparse at import would slow %load_ext): no drift."""
    import argparse

    from hfauth_nb.grammar.parse import build_parser

    doc = loaded.magics_manager.magics["line"]["hfauth"].__doc__
    parser = build_parser(magic=True)
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in commands.choices:
        assert f"%hfauth {name}" in doc, name
