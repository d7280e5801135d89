"""The `article-qa` command: argument parsing, exit codes and output; no retrieval logic."""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import logging
import os
import sys
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from retrieval import DEFAULT_K, QA, CorpusError
from retrieval.cluster.address import Address, parse_addresses
from retrieval.ranking.index import RANK_BM25_UP_TO, RETRIEVER_KINDS, RetrieverUnavailable

from .console.chat import run_chat
from .discord.settings import add_discord_parser, snowflake
from .process import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, load_corpus
from .render import payloads
from .render import words as render
from .render.markup import ansi_bold, plain, terminal_safe
from .reports.feedback import FeedbackLog, ask_record, corpus_fingerprint
from .reports.owner import add_owner_parsers, run_owner_command
from .reports.store import DEFAULT_KEEP_DAYS

if TYPE_CHECKING:
    from .scan_ahead import ScanAhead

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


def _feedback_log(args: argparse.Namespace) -> FeedbackLog:
    return FeedbackLog(args.db, enabled=not args.no_log, keep_days=args.keep_days)


def _ask(qa: QA, questions: Sequence[str], k: int, as_json: bool, feedback: FeedbackLog) -> int:
    emphasis = ansi_bold if sys.stdout.isatty() and not os.environ.get("NO_COLOR") else plain
    corpus = corpus_fingerprint(qa) if feedback.enabled else ""
    for number, question in enumerate(questions):
        reply = qa.ask(question, k=k)
        if feedback.enabled:
            # Each question is answered on its own: each is its own conversation.
            conversation = uuid.uuid4().hex[:16]
            feedback.record(
                ask_record(reply, surface="cli", corpus=corpus, conversation=conversation)
            )
        sources = qa.sources(reply.answers)
        if as_json:
            print(payloads.reply_line(reply, sources), flush=True)
            continue
        if len(questions) > 1:
            print(("\n" if number else "") + f"Q: {terminal_safe(question)}")
        print(render.reply_text(reply, emphasis, sources))
    return EXIT_OK


def _eval(qa: QA, path: str, k: int, as_json: bool, verbose: bool) -> int:
    from retrieval.evaluation import EvalFileError, load_eval, metrics, run_eval

    try:
        conversations = load_eval(path)
    except EvalFileError as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return EXIT_USAGE
    judgements = run_eval(qa, conversations, k)
    if verbose:
        for j in judgements:
            print(render.judgement_line(j), file=sys.stderr if as_json else sys.stdout)
    scores = metrics(judgements)
    if as_json:
        print(json.dumps(scores))
    else:
        print("\n".join(f"{name}: {_metric(value)}" for name, value in scores.items()))
    return EXIT_OK


def _index(path: str, index_dir: str | None, as_json: bool) -> int:
    from .process import build_index, index_location

    directory = None
    try:
        directory = index_location(path, index_dir)
        _, summary = build_index(path, directory)
    except CorpusError as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        if directory is None:  # the path itself is unusable (a name too long, say)
            print(f"article-qa: {path}: {error.strerror or error}", file=sys.stderr)
            return EXIT_USAGE
        print(f"article-qa: {directory}: cannot write the index ({error})", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    if as_json:
        print(json.dumps({**dataclasses.asdict(summary), "index": str(directory)}))
    else:
        print(render.index_summary(summary, str(directory)))
    return EXIT_OK


def _index_cluster(
    path: str, index_dir: str | None, shards: Sequence[Address], as_json: bool
) -> int:
    from retrieval.cluster.writer import write_shards

    from .console.progress import ProgressBar

    qa = load_corpus(path, index_dir=index_dir)
    if qa is None:
        return EXIT_USAGE
    bar = ProgressBar(label="writing to the shards")
    try:
        summary = write_shards(qa.corpus, shards, progress=bar)
    except RetrieverUnavailable as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    finally:
        bar.done()
    if as_json:
        print(json.dumps(dataclasses.asdict(summary)))
    else:
        print(render.cluster_summary(summary))
    return EXIT_OK


def _metric(value: float | int | None) -> str:
    if value is None:
        return "n/a (no such items)"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _tolerate_bad_bytes() -> None:
    """Bytes that are not UTF-8 become U+FFFD instead of a traceback, whatever the locale."""
    for stream, errors in ((sys.stdin, "replace"), (sys.stdout, "replace")):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=errors)


def _valid_text(argument: str) -> str:
    """An argument as valid text: Python smuggles undecodable bytes in as lone surrogates."""
    try:
        return argument.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate no byte could have produced
        return argument.encode("utf-8", "replace").decode("utf-8")


def main(argv: Sequence[str] | None = None, scan_ahead: ScanAhead | None = None) -> int:
    """`article-qa ARGV`; `scan_ahead`: a walk of the corpus folder started before the
    imports (bot.launch), which `ask` may use to know the folder's index is current."""
    _tolerate_bad_bytes()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "ask":
        args.questions = [_valid_text(q) for q in args.questions]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "discord":
        # Imported only here: `ask` and `chat` never load discord.py.
        from .discord.run import run_discord
        from .discord.settings import DiscordSettings

        try:
            settings = DiscordSettings.from_args(args)
        except ValueError as error:
            print(f"article-qa: {error}", file=sys.stderr)
            return EXIT_USAGE
        return run_discord(settings)
    if args.command in {"report", "feedback"}:
        return run_owner_command(args)
    if args.command == "index":
        if args.sphinx:
            return _index_cluster(args.path, args.index_dir, args.sphinx, args.json)
        return _index(args.path, args.index_dir, args.json)
    if args.command == "ask" and any(not q.strip() for q in args.questions):
        parser.error('a question cannot be empty; try: article-qa ask "Who is the sheriff?"')
    cluster = getattr(args, "sphinx", None)
    if cluster and len(cluster) > 1:
        parser.error("--sphinx takes one distributed index here (the shards are its agents)")
    qa = load_corpus(
        args.corpus,
        args.retriever,
        args.index_dir,
        cluster[0] if cluster else None,
        trust_index=args.trust_index,
        scan_ahead=scan_ahead,
    )
    if qa is None:
        return EXIT_USAGE
    try:
        if args.command == "ask":
            return _ask(qa, args.questions, args.k, args.json, _feedback_log(args))
        if args.command == "eval":
            return _eval(qa, args.file, args.k, args.json, args.verbose)
        return run_chat(qa, args.k, args.json, feedback=_feedback_log(args))
    except BrokenPipeError:
        # `article-qa ask ... | head` closing early is not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except RetrieverUnavailable as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
