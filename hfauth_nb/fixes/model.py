"""What a fix plan is made of: steps that say what they change, and the one error type they raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

from hfauth_nb.engine.report import Finding

StepKind = Literal["file", "git", "session", "manual"]


class FixError(Exception):
    """A fix step could not be done; the message says why and that nothing was lost (safe to show)."""


@dataclass(frozen=True)
class Step:
    """One change, shown before it is made.

    `kind`: "file" edits a file, "git" runs `git credential`, "session" changes this process's environment
    (restorable), "manual" is for the user to do. `action` makes the change and returns what it did; it is
    None when hfauth_nb only tells (manual steps, nothing to do).
    """

    kind: StepKind
    summary: str
    diff: str = ""
    commands: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    action: Callable[[], str] | None = field(default=None, repr=False, compare=False)
    undo: str = ""  # how to go back once applied
    preview: bool = (
        False  # the action only shows, in this short-lived process, what the user's change would do
    )

    @property
    def persistent(self) -> bool:
        """True when applying it changes something that outlives this process (asks for confirmation)."""
        return self.action is not None and self.kind in ("file", "git")


@dataclass(frozen=True)
class FixPlan:
    """Everything `fix FINDING_ID` would do, so it can be shown (dry run) before anything changes."""

    finding_id: str
    findings: tuple[Finding, ...] = ()
    steps: tuple[Step, ...] = ()
    message: str = ""  # why there is nothing to do, when there is nothing to do

    @property
    def actions(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.action is not None)

    @property
    def persistent(self) -> bool:
        return any(step.persistent for step in self.steps)
