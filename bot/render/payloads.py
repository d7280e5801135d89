"""The CLI's JSON contract (README, "JSON output"): what `--json` prints, one line each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from retrieval import Paragraph, Reply

from .markup import json_line


def reply_json(
    reply: Reply, sources: Mapping[str, tuple[str, str]] | None = None, asked: str | None = None
) -> dict[str, Any]:
    """One question's object: the one with a "question" key. `sources` (QA.sources): each
    answer from a corpus of several articles also carries its article's title and path.
    `asked`: the question as the user gave it (the reply's is cleaned of control
    characters), echoed whole; json_line escapes what must be."""
    sources = sources or {}
    return {
        "question": reply.question if asked is None else asked,
        "abstained": reply.abstained,
        "kind": str(reply.kind),
        "reason": reply.reason,
        "answers": [
            {
                "citation": a.citation,
                "text": a.text,
                "score": a.score,
                "article": a.article,
                "paragraph": a.paragraph,
                "sentence": a.sentence,
                **(
                    {"title": sources[a.article][0], "path": sources[a.article][1]}
                    if a.article in sources
                    else {}
                ),
            }
            for a in reply.answers
        ],
    }


def paragraph_json(paragraph: Paragraph) -> dict[str, Any]:
    """`/source N` in `chat --json`."""
    return {
        "article": paragraph.sentences[0].article,
        "paragraph": paragraph.number,
        "text": paragraph.text,
        "sentences": [{"citation": s.citation, "text": s.text} for s in paragraph.sentences],
    }


def reply_line(
    reply: Reply, sources: Mapping[str, tuple[str, str]] | None = None, asked: str | None = None
) -> str:
    return json_line(reply_json(reply, sources, asked))


def paragraph_line(paragraph: Paragraph) -> str:
    return json_line(paragraph_json(paragraph))


def message_line(message: str) -> str:
    """Every other command's object, and a usage hint's."""
    return json_line({"message": message})
