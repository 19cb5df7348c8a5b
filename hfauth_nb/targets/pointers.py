"""Repos a loader reaches through another repo's files: an adapter's base model.

Pure: the caller fetches `adapter_config.json` (network, token, time budget) and hands the parsed JSON here.
transformers' Auto classes and PEFT both load `base_model_name_or_path` when the repo they are given holds
an adapter (transformers `auto_factory.py`, PEFT `AutoPeftModel`), so every model target read may lead to one.
"""

from __future__ import annotations

from typing import Any, Mapping

from hfauth_nb.targets.model import Target
from hfauth_nb.targets.repoids import hub_repo_id


def base_model_target(adapter: Target, adapter_config: Mapping[str, Any]) -> Target | None:
    """The base model `adapter`'s adapter_config.json points to, read by the same calls; None when the config
    names no Hub repo (a local path such as `/content/base` is common in configs saved from a notebook).

    The revision is the config's `revision` (PEFT's "base model version"); transformers' Auto classes pass the
    adapter call's own `revision=` instead, which a caller may substitute.
    """
    if adapter.repo_type != "model" or not isinstance(adapter_config, Mapping):
        return None
    base = adapter_config.get("base_model_name_or_path")
    repo_id = hub_repo_id(base) if isinstance(base, str) else None
    if repo_id is None or repo_id == adapter.repo_id:
        return None
    revision = adapter_config.get("revision")
    return Target(
        repo_id=repo_id,
        repo_type="model",
        revision=revision if isinstance(revision, str) and revision else None,
        write=False,
        via=f"base model of {adapter.repo_id}",
        sources=adapter.sources,
    )
