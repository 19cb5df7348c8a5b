"""`hfauth scan` in a subprocess with a temporary HOME, and `%hfauth scan` in a real InteractiveShell."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from hfauth_nb.scan.result import ScanResult
from tests.fixes.harness import Stage, random_token


def _notebook(path: Path, source: str, output: str = "") -> Path:
    nb = new_notebook()
    outputs = [new_output("stream", name="stdout", text=output)] if output else []
    nb.cells = [new_code_cell("import os"), new_code_cell(source, outputs=outputs)]
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def test_cli_finds_a_leak_and_exits_1(hub_stage: Stage, project: Path) -> None:
    token = hub_stage.secret(random_token())
    _notebook(project / "nb.ipynb", "x = 1", output=f"token: {token}\n")
    result = hub_stage.cli("scan", str(project))
    assert result.code == 1
    assert result.out.startswith("ERROR: 1 Hugging Face token found: revoke it.")
    assert f"hf_...{token[-4:]}" in result.out and "cell 2, output 1 (stream), line 1" in result.out
    assert "this machine: no" in result.out
    assert f"{hub_stage.hub.url}/settings/tokens" in result.out


def test_cli_json_is_one_object_and_says_when_it_is_this_machines_token(
    hub_stage: Stage, project: Path
) -> None:
    token = hub_stage.token()
    hub_stage.env("HF_TOKEN", token)
    _notebook(project / "nb.ipynb", f"HF_TOKEN = '{token}'")
    result = hub_stage.cli("scan", str(project / "nb.ipynb"), "--json")
    assert result.code == 1
    data = json.loads(result.out)
    (finding,) = data["findings"]
    assert finding["id"] == "token-leaked" and finding["severity"] == "error"
    assert finding["evidence"]["this machine"] == ["HF_TOKEN"]
    assert "this machine's token (HF_TOKEN)" in finding["title"]
    assert data["verdict"].startswith("1 Hugging Face token found (this machine's token)")


def test_cli_clean_look_alikes_exit_0(hub_stage: Stage, project: Path) -> None:
    from tests.scan.test_tokens import look_alikes

    _notebook(project / "clean.ipynb", "\n".join(look_alikes()), output="hf_hub_download done\n")
    (project / "notes.txt").write_text("\n".join(look_alikes()))
    result = hub_stage.cli("scan", str(project))
    assert result.code == 0, result.out
    assert result.out.startswith("OK: No Hugging Face token found in the 2 places scanned.")


def test_cli_skips_credential_stores_and_reads_history_by_default(
    hub_stage: Stage, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.scan.test_notebook_scan import _history_db

    stored, typed = hub_stage.token(), hub_stage.secret(random_token())
    hub_stage.token_file(stored)
    ipython = hub_stage.home / "ipython"
    (ipython / "profile_default").mkdir(parents=True)
    _history_db(ipython / "profile_default" / "history.sqlite", [(2, 4, f"login('{typed}')")], [])
    monkeypatch.setenv("IPYTHONDIR", str(ipython))
    monkeypatch.chdir(hub_stage.home)
    result = hub_stage.cli("scan")
    assert result.code == 1
    assert "history session 2, input 4" in result.out
    assert "a credential store: it is meant to hold a token" in result.out
    assert f"hf_...{stored[-4:]}" not in result.out


def test_cli_missing_path_is_a_usage_error(hub_stage: Stage, project: Path) -> None:
    result = hub_stage.cli("scan", str(project / "nope.ipynb"))
    assert result.code == 2 and "no such file or directory" in result.err


# -- magic -------------------------------------------------------------------------------------------


def test_magic_scans_the_current_notebook_and_in_out(hub_stage: Stage, project: Path) -> None:
    in_file, typed = hub_stage.secret(random_token()), hub_stage.secret(random_token())
    notebook = _notebook(project / "current.ipynb", f"tok = '{in_file}'")
    with hub_stage.shell() as shell:
        shell.user_ns["__vsc_ipynb_file__"] = str(notebook)
        shell.run_cell(f"secret = '{typed}'\nsecret", store_history=True)
        result = shell.run_line_magic("hfauth", "scan")
        assert isinstance(result, ScanResult) and result.found
        places = {f.evidence["masked"]: f.evidence["locations"] for f in result.findings}
        assert places[f"hf_...{in_file[-4:]}"] == [f"{notebook}, cell 2, source, line 1"]
        assert set(places[f"hf_...{typed[-4:]}"]) == {
            "this kernel's In[1], line 1",
            "this kernel's Out[1], line 1",
        }
        bundle = result._repr_mimebundle_()
        hub_stage.assert_no_secret(json.dumps(result.to_dict()) + bundle["text/plain"] + bundle["text/html"])
        assert "%reset -f in out" in bundle["text/plain"]


def test_magic_finds_the_notebook_from_jpy_session_name(
    hub_stage: Stage, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = hub_stage.secret(random_token())
    notebook = _notebook(project / "served.ipynb", f"tok = '{token}'")
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))
    with hub_stage.shell() as shell:
        result = shell.run_line_magic("hfauth", "scan")
        (finding,) = result.findings
        assert finding.evidence["locations"] == [f"{notebook}, cell 2, source, line 1"]


def test_magic_scan_of_a_path_and_a_clean_kernel(hub_stage: Stage, project: Path) -> None:
    _notebook(project / "clean.ipynb", "x = 1")
    with hub_stage.shell() as shell:
        result = shell.run_line_magic("hfauth", f"scan {project}")
        assert not result.found and str(result).startswith("OK: No Hugging Face token found")
        result = shell.run_line_magic("hfauth", "scan")
        assert not result.found
        assert any("cannot tell which file" in s for s in result.skipped)


def test_magic_scan_reads_the_kernels_history_database(
    hub_stage: Stage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from traitlets.config import Config

    token = hub_stage.secret(random_token())
    ipython = hub_stage.home / "ipython-dir"
    monkeypatch.setenv("IPYTHONDIR", str(ipython))
    config = Config()
    config.HistoryManager.enabled = True
    with hub_stage.shell(config) as shell:
        try:
            shell.run_cell(f"value = '{token}'", store_history=True)
            result = shell.run_line_magic("hfauth", "scan")
            (finding,) = result.findings
            database = ipython / "profile_default" / "history.sqlite"
            assert Path(shell.history_manager.hist_file) == database
            locations = finding.evidence["locations"]
            assert "this kernel's In[1], line 1" in locations
            session = shell.history_manager.session_number
            assert f"{database}, history session {session}, input 1, line 1" in locations
            assert any(f"DELETE FROM history WHERE session={session} AND line=1;" in s for s in finding.fix)
        finally:
            shell.history_manager.end_session()
            shell.history_manager.save_thread.stop()
