"""A Sphinx/Manticore cluster as the retriever: the engine finds candidates, scored exactly here.

Sphinx 2.2 cannot give the local index's scores (measured, see docs/scaling.md "Cluster"):
its IDF formulas are not Lucene's, it ranks in float32 and returns an integer weight, and
each shard normalises lengths by its own average. So the distributed index is asked for the
best CANDIDATES_PER_HIT * k sentences by its own BM25, and those are scored again with the
local index's postings (global document frequencies, float64, the same sums in the same
order): the scores, and the order of the top k, are the local index's. Copies of a sentence
that another shard ranked past the candidates are fetched by the key of their terms.

SphinxQL only (the MySQL protocol through pymysql), so Manticore Search works as well;
pymysql is imported when a cluster is first used (`pip install 'article-qa[cluster]'`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

import numpy as np

from ..archive.corpus import ArchiveCorpus
from ..ranking.corpus import Corpus
from ..ranking.index import K1, B, BM25Index, Hit, Postings, _weighted_terms
from .address import Address
from .connection import ClusterError, Connection

# The engine's top `CANDIDATES_PER_HIT * k` (at least MIN_CANDIDATES) are rescored: on a
# 100k-sentence archive the local top 15 of 60 questions lay within its first 28
# (docs/scaling.md), so 100 leave a margin for noisier corpora.
CANDIDATES_PER_HIT = 4
MIN_CANDIDATES = 100
# Terms of this shape are indexed as they are; any other (accents, "4.1", "don't") by a
# digest, which every charset_table keeps whole and no plain term can equal (it starts with
# "_"). Sphinx truncates words past 42 bytes, hence the length bound.
_PLAIN_TERM = re.compile(r"[a-z0-9]{1,40}")
# The engine ranks by BM25 as if each matched term occurred as often as they do on average
# (weighted by IDF): the sum of the matched terms' IDFs (log(N/n), the closest to Lucene's
# it offers; a term's weight boosts its IDF) times the saturation of that frequency at the
# sentence's length, from its `length` attribute and the corpus's average. Sphinx 2.2's
# own bm25a() ranked far worse (measured, docs/scaling.md): its length normalisation is
# not the local index's. WEIGHT() is an integer, hence the scale.
RANKER = (
    "expr('sum(tf_idf) * {k1_plus_1} / (sum(tf_idf) / (sum(sum_idf) + 0.000001) "
    "+ {k1} * ({one_minus_b} + {b} * length / {avgdl})) * 1000000'), "
    "idf='plain,tfidf_unnormalized'"
)

Warn = Callable[[str], None]
REINDEX = "index the corpus into the shards again (article-qa index PATH --sphinx SHARDS)"


_ROW = "position, article, paragraph, sentence, terms_key, twins"


class _Row(NamedTuple):
    place: tuple[str, int, int]  # article, paragraph, sentence
    key: int  # terms_key: equal for sentences with the same terms
    twins: int  # sentences in the corpus with those terms


def engine_token(term: str) -> str:
    """The word the engine indexes for an analysed term: the term, or `_` and its digest."""
    if _PLAIN_TERM.fullmatch(term):
        return term
    return "_" + hashlib.blake2b(term.encode("utf-8"), digest_size=10).hexdigest()


def document_id(article: str, paragraph: int, sentence: int) -> int:
    """A sentence's document id, the same in every run: indexing again replaces it."""
    key = f"{article}\0{paragraph}\0{sentence}".encode()
    # 63 bits: Sphinx ids are unsigned, but some clients and filters compare them as signed.
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") >> 1 or 1


def terms_key(words: Sequence[str]) -> int:
    """A key shared by the sentences with the same terms (in any order): equal BM25 scores."""
    digest = hashlib.blake2b(" ".join(sorted(words)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def shard_of(article: str, shards: int) -> int:
    """The shard an article's sentences all go to: stable across runs and machines."""
    digest = hashlib.blake2b(article.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def connect(corpus: Corpus | ArchiveCorpus, address: Address, warn: Warn) -> SphinxRetriever:
    """The retriever of `corpus` through the distributed index at `address`, checked to
    answer. Raises ClusterError."""
    # An archive's index is memory-mapped; a corpus small enough for memory is indexed here
    # in well under a second. Either gives the exact impacts the engine's candidates need.
    local = corpus.retriever if isinstance(corpus, ArchiveCorpus) else BM25Index(corpus.terms)

    def identify(doc: int) -> tuple[str, int, int]:
        s = corpus.sentences[doc]
        return s.article, s.paragraph, s.sentence

    retriever = SphinxRetriever(address, local, identify, warn)
    try:
        retriever.check()
    except ClusterError:
        retriever.close()
        raise
    return retriever


class LocalPostings(Protocol):
    """What rescoring needs of the local index: every term's postings and IDF."""

    size: int
    idf: Mapping[str, float]

    def postings(self, term: str) -> Postings | None: ...


class SphinxRetriever:
    """The retriever protocol over a distributed index: its candidates, the local scores.

    `local` gives the exact BM25 contribution of a term to a sentence (the global document
    frequencies and average length it was built with); `identify(doc)` is the sentence's
    (article, paragraph, sentence), which the engine's row must match: a stale cluster's
    rows are left out, and said once.
    """

    def __init__(
        self,
        address: Address,
        local: LocalPostings,
        identify: Callable[[int], tuple[str, int, int]],
        warn: Warn,
    ):
        self.address = address
        self.size = local.size
        self.idf = local.idf
        self._local = local
        self._identify = identify
        self._warn = warn
        self._shard_warning = ""
        self._said: set[str] = set()
        self._connection = Connection(address)
        self._ranker = ranker(1.0)

    def check(self) -> None:
        """Reach the distributed index and compare its size with the corpus's (ClusterError
        when unreachable; a warning when a shard is down or the cluster is out of date)."""
        (rows,), meta = self._query([f"SELECT COUNT(*), SUM(length) FROM {self.address.index}"])
        count, total = (int(rows[0][0]), int(rows[0][1] or 0)) if rows else (0, 0)
        self._ranker = ranker(total / count if count and total else 1.0)
        if meta.get("warning"):
            return  # a shard is down: the count is partial, and the warning says so
        if count != self.size:
            self._say(
                f"{self.address} holds {count:,} sentences, the corpus {self.size:,}: {REINDEX}"
            )

    def close(self) -> None:
        self._connection.close()

    def search(self, query: Mapping[str, float] | Sequence[str], k: int) -> list[Hit]:
        """The k best sentences with a positive score, best first (ties: earlier first)."""
        terms = [(t, w) for t, w in _weighted_terms(query) if w > 0 and t in self.idf]
        if k <= 0 or not terms:
            return []
        match = " | ".join(_boosted(engine_token(t), w) for t, w in _merge(terms))
        found = self._candidates(match, max(MIN_CANDIDATES, CANDIDATES_PER_HIT * k))
        ranked = self._ranked(found, terms)
        # Copies of a sentence score alike and the local index cites the earliest first,
        # but each shard weighs its copies with its own IDFs: the earliest may have been
        # ranked past the candidates. Those not all among them are looked up by their
        # terms' key.
        held = Counter(row.key for row in found.values())
        keys = {found[d].key for d, _ in ranked[:k] if held[found[d].key] < found[d].twins}
        if keys:
            found.update(self._copies(match, sorted(keys), k))
            ranked = self._ranked(found, terms)
        hits = []
        for doc, score in ranked:
            # Only the hits are checked against the corpus: making a sentence costs more
            # than scoring one.
            if self._identify(doc) != found[doc].place:
                self._say(f"{self.address} holds sentences the corpus does not: {REINDEX}")
                continue
            hits.append(Hit(doc, score))
            if len(hits) == k:
                break
        return hits

    def _candidates(self, match: str, limit: int) -> dict[int, _Row]:
        """The engine's best `limit` sentences for `match`, by position."""
        (rows,), _ = self._query(
            [
                f"SELECT {_ROW} FROM {self.address.index} WHERE MATCH(%s) "
                f"ORDER BY WEIGHT() DESC, position ASC LIMIT {limit} "
                f"OPTION ranker={self._ranker}, max_matches={limit}"
            ],
            (match,),
        )
        return self._rows(rows)

    def _copies(self, match: str, keys: Sequence[int], k: int) -> dict[int, _Row]:
        """The first `k` sentences (by position) of each terms' key in `keys`."""
        results, _ = self._query(
            [
                f"SELECT {_ROW} FROM {self.address.index} WHERE MATCH(%s) AND terms_key = {key} "
                f"ORDER BY position ASC LIMIT {k} OPTION ranker=none, max_matches={k}"
                for key in keys
            ],
            (match,) * len(keys),
        )
        return self._rows([row for rows in results for row in rows])

    def _rows(self, rows: Iterable[tuple[Any, ...]]) -> dict[int, _Row]:
        found, outside = {}, False
        for position, article, paragraph, sentence, key, twins in rows:
            if 0 <= int(position) < self.size:
                place = (_text(article), int(paragraph), int(sentence))
                found[int(position)] = _Row(place, int(key), int(twins))
            else:
                outside = True
        if outside:
            self._say(f"{self.address} holds sentences the corpus does not: {REINDEX}")
        return found

    def _ranked(
        self, found: Mapping[int, _Row], terms: Sequence[tuple[str, float]]
    ) -> list[tuple[int, float]]:
        scores = self._rescore(found, terms)
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))

    def _rescore(self, docs: Iterable[int], terms: Sequence[tuple[str, float]]) -> dict[int, float]:
        """Each candidate's BM25 as the local index adds it up: the query's terms in order,
        a weight other than 1 multiplying the term's impact."""
        candidates = np.unique(np.fromiter(docs, dtype=np.int64))
        totals = np.zeros(len(candidates), dtype=np.float64)
        for term, weight in terms:
            postings = self._local.postings(term)
            if postings is None:
                continue
            where = np.searchsorted(postings.docs, candidates)
            where[where == len(postings.docs)] = 0
            holds = postings.docs[where] == candidates
            impacts = postings.impacts[where[holds]]
            totals[holds] += impacts if weight == 1.0 else weight * impacts
        positive = totals > 0
        return dict(zip(candidates[positive].tolist(), totals[positive].tolist(), strict=True))

    def _query(
        self, statements: Sequence[str], args: Sequence[object] | None = None
    ) -> tuple[list[list[tuple[Any, ...]]], dict[str, str]]:
        """The rows of each SELECT in one round trip, and SHOW META after the last; a failed
        shard's warning is said once."""
        results = self._connection.run("; ".join([*statements, "SHOW META"]), args)
        rows, meta = results[:-1], {str(k): str(v) for k, v, *_ in results[-1]}
        warning = meta.get("warning", "")
        # Said when a shard stops answering, not again for every question while it is down.
        if warning and warning != self._shard_warning:
            self._warn(f"{self.address}: answering from the shards that answered ({warning})")
        self._shard_warning = warning
        return rows, meta

    def _say(self, message: str) -> None:
        """A warning about the cluster's contents, once per process."""
        if message not in self._said:
            self._said.add(message)
            self._warn(message)


def ranker(average_length: float) -> str:
    """The engine's ranking OPTION for a corpus whose sentences have this many terms on average."""
    return RANKER.format(k1_plus_1=K1 + 1, k1=K1, one_minus_b=1 - B, b=B, avgdl=average_length)


def _merge(terms: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    """One engine word per distinct term, its weights added (a sequence repeats a term)."""
    merged: dict[str, float] = {}
    for term, weight in terms:
        merged[term] = merged.get(term, 0.0) + weight
    return list(merged.items())


def _boosted(token: str, weight: float) -> str:
    return token if weight == 1.0 else f"{token}^{weight:.4g}"


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
