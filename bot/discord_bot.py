"""The Discord front end: slash commands, buttons and chat that translate Reply <-> Discord.

Questions go to `retrieval.QA` (off the event loop); replies come back as embeds built
from `render`. Every send passes `NO_PINGS`, every text is cut to Discord's limits, and
the only state is per bot: the last reply of each conversation and a per-user rate limit.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import math
import os
import re
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import discord
from discord import app_commands
from discord.ext import commands

from retrieval import DEFAULT_K, QA, Answer, Article, Paragraph, Reply
from retrieval.suggest import example_questions

from . import markup, render

log = logging.getLogger(__name__)

MAX_QUESTION = 300
MAX_RESULTS = 5
DEFAULT_RESULTS = max(1, min(DEFAULT_K, MAX_RESULTS))
# "More" stops past this many results: beyond it answers are rarely worth reading.
MAX_MORE = 25
MAX_CHOICES = 25
CUSTOM_ID_LIMIT = 100
# Embed parts bounded well inside the 6000-character total an embed may have.
FOOTER_BUDGET = 256
FIELD_BUDGET = 1000
DEK_BUDGET = 1500

NO_PINGS = discord.AllowedMentions.none()
COLOUR = discord.Colour(0x3B6EA5)
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."
NO_MORE = "That's everything the article has on this."

HELP = """\
**/ask** `question` `[results]` `[private]` \u2014 the article's own sentences that answer \
your question, each with its citation (`\u00b610.2` = paragraph 10, sentence 2) and the \
matching words in **bold**.
**/source** `paragraph` \u2014 a whole paragraph, each sentence with its citation.
**/article** \u2014 what the article is, how long it is, questions to try.
**/help** \u2014 this help.

You can also mention me with a question in any channel I can read, or send me a DM."""

TIPS = """\
\u2022 Follow-ups build on the channel's last question: "Who is its sheriff?"
\u2022 Under an answer, **Show context** shows you the whole paragraph and **More** the next \
results.
\u2022 `private:true` shows an answer only to you.
\u2022 When the article doesn't say, I tell you so rather than guess."""

HOW_TO_ASK = """\
`/ask question:` your question \u2014 or mention me with it, or DM me.
`/source paragraph:` a paragraph number, to read the whole paragraph."""

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A mapping that forgets its least recently used entries beyond `size`."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"an LRU holds at least one entry, not {size}")
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        if key not in self._items:
            return None
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True, slots=True)
class Asked:
    """What an answer message answered: "More" re-ranks it exactly, title cut or not."""

    question: str
    previous: Reply | None  # the reply the question followed up, if any


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    retry_after: float = 0.0
    first_refusal: bool = False  # the first refusal since the user was last allowed


@dataclass(slots=True)
class _Window:
    hits: deque[float] = field(default_factory=deque)
    refused: bool = False


class RateLimiter:
    """At most `rate` actions per `per` seconds for each key (a sliding window)."""

    def __init__(self, rate: int, per: float, max_keys: int = 10_000) -> None:
        self.rate, self.per = rate, per
        self._windows: LRU[int, _Window] = LRU(max_keys)

    def hit(self, key: int) -> Verdict:
        # time.monotonic looked up at each call, not bound once: test clocks replace it.
        now = time.monotonic()
        window = self._windows.get(key) or _Window()
        self._windows.put(key, window)
        while window.hits and now - window.hits[0] >= self.per:
            window.hits.popleft()
        if len(window.hits) < self.rate:
            window.hits.append(now)
            window.refused = False
            return Verdict(True)
        first, window.refused = not window.refused, True
        return Verdict(False, self.per - (now - window.hits[0]), first)


@dataclass(frozen=True, slots=True)
class BotSettings:
    guild_id: int | None = None  # sync the commands to this server only (instant; development)
    force_sync: bool = False
    sync_state: Path | None = None  # the last synced command set; None: sync at every start
    shard_ids: tuple[int, ...] | None = None  # the shards this process runs (None: all)
    rate: int = 4  # questions per user ...
    per: float = 10.0  # ... per this many seconds
    max_conversations: int = 4096


# --- Text for Discord --------------------------------------------------------------------


def slow_down(retry_after: float) -> str:
    return (
        "You're asking faster than I can keep up with: "
        f"please try again in {max(1, math.ceil(retry_after))} s."
    )


def _title(question: str) -> str | None:
    """The question as an embed title (None for a blank one: Discord rejects empty titles)."""
    text = markup.one_line(question)
    return markup.fit(text, markup.EMBED_TITLE_LIMIT, markup.markdown_escape) if text else None


def question_of(message: discord.Message | None) -> str | None:
    """The question an answer message answered, read back from its embed's title."""
    if message is None or not message.embeds or not message.embeds[0].title:
        return None
    return markup.markdown_unescape(message.embeds[0].title)


def _footer(qa: QA, answers: tuple[Answer, ...] = ()) -> str:
    slugs = dict.fromkeys(a.article for a in answers) or [qa.articles[0].slug]
    titles = " \u00b7 ".join(qa.article(slug).title for slug in slugs)
    return markup.fit(titles, FOOTER_BUDGET)


def answer_embed(qa: QA, reply: Reply, answers: tuple[Answer, ...]) -> discord.Embed:
    embed = discord.Embed(
        title=_title(reply.question), description=render.answers_markdown(answers), colour=COLOUR
    )
    return embed.set_footer(text=_footer(qa, answers))


def not_said_embed(qa: QA, reply: Reply, examples: tuple[str, ...]) -> discord.Embed:
    embed = discord.Embed(
        title=_title(reply.question),
        description=render.not_said_markdown(reply.reason, examples),
        colour=COLOUR,
    )
    return embed.set_footer(text=_footer(qa))


def paragraph_embed(
    article: Article, paragraph: Paragraph, focus: int | None = None
) -> discord.Embed:
    embed = discord.Embed(
        title=f"Paragraph {paragraph.number}",
        description=render.paragraph_markdown(paragraph, focus=focus),
        colour=COLOUR,
    )
    return embed.set_footer(text=markup.fit(article.title, FOOTER_BUDGET))


def _bullets(lines: list[str], limit: int) -> str:
    """As many bullet lines as fit in `limit`, each cut to fit on its own."""
    out: list[str] = []
    used = 0
    for line in lines:
        bullet = f"\u2022 {markup.fit(line, 300, markup.markdown_escape)}"
        if used + len(bullet) + 1 > limit:
            break
        out.append(bullet)
        used += len(bullet) + 1
    return "\n".join(out)


def article_embed(qa: QA, examples: tuple[str, ...]) -> discord.Embed:
    paragraphs = sum(len(a.paragraphs) for a in qa.articles)
    if len(qa.articles) == 1:
        article = qa.articles[0]
        embed = discord.Embed(
            title=markup.fit(article.title, markup.EMBED_TITLE_LIMIT, markup.markdown_escape),
            description=markup.fit(
                markup.one_line(article.dek), DEK_BUDGET, markup.markdown_escape
            ),
            colour=COLOUR,
        )
    else:
        listing = _bullets([f"{a.title} ({a.slug})" for a in qa.articles], DEK_BUDGET)
        embed = discord.Embed(
            title=f"{len(qa.articles)} articles", description=listing, colour=COLOUR
        )
    embed.add_field(
        name="Size", value=f"{paragraphs} paragraphs, {len(qa.sentences)} sentences", inline=False
    )
    embed.add_field(name="How to ask", value=HOW_TO_ASK, inline=False)
    if examples:
        embed.add_field(name="Try", value=_bullets(list(examples), FIELD_BUDGET), inline=False)
    return embed


def help_embed() -> discord.Embed:
    embed = discord.Embed(title="Ask the article", description=HELP, colour=COLOUR)
    return embed.add_field(name="Tips", value=TIPS, inline=False)


# --- Buttons that keep working after a restart: their state is in their custom id ---------


class ContextButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"aqa:ctx:(?P<article>[^:]+):(?P<paragraph>[0-9]+)\.(?P<sentence>[0-9]+)",
):
    """Shows the asker the whole paragraph of a cited sentence."""

    def __init__(self, article: str, paragraph: int, sentence: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Show context",
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
        cog = _cog(interaction.client)
        await _guarded(
            interaction, cog.show_context(interaction, self.article, self.paragraph, self.sentence)
        )


class MoreButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"aqa:more:(?P<offset>[0-9]+):(?P<k>[0-9]+)",
):
    """Shows the asker the next `k` results of the question in the message's title."""

    def __init__(self, offset: int, k: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="More", style=discord.ButtonStyle.primary, custom_id=f"aqa:more:{offset}:{k}"
            )
        )
        self.offset, self.k = offset, k

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MoreButton:
        return cls(int(match["offset"]), int(match["k"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = _cog(interaction.client)
        await _guarded(interaction, cog.show_more(interaction, self.offset, self.k))


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


# --- Errors: every failure ends in a private apology and a logged traceback ---------------


async def tell(interaction: discord.Interaction, text: str) -> None:
    """A short private note, as the response or, once responded, as a follow-up.

    Never raises: it is what error paths call.
    """
    if interaction.type is discord.InteractionType.autocomplete:
        return
    text = markup.fit(text, markup.CONTENT_LIMIT)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)
    except discord.HTTPException as error:
        log.warning("could not send a note for interaction %s: %s", interaction.id, error)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    if isinstance(error, app_commands.CommandOnCooldown):
        await tell(interaction, slow_down(error.retry_after))
        return
    original = getattr(error, "original", None) or error
    if interaction.command is not None:
        what = f"/{interaction.command.qualified_name}"
    else:
        what = str((interaction.data or {}).get("custom_id") or interaction.type.name)
    log.error("interaction %s (%s) failed", interaction.id, what, exc_info=original)
    await tell(interaction, APOLOGY)


async def _guarded(interaction: discord.Interaction, action: Awaitable[None]) -> None:
    try:
        await action
    except Exception as error:
        await report_error(interaction, error)


class ArticleTree(app_commands.CommandTree):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)


def _cog(client: discord.Client) -> ArticleCog:
    return cast(_ArticleBotMixin, client).article


def _within_rate(interaction: discord.Interaction) -> bool:
    cog = _cog(interaction.client)
    verdict = cog.limiter.hit(interaction.user.id)
    if not verdict.allowed:
        cooldown = app_commands.Cooldown(cog.limiter.rate, cog.limiter.per)
        raise app_commands.CommandOnCooldown(cooldown, verdict.retry_after)
    return True


# --- The commands, the buttons' actions and the chat ---------------------------------------


def _paragraph_choices(article: Article) -> list[tuple[app_commands.Choice[int], str]]:
    """Each paragraph's choice (number and first words) with its whole text, to search."""
    return [
        (
            app_commands.Choice(
                name=markup.fit(f"{p.number}. {markup.one_line(p.text)}", markup.CHOICE_NAME_LIMIT),
                value=p.number,
            ),
            p.text.casefold(),
        )
        for p in article.paragraphs
    ]


async def reply_to(
    message: discord.Message, content: str | None = None, **fields: Any
) -> discord.Message:
    """Reply without pinging anyone; a reply to a message deleted meanwhile is a plain send."""
    return await message.channel.send(
        content,
        reference=message.to_reference(fail_if_not_exists=False),
        allowed_mentions=NO_PINGS,
        **fields,
    )


def _mention_pattern(user_id: int) -> re.Pattern[str]:
    return re.compile(rf"<@!?{user_id}>")


class ArticleCog(commands.Cog, name="Article"):
    """Everything users see; state is per bot: conversations, rate limit, example questions."""

    def __init__(self, bot: commands.Bot, qa: QA, settings: BotSettings) -> None:
        self.bot = bot
        self.qa = qa
        self.settings = settings
        # Conversation -> its last reply, for follow-ups. The key is (channel, 0) for a
        # channel or a DM (a DM channel is one user's), (channel, user) for private asks.
        self.conversations: LRU[tuple[int, int], Reply] = LRU(settings.max_conversations)
        # Answer message -> its whole question and the reply it followed up, so "More" ranks
        # the same way (the embed title holds only 256 characters of the question).
        self.answered: LRU[int, Asked] = LRU(settings.max_conversations)
        self.limiter = RateLimiter(settings.rate, settings.per)
        self.examples: tuple[str, ...] = ()
        self._choices = {a.slug: _paragraph_choices(a) for a in qa.articles}
        # One worker: questions are answered in order, and the core is never used by two
        # threads at once.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="article-qa")

    async def cog_load(self) -> None:
        try:
            self.examples = await self.off_loop(example_questions, self.qa)
        except Exception:
            log.exception("could not build example questions; the abstention will have none")

    async def cog_unload(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)

    async def off_loop(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run the core's work in the worker thread so the gateway keeps its heartbeat."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, partial(function, *args, **kwargs))

    async def answer(
        self, question: str, key: tuple[int, int], k: int
    ) -> tuple[Reply, Reply | None]:
        """The reply to `question` in conversation `key`, and the reply it followed."""
        previous = self.conversations.get(key)
        reply = await self.off_loop(self.qa.ask, question, k=k, previous=previous)
        self.conversations.put(key, reply)
        return reply, previous

    def reply_payload(self, reply: Reply, offset: int, k: int) -> dict[str, Any]:
        """Embed (and buttons) for results offset..offset+k of a reply."""
        shown = reply.answers[offset : offset + k]
        if reply.abstained or not shown:
            return {"embed": not_said_embed(self.qa, reply, self.examples)}
        end = offset + k
        more = end if len(reply.answers) >= end and end + k <= MAX_MORE else None
        return {
            "embed": answer_embed(self.qa, reply, shown),
            "view": answer_view(shown[0], more, k),
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
    @app_commands.check(_within_rate)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION],
        results: app_commands.Range[int, 1, MAX_RESULTS] = DEFAULT_RESULTS,
        private: bool = False,
    ) -> None:
        # Acknowledge first: answering a large corpus can take longer than Discord waits.
        await interaction.response.defer(ephemeral=private, thinking=True)
        channel = interaction.channel_id or interaction.user.id
        key = (channel, interaction.user.id if private else 0)
        reply, previous = await self.answer(question, key, results)
        await self.send_answer(interaction, reply, previous, 0, results, ephemeral=private)

    async def send_answer(
        self,
        interaction: discord.Interaction,
        reply: Reply,
        previous: Reply | None,
        offset: int,
        k: int,
        *,
        ephemeral: bool,
    ) -> None:
        """Send results offset..offset+k as a followup, remembering the context for "More"."""
        message = await interaction.followup.send(
            **self.reply_payload(reply, offset, k),
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
            await tell(
                interaction, "That paragraph is no longer in the article; it has changed since."
            )
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
            await tell(interaction, "I can't tell what that answer was about; please ask again.")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self.off_loop(self.qa.ask, question, k=offset + k, previous=previous)
        if reply.abstained or len(reply.answers) <= offset:
            await interaction.followup.send(NO_MORE, ephemeral=True, allowed_mentions=NO_PINGS)
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
            await tell(interaction, markup.markdown_escape(markup.sentence_case(str(error))) + ".")
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
            app_commands.Choice(
                name=markup.fit(f"{a.title} ({a.slug})", markup.CHOICE_NAME_LIMIT), value=a.slug
            )
            for a in self.qa.articles
            if len(a.slug) <= markup.CHOICE_NAME_LIMIT
            and (typed in a.slug or typed in a.title.casefold())
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

    # Chat: mentions and DMs ---------------------------------------------------------------

    @commands.Cog.listener("on_message")
    async def on_chat(self, message: discord.Message) -> None:
        me = self.bot.user
        if (
            me is None
            or message.author.bot
            or message.type
            not in (
                discord.MessageType.default,
                discord.MessageType.reply,
            )
        ):
            return
        if message.guild is not None and not any(user.id == me.id for user in message.mentions):
            return
        try:
            await self._chat(message, me)
        except discord.HTTPException as error:
            log.warning("could not reply in channel %s: %s", message.channel.id, error)
        except Exception:
            log.exception("failed to answer a message in channel %s", message.channel.id)
            await self._reply_safely(message, APOLOGY)

    async def _chat(self, message: discord.Message, me: discord.ClientUser) -> None:
        question = markup.one_line(_mention_pattern(me.id).sub(" ", message.content))
        verdict = self.limiter.hit(message.author.id)
        if not verdict.allowed:
            # One notice per burst, deleted once it is stale: a notice per message would be
            # the very flood the limit prevents.
            if verdict.first_refusal:
                await reply_to(
                    message,
                    slow_down(verdict.retry_after),
                    delete_after=max(verdict.retry_after, 5.0),
                )
            return
        if not question:
            await reply_to(message, self.chat_hint(me))
            return
        reply, previous = await self.answer(question, (message.channel.id, 0), DEFAULT_RESULTS)
        sent = await reply_to(message, **self.reply_payload(reply, 0, DEFAULT_RESULTS))
        self.answered.put(sent.id, Asked(reply.question, previous))

    def chat_hint(self, me: discord.ClientUser) -> str:
        example = self.examples[0] if self.examples else "What is the article about?"
        name = markup.markdown_escape(me.display_name)
        return markup.fit(
            f"Ask me about the article in plain words, like: @{name} "
            f"{markup.markdown_escape(example)} \u2014 or use /ask. /help lists what I can do.",
            markup.CONTENT_LIMIT,
        )

    async def _reply_safely(self, message: discord.Message, text: str) -> None:
        try:
            await reply_to(message, text)
        except discord.HTTPException as error:
            log.warning("could not apologise in channel %s: %s", message.channel.id, error)


# --- Command sync: only when asked, or when the command set changed ----------------------


def command_fingerprint(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> str:
    """A digest of the command payloads Discord would receive for `guild` (None: global)."""
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class SyncState:
    """The fingerprint of the last command set synced, per application and scope, in a file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            log.warning("ignoring unreadable command sync state %s: %s", self.path, error)
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def get(self, key: str) -> str | None:
        return self._read().get(key)

    def scopes(self) -> list[str]:
        return list(self._read())

    def put(self, key: str, fingerprint: str | None) -> None:
        """Remember `fingerprint` for `key`; None forgets the key."""
        data = self._read()
        if fingerprint is None:
            data.pop(key, None)
        else:
            data[key] = fingerprint
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
            temporary.replace(self.path)  # atomic: a crash never leaves half a file
        except OSError as error:
            log.warning("could not record the command sync in %s: %s", self.path, error)


async def _clear_development_guilds(bot: commands.Bot, state: SyncState) -> None:
    """Remove the commands an earlier `--guild` run registered: beside the global ones,
    that server would list every command twice."""
    prefix = f"{bot.application_id}/guild "
    for key in state.scopes():
        if not key.startswith(prefix) or not key[len(prefix) :].isdigit():
            continue
        guild = discord.Object(int(key[len(prefix) :]))
        bot.tree.clear_commands(guild=guild)
        try:
            await bot.tree.sync(guild=guild)
        except discord.HTTPException as error:
            log.warning("could not remove the commands of guild %s: %s", guild.id, error)
            continue
        log.info("removed the development copy of the commands from guild %s", guild.id)
        state.put(key, None)


async def sync_commands(bot: commands.Bot, settings: BotSettings) -> bool:
    """Sync the slash commands if forced or changed since the last sync; True if synced.

    Discord allows only so many command creations a day, and a bot that restarts often
    would spend them on identical command sets.
    """
    if settings.shard_ids is not None and 0 not in settings.shard_ids:
        log.info("not syncing commands: the process that runs shard 0 does that")
        return False
    guild = discord.Object(settings.guild_id) if settings.guild_id else None
    if guild is not None:
        bot.tree.copy_global_to(guild=guild)
    scope = f"guild {guild.id}" if guild else "global"
    key = f"{bot.application_id}/{scope}"
    fingerprint = command_fingerprint(bot.tree, guild)
    state = SyncState(settings.sync_state) if settings.sync_state else None
    if guild is None and state is not None:
        await _clear_development_guilds(bot, state)
    if not settings.force_sync and state is not None and state.get(key) == fingerprint:
        log.info("slash commands (%s) unchanged since the last sync; not syncing", scope)
        return False
    try:
        synced = await bot.tree.sync(guild=guild)
    except discord.HTTPException as error:
        log.error("could not sync the slash commands (%s): %s", scope, error)
        return False
    log.info("synced %d slash commands (%s)", len(synced), scope)
    if state is not None:
        state.put(key, fingerprint)
    return True


# --- The bot -----------------------------------------------------------------------------


def bot_intents() -> discord.Intents:
    """The few intents the bot needs; none is privileged.

    Discord delivers the content of DMs and of messages that mention the bot without the
    message-content intent.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    return intents


class _ArticleBotMixin:
    """What both bot classes add to discord.py's: the article cog, buttons, command sync."""

    article: ArticleCog
    settings: BotSettings

    def __init__(self, qa: QA, settings: BotSettings, **options: Any) -> None:
        super().__init__(**options)
        self.settings = settings
        self.article = ArticleCog(cast(commands.Bot, self), qa, settings)

    async def setup_hook(self) -> None:
        bot = cast(commands.Bot, self)
        await bot.add_cog(self.article)
        bot.add_dynamic_items(ContextButton, MoreButton)
        await sync_commands(bot, self.settings)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: chat is the article cog's listener (mentions and DMs)."""


class ArticleBot(_ArticleBotMixin, commands.Bot):
    pass


class ShardedArticleBot(_ArticleBotMixin, commands.AutoShardedBot):
    pass


def create_bot(
    qa: QA | None = None,
    *,
    guild_id: int | None = None,
    force_sync: bool = False,
    sync_state: Path | None = None,
    sharded: bool = False,
    shard_count: int | None = None,
    shard_ids: tuple[int, ...] | None = None,
    rate: int = 4,
    per: float = 10.0,
) -> commands.Bot:
    """A ready bot for `qa` (None: the bundled article); no token, no network until started.

    sharded / shard_count / shard_ids make an AutoShardedBot (shard_count None: as many
    shards as Discord recommends; shard_ids: the shards this process runs).
    """
    settings = BotSettings(
        guild_id=guild_id,
        force_sync=force_sync,
        sync_state=sync_state,
        shard_ids=tuple(shard_ids) if shard_ids is not None else None,
        rate=rate,
        per=per,
    )
    options: dict[str, Any] = {
        "command_prefix": commands.when_mentioned,
        "help_command": None,
        "intents": bot_intents(),
        "allowed_mentions": NO_PINGS,
        "tree_cls": ArticleTree,
        # The bot reads no member lists and no message history: caching them is waste.
        "member_cache_flags": discord.MemberCacheFlags.none(),
        "chunk_guilds_at_startup": False,
        "max_messages": None,
    }
    corpus = qa if qa is not None else QA.load()
    if sharded or shard_count is not None or shard_ids is not None:
        return ShardedArticleBot(
            corpus,
            settings,
            shard_count=shard_count,
            shard_ids=list(shard_ids) if shard_ids is not None else None,
            **options,
        )
    return ArticleBot(corpus, settings, **options)
