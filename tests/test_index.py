from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.ranking.index import K1, RANK_BM25_UP_TO, B, BM25Index, Hit, lucene_idf
from retrieval.ranking.okapi import LuceneBM25, RankBM25Retriever, make_retriever

# A small vocabulary makes shared terms, repeated terms and tied scores common.
TERMS = st.sampled_from([f"t{i}" for i in range(8)])
DOCUMENTS = st.lists(st.lists(TERMS, max_size=10), min_size=1, max_size=30).filter(any)
QUERIES = st.lists(st.sampled_from([f"t{i}" for i in range(10)]), min_size=1, max_size=6)


def reference_ranking(documents: list[list[str]], query: list[str], k: int) -> list[Hit]:
    """rank-bm25's get_scores + a stable sort: the naive pipeline the index must equal."""
    scores = LuceneBM25(documents, k1=K1, b=B).get_scores(query)
    order = sorted(range(len(documents)), key=lambda i: (-scores[i], i))
    return [Hit(i, float(scores[i])) for i in order[:k] if scores[i] > 0]


@pytest.mark.parametrize("small", [0, 10_000], ids=["arrays", "lists"])
@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, QUERIES, st.integers(min_value=1, max_value=40))
def test_search_equals_rank_bm25_reference(small, documents, query, k):
    index = BM25Index(documents, small=small)
    assert index.search(query, k) == reference_ranking(documents, query, k)


@settings(max_examples=200, deadline=None)
@given(DOCUMENTS, QUERIES)
def test_scores_are_bit_for_bit_rank_bm25s(documents, query):
    ids, scores = BM25Index(documents).scores(query)
    expected = LuceneBM25(documents, k1=K1, b=B).get_scores(query)
    assert ids.tolist() == np.flatnonzero(expected).tolist()
    assert scores.tolist() == expected[ids].tolist()


@settings(max_examples=100, deadline=None)
@given(
    DOCUMENTS,
    QUERIES,
    st.floats(min_value=0.1, max_value=3.0),
    st.floats(min_value=0.0, max_value=0.99),
)
def test_other_parameters_equal_the_reference(documents, query, k1, b):
    scores = BM25Index(documents, k1=k1, b=b).scores(query)[1]
    expected = LuceneBM25(documents, k1=k1, b=b).get_scores(query)
    assert scores.tolist() == expected[expected > 0].tolist()


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=3000), st.integers(min_value=1, max_value=5))
def test_rare_terms_in_a_large_corpus(size, k):
    # Mostly empty sentences: the index merges postings instead of scanning every sentence.
    documents: list[list[str]] = [[] for _ in range(size)]
    documents[size // 2] = ["rare", "common"]
    documents[-1] = ["common"]
    documents[0] = ["common", "common"]
    index = BM25Index(documents, small=0)
    query = ["rare", "common"]
    assert index.search(query, k) == reference_ranking(documents, query, k)
    ids, _ = index.scores(query)
    assert ids.tolist() == sorted({0, size // 2, size - 1})


def test_k_is_capped_and_never_padded_with_zero_scores():
    index = BM25Index([["sheriff", "county"], ["county"], ["mayor"], []])
    hits = index.search(["sheriff"], 10)
    assert [h.doc for h in hits] == [0]
    assert all(h.score > 0 for h in hits)
    assert [h.doc for h in index.search(["county"], 10)] == [1, 0]


def test_ties_at_the_cut_go_to_the_earliest_sentences():
    index = BM25Index([["other"]] + [["same"]] * 20)
    assert [h.doc for h in index.search(["same"], 3)] == [1, 2, 3]


@pytest.mark.parametrize("query", [[], ["unknown"], {}, {"unknown": 1.0}, {"sheriff": 0.0}])
def test_queries_with_nothing_to_match(query):
    index = BM25Index([["sheriff"], ["county"]])
    assert index.search(query, 3) == []
    ids, scores = index.scores(query)
    assert len(ids) == len(scores) == 0


def test_k_of_zero_or_less_finds_nothing():
    assert BM25Index([["sheriff"]]).search(["sheriff"], 0) == []


@pytest.mark.parametrize("documents", [[], [[]], [[], []]])
def test_empty_corpora(documents):
    index = BM25Index(documents)
    assert index.size == len(documents)
    assert index.search(["anything"], 5) == []
    assert "anything" not in index
    assert index.idf == {} and index.doc_freq == {}


def test_weights_scale_a_terms_contribution():
    index = BM25Index([["sheriff", "mayor"], ["sheriff"], ["mayor", "council"]])
    plain = dict(zip(*(a.tolist() for a in index.scores({"sheriff": 1.0})), strict=True))
    doubled = dict(zip(*(a.tolist() for a in index.scores({"sheriff": 2.0})), strict=True))
    assert doubled == {doc: 2 * score for doc, score in plain.items()}
    # The weight decides the order: a heavier mayor outranks the sheriff's shorter sentence.
    assert index.search({"sheriff": 1.0, "mayor": 3.0}, 1)[0].doc == 0
    assert index.search({"sheriff": 0.1, "mayor": 1.0}, 2)[1].doc == 2


def test_a_repeated_query_term_counts_again():
    index = BM25Index([["sheriff"], ["mayor"]])
    once = index.search(["sheriff", "mayor"], 2)
    twice = index.search(["sheriff", "sheriff", "mayor"], 2)
    assert once[0].score == once[1].score
    assert twice[0].doc == 0 and twice[0].score > twice[1].score


def test_statistics():
    index = BM25Index([["sheriff", "sheriff", "county"], ["county"], ["mayor"]])
    assert index.size == 3
    assert index.doc_freq == {"sheriff": 1, "county": 2, "mayor": 1}
    assert index.idf["county"] == lucene_idf(3, 2)
    assert index.idf == LuceneBM25([["sheriff", "sheriff", "county"], ["county"], ["mayor"]]).idf
    assert "sheriff" in index and "deputy" not in index
    postings = index.postings("county")
    assert postings is not None and postings.docs.tolist() == [0, 1]
    assert not postings.impacts.flags.writeable
    assert index.postings("deputy") is None


def test_a_string_query_is_refused():
    with pytest.raises(TypeError):
        BM25Index([["sheriff"]]).search("sheriff", 1)  # type: ignore[arg-type]


WEIGHTED_QUERIES = st.dictionaries(
    st.sampled_from([f"t{i}" for i in range(10)]),
    st.sampled_from([1.0, 0.5, 0.25, 0.0]),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, WEIGHTED_QUERIES, st.integers(min_value=1, max_value=40))
def test_rank_bm25_and_the_inverted_index_rank_alike(documents, query, k):
    """The two retrievers behind the protocol: same sentences, same scores, same order."""
    by_rank_bm25 = RankBM25Retriever(documents).search(query, k)
    assert by_rank_bm25 == BM25Index(documents, small=0).search(query, k)
    assert by_rank_bm25 == BM25Index(documents).search(query, k)


def test_rank_bm25_retriever_equals_the_reference_on_token_lists():
    documents = [["t1", "t2"], ["t2", "t2", "t3"], [], ["t4"]]
    query = ["t2", "t2", "t4"]  # repeated terms count again, as in rank-bm25
    assert RankBM25Retriever(documents).search(query, 10) == reference_ranking(documents, query, 10)
    assert RankBM25Retriever([[], []]).search({"t1": 1.0}, 3) == []
    assert RankBM25Retriever(documents).search({"t2": 1.0}, 0) == []


def test_the_retriever_is_chosen_by_corpus_size():
    small = [["a"]] * 10
    assert isinstance(make_retriever(small), RankBM25Retriever)
    assert isinstance(make_retriever([["a"]] * (RANK_BM25_UP_TO + 1)), BM25Index)
    assert isinstance(make_retriever(small, "index"), BM25Index)
    assert isinstance(
        make_retriever([["a"]] * (RANK_BM25_UP_TO + 1), "rank-bm25"), RankBM25Retriever
    )
    with pytest.raises(ValueError, match="unknown retriever 'lucene'"):
        make_retriever(small, "lucene")  # type: ignore[arg-type]


def test_the_bundled_article_is_answered_by_rank_bm25(monkeypatch):
    """The question itself is scored by rank-bm25's get_scores, not a copy of its maths."""
    from retrieval import QA

    qa = QA.load()
    assert isinstance(qa.retriever, RankBM25Retriever)
    scored: list[list[str]] = []
    real = LuceneBM25.get_scores
    monkeypatch.setattr(
        LuceneBM25, "get_scores", lambda self, query: scored.append(query) or real(self, query)
    )
    reply = qa.ask("Who is the sheriff of Travis County?")
    assert sorted(term for query in scored for term in query) == ["counti", "sheriff", "travi"]
    assert reply.answers[0].citation == "¶10.2"
    indexed = QA.load(retriever="index")
    assert indexed.ask("Who is the sheriff of Travis County?") == reply
