"""Buttons under an answer that keep working after a restart: their state is in their
custom id, and discord.py's DynamicItem rebuilds them from it.

A click is dispatched as a bot event (CONTEXT_CLICK and the rest) to the cog whose feature
it is: the buttons are built where answers are made, and act where their feature lives.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import discord

from retrieval import Answer

from ..render import words as render
from .errors import tell

log = logging.getLogger(__name__)

CUSTOM_ID_LIMIT = 100

# The events a click dispatches, each with the interaction and the button clicked; a cog
# listens to `"on_" + event`.
CONTEXT_CLICK = "context_click"
MORE_CLICK = "more_click"
CLOSEST_CLICK = "closest_click"
POST_CLICK = "post_click"
VOTE_CLICK = "vote_click"


class ContextButton(
    discord.ui.DynamicItem[discord.ui.Button],
    # The tag is optional: buttons from before it was carried still work.
    template=r"aqa:ctx:(?:(?P<tag>[0-9a-f]+):)?(?P<article>[^:]+):"
    r"(?P<paragraph>[0-9]+)\.(?P<sentence>[0-9]+)",
):
    """Shows the asker the whole paragraph of a cited sentence, of the article (its tag)
    that answered: a server's article replaced since is told so, not shown instead."""

    def __init__(self, tag: str | None, article: str, paragraph: int, sentence: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.SHOW_CONTEXT,
                style=discord.ButtonStyle.secondary,
                custom_id=self.custom_id_for(tag, article, paragraph, sentence),
            )
        )
        self.tag, self.article, self.paragraph, self.sentence = tag, article, paragraph, sentence

    @staticmethod
    def custom_id_for(tag: str | None, article: str, paragraph: int, sentence: int) -> str:
        tagged = f"{tag}:" if tag else ""
        return f"aqa:ctx:{tagged}{article}:{paragraph}.{sentence}"

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ContextButton:
        place = int(match["paragraph"]), int(match["sentence"])
        return cls(match["tag"], match["article"], *place)

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(CONTEXT_CLICK, interaction, self)


Place = tuple[int, int]  # a sentence's paragraph and its number in it, both 1-based


def places_text(places: Sequence[Place]) -> str:
    return ",".join(f"{paragraph:x}.{sentence:x}" for paragraph, sentence in places)


def parse_places(text: str) -> tuple[Place, ...]:
    return tuple(
        (int(paragraph, 16), int(sentence, 16))
        for paragraph, sentence in (item.split(".") for item in text.split(","))
    )


def carried(answers: Sequence[Answer], prefix: str) -> tuple[Place, ...]:
    """The places of the leading answers from the first answer's article that fit in a
    custom id after `prefix`: a button carries whole results, never part of one."""
    places: list[Place] = []
    for answer in answers:
        place = (answer.paragraph, answer.sentence)
        if answer.article != answers[0].article:
            break
        if len(prefix) + len(places_text([*places, place])) > CUSTOM_ID_LIMIT:
            break
        places.append(place)
    return tuple(places)


_PLACES = r"(?P<places>[0-9a-f]+\.[0-9a-f]+(?:,[0-9a-f]+\.[0-9a-f]+)*)"


class MoreButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"aqa:more:(?P<tag>[0-9a-f]+):(?P<k>[0-9]+):(?P<article>[^:]+):" + _PLACES,
):
    """Shows the asker the next results of an answer. They travel in the custom id (the
    article's tag, the page size, the sentences' places), so a click gives the same page
    after a restart, or after any number of newer answers."""

    def __init__(self, tag: str, k: int, article: str, places: Sequence[Place]) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.MORE,
                style=discord.ButtonStyle.primary,
                custom_id=self.prefix(tag, k, article) + places_text(places),
            )
        )
        self.tag, self.k, self.article, self.places = tag, k, article, tuple(places)

    @staticmethod
    def prefix(tag: str, k: int, article: str) -> str:
        return f"aqa:more:{tag}:{k}:{article}:"

    @classmethod
    def carrying(cls, tag: str, k: int, rest: Sequence[Answer]) -> MoreButton | None:
        """The button for the results `rest`, as many as fit (None: none to show)."""
        if not rest:
            return None
        places = carried(rest, cls.prefix(tag, k, rest[0].article))
        return cls(tag, k, rest[0].article, places) if places else None

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MoreButton:
        return cls(match["tag"], int(match["k"]), match["article"], parse_places(match["places"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(MORE_CLICK, interaction, self)


class OldMoreButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"aqa:more:(?P<offset>[0-9]+):[0-9]+"
):
    """ "More" under an answer from before its results travelled in the button: it cannot
    tell them, and says so instead of failing."""

    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label=render.MORE, custom_id="aqa:more:0:1"))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> OldMoreButton:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        await tell(interaction, render.ANSWER_UNKNOWN)


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"aqa:vote:(?P<ask>[0-9]+):(?P<way>up|down)",
):
    """👍 or 👎 on the answer logged as `ask`: the clicker's vote, changeable, one each."""

    def __init__(self, ask: int, up: bool) -> None:
        super().__init__(
            discord.ui.Button(
                emoji=render.VOTE_UP if up else render.VOTE_DOWN,
                style=discord.ButtonStyle.secondary,
                custom_id=self.custom_id_for(ask, up),
            )
        )
        self.ask, self.up = ask, up

    @staticmethod
    def custom_id_for(ask: int, up: bool) -> str:
        return f"aqa:vote:{ask}:{'up' if up else 'down'}"

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteButton:
        return cls(int(match["ask"]), match["way"] == "up")

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(VOTE_CLICK, interaction, self)


class ClosestButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"aqa:near:(?P<tag>[0-9a-f]+):(?P<article>[^:]+):" + _PLACES,
):
    """Under "the article doesn't say": the sentences nearest the question, shown to the
    clicker only and labelled as no answer. They travel in the custom id, as "More"'s do."""

    def __init__(self, tag: str, article: str, places: Sequence[Place]) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.CLOSEST,
                style=discord.ButtonStyle.secondary,
                custom_id=self.prefix(tag, article) + places_text(places),
            )
        )
        self.tag, self.article, self.places = tag, article, tuple(places)

    @staticmethod
    def prefix(tag: str, article: str) -> str:
        return f"aqa:near:{tag}:{article}:"

    @classmethod
    def carrying(cls, tag: str, nearest: Sequence[Answer]) -> ClosestButton | None:
        if not nearest:
            return None
        places = carried(nearest, cls.prefix(tag, nearest[0].article))
        return cls(tag, nearest[0].article, places) if places else None

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ClosestButton:
        return cls(match["tag"], match["article"], parse_places(match["places"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(CLOSEST_CLICK, interaction, self)


class PostButton(discord.ui.DynamicItem[discord.ui.Button], template=r"aqa:post"):
    """Under a private answer: posts it in the channel for everyone, with its buttons."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.POST_PUBLICLY,
                style=discord.ButtonStyle.success,
                custom_id="aqa:post",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PostButton:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(POST_CLICK, interaction, self)


SHARED = (ContextButton, MoreButton, VoteButton, ClosestButton)  # the buttons a posted answer keeps


async def shared_view(interaction: discord.Interaction) -> discord.ui.View:
    """The buttons of the clicked message that a public copy keeps, made again from their
    custom ids: a copy of the view itself would be a view the bot must remember."""
    view = discord.ui.View(timeout=None)
    message = interaction.message
    for row in message.components if message is not None else ():
        for component in getattr(row, "children", ()):
            custom_id = getattr(component, "custom_id", None) or ""
            for kind in SHARED:
                match = kind.__discord_ui_compiled_template__.fullmatch(custom_id)
                if match:
                    view.add_item(await kind.from_custom_id(interaction, component, match))
    return view


def answer_view(
    tag: str, top: Answer, more: MoreButton | None, ask: int | None = None
) -> discord.ui.View:
    """Buttons under an answer from the shelf of `tag` whose top result is `top`: Show
    context, `more`, and 👍 and 👎 rating the answer logged as `ask` (None: not logged, no
    votes). At most four buttons: one row of Discord's five."""
    view = discord.ui.View(timeout=None)
    place = (top.article, top.paragraph, top.sentence)
    if len(ContextButton.custom_id_for(tag, *place)) <= CUSTOM_ID_LIMIT:
        view.add_item(ContextButton(tag, *place))
    else:
        log.debug("article slug %r too long for a button; no Show context", top.article)
    if more is not None:
        view.add_item(more)
    if ask is not None:
        view.add_item(VoteButton(ask, up=True))
        view.add_item(VoteButton(ask, up=False))
    return view
