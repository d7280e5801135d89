"""The asking commands: /ask, /source (with its autocompletes), /article and /help."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from retrieval import Article

from ...render import words as render
from ...render.markup import CHOICE_NAME_LIMIT, fit, one_line
from ..embeds import NO_PINGS, article_embed, help_embed, paragraph_embed
from ..errors import respond, tell
from ..service import (
    DEFAULT_RESULTS,
    MAX_QUESTION,
    MAX_RESULTS,
    ArticleService,
    can_start_thread,
    within_budget,
)

MAX_CHOICES = 25


def _paragraph_choices(article: Article) -> list[tuple[app_commands.Choice[int], str]]:
    """Each paragraph's choice (number and first words) with its whole text, to search."""
    return [
        (
            app_commands.Choice(
                name=fit(f"{p.number}. {one_line(p.text)}", CHOICE_NAME_LIMIT), value=p.number
            ),
            p.text.casefold(),
        )
        for p in article.paragraphs
    ]


class AskCog(commands.Cog, name="Ask"):
    """Questions and lookups by command; the service starts and closes with this cog."""

    def __init__(self, service: ArticleService) -> None:
        self.service = service
        self._choices = {a.slug: _paragraph_choices(a) for a in service.qa.articles}

    # The service starts and closes with the first cog setup_hook adds: discord.py unloads
    # every cog on close, and a bot started again after a close loads them again.
    async def cog_load(self) -> None:
        await self.service.start()

    async def cog_unload(self) -> None:
        self.service.close()

    # /ask ---------------------------------------------------------------------------------

    @app_commands.command(
        name="ask",
        description="Ask the article a question: it answers with its own sentences, cited.",
    )
    @app_commands.describe(
        question="Your question in plain words; follow-ups build on your last question here",
        results="How many sentences to show, 1-5 (default 3)",
        private="Show the answer only to you (default: the server's choice, else everyone sees it)",
        thread="Answer in a new thread named after the question (default: the server's choice)",
    )
    @app_commands.check(within_budget)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION],
        results: app_commands.Range[int, 1, MAX_RESULTS] = DEFAULT_RESULTS,
        private: bool | None = None,
        thread: bool | None = None,
    ) -> None:
        server = self.service.servers.get(interaction.guild_id)
        # Asked for, a thread wins over the server's private default; a private ask wins
        # over the server's thread default (a thread is public).
        if private is None:
            private = server.private and thread is not True
        wants_thread = server.threads if thread is None else thread
        if wants_thread and not private and can_start_thread(interaction):
            await self.service.answer_in_thread(interaction, question, results)
            return
        await self.service.answer_interaction(interaction, question, results, private=private)

    # /source ------------------------------------------------------------------------------

    @app_commands.command(
        name="source",
        description="Show a paragraph of the article, each sentence with its citation.",
    )
    @app_commands.describe(
        paragraph="Paragraph number; start typing to see each paragraph's first words",
        article="Which article, when several are loaded (default: the first)",
    )
    async def source(
        self,
        interaction: discord.Interaction,
        paragraph: app_commands.Range[int, 1],
        article: str | None = None,
    ) -> None:
        qa = (await self.service.shelf_in_time(interaction, ephemeral=False)).qa
        try:
            found = qa.article(article) if article else qa.articles[0]
            text = qa.paragraph(paragraph, found.slug)
        except LookupError as error:
            await tell(interaction, render.lookup_error_markdown(error))
            return
        await respond(interaction, embed=paragraph_embed(found, text))

    @source.autocomplete("paragraph")
    async def _paragraph_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        slug = getattr(interaction.namespace, "article", None)
        qa = (await self.service.choices_shelf(interaction)).qa
        if qa is self.service.qa:
            choices = self._choices.get(slug or "", self._choices[qa.articles[0].slug])
        else:  # a server's article: one, and short
            choices = _paragraph_choices(qa.articles[0])
        typed = str(current or "").strip().casefold()
        if typed.isdigit():
            picked = [c for c, _ in choices if str(c.value).startswith(typed)]
        else:
            picked = [c for c, text in choices if typed in text]
        return picked[:MAX_CHOICES]

    @source.autocomplete("article")
    async def _article_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        typed = str(current or "").strip().casefold()
        qa = (await self.service.choices_shelf(interaction)).qa
        return [
            app_commands.Choice(name=fit(render.article_label(a), CHOICE_NAME_LIMIT), value=a.slug)
            for a in qa.articles
            if len(a.slug) <= CHOICE_NAME_LIMIT and (typed in a.slug or typed in a.title.casefold())
        ][:MAX_CHOICES]

    # /article, /help ----------------------------------------------------------------------

    @app_commands.command(
        name="article",
        description="What the article is, how long it is, and how to ask it questions.",
    )
    async def article_info(self, interaction: discord.Interaction) -> None:
        shelf = await self.service.shelf_in_time(interaction, ephemeral=True)
        await respond(interaction, embed=article_embed(shelf.qa, shelf.examples), ephemeral=True)

    @app_commands.command(
        name="help", description="The commands, and tips for asking good questions."
    )
    async def help(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            embed=help_embed(), ephemeral=True, allowed_mentions=NO_PINGS
        )
