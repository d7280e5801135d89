"""/config: only for Manage Server; each change confirmed privately and recorded with who
made it; a server's own article, checked, kept, isolated from other servers and DMs."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest
import simcord
from discord_helpers import DEFERRED, answer_citations, assert_no_pings, callback_types
from simcord.backend.errors import SetupError

from bot.discord import config_words as render_config
from bot.discord import create_bot, server_articles
from bot.discord.settings import DiscordSettings
from bot.render import words as render
from bot.reports.store import Store
from retrieval import QA

ZEBRAS = b"""Zebras of the Plimsy Zoo

The Plimsy Zoo keeps four zebras in its northern paddock.

The zebras eat hay and fresh grass every morning. Keeper Ana Lind feeds them.
"""
ZEBRA_QUESTION = "What do the zebras eat?"


@pytest.fixture
def settings(tmp_path: Path) -> DiscordSettings:
    return DiscordSettings(db=str(tmp_path / "bot.db"), articles_dir=tmp_path / "articles")


@pytest.fixture
def simcord_bot(qa: QA, settings: DiscordSettings) -> discord.Client:
    return create_bot(qa, settings)


class Server:
    def __init__(self, env: simcord.Env, name: str) -> None:
        self.guild = env.create_guild(name=name)
        self.channel = self.guild.create_text_channel("general")
        managers = self.guild.create_role(
            "managers", permissions=discord.Permissions(manage_guild=True)
        )
        self.manager = self.guild.add_member(env.create_user(f"{name}-manager"), roles=[managers])
        self.member = self.guild.add_member(env.create_user(f"{name}-member"))


def changes(settings: DiscordSettings, guild: int) -> list[tuple[str, str | None, str]]:
    with Store.open(settings.db, keep_days=None) as store:
        return [(c.name, c.value, c.by) for c in store.setting_changes(str(guild))]


async def test_config_is_refused_without_manage_server(simcord_env: simcord.Env) -> None:
    server = Server(simcord_env, "one")

    assert "config show" in server.manager.available_commands(server.channel)
    assert [c for c in server.member.available_commands(server.channel) if "config" in c] == []
    with pytest.raises(SetupError):
        await server.member.slash(server.channel, "config visibility", answers="private")
    dora = simcord_env.create_user("dora")
    assert [c for c in dora.available_commands() if "config" in c] == []  # nor in a DM


async def test_each_change_is_confirmed_privately_and_recorded_with_who_made_it(
    simcord_env: simcord.Env, settings: DiscordSettings
) -> None:
    server = Server(simcord_env, "one")
    help_channel = server.guild.create_text_channel("help")

    private = await server.manager.slash(server.channel, "config visibility", answers="private")
    threads = await server.manager.slash(server.channel, "config threads", on=True)
    auto = await server.manager.slash(
        server.channel, "config auto-answer", channel=help_channel, answer=True
    )
    logging_off = await server.manager.slash(server.channel, "config logging", on=False)

    for result in (private, threads, auto, logging_off):
        assert result.ephemeral
        assert result.response.content.endswith(" Recorded as changed by you.")
    assert private.response.content == render_config.visibility(True)
    assert auto.response.content == render_config.auto_answer(
        str(help_channel.id), True, reads_messages=False, forum=False
    )
    manager = str(server.manager.id)
    assert changes(settings, server.guild.id) == [
        ("visibility", "private", manager),
        ("threads", "on", manager),
        ("auto_answer", str(help_channel.id), manager),
        ("logging", "off", manager),
    ]
    shown = await server.manager.slash(server.channel, "config show")
    assert shown.ephemeral
    lines = shown.response.content.splitlines()
    assert lines[:5] == [
        f"**Auto-answer channels:** <#{help_channel.id}>",
        "**Answers seen by:** the asker by default",
        "**Thread mode:** on",
        "**Recording questions and votes:** off",
        "**Article:** the bot's own article, \u201cJeff Sessions Threatens to Starve Sanctuary "
        "Cities If They Don\u2019t Work With ICE\u201d",
    ]
    assert lines[-1].startswith(f"\u2022 logging \u2192 off by <@{manager}> <t:")
    # The server's choice of visibility applies to /ask without `private`.
    answer = await server.member.slash(server.channel, "ask", question="Where is Austin?")
    assert answer.ephemeral
    assert_no_pings(simcord_env)


async def test_a_servers_article_answers_there_and_nowhere_else(
    qa: QA, simcord_env: simcord.Env, settings: DiscordSettings
) -> None:
    one, two = Server(simcord_env, "one"), Server(simcord_env, "two")

    uploaded = await one.manager.slash(
        one.channel, "config article upload", file=("zebras.txt", ZEBRAS)
    )

    assert uploaded.ephemeral
    assert uploaded.response.content == render_config.confirm(
        "Questions in this server are now answered from \u201cZebras of the Plimsy Zoo\u201d "
        "(2 paragraphs, 3 sentences). `/config article reset` goes back to the bot's own article."
    )
    (stored,) = (settings.articles_dir / str(one.guild.id)).glob("*/zebras.txt")
    assert stored.read_bytes() == ZEBRAS
    relative = stored.relative_to(settings.articles_dir).as_posix()
    assert changes(settings, one.guild.id) == [("article", relative, str(one.manager.id))]
    here = await one.member.slash(one.channel, "ask", question=ZEBRA_QUESTION, results=1)
    assert answer_citations(here.response.embeds[0]) == ["¶2.1"]
    assert here.response.embeds[0].footer.text == "Zebras of the Plimsy Zoo"
    about = await one.member.slash(one.channel, "article")
    assert about.response.embeds[0].title == "Zebras of the Plimsy Zoo"

    # Another server, and a DM, still have the bot's own article.
    there = await two.member.slash(two.channel, "ask", question=ZEBRA_QUESTION)
    assert there.response.embeds[0].description.startswith("**The article doesn't say.**")
    assert there.response.embeds[0].footer.text == qa.title
    dora = simcord_env.create_user("dora")
    dm = await dora.slash("ask", question=ZEBRA_QUESTION)
    assert dm.response.embeds[0].footer.text == qa.title
    await dora.send_dm("What do the zebras eat?")
    assert dora.dm_channel.last_message.embeds[0].footer.text == qa.title
    other_show = await two.manager.slash(two.channel, "config show")
    assert "Zebras" not in other_show.response.content

    # Kept across a restart, read from the data directory.
    await simcord_env.restart_bot(create_bot(qa, settings))
    first_use = await one.member.slash(one.channel, "article")
    assert callback_types(simcord_env)[-1] == DEFERRED  # loading it may take a while
    assert first_use.ephemeral
    assert first_use.response.embeds[0].title == "Zebras of the Plimsy Zoo"
    choices = await one.member.autocomplete(one.channel, "source", "paragraph", "")
    assert [c["value"] for c in choices] == [1, 2]
    again = await one.member.slash(one.channel, "ask", question=ZEBRA_QUESTION, results=1)
    assert answer_citations(again.response.embeds[0]) == ["¶2.1"]

    reset = await one.manager.slash(one.channel, "config article reset")
    assert reset.response.content == render_config.article_reset(qa)
    assert not (settings.articles_dir / str(one.guild.id)).exists()
    back = await one.member.slash(one.channel, "ask", question="Where is Austin?")
    assert answer_citations(back.response.embeds[0])[0] == "¶10.2"


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        (
            "huge.txt",
            b"Title\n\n" + b"Zebras eat grass. " * 12_000,
            "huge.txt is 216,007 bytes: the limit is 200,000",
        ),
        (
            "photo.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "photo.txt: binary data, not a text article",
        ),
        (
            "latin.txt",
            "Caf\u00e9\n\nIt is open.".encode("latin-1"),
            "latin.txt: not UTF-8 text (bad byte at offset 3)",
        ),
        ("empty.md", b"  \n\n", "empty.md: the file is empty"),
        ("title.txt", b"Only a title\n", "title.txt: no paragraphs after the title"),
        ("zebras.pdf", ZEBRAS, "zebras.pdf is not a .txt or .md file"),
    ],
)
async def test_an_upload_that_is_no_article_changes_nothing(
    simcord_env: simcord.Env, settings: DiscordSettings, filename: str, data: bytes, reason: str
) -> None:
    server = Server(simcord_env, "one")

    refused = await server.manager.slash(
        server.channel, "config article upload", file=(filename, data)
    )

    assert refused.ephemeral
    assert refused.response.content == render_config.upload_refused(reason)
    assert not (settings.articles_dir / str(server.guild.id)).exists()
    assert not Path(settings.db).exists() or changes(settings, server.guild.id) == []
    answer = await server.member.slash(server.channel, "ask", question="Where is Austin?")
    assert answer_citations(answer.response.embeds[0])[0] == "¶10.2"
    assert simcord_env.errors == []


def test_the_size_cap_is_checked_before_downloading() -> None:
    with pytest.raises(server_articles.UploadError, match="the limit is 200,000"):
        server_articles.check_upload("a.txt", 200_001)
    server_articles.check_upload("A.MD", 200_000)


async def test_a_new_upload_replaces_the_servers_article(
    simcord_env: simcord.Env, settings: DiscordSettings
) -> None:
    server = Server(simcord_env, "one")
    bridges = b"# Bridges of Plimsy\n\nThe *Plimsy bridge* opened in 1921. It carries trams.\n"
    await server.manager.slash(server.channel, "config article upload", file=("zebras.txt", ZEBRAS))
    zebra = await server.member.slash(server.channel, "ask", question=ZEBRA_QUESTION, results=1)

    replaced = await server.manager.slash(
        server.channel, "config article upload", file=("Bridges.MD", bridges)
    )

    assert "\u201cBridges of Plimsy\u201d (1 paragraph, 2 sentences)" in replaced.response.content
    saved = sorted(p.name for p in (settings.articles_dir / str(server.guild.id)).rglob("*.*"))
    assert saved == ["bridges.md"]
    answer = await server.member.slash(server.channel, "ask", question="When did the bridge open?")
    assert (
        answer.response.embeds[0].description
        == "> The Plimsy **bridge opened** in 1921.\n\u2014 `¶1.1`"
    )
    stale = await server.member.click(zebra.response, label="Show context")
    assert stale.response.content == render.ARTICLE_CHANGED  # not a bridge paragraph


async def test_a_servers_article_lost_from_disk_falls_back_to_the_default_once(
    qa: QA,
    simcord_env: simcord.Env,
    settings: DiscordSettings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = Server(simcord_env, "one")
    await server.manager.slash(server.channel, "config article upload", file=("zebras.txt", ZEBRAS))
    (stored,) = (settings.articles_dir / str(server.guild.id)).glob("*/zebras.txt")
    stored.unlink()

    await simcord_env.restart_bot(create_bot(qa, settings))
    answers = [
        await server.member.slash(server.channel, "ask", question="Where is Austin?")
        for _ in range(2)
    ]

    assert [answer_citations(a.response.embeds[0])[0] for a in answers] == ["¶10.2", "¶10.2"]
    unusable = [r for r in caplog.records if "unusable; the default answers" in r.getMessage()]
    assert len(unusable) == 1
