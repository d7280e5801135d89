"""Opening an archive index: its generation's memory-mapped arrays and the small records
beside them, checked for the shapes that must agree (see layout.py).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..text import analysis
from ..text.articles import Scan, scan_articles
from ..text.cache import ARCHIVED_BY, _code_fingerprint
from .layout import (
    ARRAYS,
    ARTICLES,
    CURRENT,
    FILE_PATHS,
    FORMAT_VERSION,
    ArticleRecords,
    FileRecord,
    file_paths_bytes,
)

log = logging.getLogger(__name__)

Notice = Callable[[str], None]


@dataclass(frozen=True)
class Archive:
    """An opened index: memory-mapped arrays and the small records beside them."""

    directory: Path  # the generation
    meta: dict[str, object]
    articles: ArticleRecords
    arrays: dict[str, np.ndarray]
    text: np.ndarray  # text.txt as bytes (memory-mapped)
    terms: np.ndarray  # terms.txt as bytes (memory-mapped)

    @property
    def size(self) -> int:
        return len(self.arrays["sentence_paragraph"])

    def paragraph_text(self, paragraph: int) -> str:
        offsets = self.arrays["paragraph_offsets"]
        start, end = int(offsets[paragraph]), int(offsets[paragraph + 1]) - 1
        return self.text[start:end].tobytes().decode("utf-8")

    def term(self, row: int) -> str:
        offsets = self.arrays["term_offsets"]
        start, end = int(offsets[row]), int(offsets[row + 1]) - 1
        return self.terms[start:end].tobytes().decode("utf-8")

    def vocabulary(self) -> list[str]:
        """Every term, sorted (a refresh's work: a Python string per term)."""
        if not len(self.arrays["idf"]):
            return []
        return self.terms[:].tobytes().decode("utf-8").split("\n")[: len(self.arrays["idf"])]

    def stems(self) -> StemTable:
        return StemTable(self.arrays["stem_words"], self.arrays["stem_stems"])

    def records(self) -> list[FileRecord]:
        return [FileRecord(*r) for r in _read_json(self.directory / "files.json")]

    def skipped(self) -> list[tuple[str, int, int, str]]:
        """The files left out as not articles: path, size, modification time, and why."""
        found = self.meta.get("skipped", [])
        return [(str(p), int(s), int(m), str(w)) for p, s, m, w in found]  # type: ignore[union-attr]

    def say_skipped(self, notice: Notice | None) -> None:
        """One line for each file left out, as the build said it."""
        for _, _, _, why in self.skipped():
            (notice or log.warning)(f"skipped {why}")

    def acronyms(self) -> list[dict[str, str]]:
        """Each file's all-capitals words (evidence.KeptEvidence.acronyms)."""
        return [dict(pairs) for pairs in _read_json(self.directory / "acronyms.json")]


@dataclass(frozen=True)
class StemTable:
    """The Snowball stems of the archive's words (analysis.KnownStems): answering from the
    archive stems its questions' words without importing nltk, and a word it lacks goes to
    the stemmer as before. A binary search in memory-mapped arrays: no per-word work on
    opening."""

    words: np.ndarray  # sorted
    stems: np.ndarray

    def get(self, word: str) -> str | None:
        try:
            key = word.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no article has it
            return None
        if not key or len(key) > self.words.dtype.itemsize:
            return None
        i = int(np.searchsorted(self.words, key))
        if i < len(self.words) and self.words[i] == key:
            return bytes(self.stems[i]).decode("utf-8")
        return None

    def as_dict(self) -> dict[str, str]:
        """Every entry as strings (a refresh's work)."""
        return {
            bytes(w).decode("utf-8"): bytes(s).decode("utf-8")
            for w, s in zip(self.words.tolist(), self.stems.tolist(), strict=True)
        }


def open_archive(
    path: str | Path,
    index_dir: str | Path,
    notice: Notice | None = None,
    scan: Scan | None = None,
) -> Archive | None:
    """The index of `path` in `index_dir` if it is complete and up to date with the files
    (sizes and modification times), else None; a damaged index or one of another version
    is reported through `notice` in one line. `scan`: `scan_articles(path)` if the caller
    has it. Raises CorpusError when `path` is unusable. The caller that answers from it says
    which files it left out (`say_skipped`)."""
    scan = scan_articles(Path(path)) if scan is None else scan
    archive = _open(Path(index_dir), notice)
    if archive is None:
        return None
    return archive if _up_to_date(archive, scan) else None


def open_built(
    path: str | Path, index_dir: str | Path, notice: Notice | None = None
) -> Archive | None:
    """The index of `path` in `index_dir` as it was last built, if complete, without
    checking the files it was built from: for a caller that knows they have not changed
    (scanning 100,000 files costs most of a fresh process's answer). None when the index
    there was built from another file or folder. The caller that answers from it says which
    files it left out (`say_skipped`)."""
    archive = _open(Path(index_dir), notice)
    if archive is None:
        return None
    try:
        with (archive.directory / FILE_PATHS).open("rb") as handle:
            first = handle.read(4096).split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
    except OSError:
        return None
    source = str(path)
    return archive if first == source or first.startswith(os.path.join(source, "")) else None


def _up_to_date(archive: Archive, scan: Scan) -> bool:
    """Whether the scanned files are the ones indexed, each of the same size and
    modification time: the scan's digest if the folder lists as it did for the build, else
    one string and two arrays (files.json, with content hashes, is a refresh's)."""
    if archive.meta.get("scan") == scan.digest:
        return True
    files = scan.files()
    a = archive.arrays
    if len(files) != len(a["file_sizes"]):
        return False
    if not files:
        return True
    paths, sizes, mtimes = zip(*files, strict=True)  # columns, without a loop in Python
    if not (
        np.array_equal(np.array(sizes, dtype=np.int64), a["file_sizes"])
        and np.array_equal(np.array(mtimes, dtype=np.int64), a["file_mtimes"])
    ):
        return False
    try:
        indexed = (archive.directory / FILE_PATHS).read_bytes()
    except OSError:
        return False
    return indexed == file_paths_bytes(paths)


def _open(index_dir: Path, notice: Notice | None) -> Archive | None:
    try:
        name = (index_dir / CURRENT).read_text().strip()
    except FileNotFoundError:
        return None
    except OSError as error:
        return _damaged(index_dir, f"unreadable ({error.strerror or error})", notice)
    directory = index_dir / name
    try:
        meta = _read_json(directory / "meta.json")
        if (
            meta.get("format") != FORMAT_VERSION
            or meta.get("analysis") != analysis.ANALYSIS_VERSION
        ):
            return _damaged(index_dir, "written by another version", notice)
        if meta.get("code") != _code_fingerprint(ARCHIVED_BY):
            return _damaged(index_dir, "made by other analysis code", notice)
        arrays = {n: _load(directory / f"{n}.npy") for n in ARRAYS}
        articles = ArticleRecords(
            _bytes(directory / ARTICLES), arrays["article_offsets"], arrays["slug_order"]
        )
        archive = Archive(
            directory,
            meta,
            articles,
            arrays,
            _bytes(directory / "text.txt"),
            _bytes(directory / "terms.txt"),
        )
        _check(archive)
    except (OSError, ValueError, TypeError, KeyError) as error:
        # numpy's messages run over several lines: the notice is one.
        first = (str(error).splitlines() or [type(error).__name__])[0][:120]
        return _damaged(index_dir, f"damaged ({first})", notice)
    return archive


def _check(archive: Archive) -> None:
    """Shapes that must agree: cheap (no per-sentence work) and catches truncated files."""
    a, n = archive.arrays, archive.size
    v, p = len(a["idf"]), len(a["paragraph_article"])
    expected = {
        "paragraph_offsets": p + 1,
        "paragraph_number": p,
        "sentence_number": n,
        "sentence_start": n,
        "sentence_end": n,
        "token_bounds": n + 1,
        "term_offsets": v + 1,
        "posting_bounds": v + 1,
        "article_paragraphs": len(archive.articles) + 1,
        "article_sentences": len(archive.articles) + 1,
        "posting_impacts": len(a["posting_docs"]),
        "stem_stems": len(a["stem_words"]),
        "name_bounds": len(archive.articles) + 1,
        "file_sizes": len(archive.articles),
        "slug_order": len(archive.articles),
        "file_mtimes": len(archive.articles),
        "phrase_bounds": len(archive.articles) + 1,
        "phrase_term_bounds": len(a["phrase_initials"]) + 1,
    }
    for name, length in expected.items():
        if len(a[name]) != length:
            raise ValueError(f"{name}.npy has {len(a[name])} entries, not {length}")
    if {a[k].dtype.kind for k in ("stem_words", "stem_stems", "phrase_initials")} != {"S"}:
        raise ValueError("the stem table or the phrases are not byte strings")
    for bounds, values in (
        ("name_bounds", "name_terms"),
        ("phrase_bounds", "phrase_initials"),
        ("phrase_term_bounds", "phrase_terms"),
    ):
        if int(a[bounds][-1]) != len(a[values]):
            raise ValueError(f"{values}.npy has {len(a[values])} entries, not {a[bounds][-1]}")
    if int(a["article_offsets"][-1]) != (archive.directory / ARTICLES).stat().st_size:
        raise ValueError(f"{ARTICLES} is not as long as recorded")
    if int(a["paragraph_offsets"][-1]) != len(archive.text):
        raise ValueError("text.txt is not as long as recorded")
    if v and int(a["term_offsets"][-1]) != len(archive.terms) + 1:
        raise ValueError("terms.txt is shorter than recorded")


def _damaged(index_dir: Path, why: str, notice: Notice | None) -> None:
    message = f"the index in {index_dir} is {why}; rebuilding it"
    (notice or log.warning)(message)
    return None


def _load(path: Path) -> np.ndarray:
    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    except ValueError:
        raise ValueError(f"{path.name} is not a numpy array") from None


def _bytes(path: Path) -> np.ndarray:
    if path.stat().st_size == 0:
        return np.empty(0, dtype=np.uint8)  # an empty file cannot be mapped
    return np.memmap(path, dtype=np.uint8, mode="r")


def _read_json(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)
