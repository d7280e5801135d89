"""Look-alike unanswerable questions: an answerable question with one fact changed.

Crowd workers trick a reader by asking about something the document almost says: another
person, another year, another number, or the same verb negated. `lookalikes` builds such
questions from answerable ones, and the reader should abstain on every one:

- entity: a name the document has ("Nile", "Lincoln": a word written capitalised after a
  sentence's first word and never in lower case, in any of the documents) is swapped for a
  name from another document's title;
- year / number: a year (1000-2099) or other number is swapped for one from another document;
- negation (rare, noisy): "not" after the auxiliary of a "who/what/which ... did/does/is"
  question, only when no swap is possible and a seeded coin says so.

A variant is made only when the replaced token is in the question and in the document (so
the swap changes what the document supports), and the substitute is in none of the
document's sentences nor its title nor the question. Deterministic: each question's choices
come from `random.Random(f"{seed}:{question id}")`, whatever else is in the list.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"[A-Za-z][A-Za-z\-]*|\d+(?:,\d{3})*(?:\.\d+)?")
_YEAR = re.compile(r"^(1\d{3}|20\d{2})$")
_NUMBER = re.compile(r"^\d+(?:,\d{3})*(?:\.\d+)?$")
_NAME = re.compile(r"^[A-Z][a-z][A-Za-z]+$")  # 3+ letters, capitalised
_NEGATABLE = re.compile(
    r"^(?P<head>(?:who|what|which|where|when|how)(?: \w+)?) (?P<aux>did|does|do|is|was|are|were) ",
    re.IGNORECASE,
)
# Capitalised words that are not names: sentence openers, months and days are kept out of
# the swap so that "What happened in May" does not become "What happened in Nile".
_NOT_NAMES = set(
    """The This That These Those There Their They Its His Her What When Where Which Who Why How
    After Before During Since From With Without Also However According Although Because
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split()
)
NEGATION_RATE = 0.1


@dataclass(frozen=True)
class Document:
    title: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Lookalike:
    id: str
    source: str  # the answerable question's id
    doc: str
    question: str
    kind: str  # "entity", "year", "number" or "negation"
    replaced: str
    substitute: str


def _words(text: str) -> set[str]:
    return {t.lower().replace(",", "") for t in _TOKEN.findall(text)}


def _kind(token: str) -> str | None:
    if _YEAR.match(token):
        return "year"
    if _NUMBER.match(token):
        return "number"
    return None


def _capitalised(documents: Iterable[Document]) -> set[str]:
    """Lower-cased names: words written capitalised other than first in a sentence or title,
    and never written in lower case in any of the documents ("Ortiz", not "Free" or "New")."""
    upper, lower = set(), set()
    for doc in documents:
        for sentence in (doc.title, *doc.sentences):
            for position, token in enumerate(_TOKEN.findall(sentence)):
                if token.islower():
                    lower.add(token)
                elif position and _NAME.match(token) and token not in _NOT_NAMES:
                    upper.add(token.lower())
    return upper - lower


def substitute_pools(
    documents: Mapping[str, Document], names: set[str] | None = None
) -> dict[str, list[tuple[str, str]]]:
    """Per kind, (document id, token) candidates in a fixed order: names from the titles,
    numbers and years from the sentences."""
    names = _capitalised(documents.values()) if names is None else names
    pools: dict[str, set[tuple[str, str]]] = {"entity": set(), "year": set(), "number": set()}
    for did, doc in documents.items():
        for token in _TOKEN.findall(doc.title):
            if token.lower() in names and _NAME.match(token):
                pools["entity"].add((did, token))
        for sentence in doc.sentences:
            for token in _TOKEN.findall(sentence):
                kind = _kind(token)
                if kind:
                    pools[kind].add((did, token))
    return {kind: sorted(pool) for kind, pool in pools.items()}


def _match_case(substitute: str, original: str) -> str:
    return substitute.lower() if original.islower() else substitute


def lookalike(
    qid: str,
    question: str,
    did: str,
    doc: Document,
    pools: Mapping[str, Sequence[tuple[str, str]]],
    names: set[str],
    seed: int = 0,
) -> Lookalike | None:
    """One look-alike of an answerable question, or None when none can be made honestly.

    `pools` and `names` come from `substitute_pools` and the documents' names."""
    rng = random.Random(f"{seed}:{qid}")
    doc_words = _words(" ".join((doc.title, *doc.sentences)))
    tokens = _TOKEN.findall(question)
    options = []
    for token in tokens:
        key = token.lower().replace(",", "")
        if key not in doc_words:
            continue  # not grounded in the document: changing it proves nothing
        kind = _kind(token) or ("entity" if key in names and token not in _NOT_NAMES else None)
        if kind:
            options.append((token, kind))
    question_words = _words(question)
    rng.shuffle(options)
    for token, kind in options:
        pool = [t for d, t in pools.get(kind, ()) if d != did]
        rng.shuffle(pool)
        for candidate in pool:
            words = _words(candidate)
            if words & doc_words or words & question_words:
                continue
            new = _match_case(candidate, token)
            changed = re.sub(rf"(?<![\w]){re.escape(token)}(?![\w])", new, question, count=0)
            if changed == question:
                break
            return Lookalike(f"{qid}-look", qid, did, changed, kind, token, new)
    match = _NEGATABLE.match(question)
    if match and rng.random() < NEGATION_RATE:
        end = match.end()
        changed = f"{question[:end]}not {question[end:]}"
        return Lookalike(f"{qid}-look", qid, did, changed, "negation", "", "not")
    return None


def lookalikes(
    questions: Iterable[tuple[str, str, str]],
    documents: Mapping[str, Document],
    seed: int = 0,
) -> list[Lookalike]:
    """Look-alikes of `(question id, question, document id)` answerable questions, in order."""
    names = _capitalised(documents.values())
    pools = substitute_pools(documents, names)
    made = []
    for qid, question, did in questions:
        variant = lookalike(qid, question, did, documents[did], pools, names, seed)
        if variant:
            made.append(variant)
    return made


def _shape(word: str) -> str:
    if word[:1].isdigit():
        return "number"
    return "name" if word[:1].isupper() else "word"


def near_misses(
    questions: Iterable[tuple[str, str, str, Sequence[str]]],
    documents: Mapping[str, Document],
    seed: int = 0,
) -> list[Lookalike]:
    """Harder look-alikes of `(question id, question, document id, gold sentence prefixes)`:
    a word of the question that its answer sentence holds is swapped for a word of the
    same shape (name, number, word) from another sentence of the same document, so that
    every word is still in the document but no sentence says what is asked.

    A swap is made only when no sentence holding the substitute shares more than one other
    content word with the question (which would likely answer it after all)."""
    from retrieval.text.analysis import tokenize  # the project's own terms: what it matches on

    made = []
    for qid, question, did, gold in questions:
        doc = documents[did]
        golden = [s for s in doc.sentences if any(s.startswith(g) for g in gold)]
        if not golden:
            continue
        asked = [t for t in tokenize(question) if t.term and len(t.text) > 2]
        terms = {t.term for t in asked}
        held = {t.term for s in golden for t in tokenize(s) if t.term}
        replaceable = [t for t in asked if t.term in held]
        others = []
        for sentence in doc.sentences:
            if sentence in golden:
                continue
            tokens = [t for t in tokenize(sentence) if t.term and len(t.text) > 2]
            shared = {t.term for t in tokens} & terms
            for t in tokens:
                if t.term not in held and t.term not in terms and len(shared - {t.term}) <= 1:
                    others.append(t)
        rng = random.Random(f"{seed}:{qid}:near")
        rng.shuffle(replaceable)
        for token in replaceable:
            pool = sorted({o.text for o in others if _shape(o.text) == _shape(token.text)})
            if not pool:
                continue
            substitute = rng.choice(pool)
            new = _match_case(substitute, token.text)
            changed = question[: token.start] + new + question[token.end :]
            made.append(Lookalike(f"{qid}-near", qid, did, changed, "near-miss", token.text, new))
            break
    return made


def truecase(question: str, doc: Document) -> str:
    """`question` with the document's names capitalised as the document writes them.

    WikiQA's questions are typed in lower case ("who is the president of peru"); readers of
    an article, and crowd workers, mostly write names as names. Training on truecased
    questions lets a model learn what a name the article lacks means."""
    names = _capitalised([doc])
    return re.sub(
        r"[A-Za-z][A-Za-z\-]*",
        lambda m: m.group().capitalize() if m.group().lower() in names else m.group(),
        question,
    )
