"""Rerank BM25 candidates and decide whether to answer, with two small learned linear models.

Both models are trained on WikiQA by benchmarks/train_ranker.py, which writes their weights
to retrieval/ranking/ranker_weights.py. Every feature is a ratio or a flag, so weights learned on
Wikipedia summaries carry over to news articles of any length.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .profile import Profile
from .query import AnswerType, Query
from .semantic import Meaning

FEATURES = (
    "bm25_rel",  # BM25 score relative to the best candidate's
    "bm25_abs",  # BM25 score relative to what the query's terms could reach
    "coverage",  # share of the question's IDF weight the sentence contains
    "antecedent",  # the same, exact, over the sentence and, if it opens with "he"/"these"...,
    # the one before it
    "type_match",  # the sentence has the kind of phrase the question asks for (0 to 1)
    "type_miss",  # the question asks for a kind of phrase the sentence lacks
    "context",  # best neighbour in the paragraph, relative to the best candidate
    "bigrams",  # share of the question's adjacent word pairs found adjacent
    "length",  # log(1 + the sentence's index terms)
    "opening",  # the article's first sentence, by its share of the title's terms, in a
    # short article (see SHORT_ARTICLE)
    "definition",  # a "What is X?" question and a sentence shaped like a definition
    "specific",  # share of the question's names and numbers (by IDF) the sentence has
    "gap",  # the largest share of the question's own weight on one word the sentence lacks
)

TRIGGER_FEATURES = (
    "score",  # the best candidate's reranker score
    "margin",  # its lead over the runner-up
    "missing",  # share of the query's weight on words found nowhere in the corpus
    "antecedent",  # the best candidate's coverage (with its antecedent)
    "type_miss",  # the best candidate lacks the kind of phrase asked for
    "type_nowhere",  # no candidate at all has the kind of phrase asked for
    "specific",  # the best candidate's share of the question's names and numbers
    "gap",  # the best candidate's largest missing word
    "specific_absent",  # share of the question's names and numbers found nowhere
)

# The reranker looks at this many of the best BM25 candidates (more when more answers are
# asked for): on WikiQA and the bundled article, sentences below 15th never won anyway.
RERANKED = 15
# The margin of the only sentence sharing a word with the question. Chosen on WikiQA train
# (trigger F1 0.367 at 1, 0.365 at 0, 0.364 at 3): being alone is weak evidence, as when
# one stray word ("programs" for "programming") is all a question shares with the article.
LONE_MARGIN = 1.0
# Kinds of answer recognised reliably enough that none among the candidates means no answer:
# "How tall is it?" cannot be answered by sentences without a measurement.
STRICT_TYPES = frozenset({AnswerType.DATE, AnswerType.MONEY, AnswerType.MEASURE, AnswerType.AGE})


def type_evidence(p: Profile, query: Query) -> float:
    """How surely the sentence holds the kind of phrase the question asks for (0 to 1)."""
    answer_type = query.info.answer_type
    if answer_type is AnswerType.DATE:
        return float(p.has_date)
    if answer_type is AnswerType.NUMBER:
        return float(not p.numbers <= query.asked)
    if answer_type is AnswerType.MONEY:
        return float(p.money)
    if answer_type is AnswerType.AGE:
        return float(p.age or p.has_date)  # "built in 1890" tells how old it is
    if answer_type is AnswerType.MEASURE:
        # "How long" may ask for a length or a time.
        return float(p.measure or (p.duration and "long" in query.info.cues))
    if answer_type is AnswerType.PLACE:
        # A name after "in", "at", "from"... is a place; any other name only may be one.
        return 1.0 if not p.places <= query.asked else 0.5 if not p.names <= query.asked else 0.0
    if answer_type is AnswerType.PERSON:
        return float(not p.names <= query.asked)
    return 0.0


def features(p: Profile, score: float, best: float, context: float, query: Query) -> list[float]:
    """The candidate's FEATURES, in order."""
    exact = borrowed = 0.0
    for term, value in query.weighted:
        if term in p.term_set:
            exact += value
        elif term in p.antecedent:
            borrowed += value
    total = query.total
    expects = query.expects_type
    has_type = type_evidence(p, query) if expects else 0.0
    return [
        score / best if best > 0 else 0.0,
        score / query.reach if query.reach > 0 else 0.0,
        exact / total,
        (exact + borrowed) / total,
        has_type,
        1.0 if expects and not has_type else 0.0,
        context / best if best > 0 else 0.0,
        len(p.bigrams & query.bigrams) / len(query.bigrams) if query.bigrams else 0.0,
        p.log_length,
        p.opening,
        1.0 if query.info.definitional and (p.defines or _spells(p, query)) else 0.0,
        _share_held(p, query),
        _largest_gap(p, query),
    ]


def _spells(p: Profile, query: Query) -> bool:
    """Whether the sentence spells out an acronym the question asks about."""
    return any(long_form <= p.term_set for long_form in query.spelled)


def _held(p: Profile, forms: frozenset[str]) -> bool:
    """Whether the sentence, or its antecedent, has one of the forms of a word."""
    return not forms.isdisjoint(p.term_set) or not forms.isdisjoint(p.antecedent)


def _share_held(p: Profile, query: Query) -> float:
    """The share of the question's names and numbers (by IDF) the sentence holds; 1 if none."""
    if not query.specific:
        return 1.0
    return sum(c.share for c in query.specific if _held(p, c.forms))


def _largest_gap(p: Profile, query: Query) -> float:
    """The largest share of the question's own weight on one word the sentence lacks."""
    return max((c.share for c in query.own if not _held(p, c.forms)), default=0.0)


TYPE_NOWHERE = TRIGGER_FEATURES.index("type_nowhere")
_ANTECEDENT = FEATURES.index("antecedent")
_TYPE_MATCH = FEATURES.index("type_match")
_TYPE_MISS = FEATURES.index("type_miss")
_SPECIFIC = FEATURES.index("specific")
_GAP = FEATURES.index("gap")


def trigger_features(
    scores: Sequence[float],
    best: Sequence[float],
    all_features: Iterable[Sequence[float]],
    query: Query,
) -> list[float]:
    """The question's TRIGGER_FEATURES: `scores` best first, `best` the top one's features."""
    margin = scores[0] - scores[1] if len(scores) > 1 else LONE_MARGIN
    found = max((f[_TYPE_MATCH] for f in all_features), default=0.0)
    return [
        scores[0],
        margin,
        query.missing,
        best[_ANTECEDENT],
        best[_TYPE_MISS],
        1.0 - found if query.expects_type else 0.0,
        best[_SPECIFIC],
        best[_GAP],
        query.specific_absent,
    ]


def linear(values: Sequence[float], weights: Sequence[float], bias: float = 0.0) -> float:
    # No length check on this hot path: tests check the shipped weights fit the features.
    return bias + sum(map(operator.mul, values, weights))


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -60 else 0.0


@dataclass(frozen=True, slots=True)
class Model:
    """The two learned models: candidate scores, and the probability the best one answers."""

    rank: tuple[float, ...]  # one weight per FEATURES
    trigger: tuple[float, ...]  # one weight per TRIGGER_FEATURES
    trigger_bias: float
    abstain_below: float  # answer only when the probability is at least this

    @classmethod
    def shipped(cls, hybrid: bool = False) -> Model:
        """The lexical model, or with `hybrid` the one that also weighs meaning (its
        weights cover FEATURES + SEMANTIC_FEATURES, and likewise for the trigger)."""
        if hybrid:
            from . import hybrid_weights as w
        else:
            from . import ranker_weights as w

        return cls(tuple(w.RANK), tuple(w.TRIGGER), w.TRIGGER_BIAS, w.ABSTAIN_BELOW)

    @classmethod
    def neutral(cls) -> Model:
        """Every weight zero: features do not depend on weights, so training starts here."""
        return cls((0.0,) * len(FEATURES), (0.0,) * len(TRIGGER_FEATURES), 0.0, 0.0)

    def source(self, provenance: str) -> str:
        """The text of retrieval/ranking/ranker_weights.py holding this model."""
        return (
            '"""Learned weights: benchmarks/train_ranker.py writes this file; do not edit by '
            'hand."""\n\n'
            f"# {provenance}\n"
            "# Order: retrieval/ranking/rerank.py FEATURES and TRIGGER_FEATURES.\n"
            f"RANK = ({_numbers(self.rank)})\n"
            f"TRIGGER = ({_numbers(self.trigger)})\n"
            f"TRIGGER_BIAS = {self.trigger_bias:.4f}\n"
            f"ABSTAIN_BELOW = {self.abstain_below:.4f}\n"
        )


def _numbers(values: Sequence[float]) -> str:
    """Weights as a tuple's body, wrapped as ruff formats it."""
    return "\n    " + "".join(f"{v:.4f},\n    " for v in values)[:-4]


class Candidate(NamedTuple):
    """A sentence the reranker scored (a tuple: thousands are made per second)."""

    doc: int  # position of the sentence in the corpus
    bm25: float
    score: float  # the reranker's score: higher answers better
    features: list[float]


@dataclass(frozen=True, slots=True)
class Ranking:
    query: Query
    candidates: tuple[Candidate, ...]  # best first
    confidence: float  # estimated probability that the best candidate answers
    reason: str  # non-empty: abstain, and this is why


def _best_first(candidate: Candidate) -> tuple[float, int]:
    return -candidate.score, candidate.doc


def rerank(
    query: Query,
    hits: Sequence[tuple[int, float]],
    profiles: Sequence[Profile],
    context: Callable[[int, dict[int, float]], float],
    model: Model,
    meaning: Meaning | None = None,
) -> Ranking:
    """The `hits` (sentence, BM25 score; best first) reordered by the model, with the verdict
    on answering. `context(doc, scores)`: the best score among the sentence's neighbours;
    `meaning`, the question's cosine with each of them (the hybrid model's features)."""
    if not hits:
        return Ranking(query, (), 0.0, "none of the question's words are in the article")
    scored = dict(hits)
    best = hits[0][1]
    candidates = []
    for doc, score in hits:
        values = features(profiles[doc], score, best, context(doc, scored), query)
        if meaning is not None:
            values += meaning.features(doc, context)
        candidates.append(Candidate(doc, score, linear(values, model.rank), values))
    candidates.sort(key=_best_first)
    trigger = trigger_features(
        [c.score for c in candidates[:2]],
        candidates[0].features,
        (c.features for c in candidates),
        query,
    )
    if meaning is not None:
        trigger += meaning.trigger_features()
    confidence = sigmoid(linear(trigger, model.trigger, model.trigger_bias))
    if query.unknown:
        # A name the article never writes: the question is about something else
        # ("Which county in Florida...?" of an article about Texas), however much of the
        # rest of it the article matches. Crowd workers make unanswerable questions so.
        reason = "it never mentions " + ", ".join(f'"{word}"' for word in query.unknown)
    elif query.info.answer_type in STRICT_TYPES and trigger[TYPE_NOWHERE] == 1.0:
        reason = f"no sentence that matches has the {query.info.answer_type.value} asked for"
    elif confidence < model.abstain_below:
        reason = "no sentence answers it well enough"
    else:
        reason = ""
    return Ranking(query, tuple(candidates), confidence, reason)
