"""Writing a corpus into the real-time shard indexes of a Sphinx/Manticore cluster.

Each sentence is one document: the field `text` holds its analysed terms (the local index's
own, as engine words), the attributes its place (article, paragraph, sentence, and its
position in the corpus) and its text for display. An article's sentences all go to one
shard, chosen by a hash of its slug; document ids are a hash of the sentence's place, so
writing again REPLACEs rather than duplicates, and documents that are no longer in the
corpus (or that moved to another shard) are deleted: the shards end up holding the corpus.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..ranking.readable import ReadableCorpus
from ..records import Sentence
from .address import Address
from .connection import ClusterError, Connection
from .retriever import document_id, engine_token, shard_of, terms_key

# Rows per REPLACE statement: well under searchd's default max_packet_size (8 MB) even for
# long sentences, and few enough round trips (measured: no faster at 2,000).
BATCH = 500
# Ids read per page when looking for documents to delete.
PAGE = 5000
# What each shard index must have (DESCRIBE's types, as Sphinx 2.2 and Manticore name them).
SCHEMA = {
    "text": ("field", "text"),
    "article": ("string",),
    "paragraph": ("uint", "integer", "bigint"),
    "sentence": ("uint", "integer", "bigint"),
    "position": ("uint", "integer", "bigint"),
    "length": ("uint", "integer", "bigint"),
    "terms_key": ("bigint",),
    "twins": ("uint", "integer", "bigint"),
    "body": ("string",),
}
_COLUMNS = ("id", *SCHEMA)

Progress = Callable[[int, int, int], None]  # articles done, articles in all, sentences so far


@dataclass(frozen=True, slots=True)
class ShardSummary:
    address: str
    sentences: int  # written (replaced) into this shard
    removed: int  # deleted: no longer in the corpus, or moved to another shard


@dataclass(frozen=True, slots=True)
class WriteSummary:
    articles: int
    sentences: int
    shards: tuple[ShardSummary, ...]
    seconds: float


def write_shards(
    corpus: ReadableCorpus, addresses: Sequence[Address], progress: Progress | None = None
) -> WriteSummary:
    """Make the shards at `addresses` hold exactly `corpus`'s sentences. Raises ClusterError.

    Two passes: the first makes each sentence's engine words and counts the sentences
    sharing each sentence's terms (`twins`: the retriever looks for the earliest copies of a
    sentence, which another shard may hold); the second writes."""
    started = time.monotonic()
    shards = [Connection(address) for address in addresses]
    try:
        for shard in shards:
            check_schema(shard)
        articles = len(corpus.articles)
        # Progress counts each article twice: once analysed, once written.
        texts, keys = _engine_texts(corpus, _Progress(progress, 0, 2 * articles))
        twins = Counter(keys)
        wanted: list[set[int]] = [set() for _ in shards]
        batches: list[list[tuple[object, ...]]] = [[] for _ in shards]
        chosen = 0
        for doc, s, first in _sentences(corpus, _Progress(progress, articles, 2 * articles)):
            if first:
                chosen = shard_of(s.article, len(shards))
            row_id = document_id(s.article, s.paragraph, s.sentence)
            wanted[chosen].add(row_id)
            text, key = texts[doc], keys[doc]
            length = text.count(" ") + 1 if text else 0
            row = (row_id, text, s.article, s.paragraph, s.sentence, doc, length)
            batches[chosen].append((*row, key, twins[key], s.text))
            if len(batches[chosen]) >= BATCH:
                _replace(shards[chosen], batches[chosen])
                batches[chosen] = []
        for shard, batch in zip(shards, batches, strict=True):
            if batch:
                _replace(shard, batch)
        removed = [_remove_others(shard, keep) for shard, keep in zip(shards, wanted, strict=True)]
    finally:
        for shard in shards:
            shard.close()
    return WriteSummary(
        articles,
        len(corpus.sentences),
        tuple(
            ShardSummary(str(a), len(keep), gone)
            for a, keep, gone in zip(addresses, wanted, removed, strict=True)
        ),
        time.monotonic() - started,
    )


@dataclass(frozen=True, slots=True)
class _Progress:
    """A pass's share of the progress: articles before it, and in all."""

    report: Progress | None
    before: int
    total: int

    def __call__(self, articles: int, sentences: int) -> None:
        if self.report:
            self.report(self.before + articles, self.total, sentences)


def _sentences(corpus: ReadableCorpus, progress: _Progress) -> Iterator[tuple[int, Sentence, bool]]:
    """(position, sentence, whether it opens its article), reporting each article done."""
    done, article = 0, None
    for doc, s in enumerate(corpus.sentences):
        first = s.article != article
        if first and article is not None:
            done += 1
            progress(done, doc)
        article = s.article
        yield doc, s, first
    if article is not None:
        progress(done + 1, len(corpus.sentences))


def _engine_texts(corpus: ReadableCorpus, progress: _Progress) -> tuple[list[str], list[int]]:
    """Each sentence's engine words (space-separated) and the key of its terms."""
    texts, keys = [], []
    for doc, _, _ in _sentences(corpus, progress):
        words = [engine_token(term) for term, _, _ in corpus.spans[doc]]
        texts.append(" ".join(words))
        keys.append(terms_key(words))
    return texts, keys


def check_schema(shard: Connection) -> None:
    """ClusterError unless the shard is a real-time index with SCHEMA's columns."""
    (rows,) = shard.run(f"DESCRIBE {shard.address.index}")
    found = {_text(name): _text(kind) for name, kind, *_ in rows}
    wrong = [name for name, kinds in SCHEMA.items() if found.get(name) not in kinds]
    if wrong:
        want = ", ".join(f"{name} ({SCHEMA[name][0]})" for name in wrong)
        raise ClusterError(
            f"{shard.address}: not a shard of this corpus: it lacks {want} "
            "(see docs/scaling.md, Cluster)"
        )


def _replace(shard: Connection, rows: Sequence[tuple[object, ...]]) -> None:
    values = ", ".join(["(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"] * len(rows))
    shard.run(
        f"REPLACE INTO {shard.address.index} ({', '.join(_COLUMNS)}) VALUES {values}",
        [value for row in rows for value in row],
    )


def _remove_others(shard: Connection, keep: set[int]) -> int:
    """Delete the shard's documents whose ids are not in `keep`; how many were."""
    index, last, stale = shard.address.index, 0, []
    while True:
        (rows,) = shard.run(
            f"SELECT id FROM {index} WHERE id > {last} ORDER BY id ASC "
            f"LIMIT {PAGE} OPTION max_matches={PAGE}"
        )
        ids = [int(row[0]) for row in rows]
        stale += [i for i in ids if i not in keep]
        if len(ids) < PAGE:
            break
        last = ids[-1]
    for start in range(0, len(stale), PAGE):
        chunk = ", ".join(map(str, stale[start : start + PAGE]))
        shard.run(f"DELETE FROM {index} WHERE id IN ({chunk})")
    return len(stale)


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
