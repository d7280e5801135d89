"""Soak the Discord bot: N /ask questions from many simulated users over SimCord, with a
share of Discord's responses failing by injection, and check that nobody is left without
an answer or an apology.

    python benchmarks/soak.py                 # 50,000 questions from 500 users, 5% failing
    python benchmarks/soak.py -n 2000 --json  # a quick run

A script, not a test: it takes minutes at full size and prints numbers. SimCord runs one
interaction at a time, so "acknowledgement" is the real time from a user's command to the
bot's first response (the "thinking…", or a private note), with the core answering in the
bot's worker thread as in production.

What the RSS figures hold. The process is the bot and the simulator together. SimCord
keeps every request, message, captured exception (with its frames) and id it allocated:
left for 500 questions at a time they raised RSS by 8 MB for good, and the ids alone grew
the heap 2.6 MB every 10,000 questions, so they are forgotten every 50.
The bot remembers, bounded, each person's conversation in each channel (their last reply,
for follow-ups; 500 users in 8 channels make 4,000): RSS and that count after a tenth and
half of the questions show the memory filling, and from half-way to `rss_end_mb` is the
steady state. The `bot_*` lines are the sizes of what the bot keeps at the end, including
discord.py's view store and message cache it feeds. `--tracemalloc 8` splits the Python
heap's growth in each half by the code that allocated it (bot, SimCord, other); tracing
inflates RSS and slows the run about fivefold.
The bot records every ask as in production, into a throwaway database.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from array import array
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

import discord
import simcord

from benchmarks.speed.common import QUESTIONS, LoopWatchdog, ms, percentile
from bot.discord import create_bot
from bot.discord.settings import DiscordSettings
from bot.render import words as render
from retrieval import QA

# Where an injected failure lands: the acknowledgement ("thinking…") or the answer after it.
FAULTS = ("/interactions/*/*/callback", "/webhooks/*/*")
EXTRA = ("What is the capital of France?", "hello", "What else?", "Who is its sheriff?")
TRIM_EVERY = 50


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


def trim(env: simcord.Env, setup_ids: set[int]) -> int:
    """Forget what the simulated Discord recorded, the bot's state left alone; the number
    of exceptions SimCord had captured from the bot (each with its frames) since last time.

    SimCord keeps every request, message and exception it saw: 500 questions of them
    raised the process's RSS by 8 MB for good (freed memory is not handed back), so they
    are forgotten every few dozen questions. It also keeps every id it ever allocated
    (2.6 MB more heap every 10,000 questions); it counts ids up per millisecond and never
    hands one out twice without that set, so only the ids of the guild, channels and
    users made at setup (`setup_ids`) are kept: the guard against a clash with them."""
    backend = env.backend
    backend._reserved_ids.intersection_update(setup_ids)
    backend.http_requests.clear()
    backend.transcript.clear()
    for store in backend.messages.values():
        store.clear()
    backend.interactions.clear()
    backend.interaction_tokens.clear()
    backend.faults.clear()  # a fault no request met: not carried over
    captured = len(env.errors)  # reading them acknowledges them: shutdown re-raises none
    # Private to SimCord, like _settle_internal: it offers no way to forget them.
    env._errors.clear()
    env._error_ids.clear()
    env._errors_acknowledged = 0
    return captured


def bot_state(bot: Any) -> dict[str, int]:
    """How much the bot remembers: its bounded memories and discord.py's stores it feeds."""
    cog = bot.article
    views = bot._connection._view_store  # discord.py's: buttons waiting for clicks
    return {
        "conversations": len(cog.conversations),
        "in_flight_users": len(cog.in_flight),
        "stored_views": len(views._views) + len(views._synced_message_views),
        "cached_messages": len(bot.cached_messages),
    }


def heap_by_owner(
    before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, label: str
) -> dict[str, float]:
    """Python heap growth in MB between two snapshots: allocated under the bot's code (a
    frame in bot/ or retrieval/), under SimCord's, or elsewhere (discord.py, asyncio)."""
    root = str(Path(__file__).resolve().parent.parent)
    ours = (f"{root}/bot/", f"{root}/retrieval/")
    growth: Counter[str] = Counter()
    for stat in after.compare_to(before, "traceback"):
        files = [frame.filename for frame in stat.traceback]
        if any(f.startswith(ours) for f in files):
            owner = "bot"
        elif any("/simcord/" in f for f in files):
            owner = "simcord"
        else:
            owner = "other"
        growth[owner] += stat.size_diff
    owners = ("bot", "simcord", "other")
    return {f"heap_{label}_{k}_mb": round(growth[k] / 2**20, 2) for k in owners}


async def soak(
    qa: QA, n: int, users: int, fail_rate: float, seed: int, frames: int = 0
) -> dict[str, Any]:
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
    acks = array("d")  # 50,000 floats: 0.4 MB, not a list's 1.6 MB in the RSS measured
    injected = errors = 0
    # RSS and the bot's conversations after a tenth and half of the questions: the bot's
    # bounded memory fills first; from half-way to the end is the steady state.
    checkpoints = {max(1, n // 10): "tenth", max(1, n // 2): "half"}
    marks: dict[str, Any] = {}
    try:
        guild = env.create_guild()
        channels = [guild.create_text_channel(f"room-{i}") for i in range(8)]
        people = [guild.add_member(env.create_user(f"user{i}")) for i in range(users)]
        await people[0].slash(channels[0], "ask", question=questions[0])  # warm-up
        setup_ids = set(env.backend._reserved_ids)  # the guild's, channels', users', roles'
        trim(env, setup_ids)
        if frames:
            tracemalloc.start(frames)
        gc.collect()
        heap = [tracemalloc.take_snapshot()] if frames else []  # at start, half-way, end
        rss_start = rss_mb()
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
                if (i + 1) % TRIM_EVERY == 0 or i + 1 in checkpoints:
                    errors += trim(env, setup_ids)
                if i + 1 in checkpoints:
                    label = checkpoints[i + 1]
                    marks[f"rss_{label}_mb"] = round(rss_mb(), 1)
                    marks[f"bot_conversations_{label}"] = len(bot.article.conversations)
                    if frames and label == "half":
                        gc.collect()
                        heap.append(tracemalloc.take_snapshot())
        errors += trim(env, setup_ids)
        elapsed = time.perf_counter() - started
        gc.collect()
        rss_end = rss_mb()
        growth = {}
        if frames:
            heap.append(tracemalloc.take_snapshot())
            tracemalloc.stop()
            growth.update(heap_by_owner(heap[0], heap[1], "first_half"))
            growth.update(heap_by_owner(heap[1], heap[2], "second_half"))
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
            **marks,
            "rss_end_mb": round(rss_end, 1),
            **growth,
            **{f"bot_{key}": value for key, value in bot_state(bot).items()},
            "loop_max_stall_ms": ms(watchdog.worst),
            "seconds": round(elapsed, 1),
        }
    finally:
        env.backend.faults.clear()
        await env.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50_000, help="questions (default 50,000)")
    parser.add_argument("--users", type=int, default=500, help="simulated users (default 500)")
    parser.add_argument("--fail-rate", type=float, default=0.05, help="default 0.05")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.add_argument(
        "--tracemalloc",
        type=int,
        default=0,
        metavar="FRAMES",
        help="also report the Python heap's growth by owner (bot, SimCord, other), tracing "
        "FRAMES frames per allocation: 8 is enough and makes the run about 5 times slower",
    )
    args = parser.parse_args(argv)
    handler = CountingHandler()
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("discord").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="soak-") as home:
        # The bot records every ask: into a throwaway database, never the user's own.
        os.environ["XDG_DATA_HOME"] = os.environ["XDG_STATE_HOME"] = home
        run = soak(QA.load(), args.n, args.users, args.fail_rate, args.seed, args.tracemalloc)
        report = asyncio.run(run)
    report["log_records"] = dict(handler.levels)
    if args.json:
        print(json.dumps(report))
    else:
        width = max(map(len, report))
        print("\n".join(f"{key:<{width}}  {value}" for key, value in report.items()))
    return 1 if report["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
