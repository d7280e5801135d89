"""Scale: the project's BM25Index beside rank-bm25 and bm25s on synthetic Zipf corpora."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from .common import SEED, LoopWatchdog, measured, ms, percentile, say, worker

SIZES = (1_000, 10_000, 100_000, 1_000_000)
TOP = 10  # ranking depth compared with the reference at scale

# Zipf synthetic corpus: sentence lengths uniform in [4, 20] index terms, words drawn from a
# vocabulary of 100,000 with P(rank r) proportional to r^-1.1; queries are 5 words drawn
# from the same distribution (so common words are common in queries too).
ZIPF_VOCABULARY = 100_000
ZIPF_EXPONENT = 1.1
ZIPF_LENGTHS = (4, 20)
ZIPF_QUERY_TERMS = 5
ZIPF_QUERIES = 50

Search = Callable[[list[str]], list[int]]


def peers() -> list[str]:
    """The other BM25 implementations installed here."""
    try:
        import bm25s  # noqa: F401
    except ImportError:
        say("bm25s not installed (pip install -e '.[bench]'): scale rows without it")
        return ["rank-bm25"]
    return ["rank-bm25", "bm25s"]


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


def build(system: str, documents: list[list[str]], result: dict[str, Any]) -> Search:
    """Index `documents` with `system`, timing and weighing the build into `result`."""
    import numpy as np

    from retrieval.ranking.index import K1, B, BM25Index
    from retrieval.ranking.okapi import LuceneBM25

    if system == "project":
        with measured(result, "build"):
            index = BM25Index(documents)
        return lambda query: [hit.doc for hit in index.search(query, TOP)]
    if system == "rank-bm25":
        with measured(result, "build"):
            model = LuceneBM25(documents, k1=K1, b=B)

        def full_scan(query: list[str]) -> list[int]:
            scores = model.get_scores(query)
            order = np.argsort(-scores, kind="stable")[:TOP]
            return [int(i) for i in order if scores[i] > 0]

        return full_scan
    if system == "bm25s":
        import bm25s

        size = len(documents)
        with measured(result, "build"):
            sparse = bm25s.BM25(method="lucene", k1=K1, b=B)
            sparse.index(documents, show_progress=False)

        def retrieve(query: list[str]) -> list[int]:
            found, scores = sparse.retrieve(
                [query], k=min(TOP, size), show_progress=False, n_threads=1
            )
            return [int(d) for d, s in zip(found[0], scores[0], strict=True) if s > 0]

        return retrieve
    raise SystemExit(f"unknown system {system}")


def worker_scale(system: str, size: int, queries_wanted: int) -> dict[str, Any]:
    documents, queries = zipf_corpus(size)
    queries = queries[:queries_wanted]
    result: dict[str, Any] = {"system": system, "sentences": size, "queries": len(queries)}
    search = build(system, documents, result)
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
