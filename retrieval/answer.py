"""Question answering over an indexed corpus: question -> Reply(abstained, answers)."""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import ranker_weights as weights
from . import ranking, vocabulary
from .analysis import Token, analyse, tokenize
from .articles import Article, Paragraph, Sentence, bundled_article_path, load_articles
from .cache import load_corpus
from .index import BM25Index
from .question import AnswerType, analyse_question

log = logging.getLogger(__name__)

DEFAULT_K = 3
MAX_K = 50
# The reranker looks at this many of the best BM25 candidates (more when more answers are
# asked for): on WikiQA and the bundled article, sentences below 15th never won anyway.
RERANKED = 15
# Weight of an earlier turn's terms in a follow-up question, relative to its own words.
FOLLOW_UP_DECAY = 0.5
# Stems of words by which a question refers to the text itself.
# (Literal stems, so importing needs no nltk; a test checks them against the analysis.)
DOCUMENT_WORDS = frozenset(
    {"articl", "stori", "text", "piec", "report", "author", "writer", "mention"}
)
REPORTING = frozenset({"say", "tell"})
# How people ask, not what they ask about: "I'd really like to know, please, ..."
REQUEST_WORDS = frozenset(
    {"pleas", "realli", "know", "want", "wonder", "curious", "explain", "describ", "like"}
)
# Dropped from a question only when absent from the corpus: there they can only be framing.
FRAMING_WORDS = DOCUMENT_WORDS | REQUEST_WORDS
# Kinds of answer recognised reliably enough that none among the candidates means no answer:
# "How tall is it?" cannot be answered by sentences without a measurement.
STRICT_TYPES = frozenset({AnswerType.DATE, AnswerType.MONEY, AnswerType.MEASURE})
# Weight of another form of a word asked (an acronym's long form, a synonym) relative to it.
ALTERNATIVE_SHARE = 0.5


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


class Candidate(NamedTuple):
    """A sentence the reranker scored (a tuple: thousands are made per second)."""

    doc: int  # position in QA.sentences
    bm25: float
    score: float  # the reranker's score: higher answers better
    features: list[float]


@dataclass(frozen=True, slots=True)
class Ranking:
    query: ranking.Query
    candidates: tuple[Candidate, ...]  # best first
    confidence: float  # estimated probability that the best candidate answers
    reason: str  # non-empty: abstain, and this is why


def _best_first(candidate: Candidate) -> tuple[float, int]:
    return -candidate.score, candidate.doc


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
        if tokens is None:
            tokens = [tokenize(s.text) for s in self.sentences]
        # Each sentence's indexed words with their spans: all an answer needs to highlight.
        self._spans = [tuple((t.term, t.start, t.end) for t in ts if t.term) for ts in tokens]
        self.index = BM25Index([[term for term, _, _ in spans] for spans in self._spans])
        self._profiles: list[ranking.Profile] = []
        start = 0
        for article in self.articles:
            count = len(article.sentences)
            self._profiles += ranking.profile_article(
                [s.text for s in article.sentences],
                tokens[start : start + count],
                frozenset(analyse(article.title)),
            )
            start += count
        self._acronyms = vocabulary.learn_acronyms(tokens)
        self._acronym_starts = vocabulary.acronym_starts(self._acronyms)
        # Whether each sentence continues the paragraph of the one before it.
        self._continues = [
            i > 0
            and (s.article, s.paragraph)
            == (self.sentences[i - 1].article, self.sentences[i - 1].paragraph)
            for i, s in enumerate(self.sentences)
        ]
        # An unseen term is rarer than any seen one: give it the IDF of a term in no sentence.
        self._max_idf = math.log(1.0 + (self.index.size + 0.5) / 0.5)
        self._vocabulary = sorted(self.index.idf)  # for variants of a word by prefix

    @classmethod
    def load(
        cls, path: str | Path | None = None, *, cache_dir: str | Path | None = None
    ) -> QA:
        """The bundled article, or the article file / folder of articles at `path`.

        With `cache_dir`, the segmented and tokenised corpus is read from (or saved to) that
        directory, so a restart does not analyse it again; None: no cache.
        """
        source = bundled_article_path() if path is None else path
        if cache_dir is not None:
            analysed = load_corpus(source, cache_dir)
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
        """The article of `slug`, in any case (slugs are lower case)."""
        wanted = slug.casefold()
        for a in self.articles:
            if a.slug == wanted:
                return a
        known = ", ".join(a.slug for a in self.articles[:5])
        more = f" and {len(self.articles) - 5} more" if len(self.articles) > 5 else ""
        raise LookupError(f"no article {slug!r} (loaded: {known}{more})")

    def rank(self, question: str, previous: Reply | None = None, depth: int = 0) -> Ranking:
        """The best candidate sentences for `question` (at least `depth` of them, when that
        many share a word with it), best first, with the abstention verdict."""
        query = self._query(question, previous)
        if not query.reach:
            return Ranking(query, (), 0.0, "none of the question's words are in the article")
        hits = self.index.search(query.weights, max(depth, RERANKED))
        scored = dict(hits)
        best = hits[0].score
        candidates = []
        profiles, rank_weights = self._profiles, weights.RANK
        for doc, score in hits:
            values = ranking.features(profiles[doc], score, best, self._context(doc, scored), query)
            candidates.append(Candidate(doc, score, ranking.linear(values, rank_weights), values))
        candidates.sort(key=_best_first)
        trigger = ranking.trigger_features(
            [c.score for c in candidates[:2]],
            candidates[0].features,
            (c.features for c in candidates),
            query,
        )
        confidence = ranking.sigmoid(ranking.linear(trigger, weights.TRIGGER, weights.TRIGGER_BIAS))
        if query.info.answer_type in STRICT_TYPES and trigger[ranking.TYPE_NOWHERE] == 1.0:
            reason = f"no sentence that matches has the {query.info.answer_type.value} asked for"
        elif confidence < weights.ABSTAIN_BELOW:
            reason = "no sentence answers it well enough"
        else:
            reason = ""
        return Ranking(query, tuple(candidates), confidence, reason)

    def ask(self, question: str, k: int = DEFAULT_K, previous: Reply | None = None) -> Reply:
        """The best `k` cited sentences for `question`, or an abstention saying why."""
        k = max(1, min(k, MAX_K))
        ranked = self.rank(question, previous, depth=k)
        focus = tuple((t, w) for t, w in ranked.query.weights.items() if t in self.index.idf)
        if ranked.reason:
            return Reply(question, True, reason=ranked.reason, focus=focus)
        terms = set(ranked.query.weights)
        answers = tuple(self._answer(c.doc, c.score, terms) for c in ranked.candidates[:k])
        return Reply(question, False, answers, focus=focus)

    def _query(self, question: str, previous: Reply | None) -> ranking.Query:
        info = analyse_question(question)
        own: dict[str, float] = {}
        for term in info.terms:
            # "What does the article say about X?": the article itself is not what is asked,
            # nor is the saying.
            if term in REPORTING or (term in FRAMING_WORDS and term not in self.index.idf):
                continue
            own[term] = own.get(term, 0.0) + 1.0
        weights = dict(own)
        known_own = [t for t in own if t in self.index.idf]
        elliptic = len(known_own) == 1 and len(own) <= 2  # "And Texas?", "What about 1373?"
        if previous is not None and (info.anaphoric or elliptic):
            # A follow-up leans on the earlier turn's subject: "Who is its sheriff?" A question
            # none of whose words the article knows stays itself, and is declined.
            for term, weight in previous.focus:
                if term not in weights:
                    weights[term] = weight * FOLLOW_UP_DECAY
        weights, bridged = vocabulary.expand(
            weights,
            self._acronyms,
            vocabulary.synonym_table(),
            self.index.idf.__contains__,  # the vocabulary, looked up in C
            ALTERNATIVE_SHARE,
            self._vocabulary,
            self._acronym_starts,
        )
        idf = {t: self.index.idf.get(t, self._max_idf) for t in weights}
        return ranking.query(info, weights, idf, self.index.idf.__contains__, bridged)

    def _context(self, doc: int, scored: dict[int, float]) -> float:
        """The best score among the sentence's neighbours in its paragraph."""
        before = scored.get(doc - 1, 0.0) if self._continues[doc] else 0.0
        after = (
            scored.get(doc + 1, 0.0)
            if doc + 1 < len(self._continues) and self._continues[doc + 1]
            else 0.0
        )
        return max(before, after)

    def _answer(self, doc: int, score: float, terms: set[str]) -> Answer:
        s = self.sentences[doc]
        spans = tuple((start, end) for term, start, end in self._spans[doc] if term in terms)
        return Answer(
            s.citation, s.text, round(score, 4), s.article, s.paragraph, s.sentence, spans
        )
