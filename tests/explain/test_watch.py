"""`watch`: diagnoses a cell that failed with a Hub auth error; inert for every other cell."""

from __future__ import annotations

import re

import pytest
from IPython.core.interactiveshell import InteractiveShell

from hfauth_nb import watch
from hfauth_nb.testing import FakeHub


@pytest.fixture()
def shell(bare_shell: InteractiveShell) -> InteractiveShell:
    return bare_shell


@pytest.fixture()
def hub(gated_hub: FakeHub) -> FakeHub:
    return gated_hub


_REQUEST_IDS = re.compile(
    r"(Request ID: |request_id=|X-Request-Id: )[\w=-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f-]{27}"
)


def _run(shell: InteractiveShell, code: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """The cell's output, with the per-request ids the Hub assigns blanked (they differ on every call)."""
    shell.run_cell(code)
    captured = capsys.readouterr()
    return _REQUEST_IDS.sub("<id>", captured.out), _REQUEST_IDS.sub("<id>", captured.err)


CELLS = {
    "success": "x = 1 + 1\nprint('fine', x)",
    "non-hub failure": "1 / 0",
    "os error": "open('/nonexistent/file')",
}


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_watch_is_inert_for_other_cells(
    shell: InteractiveShell, hub: FakeHub, capsys: pytest.CaptureFixture[str], cell: str
) -> None:
    without = _run(shell, CELLS[cell], capsys)
    watch.start(shell, lambda: 5.0)
    hub.clear_requests()
    with_watch = _run(shell, CELLS[cell], capsys)
    assert with_watch == without  # same output, same traceback
    assert hub.requests == []  # and no diagnosis was attempted


def test_watch_diagnoses_a_gated_failure_below_the_traceback(
    shell: InteractiveShell, hub: FakeHub, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    code = (
        "from huggingface_hub import hf_hub_download\n"
        f"hf_hub_download('meta-llama/Gated', 'config.json', endpoint={hub.url!r}, cache_dir={str(tmp_path)!r})"
    )
    out_without, err_without = _run(shell, code, capsys)
    assert watch.start(shell, lambda: 5.0) is True
    assert watch.start(shell, lambda: 5.0) is False  # registered once
    out_with, err_with = _run(shell, code, capsys)
    assert "GatedRepoError" in out_without + err_without
    assert (out_with + err_with).startswith(out_without + err_without)  # the traceback comes first, unchanged
    extra = (out_with + err_with)[len(out_without + err_without) :]
    assert "gated-not-requested" in extra
    assert watch.stop(shell) is True and watch.stop(shell) is False
    assert _run(shell, code, capsys) == (out_without, err_without)  # off again: nothing added
