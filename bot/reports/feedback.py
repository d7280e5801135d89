"""Logging asks and votes for the front ends, without ever getting in the way of an answer.

`FeedbackLog` opens the store on first use and swallows every storage error: a read-only
directory or a full disk costs the owner their statistics, never a user their answer. The
first failure is logged as a warning, later ones only at debug level, so a broken disk does
not flood the log.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from retrieval import QA, Reply, ReplyKind

from .. import paths
from .store import (
    DEFAULT_KEEP_DAYS,
    AskRecord,
    Cited,
    Store,
    StoreError,
    VoteOutcome,
    new_ask_id,
    voter_hash,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

CONSOLE_VOTER = "console"  # the console has one user: whoever runs it


def corpus_fingerprint(qa: QA) -> str:
    """Which corpus answered: answers from an edited article are told apart in the report."""
    stored = getattr(qa.corpus, "fingerprint", None)
    if isinstance(stored, str):
        return stored  # an archive's, from its files' hashes: no pass over every sentence
    digest = hashlib.sha256()
    for sentence in qa.sentences:
        digest.update(f"{sentence.citation}\t{sentence.article}\t{sentence.text}\n".encode())
    return digest.hexdigest()[:16]


def ask_record(
    reply: Reply,
    *,
    surface: str,
    corpus: str,
    conversation: str,
    asker: str | None = None,
    ask_id: int | None = None,
    at: float | None = None,
) -> AskRecord:
    return AskRecord(
        id=ask_id if ask_id is not None else new_ask_id(),
        at=at if at is not None else time.time(),
        surface=surface,
        question=reply.question,
        kind=str(reply.kind),
        abstained=reply.abstained,
        answers=tuple(
            Cited(a.citation, a.article, a.paragraph, a.sentence, a.text) for a in reply.answers
        ),
        corpus=corpus,
        conversation=conversation,
        asker=asker,
    )


class FeedbackLog:
    """The store as the front ends use it: opened lazily, never raising, thread-safe."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        enabled: bool = True,
        keep_days: float = DEFAULT_KEEP_DAYS,
        salt_file: Path | None = None,
    ) -> None:
        self.path = Path(path) if path else paths.feedback_db()
        self.enabled = enabled
        self.keep_days = keep_days
        self._salt_file = salt_file
        self._salt: bytes | None = None
        self._store: Store | None = None
        self._broken = False  # opening failed: do not try again at every ask
        self._warned = False
        # sqlite3 connections must not be shared by two threads at once; the Discord bot's
        # writer is one thread, but the console and tests may call from anywhere.
        self._lock = threading.Lock()

    @property
    def working(self) -> bool:
        """Logging is on and the store has not failed to open."""
        return self.enabled and not self._broken

    def _fail(self, what: str, error: BaseException) -> None:
        if not self._warned:
            self._warned = True
            log.warning(
                "feedback not recorded (%s %s): %s; answers go on, later failures are "
                "logged at debug level",
                what,
                self.path,
                error,
            )
        else:
            log.debug("feedback not recorded (%s): %s", what, error)

    def _run(self, what: str, action: Callable[[Store], T]) -> T | None:
        """`action` on the open store, or None if logging is off or storage failed."""
        if not self.enabled or self._broken:
            return None
        with self._lock:
            try:
                if self._store is None:
                    self._store = Store.open(self.path, self.keep_days)
                return action(self._store)
            except (OSError, sqlite3.Error, StoreError) as error:
                if self._store is None:
                    self._broken = True
                self._fail(what, error)
                return None

    def record(self, ask: AskRecord) -> bool:
        """Log one ask; False if it was not recorded. "Hello" and "thanks" are not asks: the
        report's "could not answer" is for questions the article missed."""
        if ask.kind == ReplyKind.SMALL_TALK:
            return False
        return self._run("ask", lambda store: store.record_ask(ask) or True) or False

    def vote(self, ask: int, voter: str, up: bool, at: float | None = None) -> VoteOutcome | None:
        """Record a vote; None if it could not be recorded (logging off, storage failing)."""
        return self._run("vote", lambda store: store.vote(ask, voter, up, at))

    def set_quiet(self, guild: str, quiet: bool) -> bool:
        return self._run("server setting", lambda s: s.set_quiet(guild, quiet) or True) or False

    def quiet_guilds(self) -> frozenset[str]:
        return self._run("server settings", Store.quiet_guilds) or frozenset()

    def hash_id(self, user_id: int | str) -> str:
        """A Discord id as stored: salted and hashed (the salt is made once per install)."""
        if self._salt is None:
            from .store import install_salt

            try:
                self._salt = install_salt(self._salt_file or paths.salt_file())
            except (OSError, ValueError) as error:
                # No lasting salt: a random one still hides the id, but votes can then
                # neither be tied to their voter across restarts nor purged by id.
                self._fail("salt", error)
                import secrets

                self._salt = secrets.token_bytes(32)
        return voter_hash(self._salt, user_id)

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
