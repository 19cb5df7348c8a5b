"""The panel's widgets without a browser: hooks, handlers, and no token in any widget state or output."""

from __future__ import annotations

import os
from typing import Any

import pytest
from panel_widgets import saved_state as _saved_state
from panel_widgets import tree as _tree

from hfauth_nb.panel.actions import Settings
from hfauth_nb.panel.ui import WIDGET_MIME, Panel
from hfauth_nb.render import html
from hfauth_nb.testing.hub import FakeHub


def _submit(panel: Panel, token: str) -> Any:
    """Hand `token` to the panel the way its front end does; returns the widget the token was typed into."""
    entry: Any = panel.entry
    entry._on_msg(entry.widget, {"event": "token"}, [memoryview(token.encode())])
    return entry.widget


def _message(panel: Panel) -> str:
    return str(panel.messages.outputs[-1]["data"]["text/plain"])


def test_the_dom_hooks_are_on_the_right_widgets(settings: Settings) -> None:
    panel = Panel(settings)
    classes = {c for w in _tree(panel.widget) for c in w._dom_classes}
    expected = {"hfauth-panel", "hfauth-token-forget", "hfauth-repo-input", "hfauth-check-button"}
    expected |= {"hfauth-findings", "hfauth-identity", "hfauth-copy-report", "hfauth-token-note"}
    expected |= {"hfauth-preflight-button"}
    assert (
        expected <= classes
    )  # the box puts hfauth-token-input/-submit on its own <input> wrapper and <button>
    assert panel.entry.kind == "anywidget"


def test_there_is_no_synced_token_field_anywhere(settings: Settings) -> None:
    """No Password/Text widget for the token: the only text field is the repo box (issue 10: no fallback)."""
    import ipywidgets

    panel = Panel(settings)
    fields = [w for w in _tree(panel.widget) if isinstance(w, (ipywidgets.Password, ipywidgets.Text))]
    assert fields == [panel.repo]
    assert "value" not in panel.entry.widget.keys


def test_the_note_waits_for_the_box_then_goes_or_says_why(settings: Settings) -> None:
    shown = Panel(settings)
    assert "%hfauth login --prompt" in shown.entry_note.value
    shown.entry._on_msg(shown.entry.widget, {"event": "rendered"}, [])
    assert shown.entry.status == "rendered" and shown.entry_note.value == ""
    assert shown.entry_note.layout.display == "none"
    missing = Panel(settings)
    missing.entry._no_answer()  # what the timer does when the front end never answered
    assert missing.entry.status == "missing"
    assert "did not render" in missing.entry_note.value and "login --prompt" in missing.entry_note.value
    missing.entry._on_msg(missing.entry.widget, {"event": "rendered"}, [])  # a late answer still wins
    assert missing.entry_note.value == ""


def test_on_kaggle_the_note_says_why_at_once(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAGGLE_KERNEL_RUN_TYPE", "Interactive")
    panel = Panel(settings)
    assert "Kaggle" in panel.entry_note.value and "login --prompt" in panel.entry_note.value


def test_a_submitted_token_is_set_and_never_in_widget_state(
    hub: FakeHub, settings: Settings, canary: str
) -> None:
    hub.add_token("alice", role="write", value=canary)
    panel = Panel(settings)
    typed_into = _submit(panel, canary)
    assert os.environ["HF_TOKEN"] == canary
    assert "HF_TOKEN is set for this session" in _message(panel)
    assert "alice" in panel.identity.value and "session token" in panel.identity.value
    assert not panel.forget.disabled
    assert canary not in _saved_state(panel, typed_into)


def test_a_rejected_token_is_reported_and_not_set(hub: FakeHub, settings: Settings, canary: str) -> None:
    panel = Panel(settings)
    typed_into = _submit(panel, canary)  # the Hub does not know it: 401
    assert "HF_TOKEN" not in os.environ
    assert "rejected" in _message(panel)
    assert panel.forget.disabled
    assert canary not in _saved_state(panel, typed_into)


def test_unticking_the_check_sets_an_unverified_token(settings: Settings, canary: str) -> None:
    panel = Panel(settings)
    panel.check_first.value = False
    _submit(panel, canary)
    assert os.environ["HF_TOKEN"] == canary
    assert "not checked with the Hub" in _message(panel)


def test_forget_restores_and_disables_itself(
    hub: FakeHub, settings: Settings, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = hub.add_token("alice", role="read")
    monkeypatch.setenv("HF_TOKEN", before)
    hub.add_token("alice", role="write", value=canary)
    panel = Panel(settings)
    _submit(panel, canary)
    panel.forget.click()
    assert os.environ["HF_TOKEN"] == before
    assert "previous value" in _message(panel)
    assert panel.forget.disabled


def test_check_renders_the_same_html_as_the_magic(
    hub: FakeHub, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hfauth_nb.grammar import requests as req

    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))
    hub.add_repo("org/gated", gated="manual")
    seen: list[Any] = []
    real = req.run_check

    def spy(request: req.CheckRequest) -> Any:
        seen.append(real(request))
        return seen[-1]

    monkeypatch.setattr(req, "run_check", spy)
    panel = Panel(settings)
    panel.repo.value = "org/gated"
    panel.check.click()
    report = seen[-1]
    assert report.target.repo_id == "org/gated" and "gated-not-requested" in report.ids
    assert panel.findings.value == html.render(report)
    assert panel.check.description == "Check" and not panel.check.disabled


def test_a_bad_repo_id_is_a_message(settings: Settings) -> None:
    panel = Panel(settings)
    panel.repo.value = "not a repo"
    panel.check.click()
    assert "whitespace" in _message(panel)


def test_a_token_in_the_repo_box_is_wiped(settings: Settings, canary: str) -> None:
    panel = Panel(settings)
    panel.repo.value = canary
    panel.check.click()
    assert panel.repo.value == ""
    assert "looks like a token" in _message(panel)
    assert canary not in _saved_state(panel)


def test_an_internal_error_is_one_scrubbed_line(
    settings: Settings, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hfauth_nb.panel import actions

    def boom(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError(f"failed with {canary}")

    monkeypatch.setattr(actions, "submit_token", boom)
    panel = Panel(settings)
    _submit(panel, canary)
    assert "internal error (RuntimeError" in _message(panel)
    assert canary not in _saved_state(panel)


def test_the_mimebundle_has_a_useful_text_fallback(settings: Settings) -> None:
    panel = Panel(settings)
    data, _metadata = panel._repr_mimebundle_()
    assert data[WIDGET_MIME]["model_id"] == panel.widget.model_id
    assert "Token" in data["text/plain"] and "widgets did not render here" in data["text/plain"]
    assert "%hfauth login --prompt" in data["text/plain"]  # the hidden prompt, for front ends without widgets
    assert data["text/html"].startswith('<div class="hfauth-report"')


def test_in_colab_the_bundle_names_colabs_custom_widget_manager(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """anywidget's box needs Colab's custom widget manager: the panel's display metadata says where it is."""
    import sys
    import types

    enabled: list[bool] = []
    output = types.ModuleType("google.colab.output")
    output.enable_custom_widget_manager = lambda: enabled.append(True)  # type: ignore[attr-defined]
    output._widgets = types.SimpleNamespace(_installed_url="https://example.invalid/manager.js")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "google.colab.output", output)
    _data, metadata = Panel(settings)._repr_mimebundle_()
    assert metadata == {
        WIDGET_MIME: {"colab": {"custom_widget_manager": {"url": "https://example.invalid/manager.js"}}}
    }
    assert enabled  # the manager was switched on (once), as anywidget does in Colab


def test_check_this_notebook_shows_the_preflight_table(
    hub: FakeHub, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import json

    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))
    hub.add_repo("org/gated", gated="manual")
    cell = {
        "cell_type": "code",
        "metadata": {},
        "outputs": [],
        "source": "AutoModel.from_pretrained('org/gated')",
    }
    (tmp_path / "nb.ipynb").write_text(
        json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    panel = Panel(settings)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    panel.preflight.click()  # no front end names the notebook: the panel says so, nothing is checked
    assert "give the path" in _message(panel) and panel.findings.value == ""
    monkeypatch.setenv("JPY_SESSION_NAME", "nb.ipynb")
    panel.preflight.click()
    assert "hfauth-preflight-row" in panel.findings.value and "org/gated" in panel.findings.value
    assert "FAIL" in panel.findings.value and not panel.preflight.disabled
