"""Hostile text (issue 15): control characters never reach a terminal, JSON lines never
break, article text reaches the answer exactly as written, a lone surrogate never breaks
the output, whatever the article or the question holds."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cli import main
from bot.console import chat as console
from bot.console.chat import ChatSession, run_chat
from bot.render import payloads
from bot.render import words as render
from bot.render.markup import ansi_bold, json_line, terminal_safe
from retrieval import QA
from retrieval.text.clean import clean_question, strip_controls

HOSTILE = """Screen \x1b[2J Wiper

Bob\x1c. The sheriff\x1b]0;pwned\x07 of Travis County resigned in May\u2028today.

A second paragraph\x85 about the sheriff\x9b31m and the county\x07.
"""

# Every control character a terminal acts on: C0 but newline and tab, DEL, C1.
CONTROLS = {chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]} - {"\n", "\t"}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def test_escape_sequences_are_removed_whole():
    assert terminal_safe("a\x1b[2Jb\x1b]0;title\x07c\x1b]2;t\x1b\\d\x9b31me\x1bcf") == "abcdef"
    assert terminal_safe("tab\tand\nnewline stay, \x00\x07\x7f\x85\x1c go") == (
        "tab\tand\nnewline stay,  go"
    )


@given(st.text())
def test_nothing_a_terminal_acts_on_survives(text: str):
    assert not CONTROLS & set(terminal_safe(text))


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_a_json_line_is_one_line_and_decodes_to_the_value(value: object):
    line = json_line(value)
    assert len(line.splitlines()) == 1  # splitlines() breaks on U+0085, U+2028, U+2029 too
    assert json.loads(line) == value


def test_ask_prints_no_control_character(hostile: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["ask", "--corpus", str(hostile), "-k", "3", "Who resigned\x07?", "Bob?"]) == 0
    out = capsys.readouterr().out
    assert "Q: Who resigned?" in out and "\u00b61.1  Bob." in out
    assert "\u00b61.2  The sheriff of Travis County resigned" in out
    assert not CONTROLS & set(out)


def test_bold_codes_survive_while_the_article_s_go():
    qa = QA.from_sentences(["The sheriff\x1b[31m resigned."])
    text = render.reply_text(qa.ask("sheriff", k=1), ansi_bold)
    assert text == "   \u00b61.1  The \x1b[1msheriff\x1b[22m resigned."


def test_chat_commands_print_no_control_character(hostile: Path):
    qa = QA.load(hostile)
    out = io.StringIO()
    run_chat(qa, 3, False, io.StringIO("/article\n/source 1\n/source 2\n/x\x1b[2J\n"), out)
    assert "Screen  Wiper" in out.getvalue()
    assert not CONTROLS & set(out.getvalue())


def test_json_keeps_the_text_exactly_and_each_object_on_one_line(
    hostile: Path, capsys: pytest.CaptureFixture[str]
):
    assert (
        main(
            [
                "ask",
                "--json",
                "--corpus",
                str(hostile),
                "-k",
                "5",
                "Bob?",
                "Which sheriff in which county?",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert not {"\u2028", "\u2029", "\x85", "\x9b"} & set(out)
    lines = out.splitlines()
    assert len(lines) == 2
    texts = {a["citation"]: a["text"] for line in lines for a in json.loads(line)["answers"]}
    # As written, separators and escapes included: exact but for whitespace.
    assert texts["\u00b61.1"] == "Bob\x1c."
    assert (
        texts["\u00b61.2"]
        == "The sheriff\x1b]0;pwned\x07 of Travis County resigned in May\u2028today."
    )
    assert (
        texts["\u00b62.1"] == "A second paragraph\x85 about the sheriff\x9b31m and the county\x07."
    )


def test_a_lone_surrogate_is_cleaned_at_the_core_s_edge(qa: QA):
    reply = qa.ask("Who is Domenic Powell?\ud800")
    assert reply.question == "Who is Domenic Powell?\ufffd"
    assert reply.answers[0].citation == "\u00b68.1"
    payloads.reply_line(reply).encode("utf-8")  # neither raises


@given(st.text())
def test_clean_question_always_gives_encodable_text(text: str):
    cleaned = clean_question(text)
    cleaned.encode("utf-8")
    if not any("\ud800" <= c <= "\udfff" for c in text):
        assert cleaned == strip_controls(text)  # nothing else changes


def test_quit_in_json_chat_is_a_message(qa: QA):
    out = io.StringIO()
    run_chat(qa, 1, True, io.StringIO("/help\n/quit\nnever\n"), out)
    objects = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [set(o) for o in objects] == [{"message"}, {"message"}]
    assert objects[1] == {"message": "Goodbye."}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return 1


def test_the_chat_reads_the_terminal_width_for_each_answer(qa: QA, monkeypatch: pytest.MonkeyPatch):
    widths = iter([40, 100])
    monkeypatch.setattr(
        console.os, "get_terminal_size", lambda fd: os.terminal_size((next(widths), 24))
    )
    monkeypatch.setattr(console, "_interactive_lines", lambda prompt: iter(["/source 10"] * 2))
    monkeypatch.setenv("NO_COLOR", "1")
    out = _Terminal()
    run_chat(qa, 1, False, _Terminal(), out)
    paragraph = render.paragraph_text(qa.paragraph(10))
    printed = out.getvalue().split(paragraph.splitlines()[0][:20])
    narrow, wide = printed[1], printed[2]
    assert max(len(line) for line in narrow.splitlines()) <= 40
    assert max(len(line) for line in wide.splitlines()) > 40
    assert ChatSession(qa, 1).handle("/source 10") == paragraph


def test_escape_sequences_in_a_question_are_not_part_of_its_words(qa: QA):
    assert clean_question("Who is \x1b[31mSally Hernandez?\x1b[0m") == "Who is Sally Hernandez?"
    reply = qa.ask("Who is \x1b[31mSally Hernandez?")
    assert reply.question == "Who is Sally Hernandez?"
    assert reply.answers[0].citation == "¶10.2"
