from __future__ import annotations

import pytest

from retrieval import QA
from retrieval.ranking import ranker_weights
from retrieval.ranking.expansion import Vocabulary
from retrieval.ranking.profile import profile_article
from retrieval.ranking.query import build
from retrieval.ranking.rerank import FEATURES, TRIGGER_FEATURES, Model, features, rerank
from retrieval.text.analysis import tokenize


def test_shipped_weights_fit_the_features():
    model = Model.shipped()
    assert len(model.rank) == len(FEATURES)
    assert len(model.trigger) == len(TRIGGER_FEATURES)
    assert 0.0 < model.abstain_below < 1.0


def test_a_model_writes_the_weights_module_it_was_loaded_from():
    model = Model.shipped()
    namespace: dict[str, object] = {}
    exec(model.source("provenance"), namespace)
    assert namespace["RANK"] == ranker_weights.RANK
    assert namespace["TRIGGER"] == ranker_weights.TRIGGER
    assert namespace["ABSTAIN_BELOW"] == ranker_weights.ABSTAIN_BELOW


def test_profiles_see_antecedents_types_and_the_title():
    texts = [
        "Jupiter is the largest planet.",
        "It has 95 moons and is 139,820 km wide.",
        "Astronomers named it in 1610.",
    ]
    profiles = profile_article(texts, [tokenize(t) for t in texts], frozenset({"jupit"}))
    first, second, third = profiles
    assert first.opening == 1.0 and first.defines
    assert second.antecedent == first.term_set  # "It" points back
    assert second.measure and "95" in second.numbers
    assert third.has_date and third.opening == 0.0


def test_features_reward_coverage_and_the_type_asked_for():
    texts = ["Sally Hernandez is the sheriff.", "The sheriff spoke."]
    profiles = profile_article(texts, [tokenize(t) for t in texts], frozenset())
    vocabulary = Vocabulary.of(
        {"sheriff": 1.0, "salli": 2.0, "hernandez": 2.0, "spoke": 2.0}, 2, {}
    )
    query = build("Who is the sheriff?", vocabulary)
    named, unnamed = (features(p, 1.0, 1.0, 0.0, query) for p in profiles)
    as_dict = dict(zip(FEATURES, named, strict=True))
    assert as_dict["coverage"] == 1.0 and as_dict["type_match"] == 1.0
    assert dict(zip(FEATURES, unnamed, strict=True))["type_miss"] == 1.0


def test_no_hits_abstain_with_a_reason():
    vocabulary = Vocabulary.of({}, 1, {})
    ranking = rerank(build("Who?", vocabulary), [], [], lambda doc, scores: 0.0, Model.shipped())
    assert ranking.candidates == () and ranking.reason


def test_a_date_question_without_any_date_abstains_whatever_the_model_says():
    qa = QA.from_sentences(["The bridge opened to traffic.", "The bridge is long."])
    lenient = Model(Model.shipped().rank, (0.0,) * len(TRIGGER_FEATURES), 50.0, 0.0)
    ranking = QA(qa.corpus, model=lenient).rank("When did the bridge open?")
    assert ranking.confidence == 1.0
    assert ranking.reason == "no sentence that matches has the date asked for"


def test_a_name_the_article_never_writes_abstains_naming_it_whatever_the_model_says():
    qa = QA.from_sentences(
        ["Travis County lost $1.5 million in state money.", "Its sheriff is Sally Hernandez."]
    )
    lenient = Model(Model.shipped().rank, (0.0,) * len(TRIGGER_FEATURES), 50.0, 0.0)
    lenient_qa = QA(qa.corpus, model=lenient)
    ranking = lenient_qa.rank("Which county in Florida lost state money?")
    assert ranking.candidates and ranking.confidence == 1.0
    assert ranking.reason == 'it never mentions "Florida"'
    # The names it does write, in any case, and numbers it has, are no reason to decline.
    assert lenient_qa.rank("Which county lost $1.5 million?").reason == ""
    assert lenient_qa.rank("who is sally hernandez?").reason == ""


def test_an_acronym_is_defined_where_the_article_spells_it_out():
    qa = QA.from_sentences(
        [
            "Officers called ICE, as they always do.",
            "Immigration and Customs Enforcement, the federal agency responsible for "
            "deportations, got more powerful.",
            "ICE isn't popular in Austin.",
        ],
        title="Sessions and ICE",
    )
    ranking = qa.rank("What is ICE?")
    top = ranking.candidates[0]
    assert qa.sentences[top.doc].citation == "¶1.2"
    assert top.features[FEATURES.index("definition")] == 1.0


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        # Numbers, abbreviations and labels may be written otherwise in the article.
        ("Why did Travis County lose $1,500,000?", ""),
        ("What does Section 1373 of Title 8 say about Travis County?", ""),
        ("Did Pres. Hernandez lose state money?", ""),
        ("Did the USA take state money from Travis County?", ""),
        # Names it never writes, however the question is written.
        ("Did Sally Hernandez meet Zelensky?", 'it never mentions "Zelensky"'),
        ("WHAT DID SALLY HERNANDEZ SAY ABOUT ZELENSKY?", 'it never mentions "ZELENSKY"'),
        ("What does Zelensky's office say about Travis County?", 'it never mentions "Zelensky"'),
    ],
)
def test_only_names_the_article_never_writes_are_reason_to_decline(question: str, reason: str):
    qa = QA.from_sentences(
        [
            "Travis County lost $1.5 million in state money.",
            "Its sheriff Sally Hernandez cited 8 U.S. Code 1373.",
        ]
    )
    lenient = Model(Model.shipped().rank, (0.0,) * len(TRIGGER_FEATURES), 50.0, 0.0)
    assert QA(qa.corpus, model=lenient).rank(question).reason == reason
