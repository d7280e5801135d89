"""Asks and votes from Discord, written off the event loop; and servers that opt out.

Every store call runs in one writer thread, in order: an ask is on record before a vote on
it, the gateway's heartbeat never waits for the disk, and a failing disk (which FeedbackLog
swallows, logging it once) never stops an answer going out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import discord

from retrieval import QA, Reply, ReplyKind

from ..render import words as render
from ..reports.feedback import FeedbackLog, ask_record, corpus_fingerprint
from ..reports.store import new_ask_id
from .errors import tell
from .settings import DiscordSettings

log = logging.getLogger(__name__)


class DiscordFeedback:
    """The bot's feedback log: records asks and votes through one writer thread."""

    def __init__(self, qa: QA, settings: DiscordSettings) -> None:
        self.log = FeedbackLog(settings.db, enabled=settings.log_asks, keep_days=settings.keep_days)
        self.corpus = corpus_fingerprint(qa) if settings.log_asks else ""
        self.quiet: set[int] = set()  # servers whose managers turned recording off
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="article-qa-feedback")

    async def _off_loop(self, function: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writer, partial(function, *args))

    async def start(self) -> None:
        """Open the store (migrating, purging) and read the opted-out servers, off the loop."""
        if not self.log.enabled:
            return
        # The salt is read here too: later hashing is pure computation, fit for the loop.
        await self._off_loop(self.log.hash_id, 0)
        self.quiet = {int(g) for g in await self._off_loop(self.log.quiet_guilds) if g.isdigit()}

    def records(self, guild: int | None) -> bool:
        return self.log.enabled and guild not in self.quiet

    def record(
        self, reply: Reply, *, channel: int, user: int, guild: int | None, private: bool
    ) -> int | None:
        """Queue the ask for writing; the id its vote buttons carry (None: no buttons)."""
        if not self.records(guild):
            return None
        ask = ask_record(
            reply,
            surface="discord",
            corpus=self.corpus,
            conversation=self.log.hash_id(f"{channel}:{user}"),  # each person's own
            asker=self.log.hash_id(user),
            ask_id=new_ask_id(),
        )
        # Not awaited: the answer goes out now; FeedbackLog.record never raises.
        asyncio.get_running_loop().run_in_executor(self._writer, self.log.record, ask)
        rateable = reply.answers and not reply.abstained and reply.kind is not ReplyKind.SMALL_TALK
        return ask.id if rateable and self.log.working else None

    async def vote(self, interaction: discord.Interaction, ask: int, up: bool) -> None:
        if not self.records(interaction.guild_id):
            await tell(interaction, render.VOTES_OFF)
            return
        voter = self.log.hash_id(interaction.user.id)
        outcome = await self._off_loop(self.log.vote, ask, voter, up)
        await tell(interaction, render.vote_message(outcome or "", up, "this answer"))

    async def keep(self, guild: int, on: bool) -> bool:
        """Record `guild`'s questions and votes from now (on), or stop; False if unsaved."""
        saved = await self._off_loop(self.log.set_quiet, str(guild), not on)
        if saved:
            (self.quiet.discard if on else self.quiet.add)(guild)
        return bool(saved)

    async def flush(self) -> None:
        """Wait for every write queued so far (tests, and a clean shutdown)."""
        await self._off_loop(lambda: None)

    def close(self) -> None:
        # Queued writes still run; the connection closes after them, in the writer thread.
        self._writer.submit(self.log.close)
        self._writer.shutdown(wait=False)
