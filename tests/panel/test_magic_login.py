"""`%hfauth`, `login`, `logout` in a terminal IPython shell: the text report, getpass, forget/restore."""

from __future__ import annotations

import getpass
import os
from typing import Any

import pytest
from IPython.core.error import StdinNotImplementedError, UsageError

from hfauth_nb.engine.report import Report
from hfauth_nb.panel import Notice
from hfauth_nb.testing.hub import FakeHub


@pytest.fixture
def loaded(shell: Any, hub: FakeHub) -> Any:
    shell.run_line_magic("config", f"HfAuth.endpoint = {hub.url!r}")
    return shell


def _prompt_with(monkeypatch: pytest.MonkeyPatch, answer: Any) -> list[str]:
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        if isinstance(answer, BaseException):
            raise answer
        return str(answer)

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    return prompts


def test_panel_in_a_terminal_is_the_text_report_with_a_note(loaded: Any) -> None:
    for line in ("", "panel"):
        result = loaded.run_line_magic("hfauth", line)
        assert isinstance(result, Report)
        assert "widget-frontend-missing" in result.ids
        assert "%hfauth login" in str(result)


def test_login_in_a_terminal_prompts_with_getpass(
    loaded: Any,
    hub: FakeHub,
    canary: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hub.add_token("alice", role="write", value=canary)
    prompts = _prompt_with(monkeypatch, canary)
    loaded.run_cell("%hfauth login")
    out = capsys.readouterr().out
    assert len(prompts) == 1 and "never saved" in prompts[0]
    assert os.environ["HF_TOKEN"] == canary
    assert "HF_TOKEN is set for this session" in out and canary not in out


def test_login_refuses_a_bad_token_and_logout_restores(
    loaded: Any, hub: FakeHub, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = hub.add_token("alice", role="read")
    monkeypatch.setenv("HF_TOKEN", before)
    _prompt_with(monkeypatch, canary)  # unknown to the Hub
    refused = loaded.run_line_magic("hfauth", "login")
    assert isinstance(refused, Notice) and refused.outcome.level == "error"
    assert os.environ["HF_TOKEN"] == before
    hub.add_token("alice", role="write", value=canary)
    from hfauth_nb.engine.hub import clear_whoami_cache

    clear_whoami_cache()  # the 401 above is cached for the session, as the engine does
    assert loaded.run_line_magic("hfauth", "login").outcome.ok
    assert os.environ["HF_TOKEN"] == canary
    logout = loaded.run_line_magic("hfauth", "logout")
    assert logout.outcome.level == "ok" and os.environ["HF_TOKEN"] == before
    again = loaded.run_line_magic("hfauth", "logout")
    assert again.outcome.level == "info" and "nothing changed" in again.outcome.message


def test_login_no_check_skips_the_hub(loaded: Any, hub: FakeHub, canary: str, monkeypatch: Any) -> None:
    _prompt_with(monkeypatch, canary)
    hub.clear_requests()
    result = loaded.run_line_magic("hfauth", "login --no-check")
    assert result.outcome.ok and os.environ["HF_TOKEN"] == canary
    assert hub.whoami_calls(canary) == 1  # only the status report after setting it, no validation call


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (KeyboardInterrupt(), "Cancelled"),
        (EOFError(), "Cancelled"),
        (StdinNotImplementedError("x"), "HF_TOKEN set where the kernel starts"),
    ],
)
def test_a_prompt_that_cannot_answer_changes_nothing(
    loaded: Any, monkeypatch: pytest.MonkeyPatch, error: BaseException, says: str
) -> None:
    _prompt_with(monkeypatch, error)
    result = loaded.run_line_magic("hfauth", "login --prompt")
    assert says in result.outcome.message
    assert "HF_TOKEN" not in os.environ


def test_a_token_on_the_login_line_is_refused_unseen(loaded: Any, canary: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        loaded.run_line_magic("hfauth", f"login {canary}")
    assert canary not in str(excinfo.value)
    assert "HF_TOKEN" not in os.environ


def test_help_lists_login_and_logout(loaded: Any) -> None:
    doc = loaded.magics_manager.magics["line"]["hfauth"].__doc__
    assert "%hfauth login" in doc and "%hfauth logout" in doc and "--prompt" in doc


@pytest.fixture
def as_notebook(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the terminal shell count as a notebook kernel (what a cellId'd execute request would say)."""
    from hfauth_nb.panel import frontend

    monkeypatch.setattr(frontend, "notebook_frontend", lambda _shell: True)
    monkeypatch.setattr(frontend, "in_kernel", lambda _shell: True)


def test_login_in_a_notebook_opens_the_box(loaded: Any, as_notebook: None, monkeypatch: Any) -> None:
    prompts = _prompt_with(monkeypatch, "unused")
    shown = loaded.run_line_magic("hfauth", "login")
    assert type(shown).__name__ == "Panel" and shown.entry.widget.autofocus
    assert prompts == []


@pytest.mark.parametrize("why", ["kaggle", "earlier-box-missing"])
def test_login_where_the_box_cannot_render_is_the_hidden_prompt(
    loaded: Any,
    as_notebook: None,
    hub: FakeHub,
    canary: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    why: str,
) -> None:
    from hfauth_nb.panel import entry

    if why == "kaggle":
        monkeypatch.setenv("KAGGLE_KERNEL_RUN_TYPE", "Interactive")
    else:
        entry._seen["missing"] = True  # a panel shown earlier in this kernel never answered
    hub.add_token("alice", role="write", value=canary)
    prompts = _prompt_with(monkeypatch, canary)
    result = loaded.run_line_magic("hfauth", "login")
    out = capsys.readouterr().out
    assert isinstance(result, Notice) and result.outcome.ok and len(prompts) == 1
    assert "cannot render here" in out and ("Kaggle" in out) == (why == "kaggle")
    assert os.environ["HF_TOKEN"] == canary and canary not in out + str(result)


def test_a_box_that_rendered_once_keeps_login_on_the_box(loaded: Any, as_notebook: None) -> None:
    from hfauth_nb.panel import entry

    entry._seen.update(missing=True, rendered=True)  # e.g. one panel in a background tab never answered
    assert type(loaded.run_line_magic("hfauth", "login")).__name__ == "Panel"
