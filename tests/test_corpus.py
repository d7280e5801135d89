from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from retrieval import Corpus
from retrieval.archive import files as archive_files
from retrieval.ranking.corpus import initialled_phrases, learn_acronyms
from retrieval.text.analysis import columns_of, sentence_names, tokenize
from retrieval.text.lexicon import ACRONYM_SKIPS, capitalised_runs, fold


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


def _phrases_by_definition(tokens):
    """Every 2-6 word stretch of a capitalised run's words, in text order, as
    initialled_phrases documents it (no shortcuts)."""
    for run in capitalised_runs([t.text for t in tokens]):
        words = [tokens[i] for i in run if fold(tokens[i].text) not in ACRONYM_SKIPS]
        for start in range(len(words)):
            for end in range(start + 2, min(len(words), start + 6) + 1):
                phrase = words[start:end]
                yield "".join(t.text[0] for t in phrase).lower(), [t.term for t in phrase if t.term]


_CAPITALISED = st.lists(
    st.one_of(
        st.sampled_from("The National Rifle Association of and He US NRA Σam ΑΣ İb a . Mc".split()),
        st.text(max_size=3),
    ),
    max_size=20,
).map(" ".join)


@given(st.lists(_CAPITALISED, max_size=3))
def test_initialled_phrases_are_every_stretch_of_every_capitalised_run(sentences):
    tokens = [tokenize(s) for s in sentences]
    expected = [p for ts in tokens for p in _phrases_by_definition(ts)]
    assert list(initialled_phrases([columns_of(ts) for ts in tokens])) == expected


@given(st.lists(_CAPITALISED, max_size=3))
def test_a_files_evidence_is_its_names_acronyms_and_first_phrases(sentences):
    tokens = [tokenize(s) for s in sentences]
    terms = sorted({t.term for ts in tokens for t in ts if t.term})
    found = archive_files.evidence([columns_of(ts) for ts in tokens], terms.index)
    names = set().union(*(sentence_names(ts)[0] for ts in tokens))
    assert [terms[i] for i in found.names] == sorted(names)
    assert found.acronyms == {
        fold(t.text): t.term
        for ts in tokens
        for t in ts
        if t.term and 2 <= len(t.text) <= 6 and t.text.isalpha() and t.text.isupper()
    }
    first_phrases: dict[str, list[str]] = {}
    for initials, phrase in (p for ts in tokens for p in _phrases_by_definition(ts)):
        first_phrases.setdefault(initials, phrase)
    bounds = found.phrase_term_bounds.tolist()
    assert {
        initials.decode("utf-8"): [terms[i] for i in found.phrase_terms[start:end]]
        for initials, start, end in zip(found.phrase_initials, bounds, bounds[1:], strict=False)
    } == first_phrases
