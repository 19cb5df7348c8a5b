"""The panel's Fix… buttons (plan, Confirm / Cancel, outcome, Undo) and "Copy report", with real ipywidgets
against the loopback Hub in a temporary HOME; no raw token in any widget state."""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote

import pytest
from panel_widgets import saved_state, shown, with_class

from hfauth_nb.fixes import session_env
from hfauth_nb.panel.actions import Settings
from hfauth_nb.panel.ui import Panel
from hfauth_nb.render import html as html_render
from hfauth_nb.render import markdown
from hfauth_nb.secrets import mask
from hfauth_nb.testing.hub import FakeHub

NETRC_IDS = ("netrc-overrides-token", "netrc-entry")


@pytest.fixture(autouse=True)
def fresh_undo_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_env, "_JOURNAL", [])


def _host(hub: FakeHub) -> str:
    return hub.url.split("://", 1)[1].split(":")[0]


def _stale_netrc(hub: FakeHub, home: Path, stale: str) -> Path:
    """Another machine's entry, then a Hub entry whose password is a token the Hub no longer accepts."""
    hub.add_token("alice", value=stale)
    hub.revoke(stale)
    path = home / ".netrc"
    path.write_text(
        f"machine github.com login me password gh-secret\nmachine {_host(hub)} login nuser password {stale}\n"
    )
    path.chmod(0o600)
    return path


def _checked(panel: Panel, repo: str = "") -> None:
    panel.repo.value = repo
    panel.check.click()


def _fix_buttons(panel: Panel) -> dict[str, Any]:
    """The Fix… buttons on display, by the finding id they fix."""
    buttons = with_class(panel, "hfauth-fix-button")
    return {b.description.removeprefix("Fix… "): b for b in buttons}


def _netrc_button(panel: Panel) -> tuple[str, Any]:
    """requests-based huggingface_hub (0.x) reports netrc-overrides-token, httpx-based ones netrc-entry."""
    found = {i: b for i, b in _fix_buttons(panel).items() if i in NETRC_IDS}
    assert len(found) == 1, _fix_buttons(panel)
    return next(iter(found.items()))


def _backups(home: Path) -> list[Path]:
    return sorted(home.glob(".netrc.hfauth-backup-*"))


def test_a_netrc_fix_is_shown_then_applied_on_confirm_and_rechecked(
    hub: FakeHub, settings: Settings, canary: str, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="write"))
    path = _stale_netrc(hub, isolated_home, canary)
    original = path.read_bytes()
    panel = Panel(settings)
    _checked(panel)
    finding_id, button = _netrc_button(panel)
    button.click()
    pending = panel.fixes.plan.value
    assert f"-machine {_host(hub)} login nuser password {mask(canary)}" in html.unescape(pending)
    assert with_class(panel, "hfauth-fix-confirm") and with_class(panel, "hfauth-fix-cancel")
    assert path.read_bytes() == original and not _backups(isolated_home)  # nothing before Confirm

    panel.fixes.confirm.click()
    assert path.read_text() == "machine github.com login me password gh-secret\n"
    (backup,) = _backups(isolated_home)
    assert backup.read_bytes() == original
    result = html.unescape(panel.fixes.result.value)
    assert "Changed:" in result and f"{finding_id} is gone." in result
    assert "Check now: " in result and panel.report.verdict in result
    assert finding_id not in panel.report.ids
    assert panel.findings.value == html_render.render(panel.report)  # the magic's HTML, rechecked
    assert finding_id not in _fix_buttons(panel)
    assert not with_class(panel, "hfauth-fix-confirm") and not with_class(panel, "hfauth-fix-undo")
    assert canary not in saved_state(panel)


def test_cancel_changes_nothing(
    hub: FakeHub, settings: Settings, canary: str, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="write"))
    path = _stale_netrc(hub, isolated_home, canary)
    original = path.read_bytes()
    panel = Panel(settings)
    _checked(panel)
    finding_id, button = _netrc_button(panel)
    button.click()
    panel.fixes.cancel.click()
    assert path.read_bytes() == original and not _backups(isolated_home)
    assert "nothing was changed" in panel.fixes.result.value
    assert not with_class(panel, "hfauth-fix-confirm")
    assert finding_id in _fix_buttons(panel)  # still there, still fixable


def test_an_env_fix_applies_in_this_kernel_and_undo_restores_it(
    hub: FakeHub, settings: Settings, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub.add_token("alice", role="write", value=canary)
    monkeypatch.setenv("HUGGING_FACE_HUB_TOKEN", canary)
    panel = Panel(settings)
    _checked(panel)
    _fix_buttons(panel)["legacy-env-var"].click()
    plan = html.unescape(panel.fixes.plan.value)
    assert "In this kernel only: set HF_TOKEN to the token in HUGGING_FACE_HUB_TOKEN" in plan
    assert "HF_TOKEN" not in os.environ  # shown, not done

    panel.fixes.confirm.click()
    assert os.environ["HF_TOKEN"] == canary and "HUGGING_FACE_HUB_TOKEN" not in os.environ
    assert "legacy-env-var is gone." in html.unescape(panel.fixes.result.value)
    assert "legacy-env-var" not in panel.report.ids
    (undo,) = with_class(panel, "hfauth-fix-undo")

    undo.click()
    assert os.environ["HUGGING_FACE_HUB_TOKEN"] == canary and "HF_TOKEN" not in os.environ
    assert "Restored HF_TOKEN, HUGGING_FACE_HUB_TOKEN." in panel.fixes.result.value
    assert "legacy-env-var" in panel.report.ids and "legacy-env-var" in _fix_buttons(panel)
    assert not with_class(panel, "hfauth-fix-undo")
    assert canary not in saved_state(panel)


def test_a_git_credential_fix_gives_git_the_effective_token(
    hub: FakeHub, settings: Settings, canary: str, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", canary)
    hub.add_token("alice", role="write", value=canary)
    stale = hub.add_token("alice")
    hub.revoke(stale)
    subprocess.run(["git", "config", "--global", "credential.helper", "store"], check=True)
    netloc = hub.url.split("://", 1)[1]
    store = isolated_home / ".git-credentials"
    store.write_text(f"http://someone:{stale}@{netloc}\n")
    panel = Panel(settings)
    _checked(panel)
    _fix_buttons(panel)["git-credential-stale"].click()
    assert f"with the token huggingface_hub uses ({mask(canary)})" in html.unescape(panel.fixes.plan.value)
    panel.fixes.confirm.click()
    assert unquote(store.read_text()) == f"http://hf_user:{canary}@{netloc}\n"
    assert "git-credential-stale is gone." in html.unescape(panel.fixes.result.value)
    assert canary not in saved_state(panel) and stale not in saved_state(panel)


def test_findings_without_a_fix_hfauth_can_run_get_no_button(
    hub: FakeHub, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))
    hub.add_repo("org/gated", gated="manual")
    panel = Panel(settings)
    _checked(panel, "org/gated")
    assert "gated-not-requested" in panel.report.ids and "gated-not-requested" in panel.findings.value
    assert _fix_buttons(panel) == {}
    assert not with_class(panel, "hfauth-fix-result")


def test_a_cause_gone_since_the_check_is_said_and_its_button_removed(
    hub: FakeHub, settings: Settings, canary: str, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="write"))
    path = _stale_netrc(hub, isolated_home, canary)
    panel = Panel(settings)
    _checked(panel)
    finding_id, button = _netrc_button(panel)
    path.unlink()  # fixed by hand meanwhile
    button.click()
    assert f"Nothing to fix: the check does not report {finding_id} now." in panel.fixes.result.value
    assert finding_id not in _fix_buttons(panel) and not with_class(panel, "hfauth-fix-confirm")
    assert button.comm is None  # the old button was closed, not left in the widget state


def test_an_internal_error_while_applying_is_one_scrubbed_line(
    hub: FakeHub, settings: Settings, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hfauth_nb.panel import fixing

    hub.add_token("alice", value=canary)
    monkeypatch.setenv("HUGGING_FACE_HUB_TOKEN", canary)

    def boom(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError(f"failed with {canary}")

    monkeypatch.setattr(fixing, "apply_plan", boom)
    panel = Panel(settings)
    _checked(panel)
    _fix_buttons(panel)["legacy-env-var"].click()
    panel.fixes.confirm.click()
    assert "internal error (RuntimeError" in panel.fixes.result.value
    assert canary not in saved_state(panel)
    assert os.environ["HUGGING_FACE_HUB_TOKEN"] == canary


# -- Copy report --------------------------------------------------------------------------------------


def _textarea(panel: Panel) -> str:
    match = re.search(r"<textarea[^>]*\breadonly\b[^>]*>(.*)</textarea>", panel.markdown.value, re.S)
    assert match, panel.markdown.value
    return html.unescape(match.group(1))


def test_copy_report_shows_the_redacted_markdown_without_any_token(
    hub: FakeHub,
    settings: Settings,
    canary: str,
    make_canary: Callable[[], str],
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    legacy, stale = make_canary(), make_canary()
    hub.add_token("alice", role="write", value=canary)
    hub.add_token("alice", value=legacy)
    monkeypatch.setenv("HF_TOKEN", canary)
    monkeypatch.setenv("HUGGING_FACE_HUB_TOKEN", legacy)
    _stale_netrc(hub, isolated_home, stale)
    panel = Panel(settings)
    _checked(panel)
    (copy,) = with_class(panel, "hfauth-copy-report")
    copy.click()
    text = _textarea(panel)
    assert text == markdown.render(panel.report)
    assert text.startswith("### hfauth:") and "legacy-env-var" in text and mask(canary) in text
    assert "alice" not in text and str(isolated_home) not in text
    state = saved_state(panel)
    assert all(secret not in state for secret in (canary, legacy, stale))
    copy.click()
    assert panel.markdown.value == "" and copy.description == "Copy report"


def test_a_shown_markdown_report_follows_the_next_check(
    hub: FakeHub, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))
    hub.add_repo("org/gated", gated="manual")
    panel = Panel(settings)
    panel.copy.click()
    assert "gated-not-requested" not in _textarea(panel)
    _checked(panel, "org/gated")
    assert "gated-not-requested" in _textarea(panel) and panel.copy.description == "Hide report"
    assert any(w is panel.markdown for w in shown(panel))
