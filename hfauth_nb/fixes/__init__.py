"""Fixes that lose nothing: each removes exactly the cause a finding names, shows the change first, and
keeps a way back (a byte-for-byte backup, or the previous environment value in memory).

    from hfauth_nb.fixes import run_fix
    outcome = run_fix("netrc-overrides-token", where="kernel", confirm=lambda plan: True)
    print(outcome)

Modules: `netrc_edit` (pure text surgery checked with Python's netrc parser), `files` (atomic replace with
backup, mode and owner kept), `session_env` (restorable environment changes), `git_credentials`
(`git credential approve/reject` without prompts), `plan` (finding -> steps), `run` (the whole flow),
`frontend` (what the CLI and the magic call).
"""

from __future__ import annotations

from hfauth_nb.fixes.model import FixError, FixPlan, Step
from hfauth_nb.fixes.plan import AUTOMATIC_IDS, plan_fix
from hfauth_nb.fixes.run import ConfirmUnavailable, FixOutcome, apply_plan, run_fix
from hfauth_nb.fixes.session_env import undo_last

__all__ = [
    "AUTOMATIC_IDS",
    "ConfirmUnavailable",
    "FixError",
    "FixOutcome",
    "FixPlan",
    "Step",
    "apply_plan",
    "plan_fix",
    "run_fix",
    "undo_last",
]
