#!/usr/bin/env python3
"""WikiQA answer selection and answer triggering: the project's pipeline beside naive BM25.

usage: python benchmarks/wikiqa.py PATH/WikiQA-dev.tsv[.gz] [--json] [--limit N]

For each question, the pipeline indexes that question's candidate sentences (already split
by WikiQA) and ranks them with the same analysis, scoring and abstention as the bot. Labels
are read only to score. Reports MAP, MRR and P@1 over questions with at least one correct
sentence, and answer-triggering precision, recall and F1 over all questions (a question is
triggered when the pipeline does not abstain, and correct when its top sentence is labelled
correct), with the naive baseline (rank-bm25 BM25Okapi over lowercased regex word tokens,
no abstention) from the same run.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

sys.path.insert(0, str(Path(__file__).parent))
from encoders import add_encoder_arguments, encoder_of

from retrieval import QA
from retrieval.ranking.encoder import Encoder


@dataclass(frozen=True)
class WikiQuestion:
    qid: str
    question: str
    title: str
    sentences: tuple[str, ...]
    labels: tuple[int, ...]

    @property
    def answerable(self) -> bool:
        return any(self.labels)


def read_wikiqa(path: str | Path) -> list[WikiQuestion]:
    """Questions with their candidate sentences, in file order."""
    opener = gzip.open if str(path).endswith(".gz") else open
    grouped: dict[str, list[dict[str, str]]] = {}
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            grouped.setdefault(row["QuestionID"], []).append(row)
    return [
        WikiQuestion(
            qid,
            rows[0]["Question"],
            rows[0]["DocumentTitle"],
            tuple(r["Sentence"] for r in rows),
            tuple(int(r["Label"]) for r in rows),
        )
        for qid, rows in grouped.items()
    ]


@dataclass(frozen=True)
class Outcome:
    order: list[int]  # candidate sentence indices, best first, every sentence once
    triggered: bool


def complete(order: Sequence[int], size: int) -> list[int]:
    """A full ranking: the ranked sentences, then the unranked ones in document order."""
    seen = set(order)
    return [*order, *(i for i in range(size) if i not in seen)]


def project(item: WikiQuestion, encoder: Encoder | None = None) -> Outcome:
    qa = QA.from_sentences(item.sentences, title=item.title)
    if encoder is not None:
        qa = QA(qa.corpus, encoder=encoder)
    ranked = qa.rank(item.question)
    order = [c.doc for c in ranked.candidates]
    return Outcome(
        complete(order, len(item.sentences)), bool(ranked.candidates) and not ranked.reason
    )


_WORD = re.compile(r"\w+")


def naive(item: WikiQuestion) -> Outcome:
    docs = [_WORD.findall(s.lower()) for s in item.sentences]
    if not any(docs):
        return Outcome(list(range(len(docs))), True)
    scores = BM25Okapi(docs).get_scores(_WORD.findall(item.question.lower()))
    return Outcome([int(i) for i in np.argsort(-scores, kind="stable")], True)


def score(items: Sequence[WikiQuestion], system: Callable[[WikiQuestion], Outcome]) -> dict:
    aps, rrs, p1s = [], [], []
    triggered = triggered_correct = answerable = 0
    for item in items:
        outcome = system(item)
        top_correct = bool(outcome.order) and item.labels[outcome.order[0]] == 1
        if outcome.triggered:
            triggered += 1
            triggered_correct += top_correct
        if not item.answerable:
            continue
        answerable += 1
        hits, precisions, first = 0, [], 0.0
        for rank, index in enumerate(outcome.order, start=1):
            if item.labels[index]:
                hits += 1
                precisions.append(hits / rank)
                first = first or 1.0 / rank
        aps.append(sum(precisions) / hits)
        rrs.append(first)
        p1s.append(float(top_correct))
    precision = triggered_correct / triggered if triggered else 0.0
    recall = triggered_correct / answerable if answerable else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "map": _mean(aps),
        "mrr": _mean(rrs),
        "p_at_1": _mean(p1s),
        "trigger_precision": precision,
        "trigger_recall": recall,
        "trigger_f1": f1,
        "questions": len(items),
        "answerable": answerable,
    }


def _mean(values: list[float]) -> float | None:
    """None when no question has a correct sentence: there is nothing to rank."""
    return float(np.mean(values)) if values else None


def _cell(value: float | None) -> str:
    return f"{value:11.3f}" if value is not None else f"{'n/a':>11}"


def iterate_table(ours: dict, baseline: dict) -> Iterator[str]:
    yield f"{'metric':18} {'article-qa':>11} {'naive bm25':>11}"
    for key in ("map", "mrr", "p_at_1", "trigger_precision", "trigger_recall", "trigger_f1"):
        yield f"{key:18} {_cell(ours[key])} {_cell(baseline[key])}"
    yield f"questions: {ours['questions']} ({ours['answerable']} with a correct sentence)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", help="WikiQA-{split}.tsv or .tsv.gz")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of metrics")
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions")
    add_encoder_arguments(parser)
    args = parser.parse_args(argv)
    try:
        items = read_wikiqa(args.data)
    except (OSError, KeyError, ValueError) as error:
        print(f"wikiqa: cannot read {args.data}: {error}", file=sys.stderr)
        return 2
    if args.limit:
        items = items[: args.limit]
    if not items:
        print(f"wikiqa: no questions in {args.data}", file=sys.stderr)
        return 2
    ours = score(items, functools.partial(project, encoder=encoder_of(args)))
    baseline = score(items, naive)
    for line in iterate_table(ours, baseline):
        print(line)
    if args.json:
        print(json.dumps({**ours, "baseline": baseline}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
