"""Which strings name a Hub repo, by the Hub's rules and the loaders' own conventions (no library imported).

A repo id is `name` or `namespace/name` (huggingface_hub's character rules, via `validate_repo_id`). The
loaders try a local folder first, so a string that can only be a path (`./model`, `/content/x`, `outputs/`,
`a/b/c`, a file name such as `train.csv`) is never a target. A single segment such as `gpt2` or
`bert-base-uncased` is a real Hub id (a canonical repo, redirected by the Hub) and is kept.
"""

from __future__ import annotations

from urllib.parse import unquote

from hfauth_nb.hub_refs import validate_repo_id

# datasets' packaged builders (`datasets/packaged_modules/__init__.py`): `load_dataset("csv", data_files=...)`
# reads local or remote files, not a repo named "csv".
PACKAGED_BUILDERS = frozenset(
    {
        "csv", "json", "pandas", "parquet", "arrow", "text", "imagefolder", "audiofolder", "videofolder",
        "pdffolder", "niftifolder", "webdataset", "xml", "sql", "generator", "spark", "cache", "hdf5", "eval",
    }
)  # fmt: skip
# Endings of data and weight files: `from_pretrained("model.safetensors")` or `load_dataset("train.csv")`
# name a file on disk (the libraries check the disk first; a repo named like a file is not plausible).
FILE_SUFFIXES = (
    ".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".parquet", ".arrow", ".txt", ".tar", ".xml", ".zip", ".gz",
    ".py", ".bin", ".pt", ".pth", ".ckpt", ".safetensors", ".gguf", ".h5", ".onnx", ".msgpack", ".pkl",
)  # fmt: skip
# sentence-transformers prefixes a single-segment name with "sentence-transformers/" unless it is one of the
# old organisation-less transformers checkpoints it lists in SentenceTransformer.__init__.
_CANONICAL_ST = frozenset(
    [f"albert-{size}-v{v}" for size in ("base", "large", "xlarge", "xxlarge") for v in (1, 2)]
    + ["bert-" + rest for rest in (
        "base-cased-finetuned-mrpc", "base-cased", "base-chinese", "base-german-cased", "base-german-dbmdz-cased",
        "base-german-dbmdz-uncased", "base-multilingual-cased", "base-multilingual-uncased", "base-uncased",
        "large-cased-whole-word-masking-finetuned-squad", "large-cased-whole-word-masking", "large-cased",
        "large-uncased-whole-word-masking-finetuned-squad", "large-uncased-whole-word-masking", "large-uncased",
    )]
    + ["distilbert-" + rest for rest in (
        "base-cased-distilled-squad", "base-cased", "base-german-cased", "base-multilingual-cased",
        "base-uncased-distilled-squad", "base-uncased-finetuned-sst-2-english", "base-uncased",
    )]
    + ["camembert-base", "ctrl", "distilgpt2", "distilroberta-base", "openai-gpt", "transfo-xl-wt103"]
    + ["gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"]
    + ["roberta-" + rest for rest in (
        "base-openai-detector", "base", "large-mnli", "large-openai-detector", "large",
    )]
    + [f"t5-{size}" for size in ("11b", "3b", "base", "large", "small")]
    + ["xlm-" + rest for rest in (
        "clm-ende-1024", "clm-enfr-1024", "mlm-100-1280", "mlm-17-1280", "mlm-en-2048", "mlm-ende-1024",
        "mlm-enfr-1024", "mlm-enro-1024", "mlm-tlm-xnli15-1024", "mlm-xnli15-1024", "roberta-base",
        "roberta-large-finetuned-conll02-dutch", "roberta-large-finetuned-conll02-spanish",
        "roberta-large-finetuned-conll03-english", "roberta-large-finetuned-conll03-german", "roberta-large",
    )]
    + ["xlnet-base-cased", "xlnet-large-cased"]
)  # fmt: skip
_HF_URL_TYPES = {"datasets": "dataset", "spaces": "space", "models": "model"}
TIMM_PREFIXES = ("hf-hub:", "hf_hub:")


def hub_repo_id(text: str) -> str | None:
    """`text` when it is a valid repo id and cannot only be a local path or file; else None."""
    if not text or text.startswith(("/", ".", "~")) or "\\" in text or text[1:3] in (":/", ":\\"):
        return None
    if text.lower().endswith(FILE_SUFFIXES):
        return None
    try:
        validate_repo_id(text)
    except ValueError:
        return None
    return text


def sentence_transformers_id(name: str) -> str:
    """The repo sentence-transformers downloads for `name` (its own rule for organisation-less names)."""
    if "/" not in name and name.lower() not in _CANONICAL_ST:
        return f"sentence-transformers/{name}"
    return name


def timm_hub_ref(text: str) -> tuple[str, str | None] | None:
    """(repo id, revision) of timm/open_clip's `hf-hub:org/name[@revision]`, else None."""
    if not text.startswith(TIMM_PREFIXES):
        return None
    ref = text.split(":", 1)[1]
    repo, _, revision = ref.partition("@")
    repo_id = hub_repo_id(repo)
    return (repo_id, revision or None) if repo_id else None


def hf_url_ref(text: str) -> tuple[str, str, str | None] | None:
    """(repo type, repo id, revision) of an `hf://[datasets/|spaces/]ns/name[@rev]/path` URL (HfFileSystem)."""
    if not text.startswith("hf://"):
        return None
    parts = text[len("hf://") :].split("/")
    repo_type = _HF_URL_TYPES.get(parts[0], "model")
    if parts[0] in _HF_URL_TYPES:
        parts = parts[1:]
    if len(parts) < 2:
        return None
    name, _, revision = parts[1].partition("@")
    repo_id = hub_repo_id(f"{parts[0]}/{name}")
    if repo_id is None:
        return None
    return (repo_type, repo_id, unquote(revision) or None)
