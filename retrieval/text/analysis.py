"""Turn text into index terms; the one analysis used for sentences and questions alike."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import NamedTuple, Protocol

from .lexicon import LOCATIVES, NUMBER_WORDS, STOP_WORDS, fold, fold_apostrophes, number_value
from .nltk_lazy import import_nltk

# Bump when the analysis changes, so cached analysed corpora are rebuilt.
ANALYSIS_VERSION = 5

# One alternation, tried in order: acronyms with dots (U.S.), numbers with separators
# (1,373 or 4.1), words with inner apostrophes (don't, Trump's), a currency sign.
_TOKEN_KINDS = (
    ("acronym", r"(?:[^\W\d_]\.){2,}"),
    ("number", r"\d+(?:[.,]\d+)*"),
    ("word", r"[^\W\d_]+(?:['\u2019\u2018\u02bc][^\W\d_]+)*"),
    ("currency", r"[$\u20ac\u00a3]"),
)
_TOKEN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _TOKEN_KINDS))
# The same tokens without groups: findall then gives their text alone, with no match
# objects (see token_columns).
_TOKEN_TEXT = re.compile("|".join(pattern for _, pattern in _TOKEN_KINDS))

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


def prepare_stemmer() -> None:
    """Load the stemmer now: a process about to fork workers shares it with them."""
    _stemmer()


class KnownStems(Protocol):
    """Stems the Snowball stemmer gave, looked up without it (an archive carries the
    stems of its own words, so answering from it need not import nltk: 0.25 s)."""

    def get(self, word: str) -> str | None: ...


# The one table of known stems in use: a cache of a pure function, so swapping it (an
# archive opened later) or missing a word (nltk then stems it) never changes a term.
_known_stems: list[KnownStems] = []


def use_known_stems(table: KnownStems) -> None:
    """Look words up in `table` before asking the stemmer (see KnownStems)."""
    _known_stems[:] = [table]


@contextmanager
def known_stems(table: KnownStems | None) -> Iterator[None]:
    """Look words up in `table` (if any) inside the block, and as before after it."""
    before = list(_known_stems)
    if table is not None:
        use_known_stems(table)
    try:
        yield
    finally:
        _known_stems[:] = before


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    for table in _known_stems:
        found = table.get(word)
        if found is not None:
            return found
    return _stemmer().stem(word)


@cache
def irregular() -> Mapping[str, str]:
    """Irregular form -> lemma ("led" -> "lead", "written" -> "write", "children" ->
    "child"): forms a stemmer leaves apart from their lemma. Built by
    benchmarks/build_irregular.py from lemminflect; read once, on first use."""
    text = resources.files(__package__).joinpath("irregular.txt").read_text(encoding="utf-8")
    return MappingProxyType(dict(line.split() for line in text.splitlines()))


def word_stems(surfaces: Iterable[str]) -> dict[str, str]:
    """Each word the analysis stems for `surfaces` (tokens' text) -> its stem, currency
    words included: the table an archive carries (see KnownStems)."""
    table = {word: stem(word) for word in _CURRENCY_TERMS.values()}
    for surface in surfaces:
        match = _TOKEN.fullmatch(surface)
        if match is not None and match.lastgroup == "word":
            word = _stemmed_word(surface)
            if word is not None and word not in table:
                table[word] = stem(word)
    return table


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
    word = _stemmed_word(surface, norm)
    if word is None:
        norm = norm.removesuffix("'s")
        return str(NUMBER_WORDS[norm]) if norm in NUMBER_WORDS else None
    return stem(word)


def _stemmed_word(surface: str, norm: str | None = None) -> str | None:
    """What the stemmer is given for a word token, or None: a stop word, a letter, a
    number word."""
    if norm is None:
        norm = "".join(normalise(surface).split())
    norm = norm.removesuffix("'s")
    if norm in STOP_WORDS or (len(norm) < 2 and not norm.isdigit()) or norm in NUMBER_WORDS:
        return None
    return irregular().get(norm, norm)


def tokenize(text: str) -> list[Token]:
    """Every token of `text` with its character span and its index term (or None)."""
    # tuple.__new__ rather than Token(...): a build makes tens of millions of these.
    tokens = [
        _new_token(Token, (surface, *m.span(), _term(m.lastgroup, surface)))
        for m in _TOKEN.finditer(text)
        for surface in (m.group(),)
    ]
    # Joining takes two number words at least (by _join_number_words's own test): most
    # sentences have none to join.
    if sum(t.text.lower() in NUMBER_WORDS for t in tokens) > 1:
        return _join_number_words(tokens)
    return tokens


_new_token = tuple.__new__

# A sentence's tokens as two columns, their text and their index terms (None for stop
# words): all an archive's build needs of them.
TokenColumns = tuple[list[str], list[str | None]]


def token_columns(text: str) -> TokenColumns:
    """The text and term of every token of `text`, as `tokenize` gives them, without the
    spans: a build analyses every sentence of an archive, and a match object and a Token
    for each of its tokens were a quarter of that work."""
    texts = _TOKEN_TEXT.findall(text)
    if sum(map(_is_number_word, map(str.lower, texts))) > 1:  # tokenize's own test
        return columns_of(tokenize(text))
    return texts, list(map(_surface_term, texts))


def columns_of(tokens: Iterable[Token]) -> TokenColumns:
    """`tokens` as TokenColumns."""
    tokens = list(tokens)
    return [t.text for t in tokens], [t.term for t in tokens]


_is_number_word = NUMBER_WORDS.__contains__


@lru_cache(maxsize=1 << 17)
def _surface_term(surface: str) -> str | None:
    # A token's kind follows from its text alone: no text matches two kinds' patterns (an
    # acronym has letters and dots, a number digits, a word letters and no dot, a currency
    # sign neither).
    match = _TOKEN.fullmatch(surface)
    return None if match is None else _term(match.lastgroup, surface)  # type: ignore[arg-type]


def _number_kind(word: str) -> str:
    value = NUMBER_WORDS.get(word)
    if value is None:
        return "and" if word == "and" else ""
    return {100: "hundred", 1000: "thousand"}.get(value, "tens" if value >= 20 else "unit")


# Which kind of number word may follow which inside one number: "eight hundred and
# seventy-five", "two thousand five hundred". "Seven and eight" or "nineteen ninety" are two.
_FOLLOWS = {
    "unit": {"hundred", "thousand"},
    "tens": {"unit", "hundred", "thousand"},
    "hundred": {"and", "unit", "tens", "thousand"},
    "thousand": {"and", "unit", "tens"},
    "and": {"unit", "tens"},
}


def _join_number_words(tokens: list[Token]) -> list[Token]:
    """A run of number words that makes one number ("eight hundred (and) seventy",
    "twenty-five") is one term: its first word takes the value, the others none."""
    joined = list(tokens)
    words = [t.text.lower() for t in tokens]
    i = 0
    while i < len(tokens):
        kind = _number_kind(words[i])
        if kind in ("", "and"):
            i += 1
            continue
        end = i + 1
        # Units above nine (teens) take only a scale after them, like units.
        while end < len(tokens) and _number_kind(words[end]) in _FOLLOWS[kind]:
            kind = _number_kind(words[end])
            end += 1
        if kind == "and":  # "... hundred and" then no number: the "and" is not part of it
            end -= 1
        if end - i > 1:
            run = [w for w in words[i:end] if w != "and"]
            joined[i] = tokens[i]._replace(term=str(number_value(run)))
            for k in range(i + 1, end):
                joined[k] = tokens[k]._replace(term=None)
        i = end
    return joined


def analyse(text: str) -> list[str]:
    """The index terms of `text`, in order, stop words dropped."""
    return [t.term for t in tokenize(text) if t.term is not None]


def sentence_names(tokens: Sequence[Token]) -> tuple[frozenset[str], frozenset[str]]:
    """Terms of capitalised words not opening the sentence, and those of them right after a
    locative preposition ("at the White House"): names, and names of places."""
    names, places = set(), set()
    for i, token in enumerate(tokens):
        if i == 0 or not token.term or not token.text[:1].isupper():
            continue
        names.add(token.term)
        if any(fold(before.text) in LOCATIVES for before in tokens[max(0, i - 3) : i]):
            places.add(token.term)
    return frozenset(names), frozenset(places)


def words_after_numbers(tokens: Sequence[Token]) -> frozenset[str]:
    """The lower-case words that follow a number: where units are ("6,650 km", "two-year")."""
    return frozenset(
        fold(after.text)
        for number, after in itertools.pairwise(tokens)
        if number.term and number.term[:1].isdigit()
    )
