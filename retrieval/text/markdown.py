"""Markdown articles as the plain text a reader sees: heading marks and emphasis removed.

Only what news articles written in Markdown actually use is handled: headings (`#` and
underlined), list markers and `*`/`_` emphasis. Answers quote sentences exactly as the
stripped text has them, so the citations count what a reader of the rendered article sees.
"""

from __future__ import annotations

import re

# "## Heading" (up to three spaces before it, optional closing #s): a heading is a paragraph
# of its own, so blank lines go around it even when the file put it against the text.
_HEADING = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
# "Heading" underlined with === or --- (a setext heading): the underline goes.
_UNDERLINE = re.compile(r"^([ ]{0,3}\S.*)\n[ ]{0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)
# List items ("* item", "- item", "+ item", "1. item"): the marker goes, the item stays a
# line of its own paragraph.
_LIST_MARK = re.compile(r"^[ ]{0,3}(?:[*+-]|\d{1,9}[.)])[ \t]+", re.MULTILINE)
# Strong before emphasis, so "**a**" is not read as "*" + "*a*" + "*". The marks must hug
# the words ("5 * 3 * 2" is arithmetic, not emphasis), and "_" never counts inside a word
# (snake_case, file_name.txt).
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])")
_UNDERSCORE = re.compile(r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)")


def plain_text(text: str) -> str:
    """`text` with Markdown headings as bare paragraphs and emphasis marks removed."""
    text = _HEADING.sub(lambda m: f"\n{m.group(1) or ''}\n", text)
    text = _UNDERLINE.sub(lambda m: f"\n{m.group(1).strip()}\n", text)
    text = _LIST_MARK.sub("", text)
    text = _STRONG.sub(r"\2", text)
    text = _STAR.sub(r"\1", text)
    return _UNDERSCORE.sub(r"\1", text)
