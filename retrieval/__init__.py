"""article-qa's pure core: load articles, analyse text, index sentences, answer questions."""

from .answer import DEFAULT_K, QA, Answer, Reply
from .articles import Article, CorpusError, Paragraph, Sentence

__all__ = ["DEFAULT_K", "QA", "Answer", "Article", "CorpusError", "Paragraph", "Reply", "Sentence"]
