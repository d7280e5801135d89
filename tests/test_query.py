from __future__ import annotations

import pytest

from retrieval.ranking.corpus import learn_acronyms
from retrieval.ranking.expansion import Vocabulary, expand, synonym_table, variants
from retrieval.ranking.query import AnswerType, analyse_question, build
from retrieval.text.analysis import analyse, tokenize


def vocabulary(terms, acronyms=None) -> Vocabulary:
    return Vocabulary.of(dict.fromkeys(terms, 1.0), 10, acronyms or {})


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


def test_acronyms_are_learned_from_the_corpus():
    docs = [
        tokenize("Immigration and Customs Enforcement is an agency."),
        tokenize("Police work with ICE in Texas."),
    ]
    acronyms = learn_acronyms(docs)
    assert acronyms == {"ice": ("immigr", "custom", "enforc")}
    known = vocabulary({"immigr", "custom", "enforc", "ice", "begin"}, acronyms)
    assert expand({"ice": 1.0}, known, 0.5)[:2] == (
        {"ice": 1.0, "immigr": 0.5, "custom": 0.5, "enforc": 0.5},
        frozenset(),
    )
    assert expand({"ice": 1.0}, known, 0.5).alternatives == {"ice": ("immigr", "custom", "enforc")}
    long_form = {"immigr": 1.0, "custom": 1.0, "enforc": 1.0}
    assert expand(long_form, known, 0.5)[0]["ice"] == 0.5
    assert learn_acronyms([tokenize("No acronyms here.")]) == {}


def test_synonyms_bridge_words_the_corpus_lacks():
    table = synonym_table()
    assert "start" in table["begin"]
    known = vocabulary({"begin", "construct"})
    weights, bridged, _ = expand({"start": 1.0, "bridg": 1.0}, known, 0.5)
    assert weights == {"start": 1.0, "bridg": 1.0, "begin": 0.5}
    assert bridged == {"start"}
    # A word the corpus has is not expanded.
    assert expand({"begin": 1.0}, known, 0.5)[:2] == ({"begin": 1.0}, frozenset())


def test_variants_bridge_forms_the_stemmer_keeps_apart():
    terms = sorted(set(analyse("analysis analyst government organ anarchy")))
    assert variants(analyse("analyzed")[0], terms) == ["analysi", "analyst"]
    assert variants(analyse("analysing")[0], terms) == ["analysi", "analyst"]
    assert variants(analyse("anarchist")[0], terms) == ["anarchi"]
    assert variants("anal", terms) == []  # too short to tell one word from another
    assert variants(analyse("governor")[0], terms) == ["govern"]
    assert variants("governorship", terms) == []  # more than two letters apart
    weights, bridged, _ = expand({"analyz": 1.0}, vocabulary(terms), 0.5)
    assert weights == {"analyz": 1.0, "analysi": 0.5, "analyst": 0.5}
    assert bridged == {"analyz"}


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


def test_a_follow_up_inherits_the_earlier_turns_terms_at_half_weight():
    from retrieval import Reply

    known = vocabulary(analyse("sheriff travis county party democrat"))
    previous = Reply("Who is the sheriff of Travis County?", False, focus=(("travi", 1.0),))
    assert build("Who is its sheriff?", known, previous).weights == {"sheriff": 1.0, "travi": 0.5}
    # Not a follow-up: no pronoun, and more than one word the corpus knows.
    assert build("Which county has a sheriff?", known, previous).weights == {
        "counti": 1.0,
        "sheriff": 1.0,
    }


def test_framing_words_the_corpus_lacks_do_not_count_as_missing():
    known = vocabulary(analyse("sheriff travis county"))
    query = build("Please tell me what the article says about the sheriff", known)
    assert dict(query.weights) == {"sheriff": 1.0}
    assert query.missing == 0.0
    assert build("Who is the sheriff of Dallas?", known).missing == 0.5
