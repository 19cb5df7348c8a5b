"""`%hfauth why` after a real `InferenceClient` call fails in JupyterLab: a user logged in with a fine-grained
token that lacks "Make calls to Inference Providers" asks for a chat completion, the loopback router answers
403, and the report rendered in the page names the service, the model and the cause, puts the verdict and its
Fix first, is readable (contrast), and shows no token. The diagnosis sends no inference request of its own.
With HFAUTH_UPDATE_SCREENSHOTS=1 the `%hfauth why` cell is copied to docs/services.png for the README."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from harness import LOWEST_CONTRAST, JupyterServer, NotebookPage, files_holding, new_canary, write_notebook

import hfauth_nb
from hfauth_nb.testing.hub import FakeHub

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs"
MODEL = "alice/llm"
# What a user writes; nothing here knows about the loopback Hub.
CELLS = [
    "from huggingface_hub import InferenceClient\n\n"
    "client = InferenceClient()\n"
    f'client.chat_completion([{{"role": "user", "content": "Hello!"}}], model="{MODEL}", max_tokens=50)',
    "%load_ext hfauth_nb\n%hfauth why",
    'import hfauth_nb\nprint("hfauth_nb=" + hfauth_nb.__file__)',
]
# The library hard-codes router.huggingface.co; the kernel's IPython startup points it at the loopback Hub
# (HF_ENDPOINT), as tests/explain/test_inference.py does in-process, so the visible cells stay a user's own.
ROUTER_STARTUP = """import atexit as _atexit, os as _os
from hfauth_nb.testing.router import route_inference_to as _route_inference_to
_routed = _route_inference_to(_os.environ["HF_ENDPOINT"])
_routed.__enter__()
_atexit.register(_routed.__exit__, None, None, None)  # also keeps it alive: collected, it would restore at once
del _atexit, _os, _route_inference_to, _routed
"""


def test_why_names_inference_providers_after_a_403(
    browser: Any, lab: JupyterServer, hub: FakeHub, installed_where: str | None
) -> None:
    from playwright.sync_api import expect

    hub.add_repo(MODEL, files={"config.json": "{}"})
    hub.serve_model(MODEL, "hf-inference", "conversational")
    canary = new_canary()
    hub.add_token("alice", role="fineGrained", value=canary)  # no inference.serverless.write anywhere
    token_file = lab.workspace.base / "home" / ".cache" / "huggingface" / "token"
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token_file.write_text(canary)
    startup = lab.workspace.path("ipython") / "profile_default" / "startup" / "00-loopback-router.py"
    startup.parent.mkdir(parents=True, exist_ok=True)
    startup.write_text(ROUTER_STARTUP)
    lab.workspace.write_setting("@jupyterlab/apputils-extension", "themes", {"theme": "JupyterLab Light"})
    write_notebook(lab.workspace.path("root") / "services.ipynb", CELLS)
    nb = NotebookPage(browser.new_page(), lab, "services.ipynb")
    try:
        expect(nb.page.locator("body")).to_have_attribute("data-jp-theme-light", "true", timeout=30_000)
        nb.run_cell(0)
        expect(nb.outputs(0)).to_contain_text("403 Forbidden", timeout=60_000)  # the real client raised
        assert hub.inference_calls() == 1
        nb.run_cell(1)
        report = nb.outputs(1).locator(".hfauth-report")
        expect(report).to_contain_text("Services", timeout=60_000)
        assert hub.inference_calls() == 1, "the diagnosis sent an inference request"
        lines = [line for line in report.inner_text().splitlines() if line.strip()]
        verdict = lines[0]  # the verdict first: the service, the model, the status and the cause ...
        assert "Inference Providers" in verdict and MODEL in verdict and "403" in verdict, verdict
        assert "may not call" in verdict, verdict
        fix = lines[1]  # ... and its fix right below it
        assert fix.startswith("Fix:") and "Make calls to Inference Providers" in fix, fix
        assert "inference.serverless.write" in report.inner_text()  # the missing permission, by name
        assert f"hf_...{canary[-4:]}" in report.inner_text()  # the token is named, masked ...
        assert "holds no Hugging Face Hub request" not in nb.outputs(1).inner_text()
        worst, where = report.evaluate(LOWEST_CONTRAST)
        assert worst >= 4.5, f"contrast {worst:.2f} for {where!r}"
        nb.run_cell(2)  # which hfauth_nb the kernel imported (and the why cell is no longer the active one)
        expect(nb.output(2)).to_contain_text("hfauth_nb=", timeout=30_000)
        where_from = nb.output(2).inner_text().strip()[len("hfauth_nb=") :]
        assert Path(where_from).resolve() == Path(hfauth_nb.__file__).resolve(), where_from
        if installed_where:
            assert str(Path(where_from).resolve()).startswith(str(Path(installed_where).resolve()))
        shot = lab.workspace.base / "services.png"
        nb.page.locator(".jp-Notebook .jp-Cell").nth(1).screenshot(path=str(shot))
        assert canary not in nb.page.content()  # ... and never shown: not in the page ...
        nb.save()
        left = set(files_holding(lab.workspace.base, canary)) - {
            str(token_file.relative_to(lab.workspace.base))
        }
        assert not left, f"the token is in {sorted(left)}"  # ... nor in any file but its own
        if os.environ.get("HFAUTH_UPDATE_SCREENSHOTS") == "1":
            shutil.copyfile(shot, SCREENSHOTS / "services.png")
    finally:
        nb.page.close()
        lab.shutdown_kernels()
