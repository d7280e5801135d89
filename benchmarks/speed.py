#!/usr/bin/env python3
"""Speed, start-up and memory of article-qa, with its peers measured side by side.

usage: python benchmarks/speed.py [--json] [--max-sentences N] [--corpus PATH]
                                  [--qa-sentences N] [--runtime-venv DIR | --no-runtime-venv]

Sections, all measured in this run on the same questions and corpora:
  article     QA.ask latency over fixed questions beside a naive pipeline (rank-bm25
              BM25Okapi over whitespace tokens, get_scores + sort), and index build time.
  cold start  `article-qa ask` as a new process, beside `python -c pass`, in this
              interpreter's environment and in a runtime-only one (see below).
  memory      peak RSS of an idle bot made by create_bot() (QA.load() if there is no bot).
  bot loop    the longest the bot's event loop went unresponsive while it answered slash
              commands (driven offline through SimCord), on the article and a larger corpus.
  scale       synthetic Zipf corpora of 1k..1M sentences (--max-sentences caps them):
              build time, memory and query latency of the project's BM25Index, rank-bm25's
              full scan and bm25s, each in its own process; and whether the project's top 10
              equal rank-bm25's (with the same Lucene IDF, k1 and b) for every query.
  real text   QA.load on the article repeated with variation, without and with the corpus
              cache, and QA.ask latency there.

Why a runtime-only environment too: the `bench` extra installs bm25s, which pulls in scipy,
and nltk's package import loads scipy wherever it is installed unless the project hides it
(retrieval/nltk_lazy.py). A user's `pip install article-qa` has no scipy, so cold start and
memory are measured in a venv with only the runtime dependencies as well as in this one; by
default the script creates it once under the cache directory (`pip install -e` of this
checkout, so it runs this code).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000, 100_000, 1_000_000)
SEED = 20240601
K = 3  # answers per question, the CLI's default
TOP = 10  # ranking depth compared with the reference at scale

# Zipf synthetic corpus: sentence lengths uniform in [4, 20] index terms, words drawn from a
# vocabulary of 100,000 with P(rank r) proportional to r^-1.1; queries are 5 words drawn
# from the same distribution (so common words are common in queries too).
ZIPF_VOCABULARY = 100_000
ZIPF_EXPONENT = 1.1
ZIPF_LENGTHS = (4, 20)
ZIPF_QUERY_TERMS = 5
ZIPF_QUERIES = 50

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


# --- Small helpers ------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process, in MiB (Linux)."""
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in {"VmRSS", "VmHWM"}:
                fields[name] = int(value.split()[0]) / 1024
    return round(fields.get("VmRSS", math.nan), 1), round(fields.get("VmHWM", math.nan), 1)


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
            if not answered.wait(5.0):
                self.worst = max(self.worst, time.perf_counter() - posted)
                continue
            self.worst = max(self.worst, time.perf_counter() - posted)
            self._stop.wait(self.interval)


def run_json(command: Sequence[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a worker and return the JSON object on its last output line."""
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker(*arguments: object, python: str | None = None) -> dict[str, Any]:
    command = [python or sys.executable, str(Path(__file__).resolve()), "--worker"]
    return run_json(command + [str(a) for a in arguments])


def say(text: str = "") -> None:
    print(text, file=sys.stderr, flush=True)


# --- Article: QA.ask beside a naive pipeline ---------------------------------------------


def bench_article(corpus: str | None, rounds: int) -> dict[str, Any]:
    import numpy as np
    from rank_bm25 import BM25Okapi

    from retrieval import QA
    from retrieval.analysis import analyse
    from retrieval.index import BM25Index

    started = time.perf_counter()
    QA.load(corpus)
    first_load = time.perf_counter() - started  # includes importing nltk for Punkt and stems
    started = time.perf_counter()
    qa = QA.load(corpus)
    load = time.perf_counter() - started
    terms = [analyse(s.text) for s in qa.sentences]  # what the QA indexed
    builds = []
    for _ in range(20):
        started = time.perf_counter()
        BM25Index(terms)
        builds.append(time.perf_counter() - started)

    texts = [s.text for s in qa.sentences]
    naive_model = BM25Okapi([t.split() for t in texts])

    def naive(question: str) -> list[str]:
        scores = naive_model.get_scores(question.split())
        return [texts[i] for i in np.argsort(scores)[::-1][:K]]

    for question in QUESTIONS:  # warm the stemmer's and the analysis' caches alike
        qa.ask(question, k=K)
        naive(question)
    project: list[float] = []
    baseline: list[float] = []
    for _ in range(rounds):
        for question in QUESTIONS:
            started = time.perf_counter()
            qa.ask(question, k=K)
            project.append(time.perf_counter() - started)
            started = time.perf_counter()
            naive(question)
            baseline.append(time.perf_counter() - started)
    return {
        "sentences": len(qa.sentences),
        "questions": len(QUESTIONS),
        "samples": len(project),
        "qa_first_load_ms": ms(first_load),
        "qa_load_ms": ms(load),
        "index_build_ms": ms(statistics.median(builds)),
        "ask_p50_ms": ms(percentile(project, 50)),
        "ask_p99_ms": ms(percentile(project, 99)),
        "naive_p50_ms": ms(percentile(baseline, 50)),
        "naive_p99_ms": ms(percentile(baseline, 99)),
    }


# --- Cold start and memory, in this environment and in a runtime-only one ---------------

PROBE = """
import io, json, sys, contextlib
from bot import cli
from retrieval import articles
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = cli.main(["ask", sys.argv[1]])
loaded = set(sys.modules)
print(json.dumps({
    "exit": code,
    "discord_imported": any(m == "discord" or m.startswith("discord.") for m in loaded),
    "nltk_imported": "nltk" in loaded,
    "scipy_imported": "scipy" in loaded,
    "punkt_used": articles._punkt.cache_info().currsize > 0,
}))
"""

MEMORY = """
import gc, json, sys
try:
    from bot.discord import create_bot
except ImportError:
    create_bot = None
if create_bot is not None:
    bot = create_bot()
    what = "create_bot()"
else:
    from retrieval import QA
    bot = QA.load()
    what = "QA.load()"
gc.collect()
fields = {}
for line in open("/proc/self/status"):
    name, _, value = line.partition(":")
    if name in ("VmRSS", "VmHWM"):
        fields[name] = round(int(value.split()[0]) / 1024, 1)
print(json.dumps({"what": what, "rss_mb": fields["VmRSS"], "peak_rss_mb": fields["VmHWM"]}))
"""


def runtime_venv(directory: Path, create: bool) -> Path | None:
    python = directory / "bin" / "python"
    marker = directory / ".article-qa-runtime"
    if python.exists() and marker.exists():
        return directory
    if not create:
        return None
    say(f"creating a runtime-only venv in {directory} (once; pip install -e {ROOT}) ...")
    try:
        shutil.rmtree(directory, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(directory)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-e", str(ROOT)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        marker.write_text("runtime dependencies only, for benchmarks/speed.py\n")
        return directory
    except (OSError, subprocess.CalledProcessError) as error:
        say(f"could not create the runtime venv ({error}); measuring this environment only")
        return None


def wall(command: Sequence[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - started


def bench_cold_start(bin_dir: Path, runs: int) -> dict[str, Any]:
    python = str(bin_dir / "python")
    script = str(bin_dir / "article-qa")
    with tempfile.TemporaryDirectory(prefix="article-qa-bench-") as scratch:
        env = {**os.environ, "ARTICLE_QA_CACHE_DIR": str(Path(scratch) / "warm")}
        ask = [script, "ask", COLD_QUESTION]
        wall(ask, env)  # fills the corpus cache, as any earlier run would have
        passes = [wall([python, "-c", "pass"], env) for _ in range(runs)]
        warm = [wall(ask, env) for _ in range(runs)]
        cold = []
        for run in range(runs):
            fresh = {**env, "ARTICLE_QA_CACHE_DIR": str(Path(scratch) / f"cold{run}")}
            cold.append(wall(ask, fresh))
        probe = run_json([python, "-c", PROBE, COLD_QUESTION], env)
        has_scipy = (
            subprocess.run(
                [
                    python,
                    "-c",
                    "import importlib.util as u; print(u.find_spec('scipy') is not None)",
                ],
                capture_output=True,
                text=True,
                env=env,
            ).stdout.strip()
            == "True"
        )
        memory = run_json([python, "-c", MEMORY], env)
    return {
        "python": python,
        "scipy_installed": has_scipy,
        "runs": runs,
        "python_pass_s": round(statistics.median(passes), 3),
        "ask_warm_cache_s": round(statistics.median(warm), 3),
        "ask_empty_cache_s": round(statistics.median(cold), 3),
        **probe,
        "idle": memory,
    }


# --- The bot's event loop while it answers ----------------------------------------------


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


# --- Scale: synthetic Zipf corpora --------------------------------------------------------


def zipf_corpus(size: int) -> tuple[list[list[str]], list[list[str]]]:
    import numpy as np

    rng = np.random.default_rng(SEED)
    weights = 1.0 / np.arange(1, ZIPF_VOCABULARY + 1) ** ZIPF_EXPONENT
    weights /= weights.sum()
    vocabulary = [f"w{rank}" for rank in range(ZIPF_VOCABULARY)]
    queries = rng.choice(ZIPF_VOCABULARY, size=(ZIPF_QUERIES, ZIPF_QUERY_TERMS), p=weights)
    lengths = rng.integers(ZIPF_LENGTHS[0], ZIPF_LENGTHS[1] + 1, size).tolist()
    words = [vocabulary[i] for i in rng.choice(ZIPF_VOCABULARY, sum(lengths), p=weights).tolist()]
    documents, start = [], 0
    for length in lengths:
        documents.append(words[start : start + length])
        start += length
    return documents, [[vocabulary[i] for i in q] for q in queries.tolist()]


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
    settle()
    before, _ = rss_mb()
    started = time.perf_counter()
    yield
    result[f"{name}_s"] = round(time.perf_counter() - started, 3)
    settle()
    after, peak = rss_mb()
    result["memory_mb"] = round(after - before, 1)
    result["peak_rss_mb"] = peak


def worker_scale(system: str, size: int, queries_wanted: int) -> dict[str, Any]:
    import numpy as np

    documents, queries = zipf_corpus(size)
    queries = queries[:queries_wanted]
    result: dict[str, Any] = {"system": system, "sentences": size, "queries": len(queries)}
    search: Callable[[list[str]], list[int]]
    if system == "project":
        from retrieval.index import BM25Index

        with measured(result, "build"):
            index = BM25Index(documents)

        def search(query: list[str]) -> list[int]:
            return [hit.doc for hit in index.search(query, TOP)]

    elif system == "rank-bm25":
        from retrieval.index import K1, B, LuceneBM25

        with measured(result, "build"):
            model = LuceneBM25(documents, k1=K1, b=B)

        def search(query: list[str]) -> list[int]:
            scores = model.get_scores(query)
            order = np.argsort(-scores, kind="stable")[:TOP]
            return [int(i) for i in order if scores[i] > 0]

    elif system == "bm25s":
        import bm25s

        from retrieval.index import K1, B

        with measured(result, "build"):
            model = bm25s.BM25(method="lucene", k1=K1, b=B)
            model.index(documents, show_progress=False)

        def search(query: list[str]) -> list[int]:
            found, scores = model.retrieve(
                [query], k=min(TOP, size), show_progress=False, n_threads=1
            )
            return [int(d) for d, s in zip(found[0], scores[0], strict=True) if s > 0]

    else:
        raise SystemExit(f"unknown system {system}")
    del documents
    rounds = 3 if system != "rank-bm25" else 1
    for query in queries[:5]:
        search(query)
    latencies, tops = [], []
    for round_ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            top = search(query)
            latencies.append(time.perf_counter() - started)
            if round_ == 0:
                tops.append(top)
    result.update(
        query_p50_ms=ms(percentile(latencies, 50)),
        query_p99_ms=ms(percentile(latencies, 99)),
        tops=tops,
    )
    if system == "project":
        result["loop_max_stall_ms"] = ms(asyncio.run(_stall_while(search, queries)))
    return result


async def _stall_while(search: Callable[[list[str]], Any], queries: list[list[str]]) -> float:
    """How long the loop stalls while queries run in an executor, as the bot runs them."""
    loop = asyncio.get_running_loop()
    with LoopWatchdog(loop) as watchdog:
        for query in queries:
            await loop.run_in_executor(None, search, query)
    return watchdog.worst


def bench_scale(sizes: Sequence[int], peers: Sequence[str]) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        say(f"scale: {size:,} sentences ...")
        results = {}
        for system in ("project", *peers):
            # A full scan costs ~1 s per query at 1M sentences: fewer queries there.
            wanted = ZIPF_QUERIES if system != "rank-bm25" or size < 100_000 else 20
            results[system] = worker("scale", system, size, wanted)
        project = results["project"]
        reference = results.get("rank-bm25")
        row = {"sentences": size, "project": project, **{p: results[p] for p in peers}}
        if reference is not None:
            compared = len(reference["tops"])
            row["top10_equal_reference"] = project["tops"][:compared] == reference["tops"]
            row["top10_compared"] = compared
        if "bm25s" in results:
            pairs = zip(project["tops"], results["bm25s"]["tops"], strict=False)
            overlaps = [len(set(a) & set(b)) / max(1, len(a)) for a, b in pairs]
            row["bm25s_top10_overlap"] = round(statistics.mean(overlaps), 3)
        for system in results.values():
            system.pop("tops")
        rows.append(row)
    return rows


# --- Real text: the article repeated with variation, through the whole QA ---------------


def varied_corpus(folder: Path, sentences: int, source: str | None) -> int:
    """Copies of the article with some words swapped and numbers changed; returns files."""
    from retrieval.articles import bundled_article_path, load_articles

    base = Path(source) if source else bundled_article_path()
    text = base.read_text(encoding="utf-8")
    per_copy = sum(len(a.sentences) for a in load_articles(base))
    words = sorted(set(re.findall(r"[A-Za-z]{4,}", text)))
    rng = random.Random(SEED)
    copies = max(1, math.ceil(sentences / per_copy))

    def vary(match: re.Match[str]) -> str:
        token = match.group()
        if token.isdigit():
            return str(rng.randint(1, 9999))
        return rng.choice(words) if rng.random() < 0.2 else token

    for number in range(copies):
        variant = re.sub(r"[A-Za-z]{4,}|\d+", vary, text)
        (folder / f"copy-{number:06d}.txt").write_text(variant, encoding="utf-8")
    return copies


def worker_qa(folder: str, mode: str) -> dict[str, Any]:
    """One QA.load in a fresh process (no cache, filling it, or from it), then questions."""
    from bot import paths
    from retrieval import QA

    settle()
    before, _ = rss_mb()
    started = time.perf_counter()
    qa = QA.load(folder, cache_dir=paths.cache_dir() if mode != "none" else None)
    result: dict[str, Any] = {"load_s": round(time.perf_counter() - started, 2)}
    settle()
    result["sentences"] = len(qa.sentences)
    result["qa_memory_mb"] = round(rss_mb()[0] - before, 1)
    for question in QUESTIONS:
        qa.ask(question, k=K)
    latencies = []
    for _ in range(3):
        for question in QUESTIONS:
            started = time.perf_counter()
            qa.ask(question, k=K)
            latencies.append(time.perf_counter() - started)
    result["ask_p50_ms"] = ms(percentile(latencies, 50))
    result["ask_p99_ms"] = ms(percentile(latencies, 99))
    result["peak_rss_mb"] = rss_mb()[1]
    return result


def bench_real_text(folder: Path, files: int) -> dict[str, Any]:
    empty, filled, warm = (worker("qa", folder, mode) for mode in ("none", "fill", "warm"))
    return {
        "files": files,
        "sentences": warm["sentences"],
        "load_no_cache_s": empty["load_s"],
        "load_filling_cache_s": filled["load_s"],
        "load_warm_cache_s": warm["load_s"],
        "ask_p50_ms": warm["ask_p50_ms"],
        "ask_p99_ms": warm["ask_p99_ms"],
        "qa_memory_mb": warm["qa_memory_mb"],
        "peak_rss_mb": warm["peak_rss_mb"],
    }


# --- Report -------------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def targets(report: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    checks: list[tuple[str, str, bool | None]] = []
    article = report["article"]
    checks.append(
        (
            "QA.ask p50 <= 0.3 ms and <= naive",
            f"{article['ask_p50_ms']} ms vs naive {article['naive_p50_ms']} ms",
            article["ask_p50_ms"] <= 0.3 and article["ask_p50_ms"] <= article["naive_p50_ms"],
        )
    )
    for name, cold in report["cold_start"].items():
        checks.append(
            (
                f"cold start <= 0.8 s ({name})",
                f"{cold['ask_warm_cache_s']} s (python -c pass {cold['python_pass_s']} s)",
                cold["ask_warm_cache_s"] <= 0.8 and not cold["discord_imported"],
            )
        )
        checks.append(
            (
                f"idle RSS <= 150 MB ({name}, {cold['idle']['what']})",
                f"{cold['idle']['peak_rss_mb']} MB peak",
                cold["idle"]["peak_rss_mb"] <= 150,
            )
        )
    for row in report["scale"]:
        project = row["project"]
        if row["sentences"] == 100_000:
            full = row.get("rank-bm25", {}).get("query_p50_ms")
            peer = row.get("bm25s", {}).get("query_p50_ms")
            ok = project["query_p50_ms"] <= 5 and project["build_s"] <= 10
            ok = ok and (full is None or full >= 10 * project["query_p50_ms"])
            ok = ok and (peer is None or project["query_p50_ms"] <= 1.5 * peer)
            checks.append(
                (
                    "100k: p50 <= 5 ms, >= 10x rank-bm25, <= 1.5x bm25s, build <= 10 s",
                    f"{project['query_p50_ms']} ms (rank-bm25 {full}, bm25s {peer}); "
                    f"build {project['build_s']} s",
                    ok,
                )
            )
        if "top10_equal_reference" in row:
            checks.append(
                (
                    f"{row['sentences']:,}: top 10 == rank-bm25 reference",
                    f"{row['top10_compared']} queries",
                    row["top10_equal_reference"],
                )
            )
    stalls = [b["loop_max_stall_ms"] for b in report["bot_loop"].values()]
    stalls += [row["project"]["loop_max_stall_ms"] for row in report["scale"]]
    if stalls:
        checks.append(("event loop stall <= 50 ms", f"max {max(stalls)} ms", max(stalls) <= 50))
    return checks


def print_report(report: dict[str, Any]) -> None:
    m = report["machine"]
    print(
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, "
        f"Python {m['python']}, numpy {m['numpy']}"
    )
    a = report["article"]
    print(
        f"\nArticle ({a['sentences']} sentences, {a['questions']} questions x "
        f"{a['samples'] // a['questions']} rounds, k={K}); QA.load {a['qa_load_ms']} ms "
        f"({a['qa_first_load_ms']} ms the first time, with imports), "
        f"index build {a['index_build_ms']} ms"
    )
    print(
        table(
            ["pipeline", "p50 ms", "p99 ms"],
            [
                ["QA.ask (all features)", a["ask_p50_ms"], a["ask_p99_ms"]],
                [
                    "naive rank-bm25 (split + get_scores + sort)",
                    a["naive_p50_ms"],
                    a["naive_p99_ms"],
                ],
            ],
        )
    )
    print(
        f'\nCold start: `article-qa ask "{COLD_QUESTION}"`, median wall of '
        f"{next(iter(report['cold_start'].values()))['runs']} runs; idle memory of the bot"
    )
    print(
        table(
            [
                "environment",
                "python -c pass s",
                "ask s (warm cache)",
                "ask s (empty cache)",
                "discord",
                "nltk",
                "punkt",
                "idle RSS MB (peak)",
            ],
            [
                [
                    name,
                    c["python_pass_s"],
                    c["ask_warm_cache_s"],
                    c["ask_empty_cache_s"],
                    "imported" if c["discord_imported"] else "no",
                    "imported" if c["nltk_imported"] else "no",
                    "used" if c["punkt_used"] else "not needed",
                    f"{c['idle']['rss_mb']} ({c['idle']['peak_rss_mb']}) {c['idle']['what']}",
                ]
                for name, c in report["cold_start"].items()
            ],
        )
    )
    if report["bot_loop"]:
        print(
            "\nDiscord bot driven through SimCord (/ask slash commands; answering runs in "
            "the bot's worker thread)"
        )
        print(
            table(
                [
                    "corpus",
                    "sentences",
                    "questions",
                    "loop max stall ms",
                    "command p50 ms",
                    "ask inline max ms",
                ],
                [
                    [
                        name,
                        b["sentences"],
                        b["questions"],
                        b["loop_max_stall_ms"],
                        b["command_p50_ms"],
                        b["ask_inline_max_ms"],
                    ]
                    for name, b in report["bot_loop"].items()
                ],
            )
        )
    print(
        f"\nScale: synthetic Zipf corpus (vocabulary {ZIPF_VOCABULARY:,}, exponent "
        f"{ZIPF_EXPONENT}, {ZIPF_LENGTHS[0]}-{ZIPF_LENGTHS[1]} terms per sentence, "
        f"{ZIPF_QUERY_TERMS}-term Zipf queries, seed {SEED}); top {TOP}; each system in its "
        "own process; memory = RSS retained by the built index"
    )
    rows = []
    for row in report["scale"]:
        for system in ("project", "rank-bm25", "bm25s"):
            if system not in row:
                continue
            s = row[system]
            check = ""
            if system == "project":
                check = {True: "top10 == reference", False: "top10 DIFFERS"}.get(
                    row.get("top10_equal_reference"), ""
                )
            elif system == "bm25s":
                check = f"top10 overlap {row.get('bm25s_top10_overlap')}"
            rows.append(
                [
                    f"{row['sentences']:,}",
                    system,
                    s["build_s"],
                    s["memory_mb"],
                    s["query_p50_ms"],
                    s["query_p99_ms"],
                    s["queries"],
                    s.get("loop_max_stall_ms", ""),
                    check,
                ]
            )
    print(
        table(
            [
                "sentences",
                "system",
                "build s",
                "memory MB",
                "p50 ms",
                "p99 ms",
                "queries",
                "loop stall ms",
                "check",
            ],
            rows,
        )
    )
    if report["real_text"]:
        r = report["real_text"]
        print(
            f"\nReal text: the article repeated with variation ({r['files']} files, "
            f"{r['sentences']:,} sentences), full QA, each load in a new process"
        )
        print(
            table(
                [
                    "QA.load no cache s",
                    "filling cache s",
                    "warm cache s",
                    "ask p50 ms",
                    "ask p99 ms",
                    "QA memory MB",
                    "peak RSS MB",
                ],
                [
                    [
                        r["load_no_cache_s"],
                        r["load_filling_cache_s"],
                        r["load_warm_cache_s"],
                        r["ask_p50_ms"],
                        r["ask_p99_ms"],
                        r["qa_memory_mb"],
                        r["peak_rss_mb"],
                    ]
                ],
            )
        )
    print("\nTargets")
    print(
        table(
            ["target", "measured", "met"],
            [
                [name, value, {True: "yes", False: "NO", None: "-"}[ok]]
                for name, value, ok in report["targets"]
            ],
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument(
        "--max-sentences",
        type=int,
        default=100_000,
        metavar="N",
        help="largest synthetic corpus (default 100000; 1000000 adds 1M)",
    )
    parser.add_argument("--corpus", metavar="PATH", help="article(s) for the article section")
    parser.add_argument(
        "--qa-sentences",
        type=int,
        default=10_000,
        metavar="N",
        help="size of the real-text QA corpus (0: skip; default 10000)",
    )
    parser.add_argument("--rounds", type=int, default=50, help="rounds over the questions")
    parser.add_argument("--runs", type=int, default=7, help="process starts per measurement")
    parser.add_argument(
        "--runtime-venv",
        type=Path,
        metavar="DIR",
        help="runtime-only venv (default: created once in the cache dir)",
    )
    parser.add_argument(
        "--no-runtime-venv", action="store_true", help="measure cold start in this environment only"
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, *rest = args.worker
        if kind == "scale":
            result = worker_scale(rest[0], int(rest[1]), int(rest[2]))
        elif kind == "qa":
            result = worker_qa(rest[0], rest[1])
        elif kind == "bot":
            result = worker_bot(rest[0])
        else:
            raise SystemExit(f"unknown worker {kind}")
        print(json.dumps(result))
        return 0

    from bot.paths import cache_dir

    report: dict[str, Any] = {"machine": machine()}
    say("article ...")
    report["article"] = bench_article(args.corpus, args.rounds)

    say("cold start and memory ...")
    environments = {"this venv": Path(sys.executable).parent}
    if not args.no_runtime_venv:
        venv = runtime_venv(args.runtime_venv or cache_dir() / "bench-runtime-venv", create=True)
        if venv is not None:
            environments = {"runtime-only venv": venv / "bin", **environments}
    report["cold_start"] = {
        name: bench_cold_start(bin_dir, args.runs) for name, bin_dir in environments.items()
    }

    with tempfile.TemporaryDirectory(prefix="article-qa-bench-") as scratch:
        folder = Path(scratch) / "archive"
        folder.mkdir()
        files = varied_corpus(folder, args.qa_sentences, args.corpus) if args.qa_sentences else 0
        os.environ["ARTICLE_QA_CACHE_DIR"] = str(Path(scratch) / "cache")
        report["bot_loop"] = {}
        try:
            import simcord  # noqa: F401

            from bot.discord import create_bot  # noqa: F401
        except ImportError as error:
            say(f"bot loop skipped: {error}")
        else:
            say("bot loop ...")
            report["bot_loop"]["article"] = worker("bot", args.corpus or "-")
        report["real_text"] = {}
        if files:
            say(f"real text: {args.qa_sentences:,} sentences ...")
            report["real_text"] = bench_real_text(folder, files)
            if report["bot_loop"]:
                report["bot_loop"]["varied archive"] = worker("bot", folder)

    try:
        import bm25s  # noqa: F401

        peers = ["rank-bm25", "bm25s"]
    except ImportError:
        say("bm25s not installed (pip install -e '.[bench]'): scale rows without it")
        peers = ["rank-bm25"]
    report["scale"] = bench_scale([s for s in SIZES if s <= args.max_sentences], peers)
    report["targets"] = targets(report)
    print_report(report)
    if args.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
