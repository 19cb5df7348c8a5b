"""Static extraction over a real notebook and a real script: every Hub repo found, nothing invented.

The fixtures under data/ are plain nbformat JSON and Python files with magics, shell lines, constants,
f-strings, a PEFT adapter, trainer pushes, local paths, builder names and a cell that does not parse. Each
test states the exact set it expects, so a missed call or an invented target fails it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hfauth_nb.targets import Extraction, Target, extract_path, extract_paths, extract_text

DATA = Path(__file__).parent / "data"
NOTEBOOK = DATA / "finetune.ipynb"
SCRIPT = DATA / "train_script.py"

Row = tuple[str, str, "str | None", bool, tuple[tuple["int | None", int, str], ...]]


def rows(extraction: Extraction) -> set[Row]:
    return {
        (t.repo_id, t.repo_type, t.revision, t.write, tuple((s.cell, s.line, s.call) for s in t.sources))
        for t in extraction.targets
    }


def unresolved(extraction: Extraction) -> set[tuple[int | None, int, str]]:
    return {(u.cell, u.line, u.code) for u in extraction.unresolved}


NOTEBOOK_TARGETS: set[Row] = {
    # cell 3: a shell line
    ("acme-lab/eval-prompts", "dataset", None, False, ((3, 10, "!huggingface-cli download"),)),
    # cell 4: constants and an f-string; the same repo with and without a revision is two checks
    ("meta-llama/Llama-3.2-1B", "model", None, False, ((4, 1, "AutoTokenizer.from_pretrained"),)),
    ("meta-llama/Llama-3.2-1B", "model", "main", False, ((4, 2, "AutoModelForCausalLM.from_pretrained"),)),
    ("acme-lab/llama-lora", "model", None, False, ((4, 6, "PeftModel.from_pretrained"),)),
    # cell 5: after a `!ls \` continuation line; csv/imagefolder builders and ./local_notes are not repos
    ("acme-lab/support-tickets", "dataset", None, False, ((5, 3, "load_dataset"),)),
    ("wikimedia/wikipedia", "dataset", "refs/convert/parquet", False, ((5, 7, "load_dataset"),)),
    # cell 7: huggingface_hub, HfApi methods, write intent merged across two calls
    ("acme-lab/configs", "dataset", None, False, ((7, 1, "hf_hub_download"),)),
    ("stabilityai/stable-diffusion-xl-base-1.0", "model", "fp16", False, ((7, 2, "snapshot_download"),)),
    ("google/gemma-2-2b", "model", None, False, ((7, 4, "api.model_info"),)),
    (
        "acme-lab/llama-lora-v2",
        "model",
        None,
        True,
        ((7, 5, "api.create_repo"), (7, 6, "api.upload_folder")),
    ),
    # cell 8: a `%time` line magic; pipeline(model=<loaded model>) adds nothing
    ("distilbert-base-uncased-finetuned-sst-2-english", "model", None, False, ((8, 1, "pipeline"),)),
    # cell 9: TrainingArguments(hub_model_id=..., push_to_hub=True) makes the Trainer write that repo
    ("acme-lab/llama-lora-ft", "model", None, True, ((9, 6, "Trainer"), (9, 8, "trainer.push_to_hub"))),
    ("acme-lab/llama-lora", "model", None, True, ((9, 9, "model.push_to_hub"),)),
    # cell 12: sentence-transformers' organisation prefix, InferenceClient, timm hf-hub:, diffusers
    ("sentence-transformers/all-MiniLM-L6-v2", "model", None, False, ((12, 5, "SentenceTransformer"),)),
    ("HuggingFaceH4/zephyr-7b-beta", "model", None, False, ((12, 6, "InferenceClient"),)),
    ("timm/vit_base_patch16_224.augreg_in21k", "model", None, False, ((12, 7, "timm.create_model"),)),
    (
        "stabilityai/stable-diffusion-xl-base-1.0",
        "model",
        None,
        False,
        ((12, 9, "DiffusionPipeline.from_pretrained"),),
    ),
    ("acme-lab/sdxl-style-lora", "model", None, False, ((12, 10, "pipe.load_lora_weights"),)),
    # cell 15: inside the branch the new value is known
    ("meta-llama/Llama-3.1-70B", "model", None, False, ((15, 3, "AutoTokenizer.from_pretrained"),)),
}

NOTEBOOK_UNRESOLVED = {
    (10, 2, "AutoModelForCausalLM.from_pretrained(model_id)"),
    (10, 5, "AutoTokenizer.from_pretrained(name)"),
    (10, 10, "AutoModelForCausalLM.from_pretrained(pick_model())"),
    (10, 12, "AutoModelForCausalLM.from_pretrained(eval_id)"),
    (11, 1, "model.generate(**inputs"),
    (12, 8, 'timm.create_model("resnet50", pretrained=True)'),
    (15, 4, "AutoModelForCausalLM.from_pretrained(BASE)"),
}


def test_notebook_targets_are_exactly_the_hub_calls() -> None:
    found = extract_path(NOTEBOOK)
    assert rows(found) == NOTEBOOK_TARGETS
    assert len(found.targets) == len(NOTEBOOK_TARGETS)  # deduplicated: no key twice
    assert all(t.via is None and all(s.file == str(NOTEBOOK) for s in t.sources) for t in found.targets)
    calls = sum(len(t.sources) for t in found.targets) + len(found.unresolved) - 1  # minus the parse error
    assert calls >= 15


def test_notebook_unresolved_rows_name_cell_line_and_why() -> None:
    found = extract_path(NOTEBOOK)
    assert unresolved(found) == NOTEBOOK_UNRESOLVED
    reasons = {(u.cell, u.line): u.reason for u in found.unresolved}
    assert "function parameter" in reasons[(10, 2)]
    assert "loop variable" in reasons[(10, 5)]
    assert "result of a call" in reasons[(10, 10)]
    assert "environment variable EVAL_MODEL" in reasons[(10, 12)]
    assert reasons[(11, 1)].startswith("this cell does not parse")
    assert "registry" in reasons[(12, 8)]
    assert "branch" in reasons[(15, 4)]


def test_local_paths_builders_and_non_python_cells_are_not_targets() -> None:
    ids = {t.repo_id for t in extract_path(NOTEBOOK).targets}
    for not_a_repo in (
        "csv",
        "imagefolder",
        "data/train.csv",
        "./local_notes",
        "local_notes",
        "final-model",  # saved by trainer.save_model earlier in the notebook
        "outputs/llama-lora",
        "llama-lora",
        "checkpoint-500",
        "/content/drive/MyDrive/tok",
        "acme-lab/not-python-here",  # in a %%bash cell
        "acme-lab/raw-cell-is-not-code",  # in a raw cell
        "acme-lab/a",  # loop values are never guessed
        "acme-lab/picked",
        "acme-lab/eval",  # the os.environ.get default
    ):
        assert not_a_repo not in ids


SCRIPT_TARGETS: set[Row] = {
    # module constants are seen inside main() because the script binds each of them once
    (
        "acme-lab/reviews",
        "dataset",
        "v1.2",
        False,
        ((None, 14, "load_dataset"), (None, 20, "HfApi().dataset_info")),
    ),
    (
        "acme-lab/reviews-model",
        "model",
        None,
        True,
        ((None, 16, "create_repo"), (None, 17, "upload_file"), (None, 19, "HfApi().delete_file")),
    ),
    ("acme-lab/reviews-clean", "dataset", None, True, ((None, 18, "data.push_to_hub"),)),
    ("acme-lab/demo", "space", None, False, ((None, 22, "api.space_info"),)),
    ("acme-lab/reviews", "dataset", None, False, ((None, 23, "api.file_exists"),)),
}


def test_script_targets_and_unresolved() -> None:
    found = extract_path(SCRIPT)
    assert rows(found) == SCRIPT_TARGETS
    assert unresolved(found) == {(None, 15, "AutoModel.from_pretrained(model_name)")}
    assert found.unresolved[0].reason == "model_name: a function parameter"


def test_two_files_merge_into_one_target_per_key() -> None:
    both = extract_paths([NOTEBOOK, SCRIPT])
    assert len(both.targets) == len(NOTEBOOK_TARGETS) + len(SCRIPT_TARGETS)
    assert unresolved(both) == NOTEBOOK_UNRESOLVED | {(None, 15, "AutoModel.from_pretrained(model_name)")}
    shared = extract_text('from transformers import AutoModel\nAutoModel.from_pretrained("gpt2")\n', "a.py")
    again = extract_text('import transformers\n\ntransformers.AutoModel.from_pretrained("gpt2")\n', "b.py")
    from hfauth_nb.targets import merge_targets

    (merged,) = merge_targets([*shared.targets, *again.targets])
    assert [(s.file, s.line) for s in merged.sources] == [("a.py", 2), ("b.py", 3)]


def test_extraction_imports_no_ml_library_nor_huggingface_hub() -> None:
    probe = (
        "import sys\n"
        "from hfauth_nb.targets import extract_paths\n"
        f"result = extract_paths([{str(NOTEBOOK)!r}, {str(SCRIPT)!r}])\n"
        "assert result.targets\n"
        "heavy = ('transformers', 'diffusers', 'peft', 'datasets', 'sentence_transformers', 'timm',\n"
        "         'huggingface_hub', 'torch')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_file_that_is_not_a_notebook_is_one_row(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [\n  {"cell_type": "code", "source": "x"\n', encoding="utf-8")
    found = extract_path(broken)
    assert found.targets == ()
    (row,) = found.unresolved
    assert (row.cell, row.code) == (None, "") and row.reason.startswith("not a notebook")
    missing = extract_path(tmp_path / "absent.py")
    assert missing.targets == () and missing.unresolved[0].reason.startswith("cannot read the file")


def test_a_script_that_does_not_parse_is_one_row() -> None:
    found = extract_text('from transformers import AutoModel\nAutoModel.from_pretrained("gpt2"\n', "s.py")
    assert found.targets == ()
    (row,) = found.unresolved
    assert (row.cell, row.line) == (None, 2) and row.reason.startswith("this file does not parse")


def test_a_script_with_ipython_lines_is_read_through_the_transformer() -> None:
    script = '!pip install -q transformers\nfrom transformers import AutoModel\n\nAutoModel.from_pretrained("gpt2")\n'
    found = extract_text(script, "colab_export.py")
    assert [(t.repo_id, [(s.cell, s.line) for s in t.sources]) for t in found.targets] == [
        ("gpt2", [(None, 4)])
    ]
    assert found.unresolved == ()


def test_non_python_notebook_has_no_targets() -> None:
    nb = {
        "cells": [{"cell_type": "code", "source": 'library(x)\nAutoModel.from_pretrained("gpt2")'}],
        "metadata": {"kernelspec": {"language": "R", "name": "ir"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    assert extract_text(json.dumps(nb), "r.ipynb") == Extraction((), ())


def test_a_token_in_an_unresolved_call_is_masked() -> None:
    token = "hf_" + "abcdefghijklmnopqrstuvwxyzABCDEFGH"
    found = extract_text(
        f'from transformers import AutoModel\nAutoModel.from_pretrained(m, token="{token}")\n', "t.py"
    )
    (row,) = found.unresolved
    assert token not in row.code and token not in repr(found)


@pytest.mark.parametrize("terms", [2_000, 50_000])
def test_deeply_nested_code_is_a_row_not_a_traceback(terms: int) -> None:
    """2,000 terms parse but nest deeper than the walk may recurse; 50,000 do not even parse."""
    deep = "x = " + " + ".join(['"a"'] * terms) + '\nAutoModel.from_pretrained("acme/m")\n'
    found = extract_text(deep, "deep.py")
    (row,) = found.unresolved
    assert row.cell is None and len(row.code) <= 300
    assert "nested too deeply" in row.reason or "does not parse" in row.reason


def test_a_nul_byte_is_a_row_not_a_traceback() -> None:
    (row,) = extract_text('AutoModel.from_pretrained("acme/m")\x00\n', "nul.py").unresolved
    assert row.reason.startswith("this file does not parse")


@pytest.mark.parametrize("suffix", [".ipynb", ".py"])
def test_empty_files(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_text('{"cells": [], "metadata": {}}' if suffix == ".ipynb" else "", encoding="utf-8")
    assert extract_path(path) == Extraction((), ())


def test_targets_are_frozen() -> None:
    (target,) = extract_text(
        'import transformers\ntransformers.AutoModel.from_pretrained("gpt2")\n', "a.py"
    ).targets
    assert isinstance(target, Target)
    with pytest.raises(AttributeError):
        target.repo_id = "other"  # type: ignore[misc]
