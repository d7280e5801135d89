"""What the buttons under an answer do: everything they need is in their custom id, so
each gives the same result after a restart or any number of newer answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from retrieval import Reply
from retrieval.ranking.answer import sentence_at

from ..render import words as render
from .chat import MAX_RESULTS
from .embeds import answer_embed, closest_embed, paragraph_embed, question_of
from .errors import respond, tell
from .views import MoreButton, Place, answer_view

if TYPE_CHECKING:
    from retrieval import Answer

    from .commands import ArticleCog
    from .shelves import Shelf


class ButtonsMixin:
    async def show_context(
        self: ArticleCog,
        interaction: discord.Interaction,
        tag: str | None,
        slug: str,
        number: int,
        sentence: int,
    ) -> None:
        shelf = await self.shelf_in_time(interaction, ephemeral=True)
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
        self: ArticleCog,
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
        shelf = await self.shelf_in_time(interaction, ephemeral=True)
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
        self: ArticleCog,
        interaction: discord.Interaction,
        tag: str,
        article: str,
        places: tuple[Place, ...],
    ) -> None:
        """The sentences nearest an unanswered question, to the clicker, as no answer."""
        shelf = await self.shelf_in_time(interaction, ephemeral=True)
        nearest = await self.sentences_at(interaction, shelf, tag, article, places)
        if nearest:
            question = question_of(interaction.message) or ""
            await respond(
                interaction, embed=closest_embed(shelf.qa, question, nearest), ephemeral=True
            )

    async def sentences_at(
        self: ArticleCog,
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
