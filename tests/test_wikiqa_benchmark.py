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


def test_reports_both_systems(tmp_path: Path):
    data = tmp_path / "tiny.tsv"
    data.write_text(
        HEADER + "".join("\t".join(map(str, row)) + "\n" for row in ROWS), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), str(data), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
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
