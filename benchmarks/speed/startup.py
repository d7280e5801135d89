"""Cold start and idle memory of fresh processes, here and in a runtime-only venv."""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .common import COLD_QUESTION, ROOT, cache_dir, run_json, say

# What `article-qa ask` loaded. punkt_used reads a private cache of retrieval.articles:
# null when that is renamed (the report shows "?"), rather than failing the run.
PROBE = """
import io, json, sys, contextlib
from bot import cli
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = cli.main(["ask", sys.argv[1]])
loaded = set(sys.modules)
try:
    from retrieval.text import sentence_split
    punkt_used = sentence_split._punkt.cache_info().currsize > 0
except (ImportError, AttributeError):
    punkt_used = None
print(json.dumps({
    "exit": code,
    "discord_imported": any(m == "discord" or m.startswith("discord.") for m in loaded),
    "nltk_imported": "nltk" in loaded,
    "scipy_imported": "scipy" in loaded,
    "punkt_used": punkt_used,
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

HAS_SCIPY = "import importlib.util as u; print(u.find_spec('scipy') is not None)"


def runtime_venv(directory: Path, create: bool) -> Path | None:
    python = directory / "bin" / "python"
    marker = directory / ".article-qa-runtime"
    # Made for this checkout and these dependencies: another checkout's, or one older than
    # a new dependency, would measure other code.
    made_for = f"{ROOT}\n{hashlib.sha256((ROOT / 'pyproject.toml').read_bytes()).hexdigest()}\n"
    if python.exists() and marker.exists() and marker.read_text() == made_for:
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
        marker.write_text(made_for)
        return directory
    except (OSError, subprocess.CalledProcessError) as error:
        say(f"could not create the runtime venv ({error}); measuring this environment only")
        return None


def environments(venv: Path | None, use_venv: bool) -> dict[str, Path]:
    """The bin folders to measure: a runtime-only venv (default: in the cache dir), this one."""
    found = {"this venv": Path(sys.executable).parent}
    if use_venv:
        directory = runtime_venv(venv or cache_dir() / "bench-runtime-venv", create=True)
        if directory is not None:
            found = {"runtime-only venv": directory / "bin", **found}
    return found


def wall(command: Sequence[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - started


# A fresh process whose one child is the command: its children's peak is the command's own.
_PEAK = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_rss_mb(command: Sequence[str], env: dict[str, str]) -> float:
    """The peak resident memory of `command` run to its end, in MB (Linux: KB counted)."""
    found = subprocess.run(
        [sys.executable, "-c", _PEAK, *command],
        check=True,
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return round(int(found.stdout) / 1024, 1)


def bench_cold_start(bin_dir: Path, runs: int) -> dict[str, Any]:
    python = str(bin_dir / "python")
    script = str(bin_dir / "article-qa")
    with tempfile.TemporaryDirectory(prefix="article-qa-bench-") as scratch:
        env = {**os.environ, "ARTICLE_QA_CACHE_DIR": str(Path(scratch) / "warm")}
        ask = [script, "ask", COLD_QUESTION]
        wall(ask, env)  # fills the corpus cache, as any earlier run would have
        passes = [wall([python, "-c", "pass"], env) for _ in range(runs)]
        warm = [wall(ask, env) for _ in range(runs)]
        semantic = [*ask[:2], "--semantic", *ask[2:]]
        warm_semantic = [wall(semantic, env) for _ in range(runs)]
        ask_peak = peak_rss_mb(ask, env)
        semantic_peak = peak_rss_mb(semantic, env)
        cold = []
        for run in range(runs):
            fresh = {**env, "ARTICLE_QA_CACHE_DIR": str(Path(scratch) / f"cold{run}")}
            cold.append(wall(ask, fresh))
        probe = run_json([python, "-c", PROBE, COLD_QUESTION], env)
        found = subprocess.run([python, "-c", HAS_SCIPY], capture_output=True, text=True, env=env)
        memory = run_json([python, "-c", MEMORY], env)
    return {
        "python": python,
        "scipy_installed": found.stdout.strip() == "True",
        "runs": runs,
        "python_pass_s": round(statistics.median(passes), 3),
        "ask_warm_cache_s": round(statistics.median(warm), 3),
        "ask_empty_cache_s": round(statistics.median(cold), 3),
        "ask_semantic_warm_cache_s": round(statistics.median(warm_semantic), 3),
        "ask_peak_rss_mb": ask_peak,
        "ask_semantic_peak_rss_mb": semantic_peak,
        **probe,
        "idle": memory,
    }
