"""What the Discord tests share: the SimCord world, questions with known answers, and
readers of what reached Discord."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import discord
import simcord

from bot.discord.app import ArticleBot
from bot.render import markup
from retrieval import QA, Reply

KNOWN = [
    ("Who is Domenic Powell?", "¶8.1", "Domenic Powell"),
    ("Where is Austin?", "¶10.2", "Austin"),
    ("Who is Eddie Rodriguez?", "¶10.4", "Eddie Rodriguez"),
]
UNANSWERABLE = "What is the capital of France?"
BROAD = "What did Sessions announce?"
NO_PINGS = {"parse": []}

DEFERRED = 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: the "thinking" acknowledgement


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


def callback_types(env: simcord.Env) -> list[int]:
    """The type of each interaction response the bot sent, in order."""
    return [r.json["type"] for r in env.http_requests if r.path.endswith("/callback")]


def put_requests(env: simcord.Env) -> list[simcord.HttpLogEntry]:
    return [r for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]


class RecordingQA(QA):
    """The real QA, remembering each question and the `previous` reply it was given."""

    def __init__(self, qa: QA) -> None:
        super().__init__(qa.corpus)
        self.calls: list[tuple[str, Reply | None, Reply]] = []

    def ask(self, question: str, k: int = 3, previous: Reply | None = None) -> Reply:
        reply = super().ask(question, k=k, previous=previous)
        self.calls.append((question, previous, reply))
        return reply


def turn(reply):  # type: ignore[no-untyped-def]
    """What a conversation remembers of a reply (Reply.remembered keeps no text): where its
    first answer stands, its subject and its kind; None for no reply."""
    if reply is None:
        return None
    return (reply.answers[0].citation if reply.answers else None, reply.focus, reply.kind)
