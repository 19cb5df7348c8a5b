"""`%hfauth check` inline in a real JupyterLab, light and dark theme: the verdict and its fix come first, the
details stay closed, and every piece of text in the report is readable on the background it is drawn on
(computed in the browser: WCAG contrast of each text's colour against its effective background).
With HFAUTH_UPDATE_SCREENSHOTS=1 the reports are copied to docs/report-light.png and docs/report-dark.png."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from harness import LOWEST_CONTRAST, JupyterServer, NotebookPage, write_notebook

from hfauth_nb.testing.hub import FakeHub

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs"
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
CELLS = ["%load_ext hfauth_nb\n%hfauth check meta-llama/gated-model"]


@pytest.mark.parametrize("theme", THEMES)
def test_check_report_inline_in_lab(browser: Any, lab: JupyterServer, hub: FakeHub, theme: str) -> None:
    from playwright.sync_api import expect

    token_file = lab.workspace.base / "home" / ".cache" / "huggingface" / "token"
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token_file.write_text(hub.add_token("alice", role="read"))
    lab.workspace.write_setting("@jupyterlab/apputils-extension", "themes", {"theme": THEMES[theme]})
    name = f"report-{theme}.ipynb"
    write_notebook(lab.workspace.path("root") / name, CELLS)
    nb = NotebookPage(browser.new_page(), lab, name)
    try:
        expect(nb.page.locator("body")).to_have_attribute(
            "data-jp-theme-light", "false" if theme == "dark" else "true", timeout=30_000
        )
        nb.run_cell(0)
        report = nb.outputs(0).locator(".hfauth-report")
        expect(report).to_contain_text("Repo access", timeout=60_000)
        lines = [line for line in report.inner_text().splitlines() if line.strip()]
        assert "gated" in lines[0].lower()  # the verdict first ...
        assert lines[1].startswith("Fix:")  # ... and its fix right below it
        assert not report.locator("details").first.evaluate("(d) => d.open")  # the evidence one click away
        worst, where = report.evaluate(LOWEST_CONTRAST)
        assert worst >= 4.5, f"{theme}: contrast {worst:.2f} for {where!r}"
        shot = lab.workspace.base / f"report-{theme}.png"
        nb.outputs(0).screenshot(path=str(shot))
        if os.environ.get("HFAUTH_UPDATE_SCREENSHOTS") == "1":
            shutil.copyfile(shot, SCREENSHOTS / f"report-{theme}.png")
    finally:
        nb.page.close()
        lab.shutdown_kernels()
