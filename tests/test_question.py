from __future__ import annotations

import pytest

from retrieval.analysis import tokenize
from retrieval.question import AnswerType, analyse_question, has_date
from retrieval.vocabulary import expand, learn_acronyms


@pytest.mark.parametrize(
    ("question", "answer_type"),
    [
        ("Who is the sheriff?", AnswerType.PERSON),
        ("How many moons does Jupiter have?", AnswerType.NUMBER),
        ("How much did it cost?", AnswerType.NUMBER),
        ("When was he born?", AnswerType.DATE),
        ("In what year did the war end?", AnswerType.DATE),
        ("Where is Austin?", AnswerType.PLACE),
        ("Which city is in Travis County?", AnswerType.PLACE),
        ("What did Sessions say?", AnswerType.NONE),
        ("Why did the county lose money?", AnswerType.NONE),
    ],
)
def test_answer_types(question: str, answer_type: AnswerType):
    assert analyse_question(question).answer_type is answer_type


def test_follow_up_and_definition_cues():
    assert analyse_question("Who is its sheriff?").anaphoric
    assert not analyse_question("Who is the sheriff of Travis County?").anaphoric
    assert analyse_question("What is a sanctuary city?").definitional
    assert not analyse_question("What did Sessions say about grants?").definitional


@pytest.mark.parametrize(
    ("text", "is_date"),
    [
        ("born in 1946", True),
        ("the 1990s", True),
        ("on May 5, 1990", True),
        ("last year", True),
        ("8 U.S. Code 1373, to be precise", False),
        ("in violation of 1373", False),
        ("this fiscal year", False),
    ],
)
def test_dates(text: str, is_date: bool):
    assert has_date(text) is is_date


def test_acronyms_are_learned_from_the_corpus():
    docs = [
        tokenize("Immigration and Customs Enforcement is an agency."),
        tokenize("Police work with ICE in Texas."),
    ]
    acronyms = learn_acronyms(docs)
    assert acronyms == {"ice": ("immigr", "custom", "enforc")}
    assert expand({"ice": 1.0}, acronyms, 0.5) == {
        "ice": 1.0,
        "immigr": 0.5,
        "custom": 0.5,
        "enforc": 0.5,
    }
    assert expand({"immigr": 1.0, "custom": 1.0, "enforc": 1.0}, acronyms, 0.5)["ice"] == 0.5
    assert learn_acronyms([tokenize("No acronyms here.")]) == {}


def test_shipped_weights_fit_the_features():
    from retrieval import ranker_weights, ranking

    assert len(ranker_weights.RANK) == len(ranking.FEATURES)
    assert len(ranker_weights.TRIGGER) == len(ranking.TRIGGER_FEATURES)
    assert 0.0 < ranker_weights.ABSTAIN_BELOW < 1.0
