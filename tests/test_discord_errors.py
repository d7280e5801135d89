"""Failures reach the user as an apology and the log as a traceback; the bot goes on."""

from __future__ import annotations

import logging

import discord
import pytest
from discord_helpers import World, answer_citations

from bot.render import words as render
from retrieval import QA
from retrieval.ranking.index import RetrieverUnavailable


async def test_an_injected_discord_error_gets_an_apology_and_the_bot_goes_on(world: World) -> None:
    world.env.inject_error("POST", "/webhooks/*/*", status=500)  # the answer's followup
    failed = await world.alice.slash(world.channel, "ask", question="Where is Austin?")

    (apology,) = failed.followups  # privately: the public "thinking…" was withdrawn
    assert (apology.content, apology.ephemeral) == (render.APOLOGY, True)
    (error,) = world.env.errors
    assert isinstance(error.original, discord.HTTPException) and error.original.status == 500

    world.env.inject_error("POST", "/interactions/*/*/callback", status=500)  # the defer
    failed_early = await world.alice.slash(world.channel, "ask", question="Where is Austin?")
    assert failed_early.ephemeral and failed_early.response.content == render.APOLOGY
    assert len(world.env.errors) == 2

    fine = await world.alice.slash(world.channel, "ask", question="Where is Austin?")
    assert answer_citations(fine.response.embeds[0])[0] == "¶10.2"


async def test_a_failed_chat_reply_is_logged_and_the_bot_goes_on(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.env.inject_error("POST", "/channels/*/messages", status=500)
    await world.alice.send(world.channel, world.mention("Where is Austin?"))

    assert world.channel.last_message.author.id == world.alice.id
    assert "could not reply in channel" in caplog.text

    await world.alice.send(world.channel, world.mention("Where is Austin?"))
    assert answer_citations(world.channel.last_message.embeds[0])[0] == "¶10.2"
    assert world.env.errors == []


async def test_a_search_cluster_outage_is_an_apology_and_one_log_line(
    world: World, qa: QA, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(query: object, k: int) -> list[object]:
        raise RetrieverUnavailable("127.0.0.1:9306/dist: cannot connect (refused)")

    monkeypatch.setattr(qa.retriever, "search", unreachable)
    failed = await world.alice.slash(world.channel, "ask", question="Where is Austin?")
    (apology,) = failed.followups
    assert (apology.content, apology.ephemeral) == (render.APOLOGY, True)
    (error,) = world.env.errors
    assert isinstance(error.original, RetrieverUnavailable)
    await world.alice.send(world.channel, world.mention("Where is Austin?"))
    assert world.channel.last_message.content == render.APOLOGY
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(lines) == 2 and all(
        line.endswith("127.0.0.1:9306/dist: cannot connect (refused)") for line in lines
    )
    assert not any(r.exc_info for r in caplog.records)

    monkeypatch.undo()
    fine = await world.alice.slash(world.channel, "ask", question="Where is Austin?")
    assert answer_citations(fine.response.embeds[0])[0] == "¶10.2"
