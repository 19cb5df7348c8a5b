"""What kind of object a name holds, by the call that made it: enough to know that `ds.push_to_hub(...)` writes
a dataset repo, that `trainer.push_to_hub()` writes the repo its TrainingArguments name, and that
`pipeline(model=model)` was handed a loaded model rather than a repo id.
"""

from __future__ import annotations

import ast
import posixpath

from hfauth_nb.targets.values import Env, Known, Obj, Str, Unknown, Value, shown, string_of

DATASET_MAKERS = frozenset(
    {"load_dataset", "load_from_disk", "DatasetDict", "IterableDatasetDict", "concatenate_datasets"}
    | {
        "interleave_datasets",
        "from_pandas",
        "from_dict",
        "from_list",
        "from_generator",
        "from_csv",
        "from_json",
    }
    | {"from_parquet", "from_sql", "from_text", "from_file", "from_buffer"}
)
DATASET_METHODS = frozenset(
    {"map", "filter", "select", "shuffle", "train_test_split", "remove_columns", "rename_column", "cast"}
    | {"rename_columns", "cast_column", "flatten", "sort", "with_format", "select_columns", "take", "skip"}
    | {"shard", "class_encode_column", "add_column", "with_transform", "batch", "unique_by"}
)
MODEL_MAKERS = frozenset(
    {"from_pretrained", "pipeline", "SentenceTransformer", "CrossEncoder", "SparseEncoder", "create_model"}
    | {"get_peft_model", "prepare_model_for_kbit_training", "AutoModel", "from_single_file"}
)
TRAINING_KEYWORDS = frozenset({"output_dir", "hub_model_id", "push_to_hub"})
# transformers' TrainingArguments default output folder (since 4.5x) when output_dir is not given.
DEFAULT_OUTPUT_DIR = "trainer_output"


def callee(func: ast.expr) -> str:
    """The last name of a callee: `from_pretrained` for `AutoModel.from_pretrained`, `pipeline` for `pipeline`."""
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def keyword(call: ast.Call, *names: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg in names:
            return kw.value
    return None


def argument(call: ast.Call, index: int | None, *names: str) -> ast.expr | None:
    """Positional argument `index` (if no `*args` comes first) or the first keyword of `names`."""
    found = keyword(call, *names)
    if found is not None or index is None:
        return found
    for position, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return None
        if position == index:
            return arg
    return None


def hidden(call: ast.Call) -> bool:
    """Arguments passed through `*args` or `**kwargs`: a missing repo argument may be in there."""
    return any(isinstance(arg, ast.Starred) for arg in call.args) or any(
        kw.arg is None for kw in call.keywords
    )


def value_of(node: ast.expr, env: Env) -> Value:
    """What `node` holds: a string, a kind of object, or why neither is known."""
    text = string_of(node, env)
    if isinstance(text, Known):
        return text
    if isinstance(node, ast.Name):
        return env.get(node.id, text)
    if isinstance(node, ast.Call):
        return object_of(node, env) or text
    if isinstance(node, (ast.Subscript, ast.Attribute)):
        base = value_of(node.value, env)
        if isinstance(base, Obj) and base.kind == "dataset":
            return base
    return text


def object_of(call: ast.Call, env: Env) -> Obj | None:
    """The kind of object `call` returns, when it matters to a later Hub call."""
    name = callee(call.func)
    receiver = value_of(call.func.value, env) if isinstance(call.func, ast.Attribute) else None
    if name == "HfApi":
        return Obj("hfapi")
    if name in ("InferenceClient", "AsyncInferenceClient"):
        return Obj("inference")
    if name in DATASET_MAKERS or (
        isinstance(receiver, Obj) and receiver.kind == "dataset" and name in DATASET_METHODS
    ):
        return Obj("dataset")
    if name.endswith("Trainer"):
        return trainer_of(call, env)
    if name.endswith("Arguments") or (
        name.endswith("Config") and any(kw.arg in TRAINING_KEYWORDS for kw in call.keywords)
    ):
        return arguments_of(call, env)
    if name in MODEL_MAKERS or (isinstance(receiver, Obj) and receiver.kind == "loaded"):
        return Obj("loaded")
    return None


def arguments_of(call: ast.Call, env: Env) -> Obj:
    """TrainingArguments (or a TRL config): the repo a Trainer using it pushes to, and whether it pushes.

    transformers' `Trainer.init_hf_repo` uses `hub_model_id`, else the last part of `output_dir`; a name
    without a namespace goes under the token owner's account.
    """
    flag = keyword(call, "push_to_hub")
    push: bool | None = False
    if flag is not None:
        push = flag.value if isinstance(flag, ast.Constant) and isinstance(flag.value, bool) else None
    hub_id = keyword(call, "hub_model_id")
    if hub_id is not None and not (isinstance(hub_id, ast.Constant) and hub_id.value is None):
        return Obj("args", string_of(hub_id, env), push)
    output = argument(call, 0, "output_dir")
    if output is None or (isinstance(output, ast.Constant) and output.value is None):
        return Obj("args", Known(DEFAULT_OUTPUT_DIR), push)
    return Obj("args", _folder_name(string_of(output, env)), push)


def _folder_name(output: Str) -> Str:
    if isinstance(output, Unknown):
        return Unknown(f"output_dir names the repo, and {output.why}")
    name = posixpath.basename(posixpath.normpath(output.text.replace("\\", "/")))
    if name in ("", ".", "..") or output.text.startswith("~"):
        return Unknown(f"output_dir {output.text!r} names the repo after a folder known when the code runs")
    return Known(name)


def trainer_of(call: ast.Call, env: Env) -> Obj:
    args = argument(call, 1, "args")
    if args is None:
        return Obj(
            "trainer", Unknown("the Trainer has no args=, so its default output folder names the repo")
        )
    value = value_of(args, env)
    if isinstance(value, Obj) and value.kind == "args":
        return Obj("trainer", value.repo, value.push)
    why = value.why if isinstance(value, Unknown) else f"{shown(args)} is not a TrainingArguments"
    return Obj("trainer", Unknown(f"the repo comes from the trainer's arguments, and {why}"))
