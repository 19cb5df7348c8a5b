"""Following an adapter to its base model, given the parsed adapter_config.json (the fetch is the caller's)."""

from __future__ import annotations

from typing import Any

import pytest

from hfauth_nb.targets import Source, Target, base_model_target, extract_text, merge_targets

ADAPTER = Target(
    "acme/llama-lora", "model", None, False, None, (Source("nb.ipynb", 4, 6, "PeftModel.from_pretrained"),)
)


def test_base_model_of_an_adapter() -> None:
    config = {"base_model_name_or_path": "meta-llama/Llama-3.2-1B", "revision": "v1", "peft_type": "LORA"}
    base = base_model_target(ADAPTER, config)
    assert base == Target(
        "meta-llama/Llama-3.2-1B", "model", "v1", False, "base model of acme/llama-lora", ADAPTER.sources
    )


def test_a_pushed_adapter_still_names_a_read_of_its_base() -> None:
    pushed = Target("acme/llama-lora", "model", None, True, None, ADAPTER.sources)
    base = base_model_target(pushed, {"base_model_name_or_path": "gpt2"})
    assert base is not None and (base.repo_id, base.write, base.revision) == ("gpt2", False, None)


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"base_model_name_or_path": None},
        {"base_model_name_or_path": "/content/base-model"},
        {"base_model_name_or_path": "./base"},
        {"base_model_name_or_path": "acme/llama-lora"},
        {"base_model_name_or_path": 12},
        {"base_model_name_or_path": "a/b/c"},
    ],
)
def test_no_hub_base(config: dict[str, Any]) -> None:
    assert base_model_target(ADAPTER, config) is None


def test_only_model_targets_have_a_base() -> None:
    dataset = Target("acme/d", "dataset", None, False, None, ())
    assert base_model_target(dataset, {"base_model_name_or_path": "gpt2"}) is None
    assert base_model_target(ADAPTER, ["not", "a", "mapping"]) is None  # type: ignore[arg-type]


def test_a_followed_base_stays_apart_from_the_same_repo_named_in_code() -> None:
    named = extract_text('AutoModel.from_pretrained("gpt2")\n', "a.py").targets
    followed = base_model_target(ADAPTER, {"base_model_name_or_path": "gpt2"})
    assert followed is not None
    merged = merge_targets([*named, followed, followed])
    assert [(t.repo_id, t.via, len(t.sources)) for t in merged] == [
        ("gpt2", None, 1),
        ("gpt2", "base model of acme/llama-lora", 1),
    ]
