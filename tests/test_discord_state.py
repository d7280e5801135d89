"""What the bot remembers: conversations bounded, and each user's question budget."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.discord.state import LRU, Conversations, QuestionBudget, pack_reply, unpack_reply
from retrieval import QA, Answer, Reply, ReplyKind


def user(number: int) -> SimpleNamespace:
    return SimpleNamespace(id=number)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A monotonic clock that moves only when a test moves it."""
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    return now


def test_four_questions_in_ten_seconds_then_one_notice_per_burst(clock: list[float]) -> None:
    budget = QuestionBudget(4, 10.0)
    alice = user(1)

    assert [budget.hit(alice).allowed for _ in range(4)] == [True] * 4
    clock[0] += 4.0
    first, second = budget.hit(alice), budget.hit(alice)
    assert (first.allowed, first.first_refusal, first.retry_after) == (False, True, 6.0)
    assert (second.allowed, second.first_refusal) == (False, False)
    assert budget.hit(user(2)).allowed  # another user's budget is their own

    clock[0] += 6.5
    assert budget.hit(alice).allowed
    assert [budget.hit(alice).allowed for _ in range(3)] == [True] * 3
    assert budget.hit(alice).first_refusal  # a new burst gets a new notice


def test_a_limited_user_stays_limited_under_a_flood_of_other_users(clock: list[float]) -> None:
    budget = QuestionBudget(4, 10.0)
    alice = user(1)
    for _ in range(4):
        budget.hit(alice)
    assert not budget.hit(alice).allowed

    # More users than the old hand-written limiter kept (10,000): it forgot alice.
    for number in range(2, 10_003):
        assert budget.hit(user(number)).allowed
    clock[0] += 1.0

    verdict = budget.hit(alice)
    assert (verdict.allowed, verdict.first_refusal, verdict.retry_after) == (False, False, 9.0)


def test_the_lru_forgets_the_least_recently_used() -> None:
    seen: LRU[str, int] = LRU(2)
    seen.put("a", 1)
    seen.put("b", 2)
    assert seen.get("a") == 1  # "a" is now the most recent
    seen.put("c", 3)
    assert (seen.get("a"), seen.get("b"), seen.get("c"), len(seen)) == (1, None, 3, 2)
    with pytest.raises(ValueError, match="at least one entry"):
        LRU(0)


_text = st.text(max_size=12)
_answers = st.builds(
    Answer,
    citation=_text,
    text=_text,
    score=st.floats(allow_nan=False),
    article=_text,
    paragraph=st.integers(0, 10**6),
    sentence=st.integers(0, 10**6),
    highlights=st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)), max_size=2).map(tuple),
)
_replies = st.builds(
    Reply,
    question=_text,
    abstained=st.booleans(),
    answers=st.lists(_answers, max_size=3).map(tuple),
    reason=_text,
    focus=st.lists(st.tuples(_text, st.floats(allow_nan=False)), max_size=6).map(tuple),
    kind=st.sampled_from(ReplyKind),
    shown=st.lists(_text, max_size=6).map(tuple),
)


@given(_replies)
def test_a_conversation_gives_back_what_a_follow_up_needs_of_any_reply(reply: Reply) -> None:
    conversations = Conversations(2)
    conversations.remember((1, 2), "tag", reply)
    assert conversations.last_reply((1, 2), "tag") == reply.remembered()
    assert unpack_reply(pack_reply(reply)) == reply.remembered()


def test_a_conversation_put_back_is_as_it_was_and_one_never_held_is_gone(qa: QA) -> None:
    conversations = Conversations(4)
    reply = qa.ask("Who is the sheriff of Travis County?")
    conversations.remember((1, 1), "tag", reply)
    held = conversations.held((1, 1))
    conversations.remember((1, 1), "tag", qa.ask("hello"))
    conversations.restore((1, 1), held)
    assert conversations.last_reply((1, 1), "tag") == reply.remembered()
    conversations.remember((2, 2), "tag", reply)
    conversations.restore((2, 2), None)
    assert conversations.held((2, 2)) is None and len(conversations) == 1
