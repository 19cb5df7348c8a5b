"""`%hfauth why`, `%hfauth watch on|off` and `autoload` through a real InteractiveShell (and the CLI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
from IPython.core.interactiveshell import InteractiveShell

from hfauth_nb.testing import FakeHub


@pytest.fixture()
def shell(bare_shell: InteractiveShell) -> Iterator[InteractiveShell]:
    bare_shell.run_line_magic("load_ext", "hfauth_nb")
    yield bare_shell
    bare_shell.run_line_magic("unload_ext", "hfauth_nb")


@pytest.fixture()
def hub(gated_hub: FakeHub) -> FakeHub:
    return gated_hub


def _fail_download(shell: InteractiveShell, hub: FakeHub, tmp_path: Path) -> None:
    shell.run_cell(
        "from huggingface_hub import hf_hub_download\n"
        f"hf_hub_download('meta-llama/Gated', 'config.json', endpoint={hub.url!r}, cache_dir={str(tmp_path)!r})"
    )


def test_why_checks_the_repo_of_the_last_failure(
    shell: InteractiveShell, hub: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fail_download(shell, hub, tmp_path)
    capsys.readouterr()
    report = shell.run_line_magic("hfauth", "why")
    assert report.target.repo_id == "meta-llama/Gated"
    assert report.ids[0] == "gated-not-requested"
    data = shell.run_line_magic("hfauth", "why --json").data
    assert data["environment"]["explained"]["exception"] == "GatedRepoError"


def test_why_verbose_shows_every_finding_with_its_evidence(
    shell: InteractiveShell, hub: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`%hfauth why -v`, as `check -v`: the same report, every finding with its evidence (not only the checklist)."""
    from hfauth_nb.render import text

    _fail_download(shell, hub, tmp_path)
    view = shell.run_line_magic("hfauth", "why -v")
    plain = view._repr_mimebundle_()["text/plain"]
    assert plain == text.render(view.report, verbose=True) != text.render(view.report)
    assert view.report.ids[0] == "gated-not-requested" and "gated-not-requested" in plain


def test_why_without_a_hub_request_says_so(
    shell: InteractiveShell, hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    shell.run_cell("1 / 0")
    capsys.readouterr()
    report = shell.run_line_magic("hfauth", "why")
    assert report.target.repo_id is None
    assert "holds no Hugging Face Hub request" in capsys.readouterr().out


def test_why_on_a_repo_id_the_library_refused_names_it_without_the_no_request_line(
    shell: InteractiveShell, hub: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shell.run_cell(
        "from huggingface_hub import hf_hub_download\n"
        f"hf_hub_download('/content/my_model', 'config.json', endpoint={hub.url!r}, cache_dir={str(tmp_path)!r})"
    )
    capsys.readouterr()
    report = shell.run_line_magic("hfauth", "why")
    assert any("/content/my_model" in f.title for f in report.findings), report.ids
    assert "holds no Hugging Face Hub request" not in capsys.readouterr().out


def test_why_on_a_failed_inference_call_names_the_service_without_the_no_request_line(
    shell: InteractiveShell, hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An InferenceClient 403 holds no repo request, but the report names the call: no "no request" line."""
    from huggingface_hub import constants

    from hfauth_nb.testing.router import route_inference_to

    hub.add_repo("alice/llm", files={"config.json": "{}"})
    hub.serve_model("alice/llm", "hf-inference", "conversational")
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setattr(constants, "ENDPOINT", hub.url)
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="fineGrained"))
    with route_inference_to(hub.url):
        shell.run_cell(
            "from huggingface_hub import InferenceClient\n"
            "InferenceClient().chat_completion([{'role': 'user', 'content': 'hi'}], model='alice/llm', max_tokens=1)"
        )
        capsys.readouterr()
        report = shell.run_line_magic("hfauth", "why")
    assert report.ids[0] == "inference-permission-missing"
    assert "holds no Hugging Face Hub request" not in capsys.readouterr().out


def test_watch_on_off_and_unload(
    shell: InteractiveShell, hub: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shell.run_line_magic("hfauth", "watch on")
    assert "watch: on" in capsys.readouterr().out
    _fail_download(shell, hub, tmp_path)
    assert "gated-not-requested" in capsys.readouterr().out
    shell.run_line_magic("hfauth", "watch off")
    _fail_download(shell, hub, tmp_path)
    assert "gated-not-requested" not in capsys.readouterr().out
    shell.run_line_magic("hfauth", "watch on")
    shell.run_line_magic("unload_ext", "hfauth_nb")  # unloading removes the callback too
    _fail_download(shell, hub, tmp_path)
    assert "gated-not-requested" not in capsys.readouterr().out
    shell.run_line_magic("load_ext", "hfauth_nb")


def test_autoload_prints_and_edits_nothing(
    isolated_home: Path, shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p for p in isolated_home.rglob("*"))
    proc = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", "autoload"], capture_output=True, text=True, env=os.environ.copy()
    )
    assert proc.returncode == 0
    assert 'c.InteractiveShellApp.extensions.append("hfauth_nb")' in proc.stdout
    assert "%load_ext hfauth_nb" in proc.stdout and "does not exist yet" in proc.stdout
    shell.run_line_magic("hfauth", "autoload")
    assert "profile_default" in capsys.readouterr().out
    assert sorted(p for p in isolated_home.rglob("*")) == before
