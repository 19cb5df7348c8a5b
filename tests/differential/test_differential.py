"""The library is the judge: every scenario runs huggingface_hub's own calls against the loopback Hub and
compares what really went out with what `hfauth status/check --json` claim (see harness.py for the cells).

One test per scenario; a failure prints the scenario's MATCH/MISMATCH table with both sides of each cell. A
known mismatch (a tool bug another change owns, named in scenarios.py) is `xfail(strict=True)`: it must keep
failing exactly in its cells until fixed, and any other mismatch still fails the test.
"""

from __future__ import annotations

import pytest

from tests.differential.harness import run_scenario, table, version_tuple
from tests.differential.scenarios import SCENARIOS, Scenario


class KnownMismatch(AssertionError):
    """Only the cells a Known entry names differ."""


def _installed_version() -> tuple[int, ...]:
    import huggingface_hub

    return version_tuple(huggingface_hub.__version__)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_library_and_tool_agree(scenario: Scenario, request: pytest.FixtureRequest) -> None:
    known = [k for k in scenario.known if k.applies(_installed_version())]
    if known:
        request.applymarker(
            pytest.mark.xfail(strict=True, raises=KnownMismatch, reason=" / ".join(k.reason for k in known))
        )
    outcome = run_scenario(scenario)
    assert outcome.error is None, outcome.error
    shown = table([outcome], verbose=True)
    unexpected = [c for c in outcome.cells if c.verdict == "MISMATCH"]
    assert not unexpected, f"cells disagree: {[c.name for c in unexpected]}\n{shown}"
    if any(c.verdict == "XFAIL" for c in outcome.cells):
        raise KnownMismatch(f"known mismatch, as expected:\n{shown}")
