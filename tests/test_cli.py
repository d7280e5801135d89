"""End-to-end tests of the `article-qa` command as scripts and the scorer use it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

KEYS = {"question", "abstained", "kind", "reason", "answers"}
ANSWER_KEYS = {"citation", "text", "score", "article", "paragraph", "sentence"}


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_ask_json_contract(capsys):
    assert (
        main(
            [
                "ask",
                "--json",
                "Who is the sheriff of Travis County?",
                "What is the capital of France?",
            ]
        )
        == 0
    )
    first, second = json_lines(capsys.readouterr().out)
    assert set(first) == KEYS and set(second) == KEYS
    assert first["question"] == "Who is the sheriff of Travis County?"
    assert first["abstained"] is False
    assert 1 <= len(first["answers"]) <= 3
    top = first["answers"][0]
    assert set(top) == ANSWER_KEYS
    assert (top["citation"], top["article"], top["paragraph"], top["sentence"]) == (
        "¶10.2",
        "sanctuary-cities",
        10,
        2,
    )
    assert top["text"].startswith("Travis County, Texas––where Austin is located––recently lost")
    assert isinstance(top["score"], float)
    assert second == {
        "question": "What is the capital of France?",
        "abstained": True,
        "kind": "abstain",
        "reason": "none of the question's words are in the article",
        "answers": [],
    }


def test_ask_k(capsys):
    assert main(["ask", "--json", "-k", "5", "What did Sessions announce?"]) == 0
    (reply,) = json_lines(capsys.readouterr().out)
    assert len(reply["answers"]) == 5
    scores = [a["score"] for a in reply["answers"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_text_output_names_the_citation(capsys):
    assert main(["ask", "How much money did Travis County lose?"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].strip().startswith("¶10.2  Travis County")
    assert main(["ask", "What is the capital of France?"]) == 0
    assert capsys.readouterr().out == (
        "The article doesn't say (none of the question's words are in the article).\n"
    )


@pytest.mark.parametrize("question", ["", "   ", "\t\n"])
def test_empty_question_is_a_usage_error(question, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["ask", question])
    assert exit_.value.code == 2
    assert "a question cannot be empty" in capsys.readouterr().err


@pytest.mark.parametrize("k", ["0", "21", "three"])
def test_bad_k_is_a_usage_error(k, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["ask", "-k", k, "Who?"])
    assert exit_.value.code == 2
    assert "-k" in capsys.readouterr().err


def test_corpus_errors_exit_2_with_one_line(tmp_path: Path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = run("ask", "--corpus", str(bad), "Who?")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"article-qa: {bad}: binary data, not a text article\n"
    missing = run("chat", "--corpus", str(tmp_path / "missing"))
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr
    assert missing.stderr == f"article-qa: {tmp_path / 'missing'}: no such file or folder\n"


def test_own_corpus(tmp_path: Path, capsys):
    article = tmp_path / "harbour.txt"
    article.write_text(
        "Harbour reopens\n\nThe harbour reopened on Monday after storms.\n\n"
        "Mayor Jane Doe said repairs cost $2 million. Boats returned at dawn.\n",
        encoding="utf-8",
    )
    assert main(["ask", "--json", "--corpus", str(article), "How much did the repairs cost?"]) == 0
    (reply,) = json_lines(capsys.readouterr().out)
    assert reply["answers"][0]["citation"] == "¶2.1"
    assert reply["answers"][0]["article"] == "harbour"


def test_piped_chat_keeps_one_object_per_question():
    result = run(
        "chat", "--json", stdin="Who is Domenic Powell?\n\nWhat is the capital of France?\n"
    )
    assert result.returncode == 0, result.stderr
    first, second = json_lines(result.stdout)
    assert first["answers"][0]["citation"] == "¶8.1"
    assert second["abstained"] is True


def test_piped_chat_json_gives_commands_objects_of_their_own():
    result = run("chat", "--json", stdin="/source 12\n/bogus\nWho is Domenic Powell?\n")
    source, message, reply = json_lines(result.stdout)
    text = "That’s exactly what Sessions is pushing for."
    assert source == {
        "article": "sanctuary-cities",
        "paragraph": 12,
        "text": text,
        "sentences": [{"citation": "¶12.1", "text": text}],
    }
    assert message == {"message": "Unknown command /bogus. Type /help for the list."}
    assert set(reply) == KEYS


def test_piped_chat_plain_text_and_commands():
    result = run("chat", stdin="/source 8\nWho is Domenic Powell?\n/bogus\n/quit\nnever answered\n")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].strip().startswith("¶8.1  “Few, if any, localities")
    assert lines[1].strip().startswith("¶8.2  “There’s no way")
    assert any(line.strip().startswith("¶8.1") for line in lines[2:])
    assert "Unknown command /bogus. Type /help for the list." in lines
    named = run("chat", stdin="/source Sanctuary-Cities 8\n/source Nowhere 8\n")
    lines = named.stdout.splitlines()
    assert lines[0].strip().startswith("¶8.1")
    assert "No article 'Nowhere' (loaded: sanctuary-cities)." in lines
    described = run("chat", stdin="/article\n").stdout.splitlines()
    assert described[1:3] == ["26 sentences in 12 paragraphs.", "Questions it can answer:"]
    assert described[3].startswith("  What does the article say about ")
    assert "never answered" not in result.stdout


def test_bytes_that_are_not_utf8_become_replacement_characters():
    strict = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    piped = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json"],
        input=b"Who is Domenic \xffPowell?\n",
        capture_output=True,
        timeout=120,
        env=strict,
    )
    argument = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", b"Who is Domenic \xffPowell?"],
        capture_output=True,
        timeout=120,
        env=strict,
    )
    for result in (piped, argument):
        assert result.returncode == 0, result.stderr.decode(errors="replace")
        (reply,) = json_lines(result.stdout.decode("utf-8"))  # strictly valid UTF-8
        assert reply["question"] == "Who is Domenic \ufffdPowell?"


def test_runs_with_no_nltk_data_from_any_directory(tmp_path: Path):
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    result = run(
        "ask", "--json", "Who is Eddie Rodriguez?", env={"NLTK_DATA": str(empty)}, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    (reply,) = json_lines(result.stdout)
    assert reply["answers"][0]["citation"] == "¶10.4"


def test_ask_and_chat_do_not_import_discord():
    code = (
        "import sys, contextlib, io\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['ask', 'Who is the sheriff?'])\n"
        "print('discord' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


def test_either_retriever_gives_the_same_answers(capsys):
    question = "How much money did Travis County lose?"
    assert main(["ask", "--json", "--retriever", "rank-bm25", question]) == 0
    by_rank_bm25 = capsys.readouterr().out
    assert main(["ask", "--json", "--retriever", "index", question]) == 0
    assert capsys.readouterr().out == by_rank_bm25
    assert '"citation": "¶10.2"' in by_rank_bm25


def test_an_empty_corpus_path_exits_2(capsys):
    assert main(["ask", "--corpus", "", "Who?"]) == 2
    assert capsys.readouterr().err == (
        "article-qa: an empty corpus path: give an article file or a folder of articles\n"
    )


def test_a_device_as_corpus_exits_2_at_once(capsys):
    assert main(["ask", "--corpus", "/dev/zero", "Who?"]) == 2
    assert capsys.readouterr().err == "article-qa: /dev/zero: a device, not an article file\n"


def test_a_folder_with_a_bad_file_answers_from_the_rest_and_says_so_each_time(tmp_path: Path):
    folder = tmp_path / "m1"
    folder.mkdir()
    (folder / "Oxygen.txt").write_text(
        "Oxygen\n\nOxygen was discovered by Carl Wilhelm Scheele and Joseph Priestley.\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    ask = ("ask", "--no-log", "--json", "--corpus", str(folder), "Who discovered oxygen?")
    warning = (
        f"WARNING retrieval.text.articles: skipped {folder / 'empty.txt'}: the file is empty\n"
    )
    for _ in range(2):  # the second from the analysis cache: skipped and said again
        result = run(*ask)
        assert (result.returncode, result.stderr) == (0, warning)
        assert json_lines(result.stdout)[0]["answers"][0]["citation"] == "oxygen¶1.1"
    # Fixed, the file answers at the next ask.
    (folder / "empty.txt").write_text("Ozone\n\nOzone was named by Schoenbein.\n", encoding="utf-8")
    result = run(*ask[:-1], "Who named ozone?")
    assert (result.returncode, result.stderr) == (0, "")
    assert json_lines(result.stdout)[0]["answers"][0]["citation"] == "empty¶1.1"


def test_json_echoes_the_question_as_given_escaped(capsys):
    question = "Who is the\u0085 sheriff\x07 of Travis\x1b[31m County?"
    assert main(["ask", "--no-log", "--json", question]) == 0
    out = capsys.readouterr().out
    assert "\\u0085 sheriff\\u0007 of Travis\\u001b[31m County?" in out
    reply = json.loads(out)
    assert reply["question"] == question and reply["answers"][0]["citation"] == "¶10.2"
    result = run("chat", "--no-log", "--json", stdin=question + "\n")
    assert json.loads(result.stdout)["question"] == question


_SLOW_ASK = """
import sys, time
from retrieval.archive import workers
analyse = workers.analyse_file
def slowly(text, source):
    print("analysing", flush=True)
    time.sleep(0.2)
    return analyse(text, source)
workers.analyse_file = slowly
from bot.launch import main
folder, index = sys.argv[1:3]
sys.argv = ["article-qa", "ask", "--no-log", "--corpus", folder, "--index-dir", index, "Who?"]
sys.exit(main())
"""


@pytest.mark.parametrize(
    ("signum", "code", "line"),
    [
        (signal.SIGINT, 130, "article-qa: interrupted\n"),
        (signal.SIGTERM, 143, "article-qa: terminated\n"),
    ],
)
def test_a_signal_while_ask_builds_an_index_ends_it_in_one_line(tmp_path, signum, code, line):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(60):  # more than an in-memory folder: ask builds the index first
        (folder / f"a{n:02d}.txt").write_text(
            f"Title {n}\n\nSentence {n} here.\n", encoding="utf-8"
        )
    index = tmp_path / "index"
    asking = subprocess.Popen(
        [sys.executable, "-c", _SLOW_ASK, str(folder), str(index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert asking.stdout is not None
    assert asking.stdout.readline() == "analysing\n"  # the state under test, not a delay
    asking.send_signal(signum)
    _, err = asking.communicate(timeout=60)
    assert (asking.returncode, err) == (code, line)
    assert not list(index.glob(".tmp-*")) and not (index / "CURRENT").exists()
