"""QA: a corpus, a retriever and a model; a question (and the conversation so far) in, a
Reply of cited sentences, or an abstention saying why, out."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from pathlib import Path

from ..records import Answer, Article, Paragraph, Reply, ReplyKind, Sentence
from ..text.clean import clean_question
from . import query as queries
from .corpus import Corpus
from .encoder import Encoder
from .expansion import Vocabulary
from .index import Retriever, RetrieverKind
from .okapi import make_retriever
from .query import Intent
from .readable import IndexedCorpus
from .rerank import RERANKED, Candidate, Model, Ranking, rerank
from .semantic import (
    SEMANTIC_CANDIDATES,
    Meaning,
    SentenceVectors,
    kept_vectors,
    semantic_text,
)

DEFAULT_K = 3
MAX_K = 50
MAX_SHOWN = 200  # citations a conversation remembers having shown
NOTHING_MORE = "the article says nothing more about that"
# A sentence offered as "more" on a topic scores at least this share of the topic's best
# BM25: below it, sentences share a word with the topic but are about something else.
MORE_FLOOR = 0.35


class QA:
    """Answers questions with the cited sentences of a corpus of articles."""

    def __init__(
        self,
        corpus: Corpus | IndexedCorpus,
        retriever: Retriever | None = None,
        model: Model | None = None,
        *,
        retriever_kind: RetrieverKind = "auto",
        encoder: Encoder | None = None,
        vectors: SentenceVectors | None = None,
    ):
        self.corpus = corpus
        # With an encoder, meaning joins the evidence: the hybrid model weighs it.
        if encoder is not None and vectors is None:
            # An index on disk keeps no vectors: its candidates are encoded as asked.
            whole = isinstance(corpus, Corpus)
            vectors = SentenceVectors.of(encoder, corpus.sentences, all_at_once=whole)
        self.vectors = vectors
        self.model = model or Model.shipped(hybrid=vectors is not None)
        if not isinstance(corpus, Corpus):
            # An archive brings its memory-mapped index and the vocabulary over it; a
            # cluster's retriever (retrieval.cluster) ranks over that same vocabulary.
            self.retriever: Retriever = retriever or corpus.retriever
            self.vocabulary = corpus.vocabulary
            return
        self.retriever = retriever or make_retriever(corpus.terms, retriever_kind)
        self.vocabulary = Vocabulary.of(
            self.retriever.idf, self.retriever.size, corpus.acronyms, corpus.names
        )

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        *,
        cache_dir: str | Path | None = None,
        retriever: RetrieverKind = "auto",
        encoder: Encoder | None = None,
        strict: bool = False,
    ) -> QA:
        """The bundled article, or the article file / folder of articles at `path`; with
        `cache_dir`, the analysed corpus (and with `encoder`, its sentence vectors) is kept
        there for the next start."""
        corpus = Corpus.load(path, cache_dir=cache_dir, strict=strict)
        vectors = None
        if encoder is not None:
            vectors = kept_vectors(encoder, corpus.sentences, cache_dir)
        return cls(corpus, retriever_kind=retriever, encoder=encoder, vectors=vectors)

    @classmethod
    def from_sentences(cls, sentences: Sequence[str], title: str = "") -> QA:
        """A QA over sentences already split by the caller: one paragraph, ¶1.N = sentences[N-1]."""
        return cls(Corpus.from_sentences(sentences, title))

    @property
    def articles(self) -> Sequence[Article]:
        return self.corpus.articles

    @property
    def sentences(self) -> Sequence[Sentence]:
        return self.corpus.sentences

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

    def sources(self, answers: Sequence[Answer]) -> dict[str, tuple[str, str]]:
        """The title and file of each article `answers` cite, in order of first citation,
        when the corpus has several articles (one article's citations name none)."""
        if len(self.articles) < 2:
            return {}
        found: dict[str, tuple[str, str]] = {}
        for a in answers:
            if a.article not in found:
                heading = self.corpus.heading(a.article)
                if heading is not None:
                    found[a.article] = heading
        return found

    def article(self, slug: str) -> Article:
        """The article of `slug`, in any case (slugs are lower case)."""
        found = self.corpus.article_named(slug.casefold())
        if found is not None:
            return found
        known = ", ".join(a.slug for a in self.articles[:5])
        more = f" and {len(self.articles) - 5} more" if len(self.articles) > 5 else ""
        raise LookupError(f"no article {slug!r} (loaded: {known}{more})")

    def rank(self, question: str, previous: Reply | None = None, depth: int = 0) -> Ranking:
        """The best candidate sentences for `question` (at least `depth` of them, when that
        many share a word with it), best first, with the abstention verdict."""
        query = queries.build(question, self.vocabulary, previous)
        return self._rank(query, depth, _meant(question, query, previous))

    def ask(self, question: str, k: int = DEFAULT_K, previous: Reply | None = None) -> Reply:
        """The best `k` (at most MAX_K) cited sentences for `question`, or an abstention saying
        why; `previous`, the reply before it in the same conversation."""
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        k = min(k, MAX_K)  # more than the corpus has is fine: fewer come back
        question = clean_question(question)
        query = queries.build(question, self.vocabulary, previous)
        intent = query.info.intent
        shown = previous.shown if previous is not None else ()
        # A turn that brings no subject of its own ("thanks", a typo) leaves the
        # conversation's subject as it was.
        kept = previous.focus if previous is not None else ()
        if intent is Intent.SMALL_TALK:
            return Reply(question, True, (), "", kept, ReplyKind.SMALL_TALK, shown)
        leading = previous is not None and previous.kind is ReplyKind.OVERVIEW
        if intent is Intent.OVERVIEW or (intent is Intent.MORE and (leading or not query.reach)):
            again = intent is Intent.MORE and leading
            return self._overview(question, k, previous, shown, again=again)
        depth = k + len(shown) if intent is Intent.MORE else k
        ranked = self._rank(query, depth, _meant(question, query, previous))
        focus = query.focus(self.vocabulary.idf) or kept
        if intent is Intent.MORE and previous is not None:
            # Asking for more is reading on: the rest of the last answer's paragraph first
            # (a quote's next sentence need not repeat the speaker's name), then the
            # subject's best sentences not shown yet.
            following = self._reading_on(previous, shown)
            seen = {*shown, *(a.citation for a in following)}
            fresh = self._answers(more_of(ranked.candidates, seen, self.sentences), query)
            answers = (*following, *fresh)[:k]
            if not answers:
                return Reply(question, True, (), NOTHING_MORE, focus, ReplyKind.ABSTAIN, shown)
            return self._reply(question, answers, ReplyKind.MORE, focus, shown)
        if ranked.reason:
            reason = ranked.reason if query.info.terms else "the question has no words to look up"
            return Reply(question, True, (), reason, focus, ReplyKind.ABSTAIN, shown)
        answers = self._answers(ranked.candidates[:k], query)
        return self._reply(question, answers, ReplyKind.ANSWER, focus, shown)

    def closest(self, question: str, n: int, previous: Reply | None = None) -> tuple[Answer, ...]:
        """The `n` sentences nearest `question` whether or not they answer it: what an
        abstention can offer, labelled as no answer; () when none shares a word with it."""
        question = clean_question(question)
        query = queries.build(question, self.vocabulary, previous)
        ranked = self._rank(query, n, _meant(question, query, previous))
        return self._answers(ranked.candidates[:n], query)

    def lead(
        self, k: int, article: str | None = None, skip: Sequence[str] = ()
    ) -> tuple[Answer, ...]:
        """The first `k` sentences of an article (default the first) not in `skip`
        (citations): what a news article says it is about, in its own opening words."""
        chosen = self.article(article) if article else self.articles[0]
        unseen = (s for s in chosen.sentences if s.citation not in skip)
        return tuple(_unscored(s) for s in itertools.islice(unseen, k))

    def _overview(
        self, question: str, k: int, previous: Reply | None, shown: tuple[str, ...], again: bool
    ) -> Reply:
        # The article the conversation is about, and past what it has read of its lead.
        article = previous.answers[0].article if previous and previous.answers else None
        answers = self.lead(k, article, shown if again else ())
        if not answers:
            return Reply(question, True, (), NOTHING_MORE, (), ReplyKind.ABSTAIN, shown)
        kind = ReplyKind.MORE if again else ReplyKind.OVERVIEW
        return self._reply(question, answers, kind, (), shown)

    def _reading_on(self, previous: Reply, shown: tuple[str, ...]) -> tuple[Answer, ...]:
        """The sentences after the last reply's first answer in its paragraph, not shown; at
        a paragraph's end, the next paragraph's first (a quote goes on: "..., he said")."""
        if not previous.answers:
            return ()
        top = previous.answers[0]
        article = self.article(top.article)
        following = list(article.paragraphs[top.paragraph - 1].sentences[top.sentence :])
        if not following and top.paragraph < len(article.paragraphs):
            following = list(article.paragraphs[top.paragraph].sentences[:1])
        return tuple(_unscored(s) for s in following if s.citation not in shown)

    def _rank(self, query: queries.Query, depth: int, meant: str) -> Ranking:
        hits: list[tuple[int, float]] = (
            list(self.retriever.search(query.weights, max(depth, RERANKED))) if query.reach else []
        )
        meaning = None
        # Meaning widens what words found: a question none of whose words the article has
        # is declined as such.
        if self.vectors is not None and hits:
            question = self.vectors.encoder.encode([meant])[0]
            found = {doc for doc, _ in hits}
            # Sentences near the question in meaning that share no word BM25 counts.
            for doc, _ in self.vectors.nearest(question, SEMANTIC_CANDIDATES):
                if doc not in found:
                    hits.append((doc, 0.0))
            meaning = Meaning.of(self.vectors, question, [doc for doc, _ in hits])
        return rerank(
            query, hits, self.corpus.profiles, self.corpus.neighbours_best, self.model, meaning
        )

    def _answers(self, candidates: Sequence[Candidate], query: queries.Query) -> tuple[Answer, ...]:
        terms = set(query.weights)
        return tuple(self._answer(c.doc, c.score, terms) for c in candidates)

    def _reply(
        self,
        question: str,
        answers: tuple[Answer, ...],
        kind: ReplyKind,
        focus: tuple[tuple[str, float], ...],
        shown: tuple[str, ...],
    ) -> Reply:
        seen = (*shown, *(a.citation for a in answers if a.citation not in shown))
        return Reply(question, False, answers, "", focus, kind, seen[-MAX_SHOWN:])

    def _answer(self, doc: int, score: float, terms: set[str]) -> Answer:
        s = self.sentences[doc]
        spans = tuple((start, end) for term, start, end in self.corpus.spans[doc] if term in terms)
        return Answer(
            s.citation, s.text, round(score, 4), s.article, s.paragraph, s.sentence, spans
        )


def _meant(question: str, query: queries.Query, previous: Reply | None) -> str:
    """What the encoder reads for `question`: a follow-up with the question it follows."""
    leaned_on = previous.question if query.follows and previous is not None else None
    return semantic_text(question, leaned_on)


def _unscored(s: Sentence) -> Answer:
    """A sentence given for where it stands (the lead, reading on), not for a match."""
    return Answer(s.citation, s.text, 0.0, s.article, s.paragraph, s.sentence)


def more_of(
    candidates: Sequence[Candidate], shown: set[str], sentences: Sequence[Sentence]
) -> list[Candidate]:
    """The candidates not shown yet that are still about the topic: a BM25 score of at least
    MORE_FLOOR of the topic's best, so that "What else?" ends instead of drifting off."""
    if not candidates:
        return []
    floor = MORE_FLOOR * max(c.bm25 for c in candidates)
    return [c for c in candidates if sentences[c.doc].citation not in shown and c.bm25 >= floor]


def first_results(reply: Reply, k: int, previous: Reply | None) -> Reply:
    """`reply` cut to its first `k` answers, as if asked for `k`: a front end asks once for
    a page and the pages after it, and the conversation remembers showing only the first."""
    if len(reply.answers) <= k:
        return reply
    shown = previous.shown if previous is not None else ()
    answers = reply.answers[:k]
    seen = (*shown, *(a.citation for a in answers if a.citation not in shown))
    return dataclasses.replace(reply, answers=answers, shown=seen[-MAX_SHOWN:])


def sentence_at(qa: QA, article: str, paragraph: int, sentence: int) -> Answer:
    """The sentence at a place of the corpus, given for where it stands; LookupError if the
    article has no such place (it has changed since the place was taken)."""
    found = qa.paragraph(paragraph, article)
    if not 1 <= sentence <= len(found.sentences):
        raise LookupError(f"no sentence {sentence} in paragraph {paragraph} of {article}")
    return _unscored(found.sentences[sentence - 1])
