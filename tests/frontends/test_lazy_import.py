"""`import hfauth_nb` and `%load_ext hfauth_nb` stay cheap: no Hub client, widgets or HTTP stack."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

HEAVY = ("huggingface_hub", "ipywidgets", "requests", "httpx", "httpx2")

_PROBE = textwrap.dedent(
    """
    import json, sys
    heavy = {heavy!r}

    def loaded():
        return sorted(m for m in sys.modules if m.split(".")[0] in heavy)

    import hfauth_nb
    after_import = loaded()
    ipython_after_import = "IPython" in sys.modules

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    shell.run_line_magic("load_ext", "hfauth_nb")
    assert "hfauth" in shell.magics_manager.magics["line"]
    print(json.dumps([after_import, ipython_after_import, loaded()]))
    """
)


def test_import_and_load_ext_import_nothing_heavy() -> None:
    probe = _PROBE.format(heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    after_import, ipython_after_import, after_load = json.loads(done.stdout.strip().splitlines()[-1])
    assert after_import == []
    assert ipython_after_import is False
    assert after_load == []
