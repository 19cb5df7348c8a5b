"""`%hfauth check` in a real IPython shell against the loopback FakeHub, from an installed hfauth_nb.

Run by scripts/test-wheel with the wheel's venv, from a scratch directory: it asserts that hfauth_nb comes
from HFAUTH_EXPECT_INSTALLED (that venv's site-packages), never from the checkout.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import hfauth_nb

expected = os.environ["HFAUTH_EXPECT_INSTALLED"]
where = str(Path(hfauth_nb.__file__).resolve())
assert where.startswith(str(Path(expected).resolve())), f"hfauth_nb imported from {where}, not {expected}"

from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from traitlets.config import Config  # noqa: E402

from hfauth_nb.testing.hub import FakeHub  # noqa: E402

home = tempfile.mkdtemp(prefix="hfauth-wheel-home-")
for name in list(os.environ):
    if name.startswith(("HF_", "HUGGING", "COLAB_", "KAGGLE_")) or name in ("NETRC", "GIT_CONFIG_GLOBAL"):
        del os.environ[name]
os.environ.update(HOME=home, HF_HOME=os.path.join(home, ".cache", "huggingface"), NO_PROXY="127.0.0.1")

with FakeHub() as hub:
    hub.add_user("alice")
    hub.add_repo("meta-llama/gated-model", gated="manual")
    token = hub.add_token("alice", role="read")
    os.environ.update(HF_ENDPOINT=hub.url, HF_TOKEN=token)
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    shell.run_line_magic("load_ext", "hfauth_nb")
    report = shell.run_line_magic("hfauth", "check meta-llama/gated-model")
    shown = str(report)
    assert "gated-not-requested" in report.ids, report.ids
    assert token not in shown and token not in repr(report.to_dict()), "the token was shown"
    assert hub.whoami_calls(token) >= 1, "the check never reached the loopback Hub"
    print(f"%hfauth check from {where}: verdict {report.verdict}, findings {', '.join(report.ids)}")
sys.exit(0)
