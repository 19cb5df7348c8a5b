"""Ask the installed huggingface_hub for its own answers.

This is the only module that imports huggingface_hub. Every behaviour that differs across versions (token
order, token cleaning, import-time constants, HTTP backend) is read from the library itself, so the engine
stays right from 0.20 (requests) to 2.x (httpx2); the version number is used only where the library cannot
report a behaviour.
"""

from __future__ import annotations

import importlib
import os
import stat
import sys
import threading
import time
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable

from hfauth_nb.hub_refs import DEFAULT_ENDPOINT

# Names of the library's private per-source readers, in `get_token()`'s code, mapped to our source kinds.
_READER_KINDS = {
    "_get_token_from_oidc": "oidc",
    "_get_token_from_environment": "env",
    "_get_token_from_file": "file",
    "_get_token_from_file_refreshed": "file",
    "_get_token_from_google_colab": "colab",
}


@dataclass(frozen=True)
class LibraryFacts:
    """What the installed huggingface_hub is and what it froze at import time."""

    installed: bool
    version: str | None = None
    backend: str | None = None  # "requests" | "httpx" | "httpx2"
    endpoint: str = DEFAULT_ENDPOINT
    offline: bool = False
    implicit_token_disabled: bool = False
    token_path: str | None = None
    stored_tokens_path: str | None = None
    is_colab: bool = False
    is_colab_enterprise: bool = False
    order: tuple[str, ...] = ("env", "file")
    order_from: str = "default"  # "get_token() code" | "version table" | "default"
    imported_before: bool = False
    import_error: str | None = None

    @property
    def version_tuple(self) -> tuple[int, ...]:
        return version_tuple(self.version)


def version_tuple(version: str | None) -> tuple[int, ...]:
    """(major, minor, patch) of a version string; unknown parts are 0."""
    parts: list[int] = []
    for piece in (version or "0").split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts + [0] * (3 - len(parts)))


def _import(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except Exception:
        return None


def auth_module() -> ModuleType | None:
    """The module holding `get_token` and its readers (`utils._auth` from 0.26, `utils._token` before)."""
    return _import("huggingface_hub.utils._auth") or _import("huggingface_hub.utils._token")


def load_library() -> LibraryFacts:
    """Import huggingface_hub (if installed) and read its version, backend and import-time constants."""
    imported_before = "huggingface_hub" in sys.modules
    try:
        hub = importlib.import_module("huggingface_hub")
        constants = importlib.import_module("huggingface_hub.constants")
    except Exception as exc:  # not installed, or broken
        return LibraryFacts(installed=False, import_error=f"{type(exc).__name__}: {exc}")
    version = str(getattr(hub, "__version__", "0"))
    runtime = _import("huggingface_hub.utils._runtime")
    order, order_from = _resolution_order(version)
    return LibraryFacts(
        installed=True,
        version=version,
        backend=_backend(version),
        endpoint=str(getattr(constants, "ENDPOINT", DEFAULT_ENDPOINT)).rstrip("/"),
        offline=bool(getattr(constants, "HF_HUB_OFFLINE", False)),
        implicit_token_disabled=bool(getattr(constants, "HF_HUB_DISABLE_IMPLICIT_TOKEN", False)),
        token_path=_str_or_none(getattr(constants, "HF_TOKEN_PATH", None)),
        stored_tokens_path=_str_or_none(getattr(constants, "HF_STORED_TOKENS_PATH", None)),
        is_colab=bool(_call(runtime, "is_google_colab", False)),
        is_colab_enterprise=bool(_call(runtime, "is_colab_enterprise", False)),
        order=order,
        order_from=order_from,
        imported_before=imported_before,
    )


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _call(module: ModuleType | None, name: str, default: Any) -> Any:
    func = getattr(module, name, None)
    if func is None:
        return default
    try:
        return func()
    except Exception:
        return default


def _backend(version: str) -> str:
    major = version_tuple(version)[0]
    return {0: "requests", 1: "httpx"}.get(major, "httpx2")


def _resolution_order(version: str) -> tuple[tuple[str, ...], str]:
    """The order in which `get_token()` consults sources, read from its own bytecode.

    `get_token` is `a() or b() or c()`; the reader names appear in its code object in call order. Reading
    them has no side effect (no vault popup, no OIDC exchange, no OAuth refresh), unlike calling it.
    """
    module = auth_module()
    func = getattr(module, "get_token", None)
    code = getattr(func, "__code__", None)
    if code is not None:
        kinds: list[str] = []
        for name in code.co_names:
            kind = _READER_KINDS.get(name)
            if kind and kind not in kinds:
                kinds.append(kind)
        if "env" in kinds and "file" in kinds:
            return tuple(kinds), "get_token() code"
    # Facts T1-T3: 0.20.0 env->file; 0.20.1-1.18 colab->env->file; 1.19+ oidc->env->file->colab.
    v = version_tuple(version)
    if v >= (1, 19, 0):
        return ("oidc", "env", "file", "colab"), "version table"
    if v >= (0, 20, 1):
        return ("colab", "env", "file"), "version table"
    return ("env", "file"), "version table"


# -- token readers -----------------------------------------------------------------------------------


def clean_token(value: str | None) -> str | None:
    """Clean a token exactly as the installed library does (fact T7): its own `_clean_token`."""
    func: Callable[[str | None], str | None] | None = getattr(auth_module(), "_clean_token", None)
    if func is not None:
        try:
            return func(value)
        except Exception:
            pass
    if value is None:
        return None
    return value.replace("\r", "").replace("\n", "").strip() or None


def env_token() -> str | None:
    """What the library's environment reader returns now (fact T8: `HF_TOKEN or HUGGING_FACE_HUB_TOKEN`)."""
    func = getattr(auth_module(), "_get_token_from_environment", None)
    if func is not None:
        try:
            return func()  # type: ignore[no-any-return]
        except Exception:
            pass
    return clean_token(os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN"))


@dataclass(frozen=True)
class ColabSecretState:
    """What the library already knows about the Colab vault, read from its cache (never from the vault)."""

    checked: bool
    value: str | None = None


def colab_secret_state() -> ColabSecretState:
    """The library caches the vault read in module globals (fact T12); reading them cannot pop up anything."""
    module = auth_module()
    checked = bool(getattr(module, "_IS_GOOGLE_COLAB_CHECKED", False))
    value = getattr(module, "_GOOGLE_COLAB_SECRET", None) if checked else None
    return ColabSecretState(checked=checked, value=value if isinstance(value, str) else None)


@dataclass(frozen=True)
class OAuthRefreshState:
    """What the library's in-process refresh cache says about one file token (services facts A3-A4)."""

    known: bool  # the library has judged this token in this process
    resolved: str | None = None  # the token it returns for it (the refreshed one, or the same)
    gave_up: bool = False  # invalid_grant: never retried in this process
    retry_later: bool = False  # a transient failure: retried after a while


def oauth_refresh_state(file_token: str | None) -> OAuthRefreshState:
    """Read the library's refresh cache for `file_token` (module globals; no I/O)."""
    cache = getattr(auth_module(), "_OAUTH_REFRESH_CACHE", None)
    if not isinstance(cache, dict) or file_token is None:
        return OAuthRefreshState(known=False)
    resolved = cache.get("resolved_token")
    if cache.get("file_token") == file_token:
        gave_up = cache.get("recheck_at") == float("inf")
        return OAuthRefreshState(
            known=True,
            resolved=resolved if isinstance(resolved, str) else None,
            gave_up=gave_up,
            retry_later=not gave_up and resolved == file_token,
        )
    return OAuthRefreshState(known=False)


class _Call:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.token: str | None = None
        self.error: str | None = None


_get_token_lock = threading.Lock()
_get_token_pending: _Call | None = None


def call_get_token_bounded(timeout: float) -> tuple[bool, str | None, str | None]:
    """Call the library's `get_token()` in a daemon thread and wait at most `timeout` seconds.

    For calls that may refresh an OAuth login over the network: the library does it under its own locks
    and persists the result, exactly as its next Hub call would; a call that outlives the budget finishes in
    the background. A later check first waits for that one (never stacking a second refresh on it), then asks
    again, so its answer is never stale. Returns (finished, token, error).
    """
    global _get_token_pending
    deadline = time.monotonic() + max(timeout, 0.0)
    while True:  # wait for a call still running, then start ours, in one step under the lock
        with _get_token_lock:
            running = _get_token_pending
            if running is None or running.done.is_set():
                call = _get_token_pending = _Call()
                break
        if not running.done.wait(max(deadline - time.monotonic(), 0.0)):
            return False, None, None

    def run() -> None:
        try:
            call.token, call.error = call_get_token()
        finally:
            call.done.set()

    threading.Thread(target=run, name="hfauth-get-token", daemon=True).start()
    if not call.done.wait(max(deadline - time.monotonic(), 0.0)):
        return False, None, None
    return True, call.token, call.error


def call_get_token() -> tuple[str | None, str | None]:
    """Call the library's `get_token()`; only when the caller established that it cannot block or hit the network.

    Returns (token, error text).
    """
    func = getattr(auth_module(), "get_token", None)
    if func is None:
        return None, "get_token() not found"
    blocking = _blocking_credential_file()
    if blocking is not None:
        return None, blocking
    try:
        return func(), None
    except Exception as exc:
        return None, type(exc).__name__


def repo_id_error(value: Any) -> str | None:
    """The installed library's own reason for refusing `value` as a repo id (its `validate_repo_id`), or None."""
    validators = _import("huggingface_hub.utils._validators")
    validate = getattr(validators, "validate_repo_id", None)
    if validate is None:
        return None
    try:
        validate(value)
    except Exception as exc:
        return str(exc).split(": '", 1)[0]
    return None


def hf_home() -> str | None:
    """The library's `HF_HOME` constant (the default token file is `HF_HOME/token`, fact T4)."""
    constants = _import("huggingface_hub.constants")
    value = getattr(constants, "HF_HOME", None)
    return str(value) if value else None


def _blocking_credential_file() -> str | None:
    """A token file or stored-tokens file that is a FIFO or a device: the library's own read never returns."""
    from hfauth_nb import userfile

    constants = _import("huggingface_hub.constants")
    for name in ("HF_TOKEN_PATH", "HF_STORED_TOKENS_PATH"):
        path = getattr(constants, name, None)
        if isinstance(path, str) and os.path.lexists(path):
            try:
                mode = os.stat(path).st_mode
            except OSError:
                continue
            if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
                return f"nothing: {path} is {userfile.describe_kind(mode)} and reading it would block"
    return None


def has_oidc_support() -> bool:
    return getattr(auth_module(), "_get_token_from_oidc", None) is not None


def has_oauth_refresh() -> bool:
    return getattr(auth_module(), "_refresh_oauth_token_if_needed", None) is not None
