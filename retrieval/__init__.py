"""article-qa's pure core: load articles, analyse text, index sentences, answer questions."""

from .answer import DEFAULT_K, QA
from .articles import CorpusError
from .corpus import Corpus
from .records import Answer, Article, Paragraph, Reply, ReplyKind, Sentence

__all__ = [
    "DEFAULT_K",
    "QA",
    "Answer",
    "Article",
    "Corpus",
    "CorpusError",
    "Paragraph",
    "Reply",
    "ReplyKind",
    "Sentence",
]
