"""A canary in every source never appears unmasked in anything the tool prints, renders, returns or logs.

Sources: HF_TOKEN, HUGGING_FACE_HUB_TOKEN, the token file, stored tokens, netrc, the git `store` helper and an
inline helper, a password in HF_ENDPOINT that is not token-shaped (and another in `%config HfAuth.endpoint`), a
proxy password, a misnamed variable, and a server that echoes the start of the token it rejects.
Front ends: CLI, magic, panel, why, watch, status, fix --dry-run, login/logout, the Python API. Formats: text,
HTML, JSON, Markdown, repr, widget state, pickle/asdict/vars of the objects handed back, and logs at DEBUG.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import secrets
import string
import subprocess
import sys
from typing import Any, Iterator
from urllib.parse import quote

import pytest

from hfauth_nb.testing.rules import error_reply
from tests.scenarios.conftest import Scenario

REPO = "meta-llama/Meta-Llama-3-8B"
# How much of the rejected token the echoing server repeats: the prefix and 12 characters of the body.
ECHO_BODY = 12
# A piece of a token's body this long must never show (the mask shows 4; hfauth_nb.secrets.FRAGMENT_LENGTH).
FRAGMENT_LENGTH = 8


def canary() -> str:
    return "hf_" + "".join(secrets.choice(string.ascii_letters) for _ in range(34))


def password() -> str:
    """A mirror password as people choose them: not token-shaped, with a character URLs must encode."""
    return "Mirr0r!" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(12))


def with_userinfo(url: str, user: str, secret: str) -> str:
    return url.replace("://", f"://{user}:{quote(secret, safe='')}@", 1)


def leaks(text: str, values: list[str]) -> list[str]:
    """What of `values` shows in `text`: the whole value, its URL-encoded form, or (for a token) any piece of
    FRAGMENT_LENGTH body characters (the mask itself shows 4)."""
    found = []
    for value in values:
        forms = {value, quote(value, safe="")}
        if value.startswith("hf_"):
            body = value[3:]
            forms |= {body[i : i + FRAGMENT_LENGTH] for i in range(len(body) - FRAGMENT_LENGTH + 1)}
        for form in sorted(forms):
            at = text.find(form)
            if at != -1:
                found.append(f"{value[:3]}... as {form[:3]}...: {text[max(at - 60, 0) : at + 20]!r}")
    return found


@pytest.fixture()
def everywhere(scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Distinct canaries in every source the tool reads (see the module docstring)."""
    env_token = scenario.token(role="write")
    legacy = scenario.token()
    file_token = scenario.token(role="fineGrained", can_read_gated=False)
    stored_only = canary()
    git_token = scenario.token()
    scenario.hub.revoke(git_token)
    misnamed = canary()
    netrc_password = canary()
    proxy_password = "proxy" + canary()[3:]
    inline_helper = canary()
    endpoint_password = password()
    scenario.env("HF_TOKEN", env_token)
    scenario.env("HUGGING_FACE_HUB_TOKEN", legacy)
    scenario.env("HUGGINGFACEHUB_API_TOKEN", misnamed)
    scenario.env("HTTPS_PROXY", f"http://user:{proxy_password}@127.0.0.1:9")
    scenario.env("HF_ENDPOINT", with_userinfo(scenario.hub.url, "mirroruser", endpoint_password))
    scenario.token_file(file_token)
    (scenario.token_path.parent / "stored_tokens").write_text(
        f"[laptop]\nhf_token = {file_token}\n\n[old]\nhf_token = {stored_only}\n"
    )
    scenario.netrc(f"machine 127.0.0.1 login nuser password {netrc_password}\n")
    scenario.git_store(git_token)
    helper = f"!f() {{ echo username=hf_user; echo password={inline_helper}; }}; f"
    subprocess.run(["git", "config", "--global", "--add", "credential.helper", helper], check=True)
    scenario.hub.add_repo(REPO, gated="manual", files={"config.json": b"{}"})
    _echo_rejected_tokens(scenario, monkeypatch, git_token)
    values = [env_token, legacy, file_token, stored_only, git_token, misnamed, netrc_password, proxy_password]
    values += [inline_helper, endpoint_password]
    scenario.secrets.extend(values)
    return values


def _echo_rejected_tokens(scenario: Scenario, monkeypatch: pytest.MonkeyPatch, token: str) -> None:
    """The server quotes the start of a token it rejects, as some proxies and private Hubs do."""
    runtime = scenario.hub._runtime
    dispatch = runtime.dispatch

    def echo(incoming: Any) -> Any:
        if incoming.authorization == f"Bearer {token}":
            return error_reply(
                401, f"Invalid credentials in Authorization header: {token[: 3 + ECHO_BODY]}..."
            )
        return dispatch(incoming)

    monkeypatch.setattr(runtime, "dispatch", echo)


# -- the command line -----------------------------------------------------------------------------------------

_LOGGED_MAIN = (
    "import logging, sys; logging.basicConfig(level=logging.DEBUG); from hfauth_nb.cli import main; "
)


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["check"],
        ["check", REPO],
        ["check", REPO, "--json"],
        ["check", REPO, "--markdown"],
        ["check", REPO, "--write", "--debug"],
        ["--json", "status"],
        ["fix", "git-credential-stale", "--dry-run"],
        ["fix", "netrc-entry", "--dry-run"],  # reported on the httpx stacks, where netrc does not apply
        ["fix", "netrc-overrides-token", "--dry-run"],  # on requests, where it replaces the token (N1)
        ["fix", "legacy-env-var", "--dry-run"],
    ],
)
def test_cli_outputs_and_debug_logs_hold_no_canary(
    scenario: Scenario, everywhere: list[str], args: list[str]
) -> None:
    for command in (
        [sys.executable, "-m", "hfauth_nb", *args],
        # Logging at DEBUG from the start, as a user chasing a problem would run it.
        [sys.executable, "-c", _LOGGED_MAIN + f"sys.exit(main({args!r}))"],
    ):
        proc = subprocess.run(command, capture_output=True, text=True, timeout=60, env=os.environ.copy())
        output = proc.stdout + proc.stderr
        assert "hf_..." in output or args[0] == "fix"  # tokens were shown, masked
        assert leaks(output, everywhere) == [], args


# -- the kernel: magic, why, watch, login/logout, the panel, logs -------------------------------------------


@pytest.fixture()
def shell(scenario: Scenario) -> Iterator[Any]:
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from hfauth_nb import session
    from hfauth_nb.engine.hub import clear_whoami_cache

    scenario._library_as_imported_now()
    clear_whoami_cache()
    config = Config()
    config.HistoryManager.enabled = False
    InteractiveShell.clear_instance()
    ip = InteractiveShell.instance(config=config)
    ip.run_line_magic("load_ext", "hfauth_nb")
    try:
        yield ip
    finally:
        from hfauth_nb import watch

        watch.stop(ip)
        ip.run_line_magic("unload_ext", "hfauth_nb")
        InteractiveShell.clear_instance()
        session._saved = None


def shown(value: Any) -> str:
    """Everything a notebook, a debugger or a pickle could get out of `value`."""
    parts = [repr(value), str(value)]
    bundle = getattr(value, "_repr_mimebundle_", None)
    if bundle is not None:
        parts += [str(v) for v in bundle().values()]
    for attr in ("data", "plain", "findings", "outcome"):
        if hasattr(value, attr):
            parts.append(repr(getattr(value, attr)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts.append(repr(dataclasses.asdict(value)))
    if hasattr(value, "__dict__"):
        parts.append(repr(vars(value)))
    try:
        parts.append(repr(pickle.dumps(value)))
        parts.append(pickle.dumps(value).decode("latin-1"))
    except Exception:  # widgets and notices do not pickle; their state is checked on its own
        pass
    return "\n".join(parts)


def test_magic_outputs_objects_and_logs_hold_no_canary(
    scenario: Scenario, everywhere: list[str], shell: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    for line in (
        "status",
        "check",
        f"check {REPO}",
        f"check {REPO} --write",
        f"check {REPO} --json",
        f"check {REPO} --markdown",
        "fix git-credential-stale --dry-run",
        "fix netrc-entry --dry-run",
        "fix netrc-overrides-token --dry-run",
        "fix legacy-env-var --dry-run",
    ):
        seen.append(shown(shell.run_line_magic("hfauth", line)))
    text = "\n".join(seen)
    assert "hf_..." in text
    assert leaks(text, everywhere) == []
    assert leaks(caplog.text, everywhere) == []
    assert leaks("\n".join(r.getMessage() for r in caplog.records), everywhere) == []


def test_an_endpoint_set_with_config_holds_no_canary(
    scenario: Scenario, everywhere: list[str], shell: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    configured = password()
    shell.run_line_magic(
        "config", f'HfAuth.endpoint = "{with_userinfo(scenario.hub.url, "cfg", configured)}"'
    )
    values = [*everywhere, configured]
    text = "\n".join(
        shown(shell.run_line_magic("hfauth", line)) for line in ("status", f"check {REPO} --json")
    )
    assert leaks(text, values) == []
    assert leaks(caplog.text, values) == []


def test_why_and_watch_hold_no_canary(
    scenario: Scenario,
    everywhere: list[str],
    shell: Any,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import IPython.display

    caplog.set_level(logging.DEBUG)
    displayed: list[Any] = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **_: displayed.extend(objs))
    failing = (
        "from huggingface_hub import HfApi\n"
        f"HfApi(endpoint={os.environ['HF_ENDPOINT']!r}).auth_check({REPO!r})"
    )
    shell.run_line_magic("hfauth", "watch on")
    shell.run_cell(failing)  # the library logs its own request (with the URL it was given): not the tool's
    assert displayed, "watch showed no diagnosis"
    caplog.clear()
    why = shell.run_line_magic("hfauth", "why")
    assert why.explained is not None and why.explained.found
    text = "\n".join([shown(why), *(shown(obj) for obj in displayed)])
    assert "hf_..." in text
    assert leaks(text, everywhere) == []
    assert leaks(caplog.text, everywhere) == []


def test_login_logout_and_panel_state_hold_no_canary(
    scenario: Scenario,
    everywhere: list[str],
    shell: Any,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import getpass
    import json

    from hfauth_nb.panel.actions import Settings
    from hfauth_nb.panel.ui import Panel

    caplog.set_level(logging.DEBUG)
    typed = [scenario.token(), canary()]  # the user's own input: a valid token, then one the Hub rejects
    answers = iter(typed)
    monkeypatch.setattr(getpass, "getpass", lambda *_a, **_k: next(answers))
    notices = [shell.run_line_magic("hfauth", "login --prompt") for _ in typed]
    notices.append(shell.run_line_magic("hfauth", "logout"))

    # The panel's token box, with the endpoint's credentials in its settings: messages land in an Output widget
    # whose state a notebook save keeps.
    endpoint = os.environ["HF_ENDPOINT"]
    panel = Panel(Settings(timeout=5.0, endpoint=endpoint))
    states = []
    for value in (scenario.token(), canary()):
        entry: Any = panel.entry
        if entry.kind == "anywidget":
            entry._on_msg(entry.widget, {"event": "token"}, [memoryview(value.encode())])
        else:
            entry._password.value = value
            entry._button.click()
        typed.append(value)
        states.append(json.dumps([w.get_state() for w in _tree(panel.widget)], default=str))
        states.append(json.dumps(panel.messages.outputs, default=str))
    assert "rejected" in states[-1]  # the second token was refused, with the endpoint named
    panel._on_forget(None)
    states.append(json.dumps([w.get_state() for w in _tree(panel.widget)], default=str))
    text = "\n".join([*(shown(n) for n in notices), *states, repr(panel)])
    values = [*everywhere, *typed]
    assert leaks(text, values) == []
    assert leaks(caplog.text, values) == []


def _tree(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _tree(child)


# -- the Python API -------------------------------------------------------------------------------------------


def test_python_api_report_holds_no_canary(
    scenario: Scenario, everywhere: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    import hfauth_nb
    from hfauth_nb.render import markdown

    caplog.set_level(logging.DEBUG)
    scenario._library_as_imported_now()
    report = hfauth_nb.diagnose(REPO, timeout=3)
    parts = [shown(report), str(report.to_dict()), markdown.render(report), repr(report.findings)]
    parts += [shown(f) for f in report.findings]
    parts += [repr(report.sources), repr(report.environment), repr(report.token), repr(report.target)]
    text = "\n".join(parts)
    assert "hf_..." in text
    assert leaks(text, everywhere) == []
    assert leaks(caplog.text, everywhere) == []
