"""Train and publish a review classifier (a fixture: it is read, never run)."""

import argparse

from datasets import load_dataset
from huggingface_hub import HfApi, create_repo, upload_file
from transformers import AutoModel

DATASET = "acme-lab/reviews"
REV = "v1.2"


def main(model_name: str) -> None:
    data = load_dataset(DATASET, revision=REV)
    model = AutoModel.from_pretrained(model_name)
    create_repo("acme-lab/reviews-model", private=True, exist_ok=True)
    upload_file(path_or_fileobj="model.bin", path_in_repo="model.bin", repo_id="acme-lab/reviews-model")
    data.push_to_hub("acme-lab/reviews-clean")
    HfApi().delete_file("old.bin", "acme-lab/reviews-model")
    HfApi().dataset_info(DATASET, revision=REV)
    api = HfApi()
    api.space_info("acme-lab/demo")
    api.file_exists("acme-lab/reviews", "README.md", repo_type="dataset")
    model.save_pretrained("checkpoints/final")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="bert-base-uncased")
    main(parser.parse_args().model)
