"""Every failure of an interaction ends in a private note to the user and, unless it is the
user's own doing (a cooldown), a logged traceback; the bot goes on."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

import discord
from discord import app_commands

from retrieval.ranking.index import RetrieverUnavailable

from ..render import words as render
from ..render.markup import CONTENT_LIMIT, ELLIPSIS, fit
from .embeds import NO_PINGS
from .state import Busy, QuestionBudget

log = logging.getLogger(__name__)


async def tell(interaction: discord.Interaction, text: str) -> None:
    """A short private note, as the response or, once responded, as a follow-up.

    Never raises: it is what error paths call.
    """
    if interaction.type is discord.InteractionType.autocomplete:
        return
    text = fit(text, CONTENT_LIMIT)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)
    except discord.HTTPException as error:
        log.warning("could not send a note for interaction %s: %s", interaction.id, error)


async def respond(
    interaction: discord.Interaction, *, ephemeral: bool = False, **fields: Any
) -> None:
    """Send a command's answer as its response, or as the follow-up to its acknowledgement
    (a deferred "thinking…" takes the follow-up's place, public or private as deferred)."""
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, allowed_mentions=NO_PINGS, **fields)
    else:
        await interaction.response.send_message(
            ephemeral=ephemeral, allowed_mentions=NO_PINGS, **fields
        )


async def withdraw_thinking(interaction: discord.Interaction) -> None:
    """Remove a public "thinking…" that will get no answer, so that the apology which
    follows is private.

    The first followup after a defer takes over the deferred message, public or not,
    whatever its own `ephemeral` says; and a deferred message deleted while still thinking
    takes no followup at all. So: complete it (an ellipsis), delete it, and the next
    followup is a message of its own, private as asked.
    """
    try:
        await interaction.edit_original_response(content=ELLIPSIS, embed=None, view=None)
        await interaction.delete_original_response()
    except discord.HTTPException as error:
        log.info("interaction %s: could not withdraw its 'thinking': %s", interaction.id, error)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    if isinstance(error, app_commands.CommandOnCooldown):
        await tell(interaction, render.slow_down(error.retry_after))
        return
    original = getattr(error, "original", None) or error
    if isinstance(original, Busy):
        await tell(interaction, render.BUSY)
        return
    if isinstance(original, discord.NotFound):
        # The channel, the message or the interaction went away under a pending answer:
        # expected, and there is nobody left to apologise to.
        log.info("interaction %s: gone before its answer (%s)", interaction.id, original.text)
        return
    if interaction.command is not None:
        what = f"/{interaction.command.qualified_name}"
    else:
        what = str((interaction.data or {}).get("custom_id") or interaction.type.name)
    if isinstance(original, RetrieverUnavailable):
        # The search cluster is down: an outage to report in a line, not a bug.
        log.error("interaction %s (%s): %s", interaction.id, what, original)
    else:
        log.error("interaction %s (%s) failed", interaction.id, what, exc_info=original)
    await tell(interaction, render.APOLOGY)


async def within_clicks(interaction: discord.Interaction, clicks: QuestionBudget) -> bool:
    """Whether a button click is within its user's budget; if not, the user is told so.

    Buttons are limited like commands: each click can queue work for the one worker."""
    verdict = clicks.hit(interaction.user)
    if not verdict.allowed:
        await tell(interaction, render.slow_down(verdict.retry_after))
    return verdict.allowed


async def guarded(interaction: discord.Interaction, action: Awaitable[None]) -> None:
    """Run a button's action; a failure is reported as a command's would be."""
    try:
        await action
    except Exception as error:
        await report_error(interaction, error)


class ArticleTree(app_commands.CommandTree):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)
