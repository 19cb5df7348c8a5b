"""Benchmark: a preflight of 20 Hub targets against one single-repo check, at the same injected Hub latency.

Prints the ratio measured in this one run (goal <= 1.5: the targets are checked concurrently, whoami leaves once
per token) and the whoami requests each preflight sent. No absolute thresholds: these machines are shared and noisy.

Run: .venvs/newest/bin/python bench/preflight.py [--latency 0.3] [--rounds 3] [--targets 20]
Everything runs against the loopback simulator in a throwaway HOME.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from isolation import isolate  # beside this file


def _notebook(path: str, repos: list[str]) -> None:
    cells = [
        "from transformers import AutoModel\nfrom datasets import load_dataset",
        *(
            f"ds_{n} = load_dataset({repo!r})"
            if n % 4 == 3
            else f"m_{n} = AutoModel.from_pretrained({repo!r})"
            for n, repo in enumerate(repos)
        ),
    ]
    nb = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None}
            for c in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(nb, handle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency", type=float, default=0.3, help="injected Hub round trip, seconds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--targets", type=int, default=20)
    args = parser.parse_args(argv)
    home = isolate()

    from hfauth_nb.engine.diagnose import diagnose
    from hfauth_nb.engine.hub import clear_whoami_cache
    from hfauth_nb.targets.check import run_preflight
    from hfauth_nb.testing import FakeHub

    hub = FakeHub(latency=args.latency)
    url = hub.start()
    try:
        hub.add_user("bench")
        os.environ["HF_TOKEN"] = hub.add_token("bench", role="write")
        repos = []
        for n in range(args.targets):
            kind = "dataset" if n % 4 == 3 else "model"
            repo = f"org/{kind}-{n}"
            hub.add_repo(repo, kind, gated="manual" if n % 5 == 0 else False, files={"config.json": "{}"})
            repos.append(repo)
        path = os.path.join(home, "bench.ipynb")
        _notebook(path, repos)
        single, many, whoami = [], [], []
        for _ in range(args.rounds):
            clear_whoami_cache()
            started = time.monotonic()
            diagnose(repos[1], endpoint=url, timeout=30)
            single.append(time.monotonic() - started)
            clear_whoami_cache()
            hub.clear_requests()
            started = time.monotonic()
            result = run_preflight([path], endpoint=url, timeout=30)
            many.append(time.monotonic() - started)
            whoami.append(sum(1 for r in hub.requests if r.path.endswith("/api/whoami-v2")))
            assert len(result.rows) == args.targets, len(result.rows)
    finally:
        hub.stop()
    one, all_ = statistics.median(single), statistics.median(many)
    print(f"latency {args.latency:.3f} s, {args.targets} targets, {args.rounds} rounds (medians)")
    print(f"single-repo check (whoami not cached): {one:.3f} s")
    print(f"preflight of {args.targets} targets:      {all_:.3f} s   whoami requests per preflight: {whoami}")
    print(f"ratio preflight / single check: {all_ / one:.2f}   (goal <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
