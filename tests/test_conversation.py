"""Conversations: follow-ups, "what else", the article as a whole, small talk."""

from __future__ import annotations

import pytest

from retrieval import QA, ReplyKind


@pytest.fixture(scope="module")
def qa() -> QA:
    return QA.load()


def citations(reply) -> list[str]:
    return [a.citation for a in reply.answers]


def test_what_else_gives_sentences_not_shown_yet(qa: QA):
    first = qa.ask("What does the ACLU say about sanctuary jurisdictions?", k=1)
    assert citations(first) == ["¶7.2"] and first.shown == ("¶7.2",)
    more = qa.ask("anything else?", k=1, previous=first)
    assert more.kind is ReplyKind.MORE and not more.abstained
    assert citations(more) == ["¶8.1"]  # ¶7 ends with ¶7.2: reading on, the next paragraph
    assert more.shown == ("¶7.2", "¶8.1")
    assert more.focus == first.focus  # still the same subject


def test_what_else_ends_plainly_when_nothing_is_left(qa: QA):
    reply = qa.ask("Who is the sheriff of Travis County?")
    for _ in range(10):
        reply = qa.ask("What else?", previous=reply)
        if reply.abstained:
            break
    assert reply.kind is ReplyKind.ABSTAIN
    assert reply.reason == "the article says nothing more about that"


def test_the_article_as_a_whole_is_its_lead_and_more_reads_on(qa: QA):
    overview = qa.ask("What is this article about?")
    assert overview.kind is ReplyKind.OVERVIEW
    assert citations(overview) == ["¶1.1", "¶2.1", "¶3.1"]
    more = qa.ask("go on", previous=overview)
    assert more.kind is ReplyKind.MORE
    assert citations(more) == ["¶3.2", "¶4.1", "¶4.2"]
    assert qa.ask("Tell me more").kind is ReplyKind.OVERVIEW  # nothing said yet: the lead


def test_small_talk_looks_nothing_up_and_keeps_the_subject(qa: QA):
    asked = qa.ask("Who is Eddie Rodriguez?")
    thanks = qa.ask("thanks!", previous=asked)
    assert thanks.kind is ReplyKind.SMALL_TALK and thanks.abstained and not thanks.answers
    assert thanks.focus == asked.focus
    follow = qa.ask("What party is he in?", previous=thanks)
    assert citations(follow)[0] == "¶10.4"


def test_a_pronoun_makes_a_follow_up_not_a_question_about_the_article(qa: QA):
    asked = qa.ask("Who is Domenic Powell?")
    follow = qa.ask("What did he mention?", previous=asked)
    assert follow.kind is not ReplyKind.OVERVIEW


def test_an_elliptic_follow_up_keeps_the_subject(qa: QA):
    asked = qa.ask("What is a sanctuary city?")
    assert qa.ask("How many are there?", previous=asked).focus != ()
    # A question that names its own subject does not inherit the last one.
    sheriff = qa.ask("Who is the sheriff of Travis County?")
    own = qa.ask("What is ICE?", previous=sheriff)
    assert dict(own.focus) == dict(qa.ask("What is ICE?").focus)


def test_questions_with_nothing_to_look_up_say_so(qa: QA):
    reply = qa.ask("what is it")
    assert reply.abstained
    assert reply.reason == "the question has no words to look up"


def test_k_must_be_positive(qa: QA):
    with pytest.raises(ValueError, match="k must be at least 1"):
        qa.ask("Who is the sheriff?", k=0)


def test_sentences_split_by_the_caller_need_at_least_one(qa: QA):
    with pytest.raises(ValueError, match="no sentences"):
        QA.from_sentences(["", "   "])


def test_asking_for_more_reads_on_in_the_same_paragraph(qa: QA):
    first = qa.ask("How much money did Travis County lose?", k=1)
    assert citations(first) == ["¶10.2"]
    more = qa.ask("What else does the article say about that?", k=1, previous=first)
    assert more.kind is ReplyKind.MORE
    assert citations(more) == ["¶10.3"]


def test_more_about_a_speaker_reads_on_in_their_quote(qa: QA):
    first = qa.ask("Who is Domenic Powell?", k=1)
    assert citations(first) == ["¶8.1"]
    more = qa.ask("what else?", k=1, previous=first)
    assert citations(more) == ["¶8.2"]  # the rest of his quote, which does not name him


def test_a_remembered_reply_takes_follow_ups_as_the_whole_one_does(qa: QA):
    turns = [
        "Who is Eddie Rodriguez?",
        "What party is he in?",
        "What else?",
        "What is this article about?",
        "tell me more",
    ]
    whole = remembered = None
    for question in turns:
        whole = qa.ask(question, previous=whole)
        from_memory = qa.ask(question, previous=remembered)
        assert from_memory == whole
        remembered = from_memory.remembered()
        assert remembered.question == "" and all(a.text == "" for a in remembered.answers)
        assert (remembered.focus, remembered.shown, remembered.kind) == (
            whole.focus,
            whole.shown,
            whole.kind,
        )
