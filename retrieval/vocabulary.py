"""Bridge vocabulary gaps between a question and the corpus: acronyms the corpus defines."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .analysis import Token, fold

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


def expand(
    weights: Mapping[str, float], acronyms: Mapping[str, tuple[str, ...]], share: float
) -> dict[str, float]:
    """The query with each acronym's long form added (and the acronym for a long form)."""
    expanded = dict(weights)
    for acronym, long_form in acronyms.items():
        if acronym in weights:
            for term in long_form:
                expanded.setdefault(term, weights[acronym] * share)
        elif long_form and all(term in weights for term in long_form):
            expanded.setdefault(acronym, min(weights[t] for t in long_form) * share)
    return expanded
