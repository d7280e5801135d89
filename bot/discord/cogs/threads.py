"""The threads /ask opens: the asker's conversation goes on there without a mention.

Reading a message that does not mention the bot needs the Message Content intent
(`--message-content`); without it such messages arrive empty and the bot stays silent.
"""

from __future__ import annotations

import discord
from discord.ext import commands

from ...render.markup import one_line
from ..messages import unprompted
from .base import MessageCog


class ThreadsCog(MessageCog, name="Threads"):
    @commands.Cog.listener("on_message")
    async def on_thread_message(self, message: discord.Message) -> None:
        me = self.bot.user
        # Only what nobody asked the bot: a mention, even in its own thread, is the chat's.
        if me is None or not unprompted(message, me):
            return
        channel = message.channel
        mine = isinstance(channel, discord.Thread) and channel.owner_id == me.id
        if mine and one_line(message.content):
            await self.service.answer_message(message, me)
