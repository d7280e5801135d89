"""Rerank BM25 candidates and decide whether to answer, with two small learned linear models.

Both models are trained on WikiQA by benchmarks/train_ranker.py, which writes their weights
to retrieval/ranker_weights.py. Every feature is a ratio or a flag, so weights learned on
Wikipedia summaries carry over to news articles of any length.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .analysis import Token, fold
from .question import AnswerType, QuestionInfo, has_date

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
    "opening",  # the article's first sentence, by its share of the title's terms
    "definition",  # a "What is X?" question and a sentence shaped like a definition
)

TRIGGER_FEATURES = (
    "score",  # the best candidate's reranker score
    "margin",  # its lead over the runner-up
    "missing",  # share of the query's weight on words found nowhere in the corpus
    "antecedent",  # the best candidate's coverage (with its antecedent)
    "type_miss",  # the best candidate lacks the kind of phrase asked for
    "type_nowhere",  # no candidate at all has the kind of phrase asked for
)

# The margin of the only sentence sharing a word with the question. Chosen on WikiQA train
# (trigger F1 0.367 at 1, 0.365 at 0, 0.364 at 3): being alone is weak evidence, as when
# one stray word ("programs" for "programming") is all a question shares with the article.
LONE_MARGIN = 1.0
# Words that, early in a sentence, point back at the previous one ("These jurisdictions...").
_ANAPHORS = frozenset("he she it they his her its their this these those such".split())
_COPULAS = frozenset("is are was were isn't aren't wasn't weren't".split())
_LOCATIVE = frozenset("in at from near to into inside across outside".split())
_NUMBER_WORDS = frozenset(
    """
    1 2 3 4 5 6 7 8 9 10 11 12 20 30 50 100 1000 million billion trillion dozen half percent
    hundr thousand
    """.split()
)


@dataclass(frozen=True, slots=True)
class Profile:
    """What the reranker needs of a sentence, computed once when the corpus is indexed."""

    term_set: frozenset[str]
    log_length: float  # log(1 + number of index terms)
    antecedent: frozenset[str]  # the previous sentence's terms, if this one refers back
    bigrams: frozenset[int]  # pair_keys of its terms
    numbers: frozenset[str]  # number terms (digits and number words)
    names: frozenset[str]  # terms of capitalised words not starting the sentence
    places: frozenset[str]  # names right after a locative preposition ("at the White House")
    has_date: bool
    money: bool  # an amount of money: a currency sign or word
    measure: bool  # a number with a unit: "6,650 km", "40 feet"
    duration: bool  # a number with a unit of time: "3 hours", "two-year"
    opening: float  # first sentence of its article: share of the title's terms; else 0
    defines: bool  # a copula among the first words: "X is a ..."


def _names(tokens: Sequence[Token]) -> tuple[frozenset[str], frozenset[str]]:
    """Terms of capitalised words not opening the sentence, and those of them right after a
    locative preposition ("at the White House"): names, and names of places."""
    names, places = set(), set()
    for i, token in enumerate(tokens):
        if i == 0 or not token.term or not token.text[:1].isupper():
            continue
        names.add(token.term)
        if any(fold(before.text) in _LOCATIVE for before in tokens[max(0, i - 3) : i]):
            places.add(token.term)
    return frozenset(names), frozenset(places)


# Stems of currency words ("$" is analysed as "dollar"); literal, so importing needs no nltk.
CURRENCIES = frozenset({"dollar", "euro", "pound", "cent", "yen"})
# Units that make a number a measurement (raw lower-case words: "m" is no index term).
_UNITS = frozenset(
    """
    km kilometre kilometres kilometer kilometers mile miles m metre metres meter meters cm mm
    ft foot feet inch inches yard yards acre acres hectare hectares sq square kg kilogram
    kilograms g gram grams lb lbs pound pounds ton tons tonne tonnes mph kph degree degrees
    percent storey storeys stories floors
    """.split()
)
_TIME_UNITS = frozenset(
    """
    second seconds minute minutes hour hours day days week weeks month months year years
    decade decades
    """.split()
)


def _after_numbers(tokens: Sequence[Token]) -> frozenset[str]:
    """The lower-case words that follow a number: where units are ("6,650 km", "two-year")."""
    return frozenset(
        fold(after.text)
        for number, after in itertools.pairwise(tokens)
        if number.term and number.term[:1].isdigit()
    )


def pair_keys(terms: Sequence[str]) -> frozenset[int]:
    """Adjacent term pairs, hashed: an int takes a fraction of a tuple's memory."""
    return frozenset(hash(pair) for pair in itertools.pairwise(terms))


def profile_article(
    texts: Sequence[str], tokens: Sequence[Sequence[Token]], title_terms: frozenset[str]
) -> list[Profile]:
    """Profiles of one article's sentences, in order."""
    term_lists = [tuple(t.term for t in ts if t.term) for ts in tokens]
    profiles = []
    for i, (text, toks, terms) in enumerate(zip(texts, tokens, term_lists, strict=True)):
        opening = [fold(t.text) for t in toks[:8]]
        refers_back = i > 0 and not _ANAPHORS.isdisjoint(opening[:6])
        names, places = _names(toks)
        units = _after_numbers(toks)
        title_share = (
            len(title_terms.intersection(terms)) / len(title_terms) if title_terms else 0.0
        )
        profiles.append(
            Profile(
                term_set=frozenset(terms),
                log_length=math.log1p(len(terms)),
                antecedent=frozenset(term_lists[i - 1]) if refers_back else frozenset(),
                bigrams=pair_keys(terms),
                numbers=frozenset(t for t in terms if t[:1].isdigit() or t in _NUMBER_WORDS),
                names=names,
                places=places,
                has_date=has_date(text),
                money=not CURRENCIES.isdisjoint(terms),
                measure=not _UNITS.isdisjoint(units),
                duration=not _TIME_UNITS.isdisjoint(units),
                opening=title_share if i == 0 else 0.0,
                defines=not _COPULAS.isdisjoint(opening),
            )
        )
    return profiles


class Query(NamedTuple):
    """The question as the reranker sees it (made by `query`)."""

    info: QuestionInfo
    weights: Mapping[str, float]  # term -> weight (own terms 1, inherited ones less)
    idf: Mapping[str, float]  # term -> IDF, absent terms at the corpus's maximum
    reach: float  # sum of weight * IDF over the query terms the corpus has
    missing: float  # share of the query's weight on terms absent from the corpus
    bigrams: frozenset[int]  # pair_keys of the question's own terms
    # The query's terms, inherited ones too: after "Who is Eddie Rodriguez?", his name is no
    # answer to "What party does he belong to?"
    asked: frozenset[str]
    weighted: tuple[tuple[str, float], ...]  # term, weight * IDF
    total: float  # sum of weight * IDF over every query term

    @property
    def expects_type(self) -> bool:
        return self.info.answer_type is not AnswerType.NONE


def query(
    info: QuestionInfo,
    weights: Mapping[str, float],
    idf: Mapping[str, float],
    known: Callable[[str], bool],
    bridged: frozenset[str] = frozenset(),
) -> Query:
    """The Query for a question with weighted terms; `known`: is a term in the corpus;
    `bridged`: terms the corpus lacks but has another form of (a synonym, an acronym)."""
    weighted = tuple((t, w * idf[t]) for t, w in weights.items())
    reach = sum(v for t, v in weighted if known(t))
    # Words that only name the kind of answer ("cost", "tall") are not missing content.
    counted = {t: w for t, w in weights.items() if t not in info.cues}
    asked = sum(counted.values())
    absent = sum(w for t, w in counted.items() if not known(t) and t not in bridged)
    missing = absent / asked if asked else 0.0
    terms = info.terms
    return Query(
        info,
        weights,
        idf,
        reach,
        missing,
        pair_keys(terms),
        frozenset(weights),
        weighted,
        sum(v for _, v in weighted) or 1.0,
    )


def type_evidence(p: Profile, query: Query) -> float:
    """How surely the sentence holds the kind of phrase the question asks for (0 to 1)."""
    answer_type = query.info.answer_type
    if answer_type is AnswerType.DATE:
        return float(p.has_date)
    if answer_type is AnswerType.NUMBER:
        return float(not p.numbers <= query.asked)
    if answer_type is AnswerType.MONEY:
        return float(p.money)
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
        1.0 if p.defines and query.info.definitional else 0.0,
    ]


TYPE_NOWHERE = TRIGGER_FEATURES.index("type_nowhere")
_ANTECEDENT = FEATURES.index("antecedent")
_TYPE_MATCH = FEATURES.index("type_match")
_TYPE_MISS = FEATURES.index("type_miss")


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
    ]


def linear(values: Sequence[float], weights: Sequence[float], bias: float = 0.0) -> float:
    # No length check on this hot path: tests check the shipped weights fit the features.
    return bias + sum(map(operator.mul, values, weights))


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -60 else 0.0
