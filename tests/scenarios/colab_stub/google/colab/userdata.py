"""An emulated Colab secrets vault, shaped like colabtools' `google/colab/userdata.py`.

The vault's behaviour comes from the JSON file named by HFAUTH_FAKE_VAULT: {"mode": ..., "value": ...}, with
mode "value" (returns value), "missing" (SecretNotFoundError), "not-granted" (NotebookAccessError), "hang" (never
answers, as `blocking_request(..., timeout_sec=None)` with no front end) or "no-ui" (TimeoutException, as newer
Colab runtimes raise outside the Colab UI). Every request is appended to `<file>.reads` before it is answered, so
a test counts the requests (each one is a potential grant-access popup).
"""

import json
import os
import threading

from google.colab import errors

_userdata_lock = threading.Lock()
_never = threading.Event()


class NotebookAccessError(Exception):
    """Exception thrown when the current notebook doesn't have access to the requested secret."""

    def __init__(self, key: str) -> None:
        super().__init__(f"Notebook does not have access to secret {key}")


class SecretNotFoundError(errors.Error):
    """Exception thrown when the requested secret is not found."""

    def __init__(self, key: str) -> None:
        super().__init__(f"Secret {key} does not exist.")


class TimeoutException(errors.Error):
    """Newer runtimes: the front end did not answer."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Requesting secret {key} timed out. Secrets can only be fetched when running from the Colab UI."
        )


def get(key: str) -> str:
    path = os.environ["HFAUTH_FAKE_VAULT"]
    with open(path, encoding="utf-8") as handle:
        vault = json.load(handle)
    with open(path + ".reads", "a", encoding="utf-8") as log:
        log.write(key + "\n")
    with _userdata_lock:
        mode = vault["mode"]
        if mode == "hang":
            _never.wait()
        if mode == "no-ui":
            raise TimeoutException(key)
        if mode == "missing":
            raise SecretNotFoundError(key)
        if mode == "not-granted":
            raise NotebookAccessError(key)
        return str(vault["value"])
