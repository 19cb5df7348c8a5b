"""A fix plan and its outcome as text (terminal, notebook plain text) and escaped HTML; every line scrubbed."""

from __future__ import annotations

import html

from hfauth_nb.fixes.model import FixPlan, Step
from hfauth_nb.fixes.run import FixOutcome
from hfauth_nb.render.text import render as render_report
from hfauth_nb.secrets import scrub

_INDENT = "     "

_STATUS_LINES = {
    "dry-run": "Dry run: nothing was changed.",
    "needs-confirmation": "Nothing was changed: this needs your confirmation.",
    "declined": "Nothing was changed.",
    "manual": "Nothing was changed: hfauth leaves this one to you.",
}


def render_plan(plan: FixPlan, secrets: frozenset[str] = frozenset()) -> str:
    """The plan alone, as shown before asking for confirmation."""
    return scrub("\n".join(_plan_lines(plan, "Plan:")), secrets)


def render_text(outcome: FixOutcome) -> str:
    """The plan (unless already shown), what changed or why not, and the check run afterwards."""
    plan = outcome.plan
    blocks: list[list[str]] = []
    if not plan.findings:
        blocks.append([plan.message])
    elif not outcome.plan_shown:
        planned = outcome.status in ("dry-run", "needs-confirmation", "declined", "manual")
        blocks.append(_plan_lines(plan, "Plan:" if planned else "Steps:"))
    if outcome.status in _STATUS_LINES:
        blocks.append([_STATUS_LINES[outcome.status]])
    if outcome.done:
        heading = "Shown in this process only (your shell is unchanged):" if outcome.preview else "Changed:"
        blocks.append([heading, *(f"  - {item}" for item in outcome.done)])
    if outcome.errors:
        blocks.append(["Not changed:", *(f"  - {item}" for item in outcome.errors)])
    if outcome.after is not None:
        blocks.append(_recheck(outcome))
    if outcome.hint:
        blocks.append([outcome.hint])
    text = "\n\n".join("\n".join(block) for block in blocks if block)
    return scrub(text, outcome.known_secrets())


def render_html(outcome: FixOutcome) -> str:
    return f'<pre class="hfauth-fix">{html.escape(render_text(outcome))}</pre>'


def _plan_lines(plan: FixPlan, heading: str) -> list[str]:
    if not plan.findings:
        return [plan.message]
    lines = [f"Fix {plan.finding_id}: {plan.findings[0].title}", heading]
    for number, step in enumerate(plan.steps, 1):
        lines.extend(_step(number, step))
    return lines


def _step(number: int, step: Step) -> list[str]:
    lines = [f"  {number}. {step.summary}"]
    if step.diff:
        lines.extend(_INDENT + line for line in step.diff.splitlines())
    prefix = "- " if step.kind == "manual" else "$ "
    lines.extend(f"{_INDENT}{prefix}{command}" for command in step.commands)
    lines.extend(f"{_INDENT}Note: {note}" for note in step.notes)
    return lines


def _recheck(outcome: FixOutcome) -> list[str]:
    after = outcome.after
    assert after is not None
    first = render_report(after).splitlines()[0]
    finding_id = outcome.plan.finding_id
    if outcome.preview:
        lines = [f"In a shell where you ran the lines above, the check would say: {first}"]
    else:
        lines = [f"Check now: {first}"]
    lines.append(f"{finding_id} is gone." if outcome.resolved else f"{finding_id} is still reported.")
    undo = [s.undo for s in outcome.plan.actions if s.undo] if not outcome.preview else []
    if undo:
        lines.append("Undo: " + "; ".join(dict.fromkeys(undo)))
    return lines
