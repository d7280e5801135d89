"""What every section shares: the questions, timing and memory helpers, worker processes.

Only the standard library is imported here (numpy on demand): worker processes import this
module before they measure, and their peak RSS should show the system under test.
"""

from __future__ import annotations

import asyncio
import gc
import json
import math
import os
import platform
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]  # the checkout: workers run from here
SEED = 20240601
K = 3  # answers per question, the CLI's default

QUESTIONS = (
    "Who is the sheriff?",
    "Who is Sally Hernandez?",
    "What did Jeff Sessions announce?",
    "Where is Austin?",
    "How much money did Travis County lose?",
    "What are sanctuary cities?",
    "Who is Domenic Powell?",
    "What does ICE do?",
    "What did Trump promise during his campaign?",
    "Which grants could be withheld?",
    "Who is Eddie Rodriguez?",
    "What programs could the county cut?",
    "What is a detainer request?",
    "Why do police not cooperate with ICE?",
    "What did the Justice Department say?",
    "What happened at the White House press briefing?",
    "Which cities refuse to cooperate?",
    "What is the capital of France?",
    "How many immigrants were deported?",
    "What did the attorney general urge states to do?",
)
COLD_QUESTION = "Who is the sheriff?"


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def ask_times(qa: Any, questions: list[str]) -> list[float]:
    """The wall time of `qa.ask` for each question, in order."""
    times = []
    for question in questions:
        started = time.perf_counter()
        qa.ask(question)
        times.append(time.perf_counter() - started)
    return times


def latencies(qa: Any, questions: list[str]) -> dict[str, float]:
    """p50 and p99 of `qa.ask` over `questions` (three rounds), after one warming round as a
    running bot would have had."""
    for question in questions:
        qa.ask(question)
    times = ask_times(qa, questions * 3)
    return {
        "p50_ms": round(ms(percentile(times, 50)), 2),
        "p99_ms": round(ms(percentile(times, 99)), 2),
    }


def say(text: str = "") -> None:
    print(text, file=sys.stderr, flush=True)


def cache_dir() -> Path:
    """The user's article-qa cache folder, as the app finds it (for the runtime venv)."""
    from bot import paths  # here, not at the top: workers import this module too

    return paths.cache_dir()


# --- Memory -------------------------------------------------------------------------------


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process, in MiB (Linux)."""
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in {"VmRSS", "VmHWM"}:
                fields[name] = int(value.split()[0]) / 1024
    return round(fields.get("VmRSS", math.nan), 1), round(fields.get("VmHWM", math.nan), 1)


def settle() -> None:
    """Collect garbage and hand freed heap back to the OS, so RSS shows what is kept."""
    gc.collect()
    try:
        import ctypes

        # glibc keeps freed blocks (its mmap threshold grows after large frees): a build's
        # temporaries would otherwise count as the index's memory.
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


@contextmanager
def measured(result: dict[str, Any], name: str) -> Iterator[None]:
    """Time the block into result[f"{name}_s"], and the RSS it kept into memory_mb."""
    settle()
    before, _ = rss_mb()
    started = time.perf_counter()
    yield
    result[f"{name}_s"] = round(time.perf_counter() - started, 3)
    settle()
    after, peak = rss_mb()
    result["memory_mb"] = round(after - before, 1)
    result["peak_rss_mb"] = peak


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            names = re.findall(r"^model name\s*:\s*(.+)$", info.read(), re.MULTILINE)
            cpu = names[0] if names else cpu
    except OSError:
        pass
    memory = math.nan
    try:
        with open("/proc/meminfo") as info:
            memory = round(int(info.readline().split()[1]) / 1024**2, 1)
    except OSError:
        pass
    import numpy

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": numpy.__version__,
    }


# --- The event loop -----------------------------------------------------------------------


class LoopWatchdog:
    """The longest the event loop took to run a callback posted from another thread.

    That delay is how long a Discord heartbeat or another user's command would have waited.
    It uses real time (SimCord's clock is virtual) and a separate thread.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, interval: float = 0.002):
        self.loop, self.interval = loop, interval
        self.worst = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LoopWatchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            answered = threading.Event()
            posted = time.perf_counter()
            self.loop.call_soon_threadsafe(answered.set)
            # Waited in slices: once the watched code leaves the `with`, its thread blocks in
            # __exit__'s join and never runs the callback; that wait is no stall of the bot's,
            # and counting it reported the whole timeout (5 s) as the longest stall.
            while not answered.wait(0.05):
                if self._stop.is_set() or time.perf_counter() - posted > 5.0:
                    break
            if answered.is_set() or not self._stop.is_set():
                self.worst = max(self.worst, time.perf_counter() - posted)
            self._stop.wait(self.interval)


# --- Processes ----------------------------------------------------------------------------


def run_json(command: Sequence[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a worker and return the JSON object on its last output line."""
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker(*arguments: object, python: str | None = None) -> dict[str, Any]:
    """`python -m benchmarks.speed --worker ARGUMENTS...` in a fresh process, from ROOT."""
    command = [python or sys.executable, "-m", "benchmarks.speed", "--worker"]
    return run_json(command + [str(a) for a in arguments])
