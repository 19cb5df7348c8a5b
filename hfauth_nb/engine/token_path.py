"""Where the library looks for the token file, and what a custom `HF_TOKEN_PATH` hides (fact T4).

With `HF_TOKEN_PATH` set, huggingface_hub reads that path only: a missing file there means "no token", even
when the default `$HF_HOME/token` holds one (a login made before the variable was set, or in another shell).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from hfauth_nb.engine import library
from hfauth_nb.engine.library import LibraryFacts
from hfauth_nb.secrets import mask

_MAX_READ = 4096


@dataclass(frozen=True)
class TokenPathFacts:
    """The library's token path when it is not the default one, and whether that choice hides a token."""

    path: str  # the library's HF_TOKEN_PATH constant
    default_path: str  # $HF_HOME/token, where `hf auth login` writes without HF_TOKEN_PATH
    missing: bool  # nothing at `path`
    default_masked: str | None = None  # the masked token in the default file, if it holds one


def gather_token_path(lib: LibraryFacts) -> TokenPathFacts | None:
    """None unless the library reads a token file other than the default one."""
    hf_home = library.hf_home()
    if not lib.installed or not lib.token_path or hf_home is None:
        return None
    default_path = os.path.join(hf_home, "token")
    if os.path.abspath(lib.token_path) == os.path.abspath(default_path):
        return None
    return TokenPathFacts(
        path=lib.token_path,
        default_path=default_path,
        missing=not os.path.lexists(lib.token_path),
        default_masked=mask(_read_small_file(default_path)),
    )


def _read_small_file(path: str) -> str | None:
    """The cleaned token in a regular file, read without blocking (never a FIFO or a device)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            data = handle.read(_MAX_READ)
    except OSError:
        return None
    return library.clean_token(data.decode("utf-8", "replace"))
