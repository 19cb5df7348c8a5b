"""The anywidget class of the token box (anywidget is a default dependency; imported when a panel is built).

Its traits are labels and flags. There is deliberately no `value` trait: the token never becomes model state.
"""

from __future__ import annotations

import anywidget
import traitlets

from hfauth_nb.panel.entry import _ESM, BUTTON, LABEL, PLACEHOLDER


class TokenInput(anywidget.AnyWidget):  # type: ignore[misc,unused-ignore]
    """A password input and a button; the token is sent as a custom message (see token_input.js)."""

    _esm = _ESM
    label = traitlets.Unicode(LABEL).tag(sync=True)
    placeholder = traitlets.Unicode(PLACEHOLDER).tag(sync=True)
    button_label = traitlets.Unicode(BUTTON).tag(sync=True)
    busy = traitlets.Bool(False).tag(sync=True)
    autofocus = traitlets.Bool(False).tag(sync=True)
