#!/usr/bin/env python3
"""WikiQA documents hidden among many others, asked over the whole folder.

usage: python benchmarks/wikiqa_hidden.py WikiQA-dev.tsv.gz --among WikiQA-train.tsv.gz
           [--others 10000] [--encoder] [--vector-cache FILE] [--json]

The asked split's documents and `--others` documents of another split are written as
article files into one folder, indexed as `article-qa index` indexes a folder, and every
question of the asked split is asked of the whole folder (`article-qa ask --corpus FOLDER`):
the answer must now also come from the right article. Beside it, in the same run, each
document asked alone (`wikiqa_articles.py`'s way): the two p@1 show what the folder costs.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from encoders import add_encoder_arguments, encoder_of
from wikiqa_articles import judge, metrics, read_split, run, write_article

from retrieval import QA
from retrieval.archive.builder import build
from retrieval.archive.corpus import ArchiveCorpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", help="the split asked: WikiQA-{dev,test}.tsv.gz")
    parser.add_argument("--among", required=True, help="the split the others come from")
    parser.add_argument("--others", type=int, default=10_000, help="documents to hide among")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-k", type=int, default=3)
    add_encoder_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    documents, items = read_split(args.data)
    others, _ = read_split(args.among)
    spare = sorted(set(others) - set(documents))
    random.Random(args.seed).shuffle(spare)
    spare = spare[: args.others]
    encoder = encoder_of(args)
    alone, _, _, order = run(documents, items, args.k, encoder=encoder)
    with tempfile.TemporaryDirectory(prefix="wikiqa-hidden-") as tmp:
        folder = Path(tmp) / "folder"
        folder.mkdir()
        for did in sorted(documents):
            write_article(folder, did, documents[did])
        for did in spare:
            write_article(folder, did, others[did])
        started = time.perf_counter()
        archive, summary = build(folder, Path(tmp) / "index", workers=2)
        built = time.perf_counter() - started
        qa = QA(ArchiveCorpus(archive), encoder=encoder)
        started = time.perf_counter()
        hidden = []
        for item in order:
            reply = qa.ask(item.question, k=args.k)
            hidden.append(
                judge([] if reply.abstained else [a.text for a in reply.answers], item.answers)
            )
        asked = time.perf_counter() - started
    if encoder is not None:
        encoder.flush()
    result = {
        "documents": len(documents) + len(spare),
        "sentences": summary.sentences,
        "build_s": round(built, 1),
        "ask_ms_each": round(1000 * asked / max(1, len(order)), 1),
        "alone": metrics(alone),
        "hidden": metrics(hidden),
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"{result['documents']} documents, {result['sentences']} sentences; build "
        f"{result['build_s']} s; {result['ask_ms_each']} ms a question"
    )
    for key in ("p_at_1", "mrr_at_5", "abstain_accuracy", "false_abstain_rate", "trigger_f1"):
        print(f"{key:20} alone {result['alone'][key]:.3f}   hidden {result['hidden'][key]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
