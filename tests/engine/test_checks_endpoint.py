"""Where requests go: endpoint-custom, endpoint-changed-after-import, offline-mode (and an endpoint that is no
URL), library-outdated."""

from __future__ import annotations

from factories import (
    Case,
    env_facts,
    library,
    local_only,
    row,
    table,
)

from hfauth_nb.engine.checks import endpoint as checks

MIRROR = "https://hf-mirror.example.com"

ENDPOINT = [
    row("huggingface.co: silent", local_only(), []),
    row(
        "a mirror: info",
        local_only(endpoint=MIRROR, lib=library(endpoint=MIRROR), env=env_facts(endpoint=MIRROR)),
        [("endpoint-custom", "info")],
        evidence={"endpoint": MIRROR, "HF_ENDPOINT": MIRROR},
        fix="unset HF_ENDPOINT",
    ),
    row(
        "user:password in HF_ENDPOINT: error (Basic auth replaces the token)",
        local_only(endpoint=MIRROR, endpoint_login="mirror-user", env=env_facts(endpoint=MIRROR)),
        [("endpoint-custom", "error")],
        evidence={"user in URL": "mirror-user"},
    ),
    row(
        "HF_ENDPOINT set after import: the library keeps huggingface.co",
        local_only(lib=library(imported_before=True), env=env_facts(endpoint=MIRROR)),
        [("endpoint-changed-after-import", "warning")],
        evidence={"HF_ENDPOINT now": MIRROR, "library endpoint": "https://huggingface.co"},
        fix="Restart the kernel",
    ),
    row(
        "HF_ENDPOINT unset after import with a mirror: both findings",
        local_only(endpoint=MIRROR, lib=library(endpoint=MIRROR, imported_before=True)),
        [("endpoint-changed-after-import", "warning"), ("endpoint-custom", "info")],
        evidence={"HF_ENDPOINT now": None, "library endpoint": MIRROR},
    ),
    row(
        "HF_ENDPOINT differs but the library was imported after it: silent",
        local_only(lib=library(imported_before=False), env=env_facts(endpoint=MIRROR)),
        [],
    ),
    row(
        "an endpoint that is no URL is not called a mirror",
        local_only(endpoint="hf-mirror.example.com", endpoint_error="it must start with https://"),
        [],
    ),
]


@table(ENDPOINT)
def test_endpoint(case: Case) -> None:
    case.verify(checks.check_endpoint)


OFFLINE = [
    row("online: silent", local_only(), []),
    row(
        "the library is offline: error",
        local_only(lib=library(offline=True), env=env_facts(offline_variable="HF_HUB_OFFLINE")),
        [("offline-mode", "error")],
        evidence={"variable": "HF_HUB_OFFLINE", "library constant": True},
        fix="unset HF_HUB_OFFLINE",
    ),
    row(
        "offline at import, the variable gone now: still an error",
        local_only(lib=library(offline=True)),
        [("offline-mode", "error")],
        evidence={"variable": None},
    ),
    row(
        "the variable set after import: info",
        local_only(env=env_facts(offline_variable="TRANSFORMERS_OFFLINE")),
        [("offline-mode", "info")],
        evidence={"variable": "TRANSFORMERS_OFFLINE", "library constant": False},
    ),
]


@table(OFFLINE)
def test_offline_mode(case: Case) -> None:
    case.verify(checks.check_offline_mode)


NO_SCHEME = "it must start with https:// (or http://), it has no scheme"
INVALID = [
    row("a usable endpoint: silent", local_only(), []),
    row(
        "no scheme: error",
        local_only(endpoint="hf-mirror.example.com", endpoint_error=NO_SCHEME, env=env_facts(endpoint="x")),
        [("endpoint-custom", "error")],
        evidence={"problem": NO_SCHEME, "HF_ENDPOINT set": True},
        fix="Fix HF_ENDPOINT",
    ),
    row(
        "the library failed to import on it: still this finding",
        local_only(
            endpoint="https://[::1",
            endpoint_error="its IPv6 address is not written as [address]",
            lib=library(installed=False),
        ),
        [("endpoint-custom", "error")],
    ),
]


@table(INVALID)
def test_endpoint_invalid(case: Case) -> None:
    case.verify(checks.check_endpoint_invalid)


OUTDATED = [
    row("current (1.27): silent", local_only(), []),
    row("requests-era 0.36.2: silent", local_only(lib=library("0.36.2")), []),
    row("0.25.0 exactly: silent", local_only(lib=library("0.25.0")), []),
    row(
        "0.22.0: warning",
        local_only(lib=library("0.22.0")),
        [("library-outdated", "warning")],
        evidence={"version": "0.22.0"},
        fix="pip install -U huggingface_hub",
    ),
    row(
        "not installed: error",
        local_only(lib=library(installed=False)),
        [("library-outdated", "error")],
        evidence={"error": "ModuleNotFoundError: huggingface_hub"},
    ),
    row(
        "the import failed on a bad endpoint: endpoint-custom says it",
        local_only(lib=library(installed=False), endpoint="x", endpoint_error=NO_SCHEME),
        [],
    ),
]


@table(OUTDATED)
def test_library_outdated(case: Case) -> None:
    case.verify(checks.check_library_outdated)
