"""The bot as a whole: command sync, guild mode, sharding, state per bot."""

from __future__ import annotations

import json
from pathlib import Path

import simcord
from discord_helpers import NO_PINGS, answer_citations, put_requests

from bot.discord import create_bot
from bot.discord.app import ShardedArticleBot
from bot.discord.settings import DiscordSettings
from retrieval import QA, Reply


async def test_commands_sync_only_when_forced_or_changed(qa: QA, tmp_path: Path) -> None:
    state = tmp_path / "state" / "commands.json"
    async with simcord.run(create_bot(qa, DiscordSettings(sync_state=state))) as env:
        assert len(put_requests(env)) == 1
        (key,) = json.loads(state.read_text())
        assert key == f"{env.bot.application_id}/global"

        await env.restart_bot(create_bot(qa, DiscordSettings(sync_state=state)))
        assert len(put_requests(env)) == 1  # unchanged: not synced again
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        assert (await alice.slash(channel, "help")).response.embeds

        await env.restart_bot(create_bot(qa, DiscordSettings(sync_state=state, force_sync=True)))
        assert len(put_requests(env)) == 2

        state.write_text(json.dumps({key: "an older command set"}))
        await env.restart_bot(create_bot(qa, DiscordSettings(sync_state=state)))
        assert len(put_requests(env)) == 3

        await env.restart_bot(
            create_bot(qa, DiscordSettings(sync_state=state, guild_id=env.guild.id))
        )
        assert put_requests(env)[-1].path.endswith(f"/guilds/{env.guild.id}/commands")
        assert {c["name"] for c in put_requests(env)[-1].json} == {
            "ask",
            "source",
            "article",
            "help",
            "recording",
            "Ask the article",
            "config",
        }

        # Back to global: the server's development copy goes, or it would list each twice.
        await env.restart_bot(create_bot(qa, DiscordSettings(sync_state=state)))
        assert put_requests(env)[-1].path.endswith(f"/guilds/{env.guild.id}/commands")
        assert put_requests(env)[-1].json == []
        assert list(json.loads(state.read_text())) == [key]
        await env.restart_bot(create_bot(qa, DiscordSettings(sync_state=state)))
        assert len(put_requests(env)) == 5  # nothing left to clear, nothing changed


async def test_sharded_bot_answers_in_every_shard(qa: QA) -> None:
    async with simcord.run(create_bot(qa, DiscordSettings(shard_count=2))) as env:
        assert isinstance(env.bot, ShardedArticleBot) and env.bot.shard_count == 2
        for shard in (0, 1):
            guild = env.create_guild(f"guild {shard}", shard_id=shard)
            channel = guild.create_text_channel("general")
            alice = guild.add_member(env.create_user(f"alice{shard}"))
            assert env.bot.get_guild(guild.id).shard_id == shard
            result = await alice.slash(channel, "ask", question="Where is Austin?")
            assert answer_citations(result.response.embeds[0])[0] == "¶10.2"


async def test_only_the_process_with_shard_0_syncs(qa: QA) -> None:
    async with simcord.run(create_bot(qa, DiscordSettings(shard_count=2, shard_ids=(1,)))) as env:
        assert env.bot.shard_ids == [1]
        assert put_requests(env) == []


def test_state_is_per_bot_and_bounded(qa: QA) -> None:
    one, two = create_bot(qa), create_bot(qa)
    assert one.allowed_mentions is not None
    assert one.allowed_mentions.to_dict() == NO_PINGS
    assert not (one.intents.message_content or one.intents.members or one.intents.presences)
    assert one.article.conversations is not two.article.conversations
    conversations = one.article.conversations
    reply = Reply("q", True)
    for channel in range(conversations.size + 10):
        conversations.remember((channel, 0), "tag", reply)
    assert len(conversations) == conversations.size
    assert conversations.last_reply((0, 0), "tag") is None
    assert conversations.last_reply((conversations.size + 9, 0), "tag") == reply.remembered()
