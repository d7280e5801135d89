"""Text arriving at the core from outside, made safe to hand back in a Reply."""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
# Escape sequences first (CSI "\x1b[2J", OSC "\x1b]0;title\x07", two-character ones), so
# their parameters go with them; then every other C0 and C1 control but newline and tab.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI: clear screen, move cursor, colours
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC/DCS/...: window title
    r"|\x1b[ -~]?"  # the rest: two-character sequences, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x9c)?"  # 8-bit OSC, DCS...
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """`text` without terminal escape sequences and control characters (newline and tab
    stay): nothing a terminal would act on, nothing a word could be glued to."""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def clean_question(text: str) -> str:
    """`text` with lone surrogates as U+FFFD, and no escape sequences or control characters
    (a pasted "\x1b[31m" would glue "31m" to the next word and lose the question).

    Python strings can hold surrogates (from `surrogateescape`, or a caller's bug) that no
    encoder accepts: a question carrying one came back in `reply.question` and broke JSON
    and UTF-8 output. A pair written as two code points is joined into its character.
    """
    text = strip_controls(text)
    if _SURROGATE.search(text) is None:
        return text  # the usual case, without re-encoding
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
