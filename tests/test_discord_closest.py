"""When the article doesn't say: example questions, and the closest passages behind a
button, labelled as no answer."""

from __future__ import annotations

from discord_helpers import UNANSWERABLE, World, answer_citations, assert_no_pings

from bot.discord import create_bot
from bot.render import markup
from bot.render import words as render
from retrieval import QA

UNSAID = "How old is Sally Hernandez?"  # shares words with ¶10, which doesn't say


async def test_closest_passages_are_behind_a_button_and_labelled_as_no_answer(
    world: World, qa: QA
) -> None:
    assert qa.ask(UNSAID).abstained
    nearest = [a.citation for a in qa.closest(UNSAID, 3)]
    assert nearest == ["¶10.2", "¶10.4"]

    said = await world.alice.slash(world.channel, "ask", question=UNSAID)

    (embed,) = said.response.embeds
    lines = embed.description.splitlines()
    assert lines[0] == "**The article doesn't say.**"
    assert "Questions it can answer:" in lines
    assert len([line for line in lines if line.startswith("\u2022 ")]) >= 2
    assert answer_citations(embed) == []  # nothing is quoted as an answer
    buttons = [b["label"] for row in said.response.components for b in row["components"]]
    assert buttons == ["Closest passages"]

    shown = await world.alice.click(said.response, label="Closest passages")

    assert shown.ephemeral
    (closest,) = shown.response.embeds
    assert closest.title == "Closest passages \u2014 not an answer"
    assert closest.description.startswith(f"*{render.CLOSEST_NOTE}*\n> ")
    assert answer_citations(closest) == nearest
    assert [(f.name, f.value) for f in closest.fields] == [("Question", UNSAID)]
    top = qa.paragraph(10).sentences[1].text
    assert markup.markdown_escape(top)[:40] in closest.description

    await world.env.restart_bot(create_bot(qa))
    again = await world.alice.click(said.response, label="Closest passages")
    assert again.response.embeds[0].to_dict() == closest.to_dict()
    assert_no_pings(world.env)


async def test_no_button_when_nothing_comes_near(world: World) -> None:
    said = await world.alice.slash(world.channel, "ask", question=UNANSWERABLE)

    assert said.response.embeds[0].description.startswith("**The article doesn't say.**")
    assert said.response.components == []


async def test_a_mention_that_goes_unanswered_offers_the_closest_passages_too(
    world: World,
) -> None:
    await world.alice.send(world.channel, world.mention(UNSAID))

    reply = world.channel.last_message
    assert reply.embeds[0].description.startswith("**The article doesn't say.**")
    assert [b.label for row in reply.components for b in row.children] == ["Closest passages"]
    shown = await world.alice.click(reply, label="Closest passages")
    assert answer_citations(shown.response.embeds[0]) == ["¶10.2", "¶10.4"]
