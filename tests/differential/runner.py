"""`python -m tests.differential.runner`: run every differential scenario with this interpreter's
huggingface_hub and print the MATCH/MISMATCH table (used by scripts/sweep-differential; pytest runs the same
scenarios one test each in test_differential.py). Exit 1 on an unexpected cell or an error."""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor

from tests.differential.harness import Outcome, counts, run_scenario, table
from tests.differential.scenarios import SCENARIOS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.differential.runner")
    parser.add_argument("--jobs", type=int, default=2, help="scenarios run in parallel (default 2)")
    parser.add_argument("-k", dest="only", default="", help="run scenarios whose name contains this")
    parser.add_argument("-v", dest="verbose", action="store_true", help="show every cell's two sides")
    args = parser.parse_args(argv)
    chosen = [s for s in SCENARIOS if args.only in s.name]

    def run(s):  # type: ignore[no-untyped-def]
        try:
            return run_scenario(s)
        except Exception as exc:  # a harness failure is reported, not hidden
            return Outcome(s.name, "?", error=f"{type(exc).__name__}: {exc}")

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(run, chosen))
    import huggingface_hub

    version = huggingface_hub.__version__
    print(
        f"== huggingface_hub {version}: {len(outcomes)} scenarios x {len(outcomes[0].cells or [1])} cells =="
    )
    print(table(outcomes, verbose=args.verbose))
    n = counts(outcomes)
    print(
        f"TOTAL huggingface_hub {version}: {n['MATCH']} MATCH, {n['MISMATCH']} MISMATCH, "
        f"{n['XFAIL']} XFAIL (known), {n['XPASS']} XPASS, {n['ERROR']} ERROR"
    )
    return 1 if n["MISMATCH"] or n["XPASS"] or n["ERROR"] else 0


if __name__ == "__main__":
    sys.exit(main())
