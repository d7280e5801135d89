"""Replies to messages (no pings, plain text without Embed Links), and which are the bot's.

A reply goes only where the bot may post; `mentions` and `unprompted` tell a message
asked of the bot from one nobody asked it about.
"""

from __future__ import annotations

from typing import Any

import discord

from ..render.markup import CONTENT_LIMIT
from .embeds import NO_PINGS

CHAT = (discord.MessageType.default, discord.MessageType.reply)  # people talking, no notices
NO_ENTRY = "\U0001f6ab"  # the reaction that says "I can't answer here" when a DM fails too


async def reply_to(
    message: discord.Message, content: str | None = None, **fields: Any
) -> discord.Message:
    """Reply without pinging anyone; a reply to a message deleted meanwhile is a plain send."""
    return await message.channel.send(
        content,
        reference=message.to_reference(fail_if_not_exists=False),
        allowed_mentions=NO_PINGS,
        **fields,
    )


def mentions(message: discord.Message, me: discord.ClientUser) -> bool:
    return any(user.id == me.id for user in message.mentions)


def unprompted(message: discord.Message, me: discord.ClientUser) -> bool:
    """A person's message in a server that does not mention the bot: nobody asked it.

    Bots, webhooks and the bot itself are never answered: no conversation between bots.
    """
    return (
        message.guild is not None
        and message.webhook_id is None
        and not message.author.bot
        and message.type in CHAT
        and not mentions(message, me)
    )


def permissions(message: discord.Message) -> discord.Permissions | None:
    """What the bot may do where `message` was sent (None: a DM, or not known: just try)."""
    guild = message.guild
    if guild is None or guild.me is None:
        return None
    return message.channel.permissions_for(guild.me)  # type: ignore[arg-type]


def can_post(permissions: discord.Permissions | None, channel: discord.abc.Snowflake) -> bool:
    if permissions is None:
        return True
    if isinstance(channel, discord.Thread):
        return permissions.send_messages_in_threads
    return permissions.send_messages


def as_text(payload: dict[str, Any]) -> dict[str, Any]:
    """An embed payload as plain message content, for a channel without Embed Links.

    Whole lines are kept while they fit, so no bold run or escape is cut in half.
    """
    embed: discord.Embed = payload["embed"]
    lines = [f"**{embed.title}**"] if embed.title else []
    lines += (embed.description or "").splitlines()
    if embed.footer.text:
        lines.append(f"*{discord.utils.escape_markdown(embed.footer.text)}*")
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > CONTENT_LIMIT:
            break
        kept.append(line)
        used += len(line) + 1
    return {"content": "\n".join(kept)} | {k: v for k, v in payload.items() if k != "embed"}
