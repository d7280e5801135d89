"""Replies in Discord's Markdown: answers quoted with the matched words in bold, paragraphs
with their citations, abstentions and greetings, each cut to fit where it goes. The
sentences in them are render's; Discord's embeds module only places these pieces."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePath

from retrieval import Answer, Paragraph, Reply, ReplyKind
from retrieval.ranking.answer import NOTHING_MORE

from . import words as render
from .markup import (
    ELLIPSIS,
    EMBED_DESCRIPTION_LIMIT,
    LINE_BREAKS,
    emphasise_text,
    fit,
    markdown_bold,
    markdown_escape,
    one_line,
    sentence_case,
)

SOURCE_TITLE_LIMIT = 200  # a title cut to this in a list of cited articles


def bullets(lines: Sequence[str], limit: int) -> str:
    """As many bullet lines as fit in `limit`, each cut to fit on its own."""
    out: list[str] = []
    used = 0
    for line in lines:
        bullet = f"\u2022 {fit(line, 300, markdown_escape)}"
        if used + len(bullet) + 1 > limit:
            break
        out.append(bullet)
        used += len(bullet) + 1
    return "\n".join(out)


def answer_markdown(answer: Answer, limit: int) -> str:
    """An answer's sentence as Discord Markdown, matched words bold, within `limit`."""

    def markup(text: str) -> str:
        return emphasise_text(text, answer.highlights, markdown_bold, markdown_escape)

    # Line breaks become spaces one for one, so the highlight offsets still hold.
    return fit(answer.text.translate(LINE_BREAKS), limit, markup)


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


def sources_markdown(sources: Mapping[str, tuple[str, str]], limit: int) -> str:
    """Each cited article's citation prefix, title and file name (not the folders above
    it: where the bot's files live is its operator's business), a line each: as many whole
    lines as fit in `limit` with room to say how many more there are; the first always,
    cut to fit (Discord refuses an empty field)."""
    lines = []
    for slug, (title, path) in sources.items():
        name = markdown_escape(one_line(PurePath(path).name))
        shown = fit(one_line(title), SOURCE_TITLE_LIMIT, markdown_escape)
        lines.append(f"`{slug}` {shown} \u00b7 *{name}*")
    kept: list[str] = []
    for i, line in enumerate(lines):
        rest = len(lines) - i - 1
        more = f"\n{ELLIPSIS} and {rest} more" if rest else ""
        if kept and len("\n".join([*kept, line])) + len(more) > limit:
            left = len(lines) - len(kept)
            return "\n".join([*kept, f"{ELLIPSIS} and {left} more"])
        kept.append(line)
    if len(kept) == 1:
        return fit(kept[0], limit)
    return "\n".join(kept)


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


def greeting_markdown(examples: Sequence[str], said: str = "") -> str:
    """The answer to "hello": how to ask, and questions that work."""
    parts = [render.small_talk(said)]
    if examples:
        parts.append(render.TRY_THESE)
        parts.extend(f"\u2022 {fit(example, 300, markdown_escape)}" for example in examples)
    return "\n".join(parts)


def heading_markdown(reply: Reply) -> str:
    """The line above an overview's or a "more" reply's sentences ("": none)."""
    heading = {ReplyKind.OVERVIEW: render.OVERVIEW, ReplyKind.MORE: render.MORE_ON_THAT}.get(
        reply.kind
    )
    return f"*{heading}*\n" if heading else ""


def not_said_markdown(reason: str, examples: Sequence[str]) -> str:
    """The abstention for Discord: a plain "doesn't say", why, and questions that work."""
    if reason == NOTHING_MORE:
        return f"**{render.NOTHING_MORE}**"
    parts = [f"**{render.NOT_SAID}**"]
    if reason:
        parts.append(fit(sentence_case(reason), 300, markdown_escape) + ".")
    if examples:
        parts.append(render.TRY_THESE)
        parts.extend(f"\u2022 {fit(example, 300, markdown_escape)}" for example in examples)
    return "\n".join(parts)
