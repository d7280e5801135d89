from __future__ import annotations

from retrieval import Corpus
from retrieval.analysis import tokenize
from retrieval.corpus import learn_acronyms


def test_the_bundled_corpus_is_analysed_once_per_sentence():
    corpus = Corpus.load()
    assert len(corpus.terms) == len(corpus.sentences) == len(corpus.profiles)
    assert corpus.sentences[0].citation == "¶1.1"
    assert corpus.continues[0] is False
    assert corpus.acronyms["ice"] == ("immigr", "custom", "enforc")


def test_sentences_split_by_the_caller_keep_their_order_and_spans():
    corpus = Corpus.from_sentences(["First  one.", "Second one."], title="T")
    assert [s.text for s in corpus.sentences] == ["First one.", "Second one."]
    assert [s.start for s in corpus.sentences] == [0, 11]
    assert corpus.continues == (False, True)
    assert corpus.spans[1] == (("second", 0, 6), ("1", 7, 10))  # "one" is a number


def test_neighbours_stay_within_the_paragraph():
    corpus = Corpus.from_sentences(["a b.", "c d.", "e f."])
    assert corpus.neighbours_best(1, {0: 2.0, 2: 5.0}) == 5.0
    assert corpus.neighbours_best(0, {1: 3.0}) == 3.0
    assert corpus.neighbours_best(2, {}) == 0.0


def test_acronyms_are_found_inside_longer_capitalised_runs():
    found = learn_acronyms(
        [tokenize("The National Rifle Association objected."), tokenize("The NRA said so.")]
    )
    assert found == {"nra": ("nation", "rifl", "associ")}
