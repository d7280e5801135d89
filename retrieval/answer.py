"""Question answering over an indexed corpus: question -> Reply(abstained, answers)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import tokenize
from .articles import Article, Paragraph, Sentence, bundled_article_path, load_articles
from .index import BM25Index

log = logging.getLogger(__name__)

DEFAULT_K = 3
MAX_K = 50


@dataclass(frozen=True, slots=True)
class Answer:
    """One answering sentence, citable and highlightable."""

    citation: str
    text: str  # exactly as in the article
    score: float
    article: str
    paragraph: int
    sentence: int
    highlights: tuple[tuple[int, int], ...] = ()  # spans of `text` that matched the question


@dataclass(frozen=True, slots=True)
class Reply:
    question: str
    abstained: bool
    answers: tuple[Answer, ...] = ()
    reason: str = ""  # why the reply abstained, in words for a user
    # Weighted terms this turn was about; a follow-up question inherits them.
    focus: tuple[tuple[str, float], ...] = field(default=(), repr=False)


class QA:
    """Answers questions with the cited sentences of a corpus of articles."""

    def __init__(self, articles: Sequence[Article]):
        if not articles:
            raise ValueError("a QA needs at least one article")
        self.articles: tuple[Article, ...] = tuple(articles)
        self.sentences: tuple[Sentence, ...] = tuple(
            s for a in self.articles for s in a.sentences
        )
        self._tokens = [tokenize(s.text) for s in self.sentences]
        self.index = BM25Index([[t.term for t in ts if t.term] for ts in self._tokens])

    @classmethod
    def load(cls, path: str | Path | None = None) -> QA:
        """The bundled article, or the article file / folder of articles at `path`."""
        return cls(load_articles(bundled_article_path() if path is None else path))

    @classmethod
    def from_sentences(cls, sentences: Sequence[str], title: str = "") -> QA:
        """A QA over sentences already split by the caller: one paragraph, ¶1.N = sentences[N-1]."""
        clean = [" ".join(s.split()) for s in sentences]
        starts = [sum(len(c) + 1 for c in clean[:i]) for i in range(len(clean))]
        paragraph = Paragraph(
            1,
            " ".join(clean),
            tuple(Sentence("sentences", 1, n, c, st) for n, (c, st) in enumerate(zip(clean, starts), 1)),
        )
        return cls([Article("sentences", title or "Untitled", (paragraph,), "<sentences>")])

    @property
    def title(self) -> str:
        return self.articles[0].title

    def paragraph(self, number: int, article: str | None = None) -> Paragraph:
        """Paragraph `number` (1-based) of `article` (a slug; default the first article)."""
        chosen = self.article(article) if article else self.articles[0]
        if not 1 <= number <= len(chosen.paragraphs):
            raise LookupError(
                f"no paragraph {number}: {chosen.slug} has paragraphs 1-{len(chosen.paragraphs)}"
            )
        return chosen.paragraphs[number - 1]

    def article(self, slug: str) -> Article:
        for a in self.articles:
            if a.slug == slug:
                return a
        raise LookupError(f"no article {slug!r}")

    def ask(self, question: str, k: int = DEFAULT_K, previous: Reply | None = None) -> Reply:
        k = max(1, min(k, MAX_K))
        terms = [t.term for t in tokenize(question) if t.term]
        weights: dict[str, float] = {}
        for term in terms:
            weights[term] = weights.get(term, 0.0) + 1.0
        known = [t for t in weights if t in self.index]
        if not known:
            return Reply(question, True, reason="none of the question's words are in the article")
        hits = self.index.search(weights, k)
        answers = tuple(self._answer(h.doc, h.score, set(weights)) for h in hits)
        return Reply(question, False, answers, focus=tuple(weights.items()))

    def _answer(self, doc: int, score: float, terms: set[str]) -> Answer:
        s = self.sentences[doc]
        spans = tuple((t.start, t.end) for t in self._tokens[doc] if t.term in terms)
        return Answer(s.citation, s.text, round(score, 4), s.article, s.paragraph, s.sentence, spans)
