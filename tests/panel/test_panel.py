"""The panel's widgets without a browser: hooks, handlers, and no token in any widget state or output."""

from __future__ import annotations

import os
from typing import Any

import pytest
from panel_widgets import saved_state as _saved_state
from panel_widgets import tree as _tree

from hfauth_nb.panel.actions import Settings
from hfauth_nb.panel.entry import anywidget_available
from hfauth_nb.panel.ui import WIDGET_MIME, Panel
from hfauth_nb.render import html
from hfauth_nb.testing.hub import FakeHub

ENTRIES = [
    pytest.param(
        True, id="anywidget", marks=pytest.mark.skipif(not anywidget_available(), reason="no anywidget")
    ),
    pytest.param(False, id="password-fallback"),
]


def _submit(panel: Panel, token: str) -> Any:
    """Hand `token` to the panel the way its front end does; returns the widget the token was typed into."""
    entry: Any = panel.entry
    if entry.kind == "anywidget":
        entry._on_msg(entry.widget, {"event": "token"}, [memoryview(token.encode())])
        return entry.widget
    typed_into = entry._password
    typed_into.value = token
    entry._button.click()
    return typed_into


def _message(panel: Panel) -> str:
    return str(panel.messages.outputs[-1]["data"]["text/plain"])


@pytest.mark.parametrize("prefer_anywidget", ENTRIES)
def test_the_dom_hooks_are_on_the_right_widgets(settings: Settings, prefer_anywidget: bool) -> None:
    panel = Panel(settings, prefer_anywidget=prefer_anywidget)
    classes = {c for w in _tree(panel.widget) for c in w._dom_classes}
    expected = {"hfauth-panel", "hfauth-token-forget", "hfauth-repo-input", "hfauth-check-button"}
    expected |= {"hfauth-findings", "hfauth-identity", "hfauth-copy-report"}
    if not prefer_anywidget:  # the anywidget box puts these on its own <input> wrapper and <button>
        expected |= {"hfauth-token-input", "hfauth-token-submit"}
    assert expected <= classes
    assert panel.entry.kind == ("anywidget" if prefer_anywidget else "password")


@pytest.mark.parametrize("prefer_anywidget", ENTRIES)
def test_a_submitted_token_is_set_and_never_in_widget_state(
    hub: FakeHub, settings: Settings, canary: str, prefer_anywidget: bool
) -> None:
    hub.add_token("alice", role="write", value=canary)
    panel = Panel(settings, prefer_anywidget=prefer_anywidget)
    typed_into = _submit(panel, canary)
    assert os.environ["HF_TOKEN"] == canary
    assert "HF_TOKEN is set for this session" in _message(panel)
    assert "alice" in panel.identity.value and "session token" in panel.identity.value
    assert not panel.forget.disabled
    assert canary not in _saved_state(panel, typed_into)


@pytest.mark.parametrize("prefer_anywidget", ENTRIES)
def test_a_rejected_token_is_reported_and_not_set(
    hub: FakeHub, settings: Settings, canary: str, prefer_anywidget: bool
) -> None:
    panel = Panel(settings, prefer_anywidget=prefer_anywidget)
    typed_into = _submit(panel, canary)  # the Hub does not know it: 401
    assert "HF_TOKEN" not in os.environ
    assert "rejected" in _message(panel)
    assert panel.forget.disabled
    assert canary not in _saved_state(panel, typed_into)


def test_the_fallback_box_is_emptied_closed_and_replaced(
    hub: FakeHub, settings: Settings, canary: str
) -> None:
    hub.add_token("alice", value=canary)
    panel = Panel(settings, prefer_anywidget=False)
    typed_into = _submit(panel, canary)
    entry: Any = panel.entry
    assert typed_into.value == "" and typed_into.comm is None  # closed
    assert entry._password is not typed_into and entry.widget.children[0] is entry._password


def test_unticking_the_check_sets_an_unverified_token(settings: Settings, canary: str) -> None:
    panel = Panel(settings, prefer_anywidget=False)
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
    panel = Panel(settings, prefer_anywidget=False)
    _submit(panel, canary)
    panel.forget.click()
    assert os.environ["HF_TOKEN"] == before
    assert "previous value" in _message(panel)
    assert panel.forget.disabled


def test_check_renders_the_same_html_as_the_magic(
    hub: FakeHub, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hfauth_nb import request as req

    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))
    hub.add_repo("org/gated", gated="manual")
    seen: list[Any] = []
    real = req.run_check

    def spy(request: req.CheckRequest) -> Any:
        seen.append(real(request))
        return seen[-1]

    monkeypatch.setattr(req, "run_check", spy)
    panel = Panel(settings, prefer_anywidget=False)
    panel.repo.value = "org/gated"
    panel.check.click()
    report = seen[-1]
    assert report.target.repo_id == "org/gated" and "gated-not-requested" in report.ids
    assert panel.findings.value == html.render(report)
    assert panel.check.description == "Check" and not panel.check.disabled


def test_a_bad_repo_id_is_a_message(settings: Settings) -> None:
    panel = Panel(settings, prefer_anywidget=False)
    panel.repo.value = "not a repo"
    panel.check.click()
    assert "whitespace" in _message(panel)


def test_a_token_in_the_repo_box_is_wiped(settings: Settings, canary: str) -> None:
    panel = Panel(settings, prefer_anywidget=False)
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
    panel = Panel(settings, prefer_anywidget=False)
    _submit(panel, canary)
    assert "internal error (RuntimeError" in _message(panel)
    assert canary not in _saved_state(panel)


def test_the_mimebundle_has_a_useful_text_fallback(settings: Settings) -> None:
    panel = Panel(settings, prefer_anywidget=False)
    data, _metadata = panel._repr_mimebundle_()
    assert data[WIDGET_MIME]["model_id"] == panel.widget.model_id
    assert "Token" in data["text/plain"] and "widgets did not render here" in data["text/plain"]
    assert data["text/html"].startswith('<div class="hfauth-report"')
