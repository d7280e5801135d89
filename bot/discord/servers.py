"""Each server's settings and article as the bot serves them: read once at start, changed
by /config, and never consulted outside their server (a DM gets the defaults)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from ..reports.store import SettingChange
from . import server_articles
from .server_settings import ServerSettings, SettingsStore
from .settings import DiscordSettings
from .shelves import Shelf

log = logging.getLogger(__name__)

DEFAULTS = ServerSettings()


class Servers:
    def __init__(self, settings: DiscordSettings) -> None:
        self.store = SettingsStore(settings.db)
        self.folder = server_articles.articles_dir(settings.articles_dir)
        self._values: dict[int, dict[str, str]] = {}
        self._settings: dict[int, ServerSettings] = {}
        self._shelves: dict[int, tuple[str, Shelf]] = {}  # server -> (its article, its shelf)
        self._building = asyncio.Lock()
        self._writer: ThreadPoolExecutor | None = None

    async def _off_loop(self, function: Callable[..., Any], *args: Any) -> Any:
        # One thread for the store, in order, so the event loop never waits for the disk;
        # made anew after a close, so a bot started again still works.
        if self._writer is None:
            self._writer = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="article-qa-servers"
            )
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writer, partial(function, *args))

    async def start(self) -> None:
        self._values = await self._off_loop(self.store.load)
        self._settings = {g: ServerSettings.from_values(v) for g, v in self._values.items()}

    def close(self) -> None:
        if self._writer is not None:
            self._writer.submit(self.store.close)
            self._writer.shutdown(wait=False)
            self._writer = None

    def get(self, guild: int | None) -> ServerSettings:
        return self._settings.get(guild, DEFAULTS) if guild is not None else DEFAULTS

    async def change(self, guild: int, name: str, value: str | None, by: int) -> bool:
        """Store a change made by `by`, then apply it; False (nothing applied) if unsaved."""
        if not await self._off_loop(self.store.change, guild, name, value, by):
            return False
        values = dict(self._values.get(guild, {}))
        values.pop(name, None)
        if value is not None:
            values[name] = value
        self._values[guild] = values
        self._settings[guild] = ServerSettings.from_values(values)
        return True

    async def changes(self, guild: int) -> list[SettingChange]:
        return await self._off_loop(self.store.changes, guild)

    def adopt(self, guild: int, article: str, shelf: Shelf) -> None:
        """`shelf` is the server's, over its `article` (just uploaded and indexed)."""
        self._shelves[guild] = (article, shelf)

    def built(self, guild: int | None, default: Shelf) -> Shelf | None:
        """The shelf a server's questions are answered from if it is ready now; None while
        its article is still to be loaded (its first use since the start, which can take
        seconds: a command acknowledges first)."""
        article = self.get(guild).article
        if guild is None or article is None:
            return default
        held = self._shelves.get(guild)
        return held[1] if held is not None and held[0] == article else None

    async def shelf(self, guild: int | None, default: Shelf, run: Callable[..., Any]) -> Shelf:
        """The shelf a server's questions are answered from; `run` does the core's work (the
        service's worker) when a server's article is first needed since the start."""
        article = self.get(guild).article
        if guild is None or article is None:
            return default
        held = self._shelves.get(guild)
        if held is not None and held[0] == article:
            return held[1]
        async with self._building:  # two first questions at once build it once
            held = self._shelves.get(guild)
            if held is not None and held[0] == article:
                return held[1]
            try:
                qa = await run(server_articles.load, self.folder, article)
                shelf = await run(Shelf.of, qa)
            except Exception:
                # Once: the default answers until a manager uploads or resets the article.
                log.exception("server %s: article %s unusable; the default answers", guild, article)
                shelf = default
            self._shelves[guild] = (article, shelf)
            return shelf

    def forget(self, guild: int) -> None:
        self._shelves.pop(guild, None)
