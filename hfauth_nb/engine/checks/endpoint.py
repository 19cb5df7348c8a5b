"""Checks on where requests go and whether they can leave: the endpoint, offline mode, the library itself."""

from __future__ import annotations

from hfauth_nb.engine.context import Context
from hfauth_nb.engine.library import version_tuple
from hfauth_nb.engine.report import Finding
from hfauth_nb.hub_refs import DEFAULT_ENDPOINT


def check_endpoint(ctx: Context) -> list[Finding]:
    facts = ctx.facts
    findings = []
    env_endpoint = facts.env.endpoint or DEFAULT_ENDPOINT
    if facts.library.imported_before and env_endpoint != facts.library.endpoint:
        findings.append(
            Finding(
                id="endpoint-changed-after-import",
                severity="warning",
                title=f"HF_ENDPOINT is now {env_endpoint}, but huggingface_hub read {facts.library.endpoint} "
                "when it was imported and still uses it.",
                detail="huggingface_hub reads HF_ENDPOINT once, at import; changing it later (%env, "
                "os.environ) has no effect until the kernel restarts.",
                fix=(
                    "Restart the kernel, and set HF_ENDPOINT before anything imports huggingface_hub or transformers.",
                ),
                evidence={"HF_ENDPOINT now": facts.env.endpoint, "library endpoint": facts.library.endpoint},
            )
        )
    if facts.endpoint_login is not None:
        findings.append(
            Finding(
                id="endpoint-custom",
                severity="error",
                title="HF_ENDPOINT carries a user name and password: every request sends them (Basic auth) "
                "instead of your token.",
                detail="A URL of the form https://user:password@host makes the HTTP client replace the "
                "Authorization header with Basic credentials, so the Hub never sees your token.",
                fix=("Remove the user:password@ part from HF_ENDPOINT, then restart the kernel.",),
                evidence={"endpoint": facts.endpoint, "user in URL": facts.endpoint_login},
            )
        )
    elif facts.endpoint != DEFAULT_ENDPOINT and facts.endpoint_error is None:
        findings.append(
            Finding(
                id="endpoint-custom",
                severity="info",
                title=f"Requests go to {facts.endpoint}, not huggingface.co: a token is valid only on the "
                "Hub that issued it.",
                detail="HF_ENDPOINT (or a mirror/private Hub) sends your token to that host; netrc and git "
                "credentials are matched against its host name.",
                fix=("unset HF_ENDPOINT   # to use huggingface.co (then restart the kernel)",),
                evidence={"endpoint": facts.endpoint, "HF_ENDPOINT": facts.env.endpoint},
            )
        )
    return findings


def check_offline_mode(ctx: Context) -> list[Finding]:
    lib, env = ctx.facts.library, ctx.facts.env
    if lib.offline:
        still = "" if env.offline else " (the variable is gone now, but the library read it at import)"
        return [
            Finding(
                id="offline-mode",
                severity="error",
                title="Offline mode is on: huggingface_hub sends nothing to the Hub" + still + ".",
                detail="HF_HUB_OFFLINE=1 (or TRANSFORMERS_OFFLINE=1) makes every Hub call fail or use the "
                "local cache only; the flag is read once at import.",
                fix=("unset HF_HUB_OFFLINE TRANSFORMERS_OFFLINE, then restart the kernel",),
                evidence={"variable": env.offline_variable, "library constant": lib.offline},
            )
        ]
    if env.offline:
        return [
            Finding(
                id="offline-mode",
                severity="info",
                title=f"{env.offline_variable} is set now, but huggingface_hub was imported before and is "
                "not offline.",
                detail="The flag takes effect only for a kernel that sets it before importing "
                "huggingface_hub.",
                fix=("Restart the kernel if you meant to work offline.",),
                evidence={"variable": env.offline_variable, "library constant": lib.offline},
            )
        ]
    return []


def check_endpoint_invalid(ctx: Context) -> list[Finding]:
    """HF_ENDPOINT (or the configured endpoint) is not a URL the library can send to: a setting, not a network."""
    facts = ctx.facts
    if facts.endpoint_error is None:
        return []
    imports = "" if facts.library.installed else " huggingface_hub cannot even be imported with it."
    return [
        Finding(
            id="endpoint-custom",
            severity="error",
            title=f"The Hub endpoint {facts.endpoint} is not a usable URL: {facts.endpoint_error}.{imports}",
            detail="Every Hub request goes to this URL, so none can be sent; nothing was sent to check your "
            "token. This is a setting on this machine, not a network or token problem.",
            fix=(
                "Fix HF_ENDPOINT (e.g. https://huggingface.co or https://your-mirror.example.com), or unset it; "
                "then restart the kernel.",
            ),
            evidence={
                "endpoint": facts.endpoint,
                "problem": facts.endpoint_error,
                "HF_ENDPOINT set": bool(facts.env.endpoint),
            },
        )
    ]


def check_library_outdated(ctx: Context) -> list[Finding]:
    lib = ctx.facts.library
    if not lib.installed and ctx.facts.endpoint_error is not None:
        return []  # the import failed on the endpoint: check_endpoint_invalid says so
    if not lib.installed:
        return [
            Finding(
                id="library-outdated",
                severity="error",
                title="huggingface_hub is not installed (or fails to import) in this environment.",
                detail=lib.import_error or "",
                fix=("pip install -U huggingface_hub",),
                evidence={"error": lib.import_error},
            )
        ]
    if version_tuple(lib.version) < (0, 25, 0):
        return [
            Finding(
                id="library-outdated",
                severity="warning",
                title=f"huggingface_hub {lib.version} is old: upgrade it for clearer auth errors and token "
                "handling.",
                detail="Versions before 0.25 lack auth_check(), named tokens and the 403 'check your token "
                "permissions' messages; before 0.23 HF_TOKEN_PATH is ignored.",
                fix=("pip install -U huggingface_hub",),
                evidence={"version": lib.version},
            )
        ]
    return []
