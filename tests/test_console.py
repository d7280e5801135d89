"""The console chat session: commands, questions and follow-ups, text and JSON."""

from __future__ import annotations

import io
import json

from bot.console.chat import ChatSession, _wrap, run_chat
from retrieval import QA


def test_a_follow_up_builds_on_the_previous_question(qa: QA) -> None:
    session = ChatSession(qa, k=1)
    first = session.handle("Who is Eddie Rodriguez?")
    assert first is not None and first.strip().startswith("¶10.4")
    assert session.previous is not None and session.previous.question == "Who is Eddie Rodriguez?"
    assert session.handle("   ") is None
    assert session.handle("/reset") == "Conversation reset."
    assert session.previous is None


def test_commands_in_text_and_json(qa: QA) -> None:
    text, as_json = ChatSession(qa, k=1), ChatSession(qa, k=1, as_json=True)
    assert text.handle("/source x") == "Usage: /source N (a paragraph number, like /source 3)."
    assert text.handle("/source 99") == "No paragraph 99: sanctuary-cities has paragraphs 1-12."
    assert text.handle("/help").startswith("Ask any question about the article in plain words")
    assert json.loads(as_json.handle("/nope")) == {
        "message": "Unknown command /nope. Type /help for the list."
    }
    assert json.loads(as_json.handle("/quit")) == {"message": "Goodbye."}
    assert as_json.finished


def test_piped_lines_are_answered_in_turn_until_quit(qa: QA) -> None:
    out = io.StringIO()
    assert run_chat(qa, 1, False, io.StringIO("Where is Austin?\n/quit\nnever\n"), out) == 0
    assert out.getvalue().strip().startswith("¶10.2")
    assert "never" not in out.getvalue()


def test_terminal_wrapping_ignores_emphasis_codes():
    line = "  ¶10.2  " + " ".join(["\033[1mword\033[22m"] * 30)
    wrapped = _wrap(line, 40).splitlines()
    visible = [len(part.replace("\033[1m", "").replace("\033[22m", "")) for part in wrapped]
    assert max(visible) <= 40
    assert wrapped[0].startswith("  ¶10.2  ")
    assert all(part.startswith(" " * 9) for part in wrapped[1:])
