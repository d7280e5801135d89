"""The frozen records the core hands out: articles and their cited sentences, answers, replies."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article, with where it sits, for citing and highlighting."""

    article: str  # the article's slug
    paragraph: int  # 1-based, the title not counted
    sentence: int  # 1-based within its paragraph
    text: str  # exactly as in the article
    start: int  # character offset of `text` within its paragraph
    multi_article: bool = False  # the corpus has several articles: cite with the slug

    @property
    def citation(self) -> str:
        local = f"¶{self.paragraph}.{self.sentence}"
        return f"{self.article}{local}" if self.multi_article else local


@dataclass(frozen=True, slots=True)
class Paragraph:
    number: int  # 1-based
    text: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    source: str  # where it came from, for messages

    @property
    def dek(self) -> str:
        """The standfirst under the title: by news convention, the first paragraph."""
        return self.paragraphs[0].text if self.paragraphs else ""

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)


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


class ReplyKind(StrEnum):
    ANSWER = "answer"  # sentences that answer the question
    MORE = "more"  # further sentences on the conversation's topic ("What else?")
    OVERVIEW = "overview"  # the article's lead, for a question about the whole article
    ABSTAIN = "abstain"  # the article does not say; `reason` says why
    SMALL_TALK = "small talk"  # a greeting or thanks: nothing was looked up


@dataclass(frozen=True, slots=True)
class Reply:
    """The answer to one question; passed back as `previous`, it is the conversation so far."""

    question: str
    abstained: bool
    answers: tuple[Answer, ...] = ()
    reason: str = ""  # why the reply abstained, in words for a user
    # Weighted terms this turn was about; a follow-up question inherits them.
    focus: tuple[tuple[str, float], ...] = field(default=(), repr=False)
    kind: ReplyKind = ReplyKind.ANSWER
    # Citations of the sentences this conversation has shown, this reply's included, so
    # that "What else?" gives new ones.
    shown: tuple[str, ...] = field(default=(), repr=False)

    def remembered(self) -> Reply:
        """What a conversation needs of this reply to take the next question: its subject,
        the citations shown and where its first answer stands (a follow-up reads on from
        there); not the question nor the answers' text, which the article holds. A bot
        keeping thousands of conversations keeps a fraction of the memory."""
        first = tuple(replace(a, text="", highlights=()) for a in self.answers[:1])
        return Reply("", self.abstained, first, "", self.focus, self.kind, self.shown)
