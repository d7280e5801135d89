"""Soak the Discord bot: N /ask questions from many simulated users over SimCord, with a
share of Discord's responses failing by injection, and check that nobody is left without
an answer or an apology.

    python benchmarks/soak.py                 # 50,000 questions from 500 users, 5% failing
    python benchmarks/soak.py -n 2000 --json  # a quick run

A script, not a test: it takes minutes at full size and prints numbers. SimCord runs one
interaction at a time, so "acknowledgement" is the real time from a user's command to the
bot's first response (the "thinking…", or a private note), with the core answering in the
bot's worker thread as in production. The simulator's own records (every request and
message it saw) are trimmed as the run goes, so the RSS figures are mostly the bot's.
Mostly: tracemalloc between questions 8,000 and 20,000 (no failures) found 2.8 MB more
Python heap, 2.4 MB of it SimCord's backend and none of it the bot's, whose only growth is
its bounded memory of answered messages filling up in the first few thousand questions;
with failures, SimCord also keeps every reported exception (env.errors) with its frames.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

import discord
import simcord

from benchmarks.speed.common import QUESTIONS, LoopWatchdog, ms, percentile
from bot import render
from bot.discord import create_bot
from bot.discord.settings import DiscordSettings
from retrieval import QA

# Where an injected failure lands: the acknowledgement ("thinking…") or the answer after it.
FAULTS = ("/interactions/*/*/callback", "/webhooks/*/*")
EXTRA = ("What is the capital of France?", "hello", "What else?", "Who is its sheriff?")
TRIM_EVERY = 500


def rss_mb() -> float:
    """The process's resident memory now (Linux /proc), else its peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class FirstResponse:
    """When the bot first responded to the interaction under way (real time)."""

    def __init__(self) -> None:
        self.at: float | None = None
        self._defer = discord.InteractionResponse.defer
        self._send = discord.InteractionResponse.send_message

    def install(self) -> None:
        recorder = self

        async def defer(response: Any, *args: Any, **kwargs: Any) -> Any:
            recorder.at = recorder.at or time.perf_counter()
            return await recorder._defer(response, *args, **kwargs)

        async def send_message(response: Any, *args: Any, **kwargs: Any) -> Any:
            recorder.at = recorder.at or time.perf_counter()
            return await recorder._send(response, *args, **kwargs)

        discord.InteractionResponse.defer = defer  # type: ignore[method-assign]
        discord.InteractionResponse.send_message = send_message  # type: ignore[method-assign]


class CountingHandler(logging.Handler):
    """Counts the bot's log records by level, printing none (thousands of injected tracebacks)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.levels: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.levels[record.levelname] += 1


def outcome(result: simcord.InteractionResult) -> str:
    """What the user saw: an answer, an apology, a note (busy, slow down), or nothing."""
    messages = [m for m in (result.response, *result.followups) if m is not None]
    if any(m.embeds for m in messages):
        return "answered"
    contents = [m.content for m in messages]
    if render.APOLOGY in contents:
        return "apologised"
    if contents:
        return "told"  # a private note: busy, or slow down
    return "lost"


def _poll_faster(env: simcord.Env) -> None:
    """SimCord checks on the bot's worker thread every 50 ms while it answers; at 2 ms a
    50,000-question run takes minutes, not most of an hour. (A private knob of SimCord's:
    without it the run is slower, not different.)"""
    settle = env._settle_internal

    async def quick(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("idle", 0.002)
        return await settle(*args, **kwargs)

    env._settle_internal = quick  # type: ignore[method-assign]


def trim(env: simcord.Env) -> None:
    """Forget what the simulated Discord recorded; the bot's state is left alone."""
    backend = env.backend
    backend.http_requests.clear()
    backend.transcript.clear()
    for store in backend.messages.values():
        store.clear()
    backend.interactions.clear()
    backend.interaction_tokens.clear()


async def soak(qa: QA, n: int, users: int, fail_rate: float, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    questions = [*QUESTIONS, *EXTRA]
    # Limits off: this measures answering and failure handling, not the rate limiter.
    settings = DiscordSettings(rate=10**9, clicks=10**9)
    bot = create_bot(qa, settings)
    env = simcord.Env(bot)
    _poll_faster(env)
    first = FirstResponse()
    first.install()
    await env.start()
    counts: Counter[str] = Counter()
    acks: list[float] = []
    injected = errors = 0
    try:
        guild = env.create_guild()
        channels = [guild.create_text_channel(f"room-{i}") for i in range(8)]
        people = [guild.add_member(env.create_user(f"user{i}")) for i in range(users)]
        await people[0].slash(channels[0], "ask", question=questions[0])  # warm-up
        trim(env)
        gc.collect()
        rss_start = rss_mb()
        cursor = env.error_cursor
        started = time.perf_counter()
        with LoopWatchdog(asyncio.get_running_loop()) as watchdog:
            for i in range(n):
                if rng.random() < fail_rate:
                    env.inject_error("POST", rng.choice(FAULTS), status=500)
                    injected += 1
                first.at = None
                sent = time.perf_counter()
                result = await rng.choice(people).slash(
                    rng.choice(channels), "ask", question=rng.choice(questions)
                )
                if result.acknowledged:
                    counts["acknowledged"] += 1
                if first.at is not None:
                    acks.append(first.at - sent)
                counts[outcome(result)] += 1
                if (i + 1) % TRIM_EVERY == 0:
                    errors += len(env.errors_since(cursor))
                    cursor = env.error_cursor
                    env.backend.faults.clear()  # a fault no request met: not carried over
                    trim(env)
        errors += len(env.errors_since(cursor))
        elapsed = time.perf_counter() - started
        gc.collect()
        rss_end = rss_mb()
        env.raise_errors  # noqa: B018 (read, so that shutdown does not re-raise them)
        return {
            "questions": n,
            "users": users,
            "injected_failures": injected,
            "acknowledged": counts["acknowledged"],
            "answered": counts["answered"],
            "apologised": counts["apologised"],
            "told": counts["told"],
            "lost": counts["lost"],
            "errors_reported": errors,
            "ack_p50_ms": ms(percentile(acks, 50)),
            "ack_p99_ms": ms(percentile(acks, 99)),
            "rss_start_mb": round(rss_start, 1),
            "rss_end_mb": round(rss_end, 1),
            "loop_max_stall_ms": ms(watchdog.worst),
            "seconds": round(elapsed, 1),
        }
    finally:
        env.backend.faults.clear()
        _ = env.errors  # acknowledged: they are the injected ones, counted above
        await env.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50_000, help="questions (default 50,000)")
    parser.add_argument("--users", type=int, default=500, help="simulated users (default 500)")
    parser.add_argument("--fail-rate", type=float, default=0.05, help="default 0.05")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args(argv)
    handler = CountingHandler()
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("discord").setLevel(logging.WARNING)
    report = asyncio.run(soak(QA.load(), args.n, args.users, args.fail_rate, args.seed))
    report["log_records"] = dict(handler.levels)
    if args.json:
        print(json.dumps(report))
    else:
        width = max(map(len, report))
        print("\n".join(f"{key:<{width}}  {value}" for key, value in report.items()))
    return 1 if report["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
