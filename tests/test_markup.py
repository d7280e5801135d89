"""Emphasis, escaping and cutting: text that shows literally and fits, whatever it holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import markup


@given(st.text(), st.integers(min_value=1, max_value=400))
@settings(max_examples=300, deadline=None)
def test_fit_never_exceeds_the_limit_and_escapes_round_trip(text: str, limit: int) -> None:
    escaped = markup.fit(text, limit, markup.markdown_escape)
    assert len(escaped) <= limit
    assert len(markup.fit(text, limit)) <= limit
    restored = markup.markdown_unescape(escaped)
    assert restored == text or (
        restored.endswith(markup.ELLIPSIS) and text.startswith(restored[: -len(markup.ELLIPSIS)])
    )


def test_escaped_text_keeps_no_markdown() -> None:
    text = "# Head\n- item\n1. one\n> quote *b* _i_ `c` ||s|| <@1> @everyone [l](u) ~~x~~ a\\b"
    escaped = markup.markdown_escape(text)
    assert escaped == (
        "\\# Head\n\\- item\n1\\. one\n\\> quote \\*b\\* \\_i\\_ \\`c\\` \\|\\|s\\|\\| "
        "\\<\\@1\\> \\@everyone \\[l\\](u) \\~\\~x\\~\\~ a\\\\b"
    )
    assert markup.markdown_unescape(escaped) == text
