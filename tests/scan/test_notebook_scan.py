"""Canaries planted in generated notebooks (nbformat) and history databases are found where they are;
look-alikes never are."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from hfauth_nb.scan import scan_paths
from hfauth_nb.scan.notebook import leaks_in_notebook
from hfauth_nb.scan.sources import Collected, scan_history_db
from tests.scan.test_tokens import look_alikes, user_token

PNG_PREFIX = "iVBORw0KGgoAAAANSUhEUgAA"


def _write(nb: Any, path: Path) -> Path:
    nbformat.write(nb, str(path))
    return path


def _planted(folder: Path) -> tuple[Path, dict[str, str]]:
    """A notebook with one canary in each place a token can hide."""
    c = {
        name: user_token()
        for name in ("source", "markdown", "stream", "result", "html", "error", "widget", "meta")
    }
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell(f"Notes\n\nmy token: {c['markdown']}"),
        new_code_cell(
            f"import os\nos.environ['HF_TOKEN'] = '{c['source']}'\nprint('done')",
            outputs=[
                new_output("stream", name="stdout", text=f"using\n{c['stream']}\n"),
                new_output("execute_result", data={"text/plain": f"'{c['result']}'"}, execution_count=1),
                new_output(
                    "display_data", data={"text/html": f"<b>{c['html']}</b>", "image/png": PNG_PREFIX}
                ),
                new_output(
                    "error", ename="HTTPError", evalue="401", traceback=["Traceback", f"token={c['error']}"]
                ),
            ],
        ),
    ]
    nb.cells[1].metadata["tags"] = [f"debug {c['meta']}"]
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {"f00d": {"model_name": "PasswordModel", "state": {"value": c["widget"]}}},
            "version_major": 2,
            "version_minor": 0,
        }
    }
    return _write(nb, folder / "analysis.ipynb"), c


def test_every_planted_canary_is_found_with_its_place(tmp_path: Path) -> None:
    path, canaries = _planted(tmp_path)
    leaks = {leak.token: leak.location for leak in leaks_in_notebook(json.loads(path.read_text()), str(path))}
    assert set(leaks) == set(canaries.values())
    where = {name: leaks[token] for name, token in canaries.items()}
    assert (where["markdown"].cell, where["markdown"].line, where["markdown"].where) == (
        1,
        3,
        "cell 1, source",
    )
    assert (where["source"].cell, where["source"].line) == (2, 2)
    assert (where["stream"].where, where["stream"].line) == ("cell 2, output 1 (stream)", 2)
    assert where["result"].where == "cell 2, output 2 (text/plain)"
    assert where["html"].where == "cell 2, output 3 (text/html)"
    assert (where["error"].where, where["error"].line) == ("cell 2, output 4 (error message)", 2)
    assert where["widget"].where == "saved widget state in metadata.widgets (model f00d, key value)"
    assert where["meta"].where.startswith("cell 2, cell metadata tags")


def test_escaped_json_and_split_lines_are_found(tmp_path: Path) -> None:
    escaped, split = user_token(), user_token()
    nb = new_notebook()
    nb.cells = [new_code_cell(f"t = '{escaped}'"), new_code_cell(f"x = '''{split[:18]}\n{split[18:]}'''")]
    path = _write(nb, tmp_path / "escaped.ipynb")
    raw = path.read_text().replace(escaped, "\\u0068\\u0066_" + escaped[3:])
    assert escaped not in raw
    path.write_text(raw)
    leaks = {leak.token: leak.location for leak in leaks_in_notebook(json.loads(raw), str(path))}
    assert leaks[escaped].cell == 1
    assert leaks[split].cell == 2 and leaks[split].how == "split across two lines"


def test_double_escaped_json_inside_an_output_is_found(tmp_path: Path) -> None:
    token = user_token()
    payload = json.dumps({"token": "\\u0068f_" + token[3:]})  # a JSON document printed by a cell
    nb = new_notebook()
    nb.cells = [new_code_cell("print(cfg)", outputs=[new_output("stream", name="stdout", text=payload)])]
    path = _write(nb, tmp_path / "double.ipynb")
    (leak,) = leaks_in_notebook(json.loads(path.read_text()), str(path))
    assert leak.token == token and "escapes" in leak.location.how


def test_binary_outputs_and_look_alikes_give_nothing(tmp_path: Path) -> None:
    token_like = user_token()
    nb = new_notebook()
    nb.cells = [
        new_code_cell(
            "\n".join(look_alikes()),
            outputs=[
                new_output("display_data", data={"image/png": PNG_PREFIX + "/" + token_like + "/AAAA"}),
                new_output("stream", name="stdout", text="\n".join(look_alikes())),
            ],
        )
    ]
    nb.cells[0].attachments = {"plot.png": {"image/png": "+" + token_like + "+"}}
    path = _write(nb, tmp_path / "clean.ipynb")
    assert leaks_in_notebook(json.loads(path.read_text()), str(path)) == []


_PARTS = ("source", "stream", "text/plain", "text/markdown", "widget")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.integers(1, 6),
    data=st.data(),
)
def test_a_canary_anywhere_is_found_exactly_there(tmp_path: Path, cells: int, data: st.DataObject) -> None:
    token = user_token()
    target_cell = data.draw(st.integers(0, cells - 1))
    part = data.draw(st.sampled_from(_PARTS))
    line = data.draw(st.integers(0, 4))
    filler = [f"# line {i} of hf_hub_download and hf_token_path" for i in range(5)]
    planted = [*filler[:line], f"value = '{token}'", *filler[line:]]
    nb = new_notebook()
    for index in range(cells):
        source = "\n".join(planted if index == target_cell and part == "source" else filler)
        outputs = []
        if index == target_cell and part == "stream":
            outputs.append(new_output("stream", name="stdout", text="\n".join(planted) + "\n"))
        if index == target_cell and part in ("text/plain", "text/markdown"):
            outputs.append(new_output("display_data", data={part: "\n".join(planted)}))
        nb.cells.append(new_code_cell(source, outputs=outputs))
    if part == "widget":
        nb.metadata["widgets"] = {
            "application/vnd.jupyter.widget-state+json": {"state": {"m1": {"state": {"value": token}}}}
        }
    path = _write(nb, tmp_path / f"random-{os.getpid()}.ipynb")
    (leak,) = leaks_in_notebook(json.loads(path.read_text()), str(path))
    assert leak.token == token
    if part == "widget":
        assert leak.location.cell is None and "widget state" in leak.location.where
    else:
        assert leak.location.cell == target_cell + 1 and leak.location.line == line + 1


def test_checkpoint_copy_is_scanned_with_the_notebook(tmp_path: Path) -> None:
    token = user_token()
    nb = new_notebook()
    nb.cells = [new_code_cell("x = 1")]
    path = _write(nb, tmp_path / "work.ipynb")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    nb.cells = [new_code_cell(f"x = '{token}'")]
    checkpoint = _write(nb, tmp_path / ".ipynb_checkpoints" / "work-checkpoint.ipynb")
    result = scan_paths([path])
    (finding,) = result.findings
    assert finding.evidence["locations"] == [f"{checkpoint}, cell 1, source, line 1"]
    assert any("rm -f" in step and "work-checkpoint.ipynb" in step for step in finding.fix)


# -- IPython history ---------------------------------------------------------------------------------


def _history_db(path: Path, rows: list[tuple[int, int, str]], outputs: list[tuple[int, int, str]]) -> Path:
    """A database with IPython's schema (HistoryManager.init_db)."""
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE sessions (session integer primary key autoincrement, start timestamp, "
        "end timestamp, num_cmds integer, remark text)"
    )
    db.execute(
        "CREATE TABLE history (session integer, line integer, source text, source_raw text, "
        "PRIMARY KEY (session, line))"
    )
    db.execute(
        "CREATE TABLE output_history (session integer, line integer, output text, PRIMARY KEY (session, line))"
    )
    db.executemany("INSERT INTO history VALUES (?, ?, ?, ?)", [(s, n, t, t) for s, n, t in rows])
    db.executemany("INSERT INTO output_history VALUES (?, ?, ?)", outputs)
    db.commit()
    db.close()
    return path


def test_history_database_inputs_and_outputs(tmp_path: Path) -> None:
    typed, shown = user_token(), user_token()
    path = _history_db(
        tmp_path / "history.sqlite",
        [(1, 1, "import os"), (3, 7, f"from huggingface_hub import login\nlogin('{typed}')")],
        [(3, 9, f"'{shown}'")],
    )
    before = path.read_bytes()
    found = Collected()
    scan_history_db(path, found)
    places = {leak.token: leak.location for leak in found.leaks}
    assert places[typed].where == "history session 3, input 7" and places[typed].line == 2
    assert places[typed].history == (3, 7)
    assert places[shown].where == "history session 3, output 9"
    assert path.read_bytes() == before  # opened read-only
    result = scan_paths([path])
    steps = "\n".join(step for finding in result.findings for step in finding.fix)
    assert "DELETE FROM history WHERE session=3 AND line=7;" in steps


def test_a_sqlite_database_that_is_not_a_history_is_skipped(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "other.db")
    db.execute("CREATE TABLE t (x text)")
    db.execute("INSERT INTO t VALUES (?)", (user_token(),))
    db.commit()
    db.close()
    found = Collected()
    scan_history_db(tmp_path / "other.db", found)
    assert found.leaks == [] and "not an IPython history" in found.skipped[0]


@pytest.mark.parametrize("name", ["notes.md", "train.py", "config.json"])
def test_plain_files_report_the_line(tmp_path: Path, name: str) -> None:
    token = user_token()
    path = tmp_path / name
    path.write_text(f"first\nsecond {token}\n")
    (finding,) = scan_paths([tmp_path]).findings
    assert finding.evidence["locations"] == [f"{path}, line 2"]
    assert any(step.startswith(f"Remove it from {path} (line 2)") for step in finding.fix)
