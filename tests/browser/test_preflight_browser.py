"""`%hfauth preflight` in a real JupyterLab: the kernel finds its own notebook through the Jupyter session
(JPY_SESSION_NAME, set by jupyter_server), reads the cells that have not run, and the table renders inline.
With HFAUTH_UPDATE_SCREENSHOTS=1 the table is copied to docs/preflight.png for the README."""

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
CELLS = [
    "%load_ext hfauth_nb\n%hfauth preflight",
    "%hfauth check meta-llama/gated-model",
    "%pip install -q peft transformers datasets",
    'BASE = "meta-llama/gated-model"\nfrom transformers import AutoModelForCausalLM, AutoTokenizer\n'
    "tok = AutoTokenizer.from_pretrained(BASE)",
    'from peft import PeftModel\nmodel = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained("org/open-model"), '
    '"alice/my-lora")',
    'from datasets import load_dataset\nds = load_dataset("org/chat-data", split="train")',
    "def evaluate(name):\n    return AutoTokenizer.from_pretrained(name)",
    'model.push_to_hub("alice/my-finetune")',
]


def test_preflight_of_this_notebook_renders_the_table(browser: Any, lab: JupyterServer, hub: FakeHub) -> None:
    from playwright.sync_api import expect

    hub.add_repo("org/open-model", files={"config.json": "{}"})
    hub.add_repo(
        "alice/my-lora",
        files={"adapter_config.json": '{"base_model_name_or_path": "meta-llama/gated-model"}'},
    )
    hub.add_repo("org/chat-data", "dataset", files={"train.csv": "a\n1\n"})
    token_file = lab.workspace.base / "home" / ".cache" / "huggingface" / "token"
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token_file.write_text(hub.add_token("alice", role="read"))
    write_notebook(lab.workspace.path("root") / "finetune.ipynb", CELLS)
    nb = NotebookPage(browser.new_page(), lab, "finetune.ipynb")
    nb.run_cell(0)
    table = nb.outputs(0).locator(".hfauth-preflight")
    expect(table).to_contain_text("Hub targets in finetune.ipynb", timeout=60_000)
    rows = table.locator(".hfauth-preflight-row")
    expect(rows).to_have_count(5)
    text = table.inner_text()
    for repo in (
        "meta-llama/gated-model",
        "org/open-model",
        "alice/my-lora",
        "org/chat-data",
        "alice/my-finetune",
    ):
        assert repo in text
    assert "base model of alice/my-lora" not in text  # the base is named in the code too: one row, not two
    assert "cell 7 line 2" in text  # the function parameter, not guessed
    assert text.count("FAIL") == 2  # the gated base (not requested) and the push with a read token
    # The report of a check renders as HTML too (JupyterLab prefers a JSON viewer to HTML for application/json).
    nb.run_cell(1)
    expect(nb.outputs(1).locator(".hfauth-report")).to_contain_text("gated-model", timeout=60_000)
    if os.environ.get("HFAUTH_UPDATE_SCREENSHOTS") == "1":
        shot = lab.workspace.base / "preflight.png"
        table.screenshot(path=str(shot))
        shutil.copyfile(shot, SCREENSHOTS / "preflight.png")
    nb.page.close()
    lab.shutdown_kernels()
