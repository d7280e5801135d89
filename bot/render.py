"""Turn core results (Reply, Paragraph) into text, Markdown or JSON for every front end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from retrieval import Answer, Paragraph, Reply

NOT_SAID = "The article doesn't say."

Emphasis = Callable[[str], str]


def plain(text: str) -> str:
    return text


def ansi_bold(text: str) -> str:
    return f"\033[1m{text}\033[22m"


def markdown_bold(text: str) -> str:
    return f"**{text}**"


def emphasise(answer: Answer, emphasis: Emphasis = plain, escape: Emphasis = plain) -> str:
    """The answer's text with its matched words emphasised; `escape` applies to the rest."""
    parts: list[str] = []
    cursor = 0
    for start, end in _merge(answer.highlights):
        parts.append(escape(answer.text[cursor:start]))
        parts.append(emphasis(escape(answer.text[start:end])))
        cursor = end
    parts.append(escape(answer.text[cursor:]))
    return "".join(parts)


def _merge(spans: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Spans sorted with neighbours joined, so "Travis County" is one bold run, not two."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start - merged[-1][1] <= 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def reply_text(reply: Reply, emphasis: Emphasis = plain) -> str:
    """A reply for a terminal: one cited sentence a line, or the plain abstention."""
    if reply.abstained or not reply.answers:
        return NOT_SAID
    return "\n".join(f"{a.citation:>7}  {emphasise(a, emphasis)}" for a in reply.answers)


def paragraph_text(paragraph: Paragraph) -> str:
    """A paragraph with each sentence's citation in front of it."""
    return "\n".join(f"{s.citation:>7}  {s.text}" for s in paragraph.sentences)


def reply_json(reply: Reply) -> dict[str, Any]:
    """The CLI's JSON contract for one question."""
    return {
        "question": reply.question,
        "abstained": reply.abstained,
        "answers": [
            {
                "citation": a.citation,
                "text": a.text,
                "score": a.score,
                "article": a.article,
                "paragraph": a.paragraph,
                "sentence": a.sentence,
            }
            for a in reply.answers
        ],
    }
