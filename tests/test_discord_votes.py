"""👍/👎 under Discord answers: click, change, restart, click again; a failing disk; servers
that turn recording off."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import discord
import pytest
import simcord
from discord_helpers import BROAD, UNANSWERABLE, World
from simcord.backend.errors import SetupError

from bot.discord import create_bot
from bot.discord.settings import DiscordSettings
from bot.render import words as render
from bot.reports.feedback import FeedbackLog
from bot.reports.store import Store
from retrieval import QA


def _rows(message: discord.Message) -> list[list[dict[str, Any]]]:
    """Each row's buttons as payloads, from a response (payloads) or a channel's message."""
    return [
        [b if isinstance(b, dict) else b.to_dict() for b in (
            row["components"] if isinstance(row, dict) else row.children
        )]
        for row in message.components
    ]  # fmt: skip


def buttons(message: discord.Message) -> list[list[str]]:
    """Each row's buttons: the label, or the emoji of an emoji-only button."""
    return [[b.get("label") or b["emoji"]["name"] for b in row] for row in _rows(message)]


def vote_ids(message: discord.Message) -> list[str]:
    return [
        b["custom_id"]
        for row in _rows(message)
        for b in row
        if b.get("custom_id", "").startswith("aqa:vote:")
    ]


async def flush(bot: discord.Client) -> None:
    await bot.feedback.flush()  # type: ignore[attr-defined]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "votes.db"


@pytest.fixture
def simcord_bot(qa: QA, db: Path) -> discord.Client:
    return create_bot(qa, DiscordSettings(db=str(db)))


async def test_votes_click_change_restart_and_click_again(world: World, qa: QA, db: Path):
    answer = await world.alice.slash(world.channel, "ask", question="Where is Austin?")
    assert buttons(answer.response) == [["Show context", "👍", "👎"]]
    broad = await world.alice.slash(world.channel, "ask", question=BROAD, results=2)
    assert buttons(broad.response) == [["Show context", "More", "👍", "👎"]]  # a row holds 5
    up, down = vote_ids(answer.response)
    assert up.endswith(":up") and down.endswith(":down") and up[:-3] == down[:-5]
    ask_id = int(up.split(":")[2])

    first = await world.alice.click(answer.response, custom_id=up)
    again = await world.alice.click(answer.response, custom_id=up)
    changed = await world.alice.click(answer.response, custom_id=down)
    assert [r.ephemeral for r in (first, again, changed)] == [True, True, True]
    assert first.response.content == "Thanks! Noted: this answer was helpful."
    assert again.response.content == "You already said this answer was helpful; one vote each."
    assert changed.response.content == "Vote changed: this answer was not helpful."

    await world.env.restart_bot(create_bot(qa, DiscordSettings(db=str(db))))
    after = await world.alice.click(answer.response, custom_id=down)
    bob = world.member("bob")
    bob_vote = await bob.click(answer.response, custom_id=up)
    assert after.response.content == "You already said this answer was not helpful; one vote each."
    assert bob_vote.response.content == "Thanks! Noted: this answer was helpful."
    await flush(world.bot)

    with Store.open(db) as store:
        asked = store.asks()[0]
        assert (asked.id, asked.surface, asked.question, asked.kind) == (
            ask_id, "discord", "Where is Austin?", "answer"
        )  # fmt: skip
        assert asked.answers[0].citation == "¶10.2"
        votes = sorted((v.up, v.voter) for v in store.votes())
    hashed = FeedbackLog(db).hash_id
    assert votes == sorted([(False, hashed(world.alice.id)), (True, hashed(bob.id))])
    assert str(world.alice.id) not in db.read_bytes().decode("latin-1")


async def test_abstentions_are_logged_without_vote_buttons(world: World, db: Path) -> None:
    answer = await world.alice.slash(world.channel, "ask", question=UNANSWERABLE)
    mention = await world.alice.send(world.channel, world.mention("Who is Eddie Rodriguez?"))
    await flush(world.bot)
    assert vote_ids(answer.response) == []
    reply = world.channel.last_message
    assert reply.reference is not None and reply.reference.message_id == mention.id
    assert len(vote_ids(reply)) == 2
    with Store.open(db) as store:
        assert [(a.question, a.abstained, a.kind) for a in store.asks()] == [
            (UNANSWERABLE, True, "abstain"),
            ("Who is Eddie Rodriguez?", False, "answer"),
        ]


async def test_a_failing_disk_never_stops_an_answer(
    qa: QA, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise __import__("sqlite3").OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "record_ask", full)
    monkeypatch.setattr(Store, "vote", full)
    caplog.set_level(logging.DEBUG, logger="bot")
    async with simcord.run(create_bot(qa, DiscordSettings(db=str(tmp_path / "f.db")))) as env:
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        for question in ("Where is Austin?", "Who is Eddie Rodriguez?"):
            answer = await alice.slash(channel, "ask", question=question)
            assert answer.response.embeds[0].title == question
        vote = await alice.click(answer.response, custom_id=vote_ids(answer.response)[0])
        assert vote.response.content == render.VOTE_NOT_SAVED
        await env.bot.feedback.flush()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "database or disk is full" in warnings[0].getMessage()
    assert sum("disk is full" in r.getMessage() for r in caplog.records) == 3  # 2 asks, 1 vote


async def test_no_log_means_no_buttons_and_no_file(qa: QA, tmp_path: Path) -> None:
    settings = DiscordSettings(db=str(tmp_path / "f.db"), log_asks=False)
    async with simcord.run(create_bot(qa, settings)) as env:
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        answer = await alice.slash(channel, "ask", question="Where is Austin?")
        assert buttons(answer.response) == [["Show context"]]
    assert not (tmp_path / "f.db").exists()


async def test_server_managers_turn_recording_off_and_on(world: World, db: Path) -> None:
    managers = world.guild.create_role("mods", permissions=discord.Permissions(manage_guild=True))
    mod = world.guild.add_member(world.env.create_user("mod"), roles=[managers])

    with pytest.raises(SetupError, match="not visible"):  # Discord shows it to managers only
        await world.alice.slash(world.channel, "recording", keep=False)
    off = await mod.slash(world.channel, "recording", keep=False)
    quiet = await world.alice.slash(world.channel, "ask", question="Where is Austin?")
    on = await mod.slash(world.channel, "recording", keep=True)
    loud = await world.alice.slash(world.channel, "ask", question="Who is Eddie Rodriguez?")
    await flush(world.bot)

    assert off.ephemeral and off.response.content == render.recording_message(False)
    assert on.response.content == render.recording_message(True)
    assert vote_ids(quiet.response) == [] and len(vote_ids(loud.response)) == 2
    with Store.open(db) as store:
        assert [a.question for a in store.asks()] == ["Who is Eddie Rodriguez?"]
