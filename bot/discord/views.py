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


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"aqa:vote:(?P<ask>[0-9]+):(?P<way>up|down)",
):
    """👍 or 👎 on the answer logged as `ask`: the clicker's vote, changeable, one each."""

    def __init__(self, ask: int, up: bool) -> None:
        super().__init__(
            discord.ui.Button(
                emoji=render.VOTE_UP if up else render.VOTE_DOWN,
                style=discord.ButtonStyle.secondary,
                custom_id=self.custom_id_for(ask, up),
            )
        )
        self.ask, self.up = ask, up

    @staticmethod
    def custom_id_for(ask: int, up: bool) -> str:
        return f"aqa:vote:{ask}:{'up' if up else 'down'}"

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteButton:
        return cls(int(match["ask"]), match["way"] == "up")

    async def callback(self, interaction: discord.Interaction) -> None:
        feedback = interaction.client.feedback  # type: ignore[attr-defined]
        await guarded(interaction, feedback.vote(interaction, self.ask, self.up))


def answer_view(
    top: Answer, more_from: int | None, k: int, ask: int | None = None
) -> discord.ui.View:
    """Buttons under an answer whose top result is `top`; "More" shows results from `more_from`;
    👍 and 👎 rate the answer logged as `ask` (None: not logged, no votes). At most four
    buttons: one row of Discord's five."""
    view = discord.ui.View(timeout=None)
    custom_id = ContextButton.custom_id_for(top.article, top.paragraph, top.sentence)
    if len(custom_id) <= CUSTOM_ID_LIMIT:
        view.add_item(ContextButton(top.article, top.paragraph, top.sentence))
    else:
        log.debug("article slug %r too long for a button; no Show context", top.article)
    if more_from is not None:
        view.add_item(MoreButton(more_from, k))
    if ask is not None:
        view.add_item(VoteButton(ask, up=True))
        view.add_item(VoteButton(ask, up=False))
    return view
