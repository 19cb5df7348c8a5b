"""The `%hfauth` panel in a real JupyterLab 4 and Notebook 7, in Debian's chromium (issues 4 and 10).

Each trial types a fresh canary token into the panel key by key, saves half-way through the typing, then
clicks "Use for this session" and saves the notebook in the same JavaScript task as the click (the race that
leaked a cleared Password box in 7 of 10 trials), then proves the kernel has the token (a hash printed by a
cell, never the token) and greps every file the server, kernel and browser wrote. Widget-state saving is on
for some phases and off for others; a positive control plants a leak with a plain Password widget and the
same grep must find it. Where the box cannot render (anywidget's front-end extension disabled), the panel
says so and `%hfauth login` asks with the kernel's hidden prompt: the canary typed there reaches the kernel
and no file. Run from the built wheel by scripts/test-wheel, so this is the default install.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from harness import WIDGET_STATE, JupyterServer, NotebookPage, files_holding, new_canary, write_notebook

from hfauth_nb.secrets import mask
from hfauth_nb.testing.hub import FakeHub

pytestmark = pytest.mark.browser

DIGEST = 'import hashlib, os\nprint("sha256=" + hashlib.sha256(os.environ.get("HF_TOKEN", "").encode()).hexdigest())'
SHOW = (
    '%load_ext hfauth_nb\nimport hfauth_nb\nprint("hfauth_nb=" + hfauth_nb.__file__)\npanel = %hfauth\npanel'
)
PANEL = [SHOW, DIGEST]
# (app, widget-state saving, trials): 40 save-at-click trials and 40 saves while typing in all.
PHASES = [("lab", True, 12), ("lab", False, 8), ("notebook", True, 12), ("notebook", False, 8)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs"
# One JavaScript task: the click's handler runs, then the save starts reading the models; awaited to the end
# of the save and its checkpoint, so the next save is not dropped as "already saving".
CLICK_AND_SAVE = """async () => {
    document.querySelector('.hfauth-panel .hfauth-token-submit').click();
    await window.jupyterapp.commands.execute('docmanager:save');
}"""


def sha(token: str) -> str:
    return "sha256=" + hashlib.sha256(token.encode()).hexdigest()


@pytest.fixture(scope="module")
def canaries() -> list[str]:
    """Every canary typed in this module: none may be found anywhere at the end."""
    return []


@pytest.fixture(scope="module")
def counts() -> Iterator[dict[str, int]]:
    """Trials run, per kind, printed at the end (the report counts them)."""
    found = {"save-at-click": 0, "save-while-typing": 0, "hidden-prompt": 0, "canary hits": 0}
    yield found
    print("\nbrowser trials: " + ", ".join(f"{k} {v}" for k, v in found.items()))


@pytest.fixture(scope="module")
def timings() -> Iterator[dict[str, float]]:
    found: dict[str, float] = {}
    yield found
    print("\nbrowser timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in found.items()))


def _open(
    browser: Any, server: JupyterServer, name: str, save_state: bool, installed_where: str | None
) -> NotebookPage:
    """The panel, rendered: its box is on screen and told the kernel so (the waiting note is gone)."""
    from playwright.sync_api import expect

    server.workspace.save_widget_state(save_state)
    write_notebook(server.workspace.path("root") / name, PANEL)
    nb = NotebookPage(browser.new_page(), server, name)
    nb.run_all()
    nb.page.locator(".hfauth-panel .hfauth-token-input input").wait_for(timeout=60_000)
    _expect(nb.output(1), sha(""))
    _kernel_uses(nb, installed_where)
    expect(nb.page.locator(".hfauth-panel .hfauth-token-note")).to_be_hidden(timeout=30_000)
    return nb


def _kernel_uses(nb: NotebookPage, installed_where: str | None) -> None:
    """The kernel imported hfauth_nb from the installed wheel when that is what is under test."""
    printed = nb.output(0).first.inner_text()
    where = next(line for line in printed.splitlines() if line.startswith("hfauth_nb="))[len("hfauth_nb=") :]
    if installed_where:
        assert str(Path(where).resolve()).startswith(str(Path(installed_where).resolve())), where


def _expect(locator: Any, text: str, timeout: float = 30_000) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text, timeout=timeout)


def _trial(nb: NotebookPage, hub: FakeHub, canary: str, counts: dict[str, int]) -> None:
    """Type key by key and save half-way; click and save in the same instant; then the kernel must hold the
    token and no file may."""
    hub.add_token("alice", role="write", value=canary)
    base = nb.server.workspace.base
    box = nb.page.locator(".hfauth-panel .hfauth-token-input input")
    half = len(canary) // 2
    box.press_sequentially(canary[:half])
    before = nb.mtime()
    nb.command("docmanager:save")  # focus is still in the box, half the token typed
    nb.wait_saved(before)
    counts["save-while-typing"] += 1
    assert box.input_value() == canary[:half]
    hits = files_holding(base, canary[:half])
    counts["canary hits"] += len(hits)
    assert hits == [], "a save while typing caught the typed part"
    box.press_sequentially(canary[half:])
    before = nb.mtime()
    nb.page.evaluate(CLICK_AND_SAVE)
    nb.wait_saved(before)
    counts["save-at-click"] += 1
    assert box.input_value() == ""
    hits = files_holding(base, canary[:half])
    counts["canary hits"] += len(hits)
    assert hits == [], "the save at the click caught the token"
    _expect(
        nb.page.locator(".hfauth-panel .hfauth-messages"),
        f"HF_TOKEN is set for this session to {mask(canary)}",
    )
    nb.run_cell(1)
    _expect(nb.output(1), sha(canary))
    nb.save()
    hits = files_holding(base, canary[:half])
    counts["canary hits"] += len(hits)
    assert hits == []


@pytest.mark.parametrize(
    ("app", "save_state", "trials"), PHASES, ids=[f"{a}-saveState-{s}" for a, s, _ in PHASES]
)
def test_save_at_click_never_saves_the_token(
    request: pytest.FixtureRequest,
    browser: Any,
    hub: FakeHub,
    canaries: list[str],
    counts: dict[str, int],
    timings: dict[str, float],
    installed_where: str | None,
    app: str,
    save_state: bool,
    trials: int,
) -> None:
    server: JupyterServer = request.getfixturevalue("lab" if app == "lab" else "notebook7")
    started = time.monotonic()
    name = f"panel-{'on' if save_state else 'off'}.ipynb"
    nb = _open(browser, server, name, save_state, installed_where)
    for _ in range(trials):
        canaries.append(new_canary())
        _trial(nb, hub, canaries[-1], counts)
    saved = nb.saved()
    widget_state = saved["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    if save_state:  # the save really wrote widget state, with the token box's model in it
        assert any(m["model_name"] == "AnyModel" for m in widget_state.values())
    else:
        assert widget_state == {}
    assert any("hfauth-panel" in str(m) for m in widget_state.values()) == save_state
    if app == "lab" and save_state:
        _screenshots(nb)
    assert counts["canary hits"] == 0
    nb.page.close()
    server.shutdown_kernels()
    timings[f"{app}-{'on' if save_state else 'off'} ({trials} trials)"] = time.monotonic() - started


def _screenshots(nb: NotebookPage) -> None:
    """The panel with a session token, then a repo check's findings; copied to docs/ on request."""
    page = nb.page
    panel = page.locator(".hfauth-panel")
    out = nb.server.workspace.base / "shots"
    out.mkdir(exist_ok=True)
    panel.screenshot(path=str(out / "panel.png"))
    page.locator(".hfauth-panel .hfauth-repo-input input").fill("meta-llama/gated-model")
    page.locator(".hfauth-panel .hfauth-check-button").click()
    findings = page.locator(".hfauth-panel .hfauth-findings .hfauth-report")
    _expect(findings, "gated-not-requested")
    findings.screenshot(path=str(out / "report.png"))
    if os.environ.get("HFAUTH_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(exist_ok=True)
        for shot in ("panel.png",):  # the report itself: test_report_browser.py (light and dark)
            shutil.copyfile(out / shot, SCREENSHOTS / shot)


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_where_the_box_cannot_render_login_is_the_hidden_prompt(
    request: pytest.FixtureRequest,
    browser: Any,
    hub: FakeHub,
    canaries: list[str],
    counts: dict[str, int],
    installed_where: str | None,
    app: str,
) -> None:
    """anywidget's front-end extension disabled: the box shows the front end's load error, the panel's note
    says it did not render and what to use; `%hfauth login` then asks with the kernel's password prompt."""
    from playwright.sync_api import expect

    server: JupyterServer = request.getfixturevalue(f"{'lab' if app == 'lab' else 'notebook7'}_without_box")
    server.workspace.save_widget_state(True)
    write_notebook(server.workspace.path("root") / "nobox.ipynb", [SHOW, "%hfauth login", DIGEST])
    nb = NotebookPage(browser.new_page(), server, "nobox.ipynb")
    nb.run_cell(0)
    _kernel_uses(nb, installed_where)
    note = nb.page.locator(".hfauth-panel .hfauth-token-note")
    _expect(note, "did not render", timeout=60_000)  # the kernel's timer: no answer from the box
    _expect(note, "%hfauth login --prompt")
    expect(nb.page.locator(".hfauth-panel .hfauth-token-input input")).to_have_count(0)
    # The front end's own placeholder where the box should be ("Click to show javascript error.").
    expect(nb.output(0).last).to_contain_text(re.compile("javascript error", re.I), timeout=30_000)
    canaries.append(new_canary())
    hub.add_token("alice", role="write", value=canaries[-1])
    nb.start_cell(1)
    stdin = nb.page.locator(".jp-Stdin-input")
    stdin.wait_for(timeout=30_000)
    assert stdin.get_attribute("type") == "password"
    stdin.fill(canaries[-1])
    stdin.press("Enter")
    _expect(nb.outputs(1), "cannot render here")
    _expect(nb.outputs(1), "HF_TOKEN is set for this session")
    counts["hidden-prompt"] += 1
    nb.run_cell(2)
    _expect(nb.output(2), sha(canaries[-1]))
    nb.save()
    hits = files_holding(server.workspace.base, canaries[-1])
    counts["canary hits"] += len(hits)
    assert hits == []
    assert "········" in str(nb.saved()["cells"][1]["outputs"])  # what the front end keeps: dots
    nb.page.close()
    server.shutdown_kernels()


def test_fix_button_removes_a_stale_netrc_entry_after_confirm(
    browser: Any, lab: JupyterServer, hub: FakeHub
) -> None:
    """Issue 5's panel flow: Check, Fix… on the netrc finding, the masked plan, Confirm, the new verdict."""
    from playwright.sync_api import expect

    stale = new_canary()  # a token the Hub revoked, still in ~/.netrc (not a leak: it is the file's content)
    hub.add_token("alice", value=stale)
    hub.revoke(stale)
    netrc = lab.workspace.path("home") / ".netrc"
    netrc.write_text(
        f"machine github.com login me password gh-secret\nmachine 127.0.0.1 login alice password {stale}\n"
    )
    netrc.chmod(0o600)
    write_notebook(lab.workspace.path("root") / "fix.ipynb", PANEL[:1])
    nb = NotebookPage(browser.new_page(), lab, "fix.ipynb")
    nb.run_all()
    panel = nb.page.locator(".hfauth-panel")
    panel.locator(".hfauth-check-button").click()
    panel.locator(".hfauth-fix-button", has_text="netrc").click()
    _expect(panel.locator(".hfauth-fix-pending"), f"password {mask(stale)}")
    panel.locator(".hfauth-fix-confirm").click()
    result = panel.locator(".hfauth-fix-result")
    _expect(result, "is gone.")
    check_now = next(line for line in result.inner_text().splitlines() if line.startswith("Check now: "))
    findings = panel.locator(".hfauth-findings .hfauth-report")
    _expect(findings, check_now.split(": ", 2)[2])  # the rechecked report's verdict, in the magic's HTML
    assert not re.search(r"netrc-(entry|overrides-token)", findings.inner_text())
    expect(panel.locator(".hfauth-fix-button", has_text="netrc")).to_have_count(0)
    assert netrc.read_text() == "machine github.com login me password gh-secret\n"
    panel.locator(".hfauth-copy-report").click()  # the redacted Markdown, read-only, to select and copy
    copied = panel.locator(".hfauth-markdown textarea[readonly]")
    _expect(copied, "### hfauth:")
    assert "(`no-token`)" in copied.input_value()  # Markdown source, as it will be pasted
    nb.save()
    holding = files_holding(lab.workspace.base, stale)
    assert len(holding) == 1 and holding[0].startswith("home/.netrc.hfauth-backup-"), holding
    nb.page.close()
    lab.shutdown_kernels()


def test_positive_control_the_grep_finds_planted_leaks(browser: Any, lab: JupyterServer) -> None:
    """Recipe scenario 3 (a Password widget that keeps its value, widget-state saving on) leaks into the
    notebook and its checkpoint; a canary typed as code lands in IPython's history database. The grep used
    above must find both, or its zero hits would prove nothing."""
    planted, typed = new_canary(), new_canary()
    lab.workspace.save_widget_state(True)
    cells = ['import ipywidgets\nipywidgets.Password(description="plant")', f'typed = "{typed}"']
    write_notebook(lab.workspace.path("root") / "control.ipynb", cells)
    nb = NotebookPage(browser.new_page(), lab, "control.ipynb")
    nb.run_all()
    box = nb.page.locator(".jp-OutputArea-output .widget-text input[type='password']")
    box.fill(planted)
    nb.page.locator(".jp-InputPrompt").first.click()
    nb.save()
    assert files_holding(lab.workspace.base, planted) == [
        "root/.ipynb_checkpoints/control-checkpoint.ipynb",
        "root/control.ipynb",
    ]
    deadline = time.monotonic() + 10
    while not any("history.sqlite" in f for f in files_holding(lab.workspace.base, typed)):
        assert time.monotonic() < deadline, "the history database never got the typed canary"
        time.sleep(0.2)
    nb.page.close()
    lab.shutdown_kernels()


def test_no_canary_anywhere_at_the_end(
    base: Path, browser: Any, canaries: list[str], counts: dict[str, int]
) -> None:
    """After the browser has closed: notebooks, checkpoints, settings, workspaces, runtime, the IPython
    history database, server logs and the browser profile hold none of the canaries."""
    assert (
        counts["save-at-click"] >= 20 and counts["save-while-typing"] >= 20 and counts["hidden-prompt"] >= 1
    )
    assert len(canaries) >= 42
    browser.close()
    histories = list(base.rglob("history.sqlite"))
    assert histories, "the kernels wrote no IPython history database to check"
    for canary in canaries:
        hits = files_holding(base, canary)
        counts["canary hits"] += len(hits)
        assert hits == []
