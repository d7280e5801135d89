from __future__ import annotations

import pytest

from retrieval.text import lexicon
from retrieval.text.analysis import analyse, sentence_names, tokenize, words_after_numbers
from retrieval.text.lexicon import has_date


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


def test_literal_stems_match_the_analysis():
    assert set(analyse("dollars euros pounds cents yen")) == lexicon.CURRENCIES
    assert (
        set(analyse("article story text piece report author writer mention"))
        == lexicon.DOCUMENT_WORDS
    )
    assert set(analyse("say tell")) == lexicon.REPORTING
    framing = "please really know want wonder curious explain describe like"
    assert set(analyse(framing)) == lexicon.REQUEST_WORDS
    assert {"hundr", "million"} <= lexicon.NUMBER_TERMS
    assert set(analyse("hundred million")) == {"100", "million"}


def test_names_and_places_in_a_sentence():
    names, places = sentence_names(tokenize("Officials met Sally Hernandez at the White House."))
    assert names == {"salli", "hernandez", "white", "hous"}
    assert places == {"white", "hous"}
    # The opening word is capitalised by grammar, not because it is a name.
    assert sentence_names(tokenize("Police arrived."))[0] == frozenset()


def test_units_are_the_words_after_numbers():
    assert words_after_numbers(tokenize("It runs 6,650 km over 3 hours.")) == {"km", "hours"}


def test_each_list_is_general_english():
    # Subsets that name a narrower job keep to the wider list's words.
    assert lexicon.SENTENCE_ANAPHORS <= lexicon.ANAPHORS
    assert lexicon.PERSONAL_ANAPHORS <= lexicon.ANAPHORS
    assert lexicon.QUANTITY_CUES <= lexicon.QUANTITY_HEADS
    assert lexicon.COPULAS <= lexicon.DEFINING_VERBS


@pytest.mark.parametrize(
    ("text", "is_age"),
    [
        ("a 45-year-old man", True),
        ("aged 45", True),
        ("Sally Hernandez, 45, said", True),
        ("born in 1971", True),
        ("Travis County, Texas, lost", False),
        ("In 2012, 45 people came", False),
    ],
)
def test_ages(text: str, is_age: bool):
    assert lexicon.has_age(text) is is_age
