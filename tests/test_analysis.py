from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.text import analysis
from retrieval.text.analysis import analyse, normalise, stem, tokenize


def test_stop_words_dropped_and_stemmed():
    assert analyse("Who is the sheriff of the counties?") == ["sheriff", "counti"]


def test_question_and_sentence_share_terms():
    question = set(analyse("Which jurisdictions received grants?"))
    sentence = set(analyse("So-called sanctuary jurisdictions received more than $870 million."))
    assert {"jurisdict", "receiv"} <= question & sentence


def test_numbers_and_money_are_kept():
    assert analyse("$4.1 billion in 2017, and 1,373 cases") == [
        "dollar",
        "4.1",
        "billion",
        "2017",
        "1373",
        "case",
    ]
    assert analyse("8 U.S. Code 1373") == ["8", "u.s", "code", "1373"]


def test_dashes_and_apostrophes():
    assert analyse("Enforcement––the agency") == ["enforc", "agenc"]
    assert analyse("Trump’s promise isn’t new; Sessions’ remarks") == [
        "trump",
        "promis",
        "new",
        "session",
        "remark",
    ]


def test_unicode_normalisation_and_case():
    assert normalise("ＩＣＥ’s") == "ice's"
    assert analyse("ＩＣＥ") == analyse("ice") == ["ice"]


def test_token_offsets_point_at_the_text():
    text = "Travis County––where Austin is located"
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
    assert [t.text for t in tokenize(text) if t.term] == ["Travis", "County", "Austin", "located"]


@given(st.text(max_size=200))
def test_any_text_tokenizes_with_true_offsets(text: str):
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
        assert token.term is None or token.term.strip() == token.term != ""


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("eight hundred seventy million dollars", ["870", "million", "dollar"]),
        ("one hundred and twenty people", ["120", "peopl"]),
        ("twenty-five", ["25"]),
        ("two thousand and five", ["2005"]),
        ("six of them", ["6"]),
        ("bread and butter", ["bread", "butter"]),
    ],
)
def test_number_words_are_one_number(text: str, terms: list[str]):
    assert analyse(text) == terms


@pytest.mark.parametrize(
    ("question_word", "sentence_word"),
    [
        ("lead", "led"),
        ("write", "written"),
        ("wrote", "written"),
        ("build", "built"),
        ("child", "children"),
        ("lose", "lost"),
    ],
)
def test_irregular_forms_meet_their_lemma(question_word: str, sentence_word: str):
    assert analyse(question_word) == analyse(sentence_word)


@pytest.mark.parametrize("word", ["left", "ground", "born", "found", "saw"])
def test_forms_with_two_readings_are_left_alone(word: str):
    # "left" may be the side, "found" a company's founding: no lemma is forced on them.
    assert analyse(word) == [stem(word)]


_NUMBERISH = st.lists(
    st.sampled_from(
        ["one", "Two", "TWENTY", "hundred", "and", "thousand", "seven", "-", " ", "6", "ſix",
         "x", "one's", ",", "ninety", "K"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@given(_NUMBERISH)
def test_number_words_are_joined_whenever_a_run_of_them_is_written(text: str):
    # Joining is idempotent: were the quick check to skip a sentence that has a run, joining
    # its tokens now would change them.
    tokens = analysis.tokenize(text)
    assert analysis._join_number_words(tokens) == tokens


_NUMBERISH = st.lists(
    st.sampled_from(
        "one Two hundred and twenty five - thousand one's ſix Bob 1,200 ' . ONE x".split()
    ),
    max_size=12,
).map(" ".join)


@given(st.one_of(_NUMBERISH, st.text(max_size=40)))
def test_number_words_are_joined_whenever_joining_would_change_something(text: str) -> None:
    # tokenize skips the joining when fewer than two tokens are number words: it must give
    # what joining every time gives.
    raw = [
        analysis.Token(m.group(), m.start(), m.end(), analysis._term(m.lastgroup, m.group()))
        for m in analysis._TOKEN.finditer(text)
    ]
    assert tokenize(text) == analysis._join_number_words(raw)


_TOKENISH = st.lists(
    st.one_of(
        st.sampled_from(
            "U.S. u.s.a. don't Trump’s O'Neil 1,373 4.1 $ € £ one twenty-five hundred and "
            "the The ICE Bob's ſix Ǆemal ﹰ . , - ' ’ \u00a0 \n".split(" ")
        ),
        st.text(max_size=4),
    ),
    max_size=16,
).map(" ".join)


@given(st.one_of(_TOKENISH, st.text(max_size=200)))
def test_token_columns_are_what_tokenize_gives_without_the_spans(text: str) -> None:
    # A build analyses with token_columns, answering with tokenize: a term that differed
    # would make the archive answer otherwise than the same article loaded in memory.
    assert analysis.token_columns(text) == analysis.columns_of(tokenize(text))
