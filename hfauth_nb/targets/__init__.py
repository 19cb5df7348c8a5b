"""Preflight: the Hub repos a notebook or script will touch, found before its first cell runs.

This half reads code only (`extract_text`, `extract_path`, `extract_paths`) and follows pointers given the
fetched files (`base_model_target`); it imports no ML library and not huggingface_hub, so it is safe to run
anywhere, including inside `%load_ext`-time code.
"""

from __future__ import annotations

from hfauth_nb.targets.extract import extract_path, extract_paths, extract_text, merge_targets
from hfauth_nb.targets.model import Extraction, Source, Target, Unresolved
from hfauth_nb.targets.pointers import base_model_target

__all__ = [
    "Extraction",
    "Source",
    "Target",
    "Unresolved",
    "base_model_target",
    "extract_path",
    "extract_paths",
    "extract_text",
    "merge_targets",
]
