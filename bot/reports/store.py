"""The feedback store: what was asked and how answers were rated, in one SQLite file.

Plain stdlib sqlite3. WAL lets the report read while a bot writes; every write is its own
`BEGIN IMMEDIATE` transaction with a busy timeout, so concurrent writers (a bot, a console
chat, `article-qa ask` in a script) wait their turn instead of failing with "database is
locked". The schema (schema.py) is versioned with `PRAGMA user_version` and migrated
forward on open.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

DEFAULT_KEEP_DAYS = 90
# Long enough to outwait any other writer's transaction (each is one or two statements),
# short enough that a stuck process shows up as an error rather than a hang.
BUSY_TIMEOUT_MS = 30_000
DAY = 86_400.0


class StoreError(Exception):
    """The store cannot be used: newer than this program, or not a database."""


@dataclass(frozen=True, slots=True)
class Cited:
    """A sentence an answer cited, kept whole: the report and the export need no corpus."""

    citation: str
    article: str
    paragraph: int
    sentence: int
    text: str


@dataclass(frozen=True, slots=True)
class AskRecord:
    id: int
    at: float
    surface: str
    question: str
    kind: str  # a retrieval.ReplyKind value
    abstained: bool
    answers: tuple[Cited, ...]
    corpus: str
    conversation: str
    asker: str | None = None  # salted hash; None where there is one user (the console)


@dataclass(frozen=True, slots=True)
class VoteRecord:
    ask: int
    voter: str
    up: bool
    at: float


@dataclass(frozen=True, slots=True)
class SettingChange:
    guild: str
    name: str
    value: str | None  # None: back to the default
    by: str  # who changed it: a Discord user id
    at: float


class VoteOutcome(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    SAME = "same"  # the voter had already cast this very vote: nothing changes
    UNKNOWN = "unknown"  # no such ask on record (never logged, or purged)


def new_ask_id() -> int:
    # Random, not a row counter: processes writing the same file never collide, and the id
    # a Discord button carries reveals nothing about how busy the bot is.
    return secrets.randbits(62) or 1


def voter_hash(salt: bytes, user_id: int | str) -> str:
    """A Discord user id as stored: without the install's salt it cannot be reversed."""
    return hashlib.blake2b(str(user_id).encode(), key=salt, digest_size=16).hexdigest()


def install_salt(path: Path) -> bytes:
    """The salt of this install, made on first use (readable by its owner only)."""
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_bytes(32)
    try:
        # O_EXCL: two processes starting at once agree on one salt (the loser reads it).
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(salt.hex() + "\n")
    return salt


def _switch_to_wal(db: sqlite3.Connection) -> None:
    """WAL mode, waiting out other processes doing the same: switching the journal needs
    the database to itself, and SQLite answers "database is locked" at once rather than
    through the busy timeout when several connections open a new file together."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


class Store:
    """One connection to the feedback database; use it from one thread at a time."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(
        cls, path: str | Path, keep_days: float | None = DEFAULT_KEEP_DAYS, now: float | None = None
    ) -> Store:
        """Open (creating) the database, migrate it, and purge asks older than `keep_days`."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Every question asked is in it: readable by its owner only, like the history.
            path.touch(mode=0o600)
        # isolation_level=None: transactions are ours, so writes can BEGIN IMMEDIATE.
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _switch_to_wal(db)
            db.execute("PRAGMA synchronous = NORMAL")  # in WAL: durable at checkpoints, fast
            store = cls(db, path)
            store._migrate()
            if keep_days is not None:
                store.purge_before((now if now is not None else time.time()) - keep_days * DAY)
        except sqlite3.DatabaseError as error:
            db.close()
            if "not a database" in str(error):
                raise StoreError(f"{path}: not a feedback database ({error})") from None
            raise
        except BaseException:
            db.close()
            raise
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
        # writes can fail at once with SQLITE_BUSY, which no busy timeout waits out.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        if self.version() == SCHEMA_VERSION:
            return
        with self._write() as db:
            current = self.version()  # again, under the lock: another process may have won
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: made by a newer article-qa (schema {current}, "
                    f"this one knows {SCHEMA_VERSION})"
                )
            for number in range(current, SCHEMA_VERSION):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                log.info("feedback store %s migrated to schema %d", self.path, number + 1)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # --- writes --------------------------------------------------------------------------

    def record_ask(self, ask: AskRecord) -> None:
        answers = json.dumps(
            [[c.citation, c.article, c.paragraph, c.sentence, c.text] for c in ask.answers],
            ensure_ascii=False,
        )
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO asks (id, at, surface, question, kind, abstained,"
                " answers, corpus, conversation, asker) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ask.id, ask.at, ask.surface, ask.question, ask.kind, int(ask.abstained),
                    answers, ask.corpus, ask.conversation, ask.asker,
                ),
            )  # fmt: skip

    def vote(self, ask: int, voter: str, up: bool, at: float | None = None) -> VoteOutcome:
        """Record `voter`'s vote on `ask`: one per voter per answer, changeable."""
        with self._write() as db:
            if db.execute("SELECT 1 FROM asks WHERE id = ?", (ask,)).fetchone() is None:
                return VoteOutcome.UNKNOWN
            row = db.execute(
                "SELECT up FROM votes WHERE ask = ? AND voter = ?", (ask, voter)
            ).fetchone()
            if row is not None and bool(row[0]) == up:
                return VoteOutcome.SAME
            db.execute(
                "INSERT OR REPLACE INTO votes (ask, voter, up, at) VALUES (?, ?, ?, ?)",
                (ask, voter, int(up), at if at is not None else time.time()),
            )
        return VoteOutcome.NEW if row is None else VoteOutcome.CHANGED

    def purge_before(self, cutoff: float) -> int:
        """Forget asks (and their votes) from before `cutoff`; how many asks went."""
        # A read first: most opens have nothing to purge and need not queue for the lock.
        if self._db.execute("SELECT 1 FROM asks WHERE at < ? LIMIT 1", (cutoff,)).fetchone():
            with self._write() as db:
                gone = db.execute("DELETE FROM asks WHERE at < ?", (cutoff,)).rowcount
                db.execute("DELETE FROM votes WHERE ask NOT IN (SELECT id FROM asks)")
            log.info("purged %d asks older than the retention period", gone)
            return int(gone)
        return 0

    def purge_person(self, person: str) -> tuple[int, int]:
        """Forget one person's asks and votes (`person` as stored); (asks, votes) removed."""
        with self._write() as db:
            asks = db.execute("DELETE FROM asks WHERE asker = ?", (person,)).rowcount
            votes = db.execute("DELETE FROM votes WHERE voter = ?", (person,)).rowcount
            votes += db.execute("DELETE FROM votes WHERE ask NOT IN (SELECT id FROM asks)").rowcount
        return int(asks), int(votes)

    def set_quiet(self, guild: str, quiet: bool) -> None:
        with self._write() as db:
            if quiet:
                db.execute("INSERT OR IGNORE INTO quiet_guilds VALUES (?, ?)", (guild, time.time()))
            else:
                db.execute("DELETE FROM quiet_guilds WHERE guild = ?", (guild,))

    def set_setting(
        self, guild: str, name: str, value: str | None, by: str, at: float | None = None
    ) -> None:
        """Set (None: clear) one of a server's settings, and record who changed it."""
        with self._write() as db:
            if value is None:
                db.execute("DELETE FROM guild_settings WHERE guild = ? AND name = ?", (guild, name))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO guild_settings VALUES (?, ?, ?)", (guild, name, value)
                )
            db.execute(
                "INSERT INTO setting_changes VALUES (?, ?, ?, ?, ?)",
                (guild, name, value, by, at if at is not None else time.time()),
            )

    # --- reads ---------------------------------------------------------------------------

    def guild_settings(self) -> dict[str, dict[str, str]]:
        """Every server's settings: server -> name -> value."""
        settings: dict[str, dict[str, str]] = {}
        for guild, name, value in self._db.execute("SELECT guild, name, value FROM guild_settings"):
            settings.setdefault(guild, {})[name] = value
        return settings

    def setting_changes(self, guild: str) -> list[SettingChange]:
        rows = self._db.execute(
            "SELECT name, value, changed_by, at FROM setting_changes WHERE guild = ?"
            " ORDER BY at, rowid",
            (guild,),
        )
        return [SettingChange(guild, name, value, by, at) for name, value, by, at in rows]

    def quiet_guilds(self) -> frozenset[str]:
        return frozenset(r[0] for r in self._db.execute("SELECT guild FROM quiet_guilds"))

    def asks(self, since: float = 0.0) -> list[AskRecord]:
        rows = self._db.execute(
            "SELECT id, at, surface, question, kind, abstained, answers, corpus, conversation,"
            " asker FROM asks WHERE at >= ? ORDER BY at, id",
            (since,),
        )
        return [
            AskRecord(
                id, at, surface, question, kind, bool(abstained),
                tuple(Cited(*c) for c in json.loads(answers)), corpus, conversation, asker,
            )
            for id, at, surface, question, kind, abstained, answers, corpus, conversation, asker
            in rows
        ]  # fmt: skip

    def votes(self, since: float = 0.0) -> list[VoteRecord]:
        rows = self._db.execute(
            "SELECT ask, voter, up, at FROM votes WHERE at >= ? ORDER BY at", (since,)
        )
        return [VoteRecord(ask, voter, bool(up), at) for ask, voter, up, at in rows]

    def count(self, table: str) -> int:
        if table not in {"asks", "votes", "quiet_guilds", "guild_settings", "setting_changes"}:
            raise ValueError(f"no table {table!r}")
        return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
