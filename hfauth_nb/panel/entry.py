"""The token box: where a pasted token crosses from the browser into the kernel.

Preferred: `TokenInput`, an anywidget whose `<input>` is not a synced trait. The front end sends the token as
the buffer of a custom comm message; custom messages are not widget state, so nothing a save, autosave,
checkpoint or nbclient run records can hold it, and there is no window to race. Fallback (no anywidget):
a core ipywidgets `Password` that syncs only on blur/Enter, is emptied in the click handler, then closed
and replaced, so its model (and any saved copy of its state) goes away. That fallback still has a narrow
save-at-click race when widget-state saving is on (recipe §5), which the panel says next to the box.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Protocol

# The panel's handler, given the token; it must never raise (see Panel._on_token).
Submit = Callable[[str], None]

LABEL = "Hugging Face token"
BUTTON = "Use for this session"
PLACEHOLDER = "hf_… (never saved)"
_ESM = Path(__file__).with_name("token_input.js")


class TokenEntry(Protocol):
    """What the panel needs from a token box, whichever widget implements it."""

    kind: str
    widget: Any

    def on_submit(self, callback: Submit) -> None: ...

    def set_busy(self, busy: bool) -> None: ...


def anywidget_available() -> bool:
    """True when the `panel` extra (anywidget) is installed; it is optional."""
    try:
        import anywidget  # noqa: F401
    except Exception:
        return False
    return True


def make_entry(*, prefer_anywidget: bool = True, autofocus: bool = False) -> TokenEntry:
    """The save-proof anywidget box when possible, else the core-ipywidgets fallback."""
    if prefer_anywidget and anywidget_available():
        return _AnyWidgetEntry(autofocus=autofocus)
    return _PasswordEntry()


class _AnyWidgetEntry:
    """The token arrives as a custom message's buffer, decoded here and handed on; never kept."""

    kind = "anywidget"

    def __init__(self, *, autofocus: bool) -> None:
        from hfauth_nb.panel._anywidget import TokenInput

        self.widget = TokenInput(autofocus=autofocus)
        self.widget.add_class("hfauth-token-box")
        self._callback: Submit | None = None
        self.widget.on_msg(self._on_msg)

    def on_submit(self, callback: Submit) -> None:
        self._callback = callback

    def set_busy(self, busy: bool) -> None:
        self.widget.busy = busy

    def _on_msg(self, _widget: Any, content: Any, buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("event") != "token" or not buffers:
            return
        try:
            token = bytes(buffers[0]).decode("utf-8")
        except UnicodeDecodeError:
            token = ""
        if self._callback is not None:
            self._callback(token)


class _PasswordEntry:
    """Core ipywidgets fallback (works on ipywidgets 7.7.1, Colab's version)."""

    kind = "password"

    def __init__(self) -> None:
        import ipywidgets as widgets

        self._widgets = widgets
        self._callback: Submit | None = None
        self._button = widgets.Button(description=BUTTON, tooltip="Set HF_TOKEN in this kernel only")
        self._button.add_class("hfauth-token-submit")
        self._button.on_click(self._on_click)
        self._password = self._new_password()
        self.widget = widgets.HBox([self._password, self._button])
        self.widget.add_class("hfauth-token-box")

    def _new_password(self) -> Any:
        box = self._widgets.Password(
            description=LABEL,
            placeholder=PLACEHOLDER,
            continuous_update=False,  # the value reaches the kernel on blur/Enter, not at every keystroke
            style={"description_width": "initial"},
        )
        box.add_class("hfauth-token-input")
        return box

    def on_submit(self, callback: Submit) -> None:
        self._callback = callback

    def set_busy(self, busy: bool) -> None:
        self._button.disabled = busy

    def _on_click(self, _button: Any) -> None:
        old = self._password
        token = old.value
        old.value = ""  # first: the front end's model (and any later save) gets the empty default back
        self._password = self._new_password()
        self.widget.children = (self._password, self._button)
        old.close()
        if token and self._callback is not None:
            self._callback(token)
