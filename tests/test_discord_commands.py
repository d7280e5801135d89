"""The slash commands and the chat, driven as users would through SimCord: no token, no network."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest
import simcord
from discord_helpers import (
    BROAD,
    DEFERRED,
    KNOWN,
    UNANSWERABLE,
    RecordingQA,
    World,
    answer_citations,
    assert_fits,
    assert_no_pings,
    callback_types,
    line_citations,
    put_requests,
    turn,
)

from bot.discord import create_bot
from bot.render import markup
from retrieval import QA


@pytest.fixture
def recording(qa: QA) -> RecordingQA:
    return RecordingQA(qa)


async def test_synced_command_schema(world: World) -> None:
    (put,) = put_requests(world.env)
    commands = {c["name"]: c for c in put.json}
    assert set(commands) == {
        "ask", "source", "article", "help", "recording", "Ask the article", "config"
    }  # fmt: skip
    # Only a server's managers see /recording, and only in a server.
    assert commands["recording"]["default_member_permissions"] == 1 << 5  # MANAGE_GUILD
    assert [o["name"] for o in commands["recording"]["options"]] == ["keep"]
    slash = [c for c in commands.values() if c.get("type", 1) == 1]
    assert all(0 < len(c["description"]) <= 100 for c in slash)
    ask = {o["name"]: o for o in commands["ask"]["options"]}
    assert [o["name"] for o in commands["ask"]["options"]] == [
        "question", "results", "private", "thread"
    ]  # fmt: skip
    assert ask["question"] | {"description": ""} == {
        "name": "question",
        "description": "",
        "type": discord.AppCommandOptionType.string.value,
        "required": True,
        "min_length": 1,
        "max_length": 300,
    }
    assert (ask["results"]["type"], ask["results"]["min_value"], ask["results"]["max_value"]) == (
        discord.AppCommandOptionType.integer.value,
        1,
        5,
    )
    assert not ask["results"].get("required")
    assert ask["private"]["type"] == discord.AppCommandOptionType.boolean.value
    assert ask["thread"]["type"] == discord.AppCommandOptionType.boolean.value
    assert not ask["private"].get("required") and not ask["thread"].get("required")
    source = {o["name"]: o for o in commands["source"]["options"]}
    assert source["paragraph"]["autocomplete"] is True
    assert source["paragraph"]["min_value"] == 1
    assert source["paragraph"]["required"] is True
    assert all(o["description"] for c in commands.values() for o in c.get("options", []))
    assert sorted(world.alice.available_commands(world.channel)) == [
        "article",
        "ask",
        "help",
        "source",
    ]


@pytest.mark.parametrize(("question", "citation", "bold"), KNOWN)
async def test_ask_quotes_the_cited_sentence(
    world: World, qa: QA, question: str, citation: str, bold: str
) -> None:
    result = await world.alice.slash(world.channel, "ask", question=question)

    assert callback_types(world.env) == [DEFERRED]  # acknowledged before any work
    assert not result.ephemeral
    (embed,) = result.response.embeds
    expected = qa.ask(question, k=3)
    assert answer_citations(embed)[0] == citation
    assert answer_citations(embed) == [a.citation for a in expected.answers]
    assert embed.title == question
    assert embed.footer.text == qa.title
    top = expected.answers[0].text
    assert embed.description.startswith(
        f"> {markup.markdown_escape(top[: top.index(bold)])}**{bold}**"
    )
    assert_no_pings(world.env)


async def test_abstains_with_example_questions_it_can_answer(world: World, qa: QA) -> None:
    result = await world.alice.slash(world.channel, "ask", question=UNANSWERABLE)

    (embed,) = result.response.embeds
    lines = embed.description.splitlines()
    assert lines[0] == "**The article doesn't say.**"
    examples = [line.removeprefix("\u2022 ") for line in lines if line.startswith("\u2022 ")]
    assert 2 <= len(examples) <= 3
    assert "Questions it can answer:" in lines
    assert result.response.components == []  # nothing to show context of, nothing more
    for example in map(markup.markdown_unescape, examples):
        assert not qa.ask(example, k=1).abstained, example


@pytest.mark.parametrize("results", [1, 5])
async def test_results_sets_the_number_of_sentences(world: World, qa: QA, results: int) -> None:
    result = await world.alice.slash(world.channel, "ask", question=BROAD, results=results)

    expected = [a.citation for a in qa.ask(BROAD, k=results).answers]
    assert len(expected) == results
    assert answer_citations(result.response.embeds[0]) == expected


async def test_private_answer_only_the_asker_sees(world: World) -> None:
    bob = world.member("bob")
    result = await world.alice.slash(
        world.channel, "ask", question="Where is Austin?", private=True
    )

    assert result.ephemeral and result.response.ephemeral
    assert answer_citations(result.response.embeds[0])[0] == "¶10.2"
    assert result.response.id not in [m.id for m in world.channel.history(viewer=bob)]
    # The question is the asker's conversation, private or not; nobody else's.
    conversations = world.bot.article.conversations
    tag = world.bot.article.shelf.tag
    assert conversations.last_reply((world.channel.id, bob.id), tag) is None
    reply = conversations.last_reply((world.channel.id, world.alice.id), tag)
    assert reply is not None and reply.answers[0].citation == "¶10.2"
    assert conversations.last_reply((world.channel.id, world.alice.id), "another") is None


async def test_source_shows_a_paragraph_with_citations(world: World, qa: QA) -> None:
    result = await world.alice.slash(world.channel, "source", paragraph=10)

    (embed,) = result.response.embeds
    assert not result.ephemeral
    assert line_citations(embed) == ["¶10.1", "¶10.2", "¶10.3", "¶10.4"]
    assert embed.footer.text == qa.title

    missing = await world.alice.slash(world.channel, "source", paragraph=99)
    assert missing.ephemeral
    assert missing.response.content == "No paragraph 99: sanctuary-cities has paragraphs 1-12."


async def test_source_autocompletes_paragraphs_with_their_first_words(world: World, qa: QA) -> None:
    by_number = await world.alice.autocomplete(world.channel, "source", "paragraph", "1")
    assert [c["value"] for c in by_number] == [1, 10, 11, 12]
    assert by_number[1]["name"].startswith("10. The federal government has extraordinary leverage")
    assert all(len(c["name"]) <= 100 for c in by_number)

    everything = await world.alice.autocomplete(world.channel, "source", "paragraph", "")
    assert [c["value"] for c in everything] == list(range(1, 13))

    by_words = await world.alice.autocomplete(world.channel, "source", "paragraph", "TRAVIS")
    assert [c["value"] for c in by_words] == [10]


async def test_article_and_help(world: World, qa: QA) -> None:
    article = await world.alice.slash(world.channel, "article")
    (embed,) = article.response.embeds
    assert embed.title == markup.markdown_escape(qa.title)
    assert embed.description == markup.markdown_escape(qa.articles[0].dek)
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Size"] == "12 paragraphs, 26 sentences"
    assert "/ask" in fields["How to ask"]
    assert fields["Try"].count("\u2022 ") >= 2

    shown = await world.alice.slash(world.channel, "help")
    assert shown.ephemeral
    text = shown.response.embeds[0].description
    assert all(f"**/{name}**" in text for name in ("ask", "source", "article", "help"))
    assert "mention me" in text


async def test_mention_is_answered_and_feeds_follow_ups(recording: RecordingQA) -> None:
    # Intents.default() approves no privileged intent: a bot that asked for one would fail.
    async with simcord.run(
        create_bot(recording), approved_intents=discord.Intents.default()
    ) as env:
        guild = env.create_guild()
        general, other = guild.create_text_channel("general"), guild.create_text_channel("other")
        alice = guild.add_member(env.create_user("alice"))
        me = f"<@{env.bot.user.id}>"
        recording.calls.clear()  # the start-up's example questions

        asked = await alice.send(general, f"{me} Where is Austin?")
        reply = general.last_message
        assert reply.reference is not None and reply.reference.message_id == asked.id
        assert answer_citations(reply.embeds[0])[0] == "¶10.2"
        assert reply.embeds[0].title == "Where is Austin?"
        assert reply.components[0].children[0].label == "Show context"

        await alice.send(general, f"{me} Who is its sheriff?")
        await alice.send(other, f"{me} Who is its sheriff?")
        await alice.send(general, "Who is the sheriff? (not for the bot)")

        questions = [(q, turn(p)) for q, p, _ in recording.calls]
        first_reply = recording.calls[0][2]
        assert questions == [
            ("Where is Austin?", None),
            ("Who is its sheriff?", turn(first_reply)),  # a follow-up in the same channel
            ("Who is its sheriff?", None),  # another channel is another conversation
        ]
        assert len(general.history()) == 5  # 3 from alice, 2 answers
        assert_no_pings(env)


async def test_dm_is_answered_and_feeds_follow_ups(recording: RecordingQA) -> None:
    async with simcord.run(create_bot(recording)) as env:
        dora, eve = env.create_user("dora"), env.create_user("eve")
        recording.calls.clear()  # the start-up's example questions

        await dora.send_dm("Who is Domenic Powell?")
        answer = dora.dm_channel.last_message
        assert answer.author.id == env.bot.user.id
        assert answer_citations(answer.embeds[0])[0] == "¶8.1"
        await dora.send_dm("What did he say?")
        await eve.send_dm("What did he say?")

        first = recording.calls[0][2]
        assert [turn(p) for _, p, _ in recording.calls] == [None, turn(first), None]
        more = await dora.click(answer, label="Show context")
        assert line_citations(more.response.embeds[0])[0] == "¶8.1"


async def test_a_bare_mention_gets_a_hint(world: World) -> None:
    await world.alice.send(world.channel, world.mention(""))

    hint = world.channel.last_message.content
    assert hint.startswith("Ask me about the article in plain words, like: @")
    assert "/ask" in hint


async def test_questions_cannot_ping_or_break_formatting(world: World) -> None:
    mods = world.guild.create_role("mods")
    bob = world.member("bob")
    question = f"@everyone @here <@&{mods.id}> <@{bob.id}> **who** is `Domenic` ||Powell||? _x_"

    asked = await world.alice.slash(world.channel, "ask", question=question)
    await world.alice.send(world.channel, world.mention(question))

    for message in (asked.response.message, world.channel.last_message):
        (embed,) = message.embeds
        assert embed.title == markup.markdown_escape(question)
        assert r"\*\*who\*\* is \`Domenic\` \|\|Powell\|\|" in embed.title
        assert r"\@everyone \@here \<\@&" in embed.title
        assert answer_citations(embed)[0] == "¶8.1"
        assert not message.mention_everyone
        assert message.mentions == [] and message.role_mentions == []
    assert_no_pings(world.env)


async def test_oversized_text_is_cut_to_discords_limits(tmp_path: Path) -> None:
    noisy = " ".join(["zebra *crossing* _under_ `the` <@1> ||bridge|| ~~over~~ [x](y)"] * 90)
    article = "\n\n".join(
        [
            "Zebra " * 80,  # a 480-character title
            *(f"{noisy} number {n} ends here" for n in range(6)),
            ". ".join(f"Sentence {n} about the zebra bridge" for n in range(400)) + ".",
        ]
    )
    (tmp_path / "long.txt").write_text(article, encoding="utf-8")
    big = QA.load(tmp_path / "long.txt")
    assert max(len(s.text) for s in big.sentences) > 5000
    async with simcord.run(create_bot(big)) as env:
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        question = ("zebra crossing " * 30)[:299] + "?"

        answer = await alice.slash(channel, "ask", question=question, results=5)
        context = await alice.click(answer.response, label="Show context")
        source = await alice.slash(channel, "source", paragraph=7)
        about = await alice.slash(channel, "article")
        await alice.send(channel, f"<@{env.bot.user.id}> " + "zebra bridge " * 150)

        embeds = [
            answer.response.embeds[0],
            context.response.embeds[0],
            source.response.embeds[0],
            about.response.embeds[0],
            channel.last_message.embeds[0],
        ]
        for embed in embeds:
            assert_fits(embed)
        assert len(answer_citations(embeds[0])) == 5
        assert embeds[0].description.count("\u2026\n\u2014 `") == 5  # each sentence cut
        assert embeds[0].title.endswith("\u2026")  # the 300-character question
        assert line_citations(embeds[2])[:2] == ["¶7.1", "¶7.2"]
        assert embeds[2].description.endswith("\n\u2026")  # the paragraph goes on
        assert embeds[3].title.endswith("\u2026")
        assert env.errors == []


async def test_cooldown_on_ask_and_mentions(world: World) -> None:
    for _ in range(4):
        ok = await world.alice.slash(world.channel, "ask", question="Where is Austin?")
        assert ok.response.embeds
    refused = await world.alice.slash(world.channel, "ask", question="Where is Austin?")

    assert refused.ephemeral
    assert refused.response.content.startswith("You're asking faster than I can keep up with")
    assert [type(e) for e in world.env.errors] == [discord.app_commands.CommandOnCooldown]

    await world.env.advance_time(10)
    again = await world.alice.slash(world.channel, "ask", question="Where is Austin?")
    assert answer_citations(again.response.embeds[0])[0] == "¶10.2"

    bob = world.member("bob")
    for _ in range(6):
        await bob.send(world.channel, world.mention("Where is Austin?"))
    replies = [m for m in world.channel.history() if m.reference and m.author.bot]
    notices = [m for m in replies if m.content.startswith("You're asking faster")]
    assert len(replies) == 5 and len(notices) == 1  # 4 answers, one notice for 2 refusals

    await world.env.advance_time(10)  # the notice is removed once stale
    assert notices[0].id not in [m.id for m in world.channel.history()]
    await bob.send(world.channel, world.mention("Where is Austin?"))
    assert world.channel.last_message.embeds


async def test_several_articles_cite_and_show_their_own(tmp_path: Path) -> None:
    (tmp_path / "bridges.txt").write_text(
        "Bridges of Plimsy\n\nThe Plimsy bridge opened in 1921.\n\nIt carries trams.\n"
    )
    (tmp_path / "zebras.txt").write_text(
        "Zebras at the zoo\n\nThe zoo keeps four zebras.\n\nZebras eat grass all day.\n"
    )
    corpus = QA.load(tmp_path)
    async with simcord.run(create_bot(corpus)) as env:
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))

        answer = await alice.slash(channel, "ask", question="What do zebras eat?", results=1)
        (embed,) = answer.response.embeds
        assert answer_citations(embed) == ["zebras¶2.1"]
        # Each cited article by title and file name, as the console names them; where the
        # bot's files live stays with the bot.
        assert [(f.name, f.value) for f in embed.fields] == [
            ("Articles", "`zebras` Zebras at the zoo \u00b7 *zebras.txt*")
        ]
        assert embed.footer.text is None
        context = await alice.click(answer.response, label="Show context")
        assert line_citations(context.response.embeds[0]) == ["zebras¶2.1"]

        choices = await alice.autocomplete(channel, "source", "article", "zeb")
        assert choices == [{"name": "Zebras at the zoo (zebras)", "value": "zebras"}]
        paragraphs = await alice.autocomplete(channel, "source", "paragraph", "", article="zebras")
        assert [c["name"] for c in paragraphs] == [
            "1. The zoo keeps four zebras.",
            "2. Zebras eat grass all day.",
        ]
        source = await alice.slash(channel, "source", paragraph=1, article="bridges")
        assert line_citations(source.response.embeds[0]) == ["bridges¶1.1"]
        unknown = await alice.slash(channel, "source", paragraph=1, article="*cats*")
        assert unknown.response.content == "No article '\\*cats\\*' (loaded: bridges, zebras)."
        shouted = await alice.slash(channel, "source", paragraph=1, article="ZEBRAS")
        assert line_citations(shouted.response.embeds[0]) == ["zebras¶1.1"]


async def test_commands_install_for_servers_and_people_and_work_everywhere(world: World) -> None:
    (put,) = put_requests(world.env)
    commands = {c["name"]: c for c in put.json}
    everywhere = {"integration_types": [0, 1], "contexts": [0, 1, 2]}
    servers_only = {"integration_types": [0], "contexts": [0]}
    placed = {
        name: {"integration_types": c["integration_types"], "contexts": c["contexts"]}
        for name, c in commands.items()
    }
    assert placed == {
        "ask": everywhere,
        "source": everywhere,
        "article": everywhere,
        "help": everywhere,
        "recording": servers_only,
        "config": servers_only,
        "Ask the article": everywhere,
    }
    assert commands["Ask the article"]["type"] == 3  # MESSAGE: a message's context menu
    dora = world.env.create_user("dora")  # shares no server with the bot
    assert sorted(dora.available_commands()) == ["article", "ask", "help", "source"]
    answer = await dora.slash("ask", question="Where is Austin?")
    assert answer_citations(answer.response.embeds[0])[0] == "¶10.2"
