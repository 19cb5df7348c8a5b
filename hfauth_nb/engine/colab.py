"""Read Colab's `HF_TOKEN` secret in a daemon thread, under a deadline.

`google.colab.userdata.get` asks the browser and blocks with no timeout; it may open the "grant access"
popup (facts T12-T14). So it runs in a daemon thread and the caller waits at most its budget. Whether to read
at all is decided by the caller (sources.py): only in a Colab kernel as huggingface_hub itself decides it, and
only when the installed library would read the vault too (or the user asked). We read the vault ourselves
rather than through huggingface_hub, so that we can tell "not granted", "missing" and "timed out" apart (the
library turns all of them into None and caches that for the whole session).

A read that outlives its budget keeps running (it cannot be cancelled); the next read waits for that one
instead of asking Colab again, so a second check never stacks a second request (or popup) on the first.
"""

from __future__ import annotations

import importlib
import threading
import time
from dataclasses import dataclass, field

# outcome -> what it means, in the words reports use
OUTCOMES = {
    "granted": "the secret was read",
    "not-granted": "access to the HF_TOKEN secret was not granted to this notebook",
    "missing": "there is no HF_TOKEN secret in this notebook's Colab secrets",
    "no-ui": "Colab timed out: secrets can only be fetched while the notebook runs in the Colab UI",
    "timeout": "Colab did not answer",
    "error": "Colab answered with an error",
    "unavailable": "google.colab is not importable here",
}


@dataclass(frozen=True)
class ColabRead:
    outcome: str  # granted | not-granted | missing | no-ui | timeout | error | unavailable
    value: str | None = field(default=None, repr=False)
    detail: str = ""
    waited: float = 0.0  # seconds this read waited (for a timeout: the budget)


class _Pending:
    """One request to the vault, answered (or not) by its thread."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: ColabRead | None = None
        self.started = time.monotonic()


_lock = threading.Lock()
_pending: _Pending | None = None


def read_colab_secret(timeout: float = 30.0) -> ColabRead:
    """Ask Colab for the HF_TOKEN secret, giving up after `timeout` seconds (the read goes on in the background)."""
    global _pending
    try:
        userdata = importlib.import_module("google.colab.userdata")
    except Exception:
        return ColabRead("unavailable", detail=OUTCOMES["unavailable"])
    with _lock:
        pending = _pending
        earlier = pending is not None
        if pending is None:
            pending = _pending = _Pending()
            _start(pending, userdata)
    answered = pending.done.wait(max(timeout, 0.0))
    if not answered or pending.result is None:
        since = time.monotonic() - pending.started
        detail = (
            f"Colab has not answered a request for the HF_TOKEN secret sent {since:.0f} s ago"
            if earlier
            else f"Colab did not answer the request for the HF_TOKEN secret within {timeout:g} s"
        )
        return ColabRead("timeout", detail=detail, waited=timeout)
    with _lock:
        if _pending is pending:
            _pending = None  # consumed: the next check asks Colab again
    return pending.result


def _start(pending: _Pending, userdata: object) -> None:
    def run() -> None:
        try:
            value = userdata.get("HF_TOKEN")  # type: ignore[attr-defined]
            pending.result = ColabRead("granted", value=value if isinstance(value, str) else None)
        except BaseException as exc:
            pending.result = _classify(exc)
        finally:
            pending.result = pending.result or ColabRead("error", detail="no answer")
            pending.done.set()

    threading.Thread(target=run, name="hfauth-colab-secret", daemon=True).start()


def _classify(exc: BaseException) -> ColabRead:
    name = type(exc).__name__
    if name == "NotebookAccessError":
        return ColabRead("not-granted", detail=OUTCOMES["not-granted"])
    if name == "SecretNotFoundError":
        return ColabRead("missing", detail=OUTCOMES["missing"])
    if name == "TimeoutException":
        return ColabRead("no-ui", detail=OUTCOMES["no-ui"])
    return ColabRead("error", detail=f"{OUTCOMES['error']} ({name})")
