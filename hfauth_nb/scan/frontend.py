"""`hfauth scan` and `%hfauth scan`. CLI exit status: 1 when a token was found, 0 when none, 2 for a
path that does not exist."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hfauth_nb.grammar.requests import ScanRequest
from hfauth_nb.scan import default_paths, scan_kernel, scan_paths
from hfauth_nb.scan.result import ScanResult

EXIT_CLEAN, EXIT_FOUND, EXIT_USAGE = 0, 1, 2


def _paths(request: ScanRequest) -> list[Path]:
    return [Path(p).expanduser() for p in request.paths]


def missing_paths(request: ScanRequest) -> list[str]:
    return [str(p) for p in _paths(request) if not p.exists()]


def cli_scan(request: ScanRequest) -> int:
    """Scan PATHs (default: this directory and the IPython history databases); print; exit 1 if found."""
    missing = missing_paths(request)
    if missing:
        sys.stderr.write(f"hfauth: error: no such file or directory: {', '.join(missing)}\n")
        return EXIT_USAGE
    result = scan_paths(_paths(request) or default_paths(), endpoint=request.endpoint)
    text = json.dumps(result.to_dict()) if request.output == "json" else result.text()
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
    return EXIT_FOUND if result.found else EXIT_CLEAN


def magic_scan(request: ScanRequest, shell: Any) -> ScanResult:
    """Scan PATHs, or by default this notebook, the kernel's In/Out and its history database."""
    missing = missing_paths(request)
    if missing:
        from IPython.core.error import UsageError

        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    if request.paths:
        return scan_paths(_paths(request), endpoint=request.endpoint)
    return scan_kernel(shell, endpoint=request.endpoint)
