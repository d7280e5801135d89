from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from test_archive import write_corpus

from bot import paths, process
from bot.cli import main
from bot.process import ARCHIVE_FILES, wants_archive
from retrieval import QA, Corpus
from retrieval.text.articles import MAX_FILE_BYTES


def test_index_builds_then_refreshes_with_a_one_line_summary(tmp_path: Path, capsys):
    corpus = write_corpus(tmp_path / "corpus", articles=3)
    assert main(["index", str(corpus), "--index-dir", str(tmp_path / "index")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("3 articles, 40 sentences, 205 terms, ")
    assert "(3 analysed, 0 unchanged)" in out[0]
    assert main(["index", str(corpus), "--index-dir", str(tmp_path / "index"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["articles"], summary["analysed"], summary["index"]) == (
        3,
        0,
        str(tmp_path / "index"),
    )


def test_index_of_a_missing_folder_exits_2_naming_it(tmp_path: Path, capsys):
    assert main(["index", str(tmp_path / "nowhere")]) == 2
    missing = tmp_path / "nowhere"
    assert capsys.readouterr().err == f"article-qa: {missing}: no such file or folder\n"


def _asked_as_in_memory(corpus: Path, capsys) -> tuple[list[str], dict]:
    """`ask --json` over `corpus` through the CLI, checked to cite what the in-memory path
    cites; the arguments and the reply."""
    question = "Who is the sheriff of Travis County?"
    args = ["ask", "--no-log", "--json", "--corpus", str(corpus), question]
    assert main(args) == 0
    reply = json.loads(capsys.readouterr().out)
    expected = QA(Corpus.load(corpus)).ask(question)
    assert [a["citation"] for a in reply["answers"]] == [a.citation for a in expected.answers]
    return args, reply


def test_a_large_folder_is_answered_from_its_archive_as_in_memory(tmp_path: Path, capsys):
    corpus = write_corpus(tmp_path / "corpus", articles=ARCHIVE_FILES + 1)
    assert wants_archive(corpus) and not wants_archive(write_corpus(tmp_path / "small", 3))
    args, reply = _asked_as_in_memory(corpus, capsys)
    assert reply["answers"][0]["citation"] == "article-00¶2.2"
    # Built once, in the cache directory, and used as it is next time.
    assert (paths.index_dir(corpus) / "CURRENT").is_file()
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == reply


def test_a_damaged_archive_is_rebuilt_with_one_line_on_stderr(tmp_path: Path, capsys):
    corpus = write_corpus(tmp_path / "corpus", articles=ARCHIVE_FILES + 1)
    index = tmp_path / "index"
    args = ["ask", "--no-log", "-k", "1", "--corpus", str(corpus), "--index-dir", str(index)]
    assert main([*args, "What is ICE responsible for?"]) == 0
    first = capsys.readouterr().out
    generation = index / (index / "CURRENT").read_text()
    (generation / "idf.npy").write_bytes(b"not numpy")
    assert main([*args, "What is ICE responsible for?"]) == 0
    captured = capsys.readouterr()
    assert captured.out == first
    assert captured.err.count("\n") == 1 and "is damaged" in captured.err


def test_answers_from_several_articles_name_each_articles_title_and_file(tmp_path: Path, capsys):
    corpus = write_corpus(tmp_path / "corpus", articles=ARCHIVE_FILES + 1)
    index = tmp_path / "index"
    question = "Who is the sheriff of Travis County?"
    args = ["ask", "--no-log", "-k", "2", "--corpus", str(corpus), "--index-dir", str(index)]
    assert main([*args, "--json", question]) == 0
    answers = json.loads(capsys.readouterr().out)["answers"]
    qa = QA(Corpus.load(corpus))
    for a in answers:
        article = qa.article(a["article"])
        assert (a["title"], a["path"]) == (article.title, str(corpus / f"{a['article']}.txt"))
        assert article.source == a["path"]
    assert main([*args, question]) == 0
    lines = capsys.readouterr().out.splitlines()
    cited = list(dict.fromkeys(a["article"] for a in answers))
    assert lines[len(answers) :] == [
        f"{slug:>7}  = {qa.article(slug).title} ({corpus / f'{slug}.txt'})" for slug in cited
    ]


def test_one_articles_answers_name_no_file(capsys):
    assert main(["ask", "--no-log", "--json", "-k", "1", "What is ICE responsible for?"]) == 0
    (answer,) = json.loads(capsys.readouterr().out)["answers"]
    assert "title" not in answer and "path" not in answer


def test_a_chat_over_several_articles_names_the_cited_ones(tmp_path: Path):
    from bot.console.chat import ChatSession

    corpus = write_corpus(tmp_path / "corpus", articles=3)
    qa = QA(Corpus.load(corpus))
    question = "Who is the sheriff of Travis County?"
    text = ChatSession(qa, k=1).handle(question)
    (answer,) = qa.ask(question, k=1).answers
    article = qa.article(answer.article)
    assert text is not None
    assert text.splitlines()[-1] == f"{answer.article:>7}  = {article.title} ({article.source})"
    line = json.loads(ChatSession(qa, k=1, as_json=True).handle(question) or "")
    assert (line["answers"][0]["title"], line["answers"][0]["path"]) == (
        article.title,
        article.source,
    )


def test_a_large_single_file_is_answered_from_its_archive_as_in_memory(
    tmp_path: Path, capsys, monkeypatch
):
    # A 50 MB article took 50 s at every ask from the in-memory path: one file over
    # ARCHIVE_BYTES goes through the archive (the threshold lowered: small files are quick).
    article = write_corpus(tmp_path / "corpus", articles=1) / "article-00.txt"
    monkeypatch.setattr(process, "ARCHIVE_BYTES", article.stat().st_size - 1)
    assert process.large_file(article) and not process.large_file(tmp_path / "corpus")
    args, reply = _asked_as_in_memory(article, capsys)
    indexes = list(paths.index_dir(article).iterdir())
    assert len(indexes) == 1 and (indexes[0] / "CURRENT").is_file()
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == reply
    assert list(paths.index_dir(article).iterdir()) == indexes  # used, not built again


def test_a_large_file_edited_keeping_its_size_and_time_is_indexed_anew(
    tmp_path: Path, capsys, monkeypatch
):
    article = tmp_path / "article.txt"
    article.write_text("Travis County\n\nThe sheriff is Sally Hernandez.\n", encoding="utf-8")
    monkeypatch.setattr(process, "ARCHIVE_BYTES", 1)
    args = ["ask", "--no-log", "-k", "1", "--corpus", str(article), "Who is the sheriff?"]
    assert main(args) == 0
    assert "Sally Hernandez" in capsys.readouterr().out
    before = article.stat()
    article.write_text("Travis County\n\nThe sheriff is Marta Fernandez.\n", encoding="utf-8")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` leaves it
    assert article.stat().st_size == before.st_size
    assert main(args) == 0
    assert "Marta Fernandez" in capsys.readouterr().out
    # The earlier content's index is gone.
    (indexes,) = [p.name for p in paths.index_dir(article).iterdir()]
    assert indexes == f"content-{hashlib.sha256(article.read_bytes()).hexdigest()[:16]}"


def test_index_of_a_large_file_is_the_one_ask_uses(tmp_path: Path, capsys, monkeypatch):
    article = write_corpus(tmp_path / "corpus", articles=1) / "article-00.txt"
    monkeypatch.setattr(process, "ARCHIVE_BYTES", 1)
    assert main(["index", str(article), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["index"] == str(process.index_location(str(article)))
    assert main(["ask", "--no-log", "--corpus", str(article), "What is ICE responsible for?"]) == 0
    assert capsys.readouterr().err == ""  # no progress bar, no build: the index was there


def test_a_device_or_an_oversized_file_is_no_large_article(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(process, "ARCHIVE_BYTES", 1)
    assert not process.large_file(Path("/dev/zero"))  # st_size 0, read forever: refused
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    assert not process.large_file(huge)  # the in-memory path says it is too large
    assert not process.large_file(tmp_path / "missing.txt")


def test_trust_index_answers_from_the_index_as_built_without_scanning(tmp_path: Path, capsys):
    corpus = write_corpus(tmp_path / "corpus", articles=ARCHIVE_FILES + 1)
    index = tmp_path / "index"
    question = "Who is the new sheriff of Travis County?"
    plain = ["ask", "--no-log", "-k", "1", "--corpus", str(corpus), "--index-dir", str(index)]
    trusted = [*plain[:1], "--trust-index", *plain[1:]]
    assert main([*trusted, question]) == 0  # no index yet: built as usual, then used
    first = capsys.readouterr().out
    assert "Sally Hernandez" in first
    (corpus / "article-00.txt").write_text(
        "Austin news\n\nThe new sheriff of Travis County is Marta Fernandez.\n", encoding="utf-8"
    )
    assert main([*trusted, question]) == 0
    assert capsys.readouterr().out == first  # the change is not looked for
    assert main([*plain, question]) == 0
    assert "Marta Fernandez" in capsys.readouterr().out  # without it, the index is refreshed


def test_trust_index_never_answers_from_another_corpus_index(tmp_path: Path, capsys):
    big = write_corpus(tmp_path / "big", articles=ARCHIVE_FILES + 1)
    index = tmp_path / "index"
    assert main(["index", str(big), "--index-dir", str(index)]) == 0
    small = tmp_path / "small"
    small.mkdir()
    (small / "one.txt").write_text("Gardens\n\nThe children planted trees.\n", encoding="utf-8")
    capsys.readouterr()
    args = ["ask", "--no-log", "--trust-index", "--corpus", str(small), "--index-dir", str(index)]
    assert main([*args, "Who is the sheriff of Travis County?"]) == 0
    assert capsys.readouterr().out.startswith("The article doesn't say")


def test_a_path_name_too_long_is_one_line_and_exit_2(tmp_path: Path, capsys):
    too_long = str(tmp_path / ("a" * 300))
    assert main(["index", too_long]) == 2
    assert main(["ask", "--no-log", "--trust-index", "--corpus", too_long, "x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "File name too long" in err


def test_index_with_nothing_changed_writes_nothing_and_says_up_to_date(tmp_path: Path):
    folder, index = tmp_path / "many", tmp_path / "index"
    folder.mkdir()
    for n in range(60):
        (folder / f"a{n:02d}.txt").write_text(
            f"Title {n}\n\nSentence {n} here.\n", encoding="utf-8"
        )
    assert main(["index", str(folder), "--index-dir", str(index)]) == 0
    [generation] = index.glob("gen-*")
    before = {p.name: p.stat().st_mtime_ns for p in generation.iterdir()}
    current = (index / "CURRENT").stat().st_mtime_ns
    result = subprocess.run(
        [sys.executable, "-m", "bot", "index", str(folder), "--index-dir", str(index)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("up to date: 60 articles, 60 sentences, ")
    assert result.stdout.endswith(f" MB on disk, nothing written, in {index}\n")
    assert [p.name for p in index.glob("gen-*")] == [generation.name]
    assert {p.name: p.stat().st_mtime_ns for p in generation.iterdir()} == before
    assert (index / "CURRENT").stat().st_mtime_ns == current
    # A changed file is a refresh as before.
    (folder / "a00.txt").write_text("Title 0\n\nAnother sentence.\n", encoding="utf-8")
    assert main(["index", str(folder), "--index-dir", str(index), "--json"]) == 0
    assert len(list(index.glob("gen-*"))) == 2


def test_an_index_skips_files_that_are_not_articles_and_picks_them_up_once_fixed(tmp_path: Path):
    folder, index = tmp_path / "many", tmp_path / "index"
    folder.mkdir()
    for n in range(60):
        (folder / f"a{n:02d}.txt").write_text(
            f"Title {n}\n\nSentence {n} here.\n", encoding="utf-8"
        )
    (folder / "binary.txt").write_bytes(b"\xff\xfe\x00bin")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    warnings = (
        f"article-qa: skipped {folder / 'binary.txt'}: binary data, not a text article\n"
        f"article-qa: skipped {folder / 'empty.txt'}: the file is empty\n"
    )

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "bot", *args]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    built = cli("index", str(folder), "--index-dir", str(index))
    assert (built.returncode, built.stderr) == (0, warnings)
    assert "(60 analysed, 0 unchanged, 2 skipped (not articles))" in built.stdout
    again = cli("index", str(folder), "--index-dir", str(index))
    assert (again.returncode, again.stderr) == (0, warnings)
    assert again.stdout.startswith("up to date: 60 articles, 2 skipped (not articles), ")
    ask = ("ask", "--no-log", "--json", "--corpus", str(folder), "--index-dir", str(index))
    asked = cli(*ask, "Sentence 7?")
    assert (asked.returncode, asked.stderr) == (0, warnings)
    assert json.loads(asked.stdout)["answers"][0]["citation"] == "a07¶1.1"
    (folder / "empty.txt").write_text("Fixed\n\nNow about oxygen.\n", encoding="utf-8")
    fixed = cli(*ask, "What about oxygen?")
    assert (fixed.returncode, fixed.stderr) == (0, warnings.splitlines(keepends=True)[0])
    assert json.loads(fixed.stdout)["answers"][0]["citation"] == "empty¶1.1"


def test_an_index_of_nothing_but_bad_files_is_an_error(tmp_path: Path):
    folder = tmp_path / "bad"
    folder.mkdir()
    for n in range(60):
        (folder / f"e{n:02d}.txt").write_text("", encoding="utf-8")
    assert main(["index", str(folder), "--index-dir", str(tmp_path / "index")]) == 2


def test_strict_refuses_a_folder_with_a_file_that_is_not_an_article(tmp_path: Path, capsys):
    small, many, index = tmp_path / "small", tmp_path / "many", tmp_path / "index"
    for folder, count in ((small, 2), (many, 60)):
        folder.mkdir()
        for n in range(count):
            (folder / f"a{n:02d}.txt").write_text(
                f"T {n}\n\nSentence {n} here.\n", encoding="utf-8"
            )
        (folder / "empty.txt").write_text("", encoding="utf-8")
    refused = "article-qa: {}: the file is empty\n"
    assert main(["ask", "--no-log", "--strict", "--corpus", str(small), "Sentence 1?"]) == 2
    assert capsys.readouterr().err == refused.format(small / "empty.txt")
    assert main(["index", "--strict", str(many), "--index-dir", str(index)]) == 2
    assert capsys.readouterr().err == refused.format(many / "empty.txt")
    # Built without it (the file skipped), the index is still refused under --strict.
    assert main(["index", str(many), "--index-dir", str(index)]) == 0
    capsys.readouterr()
    ask = ["ask", "--no-log", "--strict", "--corpus", str(many), "--index-dir", str(index), "1?"]
    assert main(ask) == 2
    assert capsys.readouterr().err == refused.format(many / "empty.txt")
