"""Answers nobody asked for, in a server's help and forum channels: only when confident.

The channels are those a server names with /config; when the article does not clearly
answer, the bot stays silent.

Reading a message that does not mention the bot needs the Message Content intent
(`--message-content`); without it such messages arrive empty and the bot stays silent, but
a forum post's title is read.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from retrieval import ReplyKind

from ...render.markup import fit, one_line
from ..embeds import NO_PINGS
from ..messages import as_text, can_post, unprompted
from ..service import DEFAULT_RESULTS, MAX_QUESTION
from ..state import Busy
from .base import MessageCog

log = logging.getLogger(__name__)

CONFIDENT = (ReplyKind.ANSWER, ReplyKind.OVERVIEW)  # not "more", "hello", nor abstentions

Postable = discord.TextChannel | discord.Thread


class AutoAnswerCog(MessageCog, name="AutoAnswer"):
    @commands.Cog.listener("on_message")
    async def on_unprompted(self, message: discord.Message) -> None:
        me = self.bot.user
        channel = message.channel
        if me is None or message.guild is None or not unprompted(message, me):
            return
        if isinstance(channel, discord.Thread) and channel.owner_id == me.id:
            return  # an /ask thread: the asker's conversation, the threads cog's to answer
        if isinstance(channel, discord.Thread) and message.id == channel.id:
            return  # a forum post's opening message: on_help_post asks with its title
        home = channel.parent_id if isinstance(channel, discord.Thread) else channel.id
        if home not in self.service.servers.get(message.guild.id).auto_answer:
            return
        question = fit(one_line(message.content), MAX_QUESTION)
        if question and isinstance(channel, Postable):
            await self.answer_unprompted(channel, message.author, question, message)

    @commands.Cog.listener("on_thread_create")
    async def on_help_post(self, thread: discord.Thread) -> None:
        """A new post in an auto-answer forum: its title is the question."""
        me = self.bot.user
        if me is None or thread.owner_id in (None, me.id):
            return
        if not isinstance(thread.parent, discord.ForumChannel):
            return
        if thread.parent_id not in self.service.servers.get(thread.guild.id).auto_answer:
            return
        question = fit(one_line(thread.name), MAX_QUESTION)
        if question:
            await self.answer_unprompted(thread, discord.Object(thread.owner_id), question, None)

    async def answer_unprompted(
        self,
        channel: Postable,
        author: discord.abc.Snowflake,
        question: str,
        message: discord.Message | None,
    ) -> None:
        """Answer only if confident; every refusal is silent, since nobody asked the bot."""
        service = self.service
        permissions = channel.permissions_for(channel.guild.me)
        if not can_post(permissions, channel):
            return
        if not service.budget.hit(author).allowed:  # type: ignore[arg-type]
            return
        key = (channel.id, author.id)
        held = service.conversations.held(key)
        try:
            with service.in_flight.slot(author.id):
                shelf = await service.shelf_for(channel.guild.id)
                reply, rest = await service.answer(
                    question, key, DEFAULT_RESULTS, shelf, nearest=False
                )
            if reply.abstained or reply.kind not in CONFIDENT or not reply.answers:
                # Not an answer: the conversation stays as it was, as if never asked.
                service.conversations.restore(key, held)
                return
            ask = service.feedback.record(
                reply, channel=channel.id, user=author.id, guild=channel.guild.id, private=False
            )
            payload = service.reply_payload(shelf, reply, rest, DEFAULT_RESULTS, ask)
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
