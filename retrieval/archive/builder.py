"""A persistent index of a folder of articles: columnar arrays written once, opened
memory-mapped, refreshed file by file.

Loading a pickled analysed corpus of 100k sentences took 25-31 s and 950 MB (issue 12):
unpickling builds millions of Python objects. Here every per-sentence fact is a numpy
array opened with `mmap_mode="r"` and sentence text is read by byte offset from one UTF-8
file, so opening costs a few file reads whatever the size; the reranker's per-sentence
features are computed at question time for the few candidates (see corpus.py).

Layout of an index directory: `CURRENT` names the complete generation (`gen-*`) to read. A
build writes a new generation aside (`.tmp-*`), renames it, then replaces `CURRENT`: an
interrupted build leaves the previous generation in use, and of two concurrent builds the
last to complete wins, each whole.
"""

import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

try:
    import fcntl
except ImportError:  # not POSIX: concurrent builds are last-complete-wins
    fcntl = None  # type: ignore[assignment]

from ..text import analysis
from ..text.articles import CorpusError, FileStat, Scan, scan_articles
from ..text.cache import ARCHIVED_BY, _code_fingerprint
from .evidence import Interim
from .files import Chunk, as_ids, kept_chunk
from .layout import (
    ARRAYS,
    CURRENT,
    FILE_PATHS,
    FORMAT_VERSION,
    ArticleRecord,
    FileRecord,
    file_paths_bytes,
)
from .reader import Archive, Notice, StemTable, _open, open_archive
from .workers import Refused, read_and_analyse_all, runner, worker_pool
from .writer import Run, point_to, write_generation, write_json

__all__ = [
    "ARRAYS",
    "CURRENT",
    "FORMAT_VERSION",
    "Archive",
    "ArticleRecord",
    "FileRecord",
    "StemTable",
    "Summary",
    "build",
    "open_archive",
]

log = logging.getLogger(__name__)

LOCK = ".lock"
# Fewer files than this are analysed in this process: starting workers costs more.
PARALLEL_FROM = 200
Progress = Callable[[int, int, int], None]  # files done, files in all, sentences so far


@dataclass(frozen=True, slots=True)
class Summary:
    """What a build did, for its one-line report."""

    articles: int
    sentences: int
    terms: int
    bytes_on_disk: int
    seconds: float
    analysed: int  # files read and analysed (new or changed); the rest were kept
    written: bool = True  # False: every file was as the index had it, and nothing was written
    skipped: int = 0  # files that are not articles, left out (each said so in one line)


def build(
    path: str | Path,
    index_dir: str | Path,
    progress: Progress | None = None,
    notice: Notice | None = None,
    workers: int = 1,
    strict: bool = False,
) -> tuple[Archive, Summary]:
    """Build the index of `path` in `index_dir`, or refresh it: files whose size and
    modification time (or else content hash) are unchanged are kept from the current
    index, the others analysed again, deleted ones dropped. The result equals a full build.
    `workers`: processes analysing files at once (many files only). A file that is not an
    article is left out, `notice` saying so; with `strict`, CorpusError (naming the file)."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with _build_lock(index_dir, notice):
        old = _open(index_dir, notice)
        # The stems the index carries are looked up before the stemmer: refreshing a few
        # files then needs no nltk (0.3 s to import) unless they bring words it lacks.
        with analysis.known_stems(old.stems() if old else None):
            return _build(path, index_dir, old, progress, notice, workers, strict)


@contextmanager
def _build_lock(index_dir: Path, notice: Notice | None) -> Iterator[None]:
    """One build of an index at a time: a second waits, then finds the first's generation
    and refreshes from it (analysing nothing if the files are as the first saw them)."""
    with (index_dir / LOCK).open("a+b") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                (notice or log.warning)(f"waiting for another build of the index in {index_dir}")
                fcntl.flock(handle, fcntl.LOCK_EX)
        # Under the lock no build is running: what a killed one left aside can go.
        for stale in index_dir.glob(".tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        yield


def _build(
    path: str | Path,
    index_dir: Path,
    old: Archive | None,
    progress: Progress | None,
    notice: Notice | None,
    workers: int,
    strict: bool,
) -> tuple[Archive, Summary]:
    began = time.perf_counter()
    scan = scan_articles(Path(path))
    stats = scan.files()
    kept = {r.path: (i, r) for i, r in enumerate(old.records())} if old else {}
    old_acronyms = old.acronyms() if old else []
    # Plain arrays over the same mapped memory: slicing a memmap costs 10x more in Python,
    # and a refresh slices each kept file out of a dozen arrays.
    old_arrays = {k: np.asarray(v) for k, v in old.arrays.items()} if old else {}
    chunks: list[Chunk | None] = [None] * len(stats)
    digests: list[str] = [""] * len(stats)
    work: list[tuple[int, str, str | None]] = []  # position, path, the digest it had
    # Files skipped last time, as they were then: skipped again without reading them.
    old_skipped = {p: (size, mtime, why) for p, size, mtime, why in old.skipped()} if old else {}
    skipped: list[tuple[str, int, int, str]] = []  # path, size, mtime, why
    say = notice or log.warning
    for position, stat in enumerate(stats):
        previous = kept.get(stat.path)
        before = old_skipped.get(stat.path)
        if before is not None and before[:2] == (stat.size, stat.mtime_ns):
            if strict:
                raise CorpusError(before[2])
            skipped.append((stat.path, stat.size, stat.mtime_ns, before[2]))
            say(f"skipped {before[2]}")
        elif previous and (previous[1].size, previous[1].mtime_ns) == (stat.size, stat.mtime_ns):
            article, record = previous
            chunks[position] = kept_chunk(old, old_arrays, article, old_acronyms[article])
            digests[position] = record.sha256
        else:
            work.append((position, stat.path, previous[1].sha256 if previous else None))
    unchanged = len(stats) - len(work) - len(skipped) == len(kept)
    if old is not None and not work and unchanged and len(skipped) == len(old_skipped):
        # Every file as the index has it, none gone: the index is up to date as it is.
        generation = old.directory
        size = sum(p.stat().st_size for p in generation.iterdir())
        seconds = time.perf_counter() - began
        summary = Summary(
            len(kept), old.size, len(old.arrays["idf"]), size, seconds, 0, False, len(skipped)
        )
        return old, summary
    done = len(stats) - len(work)
    sentences = sum(len(c.term_counts) for c in chunks if c is not None)
    if progress is not None and done:
        progress(done, len(stats), sentences)
    analysed = 0
    interim = Interim(old.vocabulary() if old else [])
    words: set[str] = set()  # of the files analysed: the stems table adds them
    with worker_pool(workers if len(work) >= PARALLEL_FROM else 1, index_dir) as pool:
        results = read_and_analyse_all([(p, d) for _, p, d in work], pool)
        for (position, name, _), (digest, chunk) in zip(work, results, strict=True):
            if isinstance(chunk, Refused):
                if strict:
                    raise CorpusError(chunk.reason)
                skipped.append((name, stats[position].size, stats[position].mtime_ns, chunk.reason))
                say(f"skipped {chunk.reason}")
                done += 1
                continue
            if chunk is None:  # touched, not changed: the same bytes
                article = kept[name][0]
                chunk = kept_chunk(old, old_arrays, article, old_acronyms[article])
            else:
                analysed += 1
                words.update(chunk.words)
                chunk = as_ids(chunk, interim)
            chunks[position], digests[position] = chunk, digest
            done += 1
            sentences += len(chunk.term_counts)
            if progress is not None:
                progress(done, len(stats), sentences)
        used = [i for i, chunk in enumerate(chunks) if chunk is not None]  # not skipped
        if not used:
            raise CorpusError(f"{path}: none of its {len(stats)} files is an article")
        stats = [stats[i] for i in used]
        records = [
            FileRecord(s.path, s.size, s.mtime_ns, digests[i])
            for s, i in zip(stats, used, strict=True)
        ]
        generation = _write(
            index_dir,
            {**_meta(records, scan), "skipped": skipped},
            stats,
            [chunks[i] for i in used],  # type: ignore[misc]  # every one filled in
            interim,
            (old.stems().as_dict() if old else {}, words),
            runner(pool),
            records,
        )
    point_to(index_dir, generation.name)
    archive = _open(index_dir, notice)
    if archive is None:
        raise CorpusError(f"{index_dir}: the index just written cannot be read")
    size = sum(p.stat().st_size for p in generation.iterdir())
    summary = Summary(
        len(stats),
        archive.size,
        len(archive.arrays["idf"]),
        size,
        time.perf_counter() - began,
        analysed,
        skipped=len(skipped),
    )
    return archive, summary


def _meta(records: list[FileRecord], scan: Scan) -> dict[str, object]:
    return {
        "format": FORMAT_VERSION,
        "analysis": analysis.ANALYSIS_VERSION,
        "code": _code_fingerprint(ARCHIVED_BY),
        "fingerprint": hashlib.sha256(
            "\n".join(f"{r.path}\t{r.sha256}" for r in records).encode("utf-8", "surrogatepass")
        ).hexdigest()[:16],
        "scan": scan.digest,  # what opening compares first (reader._up_to_date)
    }


def _write(
    index_dir: Path,
    meta: dict[str, object],
    stats: list[FileStat],
    chunks: list[Chunk],
    interim: Interim,
    stems: tuple[dict[str, str], set[str]],
    run: Run,
    records: list[FileRecord],
) -> Path:
    """A new generation of the index, written aside then renamed: its directory."""
    temporary = Path(tempfile.mkdtemp(dir=index_dir, prefix=".tmp-"))
    try:
        files = [Path(s.path) for s in stats]
        write_generation(temporary, meta, files, chunks, interim.terms, stems, run)
        write_json(temporary / "files.json", [list(_astuple(r)) for r in records])
        _write_file_stats(temporary, stats)
        generation = temporary.with_name("gen-" + temporary.name[len(".tmp-") :])
        os.replace(temporary, generation)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return generation


def _write_file_stats(directory: Path, stats: list[FileStat]) -> None:
    """What opening compares with a scan of the folder (reader._up_to_date)."""
    for name, values in (
        ("file_sizes", [s.size for s in stats]),
        ("file_mtimes", [s.mtime_ns for s in stats]),
    ):
        np.save(directory / f"{name}.npy", np.array(values, dtype=np.int64), allow_pickle=False)
    (directory / FILE_PATHS).write_bytes(file_paths_bytes(s.path for s in stats))


def _astuple(record: FileRecord) -> tuple[object, ...]:
    return (record.path, record.size, record.mtime_ns, record.sha256)
