"""Question answering over an indexed corpus: question -> Reply(abstained, answers)."""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import ranker_weights as weights
from . import ranking, vocabulary
from .analysis import Token, analyse, tokenize
from .articles import Article, Paragraph, Sentence, bundled_article_path, load_articles
from .cache import load_corpus
from .index import BM25Index
from .question import analyse_question

log = logging.getLogger(__name__)

DEFAULT_K = 3
MAX_K = 50
# Features are computed for this many of the best BM25 candidates; the rest cannot win.
MAX_CANDIDATES = 50
# Weight of an earlier turn's terms in a follow-up question, relative to its own words.
FOLLOW_UP_DECAY = 0.5
# Weight of an acronym's spelled-out form (or the reverse) relative to the word asked.
ACRONYM_SHARE = 0.5


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


@dataclass(frozen=True, slots=True)
class Candidate:
    doc: int  # position in QA.sentences
    bm25: float
    score: float  # the reranker's score: higher answers better
    features: list[float] = field(repr=False)


@dataclass(frozen=True, slots=True)
class Ranking:
    query: ranking.Query
    candidates: tuple[Candidate, ...]  # best first
    confidence: float  # estimated probability that the best candidate answers
    reason: str  # non-empty: abstain, and this is why


class QA:
    """Answers questions with the cited sentences of a corpus of articles."""

    def __init__(
        self, articles: Sequence[Article], tokens: Sequence[Sequence[Token]] | None = None
    ):
        """`tokens`, one list per sentence in corpus order, skips tokenising (a cache's)."""
        if not articles:
            raise ValueError("a QA needs at least one article")
        self.articles: tuple[Article, ...] = tuple(articles)
        self.sentences: tuple[Sentence, ...] = tuple(s for a in self.articles for s in a.sentences)
        if tokens is not None and len(tokens) != len(self.sentences):
            raise ValueError(f"{len(tokens)} token lists for {len(self.sentences)} sentences")
        self._tokens = (
            [list(ts) for ts in tokens]
            if tokens is not None
            else [tokenize(s.text) for s in self.sentences]
        )
        self.index = BM25Index([[t.term for t in ts if t.term] for ts in self._tokens])
        self._profiles: list[ranking.Profile] = []
        start = 0
        for article in self.articles:
            count = len(article.sentences)
            self._profiles += ranking.profile_article(
                [s.text for s in article.sentences],
                self._tokens[start : start + count],
                frozenset(analyse(article.title)),
            )
            start += count
        self._acronyms = vocabulary.learn_acronyms(self._tokens)
        # An unseen term is rarer than any seen one: give it the IDF of a term in no sentence.
        self._max_idf = math.log(1.0 + (self.index.size + 0.5) / 0.5)

    @classmethod
    def load(cls, path: str | Path | None = None, *, cache: bool = False) -> QA:
        """The bundled article, or the article file / folder of articles at `path`.

        With `cache`, the segmented and tokenised corpus is read from (or saved to) the
        user's cache directory, so a restart does not analyse it again.
        """
        source = bundled_article_path() if path is None else path
        if cache:
            analysed = load_corpus(source)
            return cls(analysed.articles, analysed.tokens)
        return cls(load_articles(source))

    @classmethod
    def from_sentences(cls, sentences: Sequence[str], title: str = "") -> QA:
        """A QA over sentences already split by the caller: one paragraph, ¶1.N = sentences[N-1]."""
        clean = [" ".join(s.split()) for s in sentences]
        starts = list(itertools.accumulate((len(c) + 1 for c in clean), initial=0))[: len(clean)]
        paragraph = Paragraph(
            1,
            " ".join(clean),
            tuple(
                Sentence("sentences", 1, n, text, start)
                for n, (text, start) in enumerate(zip(clean, starts, strict=True), 1)
            ),
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

    def rank(self, question: str, previous: Reply | None = None) -> Ranking:
        """Every candidate sentence for `question`, best first, with the abstention verdict."""
        query = self._query(question, previous)
        if not query.reach:
            return Ranking(query, (), 0.0, "none of the question's words are in the article")
        ids, scores = self.index.scores(query.weights)
        if len(ids) > MAX_CANDIDATES:
            keep = np.argpartition(-scores, MAX_CANDIDATES - 1)[:MAX_CANDIDATES]
            keep.sort()
            ids, scores = ids[keep], scores[keep]
        best = float(scores.max())
        candidates = []
        for doc, score in zip(ids.tolist(), scores.tolist(), strict=True):
            values = ranking.features(
                self._profiles[doc], score, best, self._context(doc, ids, scores), query
            )
            candidates.append(Candidate(doc, score, ranking.linear(values, weights.RANK), values))
        candidates.sort(key=lambda c: (-c.score, c.doc))
        trigger = ranking.trigger_features(
            [c.score for c in candidates[:2]],
            candidates[0].features,
            (c.features for c in candidates),
            query,
        )
        confidence = ranking.sigmoid(ranking.linear(trigger, weights.TRIGGER, weights.TRIGGER_BIAS))
        reason = "" if confidence >= weights.ABSTAIN_BELOW else "no sentence answers it well enough"
        return Ranking(query, tuple(candidates), confidence, reason)

    def ask(self, question: str, k: int = DEFAULT_K, previous: Reply | None = None) -> Reply:
        """The best `k` cited sentences for `question`, or an abstention saying why."""
        k = max(1, min(k, MAX_K))
        ranked = self.rank(question, previous)
        focus = tuple((t, w) for t, w in ranked.query.weights.items() if t in self.index)
        if ranked.reason:
            return Reply(question, True, reason=ranked.reason, focus=focus)
        terms = set(ranked.query.weights)
        answers = tuple(self._answer(c.doc, c.score, terms) for c in ranked.candidates[:k])
        return Reply(question, False, answers, focus=focus)

    def _query(self, question: str, previous: Reply | None) -> ranking.Query:
        info = analyse_question(question)
        own: dict[str, float] = {}
        for term in info.terms:
            own[term] = own.get(term, 0.0) + 1.0
        weights = dict(own)
        known_own = [t for t in own if t in self.index]
        elliptic = len(known_own) == 1 and len(own) <= 2  # "And Texas?", "What about 1373?"
        if previous is not None and (info.anaphoric or elliptic):
            # A follow-up leans on the earlier turn's subject: "Who is its sheriff?" A question
            # none of whose words the article knows stays itself, and is declined.
            for term, weight in previous.focus:
                if term not in weights:
                    weights[term] = weight * FOLLOW_UP_DECAY
        weights = vocabulary.expand(weights, self._acronyms, ACRONYM_SHARE)
        idf = {t: self.index.idf.get(t, self._max_idf) for t in weights}
        reach = sum(w * idf[t] for t, w in weights.items() if t in self.index)
        # In a follow-up the inherited subject counts too: "What party does he belong to?"
        asked = sum(weights.values())
        missing = (
            sum(w for t, w in weights.items() if t not in self.index) / asked if asked else 0.0
        )
        terms = info.terms
        bigrams = frozenset(itertools.pairwise(terms))
        return ranking.Query(info, weights, idf, reach, missing, bigrams)

    def _context(self, doc: int, ids: np.ndarray, scores: np.ndarray) -> float:
        """The best score among the sentence's neighbours in its paragraph."""
        here = self.sentences[doc]
        best = 0.0
        for other in (doc - 1, doc + 1):
            if not 0 <= other < len(self.sentences):
                continue
            there = self.sentences[other]
            if (there.article, there.paragraph) != (here.article, here.paragraph):
                continue
            at = int(np.searchsorted(ids, other))
            if at < len(ids) and ids[at] == other:
                best = max(best, float(scores[at]))
        return best

    def _answer(self, doc: int, score: float, terms: set[str]) -> Answer:
        s = self.sentences[doc]
        spans = tuple((t.start, t.end) for t in self._tokens[doc] if t.term in terms)
        return Answer(
            s.citation, s.text, round(score, 4), s.article, s.paragraph, s.sentence, spans
        )
