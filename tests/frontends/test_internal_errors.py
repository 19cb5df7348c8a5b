"""One wrapping for unexpected errors in every door of the magic and the CLI, and one exception-chain walker."""

from __future__ import annotations

from typing import Any

import pytest
from frontend_helpers import CANARY
from IPython.core.error import UsageError

from hfauth_nb.cli import main
from hfauth_nb.errors import InternalError, exception_chain, internal_errors


class _Group(Exception):
    exceptions: tuple[BaseException, ...] = ()


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError(f"boom {CANARY}")


def test_an_unexpected_error_becomes_one_scrubbed_line_without_its_chain() -> None:
    with pytest.raises(InternalError) as caught, internal_errors(debug=False, hint="try --debug"):
        _boom()
    assert (
        str(caught.value)
        == "internal error (RuntimeError: boom hf_...klmn); try --debug to see the traceback"
    )
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_debug_shows_the_scrubbed_traceback() -> None:
    with pytest.raises(InternalError) as caught, internal_errors(debug=True, hint="unused"):
        _boom()
    assert "Traceback (most recent call last)" in str(caught.value) and "_boom" in str(caught.value)
    assert CANARY not in str(caught.value)


@pytest.mark.parametrize("error", [UsageError("your words"), KeyboardInterrupt()])
def test_the_front_ends_own_errors_and_ctrl_c_pass_unchanged(error: BaseException) -> None:
    with pytest.raises(type(error)) as caught, internal_errors(debug=False, hint="h", raise_as=UsageError):
        raise error
    assert caught.value is error


def test_the_chain_walker_visits_each_exception_once_nearest_first() -> None:
    inner = ValueError("inner")
    outer = RuntimeError("outer")
    outer.__cause__ = inner
    inner.__context__ = outer  # a cycle must not loop
    grouped = _Group("group")  # ExceptionGroup is Python 3.11+: the walker reads `exceptions` like it does
    grouped.exceptions = (outer, TypeError("member"))
    assert [type(e).__name__ for e in exception_chain(grouped)] == [
        "_Group",
        "RuntimeError",
        "TypeError",
        "ValueError",
    ]
    reason = OSError("underneath")
    wrapper = ConnectionError("wrapper")
    wrapper.reason = reason  # type: ignore[attr-defined]
    assert list(exception_chain(wrapper)) == [wrapper]
    assert list(exception_chain(wrapper, lambda e: [getattr(e, "reason", None)])) == [wrapper, reason]


@pytest.mark.parametrize(
    ("line", "module", "name", "hint"),
    [
        ("why", "hfauth_nb.why", "explain", "run `%hfauth --debug why`"),
        ("logout", "hfauth_nb.panel", "logout", "run `%hfauth --debug status`"),
        ("fix --undo", "hfauth_nb.fixes.frontend", "magic_fix", "run `%hfauth --debug fix ...`"),
        ("scan", "hfauth_nb.scan.frontend", "magic_scan", "run `%hfauth --debug scan`"),
    ],
)
def test_every_magic_door_turns_a_bug_into_a_usage_error(
    shell: Any, monkeypatch: pytest.MonkeyPatch, line: str, module: str, name: str, hint: str
) -> None:
    import importlib

    monkeypatch.setattr(importlib.import_module(module), name, _boom)
    monkeypatch.setattr("hfauth_nb.why.last_exception", lambda: ValueError("the last one"))
    shell.run_line_magic("load_ext", "hfauth_nb")
    with pytest.raises(UsageError) as caught:
        shell.run_line_magic("hfauth", line)
    assert str(caught.value) == f"internal error (RuntimeError: boom hf_...klmn); {hint} to see the traceback"


@pytest.mark.parametrize(
    ("argv", "name"), [(["fix", "legacy-env-var"], "cli_fix"), (["scan", "."], "cli_scan")]
)
def test_every_cli_door_exits_2_with_one_line_or_130_on_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], name: str
) -> None:
    module = "hfauth_nb.fixes.frontend" if name == "cli_fix" else "hfauth_nb.scan.frontend"
    monkeypatch.setattr(f"{module}.{name}", _boom)
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        "hfauth: internal error (RuntimeError: boom hf_...klmn); run again with --debug to see the traceback\n"
    )

    def interrupted(*args: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(f"{module}.{name}", interrupted)
    assert main(argv) == 130
    assert capsys.readouterr().err == "hfauth: interrupted\n"
