"""The `article-qa` command: runs what the command line asks, exit codes and output; no
retrieval logic (the options are parser.py's)."""

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

from retrieval import QA, CorpusError
from retrieval.cluster.address import Address
from retrieval.ranking.index import RetrieverUnavailable

from .console.chat import run_chat
from .exits import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from .parser import build_parser
from .process import load_corpus
from .render import payloads
from .render import words as render
from .render.markup import ansi_bold, plain, terminal_safe
from .reports.feedback import FeedbackLog, ask_record, corpus_fingerprint
from .reports.owner import run_owner_command

if TYPE_CHECKING:
    from .scan_ahead import ScanAhead

log = logging.getLogger(__name__)


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
            print(payloads.reply_line(reply, sources, asked=question), flush=True)
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


def _index(path: str, index_dir: str | None, as_json: bool, strict: bool = False) -> int:
    from .process import build_index, index_location

    directory = None
    try:
        directory = index_location(path, index_dir)
        _, summary = build_index(path, directory, strict=strict)
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
        return _index(args.path, args.index_dir, args.json, args.strict)
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
        semantic=args.semantic,
        strict=args.strict,
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
