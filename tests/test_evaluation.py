from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from retrieval import QA
from retrieval.evaluation import EvalFileError, load_eval, metrics, parse_eval_lines, run_eval

QUESTIONS = Path(__file__).parent / "data" / "sanctuary-questions.jsonl"
HELD_OUT = Path(__file__).parent / "data" / "bank-heldout.jsonl"


def test_metrics_match_the_shared_definitions(qa: QA):
    lines = [
        json.dumps(
            {"id": "a", "question": "Who is Domenic Powell?", "answers": ["Domenic Powell"]}
        ),
        json.dumps({"id": "b", "question": "What is the capital of France?", "answers": []}),
        json.dumps({"id": "c", "question": "Who is Domenic Powell?", "answers": ["not there"]}),
        json.dumps(
            {
                "id": "d",
                "turns": [
                    {"question": "Which county lost state money?", "answers": ["Travis County"]},
                    {"question": "Who is its sheriff?", "answers": ["Sally Hernandez"]},
                ],
            }
        ),
    ]
    judgements = run_eval(qa, parse_eval_lines(lines, "inline"))
    assert [j.question.id for j in judgements] == ["a", "b", "c", "d.1", "d.2"]
    assert [j.correct for j in judgements] == [True, True, False, True, True]
    scores = metrics(judgements)
    assert scores["items"] == 5
    assert scores["p_at_1"] == 0.75
    assert scores["abstain_accuracy"] == 1.0
    assert scores["followup_p_at_1"] == 1.0
    assert scores["overall_accuracy"] == 0.8


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "question": "Q?", "answers": []}\nnot json\n', "x.jsonl:2: not valid JSON"),
        ('{"id": "a", "answers": []}\n', "x.jsonl:1: expected an object with a string"),
        ('{"question": "Q?", "answers": "yes"}\n', 'x.jsonl:1: "answers" must be a list'),
        ('{"turns": []}\n', 'x.jsonl:1: "turns" must be a non-empty list'),
        ("\n\n", "x.jsonl: no questions"),
        ("[1, 2]\n", "x.jsonl:1: expected a JSON object"),
        ('{"question": "Q?", "answers": ["ICE", " "]}\n', 'x.jsonl:1: an answer in "answers"'),
    ],
)
def test_malformed_files_name_the_line(tmp_path: Path, content: str, message: str):
    path = tmp_path / "x.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalFileError) as caught:
        load_eval(path)
    assert str(caught.value).replace(str(tmp_path) + "/", "").startswith(message)


def test_eval_command_json_and_verbose(capsys):
    assert main(["eval", str(QUESTIONS), "--json", "-v"]) == 0
    captured = capsys.readouterr()
    scores = json.loads(captured.out)
    assert set(scores) == {
        "items",
        "p_at_1",
        "recall_at_3",
        "mrr_at_5",
        "false_abstain_rate",
        "abstain_accuracy",
        "followup_p_at_1",
        "overall_accuracy",
    }
    listed = captured.err.splitlines()
    assert len(listed) == scores["items"]
    assert listed[0].split()[:2] in (["OK", "p01"], ["BAD", "p01"])


def test_metrics_with_no_items_of_a_kind_are_not_scored_zero(tmp_path: Path, capsys):
    path = tmp_path / "plain.jsonl"
    path.write_text('{"id": "a", "question": "Who is Domenic Powell?", "answers": ["Powell"]}\n')
    assert main(["eval", str(path), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["p_at_1"] == 1.0
    assert scores["followup_p_at_1"] is None
    assert scores["abstain_accuracy"] is None
    assert main(["eval", str(path)]) == 0
    assert "followup_p_at_1: n/a (no such items)" in capsys.readouterr().out.splitlines()


def test_eval_command_refuses_a_bad_file(tmp_path: Path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "Q?", "answers": []}\n{oops\n', encoding="utf-8")
    assert main(["eval", str(path)]) == 2
    assert capsys.readouterr().err.startswith(f"article-qa: {path}:2: not valid JSON (")


def test_quality_floor_on_the_projects_own_questions(qa: QA):
    """Our first questions about the bundled article, worded apart from any shared set."""
    scores = metrics(run_eval(qa, load_eval(QUESTIONS)))
    assert scores["p_at_1"] >= 0.85
    assert scores["recall_at_3"] >= 0.93
    assert scores["false_abstain_rate"] <= 0.07
    assert scores["abstain_accuracy"] >= 0.60
    assert scores["followup_p_at_1"] >= 0.99


def test_quality_floor_on_the_held_out_bank(qa: QA):
    """The held-out half of the question bank (tests/data/BANK.md): paraphrase, near misses,
    "what else" and whole-article questions nobody tuned on. Floors a little under what
    the shipped model scores, so that a change that makes answers worse fails here."""
    scores = metrics(run_eval(qa, load_eval(HELD_OUT)))
    assert scores["p_at_1"] >= 0.57
    assert scores["recall_at_3"] >= 0.70
    assert scores["false_abstain_rate"] <= 0.12
    assert scores["abstain_accuracy"] >= 0.55
    assert scores["followup_p_at_1"] >= 0.50
