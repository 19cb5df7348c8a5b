"""A canary in every source never appears unmasked in anything the tool prints, renders or returns."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys

import pytest

from tests.scenarios.conftest import Scenario


def canary() -> str:
    return "hf_" + "".join(secrets.choice(string.ascii_letters) for _ in range(34))


@pytest.fixture()
def everywhere(scenario: Scenario) -> list[str]:
    """Distinct canaries in the env vars, token file, stored tokens, netrc, git, a misnamed variable, a proxy URL."""
    env_token = scenario.token(role="write")
    legacy = scenario.token()
    file_token = scenario.token(role="fineGrained", can_read_gated=False)
    stored_only = canary()
    git_token = scenario.token()
    scenario.hub.revoke(git_token)
    misnamed = canary()
    netrc_password = canary()
    proxy_password = "proxy" + canary()[3:]
    scenario.env("HF_TOKEN", env_token)
    scenario.env("HUGGING_FACE_HUB_TOKEN", legacy)
    scenario.env("HUGGINGFACEHUB_API_TOKEN", misnamed)
    scenario.env("HTTPS_PROXY", f"http://user:{proxy_password}@127.0.0.1:9")
    scenario.token_file(file_token)
    (scenario.token_path.parent / "stored_tokens").write_text(
        f"[laptop]\nhf_token = {file_token}\n\n[old]\nhf_token = {stored_only}\n"
    )
    scenario.netrc(f"machine 127.0.0.1 login nuser password {netrc_password}\n")
    scenario.git_store(git_token)
    scenario.hub.add_repo("meta-llama/Meta-Llama-3-8B", gated="manual")
    values = [env_token, legacy, file_token, stored_only, git_token, misnamed, netrc_password, proxy_password]
    scenario.secrets.extend(values)
    return values


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["check"],
        ["check", "meta-llama/Meta-Llama-3-8B"],
        ["check", "meta-llama/Meta-Llama-3-8B", "--json"],
        ["check", "meta-llama/Meta-Llama-3-8B", "--markdown"],
        ["check", "meta-llama/Meta-Llama-3-8B", "--write", "--debug"],
        ["--json", "status"],
    ],
)
def test_cli_outputs_hold_no_canary(scenario: Scenario, everywhere: list[str], args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    output = proc.stdout + proc.stderr
    assert "hf_..." in output  # tokens were shown, masked
    for value in everywhere:
        assert value not in output


def test_magic_outputs_hold_no_canary(scenario: Scenario, everywhere: list[str]) -> None:
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    scenario._library_as_imported_now()
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    try:
        shell.run_line_magic("load_ext", "hfauth_nb")
        shown: list[str] = []
        for line in (
            "status",
            "check meta-llama/Meta-Llama-3-8B",
            "check meta-llama/Meta-Llama-3-8B --write",
        ):
            report = shell.run_line_magic("hfauth", line)
            bundle = report._repr_mimebundle_()
            shown += [
                bundle["text/plain"],
                bundle["text/html"],
                str(bundle["application/json"]),
                repr(report),
            ]
        for flag in ("--json", "--markdown"):
            rendered = shell.run_line_magic("hfauth", f"check meta-llama/Meta-Llama-3-8B {flag}")
            shown += [str(rendered.data), rendered.plain]
        text = "\n".join(shown)
        assert "hf_..." in text
        for value in everywhere:
            assert value not in text
    finally:
        shell.run_line_magic("unload_ext", "hfauth_nb")
        InteractiveShell.clear_instance()


def test_python_api_report_holds_no_canary(scenario: Scenario, everywhere: list[str]) -> None:
    import hfauth_nb

    scenario._library_as_imported_now()
    report = hfauth_nb.diagnose("meta-llama/Meta-Llama-3-8B", timeout=3)
    text = "\n".join(
        [str(report), repr(report), str(report.to_dict()), report._repr_mimebundle_()["text/html"]]
    )
    for value in everywhere:
        assert value not in text
