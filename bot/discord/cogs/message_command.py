""" "Ask the article" on any message: a private answer to its text, and a Post button.

The message's text is the question; the answer comes back to the asker alone, with a
button that posts it for everyone.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ...render import words as render
from ...render.markup import fit, one_line
from ..embeds import NO_PINGS
from ..errors import guarded, tell, within_clicks
from ..service import DEFAULT_RESULTS, MAX_QUESTION, ArticleService, within_budget
from ..views import POST_CLICK, PostButton, shared_view


class MessageCommandCog(commands.Cog, name="MessageCommand"):
    def __init__(self, bot: commands.Bot, service: ArticleService) -> None:
        self.bot = bot
        self.service = service
        # discord.py has no decorator for a context menu in a cog: it is made here, bound,
        # and installed and allowed wherever the tree's defaults say, like /ask.
        self.menu = app_commands.ContextMenu(
            name=render.ASK_THE_ARTICLE, callback=self.ask_about_message
        )
        self.menu.add_check(within_budget)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu, override=True)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def ask_about_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        # Cut, not refused: a message can be 4,000 characters, and its opening is the ask.
        question = fit(one_line(message.content or ""), MAX_QUESTION)
        if not question:
            await tell(interaction, render.NO_TEXT)
            return
        await self.service.answer_interaction(
            interaction, question, DEFAULT_RESULTS, private=True, postable=True
        )

    @commands.Cog.listener(f"on_{POST_CLICK}")
    async def on_post_click(self, interaction: discord.Interaction, button: PostButton) -> None:
        if await within_clicks(interaction, self.service.clicks):
            await guarded(interaction, self.post_publicly(interaction))

    async def post_publicly(self, interaction: discord.Interaction) -> None:
        """Post the private answer clicked under in the channel; the private copy loses its
        Post button, so one click posts once."""
        message = interaction.message
        if message is None or not message.embeds:
            await tell(interaction, render.ANSWER_UNKNOWN)
            return
        await interaction.response.edit_message(view=await shared_view(interaction))
        await interaction.followup.send(
            embeds=message.embeds, view=await shared_view(interaction), allowed_mentions=NO_PINGS
        )
