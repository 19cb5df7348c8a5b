"""Which calls touch the Hub, recognised by their shape in the syntax tree (no library is imported).

`recognise` turns one call into the repos it reads or writes (`Found`) or says why its repo cannot be known
from the code (`Missed`). Strings that can only be local paths, and datasets' packaged builders, give nothing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Union

from hfauth_nb.hub_refs import REPO_TYPES
from hfauth_nb.targets.objects import (
    argument,
    callee,
    hidden,
    keyword,
    value_of,
)
from hfauth_nb.targets.repoids import (
    PACKAGED_BUILDERS,
    hf_url_ref,
    hub_repo_id,
    sentence_transformers_id,
    timm_hub_ref,
)
from hfauth_nb.targets.values import Env, Known, Obj, Unknown, shown, string_of


@dataclass(frozen=True)
class Found:
    repo_id: str
    repo_type: str
    revision: str | None
    write: bool


@dataclass(frozen=True)
class Missed:
    reason: str


Outcome = Union[Found, Missed]

# huggingface_hub functions (HfApi methods and their module-level twins): where the repo id is (index None:
# keyword-only `repo_id`), the type the name fixes (None: `repo_type=`, default model), and whether it writes.
_READS = (
    "hf_hub_download", "snapshot_download", "repo_info", "repo_exists", "revision_exists", "file_exists",
    "list_repo_files", "list_repo_tree", "list_repo_refs", "list_repo_commits", "get_paths_info",
    "get_safetensors_metadata", "auth_check",
)  # fmt: skip
_WRITES = (
    "create_repo", "delete_repo", "update_repo_settings", "update_repo_visibility", "create_commit",
    "delete_files", "create_branch", "delete_branch", "create_tag", "delete_tag", "super_squash_history",
    "create_pull_request",
)  # fmt: skip
_SPACE_WRITES = (
    "add_space_secret", "delete_space_secret", "add_space_variable", "delete_space_variable", "restart_space",
    "pause_space", "request_space_hardware",
)  # fmt: skip
_HUB_CALLS: dict[str, tuple[int | None, str | None, bool]] = {
    **{name: (0, None, False) for name in _READS},
    "model_info": (0, "model", False),
    "dataset_info": (0, "dataset", False),
    "space_info": (0, "space", False),
    **{name: (0, None, True) for name in _WRITES},
    **{name: (None, None, True) for name in ("upload_file", "upload_folder")},
    "upload_large_folder": (0, None, True),
    **{name: (1, None, True) for name in ("delete_file", "delete_folder")},
    **{name: (0, "space", True) for name in _SPACE_WRITES},
}
_DATASET_CALLS = frozenset(
    {"load_dataset", "load_dataset_builder", "get_dataset_config_names", "get_dataset_split_names"}
)
_ADAPTER_LOADERS = {
    "load_lora_weights": ("pretrained_model_name_or_path_or_dict",),
    "load_ip_adapter": ("pretrained_model_name_or_path_or_dict",),
    "load_textual_inversion": ("pretrained_model_name_or_path",),
    "load_adapter": ("peft_model_id", "model_id", "pretrained_model_name_or_path"),
}
_ST_CLASSES = frozenset({"SentenceTransformer", "CrossEncoder", "SparseEncoder"})
_QUIET_CALLS = frozenset(
    {"print", "display", "Markdown", "HTML", "info", "debug", "warning", "warn", "error"}
)
_WRITE_PREFIXES = ("to_", "write", "save", "upload", "push")


def recognise(call: ast.Call, env: Env, local: frozenset[str]) -> list[Outcome]:
    """The repos `call` touches. `local` holds strings the code saved to on disk earlier (a later load of
    the same string reads that folder first, as every loader does)."""
    name = callee(call.func)
    method = isinstance(call.func, ast.Attribute)
    receiver = value_of(call.func.value, env) if isinstance(call.func, ast.Attribute) else None
    if method and name == "from_pretrained":
        return _from_pretrained(call, env, local)
    if method and name == "push_to_hub":
        return _push(call, env)
    if method and name == "save_pretrained" and _true(keyword(call, "push_to_hub")):
        named = keyword(call, "repo_id")  # else transformers names the repo after the folder's last part
        repo = named or argument(call, 0, "save_directory")
        return _target(call, env, repo, "model", write=True, folder=named is None)
    if method and name in _ADAPTER_LOADERS:
        return _target(call, env, argument(call, 0, *_ADAPTER_LOADERS[name]), "model", local=local)
    if name in _HUB_CALLS and _is_hub(call, env):
        return _hub_call(call, env, name)
    if name in ("move_repo", "duplicate_space", "duplicate_repo") and _is_hub(call, env):
        return _pair(call, env, name)
    if name in _DATASET_CALLS:
        return _dataset(call, env, local) + _urls(call, env)
    if name == "pipeline" and (not method or shown(call.func) == "transformers.pipeline"):
        return _pipeline(call, env, local)
    if name in ("InferenceClient", "AsyncInferenceClient"):
        return _object_model(call, env, argument(call, 0, "model"))
    if receiver == Obj("inference"):  # client.chat_completion(messages, model=...)
        return _object_model(call, env, keyword(call, "model"))
    if name in _ST_CLASSES:
        repo = argument(call, 0, "model_name_or_path", "model_name")
        return _target(call, env, repo, "model", local=local, st=name == "SentenceTransformer")
    if name == "create_model":
        return _timm(call, env)
    if name.endswith("Trainer"):
        return _trainer_push(value_of(call, env), construct=True)
    return _urls(call, env)


def _true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_hub(call: ast.Call, env: Env) -> bool:
    """A huggingface_hub call: an HfApi method, `huggingface_hub.x(...)`, a bare name not bound to something
    else, or any `.x(..., repo_id=...)` (the keyword is the Hub's own spelling)."""
    if isinstance(call.func, ast.Name):
        bound = env.get(call.func.id)
        return bound is None or bound == Obj("hub")
    if isinstance(call.func, ast.Attribute):
        receiver = value_of(call.func.value, env)
        if isinstance(receiver, Obj) and receiver.kind in ("hfapi", "hub"):
            return True
    return keyword(call, "repo_id") is not None


def _target(
    call: ast.Call,
    env: Env,
    repo: ast.expr | None,
    default_type: str,
    *,
    write: bool = False,
    local: frozenset[str] = frozenset(),
    fixed_type: bool = True,
    folder: bool = False,
    st: bool = False,
) -> list[Outcome]:
    if repo is None:
        return [Missed("the repo id is passed through *args or **kwargs")] if hidden(call) else []
    text = string_of(repo, env)
    if isinstance(text, Unknown):
        return [Missed(text.why)]
    if text.text in local:
        return []
    repo_text = text.text.rstrip("/").rsplit("/", 1)[-1] if folder else text.text
    repo_id = hub_repo_id(repo_text)
    if repo_id is None:
        return []
    if st:
        repo_id = sentence_transformers_id(repo_id)
    repo_type: str | Missed = default_type if fixed_type else _repo_type(call, env, default_type)
    revision = _revision(call, env)
    for problem in (repo_type, revision):
        if isinstance(problem, Missed):
            return [problem]
    assert isinstance(repo_type, str) and not isinstance(revision, Missed)
    return [Found(repo_id, repo_type, revision, write)]


def _repo_type(call: ast.Call, env: Env, default: str) -> str | Missed:
    node = keyword(call, "repo_type")
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return default
    value = string_of(node, env)
    if isinstance(value, Unknown):
        return Missed(f"repo_type: {value.why}")
    if value.text not in REPO_TYPES:
        return Missed(f"repo_type {value.text!r} is not one of {', '.join(REPO_TYPES)}")
    return value.text


def _revision(call: ast.Call, env: Env) -> str | Missed | None:
    node = keyword(call, "revision")
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return None
    value = string_of(node, env)
    return Missed(f"revision: {value.why}") if isinstance(value, Unknown) else value.text


def _from_pretrained(call: ast.Call, env: Env, local: frozenset[str]) -> list[Outcome]:
    owner = callee(call.func.value) if isinstance(call.func, ast.Attribute) else ""
    if owner.startswith("Peft"):  # PeftModel.from_pretrained(base_model, model_id): the adapter repo
        return _target(call, env, argument(call, 1, "model_id"), "model", local=local)
    repo = argument(call, 0, "pretrained_model_name_or_path", "pretrained_model_or_path", "model_id")
    return _target(call, env, repo, "model", local=local)


def _push(call: ast.Call, env: Env) -> list[Outcome]:
    assert isinstance(call.func, ast.Attribute)
    receiver = value_of(call.func.value, env)
    if isinstance(receiver, Obj) and receiver.kind == "trainer":
        return _trainer_push(receiver, construct=False)
    repo = argument(call, 0, "repo_id", "repo_path_or_name")
    if repo is None and not hidden(call):
        if "trainer" in shown(call.func.value).lower():
            return [
                Missed("the repo comes from the trainer's TrainingArguments, which could not be followed")
            ]
        return [Missed("push_to_hub() names no repo: the object's own settings choose it")]
    is_dataset = receiver == Obj("dataset") or _dataset_name(shown(call.func.value))
    return _target(call, env, repo, "dataset" if is_dataset else "model", write=True)


def _dataset_name(text: str) -> bool:
    """A receiver named like a dataset (`ds`, `train_ds`, `my_dataset`) when its origin is not in the code."""
    base = text.split("[", 1)[0].lower()
    return "dataset" in base or base == "ds" or base.startswith("ds_") or base.endswith("_ds")


def _trainer_push(trainer: object, *, construct: bool) -> list[Outcome]:
    """A Trainer writes its repo when `push_to_hub=True` (it creates the repo on construction) or when
    `trainer.push_to_hub()` is called."""
    if not isinstance(trainer, Obj) or trainer.kind != "trainer":
        return []
    if construct and trainer.push is not True:
        return [Missed("push_to_hub is decided when the code runs")] if trainer.push is None else []
    if isinstance(trainer.repo, Known):
        repo_id = hub_repo_id(trainer.repo.text)
        return [Found(repo_id, "model", None, True)] if repo_id else []
    return [
        Missed(trainer.repo.why if isinstance(trainer.repo, Unknown) else "the trainer's repo is unknown")
    ]


def _hub_call(call: ast.Call, env: Env, name: str) -> list[Outcome]:
    index, fixed, write = _HUB_CALLS[name]
    repo = argument(call, index, "repo_id")
    if repo is None and not hidden(call):
        return [Missed(f"{name}() is given no repo id")]
    return _target(call, env, repo, fixed or "model", write=write, fixed_type=fixed is not None)


def _pair(call: ast.Call, env: Env, name: str) -> list[Outcome]:
    """`move_repo(from_id, to_id)` writes both; `duplicate_space` and (huggingface_hub 2) `duplicate_repo`
    read one repo and write the other (by default the same name under the token owner)."""
    source = argument(call, 0, "from_id")
    destination = argument(call, 1, "to_id")
    if name.startswith("duplicate"):
        space = name == "duplicate_space"
        found = _target(call, env, source, "space" if space else "model", fixed_type=space)
        if destination is None or (isinstance(destination, ast.Constant) and destination.value is None):
            text = string_of(source, env) if source is not None else Unknown("no from_id")
            destination = ast.Constant(text.text.rsplit("/", 1)[-1]) if isinstance(text, Known) else source
        return found + _target(
            call, env, destination, "space" if space else "model", write=True, fixed_type=space
        )
    moved = _target(call, env, source, "model", write=True, fixed_type=False)
    return moved + _target(call, env, destination, "model", write=True, fixed_type=False)


def _dataset(call: ast.Call, env: Env, local: frozenset[str]) -> list[Outcome]:
    path = argument(call, 0, "path")
    text = string_of(path, env) if path is not None else None
    if isinstance(text, Known) and (text.text in PACKAGED_BUILDERS or text.text.startswith("hf://")):
        return []
    return _target(call, env, path, "dataset", local=local)


def _pipeline(call: ast.Call, env: Env, local: frozenset[str]) -> list[Outcome]:
    model = argument(call, 1, "model")
    if model is None:
        if hidden(call):
            return [Missed("the model is passed through *args or **kwargs")]
        return [
            Missed("pipeline() without model= downloads the task's default model, chosen by transformers")
        ]
    found = _object_model(call, env, model, local)
    for extra in ("tokenizer", "feature_extractor", "image_processor", "processor"):
        node = keyword(call, extra)
        if node is not None and isinstance(string_of(node, env), Known):
            found += _target(call, env, node, "model", local=local)
    return found


def _object_model(
    call: ast.Call, env: Env, node: ast.expr | None, local: frozenset[str] = frozenset()
) -> list[Outcome]:
    """A `model=` that may be a loaded object (nothing to check here: its own loading call was seen)."""
    if node is None or isinstance(value_of(node, env), Obj):
        return []
    return _target(call, env, node, "model", local=local)


def _timm(call: ast.Call, env: Env) -> list[Outcome]:
    node = argument(call, 0, "model_name")
    text = string_of(node, env) if node is not None else None
    if isinstance(text, Known):
        ref = timm_hub_ref(text.text)
        if ref is not None:
            return [Found(ref[0], "model", ref[1], False)]
        if _true(keyword(call, "pretrained")):
            return [Missed(f"timm maps {text.text!r} to a Hub repo through its own registry")]
        return []
    if isinstance(text, Unknown) and _true(keyword(call, "pretrained")):
        return [Missed(text.why)]
    return _urls(call, env)


def _urls(call: ast.Call, env: Env) -> list[Outcome]:
    """`hf://` paths (HfFileSystem: pandas, datasets' data_files, fsspec) and `hf-hub:` names (open_clip,
    timm) in any call's arguments; writing when the callee writes (`to_parquet`, `save_to_disk`...)."""
    name = callee(call.func)
    if name in _QUIET_CALLS:
        return []
    found: list[Outcome] = []
    for node in [*call.args, *(kw.value for kw in call.keywords)]:
        for item in _strings_in(node):
            text = string_of(item, env)
            if not isinstance(text, Known):
                continue
            ref = hf_url_ref(text.text)
            if ref is not None:
                found.append(Found(ref[1], ref[0], ref[2], name.startswith(_WRITE_PREFIXES)))
            hub = timm_hub_ref(text.text)
            if hub is not None:
                found.append(Found(hub[0], "model", hub[1], False))
    return found


def _strings_in(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [item for elt in node.elts for item in _strings_in(elt)]
    if isinstance(node, ast.Dict):
        return [item for value in node.values for item in _strings_in(value)]
    return [node] if isinstance(node, (ast.Constant, ast.Name, ast.JoinedStr, ast.BinOp)) else []
