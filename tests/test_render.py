"""The sentences users read, and the core's results as text and Markdown."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import markdown as render_markdown
from bot.render import words as render
from retrieval import QA, Answer

words = st.text(alphabet="ab *_`|<@>#-\\~[]\n", min_size=1, max_size=3000)


@given(st.lists(words, min_size=1, max_size=5), st.integers(min_value=200, max_value=4096))
@settings(max_examples=100, deadline=None)
def test_answers_markdown_fits_and_keeps_every_citation(texts: list[str], limit: int) -> None:
    answers = [
        Answer(f"¶{n}.1", text, 1.0, "a", n, 1, ((0, min(3, len(text))),))
        for n, text in enumerate(texts, start=1)
    ]
    out = render_markdown.answers_markdown(answers, limit)
    assert len(out) <= limit
    assert re.findall(r"^\u2014 `([^`]+)`$", out, re.MULTILINE) == [a.citation for a in answers]


def test_slow_down_rounds_the_wait_up_to_whole_seconds() -> None:
    assert render.slow_down(0.2) == (
        "You're asking faster than I can keep up with: please try again in 1 s."
    )
    assert render.slow_down(6.01).endswith("please try again in 7 s.")


def test_chat_hint_escapes_the_name_and_the_example() -> None:
    hint = render.chat_hint("*Bot*", ["Who is _Powell_?"], 2000)
    assert hint == (
        "Ask me about the article in plain words, like: @\\*Bot\\* Who is \\_Powell\\_? "
        "\u2014 or use /ask. /help lists what I can do."
    )
    assert "@Bot What is the article about?" in render.chat_hint("Bot", [], 2000)
    assert len(render.chat_hint("Bot", ["x" * 5000], 100)) <= 100


def test_the_console_describes_the_corpus_and_questions_to_try(qa: QA) -> None:
    assert render.describe_corpus(qa) == f"{qa.title}\n26 sentences in 12 paragraphs."
    assert render.try_these(["Who?", "Where?"]) == "Questions it can answer:\n  Who?\n  Where?"
    assert render.try_these([]) == ""


def test_discord_pieces(qa: QA) -> None:
    assert render.corpus_size(qa) == "12 paragraphs, 26 sentences"
    assert render.paragraph_title(qa.paragraph(10)) == "Paragraph 10"
    assert render.article_label(qa.articles[0]) == f"{qa.title} (sanctuary-cities)"
    assert render.question_title("  Who\nis *he*? ") == "Who is \\*he\\*?"
    assert render.question_title(" \n ") is None
    assert render_markdown.bullets(["one", "two", "three"], 12) == "\u2022 one\n\u2022 two"


def test_not_said_markdown_gives_the_reason_and_examples() -> None:
    assert render_markdown.not_said_markdown("no sentence names a date", ["When *was* it?"]) == (
        "**The article doesn't say.**\nNo sentence names a date.\n"
        "Questions it can answer:\n\u2022 When \\*was\\* it?"
    )
    assert render_markdown.not_said_markdown("", []) == "**The article doesn't say.**"


def test_sources_markdown_lists_whole_lines_that_fit_with_markdown_escaped() -> None:
    sources = {
        "a-1": ("Zoo *news*", "/srv/bot/articles/a_1.txt"),
        "b": ("Bridges", "/srv/bot/articles/b.md"),
    }
    both = render_markdown.sources_markdown(sources, 1000)
    assert both == "`a-1` Zoo \\*news\\* \u00b7 *a\\_1.txt*\n`b` Bridges \u00b7 *b.md*"
    first = both.split("\n")[0]
    assert render_markdown.sources_markdown(sources, len(first) + 14) == first + "\n… and 1 more"
    assert render_markdown.sources_markdown({"a-1": sources["a-1"]}, 12) == "`a-1` Zoo…"
