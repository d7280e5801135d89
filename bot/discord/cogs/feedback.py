"""Feedback: /recording (whether a server's asks are kept) and the 👍 and 👎 votes."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ...render import words as render
from ..embeds import NO_PINGS
from ..errors import guarded, tell
from ..service import ArticleService
from ..views import VOTE_CLICK, VoteButton


class FeedbackCog(commands.Cog, name="Feedback"):
    """The feedback log opens and closes with this cog."""

    def __init__(self, service: ArticleService) -> None:
        self.feedback = service.feedback

    async def cog_load(self) -> None:
        await self.feedback.start()

    async def cog_unload(self) -> None:
        await self.feedback.flush()
        self.feedback.close()

    @commands.Cog.listener(f"on_{VOTE_CLICK}")
    async def on_vote_click(self, interaction: discord.Interaction, button: VoteButton) -> None:
        await guarded(interaction, self.feedback.vote(interaction, button.ask, button.up))

    @app_commands.command(
        name="recording",
        description="Server managers: keep this server's questions and votes for the bot's owner?",
    )
    @app_commands.describe(keep="True: record questions and votes here (default); False: stop")
    @app_commands.guild_only()
    # Said in full: the tree's defaults (everywhere) fill in whatever a command leaves unsaid.
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.default_permissions(manage_guild=True)
    async def recording(self, interaction: discord.Interaction, keep: bool) -> None:
        # Who may run it is Discord's to enforce: managers by default, or whomever a server's
        # integration settings allow.
        guild = interaction.guild_id
        if guild is None or not self.feedback.log.enabled:
            await tell(interaction, render.VOTES_OFF)
            return
        saved = await self.feedback.keep(guild, keep)
        await interaction.response.send_message(
            render.recording_message(keep) if saved else render.VOTE_NOT_SAVED,
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )
