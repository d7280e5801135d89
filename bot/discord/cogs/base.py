"""What every cog that reads messages starts from: the bot it serves and the shared service."""

from __future__ import annotations

from discord.ext import commands

from ..service import ArticleService


class MessageCog(commands.Cog):
    """A cog that answers messages: it needs the bot (to know its own user) and the service."""

    def __init__(self, bot: commands.Bot, service: ArticleService) -> None:
        self.bot = bot
        self.service = service
