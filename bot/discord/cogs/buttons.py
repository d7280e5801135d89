"""What the buttons under an answer do: Show context, More and Closest passages.

Everything a button needs is in its custom id, so each gives the same result after a
restart or any number of newer answers.
"""

from __future__ import annotations

import discord
from discord.ext import commands

from retrieval import Answer, Reply
from retrieval.ranking.answer import sentence_at

from ...render import words as render
from ..embeds import answer_embed, closest_embed, paragraph_embed, question_of
from ..errors import guarded, respond, tell, within_clicks
from ..service import MAX_RESULTS, ArticleService
from ..shelves import Shelf
from ..views import (
    CLOSEST_CLICK,
    CONTEXT_CLICK,
    MORE_CLICK,
    ClosestButton,
    ContextButton,
    MoreButton,
    Place,
    answer_view,
)


class ButtonsCog(commands.Cog, name="Buttons"):
    def __init__(self, service: ArticleService) -> None:
        self.service = service

    @commands.Cog.listener(f"on_{CONTEXT_CLICK}")
    async def on_context_click(
        self, interaction: discord.Interaction, button: ContextButton
    ) -> None:
        if await within_clicks(interaction, self.service.clicks):
            place = (button.article, button.paragraph, button.sentence)
            await guarded(interaction, self.show_context(interaction, button.tag, *place))

    @commands.Cog.listener(f"on_{MORE_CLICK}")
    async def on_more_click(self, interaction: discord.Interaction, button: MoreButton) -> None:
        if await within_clicks(interaction, self.service.clicks):
            action = self.show_more(
                interaction, button.tag, button.k, button.article, button.places
            )
            await guarded(interaction, action)

    @commands.Cog.listener(f"on_{CLOSEST_CLICK}")
    async def on_closest_click(
        self, interaction: discord.Interaction, button: ClosestButton
    ) -> None:
        if await within_clicks(interaction, self.service.clicks):
            action = self.show_closest(interaction, button.tag, button.article, button.places)
            await guarded(interaction, action)

    async def show_context(
        self,
        interaction: discord.Interaction,
        tag: str | None,
        slug: str,
        number: int,
        sentence: int,
    ) -> None:
        shelf = await self.service.shelf_in_time(interaction, ephemeral=True)
        if tag is not None and tag != shelf.tag:
            await tell(interaction, render.ARTICLE_CHANGED)
            return
        qa = shelf.qa
        try:
            article = qa.article(slug)
            paragraph = qa.paragraph(number, slug)
        except LookupError:
            await tell(interaction, render.CONTEXT_GONE)
            return
        await respond(
            interaction, embed=paragraph_embed(article, paragraph, focus=sentence), ephemeral=True
        )

    async def show_more(
        self,
        interaction: discord.Interaction,
        tag: str,
        k: int,
        article: str,
        places: tuple[Place, ...],
    ) -> None:
        """The next `k` of the results a "More" button carries, privately, with a "More"
        for the rest: nothing is looked up again, so a click always gives the same page."""
        if not 1 <= k <= MAX_RESULTS:
            await tell(interaction, render.ANSWER_UNKNOWN)
            return
        shelf = await self.service.shelf_in_time(interaction, ephemeral=True)
        page = await self.sentences_at(interaction, shelf, tag, article, places[:k])
        if not page:
            return
        rest = places[k:]
        question = question_of(interaction.message) or ""
        reply = Reply(question, False, page)
        more = MoreButton(tag, k, article, rest) if rest else None
        await respond(
            interaction,
            embed=answer_embed(shelf.qa, reply, page),
            view=answer_view(tag, page[0], more),
            ephemeral=True,
        )

    async def show_closest(
        self,
        interaction: discord.Interaction,
        tag: str,
        article: str,
        places: tuple[Place, ...],
    ) -> None:
        """The sentences nearest an unanswered question, to the clicker, as no answer."""
        shelf = await self.service.shelf_in_time(interaction, ephemeral=True)
        nearest = await self.sentences_at(interaction, shelf, tag, article, places)
        if nearest:
            question = question_of(interaction.message) or ""
            await respond(
                interaction, embed=closest_embed(shelf.qa, question, nearest), ephemeral=True
            )

    async def sentences_at(
        self,
        interaction: discord.Interaction,
        shelf: Shelf,
        tag: str,
        article: str,
        places: tuple[Place, ...],
    ) -> tuple[Answer, ...]:
        """The sentences a button carries; () once the clicker is told why there are none."""
        if tag != shelf.tag:
            await tell(interaction, render.ARTICLE_CHANGED)
            return ()
        try:
            return tuple(sentence_at(shelf.qa, article, *place) for place in places)
        except LookupError:
            await tell(interaction, render.CONTEXT_GONE)
            return ()
