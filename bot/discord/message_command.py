""" "Ask the article" on any message: its text is the question, the answer comes back to
the asker alone, with a button that posts it for everyone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from ..render import words as render
from ..render.markup import fit, one_line
from .chat import DEFAULT_RESULTS
from .embeds import NO_PINGS
from .errors import tell
from .views import article_cog, shared_view

if TYPE_CHECKING:
    from .commands import ArticleCog

MAX_QUESTION = 300


def within_budget(interaction: discord.Interaction) -> bool:
    """A command's check: the user's question budget; the refusal is a cooldown error."""
    verdict = article_cog(interaction.client).budget.hit(interaction.user)
    if not verdict.allowed:
        raise app_commands.CommandOnCooldown(verdict.cooldown, verdict.retry_after)
    return True


def message_command(cog: ArticleCog) -> app_commands.ContextMenu:
    """The context-menu command, bound to `cog` (discord.py has no decorator for one in a
    cog); installed and allowed wherever the tree's defaults say, like /ask."""
    menu = app_commands.ContextMenu(name=render.ASK_THE_ARTICLE, callback=cog.ask_about_message)
    menu.add_check(within_budget)
    return menu


class MessageCommandMixin:
    async def ask_about_message(
        self: ArticleCog, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        # Cut, not refused: a message can be 4,000 characters, and its opening is the ask.
        question = fit(one_line(message.content or ""), MAX_QUESTION)
        if not question:
            await tell(interaction, render.NO_TEXT)
            return
        await self.answer_interaction(
            interaction, question, DEFAULT_RESULTS, private=True, postable=True
        )

    async def post_publicly(self: ArticleCog, interaction: discord.Interaction) -> None:
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
