"""The slash commands, the buttons' actions and the chat (mentions and DMs), as one cog.

Questions go to `retrieval.QA` in a worker thread; replies come back as `embeds`. Every
send passes NO_PINGS, and the only state is per bot (`state`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from retrieval import QA, Article, Reply, ReplyKind
from retrieval.suggest import example_questions

from .. import render
from ..markup import CHOICE_NAME_LIMIT, fit, one_line
from .chat import DEFAULT_RESULTS, MAX_RESULTS, ChatMixin
from .embeds import (
    NO_PINGS,
    answer_embed,
    article_embed,
    greeting_embed,
    help_embed,
    not_said_embed,
    paragraph_embed,
    question_of,
)
from .errors import tell, withdraw_thinking
from .feedback import DiscordFeedback
from .settings import DiscordSettings
from .state import LRU, Asked, InFlight, QuestionBudget
from .views import answer_view, article_cog

log = logging.getLogger(__name__)

MAX_QUESTION = 300
# "More" stops past this many results: beyond it answers are rarely worth reading.
MAX_MORE = 25
MAX_CHOICES = 25


def _within_budget(interaction: discord.Interaction) -> bool:
    verdict = article_cog(interaction.client).budget.hit(interaction.user)
    if not verdict.allowed:
        raise app_commands.CommandOnCooldown(verdict.cooldown, verdict.retry_after)
    return True


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


# Mentions, channels and custom emoji travel as markup with numeric ids ("<@&123>"): no
# words of the question, and numbers the article would be expected to hold.
_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>")


class ArticleCog(ChatMixin, commands.Cog, name="Article"):
    """Everything users see; state is per bot: conversations, question budget, examples."""

    def __init__(
        self, bot: commands.Bot, qa: QA, settings: DiscordSettings, feedback: DiscordFeedback
    ) -> None:
        self.bot = bot
        self.qa = qa
        self.settings = settings
        self.feedback = feedback
        # Conversation -> its last reply, for follow-ups. The key is (channel, 0) for a
        # channel or a DM (a DM channel is one user's), (channel, user) for private asks.
        self.conversations: LRU[tuple[int, int], Reply] = LRU(settings.max_conversations)
        # Answer message -> its whole question and the reply it followed up, so "More" ranks
        # the same way (the embed title holds only 256 characters of the question).
        self.answered: LRU[int, Asked] = LRU(settings.max_conversations)
        self.budget = QuestionBudget(settings.rate, settings.per)
        self.clicks = QuestionBudget(settings.clicks, settings.per)  # buttons: their own
        self.in_flight = InFlight(settings.in_flight)
        self.examples: tuple[str, ...] = ()
        self._choices = {a.slug: _paragraph_choices(a) for a in qa.articles}
        self._worker: ThreadPoolExecutor | None = None

    def worker(self) -> ThreadPoolExecutor:
        """One worker: questions are answered in order, and the core is never used by two
        threads at once. Made anew after an unload, so a bot started again still answers."""
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="article-qa")
        return self._worker

    async def cog_load(self) -> None:
        try:
            self.examples = await self.off_loop(example_questions, self.qa)
        except Exception:
            log.exception("could not build example questions; the abstention will have none")

    async def cog_unload(self) -> None:
        if self._worker is not None:
            self._worker.shutdown(wait=False, cancel_futures=True)
            self._worker = None

    async def off_loop(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run the core's work in the worker thread so the gateway keeps its heartbeat."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.worker(), partial(function, *args, **kwargs))

    async def answer(
        self, question: str, key: tuple[int, int], k: int
    ) -> tuple[Reply, Reply | None]:
        """The reply to `question` in conversation `key`, and the reply it followed."""
        previous = self.conversations.get(key)
        asked = one_line(_DISCORD_MARKUP.sub(" ", question)) or question
        reply = await self.off_loop(self.qa.ask, asked, k=k, previous=previous)
        if asked != question:
            reply = dataclasses.replace(reply, question=question)  # shown as the user wrote it
        self.conversations.put(key, reply)
        return reply, previous

    def reply_payload(
        self, reply: Reply, offset: int, k: int, ask: int | None = None
    ) -> dict[str, Any]:
        """Embed (and buttons) for results offset..offset+k of a reply; votes rate `ask`."""
        shown = reply.answers[offset : offset + k]
        if reply.kind is ReplyKind.SMALL_TALK:
            return {"embed": greeting_embed(reply, self.examples)}
        if reply.abstained or not shown:
            return {"embed": not_said_embed(self.qa, reply, self.examples)}
        end = offset + k
        more = end if len(reply.answers) >= end and end + k <= MAX_MORE else None
        return {
            "embed": answer_embed(self.qa, reply, shown),
            "view": answer_view(shown[0], more, k, ask),
        }

    # /ask ---------------------------------------------------------------------------------

    @app_commands.command(
        name="ask",
        description="Ask the article a question: it answers with its own sentences, cited.",
    )
    @app_commands.describe(
        question="Your question in plain words; follow-ups build on the channel's last question",
        results="How many sentences to show, 1-5 (default 3)",
        private="Show the answer only to you (default: everyone in the channel sees it)",
    )
    @app_commands.check(_within_budget)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION],
        results: app_commands.Range[int, 1, MAX_RESULTS] = DEFAULT_RESULTS,
        private: bool = False,
    ) -> None:
        # The slot is taken before the acknowledgement: Busy is then told privately.
        with self.in_flight.slot(interaction.user.id):
            # Acknowledge first: answering a large corpus can take longer than Discord waits.
            await interaction.response.defer(ephemeral=private, thinking=True)
            channel = interaction.channel_id or interaction.user.id
            key = (channel, interaction.user.id if private else 0)
            try:
                reply, previous = await self.answer(question, key, results)
                ask = self.feedback.record(
                    reply, channel=channel, user=interaction.user.id,
                    guild=interaction.guild_id, private=private,
                )  # fmt: skip
                await self.send_answer(
                    interaction, reply, previous, 0, results, ephemeral=private, ask=ask
                )
            except Exception as error:
                # A NotFound means the channel or the interaction is gone: nothing to withdraw.
                if not private and not isinstance(error, discord.NotFound):
                    await withdraw_thinking(interaction)
                raise

    async def send_answer(
        self,
        interaction: discord.Interaction,
        reply: Reply,
        previous: Reply | None,
        offset: int,
        k: int,
        *,
        ephemeral: bool,
        ask: int | None = None,
    ) -> None:
        """Send results offset..offset+k as a followup, remembering the context for "More"."""
        message = await interaction.followup.send(
            **self.reply_payload(reply, offset, k, ask),
            ephemeral=ephemeral,
            wait=True,
            allowed_mentions=NO_PINGS,
        )
        self.answered.put(message.id, Asked(reply.question, previous))

    async def show_context(
        self, interaction: discord.Interaction, slug: str, number: int, sentence: int
    ) -> None:
        try:
            article = self.qa.article(slug)
            paragraph = self.qa.paragraph(number, slug)
        except LookupError:
            await tell(interaction, render.CONTEXT_GONE)
            return
        await interaction.response.send_message(
            embed=paragraph_embed(article, paragraph, focus=sentence),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    async def show_more(self, interaction: discord.Interaction, offset: int, k: int) -> None:
        source = interaction.message.id if interaction.message else 0
        # After a restart only the title is left: the question, cut if it was long.
        asked = self.answered.get(source) or Asked(question_of(interaction.message) or "", None)
        question, previous = asked.question, asked.previous
        if not question or not 1 <= k <= MAX_RESULTS or offset + k > MAX_MORE:
            await tell(interaction, render.ANSWER_UNKNOWN)
            return
        with self.in_flight.slot(interaction.user.id):
            await interaction.response.defer(ephemeral=True, thinking=True)
            reply = await self.off_loop(self.qa.ask, question, k=offset + k, previous=previous)
            if reply.abstained or len(reply.answers) <= offset:
                await interaction.followup.send(
                    render.NO_MORE, ephemeral=True, allowed_mentions=NO_PINGS
                )
                return
            await self.send_answer(interaction, reply, previous, offset, k, ephemeral=True)

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
        try:
            found = self.qa.article(article) if article else self.qa.articles[0]
            text = self.qa.paragraph(paragraph, found.slug)
        except LookupError as error:
            await tell(interaction, render.lookup_error_markdown(error))
            return
        await interaction.response.send_message(
            embed=paragraph_embed(found, text), allowed_mentions=NO_PINGS
        )

    @source.autocomplete("paragraph")
    async def _paragraph_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        slug = getattr(interaction.namespace, "article", None)
        choices = self._choices.get(slug or "", self._choices[self.qa.articles[0].slug])
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
        return [
            app_commands.Choice(name=fit(render.article_label(a), CHOICE_NAME_LIMIT), value=a.slug)
            for a in self.qa.articles
            if len(a.slug) <= CHOICE_NAME_LIMIT and (typed in a.slug or typed in a.title.casefold())
        ][:MAX_CHOICES]

    # /article, /help ----------------------------------------------------------------------

    @app_commands.command(
        name="article",
        description="What the article is, how long it is, and how to ask it questions.",
    )
    async def article_info(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            embed=article_embed(self.qa, self.examples), ephemeral=True, allowed_mentions=NO_PINGS
        )

    @app_commands.command(
        name="help", description="The commands, and tips for asking good questions."
    )
    async def help(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            embed=help_embed(), ephemeral=True, allowed_mentions=NO_PINGS
        )
