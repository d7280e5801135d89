"""BM25 over analysed sentences: rank-bm25's statistics, served from an inverted index."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import rank_bm25

K1 = 1.2
B = 0.75


class Hit(NamedTuple):
    doc: int  # position of the sentence in the indexed sequence
    score: float


class LuceneBM25(rank_bm25.BM25Okapi):
    """BM25Okapi with Lucene's IDF, log(1 + (N - n + 0.5) / (n + 0.5)).

    Okapi's own IDF is zero for a term in half the documents and negative (then floored)
    above that; on one short article the article's subject is such a term and would stop
    counting (rank-bm25 issues #39, #43). Lucene's IDF stays positive and keeps the order.
    """

    def _calc_idf(self, nd: Mapping[str, int]) -> None:
        n = self.corpus_size
        self.idf = {w: math.log(1.0 + (n - f + 0.5) / (f + 0.5)) for w, f in nd.items()}
        self.average_idf = sum(self.idf.values()) / max(1, len(self.idf))


@dataclass(frozen=True, slots=True)
class Postings:
    docs: np.ndarray  # int32 sentence ids, ascending
    impacts: np.ndarray  # float32 BM25 contribution of the term to each of those sentences


class BM25Index:
    """Sentences as term lists in, ranked hits out; scores equal rank-bm25's get_scores.

    Each term's contribution to each sentence is computed once at build time (as bm25s and
    Lucene do), so a query touches only the sentences that share a term with it.
    """

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = K1, b: float = B):
        self.size = len(documents)
        self.k1, self.b = k1, b
        self._postings: dict[str, Postings] = {}
        self.idf: dict[str, float] = {}
        self.doc_freq: dict[str, int] = {}
        if self.size == 0:
            return
        if not any(documents):
            # rank-bm25 divides by the total length; no terms at all means nothing to rank.
            return
        model = LuceneBM25(documents, k1=k1, b=b)
        self.idf = model.idf
        self._build_postings(model)

    def _build_postings(self, model: rank_bm25.BM25) -> None:
        docs: dict[str, list[int]] = {}
        freqs: dict[str, list[int]] = {}
        for doc_id, frequencies in enumerate(model.doc_freqs):
            for term, tf in frequencies.items():
                docs.setdefault(term, []).append(doc_id)
                freqs.setdefault(term, []).append(tf)
        doc_len = np.asarray(model.doc_len, dtype=np.float64)
        norm = self.k1 * (1.0 - self.b + self.b * doc_len / model.avgdl)
        for term, ids in docs.items():
            ids_array = np.asarray(ids, dtype=np.int32)
            tf = np.asarray(freqs[term], dtype=np.float64)
            impacts = self.idf[term] * tf * (self.k1 + 1.0) / (tf + norm[ids_array])
            self._postings[term] = Postings(ids_array, impacts.astype(np.float32))
            self.doc_freq[term] = len(ids)

    def __contains__(self, term: object) -> bool:
        return term in self._postings

    def scores(self, query: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """(sentence ids that share a term with the query, their scores), in id order."""
        present = [(self._postings[t], w) for t, w in query.items() if t in self._postings and w > 0]
        if not present:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float64)
        totals = np.zeros(self.size, dtype=np.float64)
        touched = np.zeros(self.size, dtype=bool)
        for postings, weight in present:
            totals[postings.docs] += weight * postings.impacts
            touched[postings.docs] = True
        ids = np.flatnonzero(touched)
        return ids, totals[ids]

    def search(self, query: Mapping[str, float] | Sequence[str], k: int) -> list[Hit]:
        """The k best sentences with a positive score, best first (ties: earlier first)."""
        weights = _as_weights(query)
        ids, scores = self.scores(weights)
        k = min(k, len(ids))
        if k <= 0:
            return []
        if k < len(ids):
            top = np.argpartition(-scores, k - 1)[:k]
            ids, scores = ids[top], scores[top]
        order = np.lexsort((ids, -scores))
        return [Hit(int(ids[i]), float(scores[i])) for i in order if scores[i] > 0]


def _as_weights(query: Mapping[str, float] | Sequence[str]) -> dict[str, float]:
    if isinstance(query, Mapping):
        return dict(query)
    weights: dict[str, float] = {}
    for term in query:  # a repeated query term counts again, as in rank-bm25
        weights[term] = weights.get(term, 0.0) + 1.0
    return weights
