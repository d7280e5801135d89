"""Conversations belong to a person, and "More" carries its results in the button itself."""

from __future__ import annotations

import simcord
from discord_helpers import BROAD, RecordingQA, answer_citations

from bot.discord import create_bot
from bot.discord.settings import DiscordSettings
from retrieval import QA


def _components(message: simcord.ResponseMessage) -> list[list[tuple[str, str]]]:
    return [
        [(b.get("label"), b["custom_id"]) for b in row["components"]] for row in message.components
    ]


async def test_two_users_interleaving_follow_ups_get_their_own_answers(qa: QA) -> None:
    recording = RecordingQA(qa)
    async with simcord.run(create_bot(recording)) as env:
        guild = env.create_guild()
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        bob = guild.add_member(env.create_user("bob"))
        me = f"<@{env.bot.user.id}>"
        recording.calls.clear()  # the start-up's example questions

        first = await alice.slash(channel, "ask", question="Who is Domenic Powell?")
        await bob.send(channel, f"{me} Where is Austin?")
        bobs = channel.last_message
        followed = await alice.slash(channel, "ask", question="What did he say?")
        await bob.send(channel, f"{me} Who is its sheriff?")
        sheriff = channel.last_message

        alice_first, bob_first = recording.calls[0][2], recording.calls[1][2]
        # Each follow-up takes its asker's last reply, as the conversation remembers it.
        assert [(q, p and p.answers[0].citation) for q, p, _ in recording.calls] == [
            ("Who is Domenic Powell?", None),
            ("Where is Austin?", None),
            ("What did he say?", "¶8.1"),  # alice's "he", not bob's Austin
            ("Who is its sheriff?", "¶10.2"),  # bob's "its", not alice's Powell
        ]
        assert recording.calls[2][1].focus == alice_first.focus
        assert recording.calls[3][1].focus == bob_first.focus
        assert answer_citations(first.response.embeds[0])[0] == "¶8.1"
        assert answer_citations(bobs.embeds[0])[0] == "¶10.2"
        expected_he = qa.ask("What did he say?", previous=qa.ask("Who is Domenic Powell?"))
        assert answer_citations(followed.response.embeds[0]) == [
            a.citation for a in expected_he.answers
        ]
        expected_its = qa.ask("Who is its sheriff?", previous=qa.ask("Where is Austin?"))
        assert answer_citations(sheriff.embeds[0]) == [a.citation for a in expected_its.answers]


async def test_more_is_the_same_after_a_restart_and_many_newer_answers(qa: QA) -> None:
    four = [a.citation for a in qa.ask(BROAD, k=6).answers]
    assert len(four) == 6, "the test needs a question with at least six answers"
    async with simcord.run(create_bot(qa, DiscordSettings(max_conversations=1))) as env:
        guild = env.create_guild()
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        answer = await alice.slash(channel, "ask", question=BROAD, results=2)
        before = await alice.click(answer.response, label="More")
        # More newer answers than the bot remembers conversations.
        for question in ("Where is Austin?", "Who is Domenic Powell?", "Who is Eddie Rodriguez?"):
            await alice.slash(channel, "ask", question=question)
            await env.advance_time(10)  # within the question budget

        await env.restart_bot(create_bot(qa, DiscordSettings(max_conversations=1)))

        after = await alice.click(answer.response, label="More")
        assert answer_citations(before.response.embeds[0]) == four[2:4]
        assert after.response.embeds[0].to_dict() == before.response.embeds[0].to_dict()
        assert _components(after.response) == _components(before.response)
        assert [label for row in _components(after.response) for label, _ in row] == [
            "Show context",
            "More",
        ]
        third = await alice.click(after.response, label="More")
        assert answer_citations(third.response.embeds[0]) == four[4:6]
        assert third.response.embeds[0].title == BROAD
