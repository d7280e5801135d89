"""article-qa's pure core: load articles, analyse text, index sentences, answer questions.

The names below are imported when first used, not with the package: a process that only
walks a folder (`retrieval.text.scan`) does not pay for numpy and the answering code."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ranking.answer import DEFAULT_K, QA
    from .ranking.corpus import Corpus
    from .records import Answer, Article, Paragraph, Reply, ReplyKind, Sentence
    from .text.articles import CorpusError

_HOMES = {
    "DEFAULT_K": ".ranking.answer",
    "QA": ".ranking.answer",
    "CorpusError": ".text.articles",
    "Corpus": ".ranking.corpus",
    **dict.fromkeys(
        ("Answer", "Article", "Paragraph", "Reply", "ReplyKind", "Sentence"), ".records"
    ),
}

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


if not TYPE_CHECKING:  # type checkers see the imports above, and flag unknown names

    def __getattr__(name: str) -> Any:
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home, __name__), name)
        globals()[name] = value  # once found, an ordinary attribute
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
