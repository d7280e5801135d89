"""Sentence boundaries within a paragraph: nltk's Punkt with this project's parameters (a
list of general abbreviations, nothing learned), in one loop instead of Punkt's layers.

Punkt builds an object for every word around every candidate break and passes them through
generators; over an archive that was a third of the analysis. With no learned collocations,
sentence starters or orthographic statistics, its decision on a candidate reduces to the
rules of `_breaks`, and the candidates, words and realignment are found with Punkt's own
regular expressions. A property test holds the spans equal to a fresh
PunktSentenceTokenizer's on any text (tests/test_articles.py).
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

# General English abbreviations that end in a period but rarely end a sentence. Punkt
# learns abbreviations from training text; we ship no trained model (nothing is downloaded),
# so it gets this list instead. Entries are lowercase without the final period.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft rev hon gen col lt sgt capt cmdr adm maj cpl pvt sen
    rep gov pres supt insp det atty u.s u.k u.n e.u d.c l.a n.y u.s.a inc corp co ltd llc
    bros dept univ assn est no nos vol vols pp ed eds fig figs approx vs etc e.g i.e cf al
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat
    sun ave blvd rd hwy a.m p.m ala ariz ark calif colo conn del fla ga ill ind kan ky la md
    mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo
    """.split()
)


@dataclass(frozen=True, slots=True)
class _Punkt:
    """Punkt's patterns and constants, compiled."""

    candidates: Any  # a potential sentence end and the token after it
    words: Any  # Punkt's word tokens
    realignment: Any  # closing punctuation that belongs to the sentence before
    number: Any  # a token Punkt types as ##number##
    initial: Any  # a token Punkt takes for an initial ("J.")
    punctuation: tuple[str, ...]  # tokens no sentence starts with
    sentence_ends: tuple[str, ...]


# nltk 3.10's Punkt patterns (PunktLanguageVars, PunktToken), character for character: a
# test holds them equal to the installed nltk's. Compiled here with the same engine and
# flags (the `regex` module), so splitting never imports nltk, which costs 0.3 s: a
# refresh of a few files, or an answering process, splits sentences without it.
_CANDIDATES = (
    "\n"
    "        [\\.\\?!]             # a potential sentence ending\n"
    "        (?=(?P<after_tok>\n"
    "            (?:[)\\\";}\\]\\*:@\\'\\({\\[\\u2018\\u2019\\u201c\\u201d\\x"
    "ab\\xbb\\?!])              # either other punctuation\n"
    "            |\n"
    "            \\s+(?P<next_tok>\\S+)     # or whitespace and som"
    "e other token\n"
    "        ))"
)
_WORDS = (
    "(\n"
    "        (?:\\-{2,}|\\.{2,}|(?:\\.\\s){2,}\\.)\n"
    "        |\n"
    '        (?=[^\\(\\"\\`{\\[:;&\\#\\*@\\)}\\]\\-,])\\S+?  # Accept word '
    "characters until end is found\n"
    "        (?= # Sequences marking a word's end\n"
    "            \\s|                                 # White-spac"
    "e\n"
    "            $|                                  # End-of-str"
    "ing\n"
    "            (?:[)\\\";}\\]\\*:@\\'\\({\\[\\u2018\\u2019\\u201c\\u201d\\x"
    "ab\\xbb\\?!])|(?:\\-{2,}|\\.{2,}|(?:\\.\\s){2,}\\.)|          # Pun"
    "ctuation\n"
    "            ,(?=$|\\s|(?:[)\\\";}\\]\\*:@\\'\\({\\[\\u2018\\u2019\\u201"
    "c\\u201d\\xab\\xbb\\?!])|(?:\\-{2,}|\\.{2,}|(?:\\.\\s){2,}\\.)) # Com"
    "ma if at end of word\n"
    "        )\n"
    "        |\n"
    "        \\S\n"
    "    )"
)
_REALIGNMENT = "[\"\\')\\]}\\u2018\\u2019\\u201c\\u201d\\xab\\xbb]+?(?:\\s+|(?=--)|$)"
_NUMBER = "^-?[\\.,]?\\d[\\d,\\.-]*\\.?$"
_INITIAL = "[^\\W\\d]\\.$"
_PUNCTUATION = (";", ":", ",", ".", "!", "?")
_SENTENCE_ENDS = (".", "?", "!")


@cache
def _punkt() -> _Punkt:
    # Compiled on first use: a `--help` or a warm cache never needs them. Run by the
    # engine directly, not through nltk's wall-clock guard (nltk.redos), which is meant for
    # patterns a caller supplies: these are linear (nltk issue 2866), the guard doubled the
    # time to split sentences, and it failed a 57-million-character paragraph at 5 s.
    import regex

    return _Punkt(
        # Version 0, as nltk compiles them (the engine's default, which a program may change).
        regex.compile(_CANDIDATES, regex.V0 | regex.UNICODE | regex.VERBOSE),
        regex.compile(_WORDS, regex.V0 | regex.UNICODE | regex.VERBOSE),
        regex.compile(_REALIGNMENT, regex.V0 | regex.MULTILINE),
        regex.compile(_NUMBER, regex.V0),
        regex.compile(_INITIAL, regex.V0 | regex.UNICODE),
        _PUNCTUATION,
        _SENTENCE_ENDS,
    )


def prepare() -> None:
    """Load the splitter now: a process about to fork workers shares it with them."""
    _punkt()


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph (never crossing it)."""
    return [(start, end) for start, end in _realigned(paragraph) if start < end]


def _realigned(text: str) -> Iterator[tuple[int, int]]:
    """Punkt's span_tokenize: closing punctuation after a break ("(Sent1.) Sent2.") joins
    the sentence it closes."""
    realignment = _punkt().realignment
    shift = 0
    spans = list(_unaligned(text))
    for (start, end), following in pairwise([*spans, None]):
        start += shift
        if following is None:
            if text[start:end]:
                yield start, end
            continue
        found = realignment.match(text[following[0] : following[1]])
        if found:
            yield start, following[0] + len(found.group(0).rstrip())
            shift = found.end()
        else:
            shift = 0
            if text[start:end]:
                yield start, end


def _unaligned(text: str) -> Iterator[tuple[int, int]]:
    """Punkt's _slices_from_text and _match_potential_end_contexts: the spans between the
    candidate breaks it decides are breaks."""
    last_break = 0
    for match, context in _candidates(text):
        if _breaks(context):
            yield last_break, match.end()
            # The next sentence starts at the token after the space, or right after the mark.
            last_break = match.start("next_tok") if match.group("next_tok") else match.end()
    yield last_break, len(text.rstrip())


def _candidates(text: str) -> Iterator[tuple[Any, str]]:
    """Each candidate break and its context: the word before it, the mark and the token
    after. Where two candidates' words overlap ("acting!!!"), the later stands for both."""
    word_start = word_end = 0  # of the word before the pending candidate
    pending = None
    for match in _punkt().candidates.finditer(text):
        space = _last_whitespace(text, word_end, match.start())
        start = space + word_end + 1 if space else word_start
        if pending is not None and word_end <= start:
            yield pending, text[word_start:word_end] + pending.group() + pending.group("after_tok")
        pending, word_start, word_end = match, start, match.start()
    if pending is not None:
        yield pending, text[word_start:word_end] + pending.group() + pending.group("after_tok")


def _last_whitespace(text: str, start: int, end: int) -> int:
    """Punkt's _get_last_whitespace_index of text[start:end]: the last ASCII whitespace's
    index within it, or 0 when there is none."""
    return max(0, *(text.rfind(space, start, end) - start for space in string.whitespace))


def _breaks(context: str) -> bool:
    """Punkt's text_contains_sentbreak for our parameters: whether a token other than the
    last ends a sentence. Remembered when short: news repeats its contexts ("said. The"),
    and a paragraph without spaces makes one as long as itself."""
    return _remembered_breaks(context) if len(context) <= 200 else _decide(context)


@lru_cache(maxsize=1 << 16)
def _remembered_breaks(context: str) -> bool:
    return _decide(context)


def _decide(context: str) -> bool:
    punkt = _punkt()
    tokens = [t for line in context.split("\n") if line.strip() for t in punkt.words.findall(line)]
    for token, following in pairwise(tokens):
        if token in punkt.sentence_ends:
            return True
        if not token.endswith(".") or token.endswith(".."):  # no period, or an ellipsis
            continue
        stem = token[:-1].lower()
        if stem in ABBREVIATIONS or stem.split("-")[-1] in ABBREVIATIONS:
            continue
        initial = punkt.initial.match(token) is not None
        # Punkt's orthographic heuristic, with no statistics learned: a sentence does not
        # start with punctuation or a lower-case letter, and after an initial not with a
        # capital either ("J. Bach").
        if initial or _number_type(punkt, token):
            if following in punkt.punctuation or following[0].islower():
                continue
            if initial and following[0].isupper():
                continue
        return True
    return False


def _number_type(punkt: _Punkt, token: str) -> bool:
    """Whether Punkt types `token` as a number ("1990.", "-5")."""
    kind = punkt.number.sub("##number##", token.lower())
    if len(kind) > 1 and kind[-1] == ".":
        kind = kind[:-1]
    return kind == "##number##"
