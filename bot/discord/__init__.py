"""The Discord front end: `create_bot()` makes the bot, `run` serves it (`article-qa discord`).

discord.py is imported only when the bot itself is: `from bot.discord import create_bot`
loads it, while `bot.discord.run` and `bot.discord.settings` answer `--invite-url` and a
missing token without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_bot

__all__ = ["create_bot"]


def __getattr__(name: str) -> Any:
    if name == "create_bot":
        from .app import create_bot

        return create_bot
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
