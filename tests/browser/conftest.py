"""Browser-test fixtures: one loopback Hub, one Chromium, a Lab and a Notebook 7 server per module.

They need Debian's chromium, Playwright, JupyterLab 4 and Notebook 7 (`scripts/setup-browser`). Missing
pieces skip the tests with the reason, unless HFAUTH_REQUIRE_BROWSER=1 (set by scripts/test, so CI fails
instead of passing without having run them). scripts/test-wheel runs them from the built wheel with
HFAUTH_EXPECT_INSTALLED set to that venv's site-packages: then hfauth_nb must come from there, in this
process and in every kernel (`installed_where`).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest

# `harness` sits beside this file; put it on sys.path ourselves, so the tests also run with
# --import-mode=importlib (which keeps the checkout off sys.path when testing an installed wheel).
sys.path.insert(0, str(Path(__file__).parent))
from harness import CHROMIUM, JupyterServer, Workspace, browser_args

from hfauth_nb.testing.hub import FakeHub


def _missing() -> list[str]:
    missing = [] if Path(CHROMIUM).exists() else [f"{CHROMIUM} (apt-get install chromium)"]
    missing += [
        m
        for m in ("playwright", "jupyterlab", "notebook", "anywidget")
        if importlib.util.find_spec(m) is None
    ]
    return missing


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    mine = [item for item in items if here in Path(str(item.fspath)).parents]
    missing = _missing()
    if not mine or not missing:
        return
    reason = "browser tests need " + ", ".join(missing) + " (run scripts/setup-browser)"
    if os.environ.get("HFAUTH_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(reason)
    for item in mine:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def installed_where() -> str | None:
    """Where hfauth_nb must be imported from (the wheel's site-packages), or None for a checkout run."""
    import hfauth_nb

    expected = os.environ.get("HFAUTH_EXPECT_INSTALLED")
    if expected:
        where = str(Path(hfauth_nb.__file__).resolve())
        assert where.startswith(str(Path(expected).resolve())), f"hfauth_nb came from {where}, not {expected}"
    return expected


@pytest.fixture(scope="module")
def base() -> Iterator[Path]:
    """Everything the servers, kernels and browser write; kept for a look when HFAUTH_BROWSER_KEEP=1."""
    tmp = Path(tempfile.mkdtemp(prefix="hfauth-browser-"))
    yield tmp
    if os.environ.get("HFAUTH_BROWSER_KEEP") == "1":
        print(f"\nbrowser test files kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def hub() -> Iterator[FakeHub]:
    hub = FakeHub()
    hub.start()
    hub.add_user("alice")
    hub.add_repo("meta-llama/gated-model", gated="manual")
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture(scope="module")
def browser(base: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    profile = base / "chrome-profile"
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=browser_args(),
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


def _server(app: str, base: Path, hub: FakeHub, *, without_box: bool = False) -> Iterator[JupyterServer]:
    name = f"{app}-without-box" if without_box else app
    shutil.rmtree(base / name, ignore_errors=True)
    workspace = Workspace(base / name)
    if without_box:
        workspace.disable_extension("anywidget")
    server = JupyterServer(app, workspace, {"HF_ENDPOINT": hub.url})
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lab(base: Path, hub: FakeHub) -> Iterator[JupyterServer]:
    yield from _server("lab", base, hub)


@pytest.fixture(scope="module")
def notebook7(base: Path, hub: FakeHub) -> Iterator[JupyterServer]:
    yield from _server("notebook", base, hub)


@pytest.fixture(scope="module")
def lab_without_box(base: Path, hub: FakeHub) -> Iterator[JupyterServer]:
    """JupyterLab whose anywidget front-end extension is disabled: the token box cannot render there."""
    yield from _server("lab", base, hub, without_box=True)


@pytest.fixture(scope="module")
def notebook7_without_box(base: Path, hub: FakeHub) -> Iterator[JupyterServer]:
    yield from _server("notebook", base, hub, without_box=True)
