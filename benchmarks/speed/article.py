"""Article: QA.ask on the bundled article (or --corpus) beside a naive rank-bm25 pipeline."""

from __future__ import annotations

import statistics
import time
from typing import Any

from .common import QUESTIONS, K, ms, percentile


def bench_article(corpus: str | None, rounds: int) -> dict[str, Any]:
    import numpy as np
    from rank_bm25 import BM25Okapi

    from retrieval import QA
    from retrieval.ranking.encoder import load_minilm
    from retrieval.ranking.index import BM25Index
    from retrieval.text.analysis import analyse

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
    hybrid_qa = QA.load(corpus, encoder=load_minilm())
    for question in QUESTIONS:
        hybrid_qa.ask(question, k=K)
    project: list[float] = []
    hybrid: list[float] = []
    baseline: list[float] = []
    for _ in range(rounds):
        for question in QUESTIONS:
            started = time.perf_counter()
            qa.ask(question, k=K)
            project.append(time.perf_counter() - started)
            started = time.perf_counter()
            hybrid_qa.ask(question, k=K)
            hybrid.append(time.perf_counter() - started)
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
        "hybrid_p50_ms": ms(percentile(hybrid, 50)),
        "hybrid_p99_ms": ms(percentile(hybrid, 99)),
        "naive_p50_ms": ms(percentile(baseline, 50)),
        "naive_p99_ms": ms(percentile(baseline, 99)),
    }
