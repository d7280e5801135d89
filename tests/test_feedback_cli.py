"""Asks and votes from the console and the CLI; the report, the export and the purge."""

from __future__ import annotations

import io
import json
import logging
import time
from pathlib import Path

import pytest
from test_cli import run

from bot.console.chat import run_chat
from bot.render import words as render
from bot.reports.feedback import FeedbackLog
from bot.reports.report import build_report, group_unanswered
from bot.reports.store import AskRecord, Cited, Store

CHAT = "Where is Austin?\n/good\n/good\n/bad\nWhat is the capital of France?\n/good\n"


def test_good_and_bad_rate_the_last_answer_when_piped(qa, tmp_path: Path) -> None:
    out = io.StringIO()
    feedback = FeedbackLog(tmp_path / "f.db")
    assert run_chat(qa, 1, False, io.StringIO(CHAT), out, feedback=feedback) == 0
    blocks = out.getvalue().strip().split("\n\n")
    assert blocks[0].strip().startswith("¶10.2")
    assert blocks[1:4] == [
        "Thanks! Noted: the last answer was helpful.",
        "You already said the last answer was helpful; one vote each.",
        "Vote changed: the last answer was not helpful.",
    ]
    assert blocks[-1] == render.NOTHING_TO_RATE  # the last reply was "the article doesn't say"
    feedback.close()
    with Store.open(tmp_path / "f.db") as store:
        asks = store.asks()
        assert [(a.surface, a.question, a.abstained) for a in asks] == [
            ("console", "Where is Austin?", False),
            ("console", "What is the capital of France?", True),
        ]
        assert asks[0].conversation == asks[1].conversation
        assert [(v.ask, v.voter, v.up) for v in store.votes()] == [(asks[0].id, "console", False)]


def test_votes_in_chat_json_are_messages(qa, tmp_path: Path) -> None:
    out = io.StringIO()
    stdin = io.StringIO("/good\nWho is Eddie Rodriguez?\n/bad\n")
    run_chat(qa, 1, True, stdin, out, feedback=FeedbackLog(tmp_path / "f.db"))
    first, question, vote = (json.loads(line) for line in out.getvalue().splitlines())
    assert first == {"message": render.NOTHING_TO_RATE}
    assert question["answers"][0]["citation"] == "¶10.4"
    assert vote == {"message": "Thanks! Noted: the last answer was not helpful."}


def test_no_log_records_nothing_and_says_so(qa, tmp_path: Path) -> None:
    out = io.StringIO()
    feedback = FeedbackLog(tmp_path / "f.db", enabled=False)
    run_chat(qa, 1, True, io.StringIO("Where is Austin?\n/good\n"), out, feedback=feedback)
    assert json.loads(out.getvalue().splitlines()[-1]) == {"message": render.FEEDBACK_OFF}
    assert not (tmp_path / "f.db").exists()


def test_an_unwritable_store_never_stops_the_chat(qa, tmp_path: Path, caplog) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    out = io.StringIO()
    with caplog.at_level(logging.DEBUG, logger="bot"):
        feedback = FeedbackLog(blocker / "f.db")  # its folder cannot be made, even by root
        lines = io.StringIO("Where is Austin?\n/good\nWho is Eddie?\n")
        run_chat(qa, 1, False, lines, out, feedback=feedback)
    blocks = out.getvalue().strip().split("\n\n")
    assert blocks[0].strip().startswith("¶10.2") and blocks[2].strip().startswith("¶10.4")
    assert blocks[1] == render.NOTHING_TO_RATE  # the ask was not recorded: nothing to rate
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


def test_ask_logs_to_the_data_directory_and_no_log_does_not(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    quiet = run("ask", "--no-log", "Where is Austin?", env=env)
    assert quiet.returncode == 0 and not (tmp_path / "data").exists()
    result = run("ask", "Where is Austin?", "What is the capital of France?", env=env)
    assert result.returncode == 0 and result.stderr == ""
    with Store.open(tmp_path / "data" / "article-qa" / "feedback.sqlite3") as store:
        asks = store.asks()
    assert [(a.surface, a.abstained, a.kind) for a in asks] == [
        ("cli", False, "answer"),
        ("cli", True, "abstain"),
    ]
    assert asks[0].conversation != asks[1].conversation  # each question on its own


def test_ask_on_a_broken_disk_still_answers_and_warns_once(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run("ask", "--db", str(blocker / "f.db"), "Where is Austin?", "Who is Eddie?")
    assert result.returncode == 0
    assert "¶10.2" in result.stdout and "¶10.4" in result.stdout
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("WARNING bot.reports.feedback: feedback not recorded (ask ")


def _record_a_session(db: Path) -> None:
    session = (
        "Where is Austin?\n/good\nWho is Eddie Rodriguez?\n/good\n"
        "What is the capital of France?\nWhat is France's capital city?\n"
        "Who is Domenic Powell?\n/bad\n"
    )
    result = run("chat", "--db", str(db), stdin=session)
    assert result.returncode == 0 and result.stderr == ""


def test_report_json_contract(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    _record_a_session(db)
    result = run("report", "--json", "--db", str(db))
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert {k: report[k] for k in ("asks", "abstained", "votes_up", "votes_down")} == {
        "asks": 5,
        "abstained": 2,
        "votes_up": 2,
        "votes_down": 1,
    }
    assert [(u["question"], u["count"]) for u in report["unanswered"]] == [
        ("What is France's capital city?", 2)
    ]
    assert [d["question"] for d in report["down_voted"]] == ["Who is Domenic Powell?"]
    assert report["down_voted"][0]["citation"] == "¶8.1"
    assert [(p["paragraph"], p["count"]) for p in report["paragraphs"]] == [(10, 2), (8, 1)]
    assert report["helpful"] == pytest.approx(2 / 3)


def test_report_of_an_empty_database_creates_nothing(tmp_path: Path) -> None:
    result = run("report", "--json", "--db", str(tmp_path / "none.db"), "--since", "2026-01-01")
    assert json.loads(result.stdout)["asks"] == 0 and json.loads(result.stdout)["unanswered"] == []
    assert not (tmp_path / "none.db").exists()
    assert run("report", "--since", "yesterday").returncode == 2


def test_export_round_trips_through_eval(tmp_path: Path) -> None:
    db, exported = tmp_path / "f.db", tmp_path / "grown.jsonl"
    _record_a_session(db)
    result = run("feedback", "export", str(exported), "--db", str(db))
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in exported.read_text().splitlines()]
    assert [(i["id"], i["question"], i["answers"]) for i in items] == [
        ("up1", "Where is Austin?", ["Travis County, Texas––where Austin is"]),
        ("up2", "Who is Eddie Rodriguez?", ["State Rep. Eddie Rodriguez, a"]),
        ("unanswered1", "What is the capital of France?", []),
        ("unanswered2", "What is France's capital city?", []),
    ]
    scored = run("eval", str(exported), "--json")
    assert scored.returncode == 0, scored.stderr
    metrics = json.loads(scored.stdout)
    assert (metrics["items"], metrics["p_at_1"], metrics["abstain_accuracy"]) == (4, 1.0, 1.0)


def test_purge_forgets_one_discord_user(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    feedback = FeedbackLog(db)
    alice, bob = feedback.hash_id(123456789012345678), feedback.hash_id(876543210987654321)
    for id_, asker in ((1, alice), (2, bob)):
        # Recent: an ask from 2001 would be purged as too old when the store opens.
        feedback.record(_ask(id_, "Where is Austin?", at=time.time(), asker=asker))
    feedback.vote(2, alice, True)
    feedback.vote(2, bob, True)
    feedback.close()
    result = run("feedback", "purge", "--user", "123456789012345678", "--db", str(db))
    assert result.stdout == "Forgot user 123456789012345678: 1 questions and 1 votes.\n"
    with Store.open(db) as store:
        assert [a.asker for a in store.asks()] == [bob]
        assert [v.voter for v in store.votes()] == [bob]


def _ask(id_: int, question: str, at: float = 1e9, abstained: bool = False, asker=None):
    cited = () if abstained else (Cited("¶8.1", "a", 8, 1, "Domenic Powell works there."),)
    return AskRecord(id_, at, "discord", question, "answer", abstained, cited, "c", "x", asker)


def test_unanswered_questions_group_by_shared_content_words() -> None:
    asks = [
        _ask(1, "What is the capital of France?", at=1.0, abstained=True),
        _ask(2, "What's the population of France?", at=2.0, abstained=True),
        _ask(3, "France's capital city?", at=3.0, abstained=True),
        _ask(4, "When was Jeff Sessions born?", at=0.5, abstained=True),
    ]
    groups = group_unanswered(asks)
    assert [(g.question, g.count, g.others) for g in groups] == [
        ("France's capital city?", 2, ("What is the capital of France?",)),
        ("What's the population of France?", 1, ()),
        ("When was Jeff Sessions born?", 1, ()),
    ]
    assert build_report(asks, []).abstained == 4


def test_the_html_report_is_one_self_contained_file(tmp_path: Path) -> None:
    db, page = tmp_path / "f.db", tmp_path / "report.html"
    _record_a_session(db)
    result = run("report", "--db", str(db), "--html", str(page))
    assert result.returncode == 0 and result.stdout.endswith(f"HTML report: {page}\n")
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http" not in html and "<link" not in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert html.count('rx="3"') == 12  # the heat strip: one cell per paragraph
    assert "¶10: 2 answers" in html and "¶8: 1 answer<" in html
    assert "What is France&#x27;s capital city?" in html


def test_the_text_report_shortens_a_long_question_and_the_html_one_prints_one_line(
    tmp_path: Path,
) -> None:
    db, page = tmp_path / "f.db", tmp_path / "report.html"
    long = "Which zebra plays the " + "xylophone " * 11_000 + "?"
    assert run("ask", "--db", str(db), long).returncode == 0
    text = run("report", "--db", str(db)).stdout
    [line] = [line for line in text.splitlines() if "zebra" in line]
    assert line.startswith("     1  Which zebra plays the xylophone") and line.endswith("\u2026")
    assert len(line) <= 6 + 200
    unanswered = json.loads(run("report", "--json", "--db", str(db)).stdout)["unanswered"]
    assert [u["question"] for u in unanswered] == [long]
    assert run("report", "--db", str(db), "--html", str(page)).stdout == f"HTML report: {page}\n"


def test_the_report_covers_one_corpus_unless_asked_for_all(tmp_path: Path) -> None:
    db, page, steam = tmp_path / "f.db", tmp_path / "all.html", tmp_path / "Steam_engine.txt"
    steam.write_text("Steam engine\n\nJames Watt improved the steam engine.\n", encoding="utf-8")
    assert run("ask", "--db", str(db), "What is the capital of France?").returncode == 0
    assert run("ask", "--db", str(db), "--corpus", str(steam), "Who won the war?").returncode == 0

    def unanswered(*args: str) -> list[str]:
        report = json.loads(run("report", "--json", "--db", str(db), *args).stdout)
        return [u["question"] for u in report["unanswered"]]

    assert unanswered() == ["What is the capital of France?"]
    assert unanswered("--corpus", str(steam)) == ["Who won the war?"]
    assert sorted(unanswered("--all")) == ["What is the capital of France?", "Who won the war?"]
    assert run("report", "--db", str(db), "--all", "--html", str(page)).returncode == 0
    assert "<title>article-qa report: every corpus on record</title>" in page.read_text("utf-8")
    exported = tmp_path / "steam.jsonl"
    result = run("feedback", "export", "--db", str(db), "--corpus", str(steam), str(exported))
    assert result.returncode == 0
    lines = exported.read_text("utf-8").splitlines()
    assert [json.loads(line)["question"] for line in lines] == ["Who won the war?"]
