"""The call shapes extraction assumes, checked against the libraries installed on this stack.

Extraction never imports these libraries; these tests do, so a huggingface_hub or transformers release that
moves `repo_id` or renames an argument fails here instead of silently hiding a repo.
"""

from __future__ import annotations

import importlib.util
import inspect
import warnings
from pathlib import Path

import pytest

from hfauth_nb.targets import calls, objects

huggingface_hub = pytest.importorskip("huggingface_hub")


@pytest.mark.parametrize("name", sorted(calls._HUB_CALLS))
def test_hub_functions_take_the_repo_where_extraction_looks(name: str) -> None:
    index, _, _ = calls._HUB_CALLS[name]
    method = getattr(huggingface_hub.HfApi, name, None)
    if method is None:
        pytest.skip(f"huggingface_hub {huggingface_hub.__version__} has no HfApi.{name}")
    parameters = list(inspect.signature(method).parameters.values())[1:]  # without self
    (repo_id,) = [p for p in parameters if p.name == "repo_id"]
    if repo_id.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:  # passed by position: it must be at `index`
        assert parameters.index(repo_id) == index
    else:  # keyword-only: found by name wherever extraction looks
        assert repo_id.kind is inspect.Parameter.KEYWORD_ONLY


def test_module_level_twins_exist() -> None:
    for name in (
        "hf_hub_download",
        "snapshot_download",
        "model_info",
        "create_repo",
        "upload_file",
        "file_exists",
    ):
        assert callable(getattr(huggingface_hub, name))


@pytest.mark.parametrize("name", ["move_repo", "duplicate_space", "duplicate_repo"])
def test_move_and_duplicate_take_from_id_then_to_id(name: str) -> None:
    method = getattr(huggingface_hub.HfApi, name, None)
    if method is None:
        pytest.skip(f"huggingface_hub {huggingface_hub.__version__} has no HfApi.{name}")
    assert list(inspect.signature(method).parameters)[1:3] == ["from_id", "to_id"]


def test_transformers_shapes() -> None:
    transformers = pytest.importorskip("transformers")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert transformers.TrainingArguments().output_dir == objects.DEFAULT_OUTPUT_DIR
        assert list(inspect.signature(transformers.pipeline).parameters)[:2] == ["task", "model"]
        push = inspect.signature(transformers.utils.PushToHubMixin.push_to_hub)
        assert list(push.parameters)[1] == "repo_id"
        for cls in (transformers.AutoTokenizer, transformers.AutoConfig, transformers.PretrainedConfig):
            first = list(inspect.signature(cls.from_pretrained).parameters)
            assert first[0] == "pretrained_model_name_or_path" or first[1] == "pretrained_model_name_or_path"
        # Trainer itself needs torch to import; its source says where it pushes
        spec = importlib.util.find_spec("transformers.trainer")
        assert spec is not None and spec.origin is not None
        source = Path(spec.origin).read_text(encoding="utf-8")
        assert "Path(self.args.output_dir).absolute().name" in source
        assert "self.args.hub_model_id" in source
