"""What the reranker needs of each sentence, computed once when a corpus is indexed (or, in
an archive, when the sentence is first a candidate)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..text import lexicon
from ..text.analysis import Token, sentence_names, words_after_numbers
from ..text.lexicon import fold
from .query import pair_keys

# The first sentence of a short summary answers much of what is asked about it (on WikiQA,
# whose documents have 9 sentences on average, 43% of the answers); in a long article it is
# one sentence among hundreds. Its credit fades for articles longer than this.
SHORT_ARTICLE = 10


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
    age: bool  # an age, or a birth: "45-year-old", "aged 45", "(born 1971)"
    money: bool  # an amount of money: a currency sign or word
    measure: bool  # a number with a unit: "6,650 km", "40 feet"
    duration: bool  # a number with a unit of time: "3 hours", "two-year"
    opening: float  # first sentence of its article: share of the title's terms; else 0
    defines: bool  # a copula among the first words: "X is a ..."


def profile_article(
    texts: Sequence[str], tokens: Sequence[Sequence[Token]], title_terms: frozenset[str]
) -> list[Profile]:
    """Profiles of one article's sentences, in order."""
    return [
        profile_sentence(text, toks, tokens[i - 1] if i > 0 else None, i, len(texts), title_terms)
        for i, (text, toks) in enumerate(zip(texts, tokens, strict=True))
    ]


def profile_sentence(
    text: str,
    tokens: Sequence[Token],
    previous: Sequence[Token] | None,
    position: int,
    article_length: int,
    title_terms: frozenset[str],
) -> Profile:
    """The profile of one sentence: `position` (0-based) among its article's
    `article_length` sentences, `previous` the tokens of the sentence before it (None for
    the first). An archive profiles only a question's candidates, at question time."""
    terms = tuple(t.term for t in tokens if t.term)
    opening = [fold(t.text) for t in tokens[:8]]
    refers_back = position > 0 and not lexicon.SENTENCE_ANAPHORS.isdisjoint(opening[:6])
    names, places = sentence_names(tokens)
    units = words_after_numbers(tokens)
    title_share = (
        len(title_terms.intersection(terms)) / len(title_terms) if title_terms else 0.0
    ) * min(1.0, SHORT_ARTICLE / article_length)
    antecedent = (
        frozenset(t.term for t in previous if t.term)
        if refers_back and previous is not None
        else frozenset()
    )
    return Profile(
        term_set=frozenset(terms),
        log_length=math.log1p(len(terms)),
        antecedent=antecedent,
        bigrams=pair_keys(terms),
        numbers=frozenset(t for t in terms if t[:1].isdigit() or t in lexicon.NUMBER_TERMS),
        names=names,
        places=places,
        has_date=lexicon.has_date(text),
        age=lexicon.has_age(text),
        money=not lexicon.CURRENCIES.isdisjoint(terms),
        measure=not lexicon.UNITS.isdisjoint(units),
        duration=not lexicon.TIME_UNITS.isdisjoint(units),
        opening=title_share if position == 0 else 0.0,
        defines=not lexicon.DEFINING_VERBS.isdisjoint(opening),
    )
