"""ArchiveCorpus: an opened archive behind the read interface QA uses of a Corpus.

Nothing is computed per sentence when it opens. A sentence, its spans and its reranker
profile are made when asked for: a question reranks 15-50 candidates, so tokenising those
(and the sentence before each, for antecedents) costs well under a millisecond, where
profiling every sentence up front took most of a 100k-sentence corpus's load time.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import overload

from ..ranking.expansion import Vocabulary
from ..ranking.index import BM25Index
from ..ranking.profile import Profile, profile_sentence
from ..records import Article, Paragraph, Sentence
from ..text.analysis import Token, analyse, tokenize, use_known_stems
from .layout import item_or_slice
from .reader import Archive

# Sentences whose tokens and profiles are kept: a conversation's candidates many times over.
CACHED = 4096


class _Lazy(Sequence):  # type: ignore[type-arg]
    """A read-only sequence whose items are made by a function when first read."""

    def __init__(self, size: int, make):  # type: ignore[no-untyped-def]
        self._size = size
        self._make = lru_cache(maxsize=CACHED)(make)

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, i: int) -> object: ...
    @overload
    def __getitem__(self, i: slice) -> list[object]: ...
    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        return item_or_slice(i, self._size, self._make)

    def __iter__(self) -> Iterator[object]:
        return (self._make(i) for i in range(self._size))


class _Terms(Sequence):  # type: ignore[type-arg]
    """The archive's sorted vocabulary as strings, each decoded when read: enough for
    bisect (other forms of a word are found by prefix) without a string per term."""

    def __init__(self, archive: Archive):
        self._archive = archive
        self._size = len(archive.arrays["idf"])

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        if isinstance(i, slice):
            return [self._archive.term(j) for j in range(*i.indices(self._size))]
        return self._archive.term(i)


class _Rows(Mapping):  # type: ignore[type-arg]
    """Term -> its row in the postings, by binary search over the sorted terms."""

    def __init__(self, terms: _Terms):
        self._terms = terms
        self._found: dict[str, int | None] = {}

    def row(self, term: str) -> int | None:
        if term in self._found:
            return self._found[term]
        i = bisect.bisect_left(self._terms, term)
        row = i if i < len(self._terms) and self._terms[i] == term else None
        if len(self._found) < 1 << 16:
            self._found[term] = row
        return row

    def __getitem__(self, term: str) -> int:
        row = self.row(term)
        if row is None:
            raise KeyError(term)
        return row

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.row(term) is not None

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)


class _Idf(Mapping):  # type: ignore[type-arg]
    """Term -> IDF, read from the memory-mapped array."""

    def __init__(self, rows: _Rows, idf: Sequence[float]):
        self._rows, self._idf = rows, idf

    def __getitem__(self, term: str) -> float:
        return float(self._idf[self._rows[term]])

    def __contains__(self, term: object) -> bool:
        return term in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)


class ArchiveCorpus:
    """The read interface of Corpus over an Archive: articles, sentences, spans, profiles,
    neighbours_best, acronyms, names; and the archive's own retriever and vocabulary."""

    def __init__(self, archive: Archive):
        self.archive = archive
        use_known_stems(archive.stems())
        a = archive.arrays
        self._paragraph_of = a["sentence_paragraph"]
        self._article_of = a["paragraph_article"]
        self._multi = bool(archive.meta.get("multi_article"))
        size = archive.size
        self.sentences: Sequence[Sentence] = _Lazy(size, self._sentence)
        self.tokens: Sequence[list[Token]] = _Lazy(size, lambda d: tokenize(self.sentences[d].text))
        self.spans: Sequence[tuple[tuple[str, int, int], ...]] = _Lazy(size, self._spans)
        self.profiles: Sequence[Profile] = _Lazy(size, self._profile)
        self.articles: Sequence[Article] = _Lazy(len(archive.articles), self._article)
        self._title_terms = lru_cache(maxsize=CACHED)(
            lambda article: frozenset(analyse(archive.articles[article].title))
        )
        self.acronyms: dict[str, tuple[str, ...]] = {
            term: tuple(long_form)
            for term, long_form in archive.meta["acronyms"]  # type: ignore[union-attr]
        }
        self.names: frozenset[str] = frozenset(archive.meta["names"])  # type: ignore[arg-type]
        self.fingerprint = str(archive.meta["fingerprint"])
        terms = _Terms(archive)
        rows = _Rows(terms)
        self.retriever = BM25Index.from_arrays(
            size,
            rows,
            _Idf(rows, a["idf"]),
            a["posting_bounds"],
            a["posting_docs"],
            a["posting_impacts"],
        )
        # Vocabulary.of would sort every term into a tuple; the archive's are sorted already.
        self.vocabulary = dataclasses.replace(
            Vocabulary.of({}, size, self.acronyms, self.names),
            idf=self.retriever.idf,
            sorted_terms=terms,
        )

    def article_named(self, slug: str) -> Article | None:
        index = self.archive.articles.find(slug)
        return None if index is None else self.articles[index]

    def heading(self, slug: str) -> tuple[str, str] | None:
        """The title and file of the article `slug` (without reading its text)."""
        index = self.archive.articles.find(slug)
        if index is None:
            return None
        record = self.archive.articles[index]
        return record.title, record.source

    def neighbours_best(self, doc: int, scores: dict[int, float]) -> float:
        """The best of `scores` among the sentence's neighbours in its paragraph."""
        paragraph = self._paragraph_of
        before = (
            scores.get(doc - 1, 0.0) if doc > 0 and paragraph[doc - 1] == paragraph[doc] else 0.0
        )
        after = (
            scores.get(doc + 1, 0.0)
            if doc + 1 < len(paragraph) and paragraph[doc + 1] == paragraph[doc]
            else 0.0
        )
        return max(before, after)

    def _sentence(self, doc: int) -> Sentence:
        a = self.archive.arrays
        paragraph = int(self._paragraph_of[doc])
        start, end = int(a["sentence_start"][doc]), int(a["sentence_end"][doc])
        return Sentence(
            self.archive.articles[int(self._article_of[paragraph])].slug,
            int(a["paragraph_number"][paragraph]),
            int(a["sentence_number"][doc]),
            self.archive.paragraph_text(paragraph)[start:end],
            start,
            self._multi,
        )

    def _spans(self, doc: int) -> tuple[tuple[str, int, int], ...]:
        return tuple((t.term, t.start, t.end) for t in self.tokens[doc] if t.term)

    def _profile(self, doc: int) -> Profile:
        article = int(self._article_of[int(self._paragraph_of[doc])])
        bounds = self.archive.arrays["article_sentences"]
        first, end = int(bounds[article]), int(bounds[article + 1])
        return profile_sentence(
            self.sentences[doc].text,
            self.tokens[doc],
            self.tokens[doc - 1] if doc > first else None,
            doc - first,
            end - first,
            self._title_terms(article),
        )

    def _article(self, index: int) -> Article:
        a = self.archive.arrays
        record = self.archive.articles[index]
        first, end = int(a["article_paragraphs"][index]), int(a["article_paragraphs"][index + 1])
        sentence = int(a["article_sentences"][index])
        paragraphs = []
        for p in range(first, end):
            count = 0
            while (
                sentence + count < self.archive.size and self._paragraph_of[sentence + count] == p
            ):
                count += 1
            sentences = tuple(self.sentences[d] for d in range(sentence, sentence + count))
            paragraphs.append(Paragraph(p - first + 1, self.archive.paragraph_text(p), sentences))
            sentence += count
        return Article(record.slug, record.title, tuple(paragraphs), record.source)
