"""`%hfauth watch on|off`: after a cell fails with a Hub auth error, show the diagnosis below the traceback.

One `post_run_cell` callback, registered once. It runs after IPython has shown the traceback, returns at once
for cells that succeeded or failed for other reasons, and never touches the exception: the traceback the user
saw is exactly the one they would have seen without it.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Callable

from hfauth_nb.engine.api import find_failed_request, find_service_failure
from hfauth_nb.engine.inference_call import find_inference_call
from hfauth_nb.errors import exception_chain

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from hfauth_nb.engine.failed_request import FailedRequest

_HUB_ERROR_NAMES = {
    "GatedRepoError",
    "RepositoryNotFoundError",
    "DisabledRepoError",
    "RevisionNotFoundError",
    "LocalTokenNotFoundError",
}
_AUTH_STATUSES = (401, 403, 404)
_ATTRIBUTE = "_hfauth_watch_callback"


def hub_auth_failure(exc: BaseException) -> FailedRequest | None:
    """The failing Hub request when `exc` is a Hub authentication/authorization error, else None."""
    names = {type(e).__name__ for e in exception_chain(exc)}
    found = find_failed_request(exc)
    if found is None or found.repo_id is None:
        return None
    if names & _HUB_ERROR_NAMES or found.status in _AUTH_STATUSES:
        return found
    text = " ".join(str(e) for e in exception_chain(exc)).lower()
    if found.how == "message url" and any(
        w in text for w in ("401", "403", "gated", "unauthorized", "forbidden")
    ):
        return found
    return None


def inference_failure(exc: BaseException) -> bool:
    """An Inference Providers call refused for want of a token, answered 401/402/403/404 by the router, or sent
    to the retired inference host (410)."""
    call = find_inference_call(exc)
    return call is not None and (
        call.stage in ("local", "retired-host") or call.status in (*_AUTH_STATUSES, 402)
    )


def service_failed(exc: BaseException) -> bool:
    """A Xet storage, Space or ZeroGPU failure that explain() names (the Xet token route is a Hub request,
    caught by `hub_auth_failure` when it is an auth error; a Space that does not run is no auth error)."""
    failure = find_service_failure(exc, find_failed_request(exc))
    return failure is not None and failure.kind not in ("xet-token-route", "space-stage")


def _callback(shell: InteractiveShell, timeout: Callable[[], float]) -> Callable[[Any], None]:
    def on_post_run_cell(result: Any) -> None:
        error = getattr(result, "error_in_exec", None)
        if error is None:
            return
        try:
            if hub_auth_failure(error) is None and not inference_failure(error) and not service_failed(error):
                return
            from IPython.display import display

            from hfauth_nb.render.view import ReportView
            from hfauth_nb.why import explain

            # The traceback above is long already: the verdict and its fix, the rest collapsed.
            # Rendered here, inside the guard: a renderer's error shown by IPython's display formatter would be a
            # second traceback.
            bundle = ReportView(explain(error, timeout=timeout()), "brief")._repr_mimebundle_()
            display(bundle, raw=True)  # type: ignore[no-untyped-call,unused-ignore]
        except Exception as exc:  # the diagnosis must never add a second traceback
            print(f"hfauth: could not diagnose this failure ({type(exc).__name__}); try %hfauth why")

    return on_post_run_cell


def is_watching(shell: InteractiveShell) -> bool:
    return getattr(shell, _ATTRIBUTE, None) is not None


def start(shell: InteractiveShell, timeout: Callable[[], float]) -> bool:
    """Register the callback (once); returns False when it was already registered."""
    if is_watching(shell):
        return False
    callback = _callback(shell, timeout)
    shell.events.register("post_run_cell", callback)
    setattr(shell, _ATTRIBUTE, callback)
    return True


def stop(shell: InteractiveShell) -> bool:
    """Unregister the callback; returns False when none was registered."""
    callback = getattr(shell, _ATTRIBUTE, None)
    if callback is None:
        return False
    with contextlib.suppress(ValueError):
        shell.events.unregister("post_run_cell", callback)
    setattr(shell, _ATTRIBUTE, None)
    return True
