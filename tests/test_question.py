from __future__ import annotations

import pytest

from retrieval.analysis import tokenize
from retrieval.question import AnswerType, analyse_question, has_date
from retrieval.vocabulary import expand, learn_acronyms, synonym_table, variants


@pytest.mark.parametrize(
    ("question", "answer_type"),
    [
        ("Who is the sheriff?", AnswerType.PERSON),
        ("How many moons does Jupiter have?", AnswerType.NUMBER),
        ("How much did it cost?", AnswerType.MONEY),
        ("How long is the Nile?", AnswerType.MEASURE),
        ("When was he born?", AnswerType.DATE),
        ("In what year did the war end?", AnswerType.DATE),
        ("Where is Austin?", AnswerType.PLACE),
        ("Which city is in Travis County?", AnswerType.PLACE),
        ("Which agency enforces immigration law?", AnswerType.PERSON),  # a name, of a body
        ("What political party does he belong to?", AnswerType.PERSON),
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
    known = {"immigr", "custom", "enforc", "ice", "begin"}.__contains__
    assert expand({"ice": 1.0}, acronyms, {}, known, 0.5) == (
        {"ice": 1.0, "immigr": 0.5, "custom": 0.5, "enforc": 0.5},
        frozenset(),
    )
    long_form = {"immigr": 1.0, "custom": 1.0, "enforc": 1.0}
    assert expand(long_form, acronyms, {}, known, 0.5)[0]["ice"] == 0.5
    assert learn_acronyms([tokenize("No acronyms here.")]) == {}


def test_shipped_weights_fit_the_features():
    from retrieval import ranker_weights, ranking

    assert len(ranker_weights.RANK) == len(ranking.FEATURES)
    assert len(ranker_weights.TRIGGER) == len(ranking.TRIGGER_FEATURES)
    assert 0.0 < ranker_weights.ABSTAIN_BELOW < 1.0


def test_synonyms_bridge_words_the_corpus_lacks():
    table = synonym_table()
    assert "start" in table["begin"]
    known = {"begin", "construct"}.__contains__
    weights, bridged = expand({"start": 1.0, "bridg": 1.0}, {}, table, known, 0.5)
    assert weights == {"start": 1.0, "bridg": 1.0, "begin": 0.5}
    assert bridged == {"start"}
    # A word the corpus has is not expanded.
    assert expand({"begin": 1.0}, {}, table, known, 0.5) == ({"begin": 1.0}, frozenset())


def test_variants_bridge_forms_the_stemmer_keeps_apart():
    from retrieval.analysis import analyse

    vocabulary = sorted(set(analyse("analysis analyst government organ anarchy")))
    assert variants(analyse("analyzed")[0], vocabulary) == ["analysi", "analyst"]
    assert variants(analyse("analysing")[0], vocabulary) == ["analysi", "analyst"]
    assert variants(analyse("anarchist")[0], vocabulary) == ["anarchi"]
    assert variants("anal", vocabulary) == []  # too short to tell one word from another
    assert variants(analyse("governor")[0], vocabulary) == ["govern"]
    assert variants("governorship", vocabulary) == []  # more than two letters apart
    weights, bridged = expand(
        {"analyz": 1.0}, {}, {}, set(vocabulary).__contains__, 0.5, vocabulary
    )
    assert weights == {"analyz": 1.0, "analysi": 0.5, "analyst": 0.5}
    assert bridged == {"analyz"}


def test_literal_stems_match_the_analysis():
    from retrieval.analysis import analyse
    from retrieval.answer import DOCUMENT_WORDS, REPORTING, REQUEST_WORDS
    from retrieval.ranking import CURRENCIES

    assert set(analyse("dollars euros pounds cents yen")) == CURRENCIES
    assert set(analyse("article story text piece report author writer mention")) == DOCUMENT_WORDS
    assert set(analyse("say tell")) == REPORTING
    framing = "please really know want wonder curious explain describe like"
    assert set(analyse(framing)) == REQUEST_WORDS


@pytest.mark.parametrize(
    ("question", "answer_type", "cues"),
    [
        ("How much will the bridge cost?", AnswerType.MONEY, {"cost"}),
        ("How much money did the county lose?", AnswerType.MONEY, {"money"}),
        ("How tall is the tower?", AnswerType.MEASURE, {"tall"}),
        ("How many people live there?", AnswerType.NUMBER, {"mani"}),
        ("What year did the war end?", AnswerType.DATE, {"year"}),
        # The thing counted is content: an article that gives a population says "population".
        ("What population does Austin have?", AnswerType.NUMBER, set()),
    ],
)
def test_cue_words_name_the_kind_of_answer(question, answer_type, cues):
    info = analyse_question(question)
    assert (info.answer_type, set(info.cues)) == (answer_type, cues)
