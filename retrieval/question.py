"""Question analysis: what kind of answer a question expects, and whether it is a follow-up."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from enum import Enum

from .analysis import Token, fold, tokenize


class AnswerType(Enum):
    NONE = "none"  # what/why/how/yes-no: no particular kind of phrase expected
    PERSON = "person"  # who, whom, whose
    NUMBER = "number"  # how many/old..., what number/percentage
    MONEY = "money"  # how much does it cost, what price, how much money
    MEASURE = "measure"  # how long/tall/far/big...: a number with a unit
    DATE = "date"  # when, what year/day/month
    PLACE = "place"  # where, what city/country...


# Pronouns and determiners that point back at an earlier turn ("Who is its sheriff?").
ANAPHORS = frozenset(
    """
    he him his she her hers it its they them their theirs this that these those such former
    latter
    """.split()
)
_QUANTITY_HEADS = frozenset(
    """
    many much old often number amount percentage percent size population rate total
    """.split()
)
# Of those, the words that only ask for a number. "Population" or "rate" also say what is
# counted: an article that gives a population names it, so they stay content words.
_QUANTITY_CUES = frozenset("many much old often number amount total".split())
_MEASURE_HEADS = frozenset("long tall far big large high deep wide fast heavy".split())
# Words that make a quantity question a question about money.
_MONEY_WORDS = frozenset(
    """
    cost costs costing price prices priced pay pays paid spend spends spent money worth
    expensive cheap budget fee fees salary wage earn earns earned charge charged funding
    dollars euros pounds
    """.split()
)
_DATE_HEADS = frozenset("year years date day month decade century time era age".split())
_PLACE_HEADS = frozenset(
    """
    city country state county town place continent region province capital island river
    mountain location nation area
    """.split()
)
# Who, or what body: the answer is a name either way ("Which agency...?" "ICE").
_PERSON_HEADS = frozenset(
    """
    person people president leader author founder king queen singer actor actress player
    sheriff director ceo governor senator judge owner man woman official officials
    agency agencies organization organizations organisation organisations company companies
    group groups party parties team teams union unions department institution firm
    committee court newspaper university band
    """.split()
)
_COPULAS = frozenset("is are was were".split())
_WH = frozenset("who whom whose what which when where why how".split())


@dataclass(frozen=True, slots=True)
class QuestionInfo:
    tokens: tuple[Token, ...]
    wh: str  # the question word, or "" for a yes/no or bare question
    answer_type: AnswerType
    anaphoric: bool  # refers back with a pronoun or determiner
    definitional: bool  # "What is X?", "Who was X?": asks what something is
    # Terms that only say what kind of answer is wanted ("cost", "tall", "year"): the
    # article need not contain them to answer.
    cues: frozenset[str] = frozenset()

    @property
    def terms(self) -> list[str]:
        return [t.term for t in self.tokens if t.term]


def _answer_type(wh: str, following: list[str]) -> tuple[AnswerType, list[str]]:
    """The expected answer, and the words of the question that said so."""
    if wh in {"who", "whom", "whose"}:
        return AnswerType.PERSON, []
    if wh == "when":
        return AnswerType.DATE, []
    if wh == "where":
        return AnswerType.PLACE, []
    money = [w for w in following if w in _MONEY_WORDS]
    head = following[0] if following else ""
    if wh == "how":
        if head in {"much", "expensive", "cheap"} and money:
            return AnswerType.MONEY, money
        if head in _MEASURE_HEADS:
            return AnswerType.MEASURE, [head]
        if head in _QUANTITY_HEADS:
            return AnswerType.NUMBER, [head] if head in _QUANTITY_CUES else []
    if wh in {"what", "which"}:
        # The head of the wh-phrase, skipping a modifier or two: "what political party".
        for word in following[:3]:
            if word in _MONEY_WORDS:
                return AnswerType.MONEY, [word]
            if word in _DATE_HEADS:
                return AnswerType.DATE, [word]
            if word in _PLACE_HEADS:
                return AnswerType.PLACE, []
            if word in _QUANTITY_HEADS:
                return AnswerType.NUMBER, [word] if word in _QUANTITY_CUES else []
            if word in _PERSON_HEADS:
                return AnswerType.PERSON, []
            if word in {"is", "was", "are", "were", "does", "did", "do"}:
                break
    return AnswerType.NONE, []


def analyse_question(question: str) -> QuestionInfo:
    tokens = tuple(tokenize(question))
    words = [fold(t.text) for t in tokens]
    position = next((i for i, w in enumerate(words) if w in _WH), -1)
    wh = words[position] if position >= 0 else ""
    answer_type, cue_words = (
        _answer_type(wh, words[position + 1 :]) if wh else (AnswerType.NONE, [])
    )
    cues = frozenset(
        t.term for t, w in zip(tokens, words, strict=True) if t.term and w in cue_words
    )
    anaphoric = any(w in ANAPHORS for w in words)
    rest = words[position + 1 :] if wh else []
    definitional = (
        wh in {"what", "who"}
        and bool(rest)
        and rest[0] in _COPULAS
        and sum(1 for t in tokens[position + 2 :] if t.term) <= 4
    )
    return QuestionInfo(tokens, wh, answer_type, anaphoric, definitional, cues)


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
# A four-digit number is a year only where dates go ("in 1990", "the 1990s", "(1990)",
# "1990-95"); a bare 1373 may be a statute or a count.
_NUMERIC_DATE = re.compile(
    rf"\b(?:in|since|by|from|until|till|during|after|before|around|circa|early|late|mid|"
    rf"year|spring|summer|autumn|fall|winter)\s+(?:the\s+)?{_YEAR}s?\b"
    rf"|\b(?:spring|summer|autumn|fall|winter|end|start|beginning|middle)\s+of\s+{_YEAR}\b"
    rf"|\b{_YEAR}s\b|\(\s*{_YEAR}|\b{_YEAR}\s*[-\u2013\u2014]\s*\d{{2,4}}\b"
    rf"|\b(?:{_MONTHS})\.?\s+{_YEAR}\b",
)
_YEAR_LIKE = re.compile(rf"\b{_YEAR}")
_WORD = re.compile(r"[a-z]+|\d+")
_MONTH_WORDS = frozenset(_MONTHS.split("|"))
_DAY_WORDS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday yesterday today tomorrow tonight
    century decade
    """.split()
)
_BEFORE_MONTH = frozenset("in on by since until from early late mid next last".split())
_PERIODS = frozenset("year month week".split())


def _word_date(words: list[str]) -> bool:
    """Dates in words: "Monday", "last year", "in March", "March 5", "5 March"."""
    if not _DAY_WORDS.isdisjoint(words):
        return True
    for first, second in itertools.pairwise(words):
        if second in _MONTH_WORDS and (first in _BEFORE_MONTH or first.isdigit()):
            return True
        if first in _MONTH_WORDS and second.isdigit() and first != "may":
            return True
        if first in {"last", "next", "this"} and second in _PERIODS:
            return True
    return False


def has_date(text: str) -> bool:
    """Whether `text` mentions a date or a time ("in 1990", "May 5", "last year", "Monday")."""
    # The year patterns are costly to try everywhere; most sentences have no year-like number.
    text = text.lower()  # cheaper than matching case-insensitively
    if _YEAR_LIKE.search(text) and _NUMERIC_DATE.search(text):
        return True
    return _word_date(_WORD.findall(text))
