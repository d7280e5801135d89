"""rank-bm25 itself as a retriever (with Lucene's IDF), and the choice between it and the
inverted index for a corpus of a given size."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import rank_bm25

from .index import (
    K1,
    RANK_BM25_UP_TO,
    RETRIEVER_KINDS,
    B,
    BM25Index,
    Hit,
    RetrieverKind,
    _weighted_terms,
    lucene_idf,
)


class LuceneBM25(rank_bm25.BM25Okapi):
    """rank-bm25's BM25Okapi with Lucene's IDF: the exact reference BM25Index must equal."""

    def _calc_idf(self, nd: Mapping[str, int]) -> None:
        n = self.corpus_size
        self.idf = {w: lucene_idf(n, f) for w, f in nd.items()}
        self.average_idf = sum(self.idf.values()) / max(1, len(self.idf))


class RankBM25Retriever:
    """rank-bm25's own BM25Okapi (with Lucene's IDF) scoring each question.

    rank-bm25 scores a list of tokens; a weighted query is scored one term at a time and
    the weighted scores are added in query order, which is exactly what `BM25Index` adds up,
    so both rank the same sentences with the same scores.
    """

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = K1, b: float = B):
        self.size = len(documents)
        self._bm25: LuceneBM25 | None = None
        self.idf: Mapping[str, float] = {}
        if any(documents):
            # rank-bm25 divides by the total length: no terms at all means nothing to rank.
            self._bm25 = LuceneBM25(documents, k1=k1, b=b)
            self.idf = self._bm25.idf

    def __contains__(self, term: object) -> bool:
        return term in self.idf

    def search(self, query: Mapping[str, float] | Sequence[str], k: int) -> list[Hit]:
        """The k best sentences with a positive score, best first (ties: earlier first)."""
        if self._bm25 is None or k <= 0:
            return []
        terms = [(t, w) for t, w in _weighted_terms(query) if t in self.idf and w > 0]
        if not terms:
            return []
        # The question's own words (weight 1, first) go to rank-bm25 in one call: one pass
        # over the sentences instead of one per word, and the same sums in the same order.
        own = list(itertools.takewhile(lambda tw: tw[1] == 1.0, terms))
        totals = np.zeros(self.size, dtype=np.float64)
        if own:
            totals += self._bm25.get_scores([t for t, _ in own])
        for term, weight in terms[len(own) :]:
            scores = self._bm25.get_scores([term])
            totals += scores if weight == 1.0 else weight * scores
        # Lucene's IDF is positive, so every sentence holding a query term scores above 0.
        ids = np.flatnonzero(totals)
        order = np.lexsort((ids, -totals[ids]))[:k]
        return [Hit(int(ids[i]), float(totals[ids[i]])) for i in order]


def make_retriever(
    documents: Sequence[Sequence[str]], kind: RetrieverKind = "auto"
) -> RankBM25Retriever | BM25Index:
    """A retriever over `documents` (term lists): rank-bm25 up to RANK_BM25_UP_TO sentences
    under "auto", the inverted index beyond."""
    if kind not in RETRIEVER_KINDS:
        raise ValueError(f"unknown retriever {kind!r}; choose one of {', '.join(RETRIEVER_KINDS)}")
    if kind == "rank-bm25" or (kind == "auto" and len(documents) <= RANK_BM25_UP_TO):
        return RankBM25Retriever(documents)
    return BM25Index(documents)
