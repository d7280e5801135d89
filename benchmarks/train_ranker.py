#!/usr/bin/env python3
"""Learn the reranker and the abstention model from WikiQA; write their weights to the project.

usage: python benchmarks/train_ranker.py PATH/WikiQA-train.tsv[.gz]
           [--write retrieval/ranking/ranker_weights.py] [--seed S]

Every WikiQA document is asked as a user's article is: written to a file, loaded, segmented
and analysed by the same code as `article-qa ask --corpus FILE`.

1. Ranking: a pairwise logistic regression (RankNet-style, linear) on the differences between
   the features (retrieval/rerank.py FEATURES) of a correct and a wrong BM25 candidate of the
   same question. Pairwise, so a feature that is the same for all of a question's candidates
   cannot soak up weight, and the weights transfer to articles with other base rates.
2. Answering or abstaining: a logistic regression on each question's TRIGGER_FEATURES,
   labelled by whether its top-ranked sentence is correct. Besides WikiQA's own questions
   with no answer, it learns from look-alikes of its answerable ones that must be declined
   (benchmarks/lookalike.py): a name, number or year swapped for one the document lacks, and
   near misses, a word the answer holds swapped for a word of another of its sentences.
3. The abstention threshold: the one with the best trigger F1 on the real questions among
   those that give up at most MAX_FALSE_ABSTAIN of the answers that were right, each question
   scored by a model trained in FOLDS rounds without its document (the shipped model is then
   trained on every document). A reader whose question the article answers should nearly
   always get the answer.

Only the resulting handful of numbers are shipped. Needs scikit-learn (training time only).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from encoders import add_encoder_arguments, encoder_of
from lookalike import Document, lookalikes, near_misses, truecase
from wikiqa_articles import (
    Folder,
    Item,
    folder_documents,
    merge_documents,
    norm,
    read_split,
    write_corpus,
)

from retrieval import QA, Corpus
from retrieval.ranking.encoder import Encoder
from retrieval.ranking.rerank import (
    FEATURES,
    TRIGGER_FEATURES,
    Model,
    Ranking,
    linear,
    trigger_features,
)
from retrieval.ranking.semantic import SEMANTIC_FEATURES, SEMANTIC_TRIGGER_FEATURES, Meaning
from retrieval.text.analysis import analyse

HYBRID_FEATURES = (*FEATURES, *SEMANTIC_FEATURES)
HYBRID_TRIGGER_FEATURES = (*TRIGGER_FEATURES, *SEMANTIC_TRIGGER_FEATURES)
COSINE = len(FEATURES)  # the cosine's place among a hybrid candidate's features

CALIBRATION_SHARE = 0.2  # benchmarks/cross_validate.py's threshold documents per fold
FOLDS = 5
FOREIGN_EVERY = 2  # one off-topic question for every this many answerable ones
MAX_FALSE_ABSTAIN = 0.10
F1_TOLERANCE = 0.005
SEED = 11
# Also train on the fit documents as folders of this many articles (1: not at all).
FOLDERS = 1
# Also train on the fit documents merged into long articles of this many (1: not at all).
MERGE = 1
# Regularisation of both regressions (scikit-learn's C): chosen by trigger F1 on the
# calibration documents among 0.1, 1 and 10.
C = 1.0


def ranked_items(
    documents: Mapping[str, Document | Folder],
    items: Sequence[Item],
    encoder: Encoder | None = None,
) -> Iterable[tuple[Item, Ranking, list[bool]]]:
    """Each question's ranking (neutral weights: features do not depend on them) and which
    of its candidates are right."""
    neutral = Model.neutral()
    by_doc: dict[str, list[Item]] = {}
    for item in items:
        by_doc.setdefault(item.doc, []).append(item)
    with tempfile.TemporaryDirectory(prefix="train-ranker-") as tmp:
        for did in sorted(by_doc):
            corpus = Corpus.load(write_corpus(Path(tmp), did, documents[did]))
            qa = QA(corpus, model=neutral, encoder=encoder)
            texts = [norm(s.text) for s in corpus.sentences]
            for item in by_doc[did]:
                gold = [norm(g) for g in item.answers]
                ranking = qa.rank(item.question)
                right = [any(g in texts[c.doc] for g in gold) for c in ranking.candidates]
                yield item, ranking, right


def pairs(rankings: Sequence[tuple[Item, Ranking, list[bool]]]) -> tuple[np.ndarray, np.ndarray]:
    """Feature differences (right - wrong, and the reverse) within each question."""
    rows, labels = [], []
    for _, ranking, right in rankings:
        good = [np.asarray(c.features) for c, r in zip(ranking.candidates, right, strict=True) if r]
        bad = [
            np.asarray(c.features) for c, r in zip(ranking.candidates, right, strict=True) if not r
        ]
        for g in good:
            for b in bad:
                rows += [g - b, b - g]
                labels += [1, 0]
    return np.asarray(rows), np.asarray(labels)


def question_rows(
    rankings: Sequence[tuple[Item, Ranking, list[bool]]], rank_weights: Sequence[float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each question's trigger features under `rank_weights`, whether its top is right, and
    whether it has a right answer at all."""
    rows, labels, answerable = [], [], []
    for item, ranking, right in rankings:
        if not ranking.candidates:
            rows.append(None)
            labels.append(0)
            answerable.append(bool(item.answers))
            continue
        scored = sorted(
            zip(ranking.candidates, right, strict=True),
            key=lambda cr: (-linear(cr[0].features, rank_weights), cr[0].doc),
        )
        top, top_right = scored[0]
        row = trigger_features(
            [linear(c.features, rank_weights) for c, _ in scored[:2]],
            top.features,
            [c.features for c, _ in scored],
            ranking.query,
        )
        if len(top.features) > len(FEATURES):  # ranked with meaning: as rerank adds it
            cosines = {c.doc: c.features[COSINE] for c, _ in scored}
            row += Meaning.from_cosines(cosines).trigger_features()
        rows.append(row)
        labels.append(int(top_right))
        answerable.append(bool(item.answers))
    width = max((len(r) for r in rows if r is not None), default=len(TRIGGER_FEATURES))
    # No candidate at all: the QA abstains before the model is asked; a row that says so.
    matrix = np.asarray([r if r is not None else [0.0] * width for r in rows])
    return matrix, np.asarray(labels), np.asarray(answerable)


# The direction each trigger feature can only push the probability of a right answer: more
# of the question found, a clearer winner, the kind of answer present make it likelier;
# words, names or the kind of answer found nowhere make it less likely. WikiQA's Bing
# queries often miss words their answer has, which would otherwise teach the model that
# an off-topic question is as answerable as any other. 0: either way.
TRIGGER_SIGNS = {
    "score": 1,
    "margin": 1,
    "missing": -1,
    "antecedent": 1,
    "type_miss": -1,
    "type_nowhere": -1,
    "specific": 1,
    "gap": -1,
    "specific_absent": -1,
    # More meaning shared with the question: likelier answered.
    "cosine_margin": 1,
}


def fit_signed_logistic(
    x: np.ndarray, y: np.ndarray, signs: dict[str, int], c: float, hybrid: bool = False
) -> tuple[tuple[float, ...], float]:
    """L2-regularised logistic regression whose weights keep the given signs."""
    from scipy.optimize import minimize

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        z = x @ w + b
        p = 1.0 / (1.0 + np.exp(-z))
        nll = np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.dot(w, w) / c
        gradient = np.append(x.T @ (p - y) + w / c, np.sum(p - y))
        return float(nll), gradient

    bounds = [
        (0.0, None) if signs[n] > 0 else (None, 0.0) if signs[n] < 0 else (None, None)
        for n in (HYBRID_TRIGGER_FEATURES if hybrid else TRIGGER_FEATURES)
    ]
    start = np.zeros(x.shape[1] + 1)
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[*bounds, (None, None)])
    return tuple(float(w) for w in result.x[:-1]), float(result.x[-1])


def fit_offset_logistic(
    x: np.ndarray, y: np.ndarray, offset: np.ndarray, c: float
) -> tuple[float, ...]:
    """L2-regularised logistic regression without intercept on top of a fixed `offset`."""
    from scipy.optimize import minimize

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = offset + x @ w
        p = 1.0 / (1.0 + np.exp(-z))
        nll = np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.dot(w, w) / c
        return float(nll), x.T @ (p - y) + w / c

    result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B")
    return tuple(float(w) for w in result.x)


def truecased(item: Item, documents: dict[str, Document]) -> Item:
    return dataclasses.replace(item, question=truecase(item.question, documents[item.doc]))


def with_lookalikes(documents: dict[str, Document], items: Sequence[Item], seed: int) -> list[Item]:
    items = [truecased(i, documents) for i in items]
    answerable = [i for i in items if i.answers]
    made = lookalikes(((i.id, i.question, i.doc) for i in answerable), documents, seed=seed)
    made += near_misses(
        ((i.id, i.question, i.doc, i.answers) for i in answerable), documents, seed=seed
    )
    # Off-topic questions: an answerable question asked of another document that shares a
    # word with it (else nothing is retrieved and there is nothing to learn), as a reader's
    # question that touches the article in one word and asks about something else.
    rng = random.Random(f"{seed}:foreign")
    docs_of: dict[str, set[str]] = {}
    for did in sorted({i.doc for i in items}):
        for term in set(analyse(" ".join(documents[did].sentences))):
            docs_of.setdefault(term, set()).add(did)
    foreign = []
    for item in answerable[::FOREIGN_EVERY]:
        sharing = sorted(set().union(*(docs_of.get(t, set()) for t in analyse(item.question))))
        others = [d for d in sharing if d != item.doc]
        if others:
            other = rng.choice(others)
            foreign.append(
                Item(f"{item.id}-foreign", other, item.question, (), "lookalike", "foreign")
            )
    looks = [Item(v.id, v.doc, v.question, (), "lookalike", v.kind) for v in made]
    return [*items, *looks, *foreign]


def best_threshold(
    probabilities: np.ndarray, right: np.ndarray, answerable: np.ndarray
) -> tuple[float, float, float]:
    """(threshold, trigger F1, false-abstain rate): among thresholds that abstain on at most
    MAX_FALSE_ABSTAIN of the answerable questions, the highest whose F1 is within
    F1_TOLERANCE of the best. Where answering more gains no F1, declining is the better
    error: a reader trusts "the article doesn't say" more than a wrong answer."""
    scored = []
    for threshold in np.unique(np.concatenate(([0.0], probabilities))):
        answered = probabilities >= threshold
        correct = int((answered & (right == 1)).sum())
        triggered = int(answered.sum())
        false_abstain = float((~answered & answerable).sum() / max(1, answerable.sum()))
        if false_abstain > MAX_FALSE_ABSTAIN:
            continue
        precision = correct / triggered if triggered else 0.0
        recall = correct / max(1, int(answerable.sum()))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scored.append((float(threshold), f1, false_abstain))
    best_f1 = max(f1 for _, f1, _ in scored)
    return max(t for t in scored if t[1] >= best_f1 - F1_TOLERANCE)


@dataclasses.dataclass(frozen=True)
class Trained:
    model: Model
    questions: int  # real WikiQA questions ranked
    lookalikes: int  # made-up questions ranked besides
    pairs: int  # right/wrong pairs the ranker learned from
    calibration: int  # questions the threshold was chosen on
    calibration_f1: float
    calibration_false_abstain: float


Weights = tuple[tuple[float, ...], tuple[float, ...], float]  # rank, trigger, trigger bias


def fit(
    documents: dict[str, Document],
    fit_items: Sequence[Item],
    *,
    seed: int = SEED,
    c: float = C,
    merge: int = 1,
    encoder: Encoder | None = None,
    folders: int = 1,
    residual: bool = False,
) -> tuple[Weights, int, int, int]:
    """The ranker and the trigger learned on `fit_items`' documents, with how many real
    questions, look-alikes and right/wrong pairs they came from. `merge` > 1 adds the
    documents again as long articles of that many documents each."""
    from sklearn.linear_model import LogisticRegression

    fit_asked = with_lookalikes(documents, fit_items, seed)
    fitted = list(ranked_items(documents, fit_asked, encoder))
    if merge > 1:
        merged, merged_items = merge_documents(documents, fit_asked, merge, seed)
        fitted += ranked_items(merged, merged_items, encoder)
    real = [r for r in fitted if r[0].kind == "wikiqa"]
    ranked = list(real)
    if folders > 1:
        # The documents again as folders of articles, for the ranker: the candidates of the
        # other articles are wrong. Cross-validation (with a title-cosine feature) gained
        # 0.001 p@1 on folders and lost 0.04 on long articles: off by default. The trigger
        # learns from articles alone, as its threshold is chosen.
        grouped, grouped_items = folder_documents(documents, fit_items, folders, seed)
        ranked += ranked_items(grouped, grouped_items, encoder)
    x, y = pairs(ranked)
    if encoder is not None and residual:
        # Meaning adds to the lexical evidence without re-weighing it: the lexical ranker is
        # fitted first, then the semantic weights on top of its scores.
        words = len(FEATURES)
        lexical = LogisticRegression(fit_intercept=False, C=c, max_iter=5000)
        lexical.fit(x[:, :words], y)
        lexical_weights = lexical.coef_[0]
        semantic = fit_offset_logistic(x[:, words:], y, x[:, :words] @ lexical_weights, c)
        rank_weights = tuple(float(w) for w in (*lexical_weights, *semantic))
    else:
        ranker = LogisticRegression(fit_intercept=False, C=c, max_iter=5000).fit(x, y)
        rank_weights = tuple(float(w) for w in ranker.coef_[0])
    qx, qy, _ = question_rows(fitted, rank_weights)
    trigger_weights, trigger_bias = fit_signed_logistic(
        qx, qy, TRIGGER_SIGNS, c, encoder is not None
    )
    return (
        (rank_weights, trigger_weights, trigger_bias),
        len(real),
        len(fitted) - len(real),
        len(y) // 2,
    )


def calibration_rows(
    documents: dict[str, Document],
    items: Sequence[Item],
    weights: Weights,
    encoder: Encoder | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each of `items`' probability of a right answer under `weights` (-1 where the QA
    declines whatever the model says: nothing matches, a name the article lacks, no
    candidate with the date asked for), whether its top answer is right, and whether it
    has an answer. Asked as they are trained on (names capitalised)."""
    rank_weights, trigger_weights, trigger_bias = weights
    calibration = list(ranked_items(documents, [truecased(i, documents) for i in items], encoder))
    cx, cy, ca = question_rows(calibration, rank_weights)
    probabilities = 1.0 / (1.0 + np.exp(-(cx @ np.asarray(trigger_weights) + trigger_bias)))
    forced = np.asarray([bool(ranking.reason) for _, ranking, _ in calibration])
    probabilities[forced] = -1.0
    return probabilities, cy, ca


def train(
    documents: dict[str, Document],
    fit_items: Sequence[Item],
    calibration_items: Sequence[Item],
    *,
    seed: int = SEED,
    c: float = C,
    merge: int = 1,
    encoder: Encoder | None = None,
    folders: int = 1,
    residual: bool = False,
) -> Trained:
    """Learn the ranker and the trigger on `fit_items`, the threshold on `calibration_items`
    (other documents)."""
    weights, questions, lookalikes_, pair_count = fit(
        documents,
        fit_items,
        seed=seed,
        c=c,
        merge=merge,
        encoder=encoder,
        folders=folders,
        residual=residual,
    )
    threshold, f1, false_abstain = best_threshold(
        *calibration_rows(documents, calibration_items, weights, encoder)
    )
    return Trained(
        Model(*weights, threshold),
        questions,
        lookalikes_,
        pair_count,
        len(calibration_items),
        f1,
        false_abstain,
    )


def train_all(
    documents: dict[str, Document],
    items: Sequence[Item],
    *,
    folds: int = FOLDS,
    seed: int = SEED,
    c: float = C,
    merge: int = 1,
    encoder: Encoder | None = None,
    folders: int = 1,
    residual: bool = False,
) -> Trained:
    """Learn the ranker and the trigger on every document, and the threshold on every
    question, each scored by a model trained in `folds` rounds without its document: five
    times the questions a held-out fifth would give, so the threshold moves less with
    which documents happened to be held out."""
    probabilities, right, answerable = [], [], []
    for fold in split_documents(items, seed, folds):
        weights, *_ = fit(
            documents,
            [i for i in items if i.doc not in fold],
            seed=seed,
            c=c,
            merge=merge,
            encoder=encoder,
            folders=folders,
            residual=residual,
        )
        p, r, a = calibration_rows(documents, [i for i in items if i.doc in fold], weights, encoder)
        probabilities.append(p)
        right.append(r)
        answerable.append(a)
    threshold, f1, false_abstain = best_threshold(
        np.concatenate(probabilities), np.concatenate(right), np.concatenate(answerable)
    )
    weights, questions, lookalikes_, pair_count = fit(
        documents,
        items,
        seed=seed,
        c=c,
        merge=merge,
        encoder=encoder,
        folders=folders,
        residual=residual,
    )
    return Trained(
        Model(*weights, threshold),
        questions,
        lookalikes_,
        pair_count,
        len(items),
        f1,
        false_abstain,
    )


def split_documents(items: Sequence[Item], seed: int, folds: int) -> list[set[str]]:
    """The items' documents shuffled (seeded) and dealt into `folds` groups."""
    ids = sorted({i.doc for i in items})
    random.Random(seed).shuffle(ids)
    return [set(ids[k::folds]) for k in range(folds)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", help="WikiQA-train.tsv[.gz]")
    parser.add_argument("--write", type=Path, help="write the weights module here")
    parser.add_argument("--seed", type=int, default=SEED, help=f"split and look-alikes ({SEED})")
    parser.add_argument("-C", type=float, default=C, help=f"regularisation (default {C})")
    parser.add_argument(
        "--folds", type=int, default=FOLDS, help=f"rounds for the threshold ({FOLDS})"
    )
    parser.add_argument(
        "--merge", type=int, default=MERGE, help=f"also as long articles of N documents ({MERGE})"
    )
    parser.add_argument(
        "--folders",
        type=int,
        default=FOLDERS,
        help=f"also as folders of N articles ({FOLDERS})",
    )
    parser.add_argument(
        "--residual",
        action="store_true",
        help="with --encoder: fit the lexical weights first, the semantic ones on top",
    )
    add_encoder_arguments(parser)
    args = parser.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("train_ranker: needs scikit-learn (pip install scikit-learn)", file=sys.stderr)
        return 2

    documents, items = read_split(args.train)
    encoder = encoder_of(args)
    trained = train_all(
        documents,
        items,
        folds=args.folds,
        seed=args.seed,
        c=args.C,
        merge=args.merge,
        encoder=encoder,
        folders=args.folders,
        residual=args.residual,
    )
    if encoder is not None:
        encoder.flush()
    names = HYBRID_FEATURES if encoder else FEATURES
    trigger_names = HYBRID_TRIGGER_FEATURES if encoder else TRIGGER_FEATURES
    for name, w in zip(names, trained.model.rank, strict=True):
        print(f"rank    {name:16} {w:+.3f}")
    for name, w in zip(trigger_names, trained.model.trigger, strict=True):
        print(f"trigger {name:16} {w:+.3f}")
    print(f"trigger {'bias':16} {trained.model.trigger_bias:+.3f}")
    model = trained.model
    print(
        f"abstain below {model.abstain_below:.4f}: out-of-fold trigger F1 "
        f"{trained.calibration_f1:.3f}, false abstain {trained.calibration_false_abstain:.3f} "
        f"({trained.calibration} questions)"
    )
    if args.write:
        provenance = (
            f"From {trained.questions} WikiQA train questions, {trained.lookalikes} look-alikes "
            f"and {trained.pairs} right/wrong pairs;\n# the threshold from the same "
            f"questions, each scored by a model trained without its document."
        )
        args.write.write_text(model.source(provenance), encoding="utf-8")
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
