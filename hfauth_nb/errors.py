"""Exceptions nobody foresaw: walk their chains, and show them to a user in one scrubbed line.

Every front end (the CLI, the magic, the panel) turns an unexpected exception into a message rather than a
traceback: a traceback may carry a secret in its text, and IPython's Verbose mode would print its locals.
"""

from __future__ import annotations

import traceback
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

from hfauth_nb.secrets import scrub

Links = Callable[[BaseException], Iterable[object]]


def causes(exc: BaseException) -> Iterable[object]:
    """What an exception links to: its cause, its context and, in a group, its members."""
    return (exc.__cause__, exc.__context__, *(getattr(exc, "exceptions", None) or ()))


def exception_chain(exc: BaseException, links: Links = causes) -> Iterator[BaseException]:
    """`exc` and every exception reachable from it through `links`, each once, nearest first."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(e for e in links(current) if isinstance(e, BaseException))


def describe_internal_error(exc: BaseException, *, debug: bool, hint: str) -> str:
    """One scrubbed line naming an unexpected exception, or its scrubbed traceback when `debug`."""
    if debug:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return scrub(text.rstrip())
    message = scrub(str(exc)).splitlines()[0] if str(exc) else ""
    detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return f"internal error ({detail}); {hint} to see the traceback"


class InternalError(Exception):
    """An unexpected exception, already described for the user (scrubbed, without its traceback)."""


@contextmanager
def internal_errors(*, debug: bool, hint: str, raise_as: type[Exception] = InternalError) -> Iterator[None]:
    """Turn any unexpected exception inside the block into `raise_as(description)`, with no chained cause.

    An exception of the `raise_as` type itself passes unchanged (a front end's own usage error is no bug), and
    so do KeyboardInterrupt and SystemExit. `hint` says how to see the traceback (`debug` shows it scrubbed).
    """
    try:
        yield
    except raise_as:
        raise
    except Exception as exc:
        raise raise_as(describe_internal_error(exc, debug=debug, hint=hint)) from None
