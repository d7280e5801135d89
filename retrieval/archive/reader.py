"""Opening an archive index: its generation's memory-mapped arrays and the small records
beside them, checked for the shapes that must agree (see archive.py for the layout).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np

from ..text import analysis
from ..text.articles import Scan, scan_articles
from ..text.cache import ARCHIVED_BY, _code_fingerprint
from .evidence import EVIDENCE_ARRAYS

log = logging.getLogger(__name__)

FORMAT_VERSION = 5
CURRENT = "CURRENT"

ARRAYS = (
    "paragraph_offsets",  # int64 [P+1]: byte offset of each paragraph in text.txt
    "paragraph_article",  # int32 [P]
    "paragraph_number",  # int32 [P]: 1-based within its article
    "article_paragraphs",  # int64 [A+1]: first paragraph of each article
    "article_sentences",  # int64 [A+1]: first sentence of each article
    "sentence_paragraph",  # int32 [N]: global paragraph
    "sentence_number",  # int32 [N]: 1-based within its paragraph
    "sentence_start",  # int32 [N]: character offsets within the paragraph
    "sentence_end",  # int32 [N]
    "token_bounds",  # int64 [N+1]: each sentence's slice of token_terms
    "token_terms",  # int32 [T]: every sentence's terms as vocabulary ids (for refreshes)
    "term_offsets",  # int64 [V+1]: byte offset of each term in terms.txt (sorted terms)
    "idf",  # float64 [V]
    "posting_bounds",  # int64 [V+1]: each term's slice of the postings
    "posting_docs",  # int32: sentences, ascending within a term
    "posting_impacts",  # float64: the term's BM25 contribution to each
    "stem_words",  # S32 [W]: words the analysis stems, sorted (UTF-8)
    "stem_stems",  # S32 [W]: their stems (see StemTable)
    *EVIDENCE_ARRAYS,  # files' acronym and name evidence, for refreshes
    "file_sizes",  # int64 [A]: each file's size when indexed (FILE_PATHS names them)
    "file_mtimes",  # int64 [A]: and its modification time, in ns
    "article_offsets",  # int64 [A+1]: each article's record in ARTICLES
    "slug_order",  # int32 [A]: the articles in the order of their slugs
)
FILE_PATHS = "files.txt"
ARTICLES = "articles.txt"

Notice = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class FileRecord:
    path: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    slug: str
    title: str
    source: str  # the file


class ArticleRecords(Sequence[ArticleRecord]):
    """The articles' slugs, titles and files, each decoded when read from `articles.txt`
    (a JSON list of 100,000 records took half a second to open), found by slug through the
    slugs' sorted order."""

    def __init__(self, text: np.ndarray, offsets: np.ndarray, slug_order: np.ndarray):
        self._text, self._offsets, self._order = text, offsets, slug_order

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> ArticleRecord: ...
    @overload
    def __getitem__(self, i: slice) -> list[ArticleRecord]: ...
    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        fields = self._text[start:end].tobytes().decode("utf-8", "surrogateescape").split("\0")
        return ArticleRecord(*fields)

    def find(self, slug: str) -> int | None:
        """The position of the article `slug`, or None."""
        order = self._order
        low, high = 0, len(order)
        while low < high:
            middle = (low + high) // 2
            if self[int(order[middle])].slug < slug:
                low = middle + 1
            else:
                high = middle
        if low < len(order) and self[int(order[low])].slug == slug:
            return int(order[low])
        return None


def article_records_bytes(records: Iterable[tuple[str, str, str]]) -> list[bytes]:
    """Each article's slug, title and file as ArticleRecords reads them: NUL (in none of
    them) between the three."""
    return ["\0".join(r).encode("utf-8", "surrogateescape") for r in records]


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

    def acronyms(self) -> list[dict[str, str]]:
        """Each file's all-capitals words (archive_evidence.KeptEvidence.acronyms)."""
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
    has it. Raises CorpusError when `path` is unusable."""
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
    there was built from another file or folder."""
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


def file_paths_bytes(paths: Iterable[str]) -> bytes:
    """Paths as FILE_PATHS holds them: NUL (in no path) between them, undecodable names'
    bytes as they were."""
    return "\0".join(paths).encode("utf-8", "surrogateescape")


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
