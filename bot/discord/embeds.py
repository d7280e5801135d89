"""The bot's messages as Discord shapes them: render's pieces assembled into embeds.

No sentence is written here (they are all render's); this module only decides which piece
goes where and how much room each gets within Discord's limits.
"""

from __future__ import annotations

import discord

from retrieval import QA, Answer, Article, Paragraph, Reply

from ..render import markdown as render_markdown
from ..render import words as render
from ..render.markup import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    fit,
    markdown_escape,
    markdown_unescape,
    one_line,
)

NO_PINGS = discord.AllowedMentions.none()
COLOUR = discord.Colour(0x3B6EA5)
# Embed parts bounded well inside the 6000-character total an embed may have.
FOOTER_BUDGET = 256
FIELD_BUDGET = 1000
DEK_BUDGET = 1500


def question_of(message: discord.Message | None) -> str | None:
    """The question an answer message answered, read back from its embed's title."""
    if message is None or not message.embeds or not message.embeds[0].title:
        return None
    return markdown_unescape(message.embeds[0].title)


def answer_embed(qa: QA, reply: Reply, answers: tuple[Answer, ...]) -> discord.Embed:
    embed = discord.Embed(
        title=render.question_title(reply.question),
        description=render_markdown.heading_markdown(reply)
        + render_markdown.answers_markdown(answers),
        colour=COLOUR,
    )
    return _cite_articles(embed, qa, answers)


def _cite_articles(embed: discord.Embed, qa: QA, answers: tuple[Answer, ...]) -> discord.Embed:
    """An answer's articles: in a corpus of several, a field naming each cited article's
    title and file, as the console does; else the article's title as the footer."""
    sources = qa.sources(answers)
    if not sources:
        return embed.set_footer(text=render.titles_of(qa, answers, FOOTER_BUDGET))
    return embed.add_field(
        name=render.SOURCES_TITLE,
        value=render_markdown.sources_markdown(sources, FIELD_BUDGET),
        inline=False,
    )


def greeting_embed(reply: Reply, examples: tuple[str, ...]) -> discord.Embed:
    return discord.Embed(
        title=render.question_title(reply.question),
        description=render_markdown.greeting_markdown(examples, reply.question),
        colour=COLOUR,
    )


def not_said_embed(qa: QA, reply: Reply, examples: tuple[str, ...]) -> discord.Embed:
    embed = discord.Embed(
        title=render.question_title(reply.question),
        description=render_markdown.not_said_markdown(reply.reason, examples),
        colour=COLOUR,
    )
    return embed.set_footer(text=render.titles_of(qa, (), FOOTER_BUDGET))


def paragraph_embed(
    article: Article, paragraph: Paragraph, focus: int | None = None
) -> discord.Embed:
    embed = discord.Embed(
        title=render.paragraph_title(paragraph),
        description=render_markdown.paragraph_markdown(paragraph, focus=focus),
        colour=COLOUR,
    )
    return embed.set_footer(text=fit(article.title, FOOTER_BUDGET))


def article_embed(qa: QA, examples: tuple[str, ...]) -> discord.Embed:
    if len(qa.articles) == 1:
        article = qa.articles[0]
        embed = discord.Embed(
            title=fit(article.title, EMBED_TITLE_LIMIT, markdown_escape),
            description=fit(one_line(article.dek), DEK_BUDGET, markdown_escape),
            colour=COLOUR,
        )
    else:
        listing = render_markdown.bullets(
            [render.article_label(a) for a in qa.articles], DEK_BUDGET
        )
        embed = discord.Embed(title=render.articles_title(qa), description=listing, colour=COLOUR)
    embed.add_field(name=render.SIZE_TITLE, value=render.corpus_size(qa), inline=False)
    embed.add_field(name=render.HOW_TO_ASK_TITLE, value=render.HOW_TO_ASK, inline=False)
    if examples:
        embed.add_field(
            name=render.TRY_TITLE,
            value=render_markdown.bullets(examples, FIELD_BUDGET),
            inline=False,
        )
    return embed


def help_embed() -> discord.Embed:
    embed = discord.Embed(title=render.HELP_TITLE, description=render.DISCORD_HELP, colour=COLOUR)
    return embed.add_field(name=render.TIPS_TITLE, value=render.TIPS, inline=False)


def closest_embed(qa: QA, question: str, nearest: tuple[Answer, ...]) -> discord.Embed:
    """The sentences nearest an unanswered question, plainly labelled as no answer."""
    embed = discord.Embed(
        title=render.CLOSEST_TITLE,
        description=f"*{render.CLOSEST_NOTE}*\n"
        + render_markdown.answers_markdown(nearest, EMBED_DESCRIPTION_LIMIT - 200),
        colour=COLOUR,
    )
    if question:
        embed.add_field(name=render.QUESTION_TITLE, value=fit(question, 1000, markdown_escape))
    return _cite_articles(embed, qa, nearest)
