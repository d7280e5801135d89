"""The question bank for the bundled article (tests/data/bank-*.jsonl) stays valid.

No score floor here: the bank is for measuring, and it is meant to be hard.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval import QA
from retrieval.evaluation import fold, load_eval

DATA = Path(__file__).parent / "data"
HALVES = ("bank-tune.jsonl", "bank-heldout.jsonl")


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return [fold(s.text) for s in QA.load().sentences]


@pytest.mark.parametrize("name", HALVES)
def test_bank_parses_and_every_answer_is_in_the_article(name: str, sentences: list[str]):
    conversations = load_eval(DATA / name)
    assert len(conversations) >= 40
    missing = [
        (turn.id, answer)
        for conversation in conversations
        for turn in conversation.turns
        for answer in turn.answers
        if not any(fold(answer) in sentence for sentence in sentences)
    ]
    assert not missing, f"answer substrings no article sentence contains: {missing}"


def test_bank_halves_share_no_ids():
    ids = [
        {conversation.turns[0].id.split(".")[0] for conversation in load_eval(DATA / name)}
        for name in HALVES
    ]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
