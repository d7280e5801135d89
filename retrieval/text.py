"""Text arriving at the core from outside, made safe to hand back in a Reply."""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_question(text: str) -> str:
    """`text` with lone surrogates as U+FFFD.

    Python strings can hold surrogates (from `surrogateescape`, or a caller's bug) that no
    encoder accepts: a question carrying one came back in `reply.question` and broke JSON
    and UTF-8 output. A pair written as two code points is joined into its character.
    """
    if _SURROGATE.search(text) is None:
        return text  # the usual case, without re-encoding
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
