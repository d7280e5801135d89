"""Retrievers: analysed sentences in, the best BM25 sentences for a weighted query out.

Two implement one small protocol and give equal scores (a test proves it): rank-bm25
itself for an article and any corpus of up to a few thousand sentences (`okapi`), and the
flat inverted index here for archives, where scoring every sentence for every term would
not keep up.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Literal, NamedTuple, Protocol

import numpy as np

K1 = 1.2
B = 0.75
# A query touching at most this many postings is cheaper on Python lists than on numpy
# arrays, whose fixed cost per call dwarfs a handful of postings (measured: 3x faster on a
# 26-sentence article, even at about 100 postings). Corpora up to SMALL_CORPUS sentences
# keep both forms.
LIST_POSTINGS = 96
SMALL_CORPUS = 4096


RetrieverKind = Literal["auto", "rank-bm25", "index"]
RETRIEVER_KINDS: tuple[RetrieverKind, ...] = ("auto", "rank-bm25", "index")
# Up to this many sentences, `auto` scores with rank-bm25: it scores every sentence for
# every query term in Python, about 1 ms per term per 4,000 sentences here.
RANK_BM25_UP_TO = SMALL_CORPUS


class Hit(NamedTuple):
    doc: int  # position of the sentence in the indexed sequence
    score: float


class Retriever(Protocol):
    """What answering needs of a BM25 retriever; a search-server backend implements it too."""

    size: int  # sentences indexed
    idf: Mapping[str, float]  # every indexed term's IDF

    def search(self, query: Mapping[str, float], k: int) -> list[Hit]:
        """The k best sentences with a positive score, best first (ties: earlier first)."""
        ...


class RetrieverUnavailable(RuntimeError):
    """A search-server backend cannot answer (unreachable, refusing): one line for the user."""


def lucene_idf(corpus_size: int, doc_freq: int) -> float:
    """Lucene's IDF, log(1 + (N - n + 0.5) / (n + 0.5)): positive for any n <= N.

    Okapi's own IDF is zero for a term in half the documents and negative (then floored)
    above that; on one short article the article's subject is such a term and would stop
    counting (rank-bm25 issues #39, #43). Lucene's IDF stays positive and keeps the order.
    """
    return math.log(1.0 + (corpus_size - doc_freq + 0.5) / (doc_freq + 0.5))


@dataclass(frozen=True, slots=True)
class Postings:
    docs: np.ndarray  # int32 sentence ids, ascending
    impacts: np.ndarray  # float64 BM25 contribution of the term to each of those sentences


class BM25Index:
    """Sentences as term lists in, ranked hits out; scores equal rank-bm25's get_scores.

    Each term's contribution to each sentence is computed once at build time (as bm25s and
    Lucene do), so a query touches only the sentences that share a term with it. The
    postings of all terms live in two flat arrays (CSR layout) rather than one object per
    term or per sentence: a million sentences cost about 12 bytes per (sentence, term) pair.

    Impacts are float64 and computed with rank-bm25's own expression, and a query adds them
    up in the order rank-bm25 does, so scores are bit-for-bit rank-bm25's (with Lucene IDF)
    and near-ties rank the same way; float32 would halve the impacts' memory but reorder
    sentences whose scores differ only past the seventh digit.
    """

    def __init__(
        self,
        documents: Sequence[Sequence[str]],
        k1: float = K1,
        b: float = B,
        *,
        small: int = SMALL_CORPUS,
    ):
        """`small`: up to this many sentences, queries run on plain lists (see SMALL_CORPUS)."""
        self.size = len(documents)
        self._lists: dict[str, tuple[list[int], list[float]]] | None = None
        self.k1, self.b = k1, b
        self.idf: dict[str, float] = {}
        self.doc_freq: dict[str, int] = {}
        self._rows: dict[str, int] = {}  # term -> its slice of the flat postings
        self._bounds = np.zeros(1, dtype=np.int64)
        self._docs = np.empty(0, dtype=np.int32)
        self._impacts = np.empty(0, dtype=np.float64)
        lengths = np.fromiter(map(len, documents), dtype=np.int64, count=self.size)
        total = int(lengths.sum())
        if total == 0:
            # rank-bm25 divides by the total length; no terms at all means nothing to rank.
            return
        self._build(documents, lengths, total)
        if self.size <= small:
            self._lists = {
                term: (
                    self._docs[self._bounds[row] : self._bounds[row + 1]].tolist(),
                    self._impacts[self._bounds[row] : self._bounds[row + 1]].tolist(),
                )
                for term, row in self._rows.items()
            }

    def _build(self, documents: Sequence[Sequence[str]], lengths: np.ndarray, total: int) -> None:
        # Term ids in first-seen order, assigned by a C-level map (no Python loop per token).
        ids: defaultdict[str, int] = defaultdict()
        ids.default_factory = ids.__len__
        token_terms = np.fromiter(
            map(ids.__getitem__, chain.from_iterable(documents)), dtype=np.int64, count=total
        )
        token_docs = np.repeat(np.arange(self.size, dtype=np.int64), lengths)
        # One key per (term, sentence): sorting groups a term's postings, sentences ascending,
        # and equal keys are the term's repeats in that sentence, counted as its frequency.
        keys, tf = np.unique(token_terms * self.size + token_docs, return_counts=True)
        terms = keys // self.size
        docs = keys - terms * self.size
        df = np.bincount(terms, minlength=len(ids))
        bounds = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(df, out=bounds[1:])

        vocabulary = list(ids)
        n = self.size
        idf_values = [lucene_idf(n, f) for f in df.tolist()]
        self.idf = dict(zip(vocabulary, idf_values, strict=True))
        self.doc_freq = dict(zip(vocabulary, df.tolist(), strict=True))
        self._rows = dict(ids)
        self._bounds = bounds
        self._docs = docs.astype(np.int32 if n <= np.iinfo(np.int32).max else np.int64)
        self._impacts = self._impact(
            np.repeat(np.asarray(idf_values, dtype=np.float64), df), tf, lengths[docs], total / n
        )
        # postings() hands out views: a caller must not be able to change the scores.
        self._docs.flags.writeable = False
        self._impacts.flags.writeable = False

    def _impact(
        self, idf: np.ndarray, tf: np.ndarray, doc_len: np.ndarray, avgdl: float
    ) -> np.ndarray:
        return bm25_impacts(idf, tf, doc_len, avgdl, self.k1, self.b)

    @classmethod
    def from_arrays(
        cls,
        size: int,
        rows: Mapping[str, int],
        idf: Mapping[str, float],
        bounds: np.ndarray,
        docs: np.ndarray,
        impacts: np.ndarray,
    ) -> BM25Index:
        """An index over postings built elsewhere (an archive's memory-mapped arrays):
        `rows` maps a term to its slice `bounds[row]:bounds[row + 1]` of `docs`/`impacts`.
        Searching is this class's own code, so the scores are the same sums."""
        index = cls.__new__(cls)
        index.size, index.k1, index.b = size, K1, B
        index._lists = None
        index.idf, index._rows = idf, rows  # type: ignore[assignment]
        index.doc_freq = {}
        index._bounds, index._docs, index._impacts = bounds, docs, impacts
        return index

    def __contains__(self, term: object) -> bool:
        return term in self._rows

    def postings(self, term: str) -> Postings | None:
        """The sentences that contain `term` and its impact on each (read-only views)."""
        row = self._rows.get(term)
        if row is None:
            return None
        start, end = self._bounds[row], self._bounds[row + 1]
        return Postings(self._docs[start:end], self._impacts[start:end])

    def scores(self, query: Mapping[str, float] | Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(sentence ids that share a term with the query, their scores), in id order.

        A mapping weighs each term (terms weighted zero or less are ignored); a sequence
        counts a repeated term again, as rank-bm25 does.
        """
        totals, touched = self._totals(_weighted_terms(query))
        if totals is None:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float64)
        ids = _touched_ids(totals, touched).astype(np.int32)
        return ids, totals[ids]

    def search(self, query: Mapping[str, float] | Sequence[str], k: int) -> list[Hit]:
        """The k best sentences with a positive score, best first (ties: earlier first)."""
        terms = _weighted_terms(query)
        if self._lists is not None:
            postings = sum(len(self._lists[t][0]) for t, _ in terms if t in self._lists)
            if postings <= LIST_POSTINGS:
                return _search_lists(self._lists, terms, k)
        totals, touched = self._totals(terms)
        if totals is None or k <= 0:
            return []
        ids = _top_k(totals, touched, k)
        scores = totals[ids]
        order = np.lexsort((ids, -scores))
        return [Hit(int(ids[i]), float(scores[i])) for i in order]

    def _totals(
        self, query: Iterable[tuple[str, float]]
    ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        """Scores of all sentences (dense), and the postings of the query terms that count."""
        # One C-level scatter-add per query term into an accumulator indexed by sentence,
        # in query order: the order rank-bm25 sums terms in, so the sums are bit-identical.
        totals = None
        touched: list[np.ndarray] = []
        for term, weight in query:
            row = self._rows.get(term)
            if row is None or not weight > 0:
                continue
            start, end = self._bounds[row], self._bounds[row + 1]
            docs, impacts = self._docs[start:end], self._impacts[start:end]
            if totals is None:
                totals = np.zeros(self.size, dtype=np.float64)
            # ufunc.at, not `totals[docs] += ...`: one pass instead of gather, add, scatter.
            np.add.at(totals, docs, impacts if weight == 1.0 else weight * impacts)
            touched.append(docs)
        return totals, touched


def bm25_impacts(
    idf: np.ndarray, tf: np.ndarray, doc_len: np.ndarray, avgdl: float, k1: float, b: float
) -> np.ndarray:
    """Each posting's BM25 contribution."""
    # Written exactly as rank-bm25's BM25Okapi.get_scores, operation for operation, so
    # that each impact is bit-for-bit the contribution rank-bm25 adds for the term.
    return idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len / avgdl)))


def _search_lists(
    lists: Mapping[str, tuple[list[int], list[float]]],
    query: Iterable[tuple[str, float]],
    k: int,
) -> list[Hit]:
    """search() on plain lists: the same sums, in the same order, as the numpy path."""
    totals: dict[int, float] = {}
    for term, weight in query:
        postings = lists.get(term)
        if postings is None or not weight > 0:
            continue
        for doc, impact in zip(*postings, strict=True):
            totals[doc] = totals.get(doc, 0.0) + (impact if weight == 1.0 else weight * impact)
    if k <= 0:
        return []
    return [Hit(doc, score) for doc, score in sorted(totals.items(), key=_best_first)[:k]]


def _best_first(item: tuple[int, float]) -> tuple[float, int]:
    return -item[1], item[0]


def _touched_ids(totals: np.ndarray, touched: Sequence[np.ndarray]) -> np.ndarray:
    """Ascending ids of the sentences in any of the `touched` postings."""
    if sum(len(docs) for docs in touched) * 16 < len(totals):
        # Rare terms in a large corpus: merging their postings beats scanning every sentence.
        return np.unique(np.concatenate(touched))
    # Every impact is positive (Lucene IDF > 0, tf >= 1), so touched means non-zero.
    return np.flatnonzero(totals)


def _top_k(totals: np.ndarray, touched: Sequence[np.ndarray], k: int) -> np.ndarray:
    """Ids of the k best positive totals; at the cut, equal scores go to the earliest first."""
    # A floor for the k-th best score, to avoid partitioning every sentence: the k-th best
    # among the sentences of one term (the rarest with at least k), which are k positives.
    seeds = [docs for docs in touched if len(docs) >= k]
    if seeds:
        seed = totals[min(seeds, key=len)]
        floor = np.partition(seed, len(seed) - k)[len(seed) - k]
        candidates = np.flatnonzero(totals >= floor)
    else:
        candidates = _touched_ids(totals, touched)
    if k >= len(candidates):
        return candidates
    scores = totals[candidates]
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    above = candidates[scores > kth]
    # Candidates are in id order, so the first of those tied at the cut are the earliest.
    return np.concatenate((above, candidates[scores == kth][: k - len(above)]))


def _weighted_terms(query: Mapping[str, float] | Sequence[str]) -> list[tuple[str, float]]:
    if isinstance(query, Mapping):
        return list(query.items())
    if isinstance(query, str):
        raise TypeError("a query is a sequence of terms or a term -> weight mapping, not a str")
    return [(term, 1.0) for term in query]
