"""The chat: answers to mentions and DMs, as replies, whatever the channel allows.

A mixin of the article cog (discord.py collects a cog's listeners along its bases), kept
apart because a mention has ways to fail that a slash command has not: a channel the bot
may read but not post in, or post in but not embed, or that is deleted under the answer.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from retrieval import DEFAULT_K
from retrieval.ranking.index import RetrieverUnavailable

from ..render import words as render
from ..render.markup import CONTENT_LIMIT, one_line
from .embeds import NO_PINGS
from .state import Busy

if TYPE_CHECKING:
    from .commands import ArticleCog

log = logging.getLogger(__name__)

MAX_RESULTS = 5  # /ask's `results` range, and "More"'s
DEFAULT_RESULTS = max(1, min(DEFAULT_K, MAX_RESULTS))
NO_ENTRY = "\U0001f6ab"  # the reaction that says "I can't answer here" when a DM fails too


async def reply_to(
    message: discord.Message, content: str | None = None, **fields: Any
) -> discord.Message:
    """Reply without pinging anyone; a reply to a message deleted meanwhile is a plain send."""
    return await message.channel.send(
        content,
        reference=message.to_reference(fail_if_not_exists=False),
        allowed_mentions=NO_PINGS,
        **fields,
    )


def _mention_pattern(user_id: int) -> re.Pattern[str]:
    return re.compile(rf"<@!?{user_id}>")


def _permissions(message: discord.Message) -> discord.Permissions | None:
    """What the bot may do where `message` was sent (None: a DM, or not known: just try)."""
    guild = message.guild
    if guild is None or guild.me is None:
        return None
    return message.channel.permissions_for(guild.me)  # type: ignore[arg-type]


def _can_post(permissions: discord.Permissions | None, message: discord.Message) -> bool:
    if permissions is None:
        return True
    if isinstance(message.channel, discord.Thread):
        return permissions.send_messages_in_threads
    return permissions.send_messages


def as_text(payload: dict[str, Any]) -> dict[str, Any]:
    """An embed payload as plain message content, for a channel without Embed Links.

    Whole lines are kept while they fit, so no bold run or escape is cut in half.
    """
    embed: discord.Embed = payload["embed"]
    lines = [f"**{embed.title}**"] if embed.title else []
    lines += (embed.description or "").splitlines()
    if embed.footer.text:
        lines.append(f"*{discord.utils.escape_markdown(embed.footer.text)}*")
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > CONTENT_LIMIT:
            break
        kept.append(line)
        used += len(line) + 1
    return {"content": "\n".join(kept)} | {k: v for k, v in payload.items() if k != "embed"}


class ChatMixin:
    """on_message for the article cog: mentions in servers, every message in DMs."""

    @commands.Cog.listener("on_message")
    async def on_chat(self: ArticleCog, message: discord.Message) -> None:
        me = self.bot.user
        chat = (discord.MessageType.default, discord.MessageType.reply)
        if me is None or message.author.bot or message.type not in chat:
            return
        if message.guild is not None and not any(user.id == me.id for user in message.mentions):
            return
        await self.on_chat_message(message, me)

    async def on_chat_message(
        self: ArticleCog, message: discord.Message, me: discord.ClientUser
    ) -> None:
        """Answer a message to the bot; every failure ends in a log line, and where it can,
        a word to the asker."""
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

    async def _chat(self: ArticleCog, message: discord.Message, me: discord.ClientUser) -> None:
        permissions = _permissions(message)
        if not _can_post(permissions, message):
            await self._cannot_post(message, "no Send Messages permission")
            return
        question = one_line(_mention_pattern(me.id).sub(" ", message.content))
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
        if permissions is not None and not permissions.embed_links:
            payload = as_text(payload)
        await reply_to(message, **payload)

    async def _cannot_post(self: ArticleCog, message: discord.Message, reason: str) -> None:
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

    async def _reply_safely(self: ArticleCog, message: discord.Message, text: str) -> None:
        try:
            await reply_to(message, text)
        except discord.HTTPException as error:
            log.warning("could not apologise in channel %s: %s", message.channel.id, error)
