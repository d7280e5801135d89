"""The `article-qa` command line: its commands, options and their checks, as argparse reads them."""

from __future__ import annotations

import argparse

from retrieval import DEFAULT_K
from retrieval.cluster.address import Address, parse_addresses
from retrieval.ranking.index import RANK_BM25_UP_TO, RETRIEVER_KINDS

from .discord.settings import add_discord_parser, snowflake
from .reports.owner import add_owner_parsers
from .reports.store import DEFAULT_KEEP_DAYS

MAX_RESULTS = 20


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
    corpus.add_argument(
        "--index-dir",
        metavar="DIR",
        help="where the index of a large folder lives (default: in the user cache directory)",
    )
    corpus.add_argument(
        "--trust-index",
        action="store_true",
        help="answer from a large corpus's index as last built, without checking its files "
        "for changes first (for scripts asking many questions of an archive that does not "
        "change; `article-qa index PATH` refreshes it)",
    )
    corpus.add_argument(
        "--strict",
        action="store_true",
        help="refuse a folder with a file that is not an article (empty, binary, not UTF-8, "
        "a title alone) instead of skipping that file with a warning",
    )
    corpus.add_argument(
        "--semantic",
        action="store_true",
        help="weigh meaning too, with the bundled sentence encoder (hybrid ranking: better on "
        "WikiQA, not yet on news questions; starts about 0.5 s slower)",
    )
    corpus.add_argument(
        "--retriever",
        choices=RETRIEVER_KINDS,
        default="auto",
        help="BM25 by rank-bm25 itself, or by the inverted index (default auto: rank-bm25 up "
        f"to {RANK_BM25_UP_TO:,} sentences, the index beyond; both rank alike)",
    )
    served = argparse.ArgumentParser(add_help=False, parents=[corpus])
    served.add_argument(
        "--sphinx",
        type=_sphinx,
        metavar="HOST:PORT/INDEX",
        help="retrieve through this distributed Sphinx/Manticore index (its SphinxQL port) "
        "holding the corpus, written there by 'article-qa index PATH --sphinx SHARDS'",
    )
    answering = argparse.ArgumentParser(add_help=False, parents=[served])
    answering.add_argument(
        "-k",
        type=_results,
        default=DEFAULT_K,
        metavar="N",
        help=f"sentences per answer, 1-{MAX_RESULTS} (default {DEFAULT_K})",
    )
    answering.add_argument(
        "--json", action="store_true", help="one JSON object per question, one per line"
    )
    storage = argparse.ArgumentParser(add_help=False)
    storage.add_argument(
        "--db",
        metavar="PATH",
        help="the feedback database (default: feedback.sqlite3 in the user data directory)",
    )
    storage.add_argument(
        "--keep-days",
        type=_days,
        default=DEFAULT_KEEP_DAYS,
        metavar="N",
        help=f"forget asks older than N days when the database is opened (default "
        f"{DEFAULT_KEEP_DAYS})",
    )
    logged = argparse.ArgumentParser(add_help=False, parents=[storage])
    logged.add_argument("--no-log", action="store_true", help="do not record questions and votes")

    ask = commands.add_parser(
        "ask",
        parents=[answering, logged],
        help="answer one or more questions, each on its own",
        description="Answer each QUESTION independently with the article's cited sentences.",
    )
    ask.add_argument("questions", nargs="+", metavar="QUESTION")

    commands.add_parser(
        "chat",
        parents=[answering, logged],
        help="chat about the article (reads stdin when piped)",
        description="Interactive chat on a terminal; when stdin is piped, one question per "
        "line, answered in turn, with follow-ups building on earlier questions. /good and "
        "/bad rate the last answer.",
    )
    evaluate = commands.add_parser(
        "eval",
        parents=[corpus],
        help="score the QA on a question file (JSON lines)",
        description="Score answers against FILE (JSON lines: {id, question, answers} or "
        "{id, turns: [...]}; answers [] means the QA must abstain). Metrics as the shared "
        "scorer computes them.",
    )
    evaluate.add_argument("file", metavar="FILE.jsonl")
    evaluate.add_argument(
        "-k",
        type=_results,
        default=DEFAULT_K,
        metavar="N",
        help="answers asked per question, as `ask -k N` gives the shared scorer: recall@3 and "
        f"MRR@5 look at the first min(N, 3) and min(N, 5) (default {DEFAULT_K})",
    )
    evaluate.add_argument("--json", action="store_true", help="print the metrics as one JSON line")
    evaluate.add_argument("-v", "--verbose", action="store_true", help="list every item")
    index = commands.add_parser(
        "index",
        help="build or refresh the index of a folder of articles",
        description="Build the persistent index of PATH (a folder of .txt/.md articles, or "
        "one file), or refresh it: only new and changed files are analysed again. ask, chat "
        "and discord use it for a folder of more than 50 files or 256 KB.",
    )
    index.add_argument("path", metavar="PATH")
    index.add_argument("--index-dir", metavar="DIR", help="default: in the user cache directory")
    index.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    index.add_argument(
        "--strict",
        action="store_true",
        help="stop at a file that is not an article instead of skipping it with a warning",
    )
    index.add_argument(
        "--sphinx",
        type=_sphinx,
        metavar="HOST:PORT/INDEX[,...]",
        help="also write the sentences into these real-time shard indexes of a Sphinx/"
        "Manticore cluster (SphinxQL ports), each article to one shard; again replaces",
    )
    add_discord_parser(commands, served, logged)
    add_owner_parsers(commands, corpus, storage, snowflake)
    return parser


def _sphinx(value: str) -> tuple[Address, ...]:
    try:
        return parse_addresses(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _days(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from None
    if not days > 0 or days == float("inf"):
        raise argparse.ArgumentTypeError(f"a number of days above 0, not {value!r}")
    return days


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("article-qa")
    except PackageNotFoundError:
        return "unknown"
