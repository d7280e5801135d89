"""An archive's freshness from one digest of its folder, and the walk that makes it started
in a child process ahead of the imports (bot.scan_ahead)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from array import array
from pathlib import Path

import pytest
from test_archive import write_corpus

from bot import launch, process, scan_ahead
from bot.process import ARCHIVE_FILES
from bot.scan_ahead import ScanAhead, scan_ahead_for
from retrieval import Corpus
from retrieval.archive.builder import build
from retrieval.archive.reader import open_archive
from retrieval.text.articles import scan_articles
from retrieval.text.scan import Scan, folder_listing, stat_columns


def test_a_folders_digest_changes_with_any_files_name_size_or_time(tmp_path: Path):
    corpus = write_corpus(tmp_path / "corpus", articles=4)
    first = scan_articles(corpus).digest
    assert scan_articles(corpus).digest == first
    file = corpus / "article-01.txt"
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    touched = scan_articles(corpus).digest
    file.write_text(file.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    grown = scan_articles(corpus).digest
    file.rename(corpus / "article-01b.txt")
    renamed = scan_articles(corpus).digest
    assert len({first, touched, grown, renamed}) == 4


def test_an_index_records_its_scan_and_is_current_by_it_or_by_its_file_list(tmp_path: Path):
    corpus = write_corpus(tmp_path / "corpus", articles=4)
    index = tmp_path / "index"
    archive, _ = build(corpus, index)
    scan = scan_articles(corpus)
    assert archive.meta["scan"] == scan.digest
    # The same files listed in another order: a digest of its own, and still current.
    reordered = Scan(
        scan.keys[::-1], scan.paths[::-1], array("q", scan.sizes[::-1]), scan.mtimes[::-1]
    )
    assert reordered.digest != scan.digest
    assert reordered.files() == scan.files()
    assert open_archive(corpus, index, scan=reordered) is not None
    # An index from before digests were recorded is current by its file list.
    meta_file = archive.directory / "meta.json"
    meta = json.loads(meta_file.read_text())
    del meta["scan"]
    meta_file.write_text(json.dumps(meta))
    assert open_archive(corpus, index) is not None
    (corpus / "article-03.txt").unlink()
    assert open_archive(corpus, index) is None


@pytest.mark.parametrize(
    "arguments",
    [
        ["chat", "--corpus", "{folder}"],
        ["ask", "--trust-index", "--corpus", "{folder}", "q"],
        ["ask", "--sphinx", "h:1/i", "--corpus", "{folder}", "q"],
        ["ask", "--corpus", "{folder}/article-00.txt", "q"],
        ["ask", "--corpus", "{folder}/missing", "q"],
        ["ask", "--trust", "--corpus", "{folder}", "q"],
        ["ask", "--sphinx=h:1/i", "--corpus", "{folder}", "q"],
        ["ask", "q", "--", "--corpus", "{folder}"],
        ["ask", "q"],
        [],
    ],
)
def test_no_walk_ahead_but_for_one_question_to_a_folder(tmp_path: Path, arguments):
    folder = write_corpus(tmp_path / "corpus", articles=2)
    assert scan_ahead_for([a.format(folder=folder) for a in arguments]) is None


@pytest.mark.parametrize("spelling", ["separate", "joined"])
def test_the_walk_ahead_finds_the_digest_this_process_would(tmp_path: Path, spelling):
    folder = str(write_corpus(tmp_path / "corpus", articles=5))
    given = ["--corpus", folder] if spelling == "separate" else [f"--corpus={folder}"]
    ahead = scan_ahead_for(["ask", "--no-log", *given, "Who is the sheriff?"])
    assert ahead is not None and ahead.path == folder
    pid = ahead._pid
    assert ahead.digest() == scan_articles(Path(folder)).digest
    assert ahead.digest() == scan_articles(Path(folder)).digest  # asked again: kept
    with pytest.raises(ChildProcessError):
        os.waitpid(pid or -1, 0)  # reaped: no child left behind


def test_a_walk_ahead_that_fails_leaves_the_walk_to_this_process(tmp_path: Path):
    ahead = ScanAhead.start(str(tmp_path / "gone"))  # the child finds no folder
    assert ahead is not None
    assert ahead.digest() is None


def test_a_walk_ahead_never_used_is_stopped_and_reaped(tmp_path: Path):
    ahead = ScanAhead.start(str(write_corpus(tmp_path / "corpus", articles=2)))
    assert ahead is not None
    pid = ahead._pid
    ahead.close()
    ahead.close()  # twice: nothing more to do
    with pytest.raises(ChildProcessError):
        os.waitpid(pid or -1, 0)


def test_ask_uses_the_index_the_walk_ahead_found_current_and_refreshes_a_stale_one(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
):
    corpus = write_corpus(tmp_path / "corpus", articles=ARCHIVE_FILES + 1)
    index = tmp_path / "index"
    question = "Who is the new sheriff of Travis County?"
    argv = ["article-qa", "ask", "--no-log", "-k", "1", "--corpus", str(corpus)]
    argv += ["--index-dir", str(index), question]
    monkeypatch.setattr(sys, "argv", argv)
    assert launch.main() == 0  # no index yet: built, then used
    first = capsys.readouterr().out
    assert "Sally Hernandez" in first

    def no_walk(path: Path) -> None:
        raise AssertionError(f"{path} walked in this process")

    with monkeypatch.context() as patched:
        patched.setattr(process, "archive_files", no_walk)
        assert launch.main() == 0  # current: the child's walk was enough
    assert capsys.readouterr().out == first
    (corpus / "article-00.txt").write_text(
        "Austin news\n\nThe new sheriff of Travis County is Marta Fernandez.\n", encoding="utf-8"
    )
    assert launch.main() == 0  # stale: walked here, refreshed, answered from the change
    assert "Marta Fernandez" in capsys.readouterr().out


def test_the_entry_point_imports_nothing_heavy_before_it_forks():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, bot.launch; print(sorted({'numpy', 'retrieval.ranking.answer', 'bot.cli'}"
            " & set(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout == "[]\n"


def _folder_with_a_subfolder_and_a_broken_link(tmp_path: Path) -> Path:
    folder = write_corpus(tmp_path / "corpus", articles=6)
    write_corpus(folder / "more", articles=3, seed=2)
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")  # cannot be stat'ed
    return folder


def test_the_stat_calls_shared_with_a_second_process_give_the_same_columns(tmp_path: Path):
    folder = _folder_with_a_subfolder_and_a_broken_link(tmp_path)
    _, entries = folder_listing(str(folder))
    alone = stat_columns(entries)
    assert -1 in alone[0]
    assert scan_ahead._stat_in_two(entries) == alone


def test_a_helper_that_fails_leaves_its_half_to_the_walker(tmp_path: Path, monkeypatch):
    folder = _folder_with_a_subfolder_and_a_broken_link(tmp_path)
    _, entries = folder_listing(str(folder))
    short = scan_ahead._fork(lambda: b"too short")
    assert short is not None and scan_ahead._columns_from(short, 3) is None

    def broken() -> bytes:
        raise OSError("the disk went away")

    failed = scan_ahead._fork(broken)
    assert failed is not None and scan_ahead._columns_from(failed, 0) is None  # exit status 1
    monkeypatch.setattr(scan_ahead, "_fork", lambda work: None)
    assert scan_ahead._stat_in_two(entries) == stat_columns(entries)


def test_a_walk_ahead_in_two_processes_finds_the_digest_this_process_would(
    tmp_path: Path, monkeypatch
):
    folder = _folder_with_a_subfolder_and_a_broken_link(tmp_path)
    monkeypatch.setattr(scan_ahead, "SPLIT_FROM", 2)  # the forked walker reads it
    ahead = ScanAhead.start(str(folder))
    assert ahead is not None
    assert ahead.digest() == scan_articles(folder).digest


def test_a_question_after_double_dash_is_never_taken_for_the_folder(tmp_path: Path):
    folder = str(write_corpus(tmp_path / "corpus", articles=2))
    ahead = scan_ahead_for(["ask", "--corpus", folder, "--", "--corpus=/"])
    assert ahead is not None and ahead.path == folder
    ahead.close()


def test_the_walk_ahead_spells_the_folder_as_the_index_records_it(tmp_path: Path, monkeypatch):
    folder = write_corpus(tmp_path / "corpus", articles=3)
    monkeypatch.chdir(tmp_path)
    for spelling in ("./corpus/", "corpus//", str(folder) + "/"):
        ahead = ScanAhead.start(spelling)
        assert ahead is not None and ahead.path == spelling
        assert ahead.digest() == scan_articles(Path(spelling)).digest


def test_a_small_folder_with_an_index_is_answered_in_memory_as_without_the_walk(
    tmp_path: Path, capsys
):
    small = str(write_corpus(tmp_path / "small", articles=3))
    index = str(tmp_path / "index")
    build(small, Path(index))
    qa = process.load_corpus(small, index_dir=index, scan_ahead=ScanAhead.start(small))
    plain = process.load_corpus(small, index_dir=index)
    assert qa is not None and plain is not None
    assert type(qa.corpus) is type(plain.corpus) is Corpus


def test_a_damaged_index_is_reported_once_through_the_entry_point(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
):
    corpus = write_corpus(tmp_path / "corpus", articles=ARCHIVE_FILES + 1)
    index = tmp_path / "index"
    argv = ["article-qa", "ask", "--no-log", "-k", "1", "--corpus", str(corpus)]
    monkeypatch.setattr(sys, "argv", [*argv, "--index-dir", str(index), "Who is the sheriff?"])
    assert launch.main() == 0
    first = capsys.readouterr().out
    (index / (index / "CURRENT").read_text() / "idf.npy").write_bytes(b"not numpy")
    assert launch.main() == 0
    captured = capsys.readouterr()
    assert captured.out == first
    assert captured.err.count("\n") == 1 and "is damaged" in captured.err
