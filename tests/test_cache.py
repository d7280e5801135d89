from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path

import pytest

from retrieval import QA, CorpusError
from retrieval.text import analysis, cache
from retrieval.text.articles import load_articles, read_sources

ARTICLE = """Sheriff Keeps Her Policy

The sheriff of Travis County said on Monday that she would not change course.

Dr. Smith, the county judge, disagreed. He said the county lost $1.5 million.
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "sheriff.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.pickle")) if directory.exists() else []


def fail_if_analysed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the corpus was analysed again instead of read from the cache")

    monkeypatch.setattr(cache, "parse_sources", refuse)


def test_a_cached_corpus_equals_a_fresh_analysis(article, cache_dir, monkeypatch):
    first = cache.load_corpus(article, cache_dir)
    assert len(entries(cache_dir)) == 1
    fail_if_analysed(monkeypatch)
    second = cache.load_corpus(article, cache_dir)
    expected = cache.analyse_corpus(load_articles(article))
    assert first == second == expected
    words = ["Dr", "Smith", "the", "county", "judge", "disagreed"]
    assert [t.text for t in second.tokens[1]] == words


def test_editing_the_file_rebuilds_the_entry(article, cache_dir):
    cache.load_corpus(article, cache_dir)
    article.write_text(ARTICLE.replace("Monday", "Friday"), encoding="utf-8")
    os.utime(article, ns=(1, 1))  # same size as before: only the time tells the change
    corpus = cache.load_corpus(article, cache_dir)
    assert "Friday" in corpus.articles[0].paragraphs[0].text
    assert len(entries(cache_dir)) == 1  # the stale entry was replaced, not kept beside


def test_a_new_analysis_version_rebuilds(article, cache_dir, monkeypatch):
    cache.load_corpus(article, cache_dir)
    monkeypatch.setattr(analysis, "ANALYSIS_VERSION", analysis.ANALYSIS_VERSION + 1)
    rebuilt: list[object] = []
    real = cache.parse_sources
    monkeypatch.setattr(
        cache,
        "parse_sources",
        lambda sources, *rest: rebuilt.append(sources[0].path) or real(sources, *rest),
    )
    cache.load_corpus(article, cache_dir)
    assert rebuilt == [article]
    rebuilt.clear()
    cache.load_corpus(article, cache_dir)  # and the rebuilt entry serves the next start
    assert rebuilt == []


def test_a_new_cache_version_or_changed_code_rebuilds(article, cache_dir, monkeypatch):
    cache.load_corpus(article, cache_dir)
    monkeypatch.setattr(cache, "CACHE_VERSION", cache.CACHE_VERSION + 1)
    assert cache._read(entries(cache_dir)[0], cache._key(read_sources(article))) is None
    monkeypatch.undo()
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "edited analysis code")
    assert cache._read(entries(cache_dir)[0], cache._key(read_sources(article))) is None


def test_a_same_size_edit_keeping_the_mtime_is_noticed(article, cache_dir):
    before = article.stat()
    cache.load_corpus(article, cache_dir)
    article.write_text(ARTICLE.replace("Monday", "Sunday"), encoding="utf-8")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` leaves it
    assert article.stat().st_size == before.st_size
    corpus = cache.load_corpus(article, cache_dir)
    assert "Sunday" in corpus.articles[0].paragraphs[0].text


def test_a_folder_gaining_an_article_rebuilds(tmp_path, cache_dir):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "one.txt").write_text(ARTICLE, encoding="utf-8")
    assert len(cache.load_corpus(folder, cache_dir).articles) == 1
    (folder / "two.md").write_text(ARTICLE, encoding="utf-8")
    corpus = cache.load_corpus(folder, cache_dir)
    assert [a.slug for a in corpus.articles] == ["one", "two"]
    assert corpus.articles[0].sentences[0].citation == "one¶1.1"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps("a string, not an entry"),
        pickle.dumps((None, None, None)),
    ],
)
def test_a_corrupt_entry_is_ignored_and_replaced(article, cache_dir, content, caplog):
    expected = cache.load_corpus(article, cache_dir)
    entry = entries(cache_dir)[0]
    entry.write_bytes(content)
    with caplog.at_level(logging.DEBUG, logger="retrieval.text.cache"):
        assert cache.load_corpus(article, cache_dir) == expected
    assert any(entry.name in r.getMessage() for r in caplog.records)
    assert cache._read(entry, cache._key(read_sources(article))) == expected


def test_an_entry_whose_tokens_do_not_fit_is_ignored(article, cache_dir):
    expected = cache.load_corpus(article, cache_dir)
    entry = entries(cache_dir)[0]
    key, articles, tokens = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps((key, articles, tokens[:-1])))
    assert cache._read(entry, key) is None
    assert cache.load_corpus(article, cache_dir) == expected


def test_an_unwritable_cache_is_not_required(article, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    corpus = cache.load_corpus(article, blocker / "cache")
    assert corpus == cache.analyse_corpus(load_articles(article))


def test_corpus_errors_are_raised_as_without_a_cache(tmp_path, cache_dir):
    with pytest.raises(CorpusError, match="no such file"):
        cache.load_corpus(tmp_path / "missing.txt", cache_dir)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    with pytest.raises(CorpusError, match="empty"):
        cache.load_corpus(empty, cache_dir)
    assert entries(cache_dir) == []


def test_qa_load_with_the_cache_answers_as_without(article, cache_dir, monkeypatch):
    plain = QA.load(article)
    assert entries(cache_dir) == []  # no directory, no cache
    QA.load(article, cache_dir=cache_dir)  # fills the cache
    assert len(entries(cache_dir)) == 1
    fail_if_analysed(monkeypatch)
    cached = QA.load(article, cache_dir=cache_dir)
    question = "How much money did the county lose?"
    assert cached.ask(question) == plain.ask(question)
    assert cached.sentences == plain.sentences


@pytest.mark.parametrize(
    ("modules", "module"),
    [
        (cache.CACHED_BY, "text/sentence_split.py"),
        (cache.CACHED_BY, "text/analysis.py"),
        (cache.ARCHIVED_BY, "text/sentence_split.py"),
        (cache.ARCHIVED_BY, "ranking/corpus.py"),
        (cache.ARCHIVED_BY, "archive/files.py"),
        (cache.ARCHIVED_BY, "archive/writer.py"),
        (cache.ARCHIVED_BY, "ranking/index.py"),
    ],
)
def test_editing_the_code_of_what_is_stored_changes_the_fingerprint(
    modules, module, tmp_path, monkeypatch
):
    # A cache or index made by other code is stale: the sentence splitter's abbreviations,
    # the acronym evidence, the stem table and the BM25 impacts are in modules of their own.
    for name in cache.ARCHIVED_BY:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes((cache._PACKAGE / name).read_bytes())
    monkeypatch.setattr(cache, "_PACKAGE", tmp_path)
    before = cache._code_fingerprint(modules)
    assert cache._code_fingerprint(modules) == before
    with (tmp_path / module).open("a") as handle:
        handle.write("\n# edited\n")
    assert cache._code_fingerprint(modules) != before
