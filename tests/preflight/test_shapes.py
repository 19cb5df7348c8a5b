"""One call shape per case: which repo, type, revision and intent each recognised call gives, and when the
code cannot tell (an unresolved row) or names no repo at all (nothing)."""

from __future__ import annotations

import pytest

from hfauth_nb.targets import extract_text

Key = tuple[str, str, "str | None", bool]


def keys(code: str) -> set[Key]:
    return {(t.repo_id, t.repo_type, t.revision, t.write) for t in extract_text(code, "case.py").targets}


def reasons(code: str) -> list[str]:
    return [row.reason for row in extract_text(code, "case.py").unresolved]


R, W = False, True

FOUND: list[tuple[str, set[Key]]] = [
    # PEFT: the adapter is the second positional argument or model_id=
    (
        'PeftModel.from_pretrained(base, model_id="acme/lora", revision="r1")',
        {("acme/lora", "model", "r1", R)},
    ),
    ('peft.PeftModelForCausalLM.from_pretrained(base, "acme/lora")', {("acme/lora", "model", None, R)}),
    ('AutoPeftModelForCausalLM.from_pretrained("acme/lora")', {("acme/lora", "model", None, R)}),
    ('AutoModel.from_pretrained(pretrained_model_name_or_path="acme/m")', {("acme/m", "model", None, R)}),
    ('model.load_adapter("acme/adapter")', {("acme/adapter", "model", None, R)}),
    # pipeline: model= or the second positional; string tokenizers too
    ('pipeline(model="acme/m")', {("acme/m", "model", None, R)}),
    ('pipeline("summarization", "acme/m", revision="v2")', {("acme/m", "model", "v2", R)}),
    (
        'pipeline("ner", model="acme/m", tokenizer="acme/tok")',
        {("acme/m", "model", None, R), ("acme/tok", "model", None, R)},
    ),
    ('transformers.pipeline("ner", model="acme/m")', {("acme/m", "model", None, R)}),
    # datasets
    ('load_dataset(path="acme/d", revision="v1")', {("acme/d", "dataset", "v1", R)}),
    (
        'load_dataset("json", data_files={"train": "hf://datasets/acme/raw@v3/train.jsonl"})',
        {("acme/raw", "dataset", "v3", R)},
    ),
    ('get_dataset_config_names("acme/d")', {("acme/d", "dataset", None, R)}),
    (
        'ds = Dataset.from_pandas(df).map(f)\nds.push_to_hub("acme/clean")',
        {("acme/clean", "dataset", None, W)},
    ),
    ('train_ds = make()\ntrain_ds.push_to_hub("acme/clean")', {("acme/clean", "dataset", None, W)}),
    # huggingface_hub functions, HfApi methods and module-level twins
    ('hf_hub_download("acme/app", "app.py", repo_type="space")', {("acme/app", "space", None, R)}),
    ('import huggingface_hub\nhuggingface_hub.model_info("acme/m")', {("acme/m", "model", None, R)}),
    (
        'import huggingface_hub as hh\nhh.list_repo_files("acme/d", repo_type="dataset")',
        {("acme/d", "dataset", None, R)},
    ),
    (
        'HfApi().upload_file(path_or_fileobj="a", path_in_repo="a", repo_id="acme/d", repo_type="dataset")',
        {("acme/d", "dataset", None, W)},
    ),
    ('api = HfApi(token=t)\napi.create_commit("acme/m", operations=[])', {("acme/m", "model", None, W)}),
    ('HfApi().delete_repo(repo_id="acme/old", repo_type="space")', {("acme/old", "space", None, W)}),
    ('HfApi().restart_space("acme/app")', {("acme/app", "space", None, W)}),
    ('self.api.upload_folder(folder_path=".", repo_id="acme/m")', {("acme/m", "model", None, W)}),
    ('HfApi().duplicate_space("acme/demo")', {("acme/demo", "space", None, R), ("demo", "space", None, W)}),
    (
        'HfApi().duplicate_repo("acme/d", to_id="acme/d2", repo_type="dataset")',
        {("acme/d", "dataset", None, R), ("acme/d2", "dataset", None, W)},
    ),
    ('HfApi().move_repo("acme/a", "acme/b")', {("acme/a", "model", None, W), ("acme/b", "model", None, W)}),
    # push_to_hub on any object; save_pretrained(push_to_hub=True) names the repo after the folder
    ('model.push_to_hub("my-model")', {("my-model", "model", None, W)}),
    ('tok.push_to_hub(repo_id="acme/tok", revision="dev")', {("acme/tok", "model", "dev", W)}),
    ('model.save_pretrained("out/my-model", push_to_hub=True)', {("my-model", "model", None, W)}),
    ('model.save_pretrained("out", push_to_hub=True, repo_id="acme/m")', {("acme/m", "model", None, W)}),
    # trainers push to hub_model_id, else the last part of output_dir (under the token owner)
    (
        'a = TrainingArguments("./results", push_to_hub=True)\nt = Trainer(model=m, args=a)',
        {("results", "model", None, W)},
    ),
    (
        'a = SFTConfig(output_dir="runs/x", hub_model_id="acme/x")\nt = SFTTrainer(m, a)\nt.push_to_hub()',
        {("acme/x", "model", None, W)},
    ),
    ("t = Trainer(m, TrainingArguments(push_to_hub=True))", {("trainer_output", "model", None, W)}),
    # inference, sentence-transformers, timm/open_clip
    ('InferenceClient("acme/m")', {("acme/m", "model", None, R)}),
    (
        'c = InferenceClient()\nc.chat_completion(messages, model="acme/chat")',
        {("acme/chat", "model", None, R)},
    ),
    ('SentenceTransformer("bert-base-uncased")', {("bert-base-uncased", "model", None, R)}),
    ('SentenceTransformer("acme/emb", revision="v1")', {("acme/emb", "model", "v1", R)}),
    (
        'SentenceTransformer(model_name_or_path="paraphrase-MiniLM-L6-v2")',
        {("sentence-transformers/paraphrase-MiniLM-L6-v2", "model", None, R)},
    ),
    (
        'CrossEncoder("cross-encoder/ms-marco-MiniLM-L-6-v2")',
        {("cross-encoder/ms-marco-MiniLM-L-6-v2", "model", None, R)},
    ),
    ('timm.create_model("hf_hub:acme/vit@v2")', {("acme/vit", "model", "v2", R)}),
    ('open_clip.create_model_and_transforms("hf-hub:acme/clip")', {("acme/clip", "model", None, R)}),
    # HfFileSystem paths anywhere
    ('pd.read_csv("hf://datasets/acme/in/x.csv")', {("acme/in", "dataset", None, R)}),
    ('df.to_parquet("hf://datasets/acme/out/data.parquet")', {("acme/out", "dataset", None, W)}),
    # single-segment ids are canonical Hub ids when read
    ('AutoTokenizer.from_pretrained("gpt2")', {("gpt2", "model", None, R)}),
    (
        'AutoModel.from_pretrained("bert-base-uncased", revision=None)',
        {("bert-base-uncased", "model", None, R)},
    ),
    # constants: concatenation, %, format, join, augmented assignment, walrus, with-blocks, last one wins
    ('o = "acme"\nAutoModel.from_pretrained(o + "/" + "m")', {("acme/m", "model", None, R)}),
    ('o = "acme"\nAutoModel.from_pretrained("%s/%s" % (o, "m"))', {("acme/m", "model", None, R)}),
    ('o = "acme"\nAutoModel.from_pretrained("{}/{n}".format(o, n="m"))', {("acme/m", "model", None, R)}),
    ('o = "acme"\nAutoModel.from_pretrained("/".join([o, "m"]))', {("acme/m", "model", None, R)}),
    ('n = "acme"\nn += "/m"\nAutoModel.from_pretrained(n)', {("acme/m", "model", None, R)}),
    (
        'AutoModel.from_pretrained(n := "acme/m")\nAutoTokenizer.from_pretrained(n)',
        {("acme/m", "model", None, R)},
    ),
    ('with ctx():\n    n = "acme/m"\nAutoModel.from_pretrained(n)', {("acme/m", "model", None, R)}),
    (
        'n = "acme/a"\nAutoModel.from_pretrained(n)\nn = "acme/b"\nAutoModel.from_pretrained(n)',
        {("acme/a", "model", None, R), ("acme/b", "model", None, R)},
    ),
    (
        'if x:\n    n = "acme/m"\nelse:\n    n = "acme/m"\nAutoModel.from_pretrained(n)',
        {("acme/m", "model", None, R)},
    ),
    (
        'a, b = "acme/b", "acme/a"\na, b = b, a\nAutoModel.from_pretrained(a)\nAutoModel.from_pretrained(b)',
        {("acme/a", "model", None, R), ("acme/b", "model", None, R)},
    ),
    ('o, n = "acme", "m"\nAutoModel.from_pretrained(f"{o}/{n!s}")', {("acme/m", "model", None, R)}),
    ('N = "acme/m"\ndef load():\n    return AutoModel.from_pretrained(N)', {("acme/m", "model", None, R)}),
    (
        'for i in range(3):\n    n = "acme/m"\n    AutoModel.from_pretrained(n)',
        {("acme/m", "model", None, R)},
    ),
]


@pytest.mark.parametrize(("code", "expected"), FOUND, ids=[code.splitlines()[-1][:60] for code, _ in FOUND])
def test_recognised_calls(code: str, expected: set[Key]) -> None:
    assert keys(code) == expected
    assert reasons(code) == []


MISSED: list[tuple[str, str]] = [
    ("AutoModel.from_pretrained(**kwargs)", "*args or **kwargs"),
    ('hf_hub_download("acme/m", "f", repo_type=kind)', "repo_type: kind"),
    ('hf_hub_download("acme/m", "f", repo_type="models")', "is not one of model, dataset, space"),
    ('AutoModel.from_pretrained("acme/m", revision=branch)', "revision: branch"),
    ('AutoModel.from_pretrained(f"acme/{size:>3}")', "formats a value"),
    ('AutoModel.from_pretrained(os.environ["MODEL"])', "depends on the environment"),
    ('AutoModel.from_pretrained(os.getenv("MODEL"))', "environment variable MODEL"),
    ("AutoModel.from_pretrained(cfg.model_name)", "attribute"),
    ("AutoModel.from_pretrained(names[0])", "looked up"),
    ('AutoModel.from_pretrained("a/b" if big else "a/c")', "chosen when the code runs"),
    ("AutoModel.from_pretrained(undefined_name)", "not assigned a string earlier"),
    ("[AutoModel.from_pretrained(m) for m in ids]", "m: a loop variable"),
    ("load = lambda m: AutoModel.from_pretrained(m)", "m: a function parameter"),
    ("from config import MODEL\nAutoModel.from_pretrained(MODEL)", "imported from config"),
    (
        'try:\n    n = "acme/a"\nexcept E:\n    n = "acme/b"\nAutoModel.from_pretrained(n)',
        "branch, loop or try",
    ),
    ('n = "acme/a"\nwhile x:\n    AutoModel.from_pretrained(n)\n    n = "acme/b"', "branch, loop or try"),
    (
        'N = "acme/a"\nN = "acme/b"\ndef load():\n    return AutoModel.from_pretrained(N)',
        "not assigned a string earlier",
    ),
    ('pipeline("text-generation")', "task's default model"),
    ("model.push_to_hub()", "names no repo"),
    ("trainer.push_to_hub()", "TrainingArguments"),
    ("a = TrainingArguments(output_dir=d, push_to_hub=True)\nTrainer(m, a)", "output_dir names the repo"),
    ('a = TrainingArguments(output_dir="o", push_to_hub=flag)\nTrainer(m, a)', "push_to_hub is decided"),
    ("timm.create_model(arch, pretrained=True)", "arch"),
    ("create_repo()", "create_repo() is given no repo id"),
    ('match cfg:\n    case {"m": m}:\n        AutoModel.from_pretrained(m)', "captured by a match pattern"),
]


@pytest.mark.parametrize(("code", "why"), MISSED, ids=[code.splitlines()[-1][:60] for code, _ in MISSED])
def test_unresolved_calls_say_why(code: str, why: str) -> None:
    assert keys(code) == set()
    (reason,) = reasons(code)
    assert why in reason


NOTHING = [
    'AutoModel.from_pretrained("./model")',
    'AutoModel.from_pretrained("/content/model")',
    'AutoModel.from_pretrained("~/models/x")',
    'AutoModel.from_pretrained("outputs/")',
    'AutoModel.from_pretrained("runs/exp1/checkpoint-10")',
    'AutoModel.from_pretrained("C:\\\\models\\\\x")',
    'AutoModel.from_pretrained("model.safetensors")',
    'load_dataset("parquet", data_files="train.parquet")',
    'load_dataset("text", data_dir="notes")',
    'load_dataset("train.csv")',
    'snapshot_download(repo_id="acme/m", local_dir="ckpt")\nAutoModel.from_pretrained("ckpt")',
    'InferenceClient("https://my-endpoint.example/v1")',
    "InferenceClient()",
    'm = AutoModel.from_pretrained("acme/m")\npipeline("ner", model=m, tokenizer=tok)',
    's3.upload_file("local.bin", "bucket", "key")',
    'def create_repo(name):\n    pass\ncreate_repo("acme/m")',
    'print("hf://datasets/acme/d")',
    'timm.create_model("resnet50")',
    'a = TrainingArguments(output_dir="o")\nTrainer(m, a)',
    "SentenceTransformer(modules=[word, pooling])",
]


@pytest.mark.parametrize("code", NOTHING, ids=[code.splitlines()[-1][:60] for code in NOTHING])
def test_no_hub_repo(code: str) -> None:
    extraction = extract_text(code, "case.py")
    # the first line's own download is a target; the later load of the same thing adds nothing
    expected = {("acme/m", "model", None, False)} if code.startswith(("snapshot_download", "m = ")) else set()
    assert keys(code) == expected
    assert extraction.unresolved == ()
