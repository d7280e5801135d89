"""The buttons under an answer: Show context and More, before and after a restart."""

from __future__ import annotations

import simcord
from discord_helpers import BROAD, World, answer_citations, assert_no_pings, line_citations
from hypothesis import given
from hypothesis import strategies as st

from bot.discord import create_bot
from bot.discord.views import ContextButton, MoreButton, parse_places, places_text
from bot.render import markup
from retrieval import QA, Answer


def labels(message: simcord.ResponseMessage) -> list[str]:
    return [b.get("label") for row in message.components for b in row["components"]]


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


async def test_more_is_offered_only_while_there_is_more(qa: QA) -> None:
    tiny = QA.from_sentences(["Zebras cross the road.", "Zebras eat grass.", "Cats sleep."])
    async with simcord.run(create_bot(tiny)) as env:
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        answer = await alice.slash(channel, "ask", question="What do zebras do?", results=1)
        second = await alice.click(answer.response, label="More")
        assert answer_citations(second.response.embeds[0]) == ["¶1.2"]
        assert labels(second.response) == ["Show context"]  # the cats are another topic


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


@given(
    st.lists(st.tuples(st.integers(1, 10**6), st.integers(1, 10**6)), min_size=1, max_size=30),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=60),
)
def test_the_places_a_more_button_carries_fit_and_read_back(
    places: list[tuple[int, int]], slug: str
) -> None:
    answers = [Answer(f"¶{p}.{s}", "text", 0.0, slug, p, s) for p, s in places]
    button = MoreButton.carrying("abc123", 3, answers)
    if button is None:
        assert len(MoreButton.prefix("abc123", 3, slug) + places_text(places[:1])) > 100
        return
    custom_id = button.item.custom_id
    assert len(custom_id) <= 100
    match = MoreButton.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None and match["article"] == slug
    assert list(parse_places(match["places"])) == places[: len(button.places)]


def test_show_context_reads_its_custom_ids_old_and_new() -> None:
    template = ContextButton.__discord_ui_compiled_template__
    old = template.fullmatch("aqa:ctx:sanctuary-cities:10.2")
    new = template.fullmatch(ContextButton.custom_id_for("7acc0a", "sanctuary-cities", 10, 2))
    assert old is not None and new is not None
    assert (old["tag"], old["article"], old["paragraph"]) == (None, "sanctuary-cities", "10")
    assert (new["tag"], new["article"], new["sentence"]) == ("7acc0a", "sanctuary-cities", "2")
