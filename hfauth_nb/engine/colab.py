"""Read Colab's `HF_TOKEN` secret, only when the user asked (`--colab-secret`).

`google.colab.userdata.get` asks the browser and blocks with no timeout; it may open the "grant access"
popup (facts T12-T14). So it runs in a daemon thread under a deadline, and only on request. We read the vault
ourselves rather than through huggingface_hub so that its once-per-process cache is left as it is, and so we
can tell "not granted" from "no such secret" (the library turns both into None).
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ColabRead:
    outcome: str  # granted | not-granted | missing | no-ui | timeout | error | unavailable
    value: str | None = field(default=None, repr=False)
    detail: str = ""


def read_colab_secret(timeout: float = 30.0) -> ColabRead:
    """Ask Colab for the HF_TOKEN secret, giving up after `timeout` seconds."""
    try:
        userdata = importlib.import_module("google.colab.userdata")
    except Exception:
        return ColabRead("unavailable", detail="google.colab is not importable here")
    box: dict[str, ColabRead] = {}

    def run() -> None:
        try:
            value = userdata.get("HF_TOKEN")
            box["result"] = ColabRead("granted", value=value if isinstance(value, str) else None)
        except Exception as exc:
            box["result"] = _classify(exc)

    thread = threading.Thread(target=run, name="hfauth-colab-secret", daemon=True)
    thread.start()
    thread.join(timeout)
    return box.get("result", ColabRead("timeout", detail=f"Colab did not answer within {timeout:g} s"))


def _classify(exc: Exception) -> ColabRead:
    name = type(exc).__name__
    if name == "NotebookAccessError":
        return ColabRead(
            "not-granted", detail="access to the HF_TOKEN secret was not granted to this notebook"
        )
    if name == "SecretNotFoundError":
        return ColabRead("missing", detail="there is no HF_TOKEN secret")
    if name == "TimeoutException":
        return ColabRead("no-ui", detail="secrets can only be fetched when running from the Colab UI")
    return ColabRead("error", detail=name)
