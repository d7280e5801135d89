"""The Discord bot driven as users would, offline, through SimCord: no token, no network."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
import simcord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import markup, render
from bot.discord_bot import (
    APOLOGY,
    NO_MORE,
    ArticleBot,
    ShardedArticleBot,
    create_bot,
)
from retrieval import QA, Answer, Reply

# Questions with exactly one sentence sharing their words: any sound core cites it first.
KNOWN = [
    ("Who is Domenic Powell?", "¶8.1", "Domenic Powell"),
    ("Where is Austin?", "¶10.2", "Austin"),
    ("Who is Eddie Rodriguez?", "¶10.4", "Eddie Rodriguez"),
]
UNANSWERABLE = "What is the capital of France?"
BROAD = "What did Sessions announce?"
NO_PINGS = {"parse": []}


# --- Helpers ------------------------------------------------------------------------------


@dataclass
class World:
    env: simcord.Env
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    alice: simcord.MemberActor

    @property
    def bot(self) -> ArticleBot:
        return self.env.bot  # type: ignore[return-value]

    def member(self, name: str) -> simcord.MemberActor:
        return self.guild.add_member(self.env.create_user(name))

    def mention(self, text: str) -> str:
        assert self.bot.user is not None
        return f"<@{self.bot.user.id}> {text}"


def answer_citations(embed: discord.Embed) -> list[str]:
    return re.findall(r"^\u2014 `([^`]+)`$", embed.description or "", re.MULTILINE)


def line_citations(embed: discord.Embed) -> list[str]:
    return re.findall(r"^`([^`]+)`", embed.description or "", re.MULTILINE)


def message_bodies(env: simcord.Env) -> list[dict[str, Any]]:
    """Every message the bot sent or edited: channel sends, interaction responses, followups."""
    bodies = []
    for request in env.http_requests:
        body = request.json
        if not isinstance(body, dict) or request.method not in {"POST", "PATCH"}:
            continue
        if request.path.endswith("/callback"):
            if body.get("type") in {4, 7}:  # a message, or a message update
                bodies.append(body.get("data") or {})
        elif request.path.startswith("/webhooks/") or "/messages" in request.path:
            bodies.append(body)
    return bodies


def assert_no_pings(env: simcord.Env) -> None:
    bodies = message_bodies(env)
    assert bodies
    assert [b.get("allowed_mentions") for b in bodies] == [NO_PINGS] * len(bodies)


def assert_fits(embed: discord.Embed) -> None:
    assert len(embed.title or "") <= markup.EMBED_TITLE_LIMIT
    assert len(embed.description or "") <= markup.EMBED_DESCRIPTION_LIMIT
    assert len(embed.footer.text or "") <= markup.EMBED_FOOTER_LIMIT
    assert len(embed.fields) <= 25
    assert all(len(f.value or "") <= markup.EMBED_FIELD_VALUE_LIMIT for f in embed.fields)
    assert len(embed) <= markup.EMBED_TOTAL_LIMIT


DEFERRED = 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: the "thinking" acknowledgement


def callback_types(env: simcord.Env) -> list[int]:
    """The type of each interaction response the bot sent, in order."""
    return [r.json["type"] for r in env.http_requests if r.path.endswith("/callback")]


def put_requests(env: simcord.Env) -> list[simcord.HttpLogEntry]:
    return [r for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]


class RecordingQA(QA):
    """The real QA, remembering each question and the `previous` reply it was given."""

    def __init__(self, qa: QA) -> None:
        super().__init__(qa.articles)
        self.calls: list[tuple[str, Reply | None, Reply]] = []

    def ask(self, question: str, k: int = 3, previous: Reply | None = None) -> Reply:
        reply = super().ask(question, k=k, previous=previous)
        self.calls.append((question, previous, reply))
        return reply


@pytest.fixture(scope="module")
def qa() -> QA:
    return QA.load()


@pytest.fixture
def simcord_bot(qa: QA) -> discord.Client:
    return create_bot(qa)


@pytest.fixture
def world(simcord_env: simcord.Env) -> World:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    return World(simcord_env, guild, channel, guild.add_member(simcord_env.create_user("alice")))


# --- The command schema Discord receives ----------------------------------------------------


async def test_synced_command_schema(world: World) -> None:
    (put,) = put_requests(world.env)
    commands = {c["name"]: c for c in put.json}
    assert set(commands) == {"ask", "source", "article", "help"}
    assert all(0 < len(c["description"]) <= 100 for c in commands.values())
    ask = {o["name"]: o for o in commands["ask"]["options"]}
    assert [o["name"] for o in commands["ask"]["options"]] == ["question", "results", "private"]
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


# --- /ask -----------------------------------------------------------------------------------


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
    # A private question is not the channel's conversation: others' follow-ups start afresh.
    assert world.bot.article.conversations.get((world.channel.id, 0)) is None


# --- Buttons ----------------------------------------------------------------------------------


async def test_show_context_shows_the_paragraph_privately(world: World, qa: QA) -> None:
    answer = await world.alice.slash(world.channel, "ask", question="Where is Austin?")

    shown = await world.alice.click(answer.response, label="Show context")

    assert shown.ephemeral
    (embed,) = shown.response.embeds
    paragraph = qa.paragraph(10)
    assert embed.title == "Paragraph 10"
    assert line_citations(embed) == [s.citation for s in paragraph.sentences]
    bold = [line for line in embed.description.splitlines() if line.endswith("**")]
    assert bold == [f"`¶10.2` **{markup.markdown_escape(paragraph.sentences[1].text)}**"]


async def test_more_shows_the_next_results(world: World, qa: QA) -> None:
    four = [a.citation for a in qa.ask(BROAD, k=4).answers]
    assert len(four) == 4, "the test needs a question with at least four answers"
    answer = await world.alice.slash(world.channel, "ask", question=BROAD, results=2)
    assert answer_citations(answer.response.embeds[0]) == four[:2]

    more = await world.alice.click(answer.response, label="More")

    assert more.ephemeral
    assert answer_citations(more.response.embeds[0]) == four[2:]
    assert more.response.embeds[0].title == BROAD
    assert_no_pings(world.env)


async def test_more_says_when_there_is_nothing_more(qa: QA) -> None:
    tiny = QA.from_sentences(["Zebras cross the road.", "Zebras eat grass.", "Cats sleep."])
    async with simcord.run(create_bot(tiny)) as env:
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        answer = await alice.slash(channel, "ask", question="What do zebras do?", results=1)
        second = await alice.click(answer.response, label="More")
        assert answer_citations(second.response.embeds[0]) == ["¶1.2"]
        last = await alice.click(second.response, label="More")
        assert last.response.content == NO_MORE


async def test_more_answers_the_whole_of_a_question_too_long_for_the_title() -> None:
    tiny = QA.from_sentences(["Giraffes eat leaves.", "Giraffes are tall.", "Cats sleep."])
    # The only word the article knows comes after the 256 characters a title can hold.
    question = "Please, " + "I would really like to know " * 9 + "what about giraffes?"
    assert len(question) <= 300
    async with simcord.run(create_bot(tiny)) as env:
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        answer = await alice.slash(channel, "ask", question=question, results=1)
        assert len(answer.response.embeds[0].title) <= markup.EMBED_TITLE_LIMIT
        assert "giraffes" not in answer.response.embeds[0].title

        more = await alice.click(answer.response, label="More")

        assert answer_citations(more.response.embeds[0]) == ["¶1.2"]


async def test_buttons_work_after_a_restart(world: World, qa: QA) -> None:
    answer = await world.alice.slash(world.channel, "ask", question=BROAD, results=2)
    old_bot = world.bot

    await world.env.restart_bot(create_bot(qa))

    assert world.bot is not old_bot
    context = await world.alice.click(answer.response, label="Show context")
    top = qa.ask(BROAD, k=1).answers[0]
    assert context.response.embeds[0].title == f"Paragraph {top.paragraph}"
    more = await world.alice.click(answer.response, label="More")
    assert answer_citations(more.response.embeds[0]) == [
        a.citation for a in qa.ask(BROAD, k=4).answers[2:]
    ]


# --- /source, /article, /help ----------------------------------------------------------------


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


# --- Chat: mentions and DMs, with follow-ups ---------------------------------------------------


@pytest.fixture
def recording(qa: QA) -> RecordingQA:
    return RecordingQA(qa)


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

        questions = [(q, p) for q, p, _ in recording.calls]
        first_reply = recording.calls[0][2]
        assert questions == [
            ("Where is Austin?", None),
            ("Who is its sheriff?", first_reply),  # a follow-up in the same channel
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
        assert [p for _, p, _ in recording.calls] == [None, first, None]
        more = await dora.click(answer, label="Show context")
        assert line_citations(more.response.embeds[0])[0] == "¶8.1"


async def test_a_bare_mention_gets_a_hint(world: World) -> None:
    await world.alice.send(world.channel, world.mention(""))

    hint = world.channel.last_message.content
    assert hint.startswith("Ask me about the article in plain words, like: @")
    assert "/ask" in hint


# --- Safety: no pings, no broken formatting, nothing too long -----------------------------------


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


# --- Rate limit and errors ------------------------------------------------------------------------


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


async def test_an_injected_discord_error_gets_an_apology_and_the_bot_goes_on(world: World) -> None:
    world.env.inject_error("POST", "/webhooks/*/*", status=500)  # the answer's followup
    failed = await world.alice.slash(world.channel, "ask", question="Where is Austin?")

    assert failed.response.content == APOLOGY
    (error,) = world.env.errors
    assert isinstance(error.original, discord.HTTPException) and error.original.status == 500

    world.env.inject_error("POST", "/interactions/*/*/callback", status=500)  # the defer
    failed_early = await world.alice.slash(world.channel, "ask", question="Where is Austin?")
    assert failed_early.ephemeral and failed_early.response.content == APOLOGY
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


# --- Command sync, guild mode, sharding -----------------------------------------------------------


async def test_commands_sync_only_when_forced_or_changed(qa: QA, tmp_path: Path) -> None:
    state = tmp_path / "state" / "commands.json"
    async with simcord.run(create_bot(qa, sync_state=state)) as env:
        assert len(put_requests(env)) == 1
        (key,) = json.loads(state.read_text())
        assert key == f"{env.bot.application_id}/global"

        await env.restart_bot(create_bot(qa, sync_state=state))
        assert len(put_requests(env)) == 1  # unchanged: not synced again
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        assert (await alice.slash(channel, "help")).response.embeds

        await env.restart_bot(create_bot(qa, sync_state=state, force_sync=True))
        assert len(put_requests(env)) == 2

        state.write_text(json.dumps({key: "an older command set"}))
        await env.restart_bot(create_bot(qa, sync_state=state))
        assert len(put_requests(env)) == 3

        await env.restart_bot(create_bot(qa, sync_state=state, guild_id=env.guild.id))
        assert put_requests(env)[-1].path.endswith(f"/guilds/{env.guild.id}/commands")
        assert {c["name"] for c in put_requests(env)[-1].json} == {
            "ask",
            "source",
            "article",
            "help",
        }

        # Back to global: the server's development copy goes, or it would list each twice.
        await env.restart_bot(create_bot(qa, sync_state=state))
        assert put_requests(env)[-1].path.endswith(f"/guilds/{env.guild.id}/commands")
        assert put_requests(env)[-1].json == []
        assert list(json.loads(state.read_text())) == [key]
        await env.restart_bot(create_bot(qa, sync_state=state))
        assert len(put_requests(env)) == 5  # nothing left to clear, nothing changed


async def test_sharded_bot_answers_in_every_shard(qa: QA) -> None:
    async with simcord.run(create_bot(qa, shard_count=2)) as env:
        assert isinstance(env.bot, ShardedArticleBot) and env.bot.shard_count == 2
        for shard in (0, 1):
            guild = env.create_guild(f"guild {shard}", shard_id=shard)
            channel = guild.create_text_channel("general")
            alice = guild.add_member(env.create_user(f"alice{shard}"))
            assert env.bot.get_guild(guild.id).shard_id == shard
            result = await alice.slash(channel, "ask", question="Where is Austin?")
            assert answer_citations(result.response.embeds[0])[0] == "¶10.2"


async def test_only_the_process_with_shard_0_syncs(qa: QA) -> None:
    async with simcord.run(create_bot(qa, shard_count=2, shard_ids=(1,))) as env:
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
        conversations.put((channel, 0), reply)
    assert len(conversations) == conversations.size
    assert conversations.get((0, 0)) is None and conversations.get((conversations.size + 9, 0))


# --- Render helpers for Discord ---------------------------------------------------------------


@given(st.text(), st.integers(min_value=1, max_value=400))
@settings(max_examples=300, deadline=None)
def test_fit_never_exceeds_the_limit_and_escapes_round_trip(text: str, limit: int) -> None:
    escaped = markup.fit(text, limit, markup.markdown_escape)
    assert len(escaped) <= limit
    assert len(markup.fit(text, limit)) <= limit
    restored = markup.markdown_unescape(escaped)
    assert restored == text or (
        restored.endswith(markup.ELLIPSIS) and text.startswith(restored[: -len(markup.ELLIPSIS)])
    )


words = st.text(alphabet="ab *_`|<@>#-\\~[]\n", min_size=1, max_size=3000)


@given(st.lists(words, min_size=1, max_size=5), st.integers(min_value=200, max_value=4096))
@settings(max_examples=100, deadline=None)
def test_answers_markdown_fits_and_keeps_every_citation(texts: list[str], limit: int) -> None:
    answers = [
        Answer(f"¶{n}.1", text, 1.0, "a", n, 1, ((0, min(3, len(text))),))
        for n, text in enumerate(texts, start=1)
    ]
    out = render.answers_markdown(answers, limit)
    assert len(out) <= limit
    assert re.findall(r"^\u2014 `([^`]+)`$", out, re.MULTILINE) == [a.citation for a in answers]


def test_escaped_text_keeps_no_markdown() -> None:
    text = "# Head\n- item\n1. one\n> quote *b* _i_ `c` ||s|| <@1> @everyone [l](u) ~~x~~ a\\b"
    escaped = markup.markdown_escape(text)
    assert escaped == (
        "\\# Head\n\\- item\n1\\. one\n\\> quote \\*b\\* \\_i\\_ \\`c\\` \\|\\|s\\|\\| "
        "\\<\\@1\\> \\@everyone \\[l\\](u) \\~\\~x\\~\\~ a\\\\b"
    )
    assert markup.markdown_unescape(escaped) == text


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
        assert embed.footer.text == "Zebras at the zoo"
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
