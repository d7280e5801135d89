"""Real text: the article repeated with variation, through the whole QA, in fresh processes."""

from __future__ import annotations

import math
import random
import re
import time
from pathlib import Path
from typing import Any

from .common import QUESTIONS, SEED, K, ms, percentile, rss_mb, settle, worker


def varied_corpus(folder: Path, sentences: int, source: str | None) -> int:
    """Copies of the article with some words swapped and numbers changed; returns files.

    The article is the bundled one, or the first of `source`'s.
    """
    from retrieval import QA

    article = QA.load(source).articles[0]
    text = Path(article.source).read_text(encoding="utf-8")
    per_copy = len(article.sentences)
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
    from retrieval import QA

    settle()
    before, _ = rss_mb()
    started = time.perf_counter()
    from bot import paths

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
