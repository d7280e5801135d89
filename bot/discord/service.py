"""The article service the cogs share: the per-bot state, and answering wherever asked.

The corpus and its worker thread, conversations, budgets, slots in flight, servers and
feedback live here, with the answering of a command, a thread or a message. Questions go
to `retrieval.QA` in the worker thread; replies come back as `embeds`. Every send passes
NO_PINGS, and the only state is per bot (`state`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import discord
from discord import app_commands

from retrieval import DEFAULT_K, QA, Answer, Reply, ReplyKind
from retrieval.ranking.answer import NOTHING_MORE, first_results
from retrieval.ranking.index import RetrieverUnavailable

from ..render import words as render
from ..render.markup import CONTENT_LIMIT, fit, one_line
from .embeds import NO_PINGS, answer_embed, greeting_embed, not_said_embed
from .errors import withdraw_thinking
from .feedback import DiscordFeedback
from .messages import NO_ENTRY, as_text, can_post, permissions, reply_to
from .servers import Servers
from .settings import DiscordSettings
from .shelves import Shelf
from .state import Busy, Conversations, InFlight, QuestionBudget
from .views import ClosestButton, MoreButton, PostButton, answer_view

log = logging.getLogger(__name__)

MAX_QUESTION = 300
MAX_RESULTS = 5  # /ask's `results` range, and "More"'s
DEFAULT_RESULTS = max(1, min(DEFAULT_K, MAX_RESULTS))
# An answer and its "More" pages come from one ranking this deep: the depth the core ranks
# to anyway (retrieval.ranking.rerank.RERANKED), so the first page is what asking for it
# alone gives.
MAX_MORE = 15
MAX_CLOSEST = 3
THREAD_NAME_LIMIT = 100
ARCHIVE_AFTER = 1440  # minutes: a day without messages, as Discord's default

# Mentions, channels and custom emoji travel as markup with numeric ids ("<@&123>"): no
# words of the question, and numbers the article would be expected to hold.
_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>")


def service_of(client: discord.Client) -> ArticleService:
    """The service of the bot an interaction reached (each bot has its own state)."""
    return client.article  # type: ignore[attr-defined,no-any-return]


def within_budget(interaction: discord.Interaction) -> bool:
    """A command's check: the user's question budget; the refusal is a cooldown error."""
    verdict = service_of(interaction.client).budget.hit(interaction.user)
    if not verdict.allowed:
        raise app_commands.CommandOnCooldown(verdict.cooldown, verdict.retry_after)
    return True


def can_start_thread(interaction: discord.Interaction) -> bool:
    """Whether the bot may start a thread where the command was used: a server's text
    channel the bot is in (a person's install can't), with the permissions for it."""
    permissions = interaction.app_permissions
    return (
        interaction.guild is not None
        and isinstance(interaction.channel, discord.TextChannel)
        and permissions.create_public_threads
        and permissions.send_messages_in_threads
    )


class ArticleService:
    """What the cogs share: conversations, budgets, slots in flight, shelves, feedback."""

    def __init__(
        self, qa: QA, settings: DiscordSettings, feedback: DiscordFeedback, servers: Servers
    ) -> None:
        self.qa = qa
        self.settings = settings
        self.feedback = feedback
        self.servers = servers
        # Each person's conversation is their own, per channel, thread or DM.
        self.conversations = Conversations(settings.max_conversations)
        self.budget = QuestionBudget(settings.rate, settings.per)
        self.clicks = QuestionBudget(settings.clicks, settings.per)  # buttons: their own
        self.in_flight = InFlight(settings.in_flight)
        # The bot's own article(s), for DMs and servers without one of their own; made
        # whole (tag, examples) when the service starts.
        self.shelf = Shelf(qa, "", ())
        self._worker: ThreadPoolExecutor | None = None

    def worker(self) -> ThreadPoolExecutor:
        """One worker: questions are answered in order, and the core is never used by two
        threads at once. Made anew after a close, so a bot started again still answers."""
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="article-qa")
        return self._worker

    async def start(self) -> None:
        await self.servers.start()
        try:
            self.shelf = await self.off_loop(Shelf.of, self.qa)
        except Exception:
            log.exception("could not build example questions; the abstention will have none")

    def close(self) -> None:
        self.servers.close()
        if self._worker is not None:
            self._worker.shutdown(wait=False, cancel_futures=True)
            self._worker = None

    async def off_loop(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run the core's work in the worker thread so the gateway keeps its heartbeat."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.worker(), partial(function, *args, **kwargs))

    async def shelf_for(self, guild: int | None) -> Shelf:
        """What questions asked in `guild` (None: a DM) are answered from."""
        return await self.servers.shelf(guild, self.shelf, self.off_loop)

    async def shelf_in_time(self, interaction: discord.Interaction, *, ephemeral: bool) -> Shelf:
        """The interaction's shelf; a server's article used for the first time since the
        start is loaded after acknowledging, as that can take longer than Discord waits."""
        waiting = self.servers.built(interaction.guild_id, self.shelf) is None
        if waiting and not interaction.response.is_done():
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        return await self.shelf_for(interaction.guild_id)

    async def choices_shelf(self, interaction: discord.Interaction) -> Shelf:
        """The shelf for an autocomplete, which cannot wait: until a server's own is
        ready (being built now), the default's choices."""
        ready = self.servers.built(interaction.guild_id, self.shelf)
        if ready is None:
            asyncio.get_running_loop().create_task(self.shelf_for(interaction.guild_id))
        return ready or self.shelf

    async def answer(
        self, question: str, key: tuple[int, int], k: int, shelf: Shelf, nearest: bool = True
    ) -> tuple[Reply, tuple[Answer, ...]]:
        """The reply to `question` in conversation `key` (its first `k` answers), and the
        answers after them, for "More"; or, when the article doesn't say, the sentences
        nearest the question (with `nearest`), offered as no answer."""
        previous = self.conversations.last_reply(key, shelf.tag)
        asked = one_line(_DISCORD_MARKUP.sub(" ", question)) or question
        ranked = await self.off_loop(shelf.qa.ask, asked, k=MAX_MORE, previous=previous)
        reply = first_results(ranked, k, previous)
        if asked != question:
            reply = dataclasses.replace(reply, question=question)  # shown as the user wrote it
        self.conversations.remember(key, shelf.tag, reply)
        if nearest and reply.kind is ReplyKind.ABSTAIN and reply.reason != NOTHING_MORE:
            closest = await self.off_loop(shelf.qa.closest, asked, MAX_CLOSEST, previous)
            return reply, closest
        return reply, ranked.answers[k:]

    def reply_payload(
        self, shelf: Shelf, reply: Reply, rest: tuple[Answer, ...], k: int, ask: int | None = None
    ) -> dict[str, Any]:
        """Embed and buttons for a reply; "More" (or, for an abstention, "Closest passages")
        carries `rest`; votes rate `ask`."""
        if reply.kind is ReplyKind.SMALL_TALK:
            return {"embed": greeting_embed(reply, shelf.examples)}
        if reply.abstained or not reply.answers:
            payload: dict[str, Any] = {"embed": not_said_embed(shelf.qa, reply, shelf.examples)}
            closest = ClosestButton.carrying(shelf.tag, rest)
            if closest is not None:
                payload["view"] = discord.ui.View(timeout=None).add_item(closest)
            return payload
        more = MoreButton.carrying(shelf.tag, k, rest)
        return {
            "embed": answer_embed(shelf.qa, reply, reply.answers),
            "view": answer_view(shelf.tag, reply.answers[0], more, ask),
        }

    async def answer_interaction(
        self,
        interaction: discord.Interaction,
        question: str,
        k: int,
        *,
        private: bool,
        postable: bool = False,
    ) -> None:
        """Answer a command's question as its response; `postable`: with a Post button."""
        # The slot is taken before the acknowledgement: Busy is then told privately.
        with self.in_flight.slot(interaction.user.id):
            # Acknowledge first: answering a large corpus can take longer than Discord waits.
            await interaction.response.defer(ephemeral=private, thinking=True)
            channel = interaction.channel_id or interaction.user.id
            shelf = await self.shelf_for(interaction.guild_id)
            try:
                key = (channel, interaction.user.id)
                reply, rest = await self.answer(question, key, k, shelf)
                ask = self.feedback.record(
                    reply, channel=channel, user=interaction.user.id,
                    guild=interaction.guild_id, private=private,
                )  # fmt: skip
                payload = self.reply_payload(shelf, reply, rest, k, ask)
                if postable:
                    payload.setdefault("view", discord.ui.View(timeout=None))
                    payload["view"].add_item(PostButton())
                await interaction.followup.send(
                    **payload, ephemeral=private, allowed_mentions=NO_PINGS
                )
            except Exception as error:
                # A NotFound means the channel or the interaction is gone: nothing to withdraw.
                if not private and not isinstance(error, discord.NotFound):
                    await withdraw_thinking(interaction)
                raise

    async def answer_in_thread(
        self, interaction: discord.Interaction, question: str, k: int
    ) -> None:
        """/ask's thread mode: the answer opens a new public thread named after the
        question, and the thread is the asker's conversation from then on."""
        channel = interaction.channel
        assert isinstance(channel, discord.TextChannel)  # can_start_thread
        with self.in_flight.slot(interaction.user.id):
            # Private: the public answer is the thread; the command's own reply says where.
            await interaction.response.defer(ephemeral=True, thinking=True)
            shelf = await self.shelf_for(interaction.guild_id)
            thread = await channel.create_thread(
                name=fit(one_line(question), THREAD_NAME_LIMIT) or render.FALLBACK_EXAMPLE,
                type=discord.ChannelType.public_thread,
                auto_archive_duration=ARCHIVE_AFTER,
            )
            reply, rest = await self.answer(question, (thread.id, interaction.user.id), k, shelf)
            ask = self.feedback.record(
                reply, channel=thread.id, user=interaction.user.id,
                guild=interaction.guild_id, private=False,
            )  # fmt: skip
            await thread.send(
                **self.reply_payload(shelf, reply, rest, k, ask), allowed_mentions=NO_PINGS
            )
            # So it is in the asker's list; failing that, they open it from the channel.
            with contextlib.suppress(discord.HTTPException):
                await thread.add_user(interaction.user)
            await interaction.followup.send(
                render.answered_in_thread(thread.id), ephemeral=True, allowed_mentions=NO_PINGS
            )

    async def answer_message(self, message: discord.Message, me: discord.ClientUser) -> None:
        """Answer a message to the bot, as a reply; every failure ends in a log line, and
        where it can, a word to the asker.

        A message has ways to fail that a command has not: a channel the bot may read but
        not post in, or post in but not embed, or that is deleted under the answer.
        """
        try:
            await self._chat(message, me)
        except discord.NotFound as error:
            # Deleted under a pending answer: nobody is left to read it; not a bug.
            log.info("channel %s is gone before its answer: %s", message.channel.id, error.text)
        except discord.Forbidden as error:
            await self._cannot_post(message, error.text or "forbidden")
        except discord.HTTPException as error:
            log.warning("could not reply in channel %s: %s", message.channel.id, error)
        except RetrieverUnavailable as error:
            # The search cluster is down: an outage to report in a line, not a bug.
            log.error("cannot answer in channel %s: %s", message.channel.id, error)
            await self._reply_safely(message, render.APOLOGY)
        except Exception:
            log.exception("failed to answer a message in channel %s", message.channel.id)
            await self._reply_safely(message, render.APOLOGY)

    async def _chat(self, message: discord.Message, me: discord.ClientUser) -> None:
        allowed = permissions(message)
        if not can_post(allowed, message.channel):
            await self._cannot_post(message, "no Send Messages permission")
            return
        question = one_line(re.sub(rf"<@!?{me.id}>", " ", message.content))
        verdict = self.budget.hit(message.author)
        if not verdict.allowed:
            # One notice per burst, deleted once it is stale: a notice per message would be
            # the very flood the limit prevents.
            if verdict.first_refusal:
                await reply_to(
                    message,
                    render.slow_down(verdict.retry_after),
                    delete_after=max(verdict.retry_after, 5.0),
                )
            return
        guild = message.guild.id if message.guild else None
        shelf = await self.shelf_for(guild)
        if not question:
            hint = render.chat_hint(me.display_name, shelf.examples, CONTENT_LIMIT)
            await reply_to(message, hint)
            return
        try:
            with self.in_flight.slot(message.author.id):
                key = (message.channel.id, message.author.id)
                reply, rest = await self.answer(question, key, DEFAULT_RESULTS, shelf)
        except Busy:
            await reply_to(message, render.BUSY, delete_after=5.0)
            return
        ask = self.feedback.record(
            reply, channel=message.channel.id, user=message.author.id,
            guild=guild, private=False,
        )  # fmt: skip
        payload = self.reply_payload(shelf, reply, rest, DEFAULT_RESULTS, ask)
        if allowed is not None and not allowed.embed_links:
            payload = as_text(payload)
        await reply_to(message, **payload)

    async def _cannot_post(self, message: discord.Message, reason: str) -> None:
        """Tell the asker, some other way, that the bot cannot answer where they asked."""
        name = getattr(message.channel, "name", None) or str(message.channel.id)
        try:
            await message.author.send(render.cannot_post(name), allowed_mentions=NO_PINGS)
            told = "told the asker in a DM"
        except discord.HTTPException:
            try:
                await message.add_reaction(NO_ENTRY)
                told = "reacted to the question"
            except discord.HTTPException:
                told = "could not tell the asker"
        log.warning("cannot post in channel %s (%s); %s", message.channel.id, reason, told)

    async def _reply_safely(self, message: discord.Message, text: str) -> None:
        try:
            await reply_to(message, text)
        except discord.HTTPException as error:
            log.warning("could not apologise in channel %s: %s", message.channel.id, error)
