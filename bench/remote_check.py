"""Benchmark: a repo check's wall time against the Hub's round trip, and how fast a stalled Hub is reported.

Prints ratios measured in this one run (no absolute thresholds: these machines are shared and noisy):
- cold check (whoami not cached) / injected RTT, and / one measured request to the same simulator;
- warm check (whoami cached for the session) / injected RTT;
- stalled Hub: time to the `hub-unreachable` report / the --timeout budget.

Run: .venvs/newest/bin/python bench/remote_check.py [--latency 0.3] [--rounds 5]
Everything runs against the loopback simulator in a throwaway HOME.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.request

from isolation import isolate  # beside this file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency", type=float, default=0.3, help="injected Hub round trip, seconds")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=2.0, help="budget for the stalled-Hub case")
    args = parser.parse_args(argv)
    isolate()

    from hfauth_nb.engine.diagnose import diagnose
    from hfauth_nb.engine.hub import clear_whoami_cache
    from hfauth_nb.testing import FakeHub

    hub = FakeHub(latency=args.latency)
    url = hub.start()
    try:
        hub.add_user("bench")
        os.environ["HF_TOKEN"] = hub.add_token("bench", role="write")
        hub.add_repo("org/gated", gated="manual")
        hub.set_access("org/gated", "bench", "accepted")

        single = []
        for _ in range(args.rounds):
            started = time.monotonic()
            urllib.request.urlopen(f"{url}/api/models/org/gated", timeout=10).read()
            single.append(time.monotonic() - started)

        cold, warm, sent = [], [], []
        for _ in range(args.rounds):
            clear_whoami_cache()
            hub.clear_requests()
            started = time.monotonic()
            report = diagnose("org/gated", endpoint=url, timeout=10)
            cold.append(time.monotonic() - started)
            sent.append(len(hub.requests))
            assert report.ok, report.verdict
            started = time.monotonic()
            diagnose("org/gated", endpoint=url, timeout=10)
            warm.append(time.monotonic() - started)

        hub.fail(r".*", status="stall")
        stalled = []
        for _ in range(max(2, args.rounds // 2)):
            clear_whoami_cache()
            started = time.monotonic()
            report = diagnose("org/gated", endpoint=url, timeout=args.timeout)
            stalled.append(time.monotonic() - started)
            assert report.ids[0] == "hub-unreachable", report.ids
    finally:
        hub.stop()

    rtt = statistics.median(single)
    print(
        f"injected latency {args.latency:.3f} s, measured single request {rtt:.3f} s (median of {len(single)})"
    )
    print(f"requests per check: {statistics.median(sent):.0f} (all sent at once)")
    print(f"cold check / injected RTT : {statistics.median(cold) / args.latency:.2f}   (target <= 1.5)")
    print(f"cold check / measured RTT : {statistics.median(cold) / rtt:.2f}")
    print(f"warm check / injected RTT : {statistics.median(warm) / args.latency:.2f}   (whoami cached)")
    print(
        f"stalled Hub report / budget: {statistics.median(stalled) / args.timeout:.2f}   (budget {args.timeout:g} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
