"""What a server's managers chose with /config, as the bot reads it; kept in the feedback
store (SQLite), each change recorded with who made it."""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..reports.store import SettingChange, Store, StoreError

log = logging.getLogger(__name__)

# Setting names as stored; values are text.
AUTO_ANSWER = "auto_answer"  # channel ids, comma-separated
VISIBILITY = "visibility"  # "public" or "private"
THREADS = "threads"  # "on" or "off"
LOGGING = "logging"  # recorded as a change only: the quiet-servers table is its state
ARTICLE = "article"  # the server's article file, relative to the articles folder


@dataclass(frozen=True, slots=True)
class ServerSettings:
    auto_answer: frozenset[int] = field(default=frozenset())
    private: bool = False  # answers only the asker sees, unless /ask says otherwise
    threads: bool = False  # /ask answers in a new thread, unless it says otherwise
    article: str | None = None  # None: the bundled (or the bot's --corpus) article

    @classmethod
    def from_values(cls, values: dict[str, str]) -> ServerSettings:
        """Settings from stored values; anything unreadable is the default."""
        channels = values.get(AUTO_ANSWER, "")
        return cls(
            auto_answer=frozenset(int(c) for c in channels.split(",") if c.isdigit()),
            private=values.get(VISIBILITY) == "private",
            threads=values.get(THREADS) == "on",
            article=values.get(ARTICLE) or None,
        )


def channels_value(channels: frozenset[int]) -> str:
    return ",".join(str(c) for c in sorted(channels))


class SettingsStore:
    """The settings table as the bot uses it: opened lazily, failures logged, not raised
    (a broken disk leaves the defaults, and says so to the manager who changes one)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else paths.feedback_db()
        self._store: Store | None = None
        self._lock = threading.Lock()

    def _open(self) -> Store:
        if self._store is None:
            # None: never purge asks from here; the feedback log does, at its retention.
            self._store = Store.open(self.path, keep_days=None)
        return self._store

    def load(self) -> dict[int, dict[str, str]]:
        """Every server's stored values: server -> name -> value."""
        if self._store is None and not self.path.exists():
            return {}  # nothing configured yet: no file made just to read it (--no-log)
        with self._lock:
            try:
                stored = self._open().guild_settings()
            except (OSError, sqlite3.Error, StoreError) as error:
                log.warning("server settings unreadable (%s): %s; defaults apply", self.path, error)
                return {}
        return {int(g): values for g, values in stored.items() if g.isdigit()}

    def change(self, guild: int, name: str, value: str | None, by: int) -> bool:
        """Store one change; False if it could not be saved."""
        with self._lock:
            try:
                self._open().set_setting(str(guild), name, value, str(by))
            except (OSError, sqlite3.Error, StoreError) as error:
                log.warning("server setting not saved (%s): %s", self.path, error)
                return False
        return True

    def changes(self, guild: int) -> list[SettingChange]:
        with self._lock:
            try:
                return self._open().setting_changes(str(guild))
            except (OSError, sqlite3.Error, StoreError) as error:
                log.warning("server setting changes unreadable (%s): %s", self.path, error)
                return []

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
