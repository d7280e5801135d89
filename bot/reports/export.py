"""Real use turned into an evaluation file that `article-qa eval` scores.

An up-voted answer becomes an expected answer: a short piece of the sentence it led with,
found in no other sentence of the article, so the item checks that very sentence. A question
the bot did not answer becomes an `answers: []` item, which says "the article does not say"
until the owner reviews it (and perhaps adds the answer to the article).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from retrieval.evaluation import fold

from .store import AskRecord, VoteRecord

# Five words say which sentence was meant and still read as a phrase in the file.
MIN_WORDS = 5


def distinctive(text: str, others: Iterable[str], min_words: int = MIN_WORDS) -> str:
    """The shortest, earliest run of at least `min_words` words of `text` that no sentence in
    `others` contains (as the scorer folds text); the whole text if every run is shared."""
    words = text.split()
    folded = [fold(o) for o in others]
    for size in range(min(min_words, len(words)), len(words) + 1):
        for start in range(len(words) - size + 1):
            piece = " ".join(words[start : start + size])
            if not any(fold(piece) in other for other in folded):
                return piece
    return text


def export_items(
    asks: Sequence[AskRecord], votes: Sequence[VoteRecord], sentences: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    """Eval lines: up-voted answers (more up than down votes), then unanswered questions.

    `sentences` are the corpus's (with `article`, `paragraph`, `sentence` and `text`); without
    them the expected answer is the whole cited sentence.
    """
    tally: dict[int, Counter[bool]] = defaultdict(Counter)
    for vote in votes:
        tally[vote.ask][vote.up] += 1
    answered: dict[str, dict[str, Any]] = {}
    unanswered: dict[str, dict[str, Any]] = {}
    for ask in sorted(asks, key=lambda a: a.at):  # a later ask of a question wins
        key = fold(ask.question)
        votes_for = tally.get(ask.id, Counter())
        if not ask.abstained and ask.answers and votes_for[True] > votes_for[False]:
            top = ask.answers[0]
            place = (top.article, top.paragraph, top.sentence)
            others = (s.text for s in sentences if (s.article, s.paragraph, s.sentence) != place)
            answered[key] = {
                "question": ask.question.strip(),
                "answers": [distinctive(top.text, others)],
                "citation": top.citation,
            }
        elif ask.abstained:
            unanswered[key] = {
                "question": ask.question.strip(),
                "answers": [],
                "review": "the article did not answer this; add an answer if it should",
            }
    items = [{"id": f"up{n}", **item} for n, item in enumerate(answered.values(), start=1)]
    # A question answered and up-voted at some point is not also "the article does not say".
    fresh = [item for key, item in unanswered.items() if key not in answered]
    items += [{"id": f"unanswered{n}", **item} for n, item in enumerate(fresh, start=1)]
    return items
