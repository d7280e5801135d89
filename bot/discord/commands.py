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

from retrieval import QA, Answer, Article, Reply, ReplyKind
from retrieval.ranking.answer import NOTHING_MORE, first_results

from ..render import words as render
from ..render.markup import CHOICE_NAME_LIMIT, fit, one_line
from .auto_answer import AutoAnswerMixin
from .buttons import ButtonsMixin
from .chat import DEFAULT_RESULTS, MAX_RESULTS, ChatMixin
from .embeds import (
    NO_PINGS,
    answer_embed,
    article_embed,
    greeting_embed,
    help_embed,
    not_said_embed,
    paragraph_embed,
)
from .errors import respond, tell, withdraw_thinking
from .feedback import DiscordFeedback
from .message_command import MAX_QUESTION, MessageCommandMixin, message_command, within_budget
from .servers import Servers
from .settings import DiscordSettings
from .shelves import Shelf
from .state import Conversations, InFlight, QuestionBudget
from .threads import ThreadMixin, can_start_thread
from .views import ClosestButton, MoreButton, PostButton, answer_view

log = logging.getLogger(__name__)

# An answer and its "More" pages come from one ranking this deep: the depth the core ranks
# to anyway (retrieval.rerank.RERANKED), so the first page is what asking for it alone gives.
MAX_MORE = 15
MAX_CLOSEST = 3
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


# Mentions, channels and custom emoji travel as markup with numeric ids ("<@&123>"): no
# words of the question, and numbers the article would be expected to hold.
_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>")


class ArticleCog(
    ChatMixin,
    AutoAnswerMixin,
    ButtonsMixin,
    MessageCommandMixin,
    ThreadMixin,
    commands.Cog,
    name="Article",
):
    """Everything users see; state is per bot: conversations, question budget, examples."""

    def __init__(
        self,
        bot: commands.Bot,
        qa: QA,
        settings: DiscordSettings,
        feedback: DiscordFeedback,
        servers: Servers,
    ) -> None:
        self.bot = bot
        self.servers = servers
        self.qa = qa
        self.settings = settings
        self.feedback = feedback
        # Each person's conversation is their own, per channel, thread or DM.
        self.conversations = Conversations(settings.max_conversations)
        self.budget = QuestionBudget(settings.rate, settings.per)
        self.clicks = QuestionBudget(settings.clicks, settings.per)  # buttons: their own
        self.in_flight = InFlight(settings.in_flight)
        # The bot's own article(s), for DMs and servers without one of their own; made
        # whole (tag, examples) when the cog loads.
        self.shelf = Shelf(qa, "", ())
        self._choices = {a.slug: _paragraph_choices(a) for a in qa.articles}
        self._worker: ThreadPoolExecutor | None = None
        self.menu = message_command(self)

    def worker(self) -> ThreadPoolExecutor:
        """One worker: questions are answered in order, and the core is never used by two
        threads at once. Made anew after an unload, so a bot started again still answers."""
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="article-qa")
        return self._worker

    @property
    def examples(self) -> tuple[str, ...]:
        return self.shelf.examples

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu, override=True)
        await self.servers.start()
        try:
            self.shelf = await self.off_loop(Shelf.of, self.qa)
        except Exception:
            log.exception("could not build example questions; the abstention will have none")

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)
        self.servers.close()
        if self._worker is not None:
            self._worker.shutdown(wait=False, cancel_futures=True)
            self._worker = None

    async def off_loop(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run the core's work in the worker thread so the gateway keeps its heartbeat."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.worker(), partial(function, *args, **kwargs))

    async def shelf_for(self, guild: int | None) -> Shelf:
        """What questions asked in `guild` (None: a DM) are answered from."""
        return await self.servers.shelf(guild, self.shelf, self.off_loop)

    async def shelf_in_time(self, interaction: discord.Interaction, *, ephemeral: bool) -> Shelf:
        """The interaction's shelf; a server's article used for the first time since the
        start is loaded after acknowledging, as that can take longer than Discord waits."""
        waiting = self.servers.built(interaction.guild_id, self.shelf) is None
        if waiting and not interaction.response.is_done():
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        return await self.shelf_for(interaction.guild_id)

    async def choices_shelf(self, interaction: discord.Interaction) -> Shelf:
        """The shelf for an autocomplete, which cannot wait: until a server's own is
        ready (being built now), the default's choices."""
        ready = self.servers.built(interaction.guild_id, self.shelf)
        if ready is None:
            asyncio.get_running_loop().create_task(self.shelf_for(interaction.guild_id))
        return ready or self.shelf

    async def answer(
        self, question: str, key: tuple[int, int], k: int, shelf: Shelf, nearest: bool = True
    ) -> tuple[Reply, tuple[Answer, ...]]:
        """The reply to `question` in conversation `key` (its first `k` answers), and the
        answers after them, for "More"; or, when the article doesn't say, the sentences
        nearest the question (with `nearest`), offered as no answer."""
        previous = self.conversations.last_reply(key, shelf.tag)
        asked = one_line(_DISCORD_MARKUP.sub(" ", question)) or question
        ranked = await self.off_loop(shelf.qa.ask, asked, k=MAX_MORE, previous=previous)
        reply = first_results(ranked, k, previous)
        if asked != question:
            reply = dataclasses.replace(reply, question=question)  # shown as the user wrote it
        self.conversations.remember(key, shelf.tag, reply)
        if nearest and reply.kind is ReplyKind.ABSTAIN and reply.reason != NOTHING_MORE:
            closest = await self.off_loop(shelf.qa.closest, asked, MAX_CLOSEST, previous)
            return reply, closest
        return reply, ranked.answers[k:]

    def reply_payload(
        self, shelf: Shelf, reply: Reply, rest: tuple[Answer, ...], k: int, ask: int | None = None
    ) -> dict[str, Any]:
        """Embed and buttons for a reply; "More" (or, for an abstention, "Closest passages")
        carries `rest`; votes rate `ask`."""
        if reply.kind is ReplyKind.SMALL_TALK:
            return {"embed": greeting_embed(reply, shelf.examples)}
        if reply.abstained or not reply.answers:
            payload: dict[str, Any] = {"embed": not_said_embed(shelf.qa, reply, shelf.examples)}
            closest = ClosestButton.carrying(shelf.tag, rest)
            if closest is not None:
                payload["view"] = discord.ui.View(timeout=None).add_item(closest)
            return payload
        more = MoreButton.carrying(shelf.tag, k, rest)
        return {
            "embed": answer_embed(shelf.qa, reply, reply.answers),
            "view": answer_view(shelf.tag, reply.answers[0], more, ask),
        }

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
        server = self.servers.get(interaction.guild_id)
        # Asked for, a thread wins over the server's private default; a private ask wins
        # over the server's thread default (a thread is public).
        if private is None:
            private = server.private and thread is not True
        wants_thread = server.threads if thread is None else thread
        if wants_thread and not private and can_start_thread(interaction):
            await self.answer_in_thread(interaction, question, results)
            return
        await self.answer_interaction(interaction, question, results, private=private)

    async def answer_interaction(
        self,
        interaction: discord.Interaction,
        question: str,
        k: int,
        *,
        private: bool,
        postable: bool = False,
    ) -> None:
        """Answer a command's question as its response; `postable`: with a Post button."""
        # The slot is taken before the acknowledgement: Busy is then told privately.
        with self.in_flight.slot(interaction.user.id):
            # Acknowledge first: answering a large corpus can take longer than Discord waits.
            await interaction.response.defer(ephemeral=private, thinking=True)
            channel = interaction.channel_id or interaction.user.id
            shelf = await self.shelf_for(interaction.guild_id)
            try:
                key = (channel, interaction.user.id)
                reply, rest = await self.answer(question, key, k, shelf)
                ask = self.feedback.record(
                    reply, channel=channel, user=interaction.user.id,
                    guild=interaction.guild_id, private=private,
                )  # fmt: skip
                payload = self.reply_payload(shelf, reply, rest, k, ask)
                if postable:
                    payload.setdefault("view", discord.ui.View(timeout=None))
                    payload["view"].add_item(PostButton())
                await interaction.followup.send(
                    **payload, ephemeral=private, allowed_mentions=NO_PINGS
                )
            except Exception as error:
                # A NotFound means the channel or the interaction is gone: nothing to withdraw.
                if not private and not isinstance(error, discord.NotFound):
                    await withdraw_thinking(interaction)
                raise

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
        qa = (await self.shelf_in_time(interaction, ephemeral=False)).qa
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
        qa = (await self.choices_shelf(interaction)).qa
        if qa is self.qa:
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
        qa = (await self.choices_shelf(interaction)).qa
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
        shelf = await self.shelf_in_time(interaction, ephemeral=True)
        await respond(interaction, embed=article_embed(shelf.qa, shelf.examples), ephemeral=True)

    @app_commands.command(
        name="help", description="The commands, and tips for asking good questions."
    )
    async def help(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            embed=help_embed(), ephemeral=True, allowed_mentions=NO_PINGS
        )
