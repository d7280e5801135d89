"""The console chat: a loop that reads questions and commands and prints cited answers."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

from retrieval import QA, Reply
from retrieval.suggest import example_questions

from . import paths, render

HELP = """\
Ask any question about the article in plain words; follow-ups ("Who is its sheriff?")
build on the previous question.
  /source N   show paragraph N with its citations
  /article    the article's title and size, and questions to try
  /reset      forget the conversation (follow-ups start afresh)
  /help       this help
  /quit       leave (Ctrl-D works too)"""

USAGE_EMPTY = "Type a question about the article, or /help."


@dataclass
class ChatSession:
    """One conversation: turns lines into output text, remembering the last reply."""

    qa: QA
    k: int
    as_json: bool = False
    emphasis: render.Emphasis = render.plain
    previous: Reply | None = field(default=None)
    finished: bool = False
    # The `/article` text, made on first use: its example questions cost several asks.
    _description: str | None = field(default=None, repr=False)

    def handle(self, line: str) -> str | None:
        """The output for one input line (None: nothing to print)."""
        line = line.strip()
        if not line:
            return None
        if line.startswith("/"):
            return self._command(line)
        reply = self.qa.ask(line, k=self.k, previous=self.previous)
        self.previous = reply
        if self.as_json:
            return json.dumps(render.reply_json(reply), ensure_ascii=False)
        return render.reply_text(reply, self.emphasis)

    def _command(self, line: str) -> str:
        name, _, argument = line[1:].partition(" ")
        name = name.lower()
        if name in {"quit", "exit", "q"}:
            self.finished = True
            return "" if not self.as_json else json.dumps({"command": "quit"})
        if name == "reset":
            self.previous = None
            return self._say("Conversation reset.")
        if name == "help":
            return self._say(HELP)
        if name == "article":
            if self._description is None:
                parts = (describe_corpus(self.qa), try_these(self.qa))
                self._description = "\n".join(filter(None, parts))
            return self._say(self._description)
        if name == "source":
            return self._source(argument.strip())
        return self._say(f"Unknown command /{name}. Type /help for the list.")

    def _source(self, argument: str) -> str:
        article, _, number = argument.rpartition(" ")
        try:
            paragraph = self.qa.paragraph(int(number), article or None)
        except ValueError:
            return self._say("Usage: /source N (a paragraph number, like /source 3).")
        except LookupError as error:
            return self._say(f"{render.sentence_case(str(error))}.")
        if self.as_json:
            return json.dumps(
                {
                    "article": paragraph.sentences[0].article,
                    "paragraph": paragraph.number,
                    "text": paragraph.text,
                    "sentences": [
                        {"citation": s.citation, "text": s.text} for s in paragraph.sentences
                    ],
                },
                ensure_ascii=False,
            )
        return render.paragraph_text(paragraph)

    def _say(self, message: str) -> str:
        return json.dumps({"message": message}, ensure_ascii=False) if self.as_json else message


def describe_corpus(qa: QA) -> str:
    paragraphs = sum(len(a.paragraphs) for a in qa.articles)
    if len(qa.articles) == 1:
        head = qa.title
    else:
        head = f"{len(qa.articles)} articles: " + ", ".join(a.slug for a in qa.articles[:5])
        head += ", ..." if len(qa.articles) > 5 else ""
    return f"{head}\n{len(qa.sentences)} sentences in {paragraphs} paragraphs."


def try_these(qa: QA) -> str:
    """Questions the corpus answers, to show someone who does not know what to ask."""
    examples = example_questions(qa)
    return (
        "\n".join(["Questions it can answer:", *(f"  {e}" for e in examples)]) if examples else ""
    )


def _interactive_lines(prompt: str) -> Iterator[str]:
    """Lines typed at a terminal, with readline editing and a persistent history."""
    try:
        import readline
    except ImportError:  # not on every platform; the chat still works without it
        readline = None
    history = paths.history_file()
    if readline is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
    try:
        while True:
            try:
                yield input(prompt)
            except EOFError:
                print()
                return
            except KeyboardInterrupt:
                print("^C (type /quit or press Ctrl-D to leave)")
    finally:
        if readline is not None:
            try:
                history.parent.mkdir(parents=True, exist_ok=True)
                readline.set_history_length(1000)
                readline.write_history_file(history)
            except OSError:
                pass


_ANSI = re.compile(r"\033\[[0-9;]*m")
_HANGING_INDENT = " " * 9  # continuation lines start under the text, not the citation


def _visible_length(text: str) -> int:
    return len(_ANSI.sub("", text))


def _wrap(text: str, width: int) -> str:
    """Wrap each line to `width` visible characters (emphasis codes take no room)."""
    wrapped = []
    for line in text.splitlines():
        body = line.lstrip(" ")
        current = line[: len(line) - len(body)]  # keep the right-aligned citation's padding
        for word in body.split(" "):
            candidate = f"{current} {word}" if current.strip() else current + word
            if current.strip() and _visible_length(candidate) > width:
                wrapped.append(current)
                current = _HANGING_INDENT + word
            else:
                current = candidate
        wrapped.append(current)
    return "\n".join(wrapped)


def run_chat(
    qa: QA,
    k: int,
    as_json: bool,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    """Interactive on a terminal; otherwise one question per line, conversation kept."""
    interactive = stdin.isatty() and stdout.isatty() and not as_json
    colour = interactive and not os.environ.get("NO_COLOR")
    session = ChatSession(qa, k, as_json, render.ansi_bold if colour else render.plain)
    if interactive:
        print(describe_corpus(qa), "Ask a question, or /help.", sep="\n", file=stdout)
        lines: Iterator[str] = _interactive_lines("\nyou> ")
    else:
        lines = iter(stdin)
    width = min(100, os.get_terminal_size(stdout.fileno()).columns) if interactive else 0
    separate = False  # piped plain text: a blank line between replies keeps them apart
    for line in lines:
        output = session.handle(line)
        if output is None:
            if interactive:
                print(USAGE_EMPTY, file=stdout)
            continue
        if output:
            if separate:
                print(file=stdout)
            print(_wrap(output, width) if width else output, file=stdout, flush=True)
            separate = not interactive and not as_json
        if session.finished:
            break
    return 0
