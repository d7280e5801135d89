"""/ask's thread mode: the answer opens a new public thread named after the question, and
the thread is the asker's conversation from then on (mentions, /ask, and, with the
Message Content intent, any message of theirs there)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import discord

from ..render import words as render
from ..render.markup import fit, one_line
from .embeds import NO_PINGS

if TYPE_CHECKING:
    from .commands import ArticleCog

THREAD_NAME_LIMIT = 100
ARCHIVE_AFTER = 1440  # minutes: a day without messages, as Discord's default


def can_start_thread(interaction: discord.Interaction) -> bool:
    """Whether the bot may start a thread where the command was used: a server's text
    channel the bot is in (a person's install can't), with the permissions for it."""
    permissions = interaction.app_permissions
    return (
        interaction.guild is not None
        and isinstance(interaction.channel, discord.TextChannel)
        and permissions.create_public_threads
        and permissions.send_messages_in_threads
    )


def thread_name(question: str) -> str:
    return fit(one_line(question), THREAD_NAME_LIMIT) or render.FALLBACK_EXAMPLE


class ThreadMixin:
    async def answer_in_thread(
        self: ArticleCog, interaction: discord.Interaction, question: str, k: int
    ) -> None:
        channel = interaction.channel
        assert isinstance(channel, discord.TextChannel)  # can_start_thread
        with self.in_flight.slot(interaction.user.id):
            # Private: the public answer is the thread; the command's own reply says where.
            await interaction.response.defer(ephemeral=True, thinking=True)
            shelf = await self.shelf_for(interaction.guild_id)
            thread = await channel.create_thread(
                name=thread_name(question),
                type=discord.ChannelType.public_thread,
                auto_archive_duration=ARCHIVE_AFTER,
            )
            # The thread's conversation is the asker's, from this question on.
            reply, rest = await self.answer(question, (thread.id, interaction.user.id), k, shelf)
            ask = self.feedback.record(
                reply, channel=thread.id, user=interaction.user.id,
                guild=interaction.guild_id, private=False,
            )  # fmt: skip
            await thread.send(
                **self.reply_payload(shelf, reply, rest, k, ask), allowed_mentions=NO_PINGS
            )
            # So it is in the asker's list; failing that, they open it from the channel.
            with contextlib.suppress(discord.HTTPException):
                await thread.add_user(interaction.user)
            await interaction.followup.send(
                render.answered_in_thread(thread.id), ephemeral=True, allowed_mentions=NO_PINGS
            )
