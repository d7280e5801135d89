"""The WikiQA benchmark script on a tiny made-up file in the WikiQA format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "wikiqa.py"
HEADER = "QuestionID\tQuestion\tDocumentID\tDocumentTitle\tSentenceID\tSentence\tLabel\n"
ROWS = [
    ("Q1", "how long is the river nile", "D1", "Nile", "D1-0", "The Nile is a river in Africa.", 0),
    ("Q1", "how long is the river nile", "D1", "Nile", "D1-1", "The Nile is 6,650 km long.", 1),
    ("Q1", "how long is the river nile", "D1", "Nile", "D1-2", "Cairo lies on the Nile.", 0),
    (
        "Q2",
        "who painted the sunflowers",
        "D2",
        "Sunflowers",
        "D2-0",
        "Sunflowers are tall plants.",
        0,
    ),
    ("Q2", "who painted the sunflowers", "D2", "Sunflowers", "D2-1", "Seeds can be eaten.", 0),
]


def run_on(tmp_path: Path, rows: list[tuple]) -> subprocess.CompletedProcess[str]:
    data = tmp_path / "tiny.tsv"
    data.write_text(
        HEADER + "".join("\t".join(map(str, row)) + "\n" for row in rows), encoding="utf-8"
    )
    return subprocess.run(
        [sys.executable, str(BENCHMARK), str(data), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_reports_both_systems(tmp_path: Path):
    result = run_on(tmp_path, ROWS)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["metric", "article-qa", "naive", "bm25"]
    final = json.loads(lines[-1])
    assert final["questions"] == 2 and final["answerable"] == 1
    assert final["map"] == 1.0 and final["p_at_1"] == 1.0
    assert set(final["baseline"]) >= {"map", "mrr", "p_at_1", "trigger_f1"}
    assert final["baseline"]["trigger_precision"] <= final["trigger_precision"]


def test_missing_file_is_a_clean_error(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), str(tmp_path / "none.tsv")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "Traceback" not in result.stderr


def test_no_answerable_question_ranks_nothing_rather_than_nan(tmp_path: Path):
    result = run_on(tmp_path, [row for row in ROWS if row[0] == "Q2"])
    assert result.returncode == 0, result.stderr
    assert "map                        n/a         n/a" in result.stdout.splitlines()
    final = json.loads(result.stdout.splitlines()[-1])
    assert final["map"] is None and final["baseline"]["p_at_1"] is None
    assert final["answerable"] == 0 and final["trigger_recall"] == 0.0


def test_a_file_with_no_questions_is_refused(tmp_path: Path):
    result = run_on(tmp_path, [])
    assert result.returncode == 2
    assert "no questions" in result.stderr
