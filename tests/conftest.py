from __future__ import annotations

import os

import discord
import hypothesis
import pytest
import simcord
from discord_helpers import World

from bot.discord import create_bot
from retrieval import QA

# A CI-sized default: property tests that set no count of their own try 50 examples, with
# no deadline (a shared CI machine's pauses are not failures). HYPOTHESIS_PROFILE=thorough
# runs 1,000 when hunting for a counterexample.
hypothesis.settings.register_profile("ci", max_examples=50, deadline=None)
hypothesis.settings.register_profile("thorough", max_examples=1000, deadline=None)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
