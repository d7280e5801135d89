"""The console chat: a loop that reads questions and commands and prints cited answers."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

from retrieval import QA, Reply, ReplyKind
from retrieval.ranking.suggest import example_questions

from .. import paths
from ..render import payloads
from ..render import words as render
from ..render.markup import Emphasis, ansi_bold, plain
from ..reports.feedback import CONSOLE_VOTER, FeedbackLog, ask_record, corpus_fingerprint


@dataclass
class ChatSession:
    """One conversation: turns lines into output text, remembering the last reply."""

    qa: QA
    k: int
    as_json: bool = False
    emphasis: Emphasis = plain
    previous: Reply | None = field(default=None)
    finished: bool = False
    feedback: FeedbackLog | None = None  # None: asks are not logged, votes not taken
    conversation: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    # The id of the last reply if it was an answer that was logged: what /good and /bad rate.
    last_ask: int | None = field(default=None, repr=False)
    _corpus: str | None = field(default=None, repr=False)
    # The `/article` text, made on first use: its example questions cost several asks.
    _description: str | None = field(default=None, repr=False)
    _examples: tuple[str, ...] | None = field(default=None, repr=False)

    def handle(self, line: str) -> str | None:
        """The output for one input line (None: nothing to print)."""
        line = line.strip()
        if not line:
            return None
        if line.startswith("/"):
            return self._command(line)
        reply = self.qa.ask(line, k=self.k, previous=self.previous)
        self.previous = reply
        self._log(reply)
        sources = self.qa.sources(reply.answers)
        if self.as_json:
            return payloads.reply_line(reply, sources, asked=line)
        text = render.reply_text(reply, self.emphasis, sources)
        if reply.abstained:
            # Someone who asked what the article does not cover wants to know what it does.
            return "\n".join(filter(None, (text, render.try_these(self.examples()))))
        return text

    def _log(self, reply: Reply) -> None:
        self.last_ask = None
        if self.feedback is None or not self.feedback.enabled:
            return
        if self._corpus is None:
            self._corpus = corpus_fingerprint(self.qa)
        ask = ask_record(
            reply, surface="console", corpus=self._corpus, conversation=self.conversation
        )
        rateable = not reply.abstained and reply.kind is not ReplyKind.SMALL_TALK
        if self.feedback.record(ask) and rateable and reply.answers:
            self.last_ask = ask.id

    def _vote(self, up: bool) -> str:
        if self.feedback is None or not self.feedback.enabled:
            return self._say(render.FEEDBACK_OFF)
        if self.last_ask is None:
            return self._say(render.NOTHING_TO_RATE)
        outcome = self.feedback.vote(self.last_ask, CONSOLE_VOTER, up)
        return self._say(render.vote_message(outcome or "", up))

    def examples(self) -> tuple[str, ...]:
        """Questions the article answers, worked out on first need (each costs an ask)."""
        if self._examples is None:
            self._examples = example_questions(self.qa)
        return self._examples

    def _command(self, line: str) -> str:
        name, _, argument = line[1:].partition(" ")
        name = name.lower()
        if name in {"quit", "exit", "q"}:
            self.finished = True
            # In JSON every command answers with a message, /quit included.
            return self._say(render.GOODBYE) if self.as_json else ""
        if name == "reset":
            self.previous = None
            return self._say(render.RESET)
        if name == "help":
            return self._say(render.CONSOLE_HELP)
        if name == "article":
            if self._description is None:
                parts = (render.describe_corpus(self.qa), render.try_these(self.examples()))
                self._description = "\n".join(filter(None, parts))
            return self._say(self._description)
        if name == "source":
            return self._source(argument.strip())
        if name in {"good", "bad"}:
            return self._vote(name == "good")
        return self._say(render.unknown_command(name))

    def _source(self, argument: str) -> str:
        article, _, number = argument.rpartition(" ")
        try:
            paragraph = self.qa.paragraph(int(number), article or None)
        except ValueError:
            return self._say(render.SOURCE_USAGE)
        except LookupError as error:
            return self._say(render.lookup_error(error))
        if self.as_json:
            return payloads.paragraph_line(paragraph)
        return render.paragraph_text(paragraph)

    def _say(self, message: str) -> str:
        return payloads.message_line(message) if self.as_json else message


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
                print(render.INTERRUPTED)
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


def _width(stdout: TextIO) -> int:
    try:
        return min(100, os.get_terminal_size(stdout.fileno()).columns)
    except (OSError, ValueError):  # no longer a terminal (closed, redirected)
        return 100


def run_chat(
    qa: QA,
    k: int,
    as_json: bool,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    feedback: FeedbackLog | None = None,
) -> int:
    """Interactive on a terminal; otherwise one question per line, conversation kept."""
    interactive = stdin.isatty() and stdout.isatty() and not as_json
    colour = interactive and not os.environ.get("NO_COLOR")
    session = ChatSession(qa, k, as_json, ansi_bold if colour else plain, feedback=feedback)
    if interactive:
        print(render.describe_corpus(qa), render.GREETING, sep="\n", file=stdout)
        lines: Iterator[str] = _interactive_lines("\nyou> ")
    else:
        lines = iter(stdin)
    separate = False  # piped plain text: a blank line between replies keeps them apart
    for line in lines:
        output = session.handle(line)
        if output is None:
            if interactive:
                print(render.USAGE_EMPTY, file=stdout)
            continue
        if output:
            if separate:
                print(file=stdout)
            if interactive:
                # Read for every answer: the window may have been resized since the last.
                output = _wrap(output, _width(stdout))
            print(output, file=stdout, flush=True)
            separate = not interactive and not as_json
        if session.finished:
            break
    return 0
