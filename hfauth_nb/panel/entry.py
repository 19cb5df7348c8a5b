"""The token box: where a pasted token crosses from the browser into the kernel.

`TokenInput` (an anywidget, a default dependency) keeps the token in a plain `<input>` that is no synced
trait: the front end sends it as the buffer of a custom comm message, which is not widget state, so nothing a
save, autosave, checkpoint or nbclient run records can hold it, and there is no window to race. There is no
synced fallback (a core Password box leaked in 7 of 10 save-at-click races): where the box cannot render,
the kernel's own hidden prompt (`%hfauth login --prompt`, getpass over the stdin channel) takes its place.

Whether it rendered is learned from the front end: the box's render() sends `{event: "rendered"}`. The kernel
handles comm messages only while idle (never inside the cell that displayed the box), and `_view_count` also
counts an error placeholder, so a timer on the kernel's event loop decides "did not render" after the cell.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Callable, Literal

# The panel's handler, given the token; it must never raise (see Panel._on_token).
Submit = Callable[[str], None]
Status = Literal["waiting", "rendered", "missing"]

LABEL = "Hugging Face token"
BUTTON = "Use for this session"
PLACEHOLDER = "hf_… (never saved)"
_ESM = Path(__file__).with_name("token_input.js")
# Seconds after the display before a box whose front end has not answered counts as not rendered. An answer
# arriving later still wins (a slow first page load): the note goes away then.
RENDER_WAIT = 8.0

# What this kernel has learned so far: did any box render, did any fail to? (`%hfauth login` reads it.)
_seen: dict[str, bool] = {"rendered": False, "missing": False}


def known_not_to_render() -> bool:
    """True when a box in this kernel never rendered and none ever did: the front end cannot show it."""
    return _seen["missing"] and not _seen["rendered"]


def runtime_without_box() -> str | None:
    """Why this runtime is known not to load the box's JavaScript, or None when it may."""
    if os.environ.get("KAGGLE_KERNEL_RUN_TYPE") or os.environ.get("KAGGLE_URL_BASE"):
        return "Kaggle's notebook front end does not load third-party widget code such as this box's"
    return None


def cannot_render_here() -> str | None:
    """Why a token box would not render here (the runtime, or what this kernel saw), or None."""
    if known_not_to_render():
        return "a token box shown earlier in this kernel never rendered in this front end"
    return runtime_without_box()


class TokenEntry:
    """The token arrives as a custom message's buffer, decoded here and handed on; never kept."""

    kind = "anywidget"

    def __init__(self, *, autofocus: bool = False) -> None:
        from hfauth_nb.panel._anywidget import TokenInput

        self.widget = TokenInput(autofocus=autofocus)
        self.widget.add_class("hfauth-token-box")
        self.status: Status = "waiting"
        self._callback: Submit | None = None
        self._listeners: list[Callable[[Status], None]] = []
        self._timer: Any = None
        self.widget.on_msg(self._on_msg)

    def on_submit(self, callback: Submit) -> None:
        self._callback = callback

    def on_status(self, callback: Callable[[Status], None]) -> None:
        """`callback("rendered")` when the front end drew the box; `("missing")` when it did not in time."""
        self._listeners.append(callback)

    def set_busy(self, busy: bool) -> None:
        self.widget.busy = busy

    def expect_render(self, wait: float | None = None) -> bool:
        """Start the clock (on display): without an answer `wait` s after this cell, the box is missing.

        False when there is no running event loop to time it (plain Python, a terminal): nothing is decided.
        """
        if self._timer is not None or self.status != "waiting":
            return True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        self._timer = loop.call_later(RENDER_WAIT if wait is None else wait, self._no_answer)
        return True

    def _no_answer(self) -> None:
        if self.status == "waiting":
            self._set_status("missing")

    def _set_status(self, status: Status) -> None:
        self.status = status
        _seen[status] = True
        for listener in self._listeners:
            try:
                listener(status)
            except Exception:  # a listener's bug must not break the comm handler
                continue

    def _on_msg(self, _widget: Any, content: Any, buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        if content.get("event") == "rendered":
            if self._timer is not None:
                self._timer.cancel()
            if self.status != "rendered":
                self._set_status("rendered")
            return
        if content.get("event") != "token" or not buffers:
            return
        if self.status != "rendered":  # only a rendered box can send a token
            self._set_status("rendered")
        try:
            token = bytes(buffers[0]).decode("utf-8")
        except UnicodeDecodeError:
            token = ""
        if self._callback is not None:
            self._callback(token)
