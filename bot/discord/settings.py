"""The Discord bot's settings: built once from the command line, read by every part."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from retrieval.cluster.address import Address

from .. import paths
from ..reports.store import DEFAULT_KEEP_DAYS


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    corpus: str | None = None  # an article file or folder; None: the bundled article
    retriever: str = "auto"  # retrieval.ranking.index.RETRIEVER_KINDS
    semantic: bool = False  # weigh meaning too, with the sentence encoder
    strict: bool = False  # refuse a folder with a file that is not an article
    index_dir: str | None = None  # where a large folder's archive index lives
    sphinx: Address | None = None  # a distributed Sphinx/Manticore index to retrieve through
    token_file: str | None = None  # None: the token is in $DISCORD_TOKEN
    invite_for: int | None = None  # an application ID: print its invite link, run nothing
    install_links: bool = False  # with invite_for: both install links, explained
    log_level: str = "INFO"
    guild_id: int | None = None  # sync the commands to this server only (instant; development)
    force_sync: bool = False
    sync_state: Path | None = None  # the last synced command set; None: sync at every start
    sharded: bool = False  # an AutoShardedBot, even with no count (Discord recommends one)
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None  # the shards this process runs (None: all)
    rate: int = 4  # questions per user ...
    per: float = 10.0  # ... per this many seconds
    clicks: int = 8  # button clicks per user per `per` seconds: a click is cheap, not free
    in_flight: int = 2  # a user's requests waiting for the worker at once; more are refused
    max_conversations: int = 4096
    db: str | None = None  # the feedback database; None: the default in the data directory
    log_asks: bool = True  # record questions and take votes (servers may still opt out)
    keep_days: float = DEFAULT_KEEP_DAYS
    articles_dir: Path | None = None  # servers' own articles; None: in the data directory
    # The privileged Message Content intent: auto-answer channels can then read messages
    # that do not mention the bot (a forum post's title is read without it).
    message_content: bool = False

    @property
    def runs_sharded(self) -> bool:
        return self.sharded or self.shard_count is not None or self.shard_ids is not None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> DiscordSettings:
        """The settings of `article-qa discord ARGS`; ValueError says what is wrong."""
        count, ids = args.shard_count, args.shard_ids
        invite = getattr(args, "action", None) == "invite"
        if invite and args.application is None:
            raise ValueError(
                "discord invite needs the application ID (Developer Portal > your "
                "application > General Information): article-qa discord invite APPLICATION_ID"
            )
        if not invite and getattr(args, "application", None) is not None:
            raise ValueError("an application ID goes after 'invite': article-qa discord invite ID")
        if ids is not None:
            if not isinstance(count, int):
                raise ValueError("--shard-ids needs --shard-count N, the number of shards in all")
            if len(set(ids)) != len(ids) or any(i >= count for i in ids):
                raise ValueError(f"--shard-ids must be distinct numbers from 0 to {count - 1}")
        return cls(
            corpus=args.corpus,
            retriever=args.retriever,
            semantic=args.semantic,
            strict=args.strict,
            index_dir=getattr(args, "index_dir", None),
            sphinx=_one_index(getattr(args, "sphinx", None)),
            token_file=args.token_file,
            invite_for=args.application if invite else args.invite_url,
            install_links=invite,
            log_level=args.log_level,
            guild_id=args.guild,
            force_sync=args.sync,
            sync_state=paths.sync_state_file(),
            sharded=count is not None,
            shard_count=count if isinstance(count, int) else None,
            shard_ids=tuple(ids) if ids else None,
            db=args.db,
            log_asks=not args.no_log,
            keep_days=args.keep_days,
            message_content=args.message_content,
        )


def _one_index(addresses: tuple[Address, ...] | None) -> Address | None:
    if addresses and len(addresses) > 1:
        raise ValueError("--sphinx takes one distributed index here (the shards are its agents)")
    return addresses[0] if addresses else None


def snowflake(value: str) -> int:
    """A Discord ID argument (a server, an application)."""
    if not value.isascii() or not value.isdigit() or not 15 <= len(value) <= 21:
        raise argparse.ArgumentTypeError(f"not a Discord ID (a long number): {value!r}")
    return int(value)


def _shard_count(value: str) -> int | str:
    if value == "auto":
        return value
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"a number of shards (1 or more) or 'auto', not {value!r}")
    return int(value)


def _shard_id(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"a shard number (0 or more), not {value!r}")
    return int(value)


def add_discord_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    corpus: argparse.ArgumentParser,
    logged: argparse.ArgumentParser,
) -> None:
    """`article-qa discord`'s options, which `DiscordSettings.from_args` reads."""
    bot = commands.add_parser(
        "discord",
        parents=[corpus, logged],
        help="run the Discord bot (token in DISCORD_TOKEN)",
        description='Run the Discord bot: /ask, /source, /article, /help, /config, "Ask the '
        'article" on a message, and answers to mentions and DMs. The token comes from the '
        "DISCORD_TOKEN environment variable or --token-file; it is never printed or logged. "
        "'article-qa discord invite APPLICATION_ID' prints the links that add the bot to a "
        "server or install it for yourself.",
    )
    bot.add_argument(
        "action",
        nargs="?",
        choices=["invite"],
        help="invite: print both install links (server, yourself) and what each allows, then exit",
    )
    bot.add_argument(
        "application",
        nargs="?",
        type=snowflake,
        metavar="APPLICATION_ID",
        help="with invite: your application's ID",
    )
    bot.add_argument(
        "--token-file", metavar="PATH", help="read the bot token from this file instead"
    )
    bot.add_argument(
        "--guild",
        type=snowflake,
        metavar="ID",
        help="register the commands on this server only: instant, for development",
    )
    bot.add_argument(
        "--sync",
        action="store_true",
        help="sync the slash commands now (default: only when they changed since the last sync)",
    )
    bot.add_argument(
        "--shard-count",
        type=_shard_count,
        metavar="N|auto",
        help="run sharded: N shards in all, or as many as Discord recommends",
    )
    bot.add_argument(
        "--shard-ids",
        type=_shard_id,
        nargs="+",
        metavar="ID",
        help="the shards this process runs (with --shard-count N; default all)",
    )
    bot.add_argument(
        "--message-content",
        action="store_true",
        help="ask Discord for the Message Content intent (turn it on in the Developer Portal "
        "first), so help channels named with /config are answered without a mention",
    )
    bot.add_argument(
        "--log-level",
        default="INFO",
        type=str.upper,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="default INFO",
    )
    bot.add_argument(
        "--invite-url",
        type=snowflake,
        metavar="APPLICATION_ID",
        help="print the link that adds the bot to a server, then exit",
    )
