"""The two-shard localhost Sphinx cluster against the local index, on the same archive.

usage: python -m benchmarks.speed.cluster [--sentences N] [--wikiqa WikiQA-train.tsv.gz]

The archive is the archive section's (benchmarks/speed/archive.py: WikiQA sentences when a
TSV is given, else the bundled article's). It is indexed locally (`article-qa index`) and
into two RT shards (`article-qa index --sphinx`), then both answer the same questions:
- latency: a warm QA in this process (p50/p99 per question), and a fresh `article-qa ask`;
- agreement: whether the cluster's top hits (k=15, what the reranker sees) and answers
  equal the local index's, and how deep in the engine's own ranking the local top 15 lie
  (what CANDIDATES_PER_HIT must cover), and how often the engine's own top 3 would do.
Needs `searchd` (apt-get install sphinxsearch) and pymysql (pip install '.[cluster]').
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .archive import fresh, measure, sentences_and_questions, write_archive
from .common import ROOT, latencies

sys.path.insert(0, str(ROOT / "tests"))
from sphinx_cluster import running_cluster, searchd_version

DEPTH = 15  # rerank.RERANKED: the hits a question's reranking sees
ENGINE_POOL = 1000  # how deep the engine's own ranking is read to place the local top 15


def agreement(local: Any, cluster: Any, questions: list[str]) -> dict[str, Any]:
    from retrieval.cluster.retriever import engine_token
    from retrieval.ranking import query as queries

    same_hits = same_answers = engine_top3 = 0
    deepest = 0
    depths = []
    for question in questions:
        query = queries.build(question, local.vocabulary)
        expected = local.retriever.search(query.weights, DEPTH)
        got = cluster.retriever.search(query.weights, DEPTH)
        same_hits += expected == got
        same_answers += [a.citation for a in local.ask(question).answers] == [
            a.citation for a in cluster.ask(question).answers
        ]
        terms = [(t, w) for t, w in query.weights.items() if w > 0 and t in local.retriever.idf]
        if not terms:
            engine_top3 += not expected
            continue
        match = " | ".join(
            engine_token(t) if w == 1.0 else f"{engine_token(t)}^{w:.4g}" for t, w in terms
        )
        (rows,), _ = cluster.retriever._query(
            [
                f"SELECT position FROM {cluster.retriever.address.index} WHERE MATCH(%s) "
                f"ORDER BY WEIGHT() DESC, position ASC LIMIT {ENGINE_POOL} "
                f"OPTION ranker={cluster.retriever._ranker}, max_matches={ENGINE_POOL}"
            ],
            (match,),
        )
        ranks = {int(row[0]): rank for rank, row in enumerate(rows, 1)}
        depth = max((ranks.get(h.doc, ENGINE_POOL + 1) for h in expected), default=0)
        deepest = max(deepest, depth)
        depths.append(depth)
        engine_top3 += [int(r[0]) for r in rows[:3]] == [h.doc for h in expected[:3]]
    return {
        "questions": len(questions),
        "same_top15_hits_and_scores": same_hits,
        "same_answers": same_answers,
        "engine_own_top3_equal": engine_top3,
        "deepest_engine_rank_of_local_top15": deepest,
        # Questions whose local top 15 all lie within the engine's first N.
        "local_top15_within_engine_first": {
            n: sum(d <= n for d in depths) for n in (15, 50, 100, 200, 500, 1000)
        },
    }


def bench_cluster(n: int, wikiqa: str | None, runs: int) -> dict[str, Any]:
    from retrieval import QA
    from retrieval.archive.builder import open_archive
    from retrieval.archive.corpus import ArchiveCorpus
    from retrieval.cluster.address import parse_addresses
    from retrieval.cluster.retriever import connect

    sentences, questions = sentences_and_questions(n, wikiqa)
    report: dict[str, Any] = {"sentences": n, "engine": searchd_version()}
    with tempfile.TemporaryDirectory(prefix="article-qa-cluster-") as scratch_name:
        scratch = Path(scratch_name)
        folder, index = scratch / "archive", scratch / "index"
        report["files"] = write_archive(folder, sentences)
        cli = [sys.executable, "-m", "bot"]
        report["local_build"] = measure(*cli, "index", str(folder), "--index-dir", str(index))
        with running_cluster(scratch / "cluster") as cluster:
            report["cluster_build"] = measure(
                *cli, "index", str(folder), "--index-dir", str(index),
                "--sphinx", cluster.shard_addresses,
            )  # fmt: skip
            archive = open_archive(folder, index)
            assert archive is not None
            local = QA(ArchiveCorpus(archive))
            address = parse_addresses(cluster.distributed)[0]
            remote = QA(local.corpus, connect(local.corpus, address, print))
            report["in_process"] = {
                "local": latencies(local, questions),
                "cluster": latencies(remote, questions),
            }
            ask = [*cli, "ask", "--no-log", "--corpus", str(folder), "--index-dir", str(index)]
            report["fresh_ask"] = {
                "local": fresh(runs, *ask, questions[0]),
                "cluster": fresh(runs, *ask, "--sphinx", cluster.distributed, questions[0]),
            }
            report["agreement"] = agreement(local, remote, questions)
            remote.retriever.close()  # type: ignore[attr-defined]
    return report


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed.cluster")
    parser.add_argument("--sentences", type=int, nargs="+", default=[100_000])
    parser.add_argument("--wikiqa", metavar="TSV.GZ", help="WikiQA-train.tsv.gz for real text")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measurement")
    args = parser.parse_args()
    if subprocess.run(["which", "searchd"], capture_output=True, check=False).returncode:
        sys.exit("searchd is not installed: apt-get install sphinxsearch")
    for n in args.sentences:
        print(json.dumps(bench_cluster(n, args.wikiqa, args.runs)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
