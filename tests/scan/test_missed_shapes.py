"""Shapes the scanner used to miss (issue 15, issue 11) and names it must not report, plus real tracebacks
stored by this stack's IPython (7 on colab, 8 on requests-era, 9 on newest) through nbclient."""

from __future__ import annotations

import base64
import json
import os
import random
import string
import subprocess
import sys
from pathlib import Path

import IPython
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from hfauth_nb.scan import scan_paths
from hfauth_nb.scan.identifier import looks_like_identifier, misread_probability
from hfauth_nb.scan.tokens import find_tokens
from tests.scan.test_tokens import user_token

GUARD_S = 90


def _found(text: str) -> list[str]:
    return [hit.token for hit in find_tokens(text)]


# -- shapes -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "\x1b[0;32m{t}\x1b[0m",  # after an ANSI colour code (IPython's coloured tracebacks)
        '\x1b[38;5;124m"\x1b[39m\x1b[38;5;124m{t}\x1b[39m',  # pygments-highlighted source in a traceback
        "{{'a': 'first\\n{t}'}}",  # after an escaped newline inside a repr
        "{{'a': 'col\\t{t}'}}",  # after an escaped tab
        '"x\\u0022{t}\\u0022"',  # after an escaped quote in JSON
        "TOKEN{t}",  # glued to letters
        "2024{t}",  # glued to digits
        "MY_TOKEN_{t}",  # glued to an underscore
        "{t}_backup",  # followed by an underscore
        "{t}2",  # followed by a digit
    ],
)
def test_token_glued_or_after_an_escape_is_found(template: str) -> None:
    token = user_token()
    assert _found(template.format(t=token)) == [token]


def test_token_after_a_long_base64_like_run_is_found() -> None:
    token = user_token()
    run = base64.b64encode(os.urandom(300)).decode().rstrip("=")
    assert _found(f'key = "{run}{token}"') == [token]
    assert _found(f"{'-' * 200}{token}\n") == [token]
    # Inside a blob (blob characters on both sides) it is still noise.
    assert _found(f"{run}+{token}+{run}") == []


IDENTIFIERS = [
    "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",
    "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",
    "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",
    "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",
    "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",
    "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",
    "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",
    "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",
]


@pytest.mark.parametrize("name", IDENTIFIERS)
def test_camel_case_identifiers_are_not_tokens(name: str) -> None:
    assert len(name.rsplit("_", 1)[-1]) == 34
    assert _found(f"def {name}(): ...\nx = {name}\n") == []


def test_the_identifier_rule_misreads_about_one_real_token_in_five_million() -> None:
    """Exact, over the rule's own automaton: 34 uniformly random letters pass as a name with p = 2.13e-7."""
    p = misread_probability()
    assert 2.0e-7 < float(p) < 2.3e-7, float(p)
    # And a seeded sample of random bodies agrees (a sample this size expects 0.004 misreads).
    rng = random.Random(15)
    bodies = ["".join(rng.choice(string.ascii_letters) for _ in range(34)) for _ in range(20_000)]
    assert sum(looks_like_identifier(b) for b in bodies) == 0


# -- files --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_are_read(tmp_path: Path, encoding: str) -> None:
    token = user_token()
    path = tmp_path / "notes.txt"
    path.write_bytes(f"HF_TOKEN={token}\r\n".encode(encoding))
    result = scan_paths([path])
    assert [f.evidence["masked"] for f in result.findings] == [f"hf_...{token[-4:]}"]


@pytest.mark.parametrize("escape", ["\\n", "\\t", "\\u0022", "\\r\\n"])
def test_json_strings_are_decoded_once(tmp_path: Path, escape: str) -> None:
    """Issue 11: the file holds `"...\\\\nhf_..."`; JSON decodes it to a backslash-n glued to the token."""
    token = user_token()
    for name in ("escaped.ipynb", "escaped.json"):
        nb = new_notebook()
        nb.cells = [new_code_cell("print(x)", outputs=[new_output("stream", name="stdout", text="ok")])]
        raw = json.dumps(nb).replace('"ok"', json.dumps(f"value{escape}{token}"))
        (tmp_path / name).write_text(raw)
        assert escape.replace("\\", "\\\\") in raw  # the file holds the escape escaped: \\n, \\t, \\u0022
        result = scan_paths([tmp_path / name])
        assert [f.evidence["masked"] for f in result.findings] == [f"hf_...{token[-4:]}"], name


def _deep_notebook(path: Path, depth: int, token: str) -> None:
    nb = new_notebook()
    nb.metadata["deep"] = "DEEP"
    nested = "[" * depth + json.dumps(token) + "]" * depth  # json.dumps itself would recurse too deep
    path.write_text(json.dumps(nb).replace('"DEEP"', nested))


def test_a_deeply_nested_notebook_does_not_hide_other_leaks(tmp_path: Path) -> None:
    deep, other = user_token(), user_token()
    _deep_notebook(tmp_path / "deep.ipynb", 1000, deep)
    (tmp_path / "other.py").write_text(f"TOKEN = '{other}'\n")
    proc = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", "scan", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        timeout=GUARD_S,
        env=os.environ.copy(),
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert {f["evidence"]["masked"] for f in data["findings"]} == {
        f"hf_...{deep[-4:]}",
        f"hf_...{other[-4:]}",
    }
    assert deep not in proc.stdout and other not in proc.stdout


def _special_tree(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "project"
    folder.mkdir()
    os.mkfifo(folder / "pipe.ipynb")
    (folder / "zero.txt").symlink_to("/dev/zero")
    token = user_token()
    (folder / "real.py").write_text(f"t = '{token}'\n")
    return folder, token


def test_fifos_and_devices_under_a_scanned_folder_do_not_hang_the_cli(tmp_path: Path) -> None:
    folder, token = _special_tree(tmp_path)
    for args in (
        [str(folder)],
        [str(folder / "pipe.ipynb"), str(folder / "zero.txt"), str(folder / "real.py")],
    ):
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "hfauth_nb", "scan", *args],
                capture_output=True,
                text=True,
                timeout=GUARD_S,
                env=os.environ.copy(),
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            pytest.fail("hfauth scan hung on a FIFO or /dev/zero")
        assert proc.returncode == 1, proc.stderr
        assert f"hf_...{token[-4:]}" in proc.stdout
        assert "pipe.ipynb (not scanned: it is a named pipe (FIFO), not a file)" in proc.stdout
        assert "zero.txt (not scanned: it is a character device, not a file)" in proc.stdout


def test_fifos_under_a_scanned_folder_do_not_hang_the_magic(tmp_path: Path) -> None:
    import threading

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    folder, _token = _special_tree(tmp_path)
    config = Config()
    config.HistoryManager.enabled = False
    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance(config=config)
    box: dict[str, object] = {}
    try:
        shell.run_line_magic("load_ext", "hfauth_nb")
        thread = threading.Thread(
            target=lambda: box.setdefault("r", shell.run_line_magic("hfauth", f"scan {folder}")), daemon=True
        )
        thread.start()
        thread.join(GUARD_S)
        assert not thread.is_alive(), "%hfauth scan hung on a FIFO"
        result = box["r"]
        assert result.found and any("named pipe" in s for s in result.skipped)  # type: ignore[attr-defined]
    finally:
        shell.run_line_magic("unload_ext", "hfauth_nb")
        InteractiveShell.clear_instance()


# -- real tracebacks stored by this stack's IPython ---------------------------------------------------


def test_a_real_stored_traceback_is_scanned(tmp_path: Path) -> None:
    """nbclient runs a cell that fails with the canary in its source line only; IPython stores the coloured
    traceback (from IPython 8 pygments highlights the string, so an ANSI code sits right before the token)."""
    from nbclient import NotebookClient

    token = user_token()
    nb = new_notebook()
    nb.cells = [new_code_cell(f'raise ValueError("{token}"[:0] + "boom")')]
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    (error,) = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    traceback = "\n".join(error.traceback)
    assert "\x1b[" in traceback and token in traceback  # IPython stored it coloured, with the canary
    assert token not in error.evalue  # only the coloured source line in the traceback holds it
    # The cell's source holds the token plainly: keep only what IPython stored in the output.
    nb.cells[0].source = "raise ValueError(x)"
    path = tmp_path / f"ipython{IPython.version_info[0]}.ipynb"
    nbformat.write(nb, str(path))
    result = scan_paths([path])
    (finding,) = result.findings
    assert finding.evidence["masked"] == f"hf_...{token[-4:]}"
    assert any("output 1 (error message)" in place for place in finding.evidence["locations"])
