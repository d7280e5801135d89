from __future__ import annotations

import dataclasses
import json
import os
import pickle
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval import QA, Corpus, CorpusError
from retrieval.archive import builder as archive_module
from retrieval.archive import files as archive_files
from retrieval.archive import workers as archive_workers
from retrieval.archive import writer as archive_store
from retrieval.archive.builder import ARRAYS, build, open_archive
from retrieval.archive.corpus import ArchiveCorpus
from retrieval.ranking.index import BM25Index
from retrieval.text.articles import bundled_article_path

QUESTIONS = [
    "Who is the sheriff of Travis County?",
    "What is ICE responsible for?",
    "How much money did Travis County lose?",
    "When was Jeff Sessions born?",
    "What did Sessions announce?",
    "Who is Eddie Rodriguez?",
    "What party does Rodriguez belong to?",
    "What are sanctuary cities?",
    "Which grants will be withheld?",
    "What did the Department of Justice say?",
    "Who supports the sheriff's policy?",
    "What could the county have to cut?",
    "How many jurisdictions are there?",
    "What is the Byrne JAG program?",
    "Why did Austin lose money?",
    "Who is the Attorney General?",
    "What does Immigration and Customs Enforcement do?",
    "Where is Austin located?",
    "What happened to veterans with PTSD?",
    "Is the NRA mentioned?",
    "What is the article about?",
    "hello",
    "What did Trump sign?",
    "Which cities refuse to cooperate?",
    "What is a detainer request?",
    "How many people were deported?",
    "What else?",
    "Who said that increased financial pressure could matter?",
    "What is the federal agency responsible for deportations?",
    "Who announced the policy?",
]


def _paragraphs() -> list[str]:
    lines = bundled_article_path().read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()][1:]


def write_corpus(root: Path, articles: int = 12, seed: int = 1) -> Path:
    """Articles made of the bundled article's paragraphs, shuffled: real text, many files."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paragraphs = _paragraphs()
    for i in range(articles):
        chosen = rng.sample(paragraphs, 6)
        title = f"Report {i}: {rng.choice(paragraphs)[:40]}"
        (root / f"article-{i:02d}.txt").write_text(
            title + "\n\n" + "\n\n".join(chosen) + "\n", encoding="utf-8"
        )
    return root


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


def _archive_qa(root: Path, index: Path) -> QA:
    build(root, index)
    opened = open_archive(root, index)
    assert opened is not None
    return QA(ArchiveCorpus(opened))


def test_answers_through_the_archive_equal_the_in_memory_answers(corpus_dir, tmp_path):
    archived, memory = _archive_qa(corpus_dir, tmp_path / "index"), QA(Corpus.load(corpus_dir))
    assert len(archived.sentences) == len(memory.sentences) == 159
    assert archived.corpus.acronyms == memory.corpus.acronyms
    assert list(archived.corpus.acronyms) == list(memory.corpus.acronyms)
    assert archived.corpus.names == memory.corpus.names
    previous_a = previous_m = None
    for question in QUESTIONS:
        a = archived.ask(question, k=5, previous=previous_a)
        m = memory.ask(question, k=5, previous=previous_m)
        assert a == m, question
        previous_a, previous_m = a, m
    assert archived.ask(QUESTIONS[0]).answers[0].citation == "article-00¶2.2"


def test_articles_and_sentences_read_from_the_archive_equal_the_loaded_ones(corpus_dir, tmp_path):
    archived, memory = _archive_qa(corpus_dir, tmp_path / "index"), QA(Corpus.load(corpus_dir))
    assert list(archived.sentences) == list(memory.sentences)
    assert list(archived.articles) == list(memory.articles)
    assert archived.paragraph(3, "article-05") == memory.paragraph(3, "article-05")
    assert archived.article("ARTICLE-07") == memory.article("article-07")
    for doc in (0, 1, 7, 100, 158):
        assert archived.corpus.profiles[doc] == memory.corpus.profiles[doc]
        assert archived.corpus.spans[doc] == memory.corpus.spans[doc]
    with pytest.raises(LookupError):
        archived.article("nowhere")


def test_the_archive_scores_equal_the_in_memory_index(tmp_path):
    rng = random.Random(7)
    words = [f"w{i}" for i in range(300)]
    root = tmp_path / "zipf"
    root.mkdir()
    for f in range(30):
        paragraphs = [
            " ".join(
                " ".join(rng.choices(words, weights=[1 / (r + 1) for r in range(300)], k=9)) + "."
                for _ in range(3)
            )
            for _ in range(4)
        ]
        (root / f"f{f}.txt").write_text("Title\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    corpus = ArchiveCorpus(build(root, tmp_path / "index")[0])
    reference = BM25Index(Corpus.load(root).terms, small=0)
    assert corpus.retriever.size == reference.size == 360
    for _ in range(200):
        query = {rng.choice(words): rng.choice((1.0, 0.5, 2.0)) for _ in range(rng.randint(1, 6))}
        k = rng.choice((1, 5, 15, 50))
        assert corpus.retriever.search(query, k) == reference.search(query, k)
    assert dict(corpus.retriever.idf.items()) == reference.idf


def _contents(index: Path) -> dict[str, object]:
    generation = index / (index / "CURRENT").read_text()
    found: dict[str, object] = {name: np.load(generation / f"{name}.npy") for name in ARRAYS}
    for name in ("meta.json", "acronyms.json", "files.json"):
        found[name] = json.loads((generation / name).read_text(encoding="utf-8"))
    found["text"] = (generation / "text.txt").read_bytes()
    found["articles"] = (generation / "articles.txt").read_bytes()
    found["terms"] = (generation / "terms.txt").read_bytes()
    return found


def test_a_refresh_reanalyses_only_changed_files_and_equals_a_full_rebuild(corpus_dir, tmp_path):
    build(corpus_dir, tmp_path / "index")
    (corpus_dir / "article-03.txt").write_text(
        "New title\n\nThe NRA said so. The National Rifle Association objected.\n",
        encoding="utf-8",
    )
    (corpus_dir / "article-05.txt").unlink()
    (corpus_dir / "article-99.txt").write_text("Extra\n\nA zebra escaped.\n", encoding="utf-8")
    assert open_archive(corpus_dir, tmp_path / "index") is None  # stale
    refreshed, summary = build(corpus_dir, tmp_path / "index")
    assert summary.analysed == 2 and summary.articles == 12
    build(corpus_dir, tmp_path / "fresh")
    ours, theirs = _contents(tmp_path / "index"), _contents(tmp_path / "fresh")
    assert ours.keys() == theirs.keys()
    # The known stems are a cache that a refresh only adds to (tests/test_archive_stems.py).
    stems = refreshed.stems().as_dict()
    assert open_archive(corpus_dir, tmp_path / "fresh").stems().as_dict().items() <= stems.items()
    for name in ("stem_words", "stem_stems"):
        del ours[name], theirs[name]
    for name, value in ours.items():
        if isinstance(value, np.ndarray):
            assert value.dtype == theirs[name].dtype and np.array_equal(value, theirs[name]), name
        else:
            assert value == theirs[name], name
    assert ArchiveCorpus(refreshed).acronyms["nra"] == ("nation", "rifl", "associ")
    # Unchanged files: nothing analysed, the same index is reported up to date.
    assert build(corpus_dir, tmp_path / "index")[1].analysed == 0
    assert open_archive(corpus_dir, tmp_path / "index") is not None


def test_an_interrupted_build_leaves_the_previous_index_usable(corpus_dir, tmp_path, monkeypatch):
    index = tmp_path / "index"
    build(corpus_dir, index)
    (corpus_dir / "article-01.txt").write_text("T\n\nChanged text here.\n", encoding="utf-8")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive_module, "write_generation", full_disk)
    with pytest.raises(OSError):
        build(corpus_dir, index)
    assert [p.name for p in index.iterdir() if p.name.startswith(".tmp-")] == []
    # Still the old generation: complete and readable, though stale for the changed file.
    assert archive_module._open(index, None) is not None


@pytest.mark.parametrize("damage", ["truncate", "version", "garbage"])
def test_a_damaged_or_foreign_index_is_rebuilt_with_one_notice(corpus_dir, tmp_path, damage):
    index = tmp_path / "index"
    build(corpus_dir, index)
    generation = index / (index / "CURRENT").read_text()
    if damage == "truncate":
        path = generation / "posting_docs.npy"
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "version":
        meta = json.loads((generation / "meta.json").read_text())
        (generation / "meta.json").write_text(json.dumps({**meta, "format": 0}))
    else:
        (generation / "articles.txt").write_text("cut short")
    notices: list[str] = []
    assert open_archive(corpus_dir, index, notices.append) is None
    assert len(notices) == 1 and notices[0].endswith("; rebuilding it")
    _, summary = build(corpus_dir, index, notice=notices.append)
    assert summary.analysed == 12
    assert open_archive(corpus_dir, index) is not None


def test_progress_counts_files_and_sentences(corpus_dir, tmp_path):
    seen: list[tuple[int, int, int]] = []
    build(corpus_dir, tmp_path / "index", progress=lambda *p: seen.append(p))
    assert len(seen) == 12 and seen[-1] == (12, 12, 159)


def test_a_refresh_that_drops_the_longest_initials_equals_a_full_rebuild(corpus_dir, tmp_path):
    long_phrase = "Alpha Beta Gamma Delta Epsilon Zeta"
    (corpus_dir / "long.txt").write_text(
        f"Long\n\nThe {long_phrase} group met. The ABGDEZ group left.\n", encoding="utf-8"
    )
    first = build(corpus_dir, tmp_path / "index")[0]
    assert first.arrays["phrase_initials"].dtype.itemsize == 6
    assert ArchiveCorpus(first).acronyms["abgdez"] == (
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "zeta",
    )
    (corpus_dir / "long.txt").unlink()
    refreshed = build(corpus_dir, tmp_path / "index")[0]
    fresh = build(corpus_dir, tmp_path / "fresh")[0]
    for name in ARRAYS:
        ours, theirs = refreshed.arrays[name], fresh.arrays[name]
        if not name.startswith("stem_"):
            assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs), name
    assert "abgdez" not in ArchiveCorpus(refreshed).acronyms


def test_a_build_in_several_processes_equals_one_in_this_process(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(archive_module, "PARALLEL_FROM", 2)
    seen: list[tuple[int, int, int]] = []
    build(corpus_dir, tmp_path / "serial")
    build(corpus_dir, tmp_path / "parallel", progress=lambda *p: seen.append(p), workers=2)
    ours, theirs = _contents(tmp_path / "parallel"), _contents(tmp_path / "serial")
    for name, value in ours.items():
        if isinstance(value, np.ndarray):
            assert value.dtype == theirs[name].dtype and np.array_equal(value, theirs[name]), name
        else:
            assert value == theirs[name], name
    assert seen[-1] == (12, 12, 159)
    # A file that is no longer an article, refused in a worker: left out, said so, and the
    # rest indexed.
    (corpus_dir / "article-04.txt").write_bytes(b"Title\n\n\xff\xfe not text\n")
    monkeypatch.setattr(archive_module, "PARALLEL_FROM", 1)
    said: list[str] = []
    _, summary = build(corpus_dir, tmp_path / "parallel", notice=said.append, workers=2)
    bad = corpus_dir / "article-04.txt"
    assert said == [f"skipped {bad}: not UTF-8 text (bad byte at offset 7)"]
    assert (summary.articles, summary.skipped) == (11, 1)
    assert open_archive(corpus_dir.parent / "corpus", tmp_path / "parallel") is not None


_PARAGRAPH = st.lists(
    st.sampled_from(
        "The NRA said . Rifle Association of America ICE 1,373 él Σam ΑΣ İb two hundred".split()
    ),
    min_size=1,
    max_size=12,
).map(" ".join)


@given(st.lists(st.one_of(_PARAGRAPH, st.text(max_size=30)), min_size=1, max_size=4))
def test_a_chunk_a_worker_sends_arrives_as_it_was_analysed(paragraphs):
    try:
        chunk = archive_files.analyse_file("Title\n\n" + "\n\n".join(paragraphs), "a.txt")
    except CorpusError:
        return  # no paragraph left to analyse: nothing is sent
    arrived = archive_files.unpack(pickle.loads(pickle.dumps(archive_files.pack(chunk))))
    for field in dataclasses.fields(chunk):
        ours, theirs = getattr(chunk, field.name), getattr(arrived, field.name)
        if field.name == "evidence":
            for part in dataclasses.fields(ours):
                sent, received = getattr(ours, part.name), getattr(theirs, part.name)
                if isinstance(sent, np.ndarray):
                    assert sent.dtype == received.dtype and np.array_equal(sent, received)
                else:
                    assert sent == received
        elif field.name == "words":
            assert sorted(ours) == sorted(theirs)  # a list on arrival
        elif isinstance(ours, np.ndarray):
            assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs), field.name
        else:
            assert ours == theirs, field.name
    # The ids into the chunk's own terms are replaced on arrival: no kept array holds on to
    # their memory.
    kept = [arrived.sentence_paragraph, arrived.sentence_start, arrived.term_counts]
    replaced = [arrived.term_ids, arrived.evidence.names, arrived.evidence.phrase_terms]
    assert not any(_memory(k) is _memory(r) for k in kept for r in replaced)


def _memory(array: np.ndarray) -> object:
    """What an array's data lives in: the bytes it was made from, or itself."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array if array.base is None else array.base


def test_an_index_is_stale_when_a_file_is_renamed_or_touched(corpus_dir, tmp_path):
    build(corpus_dir, tmp_path / "index")
    assert open_archive(corpus_dir, tmp_path / "index") is not None
    (corpus_dir / "article-02.txt").rename(corpus_dir / "article-2b.txt")
    assert open_archive(corpus_dir, tmp_path / "index") is None
    build(corpus_dir, tmp_path / "index")
    stat = (corpus_dir / "article-03.txt").stat()
    os.utime(corpus_dir / "article-03.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert open_archive(corpus_dir, tmp_path / "index") is None
    assert build(corpus_dir, tmp_path / "index")[1].analysed == 0  # the same bytes
    assert open_archive(corpus_dir, tmp_path / "index") is not None


def test_a_second_build_waits_for_the_first_then_refreshes_from_it(corpus_dir, tmp_path):
    import fcntl
    import threading

    index = tmp_path / "index"
    build(corpus_dir, index)
    notices: list[str] = []
    waiting = threading.Event()

    def notice(message: str) -> None:
        notices.append(message)
        waiting.set()

    results: list[object] = []
    with (index / archive_module.LOCK).open("a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a first build holds it
        (index / ".tmp-killed").mkdir()  # what a build killed mid-way left
        second = threading.Thread(
            target=lambda: results.append(build(corpus_dir, index, notice=notice))
        )
        second.start()
        assert waiting.wait(timeout=60)
        assert not results  # still waiting
        fcntl.flock(held, fcntl.LOCK_UN)
    second.join(timeout=60)
    assert notices == [f"waiting for another build of the index in {index}"]
    assert results[0][1].analysed == 0  # type: ignore[index]
    assert not (index / ".tmp-killed").exists()
    assert open_archive(corpus_dir, index) is not None


def test_two_processes_building_one_index_at_once_leave_it_whole(corpus_dir, tmp_path):
    import subprocess
    import sys

    script = (
        "import sys; from retrieval.archive.builder import build; "
        "print(build(sys.argv[1], sys.argv[2])[1].analysed)"
    )
    index = tmp_path / "index"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(corpus_dir), str(index)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        for _ in range(2)
    ]
    outcomes = sorted((run.wait(timeout=120), *run.communicate()) for run in runs)
    # One built it; the other waited and found nothing left to analyse, nor to write.
    assert [o[:2] for o in outcomes] == [(0, "0\n"), (0, "12\n")]
    assert [p.name for p in index.iterdir() if p.name.startswith(".tmp-")] == []
    assert len([p for p in index.iterdir() if p.name.startswith("gen-")]) == 1
    opened = open_archive(corpus_dir, index)
    assert opened is not None and opened.size == 159


def test_articles_are_found_by_slug_without_a_table_of_them(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    for name in ["b", "a", "B", "c-1", "c 1", "z", "é"]:
        (root / f"{name}.txt").write_text(f"Title {name}\n\nText of {name}.\n", encoding="utf-8")
    archive = build(root, tmp_path / "index")[0]
    slugs = [r.slug for r in archive.articles]
    assert len(set(slugs)) == len(slugs) == 7
    assert [archive.articles.find(s) for s in slugs] == list(range(7))
    assert archive.articles.find("nowhere") is None and archive.articles.find("") is None
    assert archive.articles[-1] == archive.articles[6] and archive.articles[0].title == "Title B"


_SLOW_BUILD = """
import os, sys, time
from retrieval.archive import builder as archive
from retrieval.archive import workers
archive.PARALLEL_FROM, workers.PARALLEL_BATCH = 2, 1
analyse = workers.analyse_file
def slowly(text, source):
    os.write(1, b"analysing\\n")  # from a worker, in one write: the state the test waits for
    time.sleep(1)
    return analyse(text, source)
workers.analyse_file = slowly
print("building", flush=True)
try:
    archive.build(sys.argv[1], sys.argv[2], workers=2)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(130)
print("finished", flush=True)
"""


def test_ctrl_c_stops_a_build_in_several_processes_at_once(corpus_dir, tmp_path):
    import signal
    import subprocess
    import sys

    index = tmp_path / "index"
    run = subprocess.Popen(
        [sys.executable, "-c", _SLOW_BUILD, str(corpus_dir), str(index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        cwd=Path(__file__).resolve().parents[1],
    )
    assert run.stdout is not None and run.stdout.readline() == "building\n"
    # Into the files (a dozen, a second each, two at a time): waited for, not slept on.
    assert run.stdout.readline() == "analysing\n"
    os.killpg(run.pid, signal.SIGINT)  # Ctrl-C reaches the workers too
    out, err = run.communicate(timeout=60)
    # The workers finish the files already handed to them (two each at most), then the
    # build stops: nowhere near the twelve.
    assert (run.returncode, out.replace("analysing\n", ""), err) == (130, "interrupted\n", "")
    assert out.count("analysing\n") <= 4
    assert [p.name for p in index.iterdir()] == [".lock"]


def _killed(*_args: object) -> None:
    os._exit(9)  # as the out-of-memory killer ends a process: no exception, no cleanup


@pytest.mark.parametrize("where", ["analysing", "writing"])
def test_a_build_process_killed_is_one_error_and_leaves_the_index_as_it_was(
    corpus_dir, tmp_path, monkeypatch, where
):
    index = tmp_path / "index"
    build(corpus_dir, index)
    before = _contents(index)
    (corpus_dir / "article-04.txt").write_text(
        "Title\n\nA new first paragraph.\n", encoding="utf-8"
    )
    monkeypatch.setattr(archive_module, "PARALLEL_FROM", 1)  # the one changed file: in a worker
    # Patched before the workers fork: the work handed to them runs it.
    if where == "analysing":
        monkeypatch.setattr(archive_workers, "analyse_file", _killed)
    else:
        monkeypatch.setattr(archive_store, "postings", _killed)
    with pytest.raises(CorpusError) as raised:
        build(corpus_dir, index, workers=2)
    assert str(raised.value) == (
        f"{index}: a process building the index stopped unexpectedly (killed, or out of "
        "memory?); the index is as it was before this build"
    )
    assert not list(index.glob(".tmp-*"))
    after = _contents(index)
    assert after.keys() == before.keys()
    for name, value in after.items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(value, before[name]), name
        else:
            assert value == before[name], name


_REFRESH_ONE = """
import sys
from retrieval.archive.builder import build
from retrieval.text import analysis
archive, summary = build(sys.argv[1], sys.argv[2])
print(summary.analysed, "nltk" in sys.modules, analysis._known_stems)
"""


def test_refreshing_a_file_of_known_words_needs_no_nltk(corpus_dir, tmp_path):
    import subprocess
    import sys

    build(corpus_dir, tmp_path / "index")
    changed = corpus_dir / "article-04.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe sheriff said so.\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _REFRESH_ONE, str(corpus_dir), str(tmp_path / "index")],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    # Split with Punkt's patterns compiled here, stemmed from the index's own table (which
    # the process stops using when the build is done).
    assert done.stdout == "1 False []\n"
