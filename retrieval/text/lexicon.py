"""Word knowledge of general English, each list once: what the analysis drops, what a
question's words say about the answer it wants, what a sentence's words say about what it
holds. Nothing here is one article's phrasing.

Lists compared with raw words hold lower-case words; lists compared with index terms hold
Snowball stems, written literally so that importing this module needs no nltk (tests check
them against the analysis).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def fold(text: str) -> str:
    """Lower case with apostrophes folded: cheap, for matching against the lists below."""
    return text.lower().translate(_APOSTROPHES)


def fold_apostrophes(text: str) -> str:
    return text.translate(_APOSTROPHES)


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
    whats whos wheres whens hows thats dont doesnt didnt isnt arent wasnt werent im ive
    youre theyre
    """.split()
)
# Contracted question words, typed with or without the apostrophe: "whats a sanctuary city".
WH_CONTRACTIONS = {
    f"{wh}{mark}s": wh for wh in ("what", "who", "where", "when", "how") for mark in ("'", "")
}

# Number words, so that "eight hundred seventy" meets "870" and "six" meets "6". Scales
# above a thousand stay words: articles write "870 million" as often as anything.
_UNITS = """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen
    """.split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS = {
    **{word: value for value, word in enumerate(_UNITS)},
    **{word: 10 * value for value, word in enumerate(_TENS, start=2)},
    "hundred": 100,
    "thousand": 1000,
}


def number_value(words: list[str]) -> int:
    """The value of a run of NUMBER_WORDS: "eight hundred seventy" -> 870."""
    total = current = 0
    for word in words:
        value = NUMBER_WORDS[word]
        if value == 1000:
            total, current = (total + max(current, 1)) * 1000, 0
        elif value == 100:
            current = max(current, 1) * 100
        else:
            current += value
    return total + current


# Index terms that make a sentence hold a number (digits, and stems of number words).
NUMBER_TERMS = frozenset(
    """
    1 2 3 4 5 6 7 8 9 10 11 12 20 30 50 100 1000 million billion trillion dozen half percent
    hundr thousand
    """.split()
)

# Pronouns and determiners by which a question points back at an earlier turn.
ANAPHORS = frozenset(
    """
    he him his she her hers it its they them their theirs this that these those such former
    latter
    """.split()
)
# Of those, the ones that stand for a person or people: "What did she mention?" is about
# her, where "What is this article about?" is about the article.
PERSONAL_ANAPHORS = frozenset("he him his she her hers they them their theirs".split())
# Of those, the ones that, early in a sentence, point back at the sentence before it
# ("These jurisdictions..."). "That" and object pronouns open too many self-contained
# sentences ("That is why...", "Him aside...") to count.
SENTENCE_ANAPHORS = frozenset("he she it they his her its their this these those such".split())

COPULAS = frozenset("is are was were".split())
# A copula among a sentence's first words makes it shaped like a definition: "X is a ...".
DEFINING_VERBS = COPULAS | frozenset("isn't aren't wasn't weren't".split())
AUXILIARIES = COPULAS | frozenset("does did do".split())
WH_WORDS = frozenset("who whom whose what which when where why how".split())
LOCATIVES = frozenset("in at from near to into inside across outside".split())

# The head of a "how"/"what"/"which" phrase says what kind of answer is wanted.
QUANTITY_HEADS = frozenset(
    "many much old often number amount percentage percent size population rate total".split()
)
# Of those, the words that only ask for a number. "Population" or "rate" also say what is
# counted: an article that gives a population names it, so they stay content words.
QUANTITY_CUES = frozenset("many much old often number amount total".split())
MEASURE_HEADS = frozenset("long tall far big large high deep wide fast heavy".split())
MONEY_WORDS = frozenset(
    """
    cost costs costing price prices priced pay pays paid spend spends spent money worth
    expensive cheap budget fee fees salary wage earn earns earned charge charged funding
    dollars euros pounds
    """.split()
)
DATE_HEADS = frozenset("year years date day month decade century time era".split())
PLACE_HEADS = frozenset(
    """
    city country state county town place continent region province capital island river
    mountain location nation area
    """.split()
)
# Who, or what body: the answer is a name either way ("Which agency...?" "ICE").
PERSON_HEADS = frozenset(
    """
    person people president leader author founder king queen singer actor actress player
    sheriff director ceo governor senator judge owner man woman official officials
    agency agencies organization organizations organisation organisations company companies
    group groups party parties team teams union unions department institution firm
    committee court newspaper university band
    """.split()
)

# What a reader says to ask for more of the same: "What else?", "Tell me more", "Go on".
MORE_WORDS = frozenset("else more further continue elaborate additional anything".split())
# Words that ask about a text as a whole: "What's the main point?", "summarize the story".
GIST_WORDS = frozenset(
    """
    main point gist summary summarize summarise topic overview headline takeaway idea subject
    news general overall brief briefly short tldr piece story
    """.split()
)
# Words that greet, thank or take leave, and nothing else: "hi", "thanks!", "ok bye".
SMALL_TALK = frozenset(
    """
    hi hello hey hiya howdy yo greetings thanks thank thx ty cheers ok okay cool great nice
    good morning afternoon evening bye goodbye please you there bot
    """.split()
)

# Stems of words by which a question refers to the text itself.
DOCUMENT_WORDS = frozenset(
    {"articl", "stori", "text", "piec", "report", "author", "writer", "mention"}
)
REPORTING = frozenset({"say", "tell"})
# How people ask, not what they ask about: "I'd really like to know, please, ..."
REQUEST_WORDS = frozenset(
    {"pleas", "realli", "know", "want", "wonder", "curious", "explain", "describ", "like"}
)

# Stems of currency words ("$" is analysed as "dollar").
CURRENCIES = frozenset({"dollar", "euro", "pound", "cent", "yen"})
# Units that make a number a measurement (raw lower-case words: "m" is no index term).
UNITS = frozenset(
    """
    km kilometre kilometres kilometer kilometers mile miles m metre metres meter meters cm mm
    ft foot feet inch inches yard yards acre acres hectare hectares sq square kg kilogram
    kilograms g gram grams lb lbs pound pounds ton tons tonne tonnes mph kph degree degrees
    percent storey storeys stories floors
    """.split()
)
TIME_UNITS = frozenset(
    """
    second seconds minute minutes hour hours day days week weeks month months year years
    decade decades
    """.split()
)

# Lower-case words that may sit inside a name: "Center for American Progress".
NAME_CONNECTORS = frozenset("of for and de del van von".split())
# Small words an acronym skips: "Immigration and Customs Enforcement" -> ICE.
ACRONYM_SKIPS = frozenset("and of for the on in to &".split())

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

# Dates and times in words and numbers.
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


# An age as news and encyclopedias write it: "45-year-old", "aged 45", "age of 45",
# "Sally Hernandez, 45, said", "(born 1971)".
_AGE = re.compile(
    r"\b\d{1,3}[- ]years?[- ]old\b|\bage(?:d|\s+of)?\s+\d{1,3}\b|\b[A-Z][a-z]+,\s\d{1,3},\s"
    r"|\bborn\b",
    re.IGNORECASE,
)


def has_age(text: str) -> bool:
    """Whether `text` gives someone's age, or a birth from which to tell it."""
    return _AGE.search(text) is not None


def has_date(text: str) -> bool:
    """Whether `text` mentions a date or a time ("in 1990", "May 5", "last year", "Monday")."""
    # The year patterns are costly to try everywhere; most sentences have no year-like number.
    text = text.lower()  # cheaper than matching case-insensitively
    if _YEAR_LIKE.search(text) and _NUMERIC_DATE.search(text):
        return True
    return _word_date(_WORD.findall(text))


def capitalised_runs(texts: Sequence[str]) -> Iterator[list[int]]:
    """Runs of capitalised words (their positions in `texts`, a sentence's tokens), allowing
    small words inside ("Bank of England"): the long forms acronyms are made from."""
    run: list[int] = []
    for position, text in enumerate(texts):
        if (text[:1].isupper() and text[1:2].islower()) or (run and fold(text) in ACRONYM_SKIPS):
            run.append(position)
        else:
            if run:
                yield run
            run = []
    if run:
        yield run
