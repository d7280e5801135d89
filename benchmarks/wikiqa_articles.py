#!/usr/bin/env python3
"""WikiQA documents as article files, asked the way `article-qa ask --corpus FILE` asks.

usage: python benchmarks/wikiqa_articles.py WikiQA-{train,dev}.tsv.gz [--limit N] [--json]
       [--seed S] [--lookalike] [-k K] [--merge N | --folder N] [--encoder]

Each WikiQA document is written into a temporary folder exactly as the shared
`make_wikiqa_articles.py` writes it (title line, blank line, its sentences joined as one
paragraph), loaded with `QA.load(path)` as the CLI loads a `--corpus` file (so the article
is segmented by the project, not by WikiQA), and every question about it is asked on its own
with `qa.ask(question, k)`. Scoring is the shared `score_wikiqa_articles.py` with
`score_article.judge`: a reply is right when its sentence contains, after the same folding,
the first 60 characters of a sentence WikiQA labels correct (the gold that
`make_wikiqa_articles.py` writes); a question with no such sentence must be abstained on.

Metrics: p_at_1 and mrr_at_5 over answerable questions (an abstention is a miss),
abstain_accuracy over the others, false_abstain_rate, trigger_f1 (P = right top answers /
questions answered, R = right top answers / answerable questions). The naive peer, in the
same run on the same segmented sentences: rank-bm25 BM25Okapi over lower-cased whitespace
tokens, never abstaining. `--lookalike` adds look-alike unanswerables made from the
answerable questions (`benchmarks/lookalike.py`) and reports the abstain accuracy on them.
"""

from __future__ import annotations

import argparse
import collections
import csv
import dataclasses
import functools
import gzip
import json
import random
import re
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rank_bm25 import BM25Okapi

sys.path.insert(0, str(Path(__file__).parent))
from encoders import add_encoder_arguments, encoder_of
from lookalike import Document, lookalikes

from retrieval import QA, Corpus
from retrieval.evaluation import fold
from retrieval.ranking.encoder import Encoder
from retrieval.ranking.rerank import Model

GOLD_PREFIX = 60  # make_wikiqa_articles.py keeps a correct sentence's first 60 characters
DOC_SEED = 7  # make_wikiqa_articles.py's document shuffle, for --limit
# score_article.norm: NFKC, curly quotes and dashes folded, whitespace, lower case; the same
# folding `article-qa eval` judges with.
norm = fold


@dataclass(frozen=True)
class Item:
    id: str
    doc: str
    question: str
    answers: tuple[str, ...]  # gold substrings; () = must abstain
    kind: str = "wikiqa"  # or "lookalike"
    variant: str = ""  # a look-alike's kind: entity, year, number, negation


def read_split(path: str | Path) -> tuple[dict[str, Document], list[Item]]:
    """The documents (sentences in SentenceID order) and questions, as make_wikiqa_articles."""
    docs: dict[str, dict] = collections.OrderedDict()
    questions: dict[str, dict] = collections.OrderedDict()
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            doc = docs.setdefault(row["DocumentID"], {"title": row["DocumentTitle"], "sents": {}})
            doc["sents"][row["SentenceID"]] = row["Sentence"]
            q = questions.setdefault(
                row["QuestionID"], {"q": row["Question"], "doc": row["DocumentID"], "gold": []}
            )
            if row["Label"] == "1":
                q["gold"].append(row["Sentence"][:GOLD_PREFIX].strip())
    documents = {
        did: Document(
            d["title"],
            tuple(d["sents"][k] for k in sorted(d["sents"], key=lambda s: int(s.split("-")[1]))),
        )
        for did, d in docs.items()
    }
    items = [Item(qid, q["doc"], q["q"], tuple(q["gold"])) for qid, q in questions.items()]
    return documents, items


def with_lookalikes(documents: dict[str, Document], items: Sequence[Item], seed: int) -> list[Item]:
    """`items`, then a look-alike of each answerable one that must be declined
    (benchmarks/lookalike.py)."""
    made = lookalikes(((i.id, i.question, i.doc) for i in items if i.answers), documents, seed=seed)
    return [*items, *(Item(v.id, v.doc, v.question, (), "lookalike", v.kind) for v in made)]


def pick_documents(documents: dict[str, Document], limit: int, seed: int) -> set[str]:
    """All documents, or the first `limit` of make_wikiqa_articles' seeded shuffle."""
    ids = sorted(documents)
    random.Random(seed).shuffle(ids)
    return set(ids if not limit else ids[:limit])


def write_article(folder: Path, did: str, doc: Document) -> Path:
    """As make_wikiqa_articles.py writes a document: the title, then its sentences as one
    paragraph (a merged document's paragraphs are its `sentences`, blank lines between)."""
    path = folder / f"{did}.txt"
    separator = "\n\n" if did.startswith("merged-") else " "
    path.write_text(doc.title + "\n\n" + separator.join(doc.sentences) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Folder:
    """Documents asked together, each its own article file in one folder."""

    documents: tuple[tuple[str, Document], ...]  # (document id, document)


def write_corpus(folder: Path, did: str, corpus: Document | Folder) -> Path:
    """The article file of a document, or the folder of a Folder's article files."""
    if isinstance(corpus, Document):
        return write_article(folder, did, corpus)
    home = folder / did
    home.mkdir()
    for member, doc in corpus.documents:
        write_article(home, member, doc)
    return home


def folder_documents(
    documents: dict[str, Document], items: Sequence[Item], n: int, seed: int
) -> tuple[dict[str, Folder], list[Item]]:
    """Documents grouped `n` to a folder (shuffled, seeded), each its own article with its
    own title: which article a question is about is then evidence too."""
    ids = sorted({item.doc for item in items})
    random.Random(f"{seed}:folders").shuffle(ids)
    folders: dict[str, Folder] = {}
    home: dict[str, str] = {}
    for start in range(0, len(ids), n):
        group = ids[start : start + n]
        name = f"folder-{start // n:04d}"
        folders[name] = Folder(tuple((d, documents[d]) for d in group))
        home.update(dict.fromkeys(group, name))
    return folders, [dataclasses.replace(item, doc=home[item.doc]) for item in items]


def judge(texts: Sequence[str], gold: Sequence[str]) -> dict:
    """score_article.judge on the reply's sentence texts ([] = abstained)."""
    if not gold:
        return {"kind": "unanswerable", "ok": not texts}
    g = [norm(x) for x in gold]
    hit = [any(x in norm(t) for x in g) for t in texts]
    rr = next((1.0 / (i + 1) for i, h in enumerate(hit[:5]) if h), 0.0)
    return {"kind": "answerable", "p1": bool(hit[:1] and hit[0]), "rr": rr, "abstained": not texts}


def metrics(judgements: Sequence[dict]) -> dict:
    """score_wikiqa_articles.py's metrics."""
    ans = [j for j in judgements if j["kind"] == "answerable"]
    una = [j for j in judgements if j["kind"] == "unanswerable"]
    trig = sum(not j["abstained"] for j in ans) + sum(not j["ok"] for j in una)
    correct = sum(j["p1"] for j in ans)
    p = correct / trig if trig else 0.0
    r = correct / len(ans) if ans else 0.0
    return {
        "questions": len(judgements),
        "answerable": len(ans),
        "p_at_1": r,
        "mrr_at_5": sum(j["rr"] for j in ans) / len(ans) if ans else 0.0,
        "abstain_accuracy": sum(j["ok"] for j in una) / max(1, len(una)),
        "false_abstain_rate": sum(j["abstained"] for j in ans) / len(ans) if ans else 0.0,
        "trigger_f1": 2 * p * r / (p + r) if p + r else 0.0,
    }


def naive_texts(bm25: BM25Okapi, sentences: Sequence[str], question: str, k: int) -> list[str]:
    scores = bm25.get_scores(question.lower().split())
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    return [sentences[i] for i in order[:k]]


_WORD = re.compile(r"\w+")


@functools.cache
def _porter() -> Callable[[str], str]:
    from nltk.stem.porter import PorterStemmer

    return functools.lru_cache(maxsize=1 << 16)(PorterStemmer().stem)


def stemmed_terms(text: str) -> list[str]:
    """The ten-line peer's analysis: word tokens, stop words dropped (nltk's English list and
    the contractions this project adds to it), Porter stems."""
    from retrieval.text.lexicon import STOP_WORDS

    stem = _porter()
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


def stemmed_texts(bm25: BM25Okapi, sentences: Sequence[str], question: str, k: int) -> list[str]:
    scores = bm25.get_scores(stemmed_terms(question))
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    return [sentences[i] for i in order[:k]]


def run(
    documents: Mapping[str, Document | Folder],
    items: Sequence[Item],
    k: int,
    model: Model | None = None,
    encoder: Encoder | None = None,
) -> tuple[list[dict], list[dict], list[dict], list[Item]]:
    """Judgements of article-qa (with `model`, default the shipped one), the naive peer and
    the stemmed peer, and the items asked."""
    by_doc: dict[str, list[Item]] = collections.defaultdict(list)
    for item in items:
        by_doc[item.doc].append(item)
    ours, naive, stemmed, order = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="wikiqa-articles-") as tmp:
        for did in sorted(by_doc):
            corpus = Corpus.load(write_corpus(Path(tmp), did, documents[did]))
            qa = QA(corpus, model=model, encoder=encoder)
            sentences = [s.text for s in qa.sentences]
            bm25 = BM25Okapi([s.lower().split() for s in sentences])
            porter = BM25Okapi([stemmed_terms(s) or ["\0"] for s in sentences])
            for item in by_doc[did]:
                reply = qa.ask(item.question, k=k)
                texts = [] if reply.abstained else [a.text for a in reply.answers]
                ours.append(judge(texts, item.answers))
                depth = max(k, 5)
                naive.append(
                    judge(naive_texts(bm25, sentences, item.question, depth), item.answers)
                )
                stemmed.append(
                    judge(stemmed_texts(porter, sentences, item.question, depth), item.answers)
                )
                order.append(item)
    return ours, naive, stemmed, order


def report(ours: list[dict], naive: list[dict], stemmed: list[dict], order: list[Item]) -> dict:
    plain = [i for i, item in enumerate(order) if item.kind == "wikiqa"]
    result = {
        "article_qa": metrics([ours[i] for i in plain]),
        "naive_bm25": metrics([naive[i] for i in plain]),
        "stemmed_bm25": metrics([stemmed[i] for i in plain]),
    }
    look = [i for i, item in enumerate(order) if item.kind == "lookalike"]
    if look:
        kinds = collections.Counter(order[i].variant for i in look)
        result["lookalike"] = {
            "questions": len(look),
            "by_kind": dict(sorted(kinds.items())),
            "article_qa": {
                "lookalike_abstain_accuracy": sum(ours[i]["ok"] for i in look) / len(look)
            },
            "naive_bm25": {
                "lookalike_abstain_accuracy": sum(naive[i]["ok"] for i in look) / len(look)
            },
        }
    return result


def merge_documents(
    documents: dict[str, Document], items: Sequence[Item], n: int, seed: int
) -> tuple[dict[str, Document], list[Item]]:
    """Documents grouped `n` to an article (shuffled, seeded), each a paragraph of it: a long
    article whose first sentence answers few of its questions, as in a reading-comprehension
    set. The article's title is its first document's."""
    ids = sorted({item.doc for item in items})
    random.Random(seed).shuffle(ids)
    merged: dict[str, Document] = {}
    home: dict[str, str] = {}
    for start in range(0, len(ids), n):
        group = ids[start : start + n]
        name = f"merged-{start // n:04d}"
        paragraphs = tuple(" ".join(documents[d].sentences) for d in group)
        merged[name] = Document(documents[group[0]].title, paragraphs)
        home.update(dict.fromkeys(group, name))
    return merged, [dataclasses.replace(item, doc=home[item.doc]) for item in items]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", help="WikiQA-{split}.tsv.gz")
    parser.add_argument("--limit", type=int, default=0, help="only N documents (default all)")
    parser.add_argument(
        "--seed",
        type=int,
        default=DOC_SEED,
        help=f"document shuffle for --limit, and look-alikes (default {DOC_SEED})",
    )
    parser.add_argument(
        "--lookalike",
        action="store_true",
        help="add look-alike unanswerables made from the answerable questions",
    )
    parser.add_argument(
        "-k", type=int, default=3, help="sentences asked for, as `ask -k` (default 3, the CLI's)"
    )
    parser.add_argument(
        "--merge",
        type=int,
        default=1,
        metavar="N",
        help="write N documents into each article, one paragraph each: long articles with "
        "many questions, answers anywhere (default 1)",
    )
    parser.add_argument(
        "--folder",
        type=int,
        default=1,
        metavar="N",
        help="ask N documents together as a folder of N article files (default 1)",
    )
    add_encoder_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        documents, items = read_split(args.data)
    except (OSError, KeyError, ValueError) as error:
        print(f"wikiqa_articles: cannot read {args.data}: {error}", file=sys.stderr)
        return 2
    picked = pick_documents(documents, args.limit, args.seed)
    items = [item for item in items if item.doc in picked]
    if not items:
        print(f"wikiqa_articles: no questions in {args.data}", file=sys.stderr)
        return 2
    asked: list[Item] = list(items)
    if args.lookalike:
        chosen = {did: documents[did] for did in picked} if args.limit else documents
        asked = with_lookalikes(chosen, items, args.seed)
    corpora: Mapping[str, Document | Folder] = documents
    if args.merge > 1:
        corpora, asked = merge_documents(documents, asked, args.merge, args.seed)
    elif args.folder > 1:
        corpora, asked = folder_documents(documents, asked, args.folder, args.seed)
    encoder = encoder_of(args)
    ours, naive, stemmed, order = run(corpora, asked, args.k, encoder=encoder)
    result = report(ours, naive, stemmed, order)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{'metric':28} {'article-qa':>11} {'naive bm25':>11} {'stemmed bm25':>13}")
    for key in ("p_at_1", "mrr_at_5", "abstain_accuracy", "false_abstain_rate", "trigger_f1"):
        print(
            f"{key:28} {result['article_qa'][key]:11.3f} {result['naive_bm25'][key]:11.3f} "
            f"{result['stemmed_bm25'][key]:13.3f}"
        )
    if "lookalike" in result:
        look = result["lookalike"]
        print(
            f"{'lookalike_abstain_accuracy':28} "
            f"{look['article_qa']['lookalike_abstain_accuracy']:11.3f} "
            f"{look['naive_bm25']['lookalike_abstain_accuracy']:11.3f}"
        )
    m = result["article_qa"]
    print(f"questions: {m['questions']} ({m['answerable']} answerable), documents: {len(picked)}")
    if "lookalike" in result:
        print(f"look-alikes: {result['lookalike']['questions']} {result['lookalike']['by_kind']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
