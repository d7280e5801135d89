"""A realistic day of use, recorded: what logging costs, and the report it makes.

    python benchmarks/feedback_day.py [--asks 300] [--db PATH] [--html FILE] [--seed 13]

Questions come from the project's own question set (answerable ones, asked with varied
wording) and from questions the article does not answer; about a third of the answers get a
vote, mostly up when the answer is right and mostly down when it is not (as the set's gold
answers judge). Each ask goes through the console's path (`QA.ask`, then
`FeedbackLog.record` in the same thread), timed with and without the write; then the report
is printed. Discord writes the same record in its writer thread, off the event loop.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.reports.feedback import FeedbackLog, ask_record, corpus_fingerprint  # noqa: E402
from bot.reports.report import build_report, report_text  # noqa: E402
from bot.reports.store import Store  # noqa: E402
from retrieval import QA  # noqa: E402
from retrieval.evaluation import fold  # noqa: E402

UNANSWERED = [
    "What is the capital of France?",
    "What's France's capital city?",
    "When was Jeff Sessions born?",
    "How old is Jeff Sessions?",
    "What does the mayor of Austin think?",
    "Who is the mayor of Austin?",
    "How many people live in Travis County?",
    "What is the population of Travis County?",
    "Did any court rule on this?",
    "What did the courts decide?",
    "How many immigrants were deported last year?",
    "What happened with the travel ban?",
]
OPENERS = ["", "", "", "Quick question: ", "hey, ", "Can you tell me: "]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--asks", type=int, default=300)
    parser.add_argument("--db", help="write here (default: a new temporary file)")
    parser.add_argument("--html", help="also write the HTML report to this file")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    questions = [
        json.loads(line)
        for line in (ROOT / "tests/data/sanctuary-questions.jsonl").read_text().splitlines()
        if line.strip()
    ]
    answerable = [q for q in questions if "question" in q and q.get("answers")]
    qa = QA.load()
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "day.sqlite3"
    feedback = FeedbackLog(db)
    corpus = corpus_fingerprint(qa)
    # Yesterday, midnight to midnight UTC: one whole day, within any retention period.
    day_start = (time.time() // 86_400 - 1) * 86_400
    users = [f"{rng.randrange(10**17, 10**18)}" for _ in range(40)]

    # Warm up: nltk's stemmer, the store's first open and migration.
    qa.ask("Where is Austin?")
    feedback.record(ask_record(qa.ask("warm-up"), surface="console", corpus=corpus,
                               conversation="warm", at=day_start - 10**7))  # fmt: skip
    Store.open(db).close()  # purges the warm-up ask as too old

    plain_ms, logged_ms, write_ms, vote_ms = [], [], [], []
    times = sorted(day_start + rng.uniform(7, 23) * 3600 for _ in range(args.asks))
    for n, at in enumerate(times):
        item = rng.choice(answerable) if rng.random() < 0.8 else None
        question = item["question"] if item else rng.choice(UNANSWERED)
        question = rng.choice(OPENERS) + (question if rng.random() < 0.8 else question.lower())
        discord = rng.random() < 0.7
        user = rng.choice(users)

        started = time.perf_counter()
        qa.ask(question)
        plain_ms.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        reply = qa.ask(question)
        written = time.perf_counter()
        record = ask_record(
            reply,
            surface="discord" if discord else "console",
            corpus=corpus,
            conversation=f"c{n}",
            asker=feedback.hash_id(user) if discord else None,
            at=at,
        )
        assert feedback.record(record)
        done = time.perf_counter()
        logged_ms.append((done - started) * 1000)
        write_ms.append((done - written) * 1000)

        if reply.abstained or not reply.answers or rng.random() > 0.35:
            continue
        right = item is not None and any(
            fold(g) in fold(reply.answers[0].text) for g in item["answers"]
        )
        up = rng.random() < (0.9 if right else 0.2)
        voter = feedback.hash_id(user) if discord else "console"
        started = time.perf_counter()
        feedback.vote(record.id, voter, up, at=at + rng.uniform(10, 600))
        vote_ms.append((time.perf_counter() - started) * 1000)
    feedback.close()

    with Store.open(db) as store:
        report = build_report(store.asks(), store.votes())
    print(report_text(report, limit=10))
    if args.html:
        from bot.reports.html import report_html

        Path(args.html).write_text(report_html(report, qa), encoding="utf-8")
    print(
        f"\nWrite cost per ask (FeedbackLog.record, {len(write_ms)} asks): "
        f"p50 {percentile(write_ms, 0.5):.3f} ms, p99 {percentile(write_ms, 0.99):.3f} ms; "
        f"per vote ({len(vote_ms)}): p50 {percentile(vote_ms, 0.5):.3f} ms, "
        f"p99 {percentile(vote_ms, 0.99):.3f} ms"
    )
    print(
        f"Answer latency, console path: without logging p50 {percentile(plain_ms, 0.5):.3f} ms, "
        f"p99 {percentile(plain_ms, 0.99):.3f} ms; with logging p50 "
        f"{percentile(logged_ms, 0.5):.3f} ms, p99 {percentile(logged_ms, 0.99):.3f} ms "
        f"(mean {statistics.mean(plain_ms):.3f} -> {statistics.mean(logged_ms):.3f} ms)"
    )
    print(f"Database: {db} ({db.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
