#!/usr/bin/env python3
"""Cross-validated quality on WikiQA train: the numbers to decide a change by.

usage: python benchmarks/cross_validate.py PATH/WikiQA-train.tsv[.gz] [--folds 5]
           [--merge-train N] [--json]

WikiQA dev has 126 answerable questions: a change that moves its p@1 by 0.02 moves one
answer in fifty, within chance. Here the train documents are dealt into folds; for each
fold the ranker, the trigger and the threshold are trained on the other folds exactly as
benchmarks/train_ranker.py trains the shipped model (its own rounds within them), and the
fold's questions are asked as `article-qa ask --corpus FILE` asks them
(benchmarks/wikiqa_articles.py): each document as
an article, then the fold's documents merged twenty to an article (long articles, answers
far from the opening), with look-alike unanswerables. Every train question is scored once,
by a model that never saw its document: 873 answerable questions, seven times dev's.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from encoders import add_encoder_arguments, encoder_of
from train_ranker import FOLDERS, FOLDS, MERGE, SEED, C, split_documents, train_all
from wikiqa_articles import (
    Item,
    folder_documents,
    merge_documents,
    metrics,
    read_split,
    run,
    with_lookalikes,
)

LONG_ARTICLE = 20  # documents to an article in the long-article test
FOLDER = 10  # documents to a folder (each its own article) in the folder test


def summary(judgements: list[dict], order: list[Item]) -> dict:
    real = [j for j, item in zip(judgements, order, strict=True) if item.kind == "wikiqa"]
    look = [j for j, item in zip(judgements, order, strict=True) if item.kind == "lookalike"]
    result = metrics(real)
    result["lookalike_abstain_accuracy"] = sum(j["ok"] for j in look) / max(1, len(look))
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", help="WikiQA-train.tsv[.gz]")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--inner-folds", type=int, default=FOLDS, help="train_ranker --folds, within a fold"
    )
    parser.add_argument("-C", type=float, default=C)
    parser.add_argument("--merge-train", type=int, default=MERGE, help="as train_ranker --merge")
    parser.add_argument(
        "--folders-train", type=int, default=FOLDERS, help="as train_ranker --folders"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--residual", action="store_true", help="as train_ranker --residual")
    add_encoder_arguments(parser)
    args = parser.parse_args(argv)
    encoder = encoder_of(args)
    documents, items = read_split(args.train)
    folds = split_documents(items, args.seed, args.folds)
    single: tuple[list[dict], list[Item]] = ([], [])
    long: tuple[list[dict], list[Item]] = ([], [])
    folder: tuple[list[dict], list[Item]] = ([], [])
    for k, fold in enumerate(folds):
        trained = train_all(
            documents,
            [i for i in items if i.doc not in fold],
            folds=args.inner_folds,
            seed=args.seed + k,
            c=args.C,
            merge=args.merge_train,
            encoder=encoder,
            folders=args.folders_train,
            residual=args.residual,
        )
        asked = with_lookalikes(documents, [i for i in items if i.doc in fold], args.seed)
        ours, _, _, order = run(documents, asked, 3, trained.model, encoder)
        single[0].extend(ours)
        single[1].extend(order)
        merged, merged_items = merge_documents(documents, asked, LONG_ARTICLE, args.seed)
        ours, _, _, order = run(merged, merged_items, 3, trained.model, encoder)
        long[0].extend(ours)
        long[1].extend(order)
        grouped, grouped_items = folder_documents(documents, asked, FOLDER, args.seed)
        ours, _, _, order = run(grouped, grouped_items, 3, trained.model, encoder)
        folder[0].extend(ours)
        folder[1].extend(order)
        print(f"fold {k + 1}/{args.folds} done", file=sys.stderr)
    if encoder is not None:
        encoder.flush()
    result = {
        "articles": summary(*single),
        f"merged_{LONG_ARTICLE}": summary(*long),
        f"folders_{FOLDER}": summary(*folder),
    }
    if args.json:
        print(json.dumps(result))
        return 0
    keys = ("p_at_1", "mrr_at_5", "abstain_accuracy", "false_abstain_rate", "trigger_f1")
    print(f"{'':12}" + "".join(f"{k:>20}" for k in (*keys, "lookalike_abstain_accuracy")))
    for name, values in result.items():
        cells = "".join(f"{values[k]:20.3f}" for k in (*keys, "lookalike_abstain_accuracy"))
        print(f"{name:12}{cells}")
    counts = result["articles"]
    print(f"questions: {counts['questions']} ({counts['answerable']} answerable)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
