""" "Ask the article" on a message: a private answer, and a button that posts it for all."""

from __future__ import annotations

from typing import Any

import discord
from discord_helpers import DEFERRED, World, answer_citations, assert_no_pings, callback_types

from bot.render import words as render


def labels(message: Any) -> list[str]:
    """Each button's label (or emoji), from a response's payload or a channel's message."""
    rows = [
        row["components"] if isinstance(row, dict) else [b.to_dict() for b in row.children]
        for row in message.components
    ]
    return [b.get("label") or b["emoji"]["name"] for row in rows for b in row]


async def test_ask_the_article_answers_privately_then_posts_for_everyone(world: World) -> None:
    bob = world.member("bob")
    asked = await world.alice.send(world.channel, "Who is Domenic Powell?")

    private = await bob.context_menu(world.channel, "Ask the article", asked)

    assert callback_types(world.env) == [DEFERRED]
    assert private.ephemeral
    (embed,) = private.response.embeds
    assert embed.title == "Who is Domenic Powell?"
    assert answer_citations(embed) == ["¶8.1"]
    assert labels(private.response) == ["Show context", "\N{THUMBS UP SIGN}",
                                        "\N{THUMBS DOWN SIGN}", "Post publicly"]  # fmt: skip
    assert world.channel.last_message.id == asked.id  # nothing public yet

    posted = await bob.click(private.response, label="Post publicly")

    public = world.channel.last_message
    assert public.author.id == world.bot.user.id
    assert public.embeds[0].to_dict() == embed.to_dict()
    assert labels(public) == ["Show context", "\N{THUMBS UP SIGN}", "\N{THUMBS DOWN SIGN}"]
    assert public.id in [m.id for m in world.channel.history(viewer=world.alice)]
    assert labels(posted.response) == labels(public)  # the private copy can't post twice
    context = await world.alice.click(public, label="Show context")
    assert context.response.embeds[0].title == "Paragraph 8"
    assert_no_pings(world.env)


async def test_a_message_without_text_is_told_so(world: World) -> None:
    picture = await world.alice.send(world.channel, "", attachments=[("cat.png", b"\x89PNG")])

    result = await world.alice.context_menu(world.channel, "Ask the article", picture)

    assert result.ephemeral
    assert result.response.content == render.NO_TEXT
    assert world.env.errors == []


async def test_ask_the_article_counts_against_the_question_budget(world: World) -> None:
    asked = await world.alice.send(world.channel, "Where is Austin?")
    for _ in range(4):
        ok = await world.alice.context_menu(world.channel, "Ask the article", asked)
        assert answer_citations(ok.response.embeds[0])[0] == "¶10.2"

    refused = await world.alice.context_menu(world.channel, "Ask the article", asked)

    assert refused.ephemeral
    assert refused.response.content.startswith("You're asking faster than I can keep up with")
    assert [type(e) for e in world.env.errors] == [discord.app_commands.CommandOnCooldown]
