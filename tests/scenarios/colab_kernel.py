"""One Colab (or other) kernel session, driven in a fresh process: run by test_colab.py, prints one JSON line.

Order as in a real notebook: the kernel's shell exists first, then code imports huggingface_hub in a cell (so
its import-time Colab check sees this shell, fact T11), then `%load_ext hfauth_nb` and `%hfauth check`. The
library's own `get_token()` runs before the check (`--library-first`) and after it, in a guarded thread, so the
test can hold the report against what the library really resolves. Tokens leave this process only as hashes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

STUB = Path(__file__).resolve().parent / "colab_stub"
GUARD_SECONDS = 5.0


def digest(token: str | None) -> str | None:
    return None if token is None else hashlib.sha256(token.encode()).hexdigest()


def reads() -> int:
    path = Path(os.environ["HFAUTH_FAKE_VAULT"] + ".reads")
    return len(path.read_text().splitlines()) if path.exists() else 0


def library_get_token() -> dict[str, Any]:
    """huggingface_hub's own answer; a vault that never answers makes it hang, so it runs in a daemon thread."""
    from huggingface_hub import get_token

    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["token"] = digest(get_token())
        except Exception as exc:
            box["error"] = type(exc).__name__

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(GUARD_SECONDS)
    return {"finished": not thread.is_alive(), **box}


def cell(shell: Any, code: str) -> None:
    result = shell.run_cell(code, store_history=False)
    if not result.success:
        raise SystemExit(f"cell failed: {code!r}: {result.error_in_exec or result.error_before_exec!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shell", choices=("colab", "jupyter"), default="colab")
    parser.add_argument("--library-first", action="store_true")
    parser.add_argument(
        "--load-first", action="store_true", help="%%load_ext before huggingface_hub is imported"
    )
    parser.add_argument("--check", default="check --timeout 2")
    args = parser.parse_args()
    sys.path.insert(0, str(STUB))
    from traitlets.config import Config

    if args.shell == "colab":
        from google.colab._shell import Shell as shell_class
    else:
        from ipykernel.zmqshell import ZMQInteractiveShell as shell_class
    config = Config()
    config.HistoryManager.enabled = False
    shell = shell_class.instance(config=config)
    out: dict[str, Any] = {"shell": str(type(shell))}
    assert "huggingface_hub" not in sys.modules
    # Cells, as a notebook runs them (get_ipython is a builtin only while a cell runs).
    if args.load_first:
        cell(shell, "%load_ext hfauth_nb")
        out["reads_after_load"] = reads()
    cell(shell, "from huggingface_hub import get_token")
    from huggingface_hub.utils import _runtime

    out["library_is_colab"] = _runtime.is_google_colab()
    out["reads_start"] = reads()
    if args.library_first:
        out["library_first"] = library_get_token()
    out["reads_before_load"] = reads()
    if not args.load_first:
        cell(shell, "%load_ext hfauth_nb")
        out["reads_after_load"] = reads()
    cell(shell, f"_hfauth_report = %hfauth {args.check} --json")
    out["report"] = shell.user_ns["_hfauth_report"].data
    out["reads_after_check"] = reads()
    out["library_after"] = library_get_token()
    out["reads_end"] = reads()
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)  # a vault that never answers leaves threads blocked forever


if __name__ == "__main__":
    main()
