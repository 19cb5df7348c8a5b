"""`hfauth preflight PATH ...` and `%hfauth preflight [PATH ...]`. CLI exit status: 0 every target passes, 1 one
fails, 2 a path that does not exist."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hfauth_nb.grammar.requests import PreflightRequest
from hfauth_nb.targets.result import PreflightResult

EXIT_OK, EXIT_FAILS, EXIT_USAGE = 0, 1, 2


def _missing(request: PreflightRequest) -> list[str]:
    return [p for p in request.paths if not Path(p).expanduser().is_file()]


def _run(request: PreflightRequest, located: Any = None) -> PreflightResult:
    from hfauth_nb.targets.check import run_preflight

    return run_preflight(
        [Path(p).expanduser() for p in request.paths], located=located, **request.engine_options()
    )


def cli_preflight(request: PreflightRequest) -> int:
    missing = _missing(request)
    if missing:
        sys.stderr.write(f"hfauth: error: no such file: {', '.join(missing)}\n")
        return EXIT_USAGE
    result = _run(request)
    from hfauth_nb.targets import render

    sys.stdout.write(
        (json.dumps(result.to_dict()) if request.output == "json" else render.text(result)) + "\n"
    )
    sys.stdout.flush()
    return EXIT_OK if result.ok else EXIT_FAILS


def magic_preflight(request: PreflightRequest, shell: Any) -> PreflightResult | dict[str, Any]:
    """The result (it renders as an HTML table), or its JSON with `--json`; without PATH, this notebook."""
    from IPython.core.error import UsageError

    missing = _missing(request)
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    located = None
    if not request.paths:
        from hfauth_nb.targets.locate import current_notebook

        found = current_notebook(getattr(shell, "user_ns", None))
        if isinstance(found, str):
            raise UsageError(found)
        located = found
        print(f"hfauth preflight: {found.name}, from {found.how}")
    result = _run(request, located)
    return result.to_dict() if request.output == "json" else result
