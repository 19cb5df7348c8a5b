"""The `%hfauth` line magic: parse the line (`hfauth_nb.grammar`), run the engine, return the result.

It holds no diagnosis logic. Settings live in the `HfAuth` configurable, so `%config HfAuth.timeout = 10`
and `c.HfAuth.timeout = 10` in an IPython profile both apply.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ContextManager

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from traitlets import Float, TraitError, Unicode, validate
from traitlets.config import Configurable

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from hfauth_nb.engine.report import Report
    from hfauth_nb.fixes.run import FixOutcome
    from hfauth_nb.grammar import requests as req
    from hfauth_nb.grammar.parse import RequestError
    from hfauth_nb.panel import Notice
    from hfauth_nb.panel.ui import Panel
    from hfauth_nb.render.view import ReportView
    from hfauth_nb.scan.result import ScanResult
    from hfauth_nb.targets.result import PreflightResult

_MAGIC_NAME = "hfauth"


class HfAuth(Configurable):
    """Settings of the %hfauth magic (`%config HfAuth` lists them)."""

    timeout = Float(5.0, help="Time budget for the Hub requests of one %hfauth check, in seconds.").tag(
        config=True
    )
    endpoint = Unicode(
        None,
        allow_none=True,
        help="Override HF_ENDPOINT for checks made by %hfauth (a mirror or a private Hub); None keeps it.",
    ).tag(config=True)

    @validate("timeout")
    def _valid_timeout(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        if not value > 0:
            raise TraitError("HfAuth.timeout must be a positive number of seconds")
        return value

    @validate("endpoint")
    def _valid_endpoint(self, proposal: dict[str, Any]) -> str | None:
        value: str | None = proposal["value"]
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise TraitError("HfAuth.endpoint must be an http(s) URL such as https://huggingface.co")
        return value.rstrip("/")


@dataclass(frozen=True)
class Rendered:
    """A report rendered as JSON or Markdown, shown as that MIME type with a plain-text fallback."""

    mime: str
    data: Any
    plain: str

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/plain": self.plain, self.mime: self.data}

    def __repr__(self) -> str:
        return self.plain


@magics_class
class HfAuthMagics(Magics):
    """Holds the `%hfauth` magic and its `HfAuth` settings."""

    def __init__(self, shell: InteractiveShell, settings: HfAuth | None = None) -> None:
        super().__init__(shell)
        self.settings = settings if settings is not None else HfAuth(parent=shell)

    @line_magic  # type: ignore[untyped-decorator,unused-ignore]
    def hfauth(
        self, line: str = ""
    ) -> Report | Rendered | ReportView | Panel | Notice | FixOutcome | ScanResult | PreflightResult | None:
        from hfauth_nb.grammar import requests as req
        from hfauth_nb.grammar.parse import ParserExit, RequestError, parse_command, split_line

        # The docstring is written out below; a test checks it names every command of the shared grammar.
        try:
            words = split_line(line, magic=True)
            command = parse_command(
                words, magic=True, timeout=self.settings.timeout, endpoint=self.settings.endpoint
            )
        except ParserExit:  # help or version, already printed
            return None
        except RequestError as exc:
            raise UsageError(_usage_message(exc)) from None
        if isinstance(command, req.DemoRequest):  # the magic grammar has no demo; keeps the types exact
            raise UsageError("the demo is a terminal command: run !hfauth demo")
        if isinstance(command, (req.FixRequest, req.ScanRequest)):
            return self._tool(command)
        if isinstance(command, req.PreflightRequest):
            return self._preflight(command)
        if isinstance(command, (req.PanelRequest, req.LoginRequest, req.LogoutRequest)):
            return self._interactive(command)
        if isinstance(command, req.WhyRequest):
            return self._why(command)
        if isinstance(command, req.WatchRequest):
            self._watch(command)
            return None
        if isinstance(command, req.AutoloadRequest):
            from hfauth_nb.autoload import autoload_text

            print(autoload_text())
            return None
        return self._run(req.to_check(command))

    def _why(self, command: req.WhyRequest) -> Report | Rendered | ReportView:
        """The check for exactly the repo and intent of the request inside the last exception."""
        from hfauth_nb.why import explain, last_exception

        exc = last_exception()
        if exc is None:
            raise UsageError(
                "no exception yet in this session: run the failing cell first, or %hfauth check REPO"
            )
        with _internal_errors(command.debug, "why"):
            report = explain(exc, timeout=command.timeout)
        explained = report.explained.to_dict() if report.explained is not None else {}
        if (
            not any(explained.get(k) for k in ("found", "rejected because", "service"))
            and not report.target.repo_id
            and not _names_a_service(report)
        ):
            # (A repo id the library refused, a service call or a repo a service failure names: the report says.)
            print(
                f"The last exception ({type(exc).__name__}) holds no Hugging Face Hub request; below is your token "
                "setup. To check a repo: %hfauth check org/name"
            )
        return present(report, command.output, verbose=command.verbose)

    def _watch(self, command: req.WatchRequest) -> None:
        """Register or remove the one post_run_cell callback (hfauth_nb.watch)."""
        from hfauth_nb import watch

        shell = self.shell
        assert shell is not None  # a registered magic always has its shell
        if command.on:
            started = watch.start(shell, lambda: self.settings.timeout)
            note = "" if started else " (already)"
            print(
                f"hfauth watch: on{note}: a cell failing with a Hub auth error gets a diagnosis below its traceback"
            )
        else:
            print("hfauth watch: off" + ("" if watch.stop(shell) else " (it was not on)"))

    def _interactive(
        self, command: req.PanelRequest | req.LoginRequest | req.LogoutRequest
    ) -> Report | Panel | Notice:
        """The panel, `login` and `logout` (hfauth_nb.panel is imported only now: it brings ipywidgets)."""
        from hfauth_nb import panel
        from hfauth_nb.grammar import requests as req

        settings = panel.Settings(
            timeout=command.timeout,
            endpoint=command.endpoint,
            read_colab_secret=command.read_colab_secret,
            skip_colab_secret=command.skip_colab_secret,
        )
        with _internal_errors(command.debug, "status"):
            if isinstance(command, req.LogoutRequest):
                return panel.logout(settings)
            if isinstance(command, req.LoginRequest):
                return panel.login(settings, self.shell, prompt=command.prompt, check_first=command.check)
            return panel.open_panel(settings, self.shell)

    def _tool(self, command: req.FixRequest | req.ScanRequest) -> FixOutcome | ScanResult | None:
        """`fix` and `scan` (hfauth_nb.fixes / hfauth_nb.scan are imported only now)."""
        from hfauth_nb.grammar import requests as req

        with _internal_errors(command.debug, "fix ..." if isinstance(command, req.FixRequest) else "scan"):
            if isinstance(command, req.FixRequest):
                from hfauth_nb.fixes.frontend import magic_fix

                return magic_fix(command)
            from hfauth_nb.scan.frontend import magic_scan

            return magic_scan(command, self.shell)

    def _preflight(self, command: req.PreflightRequest) -> PreflightResult | Rendered:
        """Every Hub target of the named files, or of this notebook (hfauth_nb.targets is imported only now)."""
        from hfauth_nb.targets.frontend import magic_preflight

        with _internal_errors(command.debug, "preflight"):
            result = magic_preflight(command, self.shell)
        if isinstance(result, dict):
            return Rendered("application/json", result, json.dumps(result, indent=2))
        return result

    def _run(self, check: req.CheckRequest) -> Report | Rendered | ReportView:
        from hfauth_nb.grammar import requests as req

        with _internal_errors(check.debug, "check ..." if check.repo_id else "status"):
            report = req.run_check(check)
        return present(report, check.output, verbose=check.verbose)


def _internal_errors(debug: bool, again: str) -> ContextManager[None]:
    """A bug becomes a UsageError, never a traceback (Verbose xmode would print locals that may hold a secret);
    the hint names the magic line that shows the traceback."""
    from hfauth_nb.errors import internal_errors

    return internal_errors(debug=debug, hint=f"run `%hfauth --debug {again}`", raise_as=UsageError)


def present(
    report: Report, output: req.OutputFormat, *, verbose: bool = False
) -> Report | Rendered | ReportView:
    """What the magic returns: the Report itself (it renders as HTML or text; with `verbose`, a view of it with
    every finding open), or its JSON/Markdown."""
    if output == "json":
        data = report.to_dict()
        return Rendered("application/json", data, json.dumps(data, indent=2))
    if output == "markdown":
        from hfauth_nb.render import markdown

        text = markdown.render(report)
        return Rendered("text/markdown", text, text)
    if verbose:
        from hfauth_nb.render.view import ReportView

        return ReportView(report, "verbose")
    return report


def _names_a_service(report: Report) -> bool:
    """The report names a failed service call (a Space host, Xet storage): its exception held no Hub repo request,
    yet saying so above the finding would contradict it."""
    from hfauth_nb.engine.findings import spec

    return any(spec(f.id).area == "services" and f.severity != "ok" for f in report.findings)


def _usage_message(exc: RequestError) -> str:
    usage = exc.usage.strip()
    return f"{exc}\n{usage}" if usage else str(exc)


_SUMMARY = """Diagnose Hugging Face Hub 401/403 problems from this notebook.

Commands:
  %hfauth check [REPO] [--type model|dataset|space] [--write] [--revision REV] [--timeout S]
                [--json | --markdown] [--colab-secret | --no-colab-secret]
                             why the effective token can or cannot use REPO (an id or a Hub URL)
  %hfauth status             the token setup: which sources hold a token, which one wins, whose it is
  %hfauth, %hfauth panel     the panel: who you are, every token source, a session-only token box,
                             Forget, and a repo check (the text report where widgets cannot render)
  %hfauth login [--prompt]   set HF_TOKEN for this kernel only: the panel's box, or the kernel's hidden
                             prompt (where the box cannot render, or with --prompt; never saved)
  %hfauth logout             forget that token: HF_TOKEN goes back to what it was (or is removed)
  %hfauth fix ID [--dry-run] remove the cause a finding names (netrc entry, env variable, git credential),
                             with a backup; `%hfauth fix --undo` restores the variables it changed
  %hfauth scan [PATH ...]    find tokens saved in this notebook, its outputs, In/Out and the history
  %hfauth preflight [PATH ...]
                             every Hub repo this notebook (or PATH) will read or write, checked at once
  %hfauth why                diagnose the Hub request inside the last exception (the repo that really failed)
  %hfauth watch on|off       diagnose below each cell that fails with a Hub auth error (off by default)
  %hfauth autoload           print the lines that load hfauth_nb in every session (edits nothing)

The report is the magic's value: it shows when the magic is the last line of a cell, and
`report = %hfauth check org/name` keeps it (report.ok, report.findings, report.to_dict()).
`--json` returns the JSON form, `check --markdown` a redacted report to paste into an issue.

Never type a token on the magic line: it would stay in the notebook and its history. The magic
refuses token-shaped arguments without showing them.

Settings: %config HfAuth.timeout = 10 ; %config HfAuth.endpoint = "https://hub.example.com"
Every option of a command: %hfauth COMMAND --help

"""
# Written out rather than built from the argparse grammar at import: `%load_ext` must stay cheap (tests check
# that every command of the grammar is listed here). `%hfauth COMMAND --help` prints the full grammar.
HfAuthMagics.hfauth.__doc__ = _SUMMARY


# -- registration ---------------------------------------------------------------------------------


def register(shell: InteractiveShell) -> None:
    """Register `%hfauth` and `HfAuth` once; calling it again replaces the magic, keeps the settings."""
    settings = _settings(shell) or HfAuth(parent=shell)
    unregister(shell)
    shell.register_magics(HfAuthMagics(shell, settings=settings))
    configurables: list[Any] = shell.configurables
    configurables.append(settings)


def unregister(shell: InteractiveShell) -> None:
    """Remove `%hfauth` and the `HfAuth` settings from `shell`; safe when they are not there."""
    watch = sys.modules.get("hfauth_nb.watch")  # imported only if `watch on` was ever used
    if watch is not None:
        watch.stop(shell)
    _remove_magic(shell)
    configurables: list[Any] = shell.configurables
    configurables[:] = [c for c in configurables if not _is_ours(c, HfAuth)]


def _settings(shell: InteractiveShell) -> HfAuth | None:
    configurables: list[Any] = shell.configurables
    return next((c for c in configurables if isinstance(c, HfAuth)), None)


def _remove_magic(shell: InteractiveShell) -> None:
    manager = shell.magics_manager
    if _is_ours(manager.registry.get(HfAuthMagics.__name__), HfAuthMagics):
        del manager.registry[HfAuthMagics.__name__]
    line_magics = manager.magics["line"]
    if _is_ours(getattr(line_magics.get(_MAGIC_NAME), "__self__", None), HfAuthMagics):
        del line_magics[_MAGIC_NAME]


def _is_ours(obj: object, cls: type) -> bool:
    """Matched by name, so instances made before a `%reload_ext` (an older class object) count too."""
    kind = type(obj)
    return kind.__name__ == cls.__name__ and kind.__module__ == cls.__module__
