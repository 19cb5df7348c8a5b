"""The one check registry: every check is registered once and runs once per diagnosis, with or without Hub
answers (check_token_shadowed used to be registered twice, and only deduplication of findings hid it)."""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections import Counter
from typing import Callable

import pytest

from hfauth_nb.engine import checks
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.report import Finding
from tests.scenarios.conftest import Scenario


def _defined_checks() -> set[str]:
    """Every check_* function the modules of engine/checks define."""
    names = set()
    for info in pkgutil.iter_modules(checks.__path__):
        module = importlib.import_module(f"{checks.__name__}.{info.name}")
        for name, value in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("check_") and value.__module__ == module.__name__:
                names.add(name)
    return names


def test_every_check_is_registered_once() -> None:
    registered = [check.__name__ for check, _ in checks.REGISTRY]
    assert len(registered) == len(set(registered))
    assert set(registered) == _defined_checks()
    assert checks.checks_to_run(hub_asked=True) == tuple(check for check, _ in checks.REGISTRY)
    assert set(checks.checks_to_run(hub_asked=False)) == set(checks.LOCAL_CHECKS)


def _count_calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Calls per registered check (a front end may diagnose more than once: each diagnosis counts)."""
    calls: Counter[str] = Counter()

    def counted(check: Callable[[Context], list[Finding]]) -> Callable[[Context], list[Finding]]:
        @functools.wraps(check)
        def run(ctx: Context) -> list[Finding]:
            calls[check.__name__] += 1
            return check(ctx)

        return run

    monkeypatch.setattr(checks, "REGISTRY", tuple((counted(c), hub) for c, hub in checks.REGISTRY))
    return calls


def _shadowed(scenario: Scenario) -> None:
    """HF_TOKEN holds a revoked token and wins over the valid one in the token file."""
    bad, good = scenario.token(), scenario.token(role="write")
    scenario.hub.revoke(bad)
    scenario.env("HF_TOKEN", bad)
    scenario.token_file(good)


def test_each_check_runs_once_when_the_hub_answers(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    _shadowed(scenario)
    calls = _count_calls(monkeypatch)
    registered = [check.__name__ for check, _ in checks.REGISTRY]
    out = scenario.run("magic")
    runs = calls[registered[0]]
    assert runs >= 1
    assert calls == Counter({name: runs for name in registered})
    assert out.ids.count("token-shadowed") == 1 and out.severity("token-shadowed") == "error"


def test_each_local_check_runs_once_without_the_hub(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    _shadowed(scenario)
    scenario.env("HF_HUB_OFFLINE", "1")
    calls = _count_calls(monkeypatch)
    local = [check.__name__ for check in checks.LOCAL_CHECKS]
    out = scenario.run("magic")
    runs = calls[local[0]]
    assert runs >= 1
    assert calls == Counter({name: runs for name in local})
    assert out.ids.count("token-shadowed") == 1 and out.severity("token-shadowed") == "warning"
    assert "offline-mode" in out.ids
