"""Bridge vocabulary gaps between a question and the corpus: acronyms the corpus defines,
and a small hand-kept list of synonyms among general English words."""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache

from .analysis import Token, analyse, fold

# Small words that acronyms skip: "Immigration and Customs Enforcement" -> ICE.
_SKIPPED = frozenset("and of for the on in to &".split())


def _capitalised_runs(tokens: Sequence[Token]) -> Iterable[list[Token]]:
    """Runs of capitalised words, allowing skipped small words inside ("Bank of England")."""
    run: list[Token] = []
    for token in tokens:
        text = token.text
        if (text[:1].isupper() and text[1:2].islower()) or (run and fold(text) in _SKIPPED):
            run.append(token)
        else:
            if run:
                yield run
            run = []
    if run:
        yield run


def learn_acronyms(documents: Iterable[Sequence[Token]]) -> dict[str, tuple[str, ...]]:
    """Acronym term -> the terms of its long form, for acronyms the corpus spells out.

    An all-capitals word (ICE) is linked to a capitalised phrase anywhere in the corpus whose
    initials spell it (Immigration and Customs Enforcement), so a question using either form
    reaches sentences that use the other.
    """
    documents = list(documents)
    acronyms = {
        fold(t.text): t.term
        for tokens in documents
        for t in tokens
        if t.term and 2 <= len(t.text) <= 6 and t.text.isalpha() and t.text.isupper()
    }
    if not acronyms:
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for tokens in documents:
        for run in _capitalised_runs(tokens):
            words = [t for t in run if fold(t.text) not in _SKIPPED]
            # Every contiguous sub-phrase: "Attorney General Jeff Sessions" holds "Jeff Sessions".
            for start in range(len(words)):
                for end in range(start + 2, min(len(words), start + 6) + 1):
                    initials = "".join(t.text[0] for t in words[start:end]).lower()
                    term = acronyms.get(initials)
                    if term and term not in found:
                        found[term] = tuple(t.term for t in words[start:end] if t.term)
    return found


# Groups of general words used for one another. Only everyday words: never the phrasing of
# one article. Compared after analysis (stemmed), so one form of each word suffices.
SYNONYM_GROUPS = (
    "oppose against object",
    "support back favour favor endorse",
    "begin start launch commence",
    "end finish conclude",
    "buy purchase",
    "die death dead",
    "born birth",
    "build construct construction",
    "big large huge",
    "small little tiny",
    "happen occur",
    "help aid assist",
    "job work employment",
    "car vehicle",
    "rise increase grow",
    "fall decrease decline drop",
    "show reveal",
    "choose select pick",
    "law statute legislation",
    "money funds funding cash",
    "kid child children",
    "doctor physician",
    "film movie",
    "people person persons",
    "wife husband spouse",
)


@cache
def synonym_table(groups: tuple[str, ...] = SYNONYM_GROUPS) -> dict[str, tuple[str, ...]]:
    """Term -> the other terms of its group (after analysis); made once, on first use."""
    table: dict[str, tuple[str, ...]] = {}
    for group in groups:
        terms = list(dict.fromkeys(analyse(group)))
        for term in terms:
            table[term] = tuple(t for t in terms if t != term)
    return table


VARIANT_PREFIX = 5  # letters two forms of a word must share before any comparison
MAX_VARIANTS = 3


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


def acronym_starts(acronyms: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The first term of each long form -> the acronyms whose long form it opens."""
    starts: dict[str, list[str]] = {}
    for acronym, long_form in acronyms.items():
        if long_form:
            starts.setdefault(long_form[0], []).append(acronym)
    return {term: tuple(found) for term, found in starts.items()}


def expand(
    weights: Mapping[str, float],
    acronyms: Mapping[str, tuple[str, ...]],
    synonyms: Mapping[str, tuple[str, ...]],
    known: Callable[[str], bool],
    share: float,
    vocabulary: Sequence[str] = (),
    starts: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[dict[str, float], frozenset[str]]:
    """The query with other forms of its words added at `share` of their weight: each
    acronym's long form (and the acronym for a long form), and, for a word the corpus
    lacks, its synonyms that the corpus has, or else its `variants` in the sorted
    `vocabulary`. Also the absent words so bridged. `starts` is `acronym_starts(acronyms)`,
    made once per corpus: the work per question then grows with the question, not with
    the number of acronyms."""
    expanded = dict(weights)
    bridged = set()
    if starts is None:
        starts = acronym_starts(acronyms)
    for term in weights:
        long_form = acronyms.get(term)
        if long_form:
            for other in long_form:
                expanded.setdefault(other, weights[term] * share)
        for acronym in starts.get(term, ()):
            long_form = acronyms[acronym]
            if acronym not in weights and all(t in weights for t in long_form):
                expanded.setdefault(acronym, min(weights[t] for t in long_form) * share)
    for term, weight in weights.items():
        if known(term):
            continue
        present = [s for s in synonyms.get(term, ()) if known(s)] or variants(term, vocabulary)
        for other in present:
            expanded.setdefault(other, weight * share)
        if present:
            bridged.add(term)
    return expanded, frozenset(bridged)
