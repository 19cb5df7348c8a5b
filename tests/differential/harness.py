"""Run one differential scenario: the library's own calls, then the tool's claims, then compare cell by cell.

Three fresh subprocesses per scenario, each with its own copy of the scenario's HOME and the same environment
(huggingface_hub freezes HF_ENDPOINT, HF_TOKEN_PATH, offline and implicit-token flags at import): the library
probe (`get_token()`, `whoami`, `model_info`, `hf_hub_download`), `hfauth check REPO --json` and
`hfauth status --json`. The loopback FakeHub records every request's Authorization header. Tokens never
appear in the output: the library probe reports hashes, cells show source names and masked forms.

Cells:
- token: what get_token() returned (its source and masked value) or that it raised, vs `token.source` /
  `token.masked` / `environment.get_token_raises` of both status and check.
- whoami, model_info, download: the header each call really sent (scheme + whose credential), or that nothing
  was sent, vs `environment.library_requests.whoami` / `.download` (model_info is an implicit-token call too).
- netrc: the library sent netrc credentials (`netrc-overrides-token`), a netrc entry for the host exists but was
  not sent (`netrc-entry`), or neither, vs the finding ids of check.
- leaves: which kinds of request left the process at all (token endpoint, whoami, repo API, file), vs the claims.
- access: whether `hf_hub_download` of a public file worked, vs the check's `ok` (no error finding); an
  `access-ok` finding next to a failing download is a mismatch too.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hfauth_nb.secrets import mask
from hfauth_nb.testing import FakeHub
from tests.differential.scenarios import Scenario
from tests.differential.stage import FILENAME, REPO, Stage

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GUARD = HERE / "guard"
PROBE = HERE / "library_probe.py"
CELLS = ("token", "whoami", "model_info", "download", "netrc", "leaves", "access")
SUBPROCESS_TIMEOUT = 120
NOT_SENT = "not sent"
TOOL_USER_AGENT = "hfauth_nb"


@dataclass
class Cell:
    name: str
    library: str
    tool: str
    match: bool
    known: str | None = None  # the reason, when this mismatch is a known one

    @property
    def verdict(self) -> str:
        if self.match:
            return "MATCH" if self.known is None else "XPASS"
        return "XFAIL" if self.known is not None else "MISMATCH"


@dataclass
class Outcome:
    scenario: str
    version: str
    cells: list[Cell] = field(default_factory=list)
    error: str | None = None

    @property
    def unexpected(self) -> list[Cell]:
        """Cells that fail the run: a mismatch nobody explained, or a known mismatch that no longer happens."""
        return [c for c in self.cells if c.verdict in ("MISMATCH", "XPASS")]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int("".join(ch for ch in part if ch.isdigit()) or 0) for part in version.split(".")[:3])


# --- running the processes ---------------------------------------------------------------------------------


def _fill(value: str, home: Path, url: str, userinfo: str | None) -> str:
    with_userinfo = url.replace("://", f"://{userinfo}@", 1) if userinfo else url
    return (
        value.replace("{home}", str(home)).replace("{url_with_userinfo}", with_userinfo).replace("{url}", url)
    )


def _environment(stage: Stage, home: Path, url: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "USERPROFILE": str(home),
        "HF_ENDPOINT": url,
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_ETAG_TIMEOUT": "20",
        "HF_HUB_DOWNLOAD_TIMEOUT": "20",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_TERMINAL_PROMPT": "0",
        "NO_COLOR": "1",
        # DIFFERENTIAL_TOOL_ROOT runs the tool from another checkout (e.g. to see the test fail on old code).
        "PYTHONPATH": os.pathsep.join(
            [str(GUARD), os.environ.get("DIFFERENTIAL_TOOL_ROOT", str(ROOT)), str(ROOT)]
        ),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    userinfo = stage.env.get("_USERINFO")
    for name, value in stage.env.items():
        if not name.startswith("_"):
            env[name] = _fill(value, home, url, userinfo)
    return env


def _fresh_home(stage: Stage, workdir: Path, name: str) -> Path:
    home = workdir / name
    shutil.copytree(stage.template, home, symlinks=True)
    return home


def _run_json(args: list[str], env: dict[str, str], cwd: Path) -> tuple[dict[str, Any] | None, str]:
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return None, f"exit {proc.returncode}: {proc.stderr.strip()[-400:]}"
    return json.loads(lines[-1]), proc.stdout + proc.stderr


def run_scenario(scenario: Scenario, python: str = sys.executable) -> Outcome:
    """Lay the scenario out, run the library and the tool, and compare. Never prints a token."""
    with FakeHub(public_url=None) as hub, tempfile.TemporaryDirectory(prefix="hfauth-diff-") as tmp:
        workdir = Path(tmp)
        hub.add_user("alice", orgs={"acme": "read"})
        hub.add_repo(REPO, files={FILENAME: "{}"})
        template = workdir / "template"
        template.mkdir()
        stage = Stage(hub=hub, template=template)
        scenario.build(stage)
        secrets = set(stage.labels) | {p for _, p in stage.basic} | set(hub.issued_tokens())

        # The three processes run at once; the tool's own probes carry the user agent "hfauth_nb", so the
        # library's requests are the others. `minted` holds every token /oauth/token issued: the library's, and
        # those of a browser login the tool's processes let the library refresh (each in its own HOME copy).
        commands = {
            "library": [python, str(PROBE), REPO, FILENAME],
            "check": [python, "-m", "hfauth_nb", "check", REPO, "--json", "--timeout", "20"],
            "status": [python, "-m", "hfauth_nb", "status", "--json", "--timeout", "20"],
        }
        with ThreadPoolExecutor(max_workers=len(commands)) as pool:
            futures = {
                name: pool.submit(
                    _run_json, args, _environment(stage, _fresh_home(stage, workdir, name), hub.url), workdir
                )
                for name, args in commands.items()
            }
            results = {name: future.result() for name, future in futures.items()}
        library = results["library"][0]
        tool: dict[str, dict[str, Any] | None] = {
            "check": results["check"][0],
            "status": results["status"][0],
        }
        texts = [text for _, text in results.values()]
        requests = [r for r in hub.requests if not (r.user_agent or "").startswith(TOOL_USER_AGENT)]
        minted = set(hub.issued_tokens()) - set(stage.labels)
        secrets |= set(hub.issued_tokens())
        version = str(library["version"]) if library else "?"
        outcome = Outcome(scenario.name, version)
        leaked = [s for s in secrets if len(s) > 8 and any(s in t for t in texts)]
        if leaked:
            outcome.error = f"{len(leaked)} secret value(s) appeared in a subprocess's output"
        if library is None or tool["check"] is None or tool["status"] is None:
            missing = [n for n, d in (("library", library), *tool.items()) if d is None]
            outcome.error = f"no JSON from {', '.join(missing)}: " + " | ".join(t[-300:] for t in texts)
            return outcome
        compare(outcome, scenario, stage, library, requests, minted, tool["check"], tool["status"])
        return outcome


# --- what the library did ------------------------------------------------------------------------------


def _labels(stage: Stage, minted: set[str], value: str) -> set[str]:
    if value in stage.labels:
        return set(stage.labels[value])
    if value in minted:
        return {"HF_OIDC_RESOURCE"} if value.startswith("hf_jwt_") else {"token file"}
    return {"unknown"}


def _describe_request(stage: Stage, minted: set[str], request: Any) -> tuple[str, set[str], str | None]:
    """(scheme, credential labels, masked) of one recorded request."""
    if request.auth_scheme is None:
        return "none", set(), None
    if request.auth_scheme == "Basic":
        label = stage.basic.get((request.basic_user or "", request.token or ""), "unknown")
        return "Basic", {label}, None
    if request.auth_scheme == "Bearer" and request.token is not None:
        return "Bearer", _labels(stage, minted, request.token), mask(request.token)
    return str(request.auth_scheme), {"unknown"}, None


def _kind(path: str) -> str:
    if path == "/oauth/token":
        return "token-endpoint"
    if path == "/api/whoami-v2":
        return "whoami"
    if path.startswith("/api/"):
        return "model_info"
    return "download"


def _show(scheme: str, labels: set[str], masked: str | None) -> str:
    if scheme == "none":
        return "none"
    shown = "|".join(sorted(labels))
    return f"{scheme}:{shown}" + (f" {masked}" if masked else "")


# --- comparing ---------------------------------------------------------------------------------------------


def _tool_header(claim: dict[str, Any]) -> tuple[str, str | None, str | None, bool]:
    """(scheme or 'not sent', credential label, masked, minted) from one `library_requests` claim."""
    if not claim.get("leaves"):
        return NOT_SENT, None, None, False
    scheme = claim.get("scheme") or "none"
    credential = claim.get("credential")
    if isinstance(credential, str) and credential.startswith("netrc"):
        credential = "netrc"
    return scheme, credential, claim.get("masked"), bool(claim.get("minted"))


def _header_cell(
    name: str, stage: Stage, minted: set[str], requests: list[Any], claim: dict[str, Any] | None
) -> Cell:
    seen = [_describe_request(stage, minted, r) for r in requests if _kind(r.path) == name]
    shown = sorted({_show(*d) for d in seen})
    library = " / ".join(shown) if shown else NOT_SENT
    if claim is None:
        return Cell(name, library, "(no library_requests claim)", False)
    scheme, credential, masked, is_minted = _tool_header(claim)
    tool = (
        NOT_SENT
        if scheme == NOT_SENT
        else (
            "none"
            if scheme == "none"
            else f"{scheme}:{credential}"
            + (f" {masked}" if masked else "")
            + (" (minted at call time)" if is_minted else "")
        )
    )
    if not seen:
        return Cell(name, library, tool, scheme == NOT_SENT)
    match = scheme != NOT_SENT and all(
        d[0] == scheme
        and (scheme == "none" or credential in d[1])
        and (d[0] != "Bearer" or masked == d[2] or (masked is None and is_minted))
        for d in seen
    )
    return Cell(name, library, tool, match)


def _token_cell(
    stage: Stage, minted: set[str], library: dict[str, Any], reports: dict[str, dict[str, Any]]
) -> Cell:
    got = library["get_token"]
    value: str | None = None
    value_labels: set[str] = set()
    if not got["ok"]:
        lib_text = f"raises {got['error']}"
    elif got.get("hash") is None:
        lib_text = "none"
    else:
        value = next((v for v in [*stage.labels, *minted] if token_hash(v) == got["hash"]), None)
        value_labels = _labels(stage, minted, value) if value is not None else {"unknown"}
        lib_text = "|".join(sorted(value_labels)) + f" {mask(value) if value is not None else '?'}"
    shown: dict[str, str] = {}
    match = True
    for name, report in reports.items():
        token = report.get("token") or {}
        raises = (report.get("environment") or {}).get("get_token_raises")
        source, masked = token.get("source"), token.get("masked")
        if raises:
            shown[name], ok = "raises", lib_text.startswith("raises")
        elif source is None:
            shown[name], ok = "none", lib_text == "none"
        else:
            shown[name] = f"{source} {masked}"
            # An OIDC-exchanged token is minted at call time: the tool names the source and cannot mask a value.
            exchanged = source == "HF_OIDC_RESOURCE" and masked is None and value in minted
            # A browser login due for refresh: each process's library refreshes its own copy of the login, so
            # the tool shows the token its refresh minted, not the one the library's process minted.
            login = (report.get("environment") or {}).get("oauth_login") or {}
            refreshed = login.get("refresh") == "refreshed" and value in minted
            refreshed = refreshed and masked in {mask(m) for m in minted}
            ok = (
                source in value_labels
                and value is not None
                and (masked == mask(value) or exchanged or refreshed)
            )
        match = match and ok
    distinct = set(shown.values())
    tool = distinct.pop() if len(distinct) == 1 else "; ".join(f"{k}: {v}" for k, v in shown.items())
    return Cell("token", lib_text, tool, match)


def _netrc_cell(stage: Stage, requests: list[Any], check: dict[str, Any]) -> Cell:
    sent = any(
        r.auth_scheme == "Basic" and stage.basic.get((r.basic_user or "", r.token or "")) == "netrc"
        for r in requests
    )
    library = "netrc-overrides-token" if sent else ("netrc-entry" if stage.netrc_entry else "none")
    ids = {f["id"] for f in check.get("findings", [])}
    tool = (
        "netrc-overrides-token"
        if "netrc-overrides-token" in ids
        else "netrc-entry"
        if "netrc-entry" in ids
        else "none"
    )
    return Cell("netrc", library, tool, library == tool)


def _leaves_cell(requests: list[Any], claims: dict[str, Any]) -> Cell:
    library = sorted({_kind(r.path) for r in requests})
    tool = set()
    if claims.get("token_endpoint"):
        tool.add("token-endpoint")
    if (claims.get("whoami") or {}).get("leaves"):
        tool.add("whoami")
    if (claims.get("download") or {}).get("leaves"):
        tool |= {"model_info", "download"}
    # A call that leaves but is answered by an error still counts; a call the library never makes does not.
    lib_text = ",".join(library) or "nothing"
    tool_text = ",".join(sorted(tool)) or "nothing"
    return Cell("leaves", lib_text, tool_text, set(library) == tool)


def _access_cell(library: dict[str, Any], check: dict[str, Any]) -> Cell:
    download = library["download"]
    lib_text = "works" if download["ok"] else f"fails ({download['error']})"
    ids = [f["id"] for f in check.get("findings", []) if f.get("severity") == "error"]
    access_ok = any(f["id"] == "access-ok" for f in check.get("findings", []))
    tool_text = "ok" if check.get("ok") else "error: " + ",".join(ids)
    if access_ok:
        tool_text += " +access-ok"
    match = bool(check.get("ok")) == bool(download["ok"]) and (download["ok"] or not access_ok)
    return Cell("access", lib_text, tool_text, match)


def compare(
    outcome: Outcome,
    scenario: Scenario,
    stage: Stage,
    library: dict[str, Any],
    requests: list[Any],
    minted: set[str],
    check: dict[str, Any],
    status: dict[str, Any],
) -> None:
    claims = (check.get("environment") or {}).get("library_requests") or {}
    outcome.cells = [
        _token_cell(stage, minted, library, {"status": status, "check": check}),
        _header_cell("whoami", stage, minted, requests, claims.get("whoami")),
        _header_cell("model_info", stage, minted, requests, claims.get("download")),
        _header_cell("download", stage, minted, requests, claims.get("download")),
        _netrc_cell(stage, requests, check),
        _leaves_cell(requests, claims),
        _access_cell(library, check),
    ]
    version = version_tuple(outcome.version)
    for known in scenario.known:
        if known.applies(version):
            for cell in outcome.cells:
                if cell.name in known.cells:
                    cell.known = known.reason


# --- the table ---------------------------------------------------------------------------------------------


def table(outcomes: list[Outcome], verbose: bool = False) -> str:
    """One row per scenario, one column per cell: MATCH / MISMATCH / XFAIL / XPASS; details for the rest."""
    width = max([len(o.scenario) for o in outcomes] + [8])
    lines = [f"{'scenario':<{width}}  " + "  ".join(f"{c:<10}" for c in CELLS)]
    details = []
    for o in outcomes:
        if o.error:
            lines.append(f"{o.scenario:<{width}}  ERROR: {o.error[:300]}")
            continue
        lines.append(f"{o.scenario:<{width}}  " + "  ".join(f"{c.verdict:<10}" for c in o.cells))
        for c in o.cells:
            if c.verdict != "MATCH" or verbose:
                details.append(
                    f"  {o.scenario} / {c.name}: {c.verdict}\n      library: {c.library}\n"
                    f"      tool:    {c.tool}" + (f"\n      known:   {c.known}" if c.known else "")
                )
    return "\n".join(lines + (["", "details:", *details] if details else []))


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    result = {"MATCH": 0, "MISMATCH": 0, "XFAIL": 0, "XPASS": 0, "ERROR": 0}
    for o in outcomes:
        if o.error:
            result["ERROR"] += 1
        for c in o.cells:
            result[c.verdict] += 1
    return result
