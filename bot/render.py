"""Turn core results (Reply, Paragraph) into text, Markdown or JSON for every front end."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from retrieval import Answer, Paragraph, Reply
from retrieval.evaluation import Judgement

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
    return emphasise_text(answer.text, answer.highlights, emphasis, escape)


def emphasise_text(
    text: str,
    spans: tuple[tuple[int, int], ...],
    emphasis: Emphasis = plain,
    escape: Emphasis = plain,
) -> str:
    """`text` with the character `spans` emphasised (spans past its end are clipped)."""
    parts: list[str] = []
    cursor = 0
    for start, end in _merge(spans):
        start, end = min(start, len(text)), min(end, len(text))
        if start >= end:
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(emphasis(escape(text[start:end])))
        cursor = end
    parts.append(escape(text[cursor:]))
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


def judgement_line(judgement: Judgement) -> str:
    """One scored item for `eval -v`: verdict, id, question, and what was answered."""
    reply = judgement.reply
    if reply.abstained or not reply.answers:
        said = "[abstained]"
    else:
        top = reply.answers[0]
        said = f"{top.citation} {top.text[:80]}"
    rank = f"@{judgement.rank}" if judgement.rank else ""
    verdict = "OK " if judgement.correct else "BAD"
    question = judgement.question
    return f"{verdict} {question.id:8} {question.question[:58]:58} {rank:3} -> {said}"


# --- Discord: Markdown that shows text literally, cut to fit Discord's limits ---------------

ELLIPSIS = "\u2026"
CONTENT_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
CHOICE_NAME_LIMIT = 100

# Characters that start Markdown, a mention, a masked link or a spoiler anywhere in a line.
_MARKDOWN_CHARS = re.compile(r"([\\*_~`|\[\]<>@])")
# Characters that start a heading, a list or subtext only at the start of a line.
_LINE_START = re.compile(r"^([ \t]*)([#+-])", re.MULTILINE)
_NUMBERED_ITEM = re.compile(r"^([ \t]*[0-9]+)\.(?=[ \t])", re.MULTILINE)
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_LINE_BREAKS = dict.fromkeys(map(ord, "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"), " ")
# A cut may back up to a space this far before the limit rather than split a word.
_WORD_SLACK = 0.3


def sentence_case(text: str) -> str:
    """The text with its first letter capitalised and the rest untouched (names keep case)."""
    return text[:1].upper() + text[1:]


def markdown_escape(text: str) -> str:
    """`text` as Discord Markdown that shows it literally: no formatting, no mentions.

    Every escape is a backslash before the character, so markdown_unescape() restores the
    text exactly.
    """
    text = _MARKDOWN_CHARS.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    return _NUMBERED_ITEM.sub(r"\1\\.", text)


def markdown_unescape(text: str) -> str:
    """The text markdown_escape() was given."""
    return _ESCAPED.sub(r"\1", text)


def one_line(text: str) -> str:
    """Whitespace runs, line breaks included, as single spaces."""
    return " ".join(text.split())


def _cut(text: str, size: int) -> str:
    """The first `size` characters or fewer, ending at a word boundary where one is near."""
    if size >= len(text):
        return text
    head = text[:size]
    if not text[size].isspace():
        space = head.rfind(" ")
        if space >= size * (1 - _WORD_SLACK):
            head = head[:space]
    return head.rstrip(" \t\n,;:")


def fit(text: str, limit: int, markup: Emphasis = plain) -> str:
    """markup(text) if it fits in `limit` characters, else markup() of a clean cut of `text`
    followed by an ellipsis.

    The cut is made in the raw text, never in the markup, so no escape or bold marker is
    ever split in half.
    """
    out = markup(text)
    if len(out) <= limit:
        return out
    size = len(text)
    while size > 0:
        # Markup makes text at most about three times longer: shrinking the raw text by a
        # third of the overflow rarely overshoots, and always makes progress.
        size -= max(1, (len(out) + len(ELLIPSIS) - limit + 2) // 3)
        out = markup(_cut(text, max(size, 0))) + ELLIPSIS
        if len(out) <= limit:
            return out
    return ELLIPSIS if limit >= len(ELLIPSIS) else ""


def answer_markdown(answer: Answer, limit: int) -> str:
    """An answer's sentence as Discord Markdown, matched words bold, within `limit`."""

    def markup(text: str) -> str:
        return emphasise_text(text, answer.highlights, markdown_bold, markdown_escape)

    # Line breaks become spaces one for one, so the highlight offsets still hold.
    return fit(answer.text.translate(_LINE_BREAKS), limit, markup)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" for line in text.splitlines() or [""])


def answers_markdown(answers: Sequence[Answer], limit: int = EMBED_DESCRIPTION_LIMIT) -> str:
    """Each answer quoted, then its citation; every answer gets an equal share of `limit`."""
    if not answers:
        return ""
    separator = "\n\n"
    share = (limit - len(separator) * (len(answers) - 1)) // len(answers)
    blocks = []
    for answer in answers:
        citation = f"\n\u2014 `{answer.citation}`"
        blocks.append(_quote(answer_markdown(answer, share - len(citation) - 2)) + citation)
    return separator.join(blocks)


def _sentence_line(citation: str, text: str, limit: int, bold: bool) -> str:
    head = f"`{citation}` "

    def markup(raw: str) -> str:
        escaped = markdown_escape(raw)
        return markdown_bold(escaped) if bold else escaped

    return head + fit(one_line(text), max(limit - len(head), 0), markup)


def paragraph_markdown(
    paragraph: Paragraph,
    limit: int = EMBED_DESCRIPTION_LIMIT,
    focus: int | None = None,
    line_limit: int = 1000,
) -> str:
    """A paragraph a sentence a line, each with its citation; sentence `focus` in bold.

    A paragraph too long for `limit` shows the sentences around the focus (or its start),
    with an ellipsis line where sentences were left out.
    """
    room = limit - 2 * (len(ELLIPSIS) + 1)  # an ellipsis line may stand at either end
    lines = [
        _sentence_line(s.citation, s.text, min(line_limit, room), s.sentence == focus)
        for s in paragraph.sentences
    ]
    if not lines:
        return fit(one_line(paragraph.text), limit, markdown_escape)
    if len("\n".join(lines)) <= limit:
        return "\n".join(lines)
    start = next((i for i, s in enumerate(paragraph.sentences) if s.sentence == focus), 0)
    first = last = start
    used = len(lines[start])
    while True:
        grown = False
        if last + 1 < len(lines) and used + 1 + len(lines[last + 1]) <= room:
            last += 1
            used += 1 + len(lines[last])
            grown = True
        if first > 0 and used + 1 + len(lines[first - 1]) <= room:
            first -= 1
            used += 1 + len(lines[first])
            grown = True
        if not grown:
            break
    shown = lines[first : last + 1]
    if first > 0:
        shown.insert(0, ELLIPSIS)
    if last + 1 < len(lines):
        shown.append(ELLIPSIS)
    return "\n".join(shown)


def not_said_markdown(reason: str, examples: Sequence[str]) -> str:
    """The abstention for Discord: a plain "doesn't say", why, and questions that work."""
    parts = [f"**{NOT_SAID}**"]
    if reason:
        parts.append(fit(sentence_case(reason), 300, markdown_escape) + ".")
    if examples:
        parts.append("Questions it can answer:")
        parts.extend(f"\u2022 {fit(example, 300, markdown_escape)}" for example in examples)
    return "\n".join(parts)
