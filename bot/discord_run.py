"""`article-qa discord`: the bot's token, invite link, logging, sharding, lifetime, exit codes.

discord.py is imported only once a bot is really started, so `--invite-url` and a missing
token answer at once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval import QA

from . import paths
from .process import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, load_corpus

if TYPE_CHECKING:
    from discord.ext import commands

log = logging.getLogger(__name__)


TOKEN_ENV = "DISCORD_TOKEN"
PORTAL = "https://discord.com/developers/applications"
TOKEN_PAGE = f"the Discord Developer Portal ({PORTAL}): your application > Bot > Reset Token"

# Permission bits (discord.com/developers/docs/topics/permissions). The bot only reads the
# channel it is asked in and replies there with embeds.
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16  # a reply to a message needs it
SEND_MESSAGES_IN_THREADS = 1 << 38
INVITE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | SEND_MESSAGES_IN_THREADS
)
INVITE_SCOPES = ("bot", "applications.commands")


class TokenError(Exception):
    """No usable token; the message says where one comes from."""


def invite_url(application_id: int) -> str:
    """The OAuth2 link that adds the bot, with its commands and only the permissions it uses."""
    return (
        f"https://discord.com/oauth2/authorize?client_id={application_id}"
        f"&scope={'+'.join(INVITE_SCOPES)}&permissions={INVITE_PERMISSIONS}"
    )


def read_token(environ: Mapping[str, str], token_file: str | None) -> str:
    """The token from `token_file`, else from $DISCORD_TOKEN; errors never contain it."""
    if token_file is not None:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            raise TokenError(f"{token_file}: cannot read the token file ({reason})") from None
        if not token:
            raise TokenError(f"{token_file}: the token file is empty. Get a token in {TOKEN_PAGE}.")
        return token
    token = environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise TokenError(
            f"no bot token: set {TOKEN_ENV} or pass --token-file PATH. Get a token in {TOKEN_PAGE}."
        )
    return token


def default_sync_state() -> Path:
    """Where the last synced command set is remembered, next to the chat history."""
    return paths.sync_state_file()


class RedactToken(logging.Filter):
    """Replaces the token in any log record: it must never reach a log, whoever logs it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "[token]"), None
        return True


@contextlib.contextmanager
def _logging(level: str, token: str) -> Iterator[None]:
    """The bot's log level, and the token redacted from every handler, while the bot runs.

    The handlers are main()'s (or an embedding program's): only borrowed, then restored.
    """
    root = logging.getLogger()
    handlers, previous, redact = list(root.handlers), root.level, RedactToken(token)
    root.setLevel(level)
    for handler in handlers:
        handler.addFilter(redact)
    try:
        yield
    finally:
        root.setLevel(previous)
        for handler in handlers:
            handler.removeFilter(redact)


def _shards(args: argparse.Namespace) -> tuple[bool, int | None, tuple[int, ...] | None]:
    """(sharded, shard_count, shard_ids) from the options; ValueError says what is wrong."""
    count, ids = args.shard_count, args.shard_ids
    if ids is not None:
        if not isinstance(count, int):
            raise ValueError("--shard-ids needs --shard-count N, the number of shards in all")
        if len(set(ids)) != len(ids) or any(i >= count for i in ids):
            raise ValueError(f"--shard-ids must be distinct numbers from 0 to {count - 1}")
    return count is not None, count if isinstance(count, int) else None, tuple(ids) if ids else None


def run_discord(args: argparse.Namespace) -> int:
    """The `discord` subcommand; returns the exit code."""
    if args.invite_url is not None:
        print(invite_url(args.invite_url))
        return EXIT_OK
    try:
        sharded, shard_count, shard_ids = _shards(args)
        token = read_token(os.environ, args.token_file)
    except (ValueError, TokenError) as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return EXIT_USAGE
    with _logging(args.log_level, token):
        qa = load_corpus(args.corpus)
        if qa is None:
            return EXIT_USAGE
        bot = _bot(args, qa, sharded, shard_count, shard_ids)
        try:
            return asyncio.run(serve(bot, token, args.token_file or TOKEN_ENV))
        except KeyboardInterrupt:
            log.info("stopped")
            return EXIT_INTERRUPTED


def _bot(
    args: argparse.Namespace,
    qa: QA,
    sharded: bool,
    shard_count: int | None,
    shard_ids: tuple[int, ...] | None,
) -> commands.Bot:
    import discord

    from .discord_bot import create_bot

    # The bot never joins voice: the warnings that voice libraries are missing are noise.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    return create_bot(
        qa,
        guild_id=args.guild,
        force_sync=args.sync,
        sync_state=default_sync_state(),
        sharded=sharded,
        shard_count=shard_count,
        shard_ids=shard_ids,
    )


async def serve(bot: commands.Bot, token: str, source: str = TOKEN_ENV) -> int:
    """Run `bot` until it is closed (SIGTERM closes it cleanly); the exit code."""
    import discord

    try:
        async with bot:
            _close_on_sigterm(bot)
            await bot.start(token)
    except discord.LoginFailure:
        print(
            f"article-qa: Discord rejected the bot token from {source}. Check that it was "
            f"copied whole, or reset it in {TOKEN_PAGE}.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except discord.PrivilegedIntentsRequired:
        print(
            "article-qa: Discord refused an intent the bot asked for; "
            "the bot needs no privileged intent, so this is a bug.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except (discord.GatewayNotFound, discord.HTTPException, OSError) as error:
        print(f"article-qa: cannot reach Discord: {error}", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK


def _close_on_sigterm(bot: commands.Bot) -> None:
    # A service manager stops the bot with SIGTERM: close the gateway and HTTP session
    # properly instead of dying mid-reply.
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows; not main thread
        loop.add_signal_handler(signal.SIGTERM, lambda: loop.create_task(bot.close()))
