"""A dataclass as a JSON object, keys in field order: the order of the stable `hfauth/1` JSON."""

from __future__ import annotations

import dataclasses
from typing import Any, Mapping


def field_dict(
    obj: Any, *, skip: frozenset[str] = frozenset(), rename: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """`obj`'s fields by name (or their `rename`d key), in declaration order, leaving out `skip`."""
    names = rename or {}
    return {
        names.get(f.name, f.name): getattr(obj, f.name) for f in dataclasses.fields(obj) if f.name not in skip
    }
