"""The owner's commands: `article-qa report` and `article-qa feedback export|purge`."""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from .. import paths
from ..exits import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from ..process import load_corpus
from .feedback import corpus_fingerprint
from .store import AskRecord, Store, StoreError, VoteRecord

log = logging.getLogger(__name__)


def _date(value: str) -> str:
    from .report import since_timestamp

    try:
        since_timestamp(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-11-28: {value!r}") from None
    return value


EVERY_CORPUS = (
    "what every corpus was asked (default: only the --corpus one, the bundled article unless given)"
)


def add_owner_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    corpus: argparse.ArgumentParser,
    storage: argparse.ArgumentParser,
    snowflake: Callable[[str], int],
) -> None:
    """`report` and `feedback`: the commands of the bot's owner, not of its users."""
    report = commands.add_parser(
        "report",
        parents=[corpus, storage],
        help="what users asked and how they rated the answers",
        description="Questions the article could not answer (grouped), answers voted down, "
        "the helpful rate per day and the paragraphs that answer most. Times are UTC.",
    )
    report.add_argument("--since", type=_date, metavar="DATE", help="from this day on (UTC)")
    report.add_argument("--all", action="store_true", help=EVERY_CORPUS)
    report.add_argument("--json", action="store_true", help="print the report as one JSON object")
    report.add_argument(
        "--html", metavar="FILE", help="also write a self-contained HTML report to FILE"
    )
    feedback = commands.add_parser(
        "feedback",
        help="export votes as an eval file, or forget one user",
        description="Turn recorded votes and unanswered questions into an eval file, or "
        "forget a Discord user's questions and votes.",
    )
    actions = feedback.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        parents=[corpus, storage],
        help="write an eval file (JSON lines) for `article-qa eval`",
        description="Up-voted answers become expected answers; unanswered questions become "
        "answers: [] items for you to review.",
    )
    export.add_argument("file", metavar="FILE.jsonl")
    export.add_argument("--all", action="store_true", help=EVERY_CORPUS)
    purge = actions.add_parser(
        "purge",
        parents=[storage],
        help="forget one Discord user's questions and votes",
        description="Delete every question and vote of one Discord user.",
    )
    purge.add_argument("--user", type=snowflake, required=True, metavar="ID")


def _records(
    path: Path, keep_days: float, since: float = 0.0, corpus: str | None = None
) -> tuple[list[AskRecord], list[VoteRecord]]:
    """The asks and votes on record; with `corpus` (a fingerprint), only that corpus's."""
    if not path.exists():  # nothing recorded yet: an empty report, and no file made for it
        return [], []
    with Store.open(path, keep_days) as store:
        asks, votes = store.asks(since), store.votes(since)
    if corpus is None:
        return asks, votes
    asks = [a for a in asks if a.corpus == corpus]
    ids = {a.id for a in asks}
    return asks, [v for v in votes if v.ask in ids]


def run_owner_command(args: argparse.Namespace) -> int:
    """`report` or `feedback ...`; the exit code. Storage errors are one line on stderr."""
    path = Path(args.db).expanduser() if args.db else paths.feedback_db()
    try:
        if args.command == "report":
            return _report(args, path)
        if args.action == "export":
            return _export(args, path)
        return _purge(args, path)
    except (OSError, sqlite3.Error, StoreError) as error:
        print(f"article-qa: {path}: {error}", file=sys.stderr)
        return EXIT_FAILURE


def _report(args: argparse.Namespace, path: Path) -> int:
    from .report import build_report, report_text, since_timestamp

    since = since_timestamp(args.since) if args.since else 0.0
    qa = load_corpus(args.corpus, index_dir=args.index_dir)
    if qa is None:
        return EXIT_USAGE
    corpus = None if args.all else corpus_fingerprint(qa)
    report = build_report(*_records(path, args.keep_days, since, corpus), since=args.since)
    if args.html:
        from .html import report_html

        page = report_html(report, qa, every_corpus=args.all)
        Path(args.html).write_text(page, encoding="utf-8")
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    elif args.html:
        print(f"HTML report: {args.html}")  # the page says it all: not the text again
    else:
        print(report_text(report))
    return EXIT_OK


def _export(args: argparse.Namespace, path: Path) -> int:
    from .export import export_items

    qa = load_corpus(args.corpus, index_dir=args.index_dir)
    if qa is None:
        return EXIT_USAGE
    corpus = None if args.all else corpus_fingerprint(qa)
    items = export_items(*_records(path, args.keep_days, corpus=corpus), qa.sentences)
    lines = (json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    Path(args.file).write_text("".join(lines), encoding="utf-8")
    answered = sum(bool(item["answers"]) for item in items)
    print(
        f"{args.file}: {answered} up-voted answers and {len(items) - answered} unanswered "
        f"questions to review; score with: article-qa eval {args.file}"
    )
    return EXIT_OK


def _purge(args: argparse.Namespace, path: Path) -> int:
    from .feedback import FeedbackLog

    if not path.exists():
        print(f"Nothing recorded at {path}.")
        return EXIT_OK
    person = FeedbackLog(path).hash_id(args.user)
    with Store.open(path, args.keep_days) as store:
        asks, votes = store.purge_person(person)
    print(f"Forgot user {args.user}: {asks} questions and {votes} votes.")
    return EXIT_OK
