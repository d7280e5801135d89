"""An index generation's layout: the arrays it holds, and its file and article records as
bytes on disk and back (see builder.py for the directory's life)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar, overload

import numpy as np

from .evidence import EVIDENCE_ARRAYS

T = TypeVar("T")

FORMAT_VERSION = 5
CURRENT = "CURRENT"

ARRAYS = (
    "paragraph_offsets",  # int64 [P+1]: byte offset of each paragraph in text.txt
    "paragraph_article",  # int32 [P]
    "paragraph_number",  # int32 [P]: 1-based within its article
    "article_paragraphs",  # int64 [A+1]: first paragraph of each article
    "article_sentences",  # int64 [A+1]: first sentence of each article
    "sentence_paragraph",  # int32 [N]: global paragraph
    "sentence_number",  # int32 [N]: 1-based within its paragraph
    "sentence_start",  # int32 [N]: character offsets within the paragraph
    "sentence_end",  # int32 [N]
    "token_bounds",  # int64 [N+1]: each sentence's slice of token_terms
    "token_terms",  # int32 [T]: every sentence's terms as vocabulary ids (for refreshes)
    "term_offsets",  # int64 [V+1]: byte offset of each term in terms.txt (sorted terms)
    "idf",  # float64 [V]
    "posting_bounds",  # int64 [V+1]: each term's slice of the postings
    "posting_docs",  # int32: sentences, ascending within a term
    "posting_impacts",  # float64: the term's BM25 contribution to each
    "stem_words",  # S32 [W]: words the analysis stems, sorted (UTF-8)
    "stem_stems",  # S32 [W]: their stems (see StemTable)
    *EVIDENCE_ARRAYS,  # files' acronym and name evidence, for refreshes
    "file_sizes",  # int64 [A]: each file's size when indexed (FILE_PATHS names them)
    "file_mtimes",  # int64 [A]: and its modification time, in ns
    "article_offsets",  # int64 [A+1]: each article's record in ARTICLES
    "slug_order",  # int32 [A]: the articles in the order of their slugs
)
FILE_PATHS = "files.txt"
ARTICLES = "articles.txt"


@dataclass(frozen=True, slots=True)
class FileRecord:
    path: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    slug: str
    title: str
    source: str  # the file


def item_or_slice(i: int | slice, size: int, make: Callable[[int], T]) -> T | list[T]:
    """`make(i)` for an index into a sequence of `size` items (negative from the end), or a
    list of them for a slice: the indexing of the sequences an index reads lazily."""
    if isinstance(i, slice):
        return [make(j) for j in range(*i.indices(size))]
    if i < 0:
        i += size
    if not 0 <= i < size:
        raise IndexError(i)
    return make(int(i))


class ArticleRecords(Sequence[ArticleRecord]):
    """The articles' slugs, titles and files, each decoded when read from `articles.txt`
    (a JSON list of 100,000 records took half a second to open), found by slug through the
    slugs' sorted order."""

    def __init__(self, text: np.ndarray, offsets: np.ndarray, slug_order: np.ndarray):
        self._text, self._offsets, self._order = text, offsets, slug_order

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> ArticleRecord: ...
    @overload
    def __getitem__(self, i: slice) -> list[ArticleRecord]: ...
    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        return item_or_slice(i, len(self), self._record)

    def _record(self, i: int) -> ArticleRecord:
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        fields = self._text[start:end].tobytes().decode("utf-8", "surrogateescape").split("\0")
        return ArticleRecord(*fields)

    def find(self, slug: str) -> int | None:
        """The position of the article `slug`, or None."""
        order = self._order
        low, high = 0, len(order)
        while low < high:
            middle = (low + high) // 2
            if self[int(order[middle])].slug < slug:
                low = middle + 1
            else:
                high = middle
        if low < len(order) and self[int(order[low])].slug == slug:
            return int(order[low])
        return None


def article_records_bytes(records: Iterable[tuple[str, str, str]]) -> list[bytes]:
    """Each article's slug, title and file as ArticleRecords reads them: NUL (in none of
    them) between the three."""
    return ["\0".join(r).encode("utf-8", "surrogateescape") for r in records]


def file_paths_bytes(paths: Iterable[str]) -> bytes:
    """Paths as FILE_PATHS holds them: NUL (in no path) between them, undecodable names'
    bytes as they were."""
    return "\0".join(paths).encode("utf-8", "surrogateescape")
