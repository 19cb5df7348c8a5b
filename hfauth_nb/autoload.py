"""`hfauth autoload` / `%hfauth autoload`: the lines that load the extension in every session.

It prints them and edits nothing: a profile is the user's file, and Colab has no profile that survives a
session. It only reads the default profile to say whether the extension is already listed there.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_profile_config() -> Path:
    """`<IPYTHONDIR>/profile_default/ipython_config.py`, found the way IPython finds it."""
    base = os.environ.get("IPYTHONDIR") or os.path.join(os.path.expanduser("~"), ".ipython")
    return Path(base) / "profile_default" / "ipython_config.py"


def _profile_state(config: Path) -> str:
    try:
        text = config.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "does not exist yet (create it with: ipython profile create)"
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot be read ({type(exc).__name__})"
    return "already loads hfauth_nb" if "hfauth_nb" in text else "does not load hfauth_nb yet"


def autoload_text() -> str:
    """Instructions for IPython/Jupyter profiles, VS Code and Colab, with the user's profile path filled in."""
    config = default_profile_config()
    return f"""\
Load hfauth_nb in every IPython, Jupyter, VS Code and Kaggle session: add to {config}
(it {_profile_state(config)}):

    c.InteractiveShellApp.extensions.append("hfauth_nb")
    c.HfAuth.timeout = 10          # optional: time budget for Hub requests, in seconds

Google Colab keeps no profile between sessions: put this in the notebook's first cell instead:

    !pip -q install hfauth_nb
    %load_ext hfauth_nb
    %hfauth check <org/model>

Nothing was changed: hfauth never edits your configuration files.
"""
