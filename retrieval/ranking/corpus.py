"""Corpus: articles segmented and analysed once; what every retriever and the reranker use."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

from ..records import Article, Paragraph, Sentence
from ..text.analysis import Token, TokenColumns, analyse, columns_of, tokenize
from ..text.articles import bundled_article_path, load_articles
from ..text.cache import load_corpus
from ..text.lexicon import ACRONYM_SKIPS, capitalised_runs, fold
from .profile import Profile, profile_article


@dataclass(frozen=True, slots=True)
class Corpus:
    """Articles with each sentence's tokens, and what answering needs of them."""

    articles: tuple[Article, ...]
    sentences: tuple[Sentence, ...]  # every article's, in order
    terms: tuple[tuple[str, ...], ...]  # each sentence's index terms, in order
    # Each sentence's index terms with their spans: all an answer needs to highlight.
    spans: tuple[tuple[tuple[str, int, int], ...], ...]
    profiles: tuple[Profile, ...]  # what the reranker needs of each sentence
    continues: tuple[bool, ...]  # whether a sentence continues the previous one's paragraph
    acronyms: dict[str, tuple[str, ...]]  # acronym term -> the terms of its long form

    @classmethod
    def analyse(
        cls, articles: Sequence[Article], tokens: Sequence[Sequence[Token]] | None = None
    ) -> Corpus:
        """The corpus of `articles`; `tokens`, one list per sentence in corpus order, skips
        tokenising (a cache's)."""
        if not articles:
            raise ValueError("a corpus needs at least one article")
        sentences = tuple(s for a in articles for s in a.sentences)
        if tokens is not None and len(tokens) != len(sentences):
            raise ValueError(f"{len(tokens)} token lists for {len(sentences)} sentences")
        if tokens is None:
            tokens = [tokenize(s.text) for s in sentences]
        spans = tuple(tuple((t.term, t.start, t.end) for t in ts if t.term) for ts in tokens)
        profiles: list[Profile] = []
        start = 0
        for article in articles:
            count = len(article.sentences)
            profiles += profile_article(
                [s.text for s in article.sentences],
                tokens[start : start + count],
                frozenset(analyse(article.title)),
            )
            start += count
        continues = tuple(
            i > 0
            and (s.article, s.paragraph) == (sentences[i - 1].article, sentences[i - 1].paragraph)
            for i, s in enumerate(sentences)
        )
        return cls(
            tuple(articles),
            sentences,
            tuple(tuple(term for term, _, _ in sentence) for sentence in spans),
            spans,
            tuple(profiles),
            continues,
            learn_acronyms(tokens),
        )

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        *,
        cache_dir: str | Path | None = None,
        strict: bool = False,
    ) -> Corpus:
        """The bundled article, or the article file / folder of articles at `path`.

        With `cache_dir`, the segmented and tokenised corpus is read from (or saved to) that
        directory, so a restart does not analyse it again. A folder's file that is not an
        article is skipped with a warning, or with `strict` refused.
        """
        source = bundled_article_path() if path is None else path
        if cache_dir is not None:
            analysed = load_corpus(source, cache_dir, strict)
            return cls.analyse(analysed.articles, analysed.tokens)
        return cls.analyse(load_articles(source, strict))

    @classmethod
    def from_sentences(cls, sentences: Sequence[str], title: str = "") -> Corpus:
        """Sentences already split by the caller: one paragraph, ¶1.N = sentences[N-1]
        (blank ones left out). ValueError when none is left."""
        clean = [" ".join(s.split()) for s in sentences if s.strip()]
        if not clean:
            raise ValueError("no sentences to answer from")
        starts = list(itertools.accumulate((len(c) + 1 for c in clean), initial=0))[: len(clean)]
        paragraph = Paragraph(
            1,
            " ".join(clean),
            tuple(
                Sentence("sentences", 1, n, text, start)
                for n, (text, start) in enumerate(zip(clean, starts, strict=True), 1)
            ),
        )
        return cls.analyse([Article("sentences", title or "Untitled", (paragraph,), "<sentences>")])

    @property
    def names(self) -> frozenset[str]:
        """Terms the corpus writes as names: capitalised, not opening a sentence."""
        return frozenset().union(*(p.names for p in self.profiles))

    def article_named(self, slug: str) -> Article | None:
        return next((a for a in self.articles if a.slug == slug), None)

    def heading(self, slug: str) -> tuple[str, str] | None:
        """The title and file of the article `slug`."""
        found = self.article_named(slug)
        return None if found is None else (found.title, found.source)

    def neighbours_best(self, doc: int, scores: dict[int, float]) -> float:
        """The best of `scores` among the sentence's neighbours in its paragraph."""
        before = scores.get(doc - 1, 0.0) if self.continues[doc] else 0.0
        after = (
            scores.get(doc + 1, 0.0)
            if doc + 1 < len(self.continues) and self.continues[doc + 1]
            else 0.0
        )
        return max(before, after)


def written_acronyms(documents: Iterable[TokenColumns]) -> dict[str, str]:
    """All-capitals words of 2-6 letters ("ICE"), lower-cased -> their index term."""
    found: dict[str, str] = {}
    for texts, terms in documents:
        # Only all-capitals words go further (picked out in C): nearly none are.
        for text, term in compress(zip(texts, terms, strict=True), map(str.isupper, texts)):
            if term and 2 <= len(text) <= 6 and text.isalpha():
                found[fold(text)] = term
    return found


def initialled_phrases(documents: Iterable[TokenColumns]) -> Iterator[tuple[str, list[str]]]:
    """(initials, terms) of every capitalised phrase of 2-6 words, in text order: the long
    forms an acronym may stand for. Every contiguous sub-phrase counts: "Attorney General
    Jeff Sessions" holds "Jeff Sessions"."""
    for texts, terms in documents:
        # A phrase takes two capitalised words: an archive's build asks this of every
        # sentence, and many have one capital at most (counted in C).
        if sum(map(str.isupper, map(_first_letter, texts))) < 2:
            continue
        for run in capitalised_runs(texts):
            words = [i for i in run if fold(texts[i]) not in ACRONYM_SKIPS]
            firsts = [texts[i][0] for i in words]
            kept = [terms[i] for i in words]
            # Each phrase's initials grow from the one before.
            for start in range(len(words) - 1):
                initials = firsts[start]
                for end in range(start + 1, min(len(words), start + 6)):
                    initials += firsts[end]
                    yield initials.lower(), [t for t in kept[start : end + 1] if t]


_first_letter = operator.itemgetter(0)


def learn_acronyms(documents: Iterable[Sequence[Token]]) -> dict[str, tuple[str, ...]]:
    """Acronym term -> the terms of its long form, for acronyms the corpus spells out.

    An all-capitals word (ICE) is linked to a capitalised phrase anywhere in the corpus whose
    initials spell it (Immigration and Customs Enforcement), so a question using either form
    reaches sentences that use the other.
    """
    documents = [columns_of(tokens) for tokens in documents]
    acronyms = written_acronyms(documents)
    if not acronyms:
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for initials, terms in initialled_phrases(documents):
        term = acronyms.get(initials)
        if term and term not in found:
            found[term] = tuple(terms)
    return found
