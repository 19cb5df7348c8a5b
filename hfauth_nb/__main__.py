"""`python -m hfauth_nb`: the `hfauth` command."""

from __future__ import annotations

import sys

from hfauth_nb.cli import main

if __name__ == "__main__":
    sys.exit(main())
