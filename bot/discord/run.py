"""`article-qa discord`: the bot's token, invite link, logging, sharding, lifetime, exit codes.

discord.py is imported only once a bot is really started, so `--invite-url` and a missing
token answer at once.
"""

from __future__ import annotations

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

from ..process import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, load_corpus
from .settings import DiscordSettings

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


def run_discord(settings: DiscordSettings) -> int:
    """The `discord` subcommand; returns the exit code."""
    if settings.invite_for is not None:
        print(invite_url(settings.invite_for))
        return EXIT_OK
    try:
        token = read_token(os.environ, settings.token_file)
    except TokenError as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return EXIT_USAGE
    with _logging(settings.log_level, token):
        qa = load_corpus(settings.corpus, settings.retriever, settings.index_dir)  # type: ignore[arg-type]
        if qa is None:
            return EXIT_USAGE
        bot = _bot(qa, settings)
        try:
            return asyncio.run(serve(bot, token, settings.token_file or TOKEN_ENV))
        except KeyboardInterrupt:
            log.info("stopped")
            return EXIT_INTERRUPTED


def _bot(qa: QA, settings: DiscordSettings) -> commands.Bot:
    import discord

    from .app import create_bot

    # The bot never joins voice: the warnings that voice libraries are missing are noise.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    return create_bot(qa, settings)


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
