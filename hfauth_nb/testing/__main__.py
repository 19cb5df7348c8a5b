"""`python -m hfauth_nb.testing serve [--port N] [--demo]`: run a simulated Hub in the foreground.

Prints the URL (and, with --demo, the demo tokens masked) and serves until Ctrl-C or SIGTERM. Full
token values go only to `--tokens-file` (mode 0600), never to the terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from types import FrameType
from typing import Sequence

from hfauth_nb.secrets import mask
from hfauth_nb.testing.hub import FakeHub

_WAKE_SECONDS = 0.5


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m hfauth_nb.testing", description="Loopback Hugging Face Hub simulator."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run a simulator on 127.0.0.1 until interrupted")
    serve.add_argument("--port", type=int, default=0, help="port to listen on (default: any free port)")
    serve.add_argument("--demo", action="store_true", help="load the demo users, tokens and repos")
    serve.add_argument("--latency", type=float, default=0.0, help="seconds of delay before every answer")
    serve.add_argument(
        "--tokens-file",
        metavar="PATH",
        help="with --demo: write {endpoint, tokens} as JSON to PATH (mode 0600)",
    )
    return parser


def _write_tokens_file(path: str, url: str, tokens: dict[str, str]) -> None:
    """Write the demo tokens where only this user can read them."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"endpoint": url, "tokens": tokens}, handle, indent=2)


def _build(args: argparse.Namespace) -> tuple[FakeHub, dict[str, str]]:
    if args.demo:
        from hfauth_nb.testing.demo import build_demo_hub

        return build_demo_hub(latency=args.latency, port=args.port)
    return FakeHub(latency=args.latency, port=args.port), {}


def _wait_for_signal() -> None:
    """Block until SIGINT/SIGTERM (polling so the wait stays interruptible everywhere)."""
    done = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, _stop)
    try:
        while not done.wait(_WAKE_SECONDS):
            pass
    except KeyboardInterrupt:
        pass


def serve(args: argparse.Namespace) -> int:
    """Start, print how to use it, serve until interrupted, stop."""
    hub, tokens = _build(args)
    try:
        url = hub.start()
    except OSError as exc:
        print(f"cannot listen on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(f"FakeHub listening on {url}", flush=True)
    print(f"  pass endpoint={url!r} to huggingface_hub, or set HF_ENDPOINT={url} before importing it")
    for purpose, token in tokens.items():
        print(f"  token {purpose:<13} {mask(token)}")
    if args.tokens_file and tokens:
        _write_tokens_file(args.tokens_file, url, tokens)
        print(f"  full tokens written to {args.tokens_file}")
    print("Ctrl-C to stop.", flush=True)
    try:
        _wait_for_signal()
    finally:
        hub.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m hfauth_nb.testing`."""
    args = _parser().parse_args(argv)
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
