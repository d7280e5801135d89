"""/config: a server's managers choose how the bot answers there.

Discord shows the command only to members with Manage Server (a server may grant it to
others in its Integrations settings); every change is confirmed privately and recorded
with who made it.
"""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from ...render.markup import CONTENT_LIMIT, fit
from .. import config_words as words
from .. import server_articles
from ..embeds import NO_PINGS
from ..errors import tell
from ..server_settings import ARTICLE, AUTO_ANSWER, LOGGING, THREADS, VISIBILITY, channels_value
from ..service import ArticleService
from ..shelves import Shelf

log = logging.getLogger(__name__)

HelpChannel = discord.TextChannel | discord.ForumChannel


async def confirm(interaction: discord.Interaction, text: str) -> None:
    """A private reply to a manager: the command's response, or its follow-up."""
    text = fit(text, CONTENT_LIMIT)  # a server can name many channels
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)


class ConfigCog(commands.Cog, name="Config"):
    config = app_commands.Group(
        name="config",
        description="Server managers: how the bot answers in this server.",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
        # Said in full: the tree's defaults (everywhere) fill in whatever is left unsaid.
        allowed_contexts=app_commands.AppCommandContext(
            guild=True, dm_channel=False, private_channel=False
        ),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
    )
    article = app_commands.Group(
        name="article", description="This server's own article.", parent=config
    )

    def __init__(self, bot: commands.Bot, service: ArticleService) -> None:
        self.bot = bot
        self.service = service
        self.servers = service.servers
        self.feedback = service.feedback

    async def _change(
        self, interaction: discord.Interaction, name: str, value: str | None, text: str
    ) -> None:
        assert interaction.guild_id is not None  # guild_only
        saved = await self.servers.change(interaction.guild_id, name, value, interaction.user.id)
        await confirm(interaction, text if saved else words.NOT_SAVED)

    @config.command(name="show", description="This server's settings and their last changes.")
    async def show(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild_id
        assert guild is not None
        shelf = await self.service.shelf_in_time(interaction, ephemeral=True)
        changes = await self.servers.changes(guild)
        text = words.overview(
            self.servers.get(guild), self.feedback.records(guild), shelf.qa.title, changes
        )
        await confirm(interaction, text)

    @config.command(
        name="auto-answer",
        description="Answer questions in a help or forum channel without being mentioned.",
    )
    @app_commands.describe(
        channel="A text or forum channel of this server",
        answer="True: answer there when confident, silent otherwise; False: stop",
    )
    async def auto_answer(
        self, interaction: discord.Interaction, channel: HelpChannel, answer: bool
    ) -> None:
        settings = self.servers.get(interaction.guild_id)
        channels = (
            settings.auto_answer | {channel.id} if answer else settings.auto_answer - {channel.id}
        )
        reads = self.bot.intents.message_content
        forum = isinstance(channel, discord.ForumChannel)
        text = words.auto_answer(str(channel.id), answer, reads, forum)
        await self._change(interaction, AUTO_ANSWER, channels_value(channels) or None, text)

    @config.command(name="visibility", description="Who sees /ask answers by default.")
    @app_commands.describe(answers="public: everyone in the channel; private: only the asker")
    async def visibility(
        self, interaction: discord.Interaction, answers: Literal["public", "private"]
    ) -> None:
        text = words.visibility(answers == "private")
        await self._change(interaction, VISIBILITY, answers, text)

    @config.command(name="threads", description="Answer /ask in a new thread by default.")
    @app_commands.describe(on="True: a thread named after each question; False: in the channel")
    async def threads(self, interaction: discord.Interaction, on: bool) -> None:
        await self._change(interaction, THREADS, "on" if on else "off", words.threads(on))

    @config.command(name="logging", description="Record this server's questions and votes.")
    @app_commands.describe(on="True: recorded for the bot's owner (default); False: not")
    async def logging(self, interaction: discord.Interaction, on: bool) -> None:
        guild = interaction.guild_id
        assert guild is not None
        if not self.feedback.log.enabled:
            await tell(interaction, words.NOT_SAVED)
            return
        if await self.feedback.keep(guild, on):
            value = "on" if on else "off"
            await self._change(interaction, LOGGING, value, words.logging(on))
        else:
            await confirm(interaction, words.NOT_SAVED)

    @article.command(name="upload", description="Answer this server from your own article.")
    @app_commands.describe(
        file=f"A .txt or .md file, UTF-8, at most {server_articles.MAX_BYTES // 1000} KB: "
        "title line, blank line, paragraphs"
    )
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        guild = interaction.guild_id
        assert guild is not None
        try:
            server_articles.check_upload(file.filename, file.size)
        except server_articles.UploadError as error:
            await confirm(interaction, words.upload_refused(str(error)))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        raw = await file.read()
        folder = self.servers.folder
        try:
            text = await self.service.off_loop(server_articles.article_text, file.filename, raw)
        except server_articles.UploadError as error:
            await confirm(interaction, words.upload_refused(str(error)))
            return
        # Saved and indexed once, here; later starts read the analysis from the cache. The
        # article in use stays until the new one is indexed and on record.
        stored = await self.service.off_loop(
            server_articles.save, folder, guild, file.filename, text
        )
        try:
            qa = await self.service.off_loop(server_articles.load, folder, stored)
            shelf = await self.service.off_loop(Shelf.of, qa)
            saved = await self.servers.change(guild, ARTICLE, stored, interaction.user.id)
        except BaseException:
            saved = False
            raise
        finally:
            keep = stored if saved else self.servers.get(guild).article
            await self.service.off_loop(server_articles.keep_only, folder, guild, keep)
        if not saved:
            await confirm(interaction, words.NOT_SAVED)
            return
        self.servers.adopt(guild, stored, shelf)
        log.info("server %s: its own article %s (%s)", guild, stored, qa.title)
        await confirm(interaction, words.article_set(qa))

    @article.command(name="reset", description="Answer this server from the bot's own article.")
    async def reset(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild_id
        assert guild is not None
        if not await self.servers.change(guild, ARTICLE, None, interaction.user.id):
            await confirm(interaction, words.NOT_SAVED)
            return
        self.servers.forget(guild)
        await self.service.off_loop(server_articles.keep_only, self.servers.folder, guild, None)
        await confirm(interaction, words.article_reset(self.service.qa))
