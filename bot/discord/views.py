"""Buttons under an answer that keep working after a restart: their state is in their
custom id, and discord.py's DynamicItem rebuilds them from it."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from retrieval import Answer

from .. import render
from .errors import guarded, within_clicks

if TYPE_CHECKING:
    from .commands import ArticleCog

log = logging.getLogger(__name__)

CUSTOM_ID_LIMIT = 100


def article_cog(client: discord.Client) -> ArticleCog:
    """The cog of the bot a button was clicked on (each bot has its own state)."""
    return client.article  # type: ignore[attr-defined,no-any-return]


class ContextButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"aqa:ctx:(?P<article>[^:]+):(?P<paragraph>[0-9]+)\.(?P<sentence>[0-9]+)",
):
    """Shows the asker the whole paragraph of a cited sentence."""

    def __init__(self, article: str, paragraph: int, sentence: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.SHOW_CONTEXT,
                style=discord.ButtonStyle.secondary,
                custom_id=self.custom_id_for(article, paragraph, sentence),
            )
        )
        self.article, self.paragraph, self.sentence = article, paragraph, sentence

    @staticmethod
    def custom_id_for(article: str, paragraph: int, sentence: int) -> str:
        return f"aqa:ctx:{article}:{paragraph}.{sentence}"

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ContextButton:
        return cls(match["article"], int(match["paragraph"]), int(match["sentence"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = article_cog(interaction.client)
        if await within_clicks(interaction, cog.clicks):
            action = cog.show_context(interaction, self.article, self.paragraph, self.sentence)
            await guarded(interaction, action)


class MoreButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"aqa:more:(?P<offset>[0-9]+):(?P<k>[0-9]+)",
):
    """Shows the asker the next `k` results of the question in the message's title."""

    def __init__(self, offset: int, k: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.MORE,
                style=discord.ButtonStyle.primary,
                custom_id=f"aqa:more:{offset}:{k}",
            )
        )
        self.offset, self.k = offset, k

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MoreButton:
        return cls(int(match["offset"]), int(match["k"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = article_cog(interaction.client)
        if await within_clicks(interaction, cog.clicks):
            await guarded(interaction, cog.show_more(interaction, self.offset, self.k))


def answer_view(top: Answer, more_from: int | None, k: int) -> discord.ui.View:
    """Buttons under an answer whose top result is `top`; "More" shows results from `more_from`."""
    view = discord.ui.View(timeout=None)
    custom_id = ContextButton.custom_id_for(top.article, top.paragraph, top.sentence)
    if len(custom_id) <= CUSTOM_ID_LIMIT:
        view.add_item(ContextButton(top.article, top.paragraph, top.sentence))
    else:
        log.debug("article slug %r too long for a button; no Show context", top.article)
    if more_from is not None:
        view.add_item(MoreButton(more_from, k))
    return view
