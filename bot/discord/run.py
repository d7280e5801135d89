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

from ..exits import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from ..process import load_corpus
from .settings import DiscordSettings

if TYPE_CHECKING:
    from discord.ext import commands

log = logging.getLogger(__name__)


TOKEN_ENV = "DISCORD_TOKEN"
PORTAL = "https://discord.com/developers/applications"
TOKEN_PAGE = f"the Discord Developer Portal ({PORTAL}): your application > Bot > Reset Token"

# Permission bits (discord.com/developers/docs/topics/permissions). The bot only reads the
# channel it is asked in and replies there with embeds, or in a thread it starts.
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16  # a reply to a message needs it
CREATE_PUBLIC_THREADS = 1 << 35  # /ask's thread mode
SEND_MESSAGES_IN_THREADS = 1 << 38
INVITE_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | READ_MESSAGE_HISTORY
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)
INVITE_SCOPES = ("bot", "applications.commands")
GUILD_INSTALL, USER_INSTALL = 0, 1  # OAuth2 integration_type


class TokenError(Exception):
    """No usable token; the message says where one comes from."""


def invite_url(application_id: int) -> str:
    """The OAuth2 link that adds the bot, with its commands and only the permissions it uses."""
    return (
        f"https://discord.com/oauth2/authorize?client_id={application_id}"
        f"&scope={'+'.join(INVITE_SCOPES)}&permissions={INVITE_PERMISSIONS}"
    )


def server_install_url(application_id: int) -> str:
    return f"{invite_url(application_id)}&integration_type={GUILD_INSTALL}"


def user_install_url(application_id: int) -> str:
    """The link that installs the app for the person who opens it: commands, no bot user."""
    return (
        f"https://discord.com/oauth2/authorize?client_id={application_id}"
        f"&scope=applications.commands&integration_type={USER_INSTALL}"
    )


def install_links(application_id: int) -> str:
    """`article-qa discord invite`: both ways to install, and what each allows."""
    return f"""\
Add to a server (you need Manage Server there):
  {server_install_url(application_id)}
  Everyone in the server can use /ask, /source, /article, /help and "Ask the article" on a
  message; the bot answers mentions, can answer in threads and in the help channels its
  managers name with /config, and can answer from the server's own article. It asks only
  for View Channels, Send Messages, Send Messages in Threads, Create Public Threads, Embed
  Links and Read Message History.

Install for yourself (the app must allow User Install: Developer Portal > Installation):
  {user_install_url(application_id)}
  You alone can use /ask, /source, /article, /help and "Ask the article" in any server, DM
  or group DM, even where the bot is not a member; answers come back to your command. No
  bot joins anything: no mentions, threads, help channels or server settings there.
"""


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
        both = settings.install_links
        print(install_links(settings.invite_for) if both else invite_url(settings.invite_for))
        return EXIT_OK
    try:
        token = read_token(os.environ, settings.token_file)
    except TokenError as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return EXIT_USAGE
    with _logging(settings.log_level, token):
        qa = load_corpus(
            settings.corpus,
            settings.retriever,  # type: ignore[arg-type]
            settings.index_dir,
            settings.sphinx,
            semantic=settings.semantic,
            strict=settings.strict,
        )
        if qa is None:
            return EXIT_USAGE
        bot = _bot(qa, settings)
        try:
            return asyncio.run(serve(bot, token, settings.token_file or TOKEN_ENV))
        except KeyboardInterrupt:  # only where signal handlers cannot be installed
            log.info("stopped")
            return EXIT_INTERRUPTED


def _bot(qa: QA, settings: DiscordSettings) -> commands.Bot:
    import discord

    from .app import create_bot

    # The bot never joins voice: the warnings that voice libraries are missing are noise.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    return create_bot(qa, settings)


# A signal closes the bot within this many seconds, connected or not: discord.py's close()
# can wait on a gateway handshake, and a service manager's patience is short.
STOP_GRACE = 1.5
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def serve(bot: commands.Bot, token: str, source: str = TOKEN_ENV) -> int:
    """Run `bot` until it is closed or a signal stops it; the exit code (0 when stopped)."""
    import discord

    stop = asyncio.Event()
    try:
        async with bot:
            with _stop_on_signals(stop):
                await _run_until_stopped(bot, token, stop)
    except asyncio.CancelledError:
        # A close cut short by STOP_GRACE leaves discord.py's closing task cancelled, and
        # leaving `async with` awaits it: that is the stop we asked for, not a failure.
        if not stop.is_set():
            raise
    except discord.LoginFailure:
        print(
            f"article-qa: Discord rejected the bot token from {source}. Check that it was "
            f"copied whole, or reset it in {TOKEN_PAGE}.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except discord.PrivilegedIntentsRequired:
        if bot.intents.message_content:
            print(
                "article-qa: Discord refused the Message Content intent: turn it on in "
                f"{PORTAL} (your application > Bot > Privileged Gateway Intents), or run "
                "without --message-content.",
                file=sys.stderr,
            )
        else:
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


async def _run_until_stopped(bot: commands.Bot, token: str, stop: asyncio.Event) -> None:
    """Connect and stay connected; a set `stop` cancels whatever is under way (a login, a
    handshake, a reconnection's backoff) instead of waiting for it."""
    runner = asyncio.create_task(_connect(bot, token))
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
    if runner.done():
        runner.result()  # re-raise a login failure, for serve() to explain
        return
    log.info("stopping")
    with contextlib.suppress(Exception, asyncio.TimeoutError):
        await asyncio.wait_for(bot.close(), STOP_GRACE)
    runner.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await runner


def backoff() -> Iterator[float]:
    """Seconds to wait before each reconnection: 1, 2, 4 ... 60, then 60 (tests replace it)."""
    delay = 1.0
    while True:
        yield delay
        delay = min(delay * 2, 60.0)


async def _connect(bot: commands.Bot, token: str) -> None:
    """bot.start(), surviving discord.py's AttributeError in its reconnect path.

    After a gateway failure discord.py can raise AttributeError from inside connect() (a
    known bug: it reads the websocket it has just dropped) instead of reconnecting itself,
    which ended the process. Connecting again, after a growing pause, is what it meant to do.
    """
    await bot.login(token)
    delays = backoff()
    while not bot.is_closed():
        try:
            await bot.connect(reconnect=True)
            return
        except AttributeError as error:
            if bot.is_closed():
                return
            delay = next(delays)
            log.warning("gateway failed (%s); reconnecting in %.0f s", error, delay)
            await asyncio.sleep(delay)


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    # SIGTERM (a service manager) and SIGINT (Ctrl-C) set `stop`, in the loop: the bot
    # closes its gateway and HTTP session properly instead of dying mid-reply, and a
    # KeyboardInterrupt never lands in the middle of discord.py's connection code.
    loop = asyncio.get_running_loop()
    installed = []
    for signum in STOP_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)  # not on Windows, nor off the main thread
            installed.append(signum)
    try:
        yield
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)
