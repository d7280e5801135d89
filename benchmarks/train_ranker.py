#!/usr/bin/env python3
"""Learn the reranker and the abstention model from WikiQA; write their weights to the project.

usage: python benchmarks/train_ranker.py PATH/WikiQA-train.tsv[.gz]
           [--write retrieval/ranker_weights.py]

1. Ranking: a pairwise logistic regression (RankNet-style, linear) on the differences between
   the features (retrieval/rerank.py FEATURES) of a correct and a wrong BM25 candidate of the
   same question. Pairwise, so a feature that is the same for all of a question's candidates
   cannot soak up weight, and the weights transfer to articles with other base rates.
2. Answering or abstaining: a logistic regression on each question's TRIGGER_FEATURES,
   labelled by whether its top-ranked sentence is correct.
3. The abstention threshold: the probability below which only ABSTAIN_MISS_RATE (5%) of the
   training questions whose top sentence is right fall, i.e. the bot gives up at most one
   answer in twenty that it would have got right. A reader who asked a question the article
   answers should nearly always get the answer; WikiQA's many unanswerable questions decide
   how low the probabilities of the wrong ones go.

Only the resulting handful of numbers are shipped. Needs scikit-learn (training time only).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from wikiqa import WikiQuestion, read_wikiqa

from retrieval import QA, Corpus
from retrieval.rerank import FEATURES, TRIGGER_FEATURES, Model, linear, trigger_features

ABSTAIN_MISS_RATE = 0.05


def rankings(items: Sequence[WikiQuestion]):
    # The features do not depend on the model's weights: rank with neutral ones.
    neutral = Model.neutral()
    for item in items:
        qa = QA(Corpus.from_sentences(item.sentences, title=item.title), model=neutral)
        yield item, qa.rank(item.question)


def pairs(items: Sequence[WikiQuestion]) -> tuple[np.ndarray, np.ndarray]:
    """Feature differences (right - wrong, and the reverse) within each question."""
    rows, labels = [], []
    for item, ranked in rankings(items):
        right = [np.asarray(c.features) for c in ranked.candidates if item.labels[c.doc]]
        wrong = [np.asarray(c.features) for c in ranked.candidates if not item.labels[c.doc]]
        for r in right:
            for w in wrong:
                rows += [r - w, w - r]
                labels += [1, 0]
    return np.asarray(rows), np.asarray(labels)


def question_rows(
    items: Sequence[WikiQuestion], rank_weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each question's trigger features under `rank_weights`, and whether its top is right."""
    rows, labels = [], []
    for item, ranked in rankings(items):
        if not ranked.candidates:
            continue
        scored = sorted(
            ((linear(c.features, rank_weights), -c.doc, c) for c in ranked.candidates),
            key=lambda t: (t[0], t[1]),
            reverse=True,
        )
        top = scored[0][2]
        rows.append(
            trigger_features(
                [s for s, _, _ in scored[:2]],
                top.features,
                [c.features for c in ranked.candidates],
                ranked.query,
            )
        )
        labels.append(item.labels[top.doc])
    return np.asarray(rows), np.asarray(labels)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", help="WikiQA-train.tsv[.gz]")
    parser.add_argument("--write", type=Path, help="write the weights module here")
    args = parser.parse_args(argv)
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("train_ranker: needs scikit-learn (pip install scikit-learn)", file=sys.stderr)
        return 2

    items = read_wikiqa(args.train)
    x, y = pairs(items)
    ranker = LogisticRegression(fit_intercept=False, max_iter=5000).fit(x, y)
    rank_weights = ranker.coef_[0]
    for name, w in zip(FEATURES, rank_weights, strict=True):
        print(f"rank    {name:12} {w:+.3f}")

    qx, qy = question_rows(items, rank_weights)
    trigger = LogisticRegression(max_iter=5000).fit(qx, qy)
    trigger_weights, trigger_bias = trigger.coef_[0], float(trigger.intercept_[0])
    for name, w in zip(TRIGGER_FEATURES, trigger_weights, strict=True):
        print(f"trigger {name:12} {w:+.3f}")
    print(f"trigger {'bias':12} {trigger_bias:+.3f}")
    right = trigger.predict_proba(qx[qy == 1])[:, 1]
    threshold = float(np.quantile(right, ABSTAIN_MISS_RATE))
    print(
        f"abstain below {threshold:.4f} ({ABSTAIN_MISS_RATE:.0%} of right top answers fall below)"
    )

    model = Model(
        tuple(float(w) for w in rank_weights),
        tuple(float(w) for w in trigger_weights),
        trigger_bias,
        threshold,
    )
    if args.write:
        provenance = (
            f"From {len(items)} WikiQA questions and {len(y) // 2} right/wrong candidate pairs."
        )
        args.write.write_text(model.source(provenance), encoding="utf-8")
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
