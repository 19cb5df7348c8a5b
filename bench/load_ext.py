"""Benchmark: what `%load_ext hfauth_nb` costs over bare IPython, and what local fact gathering costs.

Each measurement runs in a fresh interpreter (imports are cached per process) in a throwaway HOME, several
times; medians are printed with ratios against the baseline measured in the same run:
- load_ext: (IPython shell + `%load_ext hfauth_nb`) / (IPython shell alone), and the difference in ms;
- local facts (tokens, netrc, the library's own header, git): their time / the time to import huggingface_hub
  with its HTTP stack (what any first Hub call pays).

Run: .venvs/newest/bin/python bench/load_ext.py [--rounds 9]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

_SHELL = """
import time, json
t0 = time.perf_counter()
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
t1 = time.perf_counter()
if {load}:
    shell.run_line_magic("load_ext", "hfauth_nb")
t2 = time.perf_counter()
import sys
print(json.dumps({{"shell": t1 - t0, "load": t2 - t1, "hub_imported": "huggingface_hub" in sys.modules,
                  "widgets_imported": "ipywidgets" in sys.modules}}))
"""

_FACTS = """
import time, json
t0 = time.perf_counter()
import huggingface_hub.utils._http  # the library with its HTTP stack, as any Hub call loads it
t1 = time.perf_counter()
from hfauth_nb.engine.facts import gather_local_facts
t2 = time.perf_counter()
gather_local_facts()
t3 = time.perf_counter()
print(json.dumps({"import_hub": t1 - t0, "import_engine": t2 - t1, "facts": t3 - t2}))
"""


def _run(code: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    home = tempfile.mkdtemp(prefix="hfauth-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env.update(HOME=home, HF_HOME=os.path.join(home, "hf"), HF_HUB_DISABLE_TELEMETRY="1", IPYTHONDIR=home)

    bare, loaded, leaked = [], [], []
    for _ in range(args.rounds):  # interleaved, so drift on a shared machine hits both alike
        b = _run(_SHELL.format(load=False), env)
        x = _run(_SHELL.format(load=True), env)
        bare.append(b["shell"] + b["load"])
        loaded.append(x["shell"] + x["load"])
        leaked.append(x["hub_imported"] or x["widgets_imported"])
    facts = [_run(_FACTS, env) for _ in range(args.rounds)]

    bare_ms, loaded_ms = statistics.median(bare) * 1000, statistics.median(loaded) * 1000
    print(f"IPython shell alone        : {bare_ms:7.1f} ms (median of {args.rounds})")
    print(f"IPython shell + %load_ext  : {loaded_ms:7.1f} ms")
    cost = loaded_ms - bare_ms
    print(
        f"%load_ext cost             : {cost:+7.1f} ms, ratio {loaded_ms / bare_ms:.3f}   (target: +10 ms at most)"
    )
    print(f"huggingface_hub/ipywidgets imported by %load_ext: {any(leaked)}")
    imp = statistics.median(f["import_hub"] for f in facts) * 1000
    gather = statistics.median(f["facts"] for f in facts) * 1000
    print(f"import hub + HTTP stack    : {imp:7.1f} ms")
    print(f"local fact gathering       : {gather:7.1f} ms, ratio to the import {gather / imp:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
