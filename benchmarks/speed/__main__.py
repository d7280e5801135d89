"""python -m benchmarks.speed: run every section, print the tables (and --json).

Also the entry point of the worker processes (`--worker KIND ...`), which measure one
system each in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __doc__ as DOC
from .common import say


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    description = (DOC or "").split("\n\n")[0]
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=description)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument(
        "--max-sentences",
        type=int,
        default=100_000,
        metavar="N",
        help="largest synthetic corpus (default 100000; 1000000 adds 1M)",
    )
    parser.add_argument("--corpus", metavar="PATH", help="article(s) for the article section")
    parser.add_argument(
        "--qa-sentences",
        type=int,
        default=10_000,
        metavar="N",
        help="size of the real-text QA corpus (0: skip; default 10000)",
    )
    parser.add_argument("--rounds", type=int, default=50, help="rounds over the questions")
    parser.add_argument("--runs", type=int, default=7, help="process starts per measurement")
    parser.add_argument(
        "--runtime-venv",
        type=Path,
        metavar="DIR",
        help="runtime-only venv (default: created once in the cache dir)",
    )
    parser.add_argument(
        "--no-runtime-venv", action="store_true", help="measure cold start in this environment only"
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_worker(kind: str, *rest: str) -> dict[str, Any]:
    if kind == "scale":
        from .index import worker_scale

        return worker_scale(rest[0], int(rest[1]), int(rest[2]))
    if kind == "qa":
        from .realtext import worker_qa

        return worker_qa(rest[0], rest[1])
    if kind == "bot":
        from .bot_loop import worker_bot

        return worker_bot(rest[0])
    raise SystemExit(f"unknown worker {kind}")


def bot_and_real_text(report: dict[str, Any], args: argparse.Namespace) -> None:
    """The bot loop on the article, and the varied archive (QA and bot loop) if asked for."""
    from .bot_loop import available, bench_bot_loop
    from .realtext import bench_real_text, varied_corpus

    with tempfile.TemporaryDirectory(prefix="article-qa-bench-") as scratch:
        folder = Path(scratch) / "archive"
        folder.mkdir()
        files = varied_corpus(folder, args.qa_sentences, args.corpus) if args.qa_sentences else 0
        # The workers below (QA.load with the cache) keep their corpus cache in here.
        os.environ["ARTICLE_QA_CACHE_DIR"] = str(Path(scratch) / "cache")
        report["bot_loop"] = {}
        if available():
            say("bot loop ...")
            report["bot_loop"]["article"] = bench_bot_loop(args.corpus or "-")
        report["real_text"] = {}
        if files:
            say(f"real text: {args.qa_sentences:,} sentences ...")
            report["real_text"] = bench_real_text(folder, files)
            if report["bot_loop"]:
                report["bot_loop"]["varied archive"] = bench_bot_loop(folder)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.worker:
        print(json.dumps(run_worker(*args.worker)))
        return 0

    from .article import bench_article
    from .common import machine
    from .index import SIZES, bench_scale, peers
    from .report import print_report
    from .startup import bench_cold_start, environments
    from .targets import targets

    report: dict[str, Any] = {"machine": machine()}
    say("article ...")
    report["article"] = bench_article(args.corpus, args.rounds)
    say("cold start and memory ...")
    found = environments(args.runtime_venv, not args.no_runtime_venv)
    report["cold_start"] = {name: bench_cold_start(path, args.runs) for name, path in found.items()}
    bot_and_real_text(report, args)
    sizes = [s for s in SIZES if s <= args.max_sentences]
    report["scale"] = bench_scale(sizes, peers())
    report["targets"] = targets(report)
    print_report(report)
    if args.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
