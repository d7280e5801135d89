"""What `QA` reads of a corpus: the protocol an in-memory Corpus and an opened archive both
offer, so that ranking never imports the archive."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..records import Article, Sentence
from .expansion import Vocabulary
from .index import Retriever
from .profile import Profile


class ReadableCorpus(Protocol):
    """Articles and their sentences, with what answering needs of each sentence."""

    @property
    def articles(self) -> Sequence[Article]: ...

    @property
    def sentences(self) -> Sequence[Sentence]: ...

    @property
    def spans(self) -> Sequence[Sequence[tuple[str, int, int]]]: ...

    @property
    def profiles(self) -> Sequence[Profile]: ...

    def neighbours_best(self, doc: int, scores: dict[int, float]) -> float: ...

    def heading(self, slug: str) -> tuple[str, str] | None: ...

    def article_named(self, slug: str) -> Article | None: ...


class IndexedCorpus(ReadableCorpus, Protocol):
    """A corpus that brings its own retriever and the vocabulary over it: an archive's
    memory-mapped index, which a cluster's retriever may stand in for."""

    @property
    def retriever(self) -> Retriever: ...

    @property
    def vocabulary(self) -> Vocabulary: ...
