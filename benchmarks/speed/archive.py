"""Archives: a real-text folder of N sentences through `article-qa index` and a fresh
`article-qa ask`, beside rank-bm25 and bm25s (its index saved, loaded with mmap=True in a
fresh process) over the same sentences.

usage: python -m benchmarks.speed.archive [--sentences N] [--wikiqa WikiQA-train.tsv.gz]

Sentences are WikiQA's (shuffled into articles of ten, as many shuffled copies as needed)
when a WikiQA TSV is given, else the bundled article's with words swapped.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import csv
import gzip
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .common import QUESTIONS, SEED, ask_times, latencies, ms, percentile

PER_ARTICLE = 10
# rank-bm25 scores every sentence for every term in Python: beyond this it takes minutes.
RANK_BM25_UP_TO = 200_000
# Runs one command and reports its wall time and peak RSS: RUSAGE_CHILDREN of a process
# that waited for exactly one child is that child's peak.
_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
    "wall = time.perf_counter() - t\n"
    "if done.returncode: sys.exit(done.stderr.decode()[-2000:])\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "out = done.stdout.decode().strip().splitlines()\n"
    "extra = json.loads(out[-1]) if out and out[-1].startswith('{') else {}\n"
    "print(json.dumps({'wall_s': round(wall, 3), 'peak_rss_mb': round(rss, 1), **extra}))\n"
)
_BM25S_BUILD = (
    "import sys, bm25s\n"
    "texts = open(sys.argv[1], encoding='utf-8').read().split('\\n')\n"
    "r = bm25s.BM25(); r.index(bm25s.tokenize(texts, stopwords='en', show_progress=False),"
    " show_progress=False)\n"
    "r.save(sys.argv[2])\n"
)
_BM25S_ASK = (
    "import sys, bm25s\n"
    "r = bm25s.BM25.load(sys.argv[1], mmap=True)\n"
    "q = bm25s.tokenize([sys.argv[2]], stopwords='en', show_progress=False)\n"
    "r.retrieve(q, k=3, show_progress=False)\n"
)
# Query times in a process of their own (a loaded index, warm), printed as JSON.
_BM25S_QUERIES = (
    "import json, sys, time, bm25s\n"
    "r = bm25s.BM25.load(sys.argv[1], mmap=True)\n"
    "questions = json.loads(sys.argv[2]); times = []\n"
    "for q in questions * 3:\n"
    "    t = time.perf_counter()\n"
    "    r.retrieve(bm25s.tokenize([q], stopwords='en', show_progress=False), k=3,"
    " show_progress=False)\n"
    "    times.append(time.perf_counter() - t)\n"
    "times.sort(); n = len(times)\n"
    "print(json.dumps({'p50_ms': round(1000 * times[n // 2], 2),"
    " 'p99_ms': round(1000 * times[min(n - 1, int(n * 0.99))], 2)}))\n"
)
# rank-bm25 keeps no index on disk: a fresh process builds it, then answers.
_RANK_BM25 = (
    "import json, sys, time, numpy as np, rank_bm25\n"
    "from retrieval.text.analysis import analyse\n"
    "texts = open(sys.argv[1], encoding='utf-8').read().split('\\n')\n"
    "t = time.perf_counter(); bm25 = rank_bm25.BM25Okapi([analyse(s) for s in texts])\n"
    "built = time.perf_counter() - t; times = []\n"
    "for q in json.loads(sys.argv[2])[:20]:\n"
    "    t = time.perf_counter(); np.argsort(-bm25.get_scores(analyse(q)))[:3]\n"
    "    times.append(time.perf_counter() - t)\n"
    "times.sort(); n = len(times)\n"
    "print(json.dumps({'build_s': round(built, 2), 'p50_ms': round(1000 * times[n // 2], 1),"
    " 'p99_ms': round(1000 * times[-1], 1)}))\n"
)


def sentences_and_questions(n: int, wikiqa: str | None) -> tuple[list[str], list[str]]:
    rng = random.Random(SEED)
    if wikiqa:
        with gzip.open(wikiqa, "rt", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        pool = list(dict.fromkeys(r["Sentence"].strip() for r in rows if r["Sentence"].strip()))
        questions = list(dict.fromkeys(r["Question"] for r in rows))[:60]
    else:
        from retrieval import QA

        pool = [s.text for s in QA.load().sentences]
        questions = list(QUESTIONS)
    out: list[str] = []
    while len(out) < n:
        copy = pool[:]
        rng.shuffle(copy)
        out += copy
    return out[:n], questions


def write_archive(folder: Path, sentences: list[str]) -> int:
    """Articles of PER_ARTICLE sentences, two paragraphs each; returns the file count."""
    folder.mkdir(parents=True, exist_ok=True)
    files = 0
    for start in range(0, len(sentences), PER_ARTICLE):
        part = sentences[start : start + PER_ARTICLE]
        half = max(1, len(part) // 2)
        text = f"Article {files}\n\n{' '.join(part[:half])}\n\n{' '.join(part[half:]) or '.'}\n"
        (folder / f"a{files:07d}.txt").write_text(text, encoding="utf-8")
        files += 1
    return files


def measure(*command: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(command[:4])}... failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def fresh(runs: int, *command: str) -> dict[str, Any]:
    """The median wall time and the largest peak RSS of `runs` fresh processes."""
    results = [measure(*command) for _ in range(runs)]
    return {
        "wall_s": round(statistics.median(r["wall_s"] for r in results), 3),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
    }


def in_process(folder: Path, index: Path, questions: list[str]) -> dict[str, Any]:
    from retrieval import QA
    from retrieval.archive.builder import open_archive
    from retrieval.archive.corpus import ArchiveCorpus

    archive = open_archive(folder, index)
    assert archive is not None
    return latencies(QA(ArchiveCorpus(archive)), questions)


def in_process_hybrid(folder: Path, index: Path, questions: list[str]) -> dict[str, Any]:
    """Hybrid ranking: each question asked once (its candidates and their titles encoded
    then), and again (their vectors kept)."""
    from retrieval import QA
    from retrieval.archive.builder import open_archive
    from retrieval.archive.corpus import ArchiveCorpus
    from retrieval.ranking.encoder import load_minilm

    archive = open_archive(folder, index)
    assert archive is not None
    qa = QA(ArchiveCorpus(archive), encoder=load_minilm())
    qa.ask("What is this about?")  # the model's first run, as any process has had
    first = ask_times(qa, questions)
    return {
        "new_p50_ms": round(ms(percentile(first, 50)), 2),
        "new_p99_ms": round(ms(percentile(first, 99)), 2),
        **{f"again_{k}": v for k, v in latencies(qa, questions).items()},
    }


def rank_bm25(scratch: Path, questions: list[str]) -> dict[str, Any]:
    """rank-bm25 over the same sentences (our analysis), in a fresh process: its build, peak
    RSS and query times (it keeps no index on disk, so a fresh process pays the build)."""
    return measure(
        sys.executable, "-c", _RANK_BM25, str(scratch / "sentences.txt"), json.dumps(questions)
    )


def bm25s(scratch: Path, question: str, questions: list[str], runs: int) -> dict[str, Any]:
    saved = scratch / "bm25s-index"
    build = measure(sys.executable, "-c", _BM25S_BUILD, str(scratch / "sentences.txt"), str(saved))
    ask = fresh(runs, sys.executable, "-c", _BM25S_ASK, str(saved), question)
    queries = measure(sys.executable, "-c", _BM25S_QUERIES, str(saved), json.dumps(questions))
    return {"build": build, "fresh_ask": ask, "queries": queries}


def bench_archive(
    n: int, wikiqa: str | None, runs: int = 5, keep: Path | None = None
) -> dict[str, Any]:
    """The archive section for `n` sentences; `keep`: a folder to write the archive, the
    indexes and the peers' files into and leave there (else a temporary one)."""
    sentences, questions = sentences_and_questions(n, wikiqa)
    report: dict[str, Any] = {"sentences": n}
    with contextlib.ExitStack() as stack:
        if keep is None:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="aqa-")))
        else:
            scratch = keep / f"{n}"
            scratch.mkdir(parents=True)
        folder, index = scratch / "archive", scratch / "index"
        report["files"] = write_archive(folder, sentences)
        cli = [sys.executable, "-m", "bot"]
        report["build"] = measure(*cli, "index", "--json", str(folder), "--index-dir", str(index))
        report["index_mb"] = round(
            sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 2**20, 1
        )
        # One file changed: the refresh reads and analyses only it.
        first = folder / "a0000000.txt"
        first.write_text(first.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        report["refresh_one"] = measure(
            *cli, "index", "--json", str(folder), "--index-dir", str(index)
        )
        ask = [*cli, "ask", "--no-log", "--corpus", str(folder), "--index-dir", str(index)]
        report["fresh_ask"] = fresh(runs, *ask, questions[0])
        report["fresh_ask_semantic"] = fresh(runs, *ask, "--semantic", questions[0])
        report["in_process"] = in_process(folder, index, questions)
        report["in_process_hybrid"] = in_process_hybrid(folder, index, questions)
        texts = scratch / "sentences.txt"
        texts.write_text("\n".join(s.replace("\n", " ") for s in sentences), encoding="utf-8")
        report["rank_bm25"] = rank_bm25(scratch, questions) if n <= RANK_BM25_UP_TO else {}
        try:
            report["bm25s"] = bm25s(scratch, questions[0], questions, runs)
        except (RuntimeError, OSError) as error:
            report["bm25s"] = {"error": str(error)[:200]}
    return report


def compile_bytecode() -> None:
    """Bytecode for the project's packages, as `pip install` writes it: under
    PYTHONDONTWRITEBYTECODE (or in a read-only checkout) every fresh process measured would
    compile them anew, about 0.07 s that no installed copy pays. (It leaves __pycache__
    folders in the checkout, which git ignores.)"""
    root = Path(__file__).resolve().parents[2]
    for package in ("bot", "retrieval", "corpus"):
        compileall.compile_dir(root / package, quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed.archive")
    parser.add_argument("--sentences", type=int, nargs="+", default=[100_000])
    parser.add_argument("--wikiqa", metavar="TSV.GZ", help="WikiQA-train.tsv.gz for real text")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measurement")
    parser.add_argument("--keep", metavar="DIR", type=Path, help="leave the archives in DIR")
    args = parser.parse_args()
    compile_bytecode()
    for n in args.sentences:
        print(json.dumps(bench_archive(n, args.wikiqa, args.runs, args.keep)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
