"""The `hfauth` command: parse (`hfauth_nb.grammar`), run the engine, print, exit with a status.

Exit status: 0 no error finding, 1 at least one error finding, 2 usage or internal error. `--json` prints
exactly one JSON object on stdout and nothing else.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Callable, TextIO

from hfauth_nb.errors import InternalError, internal_errors
from hfauth_nb.grammar import requests as req
from hfauth_nb.grammar.parse import ParserExit, RequestError, parse_command

if TYPE_CHECKING:
    from hfauth_nb.engine.report import Report

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl-C


def main(argv: list[str] | None = None) -> int:
    """Run `hfauth` with `argv` (default: the process arguments); returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    try:
        command = parse_command(args)
    except ParserExit as exit_:
        return exit_.status
    except RequestError as exc:
        _fail(f"{exc.usage}hfauth: error: {exc}")
        return EXIT_USAGE
    if isinstance(command, req.DemoRequest):
        from hfauth_nb.demo import run_demo

        return run_demo()
    if isinstance(command, (req.FixRequest, req.ScanRequest, req.PreflightRequest)):
        return _run_tool(command)
    if isinstance(command, req.AutoloadRequest):
        from hfauth_nb.autoload import autoload_text

        _print(autoload_text().rstrip("\n"))
        return EXIT_OK
    if isinstance(command, (req.WhyRequest, req.WatchRequest)):  # magic-only grammar; keeps the types exact
        _fail("hfauth: `why` and `watch` run inside a kernel: use %hfauth why / %hfauth watch on")
        return EXIT_USAGE
    check = req.to_check(command)

    def run() -> int:
        report = req.run_check(check)
        _print(render(report, check.output, color=_wants_color(sys.stdout), verbose=check.verbose))
        return EXIT_OK if report.ok else EXIT_FINDINGS

    return _guarded(run, debug=check.debug)


def _run_tool(command: req.FixRequest | req.ScanRequest | req.PreflightRequest) -> int:
    """`fix`, `scan` and `preflight`: their modules print and choose the exit status (see their docstrings)."""

    def run() -> int:
        if isinstance(command, req.FixRequest):
            from hfauth_nb.fixes.frontend import cli_fix

            return cli_fix(command)
        if isinstance(command, req.PreflightRequest):
            from hfauth_nb.targets.frontend import cli_preflight

            return cli_preflight(command)
        from hfauth_nb.scan.frontend import cli_scan

        return cli_scan(command)

    return _guarded(run, debug=command.debug)


def _guarded(run: Callable[[], int], *, debug: bool) -> int:
    """`run`'s exit status; Ctrl-C and a bug become a one-line message (a raw traceback could carry a secret)."""
    try:
        with internal_errors(debug=debug, hint="run again with --debug"):
            return run()
    except KeyboardInterrupt:
        _fail("hfauth: interrupted")
        return EXIT_INTERRUPTED
    except InternalError as exc:
        _fail(f"hfauth: {exc}")
        return EXIT_USAGE


def render(report: Report, output: req.OutputFormat, *, color: bool = False, verbose: bool = False) -> str:
    """The report as the CLI prints it: text (the checklist, or every finding when `verbose`), one JSON object,
    or redacted Markdown."""
    if output == "json":
        return json.dumps(report.to_dict())
    if output == "markdown":
        from hfauth_nb.render import markdown

        return markdown.render(report).rstrip("\n")
    from hfauth_nb.render import text

    return text.render(report, color=color, verbose=verbose)


def _wants_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set or TERM is dumb."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _fail(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")
