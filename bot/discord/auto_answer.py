"""Answers nobody asked the bot for: in the help and forum channels a server names with
/config (only when the article clearly answers; silent otherwise), and in the threads the
bot started for /ask (the asker's conversation goes on there without a mention).

Messages of bots, webhooks and the bot itself are never answered. Reading a message that
does not mention the bot needs the Message Content intent (`--message-content`); without
it such messages arrive empty and the bot stays silent, but a forum post's title is read.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from retrieval import ReplyKind

from ..render.markup import fit, one_line
from .chat import DEFAULT_RESULTS, as_text
from .embeds import NO_PINGS
from .state import Busy

if TYPE_CHECKING:
    from .commands import ArticleCog

log = logging.getLogger(__name__)

CHAT = (discord.MessageType.default, discord.MessageType.reply)
CONFIDENT = (ReplyKind.ANSWER, ReplyKind.OVERVIEW)  # not "more", "hello", nor abstentions
MAX_QUESTION = 300

Postable = discord.TextChannel | discord.Thread


class AutoAnswerMixin:
    @commands.Cog.listener("on_message")
    async def on_unprompted(self: ArticleCog, message: discord.Message) -> None:
        me = self.bot.user
        channel = message.channel
        if me is None or message.guild is None or message.webhook_id is not None:
            return
        if message.author.bot or message.type not in CHAT:
            return  # other bots and the bot itself: never a conversation between bots
        if any(user.id == me.id for user in message.mentions):
            return  # a mention: the chat answers it
        if isinstance(channel, discord.Thread) and channel.owner_id == me.id:
            if one_line(message.content):
                await self.on_chat_message(message, me)  # the /ask thread's conversation
            return
        if isinstance(channel, discord.Thread) and message.id == channel.id:
            return  # a forum post's opening message: on_help_post asks with its title
        home = channel.parent_id if isinstance(channel, discord.Thread) else channel.id
        if home not in self.servers.get(message.guild.id).auto_answer:
            return
        question = fit(one_line(message.content), MAX_QUESTION)
        if question and isinstance(channel, Postable):
            await self.answer_unprompted(channel, message.author, question, message)

    @commands.Cog.listener("on_thread_create")
    async def on_help_post(self: ArticleCog, thread: discord.Thread) -> None:
        """A new post in an auto-answer forum: its title is the question."""
        me = self.bot.user
        if me is None or thread.owner_id in (None, me.id):
            return
        if not isinstance(thread.parent, discord.ForumChannel):
            return
        if thread.parent_id not in self.servers.get(thread.guild.id).auto_answer:
            return
        question = fit(one_line(thread.name), MAX_QUESTION)
        if question:
            await self.answer_unprompted(thread, discord.Object(thread.owner_id), question, None)

    async def answer_unprompted(
        self: ArticleCog,
        channel: Postable,
        author: discord.abc.Snowflake,
        question: str,
        message: discord.Message | None,
    ) -> None:
        """Answer only if confident; every refusal is silent, since nobody asked the bot."""
        permissions = channel.permissions_for(channel.guild.me)
        can_post = (
            permissions.send_messages_in_threads
            if isinstance(channel, discord.Thread)
            else permissions.send_messages
        )
        if not can_post or not self.budget.hit(author).allowed:  # type: ignore[arg-type]
            return
        key = (channel.id, author.id)
        held = self.conversations.held(key)
        try:
            with self.in_flight.slot(author.id):
                shelf = await self.shelf_for(channel.guild.id)
                reply, rest = await self.answer(
                    question, key, DEFAULT_RESULTS, shelf, nearest=False
                )
            if reply.abstained or reply.kind not in CONFIDENT or not reply.answers:
                # Not an answer: the conversation stays as it was, as if never asked.
                self.conversations.restore(key, held)
                return
            ask = self.feedback.record(
                reply, channel=channel.id, user=author.id, guild=channel.guild.id, private=False
            )
            payload = self.reply_payload(shelf, reply, rest, DEFAULT_RESULTS, ask)
            if not permissions.embed_links:
                payload = as_text(payload)
            reference = message.to_reference(fail_if_not_exists=False) if message else None
            await channel.send(reference=reference, allowed_mentions=NO_PINGS, **payload)
        except Busy:
            return
        except discord.HTTPException as error:
            log.info("could not answer unprompted in channel %s: %s", channel.id, error)
        except Exception:
            log.exception("failed to answer unprompted in channel %s", channel.id)
