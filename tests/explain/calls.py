"""Shared by the explain tests: the exception a real library call raises."""

from __future__ import annotations

from typing import Any, Callable


def raised(call: Callable[[], Any]) -> BaseException:
    """The exception `call()` raises (the test fails if it does not raise)."""
    try:
        call()
    except Exception as exc:
        return exc
    raise AssertionError("the call did not fail")
