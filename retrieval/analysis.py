"""Turn text into index terms; the one analysis used for sentences and questions alike."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

from .lexicon import NUMBER_WORDS, STOP_WORDS, fold_apostrophes, number_value
from .nltk_lazy import import_nltk

# Bump when the analysis changes, so cached analysed corpora are rebuilt.
ANALYSIS_VERSION = 4

# One alternation, tried in order: acronyms with dots (U.S.), numbers with separators
# (1,373 or 4.1), words with inner apostrophes (don't, Trump's), a currency sign.
_TOKEN = re.compile(
    r"""
    (?P<acronym>(?:[^\W\d_]\.){2,})
    | (?P<number>\d+(?:[.,]\d+)*)
    | (?P<word>[^\W\d_]+(?:['\u2019\u2018\u02bc][^\W\d_]+)*)
    | (?P<currency>[$\u20ac\u00a3])
    """,
    re.VERBOSE,
)

_CURRENCY_TERMS = {"$": "dollar", "\u20ac": "euro", "\u00a3": "pound"}


class Token(NamedTuple):
    """A token of the original text; `term` is None for stop words.

    A tuple, not a dataclass: every sentence and question makes dozens of these."""

    text: str
    start: int
    end: int
    term: str | None


@cache
def _stemmer():
    # Lazy: nltk's import is the costliest thing the CLI does.
    return import_nltk("nltk.stem.snowball").SnowballStemmer("english")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    return _stemmer().stem(word)


def normalise(text: str) -> str:
    """Unicode NFKC, apostrophes folded, case folded."""
    return fold_apostrophes(unicodedata.normalize("NFKC", text)).casefold()


@lru_cache(maxsize=1 << 16)
def _term(kind: str, surface: str) -> str | None:
    # Memoised: the same few thousand surface forms make up most of any text.
    # NFKC can turn one character into a space and a mark (U+FE70): terms hold no spaces.
    norm = "".join(normalise(surface).split())
    if kind == "number":
        return norm.replace(",", "")
    if kind == "currency":
        return stem(_CURRENCY_TERMS[surface])
    if kind == "acronym":
        return norm.rstrip(".")
    if norm.endswith("'s"):
        norm = norm[:-2]
    if norm in STOP_WORDS or (len(norm) < 2 and not norm.isdigit()):
        return None
    if norm in NUMBER_WORDS:
        return str(NUMBER_WORDS[norm])
    return stem(norm)


def tokenize(text: str) -> list[Token]:
    """Every token of `text` with its character span and its index term (or None)."""
    tokens = [
        Token(surface, m.start(), m.end(), _term(m.lastgroup or "word", surface))
        for m in _TOKEN.finditer(text)
        for surface in (m.group(),)
    ]
    return _join_number_words(tokens) if len(tokens) > 1 else tokens


def _join_number_words(tokens: list[Token]) -> list[Token]:
    """A run of number words ("eight hundred (and) seventy", "twenty-five") is one number:
    its first word takes the value as its term, the others none."""
    joined = list(tokens)
    i = 0
    while i < len(tokens):
        if tokens[i].text.lower() not in NUMBER_WORDS:
            i += 1
            continue
        end = i + 1
        while end < len(tokens):
            word = tokens[end].text.lower()
            if word in NUMBER_WORDS:
                end += 1
            elif (
                word == "and"
                and end + 1 < len(tokens)
                and tokens[end + 1].text.lower() in NUMBER_WORDS
            ):
                end += 2
            else:
                break
        if end - i > 1:
            words = [t.text.lower() for t in tokens[i:end] if t.text.lower() != "and"]
            joined[i] = tokens[i]._replace(term=str(number_value(words)))
            for k in range(i + 1, end):
                joined[k] = tokens[k]._replace(term=None)
        i = end
    return joined


def analyse(text: str) -> list[str]:
    """The index terms of `text`, in order, stop words dropped."""
    return [t.term for t in tokenize(text) if t.term is not None]
