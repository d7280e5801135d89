"""The Discord bot's event loop while it answers /ask, driven offline through SimCord.

(Not named bot.py, so that `bot` always means the project's package.)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from .common import QUESTIONS, K, LoopWatchdog, ms, percentile, say, worker


def available() -> bool:
    """Whether SimCord and the Discord adapter can be imported here."""
    try:
        import simcord  # noqa: F401

        from bot.discord import create_bot  # noqa: F401
    except ImportError as error:
        say(f"bot loop skipped: {error}")
        return False
    return True


def bench_bot_loop(corpus: object) -> dict[str, Any]:
    """worker_bot in a fresh process; corpus "-" is the bundled article, without the cache."""
    return worker("bot", corpus)


async def _drive_bot(qa: Any, questions: Sequence[str]) -> dict[str, Any]:
    import simcord

    from bot.discord import create_bot
    from bot.discord.settings import DiscordSettings

    bot = create_bot(qa, DiscordSettings(rate=1_000_000))
    env = simcord.Env(bot)
    await env.start()
    try:
        guild = env.create_guild()
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        await alice.slash(channel, "ask", question=questions[0])  # warm-up
        walls = []
        with LoopWatchdog(asyncio.get_running_loop()) as watchdog:
            for question in questions:
                started = time.perf_counter()
                await alice.slash(channel, "ask", question=question)
                walls.append(time.perf_counter() - started)
        return {
            "questions": len(questions),
            "loop_max_stall_ms": ms(watchdog.worst),
            "command_p50_ms": ms(percentile(walls, 50)),
            "command_max_ms": ms(max(walls)),
        }
    finally:
        await env.shutdown()


def worker_bot(corpus: str) -> dict[str, Any]:
    from bot import paths
    from retrieval import QA

    qa = QA.load(
        None if corpus == "-" else corpus, cache_dir=paths.cache_dir() if corpus != "-" else None
    )
    inline = []
    for question in QUESTIONS:
        started = time.perf_counter()
        qa.ask(question, k=K)
        inline.append(time.perf_counter() - started)
    result = asyncio.run(_drive_bot(qa, list(QUESTIONS) * 3))
    return {
        "sentences": len(qa.sentences),
        "ask_inline_max_ms": ms(max(inline)),
        **result,
    }
