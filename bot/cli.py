"""The `article-qa` command: argument parsing, exit codes and output; no retrieval logic."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence

from retrieval import DEFAULT_K, QA, CorpusError

from . import render
from .console import run_chat

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
MAX_RESULTS = 20

log = logging.getLogger(__name__)


def _results(value: str) -> int:
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= k <= MAX_RESULTS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_RESULTS}, not {k}")
    return k


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="article-qa",
        description="Answer questions about a news article with its own cited sentences.",
        epilog="Run 'article-qa COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    corpus = argparse.ArgumentParser(add_help=False)
    corpus.add_argument(
        "--corpus",
        metavar="PATH",
        help="an article file, or a folder of .txt/.md articles (default: the bundled article)",
    )
    answering = argparse.ArgumentParser(add_help=False, parents=[corpus])
    answering.add_argument(
        "-k", type=_results, default=DEFAULT_K, metavar="N",
        help=f"sentences per answer, 1-{MAX_RESULTS} (default {DEFAULT_K})",
    )
    answering.add_argument(
        "--json", action="store_true", help="one JSON object per question, one per line"
    )

    ask = commands.add_parser(
        "ask", parents=[answering], help="answer one or more questions, each on its own",
        description="Answer each QUESTION independently with the article's cited sentences.",
    )
    ask.add_argument("questions", nargs="+", metavar="QUESTION")

    commands.add_parser(
        "chat", parents=[answering], help="chat about the article (reads stdin when piped)",
        description="Interactive chat on a terminal; when stdin is piped, one question per "
        "line, answered in turn, with follow-ups building on earlier questions.",
    )
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("article-qa")
    except PackageNotFoundError:
        return "unknown"


def _load(path: str | None) -> QA:
    return QA.load(path)


def _ask(qa: QA, questions: Sequence[str], k: int, as_json: bool) -> int:
    emphasis = render.ansi_bold if sys.stdout.isatty() and not os.environ.get("NO_COLOR") else render.plain
    for number, question in enumerate(questions):
        reply = qa.ask(question, k=k)
        if as_json:
            print(json.dumps(render.reply_json(reply), ensure_ascii=False), flush=True)
            continue
        if len(questions) > 1:
            print(("\n" if number else "") + f"Q: {question}")
        print(render.reply_text(reply, emphasis))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "ask" and any(not q.strip() for q in args.questions):
        parser.error("a question cannot be empty; try: article-qa ask \"Who is the sheriff?\"")
    try:
        qa = _load(args.corpus)
    except CorpusError as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "ask":
            return _ask(qa, args.questions, args.k, args.json)
        return run_chat(qa, args.k, args.json)
    except BrokenPipeError:
        # `article-qa ask ... | head` closing early is not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
