"""Example questions a corpus can answer, built from its own text (for "it doesn't say")."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from ..text.lexicon import NAME_CONNECTORS
from .answer import QA

log = logging.getLogger(__name__)

# Phrasings tried in turn for a topic; the first the QA answers from the topic's own
# sentences is kept. None names the article: the question stands on its own in a channel.
TEMPLATES = ("What does the article say about {topic}?", "What is said about {topic}?")
# Candidates tried (each costs one question to the QA) before giving up on more examples.
MAX_TRIES = 12
SAMPLE_SIZE = 5000  # sentences looked at for topics

_WORD = re.compile(r"[^\W\d_][\w'\u2019.\-]*")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_LONG_WORD = re.compile(r"[^\W\d_]{7,}")


def _is_capitalised(word: str) -> bool:
    return word[0].isupper()


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _clean(words: list[str]) -> str:
    while words and words[-1].lower() in NAME_CONNECTORS:
        words = words[:-1]
    if len(words) > 1 and words[0] == "The":
        words = words[1:]
    return _POSSESSIVE.sub("", " ".join(words)).rstrip(".-")


def names(text: str) -> Iterable[str]:
    """Runs of capitalised words ("Travis County", "Center for American Progress") and
    acronyms ("ICE"); a lone capitalised word that opens the sentence is not a name."""
    opening = len(text) - len(text.lstrip(" \"'\u201c\u2018(["))
    run: list[str] = []
    run_start = run_end = -1
    for match in _WORD.finditer(text):
        word = match.group()
        joined = bool(run) and text[run_end : match.start()] == " "
        if _is_capitalised(word) or (joined and word in NAME_CONNECTORS):
            if not joined:
                yield from _finish(run, run_start == opening)
                run, run_start = [], match.start()
            run.append(word)
            run_end = match.end()
        else:
            yield from _finish(run, run_start == opening)
            run = []
    yield from _finish(run, run_start == opening)


def _finish(run: list[str], opens_sentence: bool) -> Iterable[str]:
    capitals = [w for w in run if _is_capitalised(w)]
    if len(capitals) >= 2 or (run and _is_acronym(run[0])) or (capitals and not opens_sentence):
        name = _clean(run)
        if name:
            yield name
    if len(run) == len(capitals) >= 3:
        # Titles come before names: "Attorney General Jeff Sessions" is also "Jeff Sessions".
        yield _clean(run[-2:])


def _sample(qa: QA) -> list[str]:
    """Sentences evenly spread over the corpus, at most SAMPLE_SIZE: enough to tell which
    names are widespread, and a large archive's start-up stays short."""
    step = -(-len(qa.sentences) // SAMPLE_SIZE)  # ceiling division
    return [s.text for s in qa.sentences[::step]]


def _topics(texts: Sequence[str]) -> list[str]:
    """Candidate topics, most widespread first: names, then long recurring words."""
    found: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for position, text in enumerate(texts):
        for name in set(names(text)):
            found[name] += 1
            first_seen.setdefault(name, position)
    ranked = sorted(found, key=lambda n: (-found[n], -len(n.split()), first_seen[n]))
    words: Counter[str] = Counter()
    for text in texts:
        words.update({w.lower() for w in _LONG_WORD.findall(text)})
    common = [w for w, n in words.most_common() if n >= 2]
    return ranked + common


def _as_written(topic: str, texts: Sequence[str]) -> str:
    """The topic with "the" in front when the text mostly writes it so: "the White House".

    Uses followed by a lower-case word are left out: in "the Zorblat County council" the
    "the" is the council's."""
    pattern = re.compile(rf"(?i:\b(the)\s+)?(?<![\w-]){re.escape(topic)}(?![\w-])(?!\s+[a-z])")
    uses = [use for text in texts if topic in text for use in pattern.findall(text)]
    with_the = sum(1 for article in uses if article)
    return f"the {topic}" if uses and with_the * 2 > len(uses) else topic


def example_questions(qa: QA, count: int = 3) -> tuple[str, ...]:
    """Up to `count` questions about distinct topics that the QA answers from the topic's
    own sentences.

    Topics are the corpus's most widespread names (then long recurring words), so nothing
    is written for a particular article.
    """
    chosen: list[str] = []
    questions: list[str] = []
    texts = _sample(qa)
    for topic in _topics(texts)[: MAX_TRIES * 4]:
        if len(questions) >= count or len(chosen) >= MAX_TRIES:
            break
        lowered = topic.lower()
        if any(lowered in c.lower() or c.lower() in lowered for c in chosen):
            continue
        chosen.append(topic)
        for template in TEMPLATES:
            question = template.format(topic=_as_written(topic, texts))
            reply = qa.ask(question, k=1)
            if not reply.abstained and reply.answers and lowered in reply.answers[0].text.lower():
                questions.append(question)
                break
    log.debug("example questions: %s", questions)
    return tuple(questions)
