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
from harness import JupyterServer, NotebookPage, write_notebook

from hfauth_nb.testing.hub import FakeHub

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs"
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
CELLS = ["%load_ext hfauth_nb\n%hfauth check meta-llama/gated-model"]

# The lowest contrast of any text in the report against the colour actually behind it (ancestors' backgrounds,
# alpha blended onto the page's), in the WCAG sense.
_CONTRAST = """(root) => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g) || ['0','0','0','0'];
    return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (top, under) => { const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]); };
  const backgroundOf = (el) => { const layers = [];
    for (let e = el; e; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
    layers.push(parse(getComputedStyle(document.body).backgroundColor));
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour; };
  let worst = 99, where = '';
  for (const el of root.querySelectorAll('*')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    const bg = backgroundOf(el);
    const fg = over(parse(style.color), bg);
    const opacity = +style.opacity;
    const text = over(fg.slice(0, 3).concat([opacity]), bg);
    const [a, b] = [lum(text), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < worst) { worst = ratio; where = el.textContent.trim().slice(0, 60); }
  }
  return [worst, where];
}"""


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
        worst, where = report.evaluate(_CONTRAST)
        assert worst >= 4.5, f"{theme}: contrast {worst:.2f} for {where!r}"
        shot = lab.workspace.base / f"report-{theme}.png"
        nb.outputs(0).screenshot(path=str(shot))
        if os.environ.get("HFAUTH_UPDATE_SCREENSHOTS") == "1":
            shutil.copyfile(shot, SCREENSHOTS / f"report-{theme}.png")
    finally:
        nb.page.close()
        lab.shutdown_kernels()
