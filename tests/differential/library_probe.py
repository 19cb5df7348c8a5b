"""Run in a fresh subprocess per scenario: the installed huggingface_hub's own calls, nothing else.

Its import-time constants (HF_ENDPOINT, HF_TOKEN_PATH, offline, implicit-token) come from this process's
environment, as in a new kernel. Prints one JSON object: for get_token() a short SHA-256 of the token (never the
token), for each call whether it succeeded and the exception's class name. The loopback Hub records what
actually went out. Standard library and huggingface_hub only, so it runs in every sweep venv.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import warnings
from typing import Any, Callable


def token_hash(token: str | None) -> str | None:
    return None if token is None else hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _run(call: Callable[[], Any]) -> dict[str, Any]:
    try:
        result = call()
    except BaseException as exc:  # the class name is the evidence; its text may quote a token
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "error": None, "hash": token_hash(result) if isinstance(result, str) else None}


def main(repo_id: str, filename: str) -> dict[str, Any]:
    warnings.simplefilter("ignore")
    import huggingface_hub
    from huggingface_hub import HfApi, hf_hub_download

    try:
        from huggingface_hub import get_token
    except ImportError:  # 0.20-0.2x export it from utils only
        from huggingface_hub.utils import get_token  # type: ignore[no-redef]

    out: dict[str, Any] = {"version": huggingface_hub.__version__}
    out["get_token"] = _run(get_token)
    out["whoami"] = _run(lambda: HfApi().whoami())
    out["model_info"] = _run(lambda: HfApi().model_info(repo_id))
    with tempfile.TemporaryDirectory() as cache:
        out["download"] = _run(lambda: hf_hub_download(repo_id, filename, cache_dir=cache))
    return out


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(sys.argv[1], sys.argv[2])) + "\n")
