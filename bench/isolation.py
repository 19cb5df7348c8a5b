"""A throwaway HOME for a benchmark run: no real token, endpoint, netrc or proxy of this machine takes part."""

from __future__ import annotations

import os
import tempfile


def isolate() -> str:
    """Point HOME and HF_HOME at a new temporary folder and drop the variables that would change a check."""
    home = tempfile.mkdtemp(prefix="hfauth-bench-")
    os.environ.update(HOME=home, HF_HOME=os.path.join(home, "hf"), HF_HUB_DISABLE_TELEMETRY="1")
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT", "NETRC", "HTTP_PROXY", "HTTPS_PROXY"):
        os.environ.pop(name, None)
    return home
