"""Turn text into index terms; the one analysis used for sentences and questions alike."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

from .nltk_lazy import import_nltk

# Bump when the analysis changes, so cached analysed corpora are rebuilt.
ANALYSIS_VERSION = 2

# nltk's English stop-word list (its corpus data is not downloaded, so it lives here),
# plus contraction forms with a curly apostrophe folded to a straight one.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself
    yourselves he him his himself she she's her hers herself it it's its itself they them
    their theirs themselves what which who whom this that that'll these those am is are was
    were be been being have has had having do does did doing a an the and but if or because
    as until while of at by for with about between into through during before after
    above below to from up down in out on off over under again further then once here there
    when where why how all any both each few more most other some such no nor not only own
    same so than too very s t can will just don don't should should've now d ll m o re ve y
    ain aren aren't couldn couldn't didn didn't doesn doesn't hadn hadn't hasn hasn't haven
    haven't isn isn't ma mightn mightn't mustn mustn't needn needn't shan shan't shouldn
    shouldn't wasn wasn't weren weren't won won't wouldn wouldn't also would could may might
    must shall there's that's what's who's it's let's here's i'm i've i'd i'll we're we've
    we'd we'll they're they've they'd they'll he's he'd he'll she'd she'll
    """.split()
)

# Small general-English number words, so "six hundred" style questions can meet digits.
NUMBER_WORDS = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "twenty": "20",
    "thirty": "30",
    "fifty": "50",
    "hundred": "100",
    "thousand": "1000",
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})

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
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()


def fold(text: str) -> str:
    """Lower case with apostrophes folded: cheap, for matching against short word lists."""
    return text.lower().translate(_APOSTROPHES)


@lru_cache(maxsize=1 << 16)
def _term(kind: str, surface: str) -> str | None:
    # Memoised: the same few thousand surface forms make up most of any text.
    norm = normalise(surface)
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
        return NUMBER_WORDS[norm]
    return stem(norm)


def tokenize(text: str) -> list[Token]:
    """Every token of `text` with its character span and its index term (or None)."""
    return [
        Token(surface, m.start(), m.end(), _term(m.lastgroup or "word", surface))
        for m in _TOKEN.finditer(text)
        for surface in (m.group(),)
    ]


def analyse(text: str) -> list[str]:
    """The index terms of `text`, in order, stop words dropped."""
    return [t.term for t in tokenize(text) if t.term is not None]
