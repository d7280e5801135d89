"""Question (+ the conversation so far) -> Query: everything about the question in one place.

What kind of answer it expects, whether it refers back to an earlier turn, its weighted
terms (its own, inherited ones, and other forms of its words the corpus uses), and how much
of it the corpus could possibly answer.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from ..records import Reply
from ..text import lexicon
from ..text.analysis import Token, tokenize
from ..text.lexicon import fold
from .expansion import Vocabulary, expand, thesaurus

# Weight of an earlier turn's terms in a follow-up question, relative to its own words.
FOLLOW_UP_DECAY = 0.5
# Dropped from a question only when absent from the corpus: there they can only be framing.
FRAMING_WORDS = lexicon.DOCUMENT_WORDS | lexicon.REQUEST_WORDS
# Terms of how a question asks, not of what it asks about.
NOT_CONTENT = FRAMING_WORDS | lexicon.REPORTING


class AnswerType(Enum):
    NONE = "none"  # what/why/how/yes-no: no particular kind of phrase expected
    PERSON = "person"  # who, whom, whose
    NUMBER = "number"  # how many/old..., what number/percentage
    MONEY = "money"  # how much does it cost, what price, how much money
    MEASURE = "measure"  # how long/tall/far/big...: a number with a unit
    AGE = "age"  # how old: "45-year-old", "aged 45", "Hernandez, 45,", "born in 1971"
    DATE = "date"  # when, what year/day/month
    PLACE = "place"  # where, what city/country...


class Intent(Enum):
    QUESTION = "question"
    MORE = "more"  # "What else?", "Tell me more": the best sentences not shown yet
    OVERVIEW = "overview"  # "What is the article about?": its lead
    SMALL_TALK = "small talk"  # "hello", "thanks": nothing to look up


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
    intent: Intent = Intent.QUESTION
    # Terms that say what the question is about, beyond how it asks ("what else", "the
    # article", "please tell me").
    content: tuple[str, ...] = ()

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
    money = [w for w in following if w in lexicon.MONEY_WORDS]
    head = following[0] if following else ""
    if wh == "how":
        if head == "old":
            return AnswerType.AGE, [head]
        if head in {"much", "expensive", "cheap"} and money:
            return AnswerType.MONEY, money
        if head in lexicon.MEASURE_HEADS:
            return AnswerType.MEASURE, [head]
        if head in lexicon.QUANTITY_HEADS:
            return AnswerType.NUMBER, [head] if head in lexicon.QUANTITY_CUES else []
    if wh in {"what", "which"}:
        # The head of the wh-phrase, skipping a modifier or two: "what political party".
        for word in following[:3]:
            if word in lexicon.MONEY_WORDS:
                return AnswerType.MONEY, [word]
            if word == "age":
                return AnswerType.AGE, [word]
            if word in lexicon.DATE_HEADS:
                return AnswerType.DATE, [word]
            if word in lexicon.PLACE_HEADS:
                return AnswerType.PLACE, []
            if word in lexicon.QUANTITY_HEADS:
                return AnswerType.NUMBER, [word] if word in lexicon.QUANTITY_CUES else []
            if word in lexicon.PERSON_HEADS:
                return AnswerType.PERSON, []
            if word in lexicon.AUXILIARIES:
                break
    return AnswerType.NONE, []


def _intent(words: Sequence[str], terms: Sequence[str], content: Sequence[str]) -> Intent:
    letters = [w for w in words if w.isalpha()]
    if letters and all(w in lexicon.SMALL_TALK for w in letters):
        return Intent.SMALL_TALK
    go_on = ("go", "on") in itertools.pairwise(words)
    if "else" in words or (not content and (go_on or not lexicon.MORE_WORDS.isdisjoint(words))):
        return Intent.MORE
    # "What did she mention?" is about her, not about the article as a whole.
    personal = not lexicon.PERSONAL_ANAPHORS.isdisjoint(words)
    about_text = not lexicon.GIST_WORDS.isdisjoint(words) or not lexicon.DOCUMENT_WORDS.isdisjoint(
        terms
    )
    if not content and not personal and about_text:
        return Intent.OVERVIEW
    return Intent.QUESTION


def analyse_question(question: str) -> QuestionInfo:
    tokens = tuple(tokenize(question))
    words = [fold(t.text) for t in tokens]
    # "What's X?" is "what is X?"; the question word then opens a copular question.
    expanded = [
        part
        for w in words
        for part in ((lexicon.WH_CONTRACTIONS[w], "is") if w in lexicon.WH_CONTRACTIONS else (w,))
    ]
    position = next((i for i, w in enumerate(expanded) if w in lexicon.WH_WORDS), -1)
    wh = expanded[position] if position >= 0 else ""
    rest = expanded[position + 1 :] if wh else []
    answer_type, cue_words = _answer_type(wh, rest) if wh else (AnswerType.NONE, [])
    cues = frozenset(
        t.term for t, w in zip(tokens, words, strict=True) if t.term and w in cue_words
    )
    anaphoric = any(w in lexicon.ANAPHORS for w in words)
    definitional = (
        wh in {"what", "who"}
        and bool(rest)
        and rest[0] in lexicon.COPULAS
        and sum(1 for w in rest[1:] if w not in lexicon.STOP_WORDS) <= 4
    )
    terms = [t.term for t in tokens if t.term]
    go_on = ("go", "on") in itertools.pairwise(words)  # "Go on": asks for more, not about going
    content = tuple(
        t.term
        for t, w in zip(tokens, words, strict=True)
        if t.term
        and w not in lexicon.MORE_WORDS
        and w not in lexicon.GIST_WORDS
        and t.term not in NOT_CONTENT
        and not (go_on and w == "go")
    )
    return QuestionInfo(
        tokens,
        wh,
        answer_type,
        anaphoric,
        definitional,
        cues,
        _intent(words, terms, content),
        content,
    )


class Checked(NamedTuple):
    """A word of the question that a sentence should hold, in one form or another."""

    term: str
    share: float  # of the IDF of all the words checked alike
    forms: frozenset[str]  # the term and the other forms added for it


def _checked(terms: Sequence[str], idf: Mapping[str, float], alternatives) -> tuple[Checked, ...]:
    total = sum(idf[t] for t in terms)
    return tuple(
        Checked(t, idf[t] / total, frozenset((t, *alternatives.get(t, ())))) for t in terms
    )


class Query(NamedTuple):
    """The question as the retriever and the reranker see it (made by `build`)."""

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
    # The question's own names and numbers ("Dallas", "1990", "ICE"): a sentence that
    # lacks one speaks of something else, however many other words it shares.
    specific: tuple[Checked, ...] = ()
    own: tuple[Checked, ...] = ()  # the question's own content terms
    specific_absent: float = 0.0  # share of `specific` (by IDF) found nowhere in the corpus
    unknown: tuple[str, ...] = ()  # names among them to decline on, as the question writes them
    topic: Mapping[str, float] = {}  # the weights before other forms were added
    # The long forms of the acronyms a "What is X?" question asks about: the sentence that
    # spells one out is where the article says what it is.
    spelled: tuple[frozenset[str], ...] = ()
    follows: bool = False  # leans on the conversation's subject ("What party is he in?")

    @property
    def expects_type(self) -> bool:
        return self.info.answer_type is not AnswerType.NONE

    def focus(self, known: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
        """The weighted terms a follow-up inherits: the subject as asked (not the other forms
        added for its words), those the corpus has, less the words that only said what kind
        of answer was wanted ("how much")."""
        cues = self.info.cues
        return tuple((t, w) for t, w in self.topic.items() if t in known and t not in cues)


def pair_keys(terms: Sequence[str]) -> frozenset[int]:
    """Adjacent term pairs, hashed: an int takes a fraction of a tuple's memory."""
    return frozenset(hash(pair) for pair in itertools.pairwise(terms))


def _elliptic(info: QuestionInfo, own: Mapping[str, float]) -> bool:
    """Whether a question leaves its subject to the conversation: "And Texas?", "What about
    1373?", "How many are there?", "Why?". "What is ICE?" names its own."""
    words = [fold(t.text) for t in info.tokens[:2]]
    if not set(own) - info.cues:
        return True  # nothing of its own beyond the kind of answer wanted
    if words[:1] == ["and"] or words in (["what", "about"], ["how", "about"]):
        return True
    return not info.wh and len(own) <= 2


def build(question: str, vocabulary: Vocabulary, previous: Reply | None = None) -> Query:
    """The Query for `question`, after `previous` in the same conversation (if any)."""
    info = analyse_question(question)
    known = vocabulary.idf
    own: dict[str, float] = {}
    # "What else did he say?" asks for more of the earlier subject: only its content counts.
    for term in info.content if info.intent is Intent.MORE else info.terms:
        # "What does the article say about X?": the article itself is not what is asked,
        # nor is the saying.
        if term in lexicon.REPORTING or (term in FRAMING_WORDS and term not in known):
            continue
        own[term] = own.get(term, 0.0) + 1.0
    weights = dict(own)
    more = info.intent is Intent.MORE
    follows = bool(
        previous is not None and previous.focus and (info.anaphoric or _elliptic(info, own) or more)
    )
    if follows:
        # A follow-up leans on the earlier turn's subject: "Who is its sheriff?" "What else?"
        # asks about that subject and nothing new. The subject keeps its weight down a chain
        # of follow-ups rather than fading to nothing.
        decay = 1.0 if more and not info.content else FOLLOW_UP_DECAY
        scale = decay / max(weight for _, weight in previous.focus)
        for term, weight in previous.focus:
            if term not in weights:
                weights[term] = weight * scale
    topic = dict(weights)
    weights, bridged, alternatives = expand(weights, vocabulary)
    idf = {t: known.get(t, vocabulary.unseen_idf) for t in weights}
    weighted = tuple((t, w * idf[t]) for t, w in weights.items())
    # Words that only name the kind of answer ("cost", "tall") are not missing content.
    counted = {t: w for t, w in weights.items() if t not in info.cues}
    asked = sum(counted.values())
    absent = sum(w for t, w in counted.items() if t not in known and t not in bridged)
    content = [t for t in own if t not in info.cues]
    specific = _checked(
        [t for t in _specific(info, vocabulary.names) if t in weights], idf, alternatives
    )
    nowhere = [c for c in specific if c.term not in known and c.term not in bridged]
    specific_absent = sum(c.share for c in nowhere)
    unknown = _unknown_names(question, info, {c.term for c in nowhere})
    acronyms = vocabulary.acronyms
    spelled = (
        tuple(frozenset(acronyms[t]) for t in own if t in acronyms) if info.definitional else ()
    )
    return Query(
        info,
        weights,
        idf,
        sum(v for t, v in weighted if t in known),
        absent / asked if asked else 0.0,
        pair_keys(info.terms),
        frozenset(weights),
        weighted,
        sum(v for _, v in weighted) or 1.0,
        specific,
        _checked(content, idf, alternatives),
        specific_absent,
        unknown,
        topic,
        spelled,
        follows,
    )


def _unknown_names(question: str, info: QuestionInfo, nowhere: set[str]) -> tuple[str, ...]:
    """The question's names that the article never writes, as the question writes them,
    for declining: not numbers ("$1,500,000" may be "$1.5 million"), abbreviations ("CA",
    "U.S.", "Pres.", an all-capitals "USA" in a sentence-case question: the article may spell
    them out) or labels before a number ("Title 8", "Section 12")."""
    shouting = question.upper() == question
    tokens = info.tokens
    found: dict[str, None] = {}
    for i, token in enumerate(tokens):
        text = token.text
        if token.term not in nowhere or text[:1].isdigit() or len(text) <= 2:
            continue
        after = question[token.end :]
        abbreviated = after[:1] == "." and after[1:].strip(" ?!.")  # "Pres. Trump", not "…Texas."
        if (text.isupper() and not shouting) or abbreviated:
            continue
        if i + 1 < len(tokens) and tokens[i + 1].text[:1].isdigit():
            continue
        found[text[:-2] if fold(text).endswith("'s") else text] = None
    return tuple(found)


def _specific(info: QuestionInfo, names: frozenset[str]) -> dict[str, None]:
    """The question's terms that name or count something: numbers, words written
    capitalised inside the question (unless most of its words are: "Who Makes Nexen Tires",
    "WHERE IS ROUGH AND READY") or as names in the corpus."""
    found: dict[str, None] = {}
    words = [t.text for t in info.tokens[1:] if t.text[:1].isalpha()]
    headline = sum(w[:1].isupper() for w in words) * 2 > len(words)
    common = thesaurus() if headline else {}
    for position, token in enumerate(info.tokens):
        term = token.term
        if not term or term in info.cues:
            continue
        text = token.text
        # In a headline-case question capitals say nothing of common words ("Who Makes
        # Nexen Tires"); a word no dictionary has ("Zelensky") is still a name.
        capitalised = position > 0 and text[:1].isupper() and term not in common
        # "one" is as often a pronoun ("which one") as a number.
        number = term[:1].isdigit() and fold(text) != "one"
        if number or capitalised or term in names:
            found[term] = None
    return found
