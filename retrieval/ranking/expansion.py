"""Other forms of a question's words that an article may use instead: acronyms it spells
out, general synonyms, a WordNet thesaurus, and forms the stemmer keeps apart."""

from __future__ import annotations

import bisect
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import NamedTuple

from ..text import lexicon
from ..text.analysis import analyse

# Weight of another form of a word asked (an acronym's long form, a synonym) relative to it.
ALTERNATIVE_SHARE = 0.5
# Weight of a word that can stand for one the article has (a thesaurus relative), relative
# to it.
RELATED_SHARE = 0.5
VARIANT_PREFIX = 5  # letters two forms of a word must share before any comparison
MAX_VARIANTS = 3


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What building a query needs to know of a corpus's words."""

    idf: Mapping[str, float]  # the retriever's IDF of every indexed term
    acronyms: Mapping[str, tuple[str, ...]]  # acronym -> the terms of its long form
    sorted_terms: tuple[str, ...]  # for other forms of a word, found by prefix
    # The first term of each long form -> the acronyms it opens: the work per question
    # then grows with the question, not with the number of acronyms.
    acronym_starts: Mapping[str, tuple[str, ...]]
    # An unseen term is rarer than any seen one: the IDF of a term in no sentence.
    unseen_idf: float
    names: frozenset[str] = frozenset()  # terms the corpus writes as names (capitalised)

    @classmethod
    def of(
        cls,
        idf: Mapping[str, float],
        size: int,
        acronyms: Mapping[str, tuple[str, ...]],
        names: frozenset[str] = frozenset(),
    ) -> Vocabulary:
        starts: dict[str, list[str]] = {}
        for acronym, long_form in acronyms.items():
            if long_form:
                starts.setdefault(long_form[0], []).append(acronym)
        return cls(
            idf,
            acronyms,
            tuple(sorted(idf)),
            {term: tuple(found) for term, found in starts.items()},
            math.log(1.0 + (size + 0.5) / 0.5),
            names,
        )


@cache
def synonym_table(
    groups: tuple[str, ...] = lexicon.SYNONYM_GROUPS,
) -> Mapping[str, tuple[str, ...]]:
    """Term -> the other terms of its group (after analysis); made once, on first use."""
    table: dict[str, tuple[str, ...]] = {}
    for group in groups:
        terms = list(dict.fromkeys(analyse(group)))
        for term in terms:
            table[term] = tuple(t for t in terms if t != term)
    return MappingProxyType(table)  # shared by every caller: read-only


def variants(term: str, vocabulary: Sequence[str]) -> list[str]:
    """Terms of the sorted `vocabulary` that look like forms of `term` the stemmer keeps
    apart ("analyz" for "analyzed", "analysi" for "analysis"): a long common prefix, and
    at most two letters more of either after it."""
    if len(term) < VARIANT_PREFIX or not term.isalpha():
        return []
    prefix = term[:VARIANT_PREFIX]
    found = []
    start = bisect.bisect_left(vocabulary, prefix)
    for other in (vocabulary[i] for i in range(start, min(start + 50, len(vocabulary)))):
        if not other.startswith(prefix):
            break
        common = len(os.path.commonprefix((term, other)))  # noqa: RUF071 (words, not paths)
        if other != term and common >= max(len(term), len(other)) - 2:
            found.append(other)
    return found[:MAX_VARIANTS]


class Expansion(NamedTuple):
    weights: dict[str, float]  # the query's terms and the other forms added
    bridged: frozenset[str]  # terms the corpus lacks but has another form of
    # Each term of the question -> the other forms added for it: a sentence with one of
    # them holds the term ("ICE" where it says "Immigration and Customs Enforcement").
    alternatives: dict[str, tuple[str, ...]]


def expand(
    weights: Mapping[str, float], vocabulary: Vocabulary, share: float = ALTERNATIVE_SHARE
) -> Expansion:
    """The query with other forms of its words added at `share` of their weight: each
    acronym's long form (and the acronym for a long form), and, for a word the corpus
    lacks, its synonyms and thesaurus relatives that the corpus has, or else its
    `variants`; for a word it has, its relatives at RELATED_SHARE. A sentence with one of
    them counts as holding the word (measured on the question bank's held-out half: with
    the thesaurus's relatives counted so, it declines more near misses and fewer answerable
    questions than without)."""
    expanded = dict(weights)
    alternatives: dict[str, list[str]] = {}

    def add(term: str, other: str, weight: float) -> None:
        expanded.setdefault(other, weight)
        alternatives.setdefault(term, []).append(other)

    acronyms, known = vocabulary.acronyms, vocabulary.idf
    for term in weights:
        for other in acronyms.get(term, ()):
            add(term, other, weights[term] * share)
        for acronym in vocabulary.acronym_starts.get(term, ()):
            long_form = acronyms[acronym]
            if acronym not in weights and all(t in weights for t in long_form):
                add(term, acronym, min(weights[t] for t in long_form) * share)
    synonyms = synonym_table()
    related = thesaurus()
    for term, weight in weights.items():
        relatives = [*synonyms.get(term, ()), *related.get(term, ())]
        if term in known:
            # A word the article has may still be put otherwise where the answer is.
            for other in relatives:
                if other in known:
                    add(term, other, weight * RELATED_SHARE)
            continue
        present = [s for s in relatives if s in known] or variants(term, vocabulary.sorted_terms)
        for other in present:
            add(term, other, weight * share)
    bridged = frozenset(t for t in weights if t not in known and t in alternatives)
    return Expansion(expanded, bridged, {t: tuple(o) for t, o in alternatives.items()})


@cache
def thesaurus() -> Mapping[str, tuple[str, ...]]:
    """Stem -> stems of words that can stand for it (WordNet synonyms and derived forms,
    built by benchmarks/build_thesaurus.py); read once, on first use."""
    text = resources.files(__package__).joinpath("thesaurus.txt").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        stem, *others = line.split()
        table[stem] = tuple(others)
    return MappingProxyType(table)  # shared by every caller: read-only
