"""Helpers for the panel tests: walk the widget tree, and collect what a widget-state save would hold."""

from __future__ import annotations

import json
from typing import Any, Iterator


def tree(widget: Any) -> Iterator[Any]:
    """The widget and every widget below it (boxes' children)."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from tree(child)


def saved_state(panel: Any, *extra: Any) -> str:
    """What a widget-state save would hold: every widget's full state, plus the display bundle."""
    states = [w.get_state() for w in [*tree(panel.widget), *extra]]
    return json.dumps(states, default=str) + json.dumps(panel._repr_mimebundle_(), default=str) + repr(panel)


def shown(panel: Any) -> list[Any]:
    """The widgets on display now (closed widgets have left the tree)."""
    return list(tree(panel.widget))


def with_class(panel: Any, name: str) -> list[Any]:
    return [w for w in shown(panel) if name in getattr(w, "_dom_classes", ())]
