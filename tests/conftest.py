from __future__ import annotations

import discord
import pytest
import simcord
from discord_helpers import World

from bot.discord import create_bot
from retrieval import QA


@pytest.fixture(scope="session")
def qa() -> QA:
    return QA.load()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the corpus cache of every test (and its subprocesses) out of the user's home."""
    monkeypatch.setenv("ARTICLE_QA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # Asks are logged by default: into a database of the test's own, never the user's.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def simcord_bot(qa: QA) -> discord.Client:
    """The bot SimCord's `simcord_env` runs: a fresh one per test, over the bundled article."""
    return create_bot(qa)


@pytest.fixture
def world(simcord_env: simcord.Env) -> World:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    return World(simcord_env, guild, channel, guild.add_member(simcord_env.create_user("alice")))
