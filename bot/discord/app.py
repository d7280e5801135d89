"""The bot itself: discord.py's Bot (or AutoShardedBot) with the article service, a cog per
feature, the buttons, and slash commands synced only when asked or changed."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from retrieval import QA

from .cogs.ask import AskCog
from .cogs.auto_answer import AutoAnswerCog
from .cogs.buttons import ButtonsCog
from .cogs.chat import ChatCog
from .cogs.config import ConfigCog
from .cogs.feedback import FeedbackCog
from .cogs.message_command import MessageCommandCog
from .cogs.threads import ThreadsCog
from .embeds import NO_PINGS
from .errors import ArticleTree
from .feedback import DiscordFeedback
from .servers import Servers
from .service import ArticleService
from .settings import DiscordSettings
from .views import ClosestButton, ContextButton, MoreButton, OldMoreButton, PostButton, VoteButton

log = logging.getLogger(__name__)


# --- Command sync: only when asked, or when the command set changed ----------------------


def command_fingerprint(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> str:
    """A digest of the command payloads Discord would receive for `guild` (None: global)."""
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class SyncState:
    """The fingerprint of the last command set synced, per application and scope, in a file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            log.warning("ignoring unreadable command sync state %s: %s", self.path, error)
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def get(self, key: str) -> str | None:
        return self._read().get(key)

    def scopes(self) -> list[str]:
        return list(self._read())

    def put(self, key: str, fingerprint: str | None) -> None:
        """Remember `fingerprint` for `key`; None forgets the key."""
        data = self._read()
        if fingerprint is None:
            data.pop(key, None)
        else:
            data[key] = fingerprint
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
            temporary.replace(self.path)  # atomic: a crash never leaves half a file
        except OSError as error:
            log.warning("could not record the command sync in %s: %s", self.path, error)


async def _clear_development_guilds(bot: commands.Bot, state: SyncState) -> None:
    """Remove the commands an earlier `--guild` run registered: beside the global ones,
    that server would list every command twice."""
    prefix = f"{bot.application_id}/guild "
    for key in state.scopes():
        if not key.startswith(prefix) or not key[len(prefix) :].isdigit():
            continue
        guild = discord.Object(int(key[len(prefix) :]))
        bot.tree.clear_commands(guild=guild)
        try:
            await bot.tree.sync(guild=guild)
        except discord.HTTPException as error:
            log.warning("could not remove the commands of guild %s: %s", guild.id, error)
            continue
        log.info("removed the development copy of the commands from guild %s", guild.id)
        state.put(key, None)


async def sync_commands(bot: commands.Bot, settings: DiscordSettings) -> bool:
    """Sync the slash commands if forced or changed since the last sync; True if synced.

    Discord allows only so many command creations a day, and a bot that restarts often
    would spend them on identical command sets.
    """
    if settings.shard_ids is not None and 0 not in settings.shard_ids:
        log.info("not syncing commands: the process that runs shard 0 does that")
        return False
    guild = discord.Object(settings.guild_id) if settings.guild_id else None
    if guild is not None:
        bot.tree.copy_global_to(guild=guild)
    scope = f"guild {guild.id}" if guild else "global"
    key = f"{bot.application_id}/{scope}"
    fingerprint = command_fingerprint(bot.tree, guild)
    state = SyncState(settings.sync_state) if settings.sync_state else None
    if guild is None and state is not None:
        await _clear_development_guilds(bot, state)
    if not settings.force_sync and state is not None and state.get(key) == fingerprint:
        log.info("slash commands (%s) unchanged since the last sync; not syncing", scope)
        return False
    try:
        synced = await bot.tree.sync(guild=guild)
    except discord.HTTPException as error:
        log.error("could not sync the slash commands (%s): %s", scope, error)
        return False
    log.info("synced %d slash commands (%s)", len(synced), scope)
    if state is not None:
        state.put(key, fingerprint)
    return True


# --- The bot -----------------------------------------------------------------------------


def bot_intents(message_content: bool = False) -> discord.Intents:
    """The few intents the bot needs; none is privileged unless `message_content` is asked.

    Discord delivers the content of DMs and of messages that mention the bot without the
    message-content intent; only help channels answered unprompted need it.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = message_content
    return intents


class _ArticleBotMixin:
    """What both bot classes add to discord.py's: the service and its cogs, buttons, sync.

    The service (`article`) is the state every cog shares, and where a command check,
    given only the interaction, finds it (`service.service_of`).
    """

    article: ArticleService
    feedback: DiscordFeedback
    settings: DiscordSettings
    feature_cogs: list[commands.Cog]

    def __init__(self, qa: QA, settings: DiscordSettings, **options: Any) -> None:
        super().__init__(**options)
        self.settings = settings
        self.feedback = DiscordFeedback(qa, settings)
        self.servers = Servers(settings)
        bot = cast(commands.Bot, self)
        service = self.article = ArticleService(qa, settings, self.feedback, self.servers)
        # In the order they load: Ask first, as the service starts with it; the slash
        # commands sync in this order too (a new order would be a new command set).
        self.feature_cogs = [
            AskCog(service),
            ChatCog(bot, service),
            ThreadsCog(bot, service),
            AutoAnswerCog(bot, service),
            MessageCommandCog(bot, service),
            ButtonsCog(service),
            FeedbackCog(service),
            ConfigCog(bot, service),
        ]

    async def setup_hook(self) -> None:
        bot = cast(commands.Bot, self)
        # The same bot object started again keeps its cogs, and its service running, unless
        # it was closed in between: loading them again would start the service twice.
        for cog in self.feature_cogs:
            if bot.get_cog(cog.qualified_name) is None:
                await bot.add_cog(cog, override=True)
        bot.add_dynamic_items(
            ClosestButton, ContextButton, MoreButton, OldMoreButton, PostButton, VoteButton
        )
        await sync_commands(bot, self.settings)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: chat is the chat cog's listener (mentions and DMs)."""


class ArticleBot(_ArticleBotMixin, commands.Bot):
    pass


class ShardedArticleBot(_ArticleBotMixin, commands.AutoShardedBot):
    pass


def create_bot(qa: QA | None = None, settings: DiscordSettings | None = None) -> commands.Bot:
    """A ready bot for `qa` (None: the bundled article); no token, no network until started.

    Settings that shard (see DiscordSettings.runs_sharded) make an AutoShardedBot.
    """
    settings = settings or DiscordSettings()
    options: dict[str, Any] = {
        "command_prefix": commands.when_mentioned,
        "help_command": None,
        "intents": bot_intents(settings.message_content),
        "allowed_mentions": NO_PINGS,
        "tree_cls": ArticleTree,
        # Every command, unless it says otherwise, for a server that added the bot and for a
        # person who installed the app, anywhere: servers, the bot's DMs, group DMs.
        "allowed_installs": app_commands.AppInstallationType(guild=True, user=True),
        "allowed_contexts": app_commands.AppCommandContext(
            guild=True, dm_channel=True, private_channel=True
        ),
        # The bot reads no member lists and no message history: caching them is waste.
        "member_cache_flags": discord.MemberCacheFlags.none(),
        "chunk_guilds_at_startup": False,
        "max_messages": None,
    }
    corpus = qa if qa is not None else QA.load()
    if settings.runs_sharded:
        return ShardedArticleBot(
            corpus,
            settings,
            shard_count=settings.shard_count,
            shard_ids=list(settings.shard_ids) if settings.shard_ids is not None else None,
            **options,
        )
    return ArticleBot(corpus, settings, **options)
