"""The chat: a mention in a server, or any message in a DM, is answered as a reply."""

from __future__ import annotations

import discord
from discord.ext import commands

from ..messages import CHAT, mentions
from .base import MessageCog


class ChatCog(MessageCog, name="Chat"):
    @commands.Cog.listener("on_message")
    async def on_chat(self, message: discord.Message) -> None:
        me = self.bot.user
        if me is None or message.author.bot or message.type not in CHAT:
            return
        if message.guild is not None and not mentions(message, me):
            return
        await self.service.answer_message(message, me)
