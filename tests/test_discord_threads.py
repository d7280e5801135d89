"""Threads (/ask's thread mode, follow-ups inside) and auto-answer help channels."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import discord
import pytest
import simcord
from discord_helpers import RecordingQA, answer_citations, assert_no_pings, turn

from bot.discord import create_bot
from bot.discord.settings import DiscordSettings
from bot.render import words as render
from retrieval import QA

POWELL = "Who is Domenic Powell?"
AUSTIN = "Where is Austin?"
FRANCE = "What is the capital of France?"


@pytest.fixture
def settings(tmp_path: Path) -> DiscordSettings:
    return DiscordSettings(db=str(tmp_path / "bot.db"), articles_dir=tmp_path / "articles")


@pytest.fixture
def reading(settings: DiscordSettings) -> DiscordSettings:
    """With the Message Content intent: messages that don't mention the bot are read."""
    return dataclasses.replace(settings, message_content=True)


class Server:
    def __init__(self, env: simcord.Env) -> None:
        self.env = env
        self.guild = env.create_guild()
        self.channel = self.guild.create_text_channel("general")
        managers = self.guild.create_role(
            "managers", permissions=discord.Permissions(manage_guild=True)
        )
        self.manager = self.guild.add_member(env.create_user("manager"), roles=[managers])
        self.alice = self.guild.add_member(env.create_user("alice"))
        self.bob = self.guild.add_member(env.create_user("bob"))

    @property
    def me(self) -> str:
        return f"<@{self.env.bot.user.id}>"

    def bot_messages(self, channel: simcord.ChannelHandle) -> list[discord.Message]:
        """The bot's messages there (not the system notice that it started a thread)."""
        chat = (discord.MessageType.default, discord.MessageType.reply)
        return [
            m for m in channel.history() if m.author.id == self.env.bot.user.id and m.type in chat
        ]


async def test_ask_in_a_thread_then_follow_ups_continue_there(
    qa: QA, settings: DiscordSettings
) -> None:
    recording = RecordingQA(qa)
    async with simcord.run(create_bot(recording, settings)) as env:
        server = Server(env)
        recording.calls.clear()  # the start-up's example questions

        asked = await server.alice.slash(server.channel, "ask", question=POWELL, thread=True)

        (thread,) = server.channel.threads
        assert thread.name == POWELL
        assert asked.ephemeral
        assert asked.response.content == render.answered_in_thread(thread.id)
        (answer,) = server.bot_messages(thread)
        assert answer_citations(answer.embeds[0]) == ["¶8.1"]
        assert server.bot_messages(server.channel) == []  # the channel gets only the thread

        await server.alice.send(thread, f"{server.me} What did he say?")
        followed = await server.alice.slash(thread, "ask", question="What else?")
        await server.bob.send(thread, f"{server.me} What did he say?")

        first = recording.calls[0][2]
        assert [(q, turn(p)) for q, p, _ in recording.calls[:2]] == [
            (POWELL, None),
            ("What did he say?", turn(first)),  # the thread's conversation is alice's
        ]
        assert turn(recording.calls[2][1]) == turn(recording.calls[1][2])
        assert recording.calls[3][:2] == ("What did he say?", None)  # bob's is his own
        assert answer_citations(followed.response.embeds[0]) == [
            a.citation for a in recording.calls[2][2].answers
        ]
        assert len(server.channel.threads) == 1  # /ask in a thread answers in it
        assert_no_pings(env)


async def test_thread_mode_as_the_servers_default_and_without_a_mention_inside(
    qa: QA, reading: DiscordSettings
) -> None:
    async with simcord.run(create_bot(qa, reading)) as env:
        server = Server(env)
        await server.manager.slash(server.channel, "config threads", on=True)

        await server.alice.slash(server.channel, "ask", question=POWELL)
        (thread,) = server.channel.threads
        await server.alice.send(thread, "What did he say?")  # no mention: its own thread

        expected = qa.ask("What did he say?", previous=qa.ask(POWELL))
        first, second = server.bot_messages(thread)
        assert answer_citations(first.embeds[0]) == ["¶8.1"]
        assert answer_citations(second.embeds[0]) == [a.citation for a in expected.answers]
        inline = await server.alice.slash(server.channel, "ask", question=AUSTIN, thread=False)
        assert answer_citations(inline.response.embeds[0])[0] == "¶10.2"
        assert len(server.channel.threads) == 1


async def test_a_help_channel_is_answered_when_confident_and_silent_otherwise(
    qa: QA, reading: DiscordSettings
) -> None:
    async with simcord.run(create_bot(qa, reading)) as env:
        server = Server(env)
        help_channel = server.guild.create_text_channel("help")
        helper = server.guild.add_member(env.create_user("helper", bot=True))
        await server.manager.slash(
            server.channel, "config auto-answer", channel=help_channel, answer=True
        )

        asked = await server.alice.send(help_channel, AUSTIN)
        (answer,) = server.bot_messages(help_channel)
        assert answer.reference is not None and answer.reference.message_id == asked.id
        assert answer_citations(answer.embeds[0])[0] == "¶10.2"

        await server.alice.send(help_channel, FRANCE)  # the article doesn't say: silence
        await server.bob.send(help_channel, "hello everyone")  # small talk: silence
        await helper.send(help_channel, POWELL)  # a bot: never answered
        await server.alice.send(server.channel, POWELL)  # not a help channel, no mention

        assert len(server.bot_messages(help_channel)) == 1
        assert server.bot_messages(server.channel) == []
        assert env.errors == []

        await server.manager.slash(
            server.channel, "config auto-answer", channel=help_channel, answer=False
        )
        await server.alice.send(help_channel, POWELL)
        assert len(server.bot_messages(help_channel)) == 1
        assert_no_pings(env)


async def test_an_unanswered_help_message_leaves_the_conversation_alone(
    qa: QA, reading: DiscordSettings
) -> None:
    recording = RecordingQA(qa)
    async with simcord.run(create_bot(recording, reading)) as env:
        server = Server(env)
        help_channel = server.guild.create_text_channel("help")
        await server.manager.slash(
            server.channel, "config auto-answer", channel=help_channel, answer=True
        )
        recording.calls.clear()

        await server.alice.send(help_channel, POWELL)
        await server.alice.send(help_channel, FRANCE)  # silent, and forgotten
        await server.alice.send(help_channel, f"{server.me} What did he say?")

        assert turn(recording.calls[2][1]) == turn(recording.calls[0][2])


async def test_a_forum_post_is_answered_from_its_title(settings: DiscordSettings, qa: QA) -> None:
    # No Message Content intent: a post's title is still read.
    async with simcord.run(create_bot(qa, settings)) as env:
        server = Server(env)
        forum = server.guild.create_forum_channel("questions")
        await server.manager.slash(server.channel, "config auto-answer", channel=forum, answer=True)

        env.backend.create_thread(forum.id, AUSTIN, server.alice.id)
        env.backend.create_thread(forum.id, FRANCE, server.bob.id)
        await env.settle()

        answered, unanswered = sorted(forum.threads, key=lambda t: t.name != AUSTIN)
        (answer,) = server.bot_messages(answered)
        assert answer_citations(answer.embeds[0])[0] == "¶10.2"
        assert server.bot_messages(unanswered) == []
        assert env.errors == []


async def test_without_the_message_content_intent_a_help_channel_stays_silent(
    settings: DiscordSettings, qa: QA
) -> None:
    async with simcord.run(create_bot(qa, settings)) as env:
        server = Server(env)
        help_channel = server.guild.create_text_channel("help")
        configured = await server.manager.slash(
            server.channel, "config auto-answer", channel=help_channel, answer=True
        )
        assert "without Discord's Message Content intent" in configured.response.content

        await server.alice.send(help_channel, AUSTIN)  # arrives without its text

        assert server.bot_messages(help_channel) == []
        assert not env.bot.intents.message_content
