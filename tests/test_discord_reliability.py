"""Issue 15 on Discord, through SimCord: a bot that never goes silent, never apologises in
public, and treats one user's flood as that user's problem."""

from __future__ import annotations

import logging

import discord
import pytest
from discord_helpers import BROAD, World, answer_citations

from bot.discord.messages import NO_ENTRY
from bot.discord.state import Busy, InFlight
from bot.render import words as render

AUSTIN = "Where is Austin?"


def bot_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("bot.")]


async def test_a_failed_answer_after_a_public_thinking_apologises_privately(world: World) -> None:
    world.env.inject_error("POST", "/webhooks/*/*", status=500)  # the answer's followup
    failed = await world.alice.slash(world.channel, "ask", question=AUSTIN)

    assert failed.response is None  # the public "thinking…" was withdrawn
    (apology,) = failed.followups
    assert (apology.content, apology.ephemeral) == (render.APOLOGY, True)
    assert world.channel.history() == []  # nothing public is left in the channel
    (error,) = world.env.errors  # and the traceback went to the log
    assert isinstance(error.original, discord.HTTPException) and error.original.status == 500


async def test_a_channel_gone_under_a_pending_answer_logs_one_info_line(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    world.env.inject_error(
        "POST", "/webhooks/*/*", status=404, code=10003, message="Unknown Channel"
    )
    await world.alice.slash(world.channel, "ask", question=AUSTIN)

    (record,) = bot_records(caplog)
    assert (record.levelname, record.exc_info) == ("INFO", None)
    assert record.getMessage().endswith("gone before its answer (Unknown Channel)")
    assert [type(e.original) for e in world.env.errors] == [discord.NotFound]


async def test_a_mention_in_a_channel_gone_under_its_answer_logs_one_info_line(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    world.env.inject_error(
        "POST", "/channels/*/messages", status=404, code=10003, message="Unknown Channel"
    )
    await world.alice.send(world.channel, world.mention(AUSTIN))

    (record,) = bot_records(caplog)
    assert (record.levelname, record.exc_info) == ("INFO", None)
    assert (
        record.getMessage()
        == f"channel {world.channel.id} is gone before its answer: Unknown Channel"
    )


async def test_a_mention_where_the_bot_cannot_post_is_answered_by_dm(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    muted = world.guild.create_text_channel(
        "muted", overwrites={world.guild.me: discord.PermissionOverwrite(send_messages=False)}
    )
    await world.alice.send(muted, world.mention(AUSTIN))

    assert [m.author.id for m in muted.history()] == [world.alice.id]  # nothing posted
    (dm,) = world.alice.user.dm_channel.history()
    assert dm.content == render.cannot_post("muted")
    (record,) = bot_records(caplog)
    assert record.getMessage() == (
        f"cannot post in channel {muted.id} (no Send Messages permission); told the asker in a DM"
    )


async def test_when_the_dm_fails_too_the_bot_reacts(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    muted = world.guild.create_text_channel(
        "muted", overwrites={world.guild.me: discord.PermissionOverwrite(send_messages=False)}
    )
    world.env.inject_error("POST", "/channels/*/messages", status=403, code=50007)  # DMs closed
    question = await world.alice.send(muted, world.mention(AUSTIN))

    (message,) = muted.history()
    assert [(str(r.emoji), r.count) for r in message.reactions] == [(NO_ENTRY, 1)]
    assert message.id == question.id
    assert bot_records(caplog)[-1].getMessage().endswith("; reacted to the question")


async def test_without_embed_links_the_answer_is_plain_text(world: World) -> None:
    plain = world.guild.create_text_channel(
        "plain", overwrites={world.guild.me: discord.PermissionOverwrite(embed_links=False)}
    )
    await world.alice.send(plain, world.mention(AUSTIN))

    answer = plain.last_message
    assert answer.embeds == []
    lines = answer.content.splitlines()
    assert lines[0] == f"**{AUSTIN}**"
    assert "\u2014 `\u00b610.2`" in lines
    assert len(answer.content) <= 2000


async def test_buttons_are_rate_limited_per_user(world: World) -> None:
    answer = await world.alice.slash(world.channel, "ask", question=AUSTIN)
    clicks = world.bot.settings.clicks
    shown = [
        await world.alice.click(answer.response, label="Show context") for _ in range(clicks + 1)
    ]

    assert [s.response.embeds[0].title for s in shown[:clicks]] == ["Paragraph 10"] * clicks
    refused = shown[clicks]
    assert refused.ephemeral and refused.response.content.startswith("You're asking faster")
    bob = world.member("bob")  # another user's budget is their own
    assert (await bob.click(answer.response, label="Show context")).response.embeds


def test_one_user_s_requests_in_flight_are_bounded_and_released() -> None:
    slots = InFlight(2)
    with slots.slot(1), slots.slot(1):
        with pytest.raises(Busy), slots.slot(1):
            pass
        with slots.slot(2):  # another user is never held up by user 1
            assert len(slots) == 2
    assert len(slots) == 0  # released, and forgotten
    with slots.slot(1):
        pass


async def test_a_busy_user_is_told_privately_before_any_thinking(world: World) -> None:
    world.bot.article.in_flight = InFlight(0)  # as if alice had her limit in flight already
    busy = await world.alice.slash(world.channel, "ask", question=AUSTIN)

    assert busy.ephemeral and busy.response.content == render.BUSY
    assert world.channel.history() == []
    assert [type(e) for e in world.env.errors] == [Busy]  # as a cooldown is reported


async def test_starting_the_same_bot_again_keeps_one_cog_that_answers(world: World) -> None:
    await world.env.restart_bot()
    result = await world.alice.slash(world.channel, "ask", question=AUSTIN)

    assert answer_citations(result.response.embeds[0])[0] == "\u00b610.2"
    assert list(world.bot.cogs) == [
        "Ask", "Chat", "Threads", "AutoAnswer", "MessageCommand", "Buttons", "Feedback", "Config"
    ]  # fmt: skip
    assert world.env.errors == []


async def test_answers_leave_no_view_behind_in_discord_py_s_store(world: World) -> None:
    # Every answer carries buttons; a view kept per message would grow with every answer
    # for the bot's lifetime. Dynamic items are rebuilt from the custom id on each click.
    answers = [
        await world.alice.slash(world.channel, "ask", question=question, results=1)
        for question in (BROAD, AUSTIN, "Who is the sheriff?")
    ]
    assert world.bot.persistent_views == []
    more = await world.alice.click(answers[0].response, label="More")
    assert more.response.embeds  # the buttons still work
    assert world.bot.persistent_views == []
