"""Text mechanics with no words of their own: emphasis, Discord Markdown that shows text
literally, and cutting text to Discord's limits without splitting a word or an escape."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from retrieval.text.clean import strip_controls

Emphasis = Callable[[str], str]


def plain(text: str) -> str:
    return text


def ansi_bold(text: str) -> str:
    return f"\033[1m{text}\033[22m"


def terminal_safe(text: str) -> str:
    """`text` without terminal control characters: newline and tab stay, the rest go.

    Article text is printed as written, and an article (or a question) carrying "\x1b[2J"
    would clear the user's screen, or retitle their window, when printed raw.
    """
    return strip_controls(text)


# What json.dumps(ensure_ascii=False) leaves raw but should not: line separators a consumer
# splitting its input into lines (JavaScript, str.splitlines) would break a JSON line on
# (U+0085, U+2028, U+2029), and DEL and the C1 controls, which a terminal showing the JSON
# would act on (U+009B starts an escape sequence).
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in (*range(0x7F, 0xA0), 0x2028, 0x2029)}


def json_line(value: Any) -> str:
    """`value` as one line of JSON, UTF-8 kept readable, no character that breaks the line.

    The escapes replace raw characters that can only occur inside JSON strings, so the
    result decodes to the same value.
    """
    return json.dumps(value, ensure_ascii=False).translate(_JSON_ESCAPES)


def markdown_bold(text: str) -> str:
    return f"**{text}**"


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


# --- Discord Markdown, cut to fit Discord's limits -----------------------------------------------

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
LINE_BREAKS = dict.fromkeys(map(ord, "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"), " ")
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
