"""The sentences users read, and the core's results as text and Markdown."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import render
from retrieval import Answer

words = st.text(alphabet="ab *_`|<@>#-\\~[]\n", min_size=1, max_size=3000)


@given(st.lists(words, min_size=1, max_size=5), st.integers(min_value=200, max_value=4096))
@settings(max_examples=100, deadline=None)
def test_answers_markdown_fits_and_keeps_every_citation(texts: list[str], limit: int) -> None:
    answers = [
        Answer(f"¶{n}.1", text, 1.0, "a", n, 1, ((0, min(3, len(text))),))
        for n, text in enumerate(texts, start=1)
    ]
    out = render.answers_markdown(answers, limit)
    assert len(out) <= limit
    assert re.findall(r"^\u2014 `([^`]+)`$", out, re.MULTILINE) == [a.citation for a in answers]
