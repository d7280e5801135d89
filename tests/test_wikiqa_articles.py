"""The WikiQA-as-articles harness and its look-alike generator, on a tiny made-up split."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from lookalike import Document, lookalikes  # noqa: E402

HEADER = "QuestionID\tQuestion\tDocumentID\tDocumentTitle\tSentenceID\tSentence\tLabel\n"
ROWS = [
    ("Q1", "how long is the Nile river", "D1", "Nile", "D1-0", "The Nile is a river in Africa.", 0),
    ("Q1", "how long is the Nile river", "D1", "Nile", "D1-1", "The Nile is 6,650 km long.", 1),
    (
        "Q2",
        "when did Lincoln become president",
        "D2",
        "Abraham Lincoln",
        "D2-0",
        "Abraham Lincoln became president in 1861.",
        1,
    ),
    (
        "Q2",
        "when did Lincoln become president",
        "D2",
        "Abraham Lincoln",
        "D2-1",
        "He was born in Kentucky.",
        0,
    ),
    (
        "Q3",
        "who painted the sunflowers",
        "D3",
        "Sunflowers",
        "D3-0",
        "Sunflowers are tall plants.",
        0,
    ),
]


def test_lookalikes_swap_a_name_the_document_lacks():
    documents = {
        "D1": Document("Nile", ("The Nile is a river in Africa.", "The Nile is 6,650 km long.")),
        "D2": Document("Abraham Lincoln", ("Abraham Lincoln became president in 1861.",)),
    }
    made = lookalikes([("Q1", "how long is the Nile river", "D1")], documents, seed=1)
    again = lookalikes([("Q1", "how long is the Nile river", "D1")], documents, seed=1)
    assert made == again and len(made) == 1
    variant = made[0]
    assert variant.replaced == "Nile" and variant.substitute in {"Abraham", "Lincoln"}
    assert variant.substitute.lower() not in " ".join(documents["D1"].sentences).lower()


def test_harness_reports_both_systems(tmp_path: Path):
    data = tmp_path / "tiny.tsv"
    data.write_text(
        HEADER + "".join("\t".join(map(str, row)) + "\n" for row in ROWS), encoding="utf-8"
    )
    result = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "wikiqa_articles.py"),
            str(data),
            "--json",
            "--lookalike",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["article_qa"]["questions"] == 3 and report["article_qa"]["answerable"] == 2
    assert report["naive_bm25"]["abstain_accuracy"] == 0.0
    assert report["lookalike"]["questions"] >= 1
