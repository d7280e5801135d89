"""What the commands share with the process around them: exit codes, and loading the
corpus they were given."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval import QA, CorpusError
from retrieval.cluster.address import Address
from retrieval.ranking.index import RetrieverKind, RetrieverUnavailable

from . import paths

if TYPE_CHECKING:
    from collections.abc import Callable

    from retrieval.archive.builder import Summary
    from retrieval.archive.reader import Archive
    from retrieval.ranking.encoder import Encoder
    from retrieval.text.articles import Scan

    from .scan_ahead import ScanAhead

log = logging.getLogger(__name__)

# A folder of more than this many files, or more than this many bytes of them (about
# 2,000 sentences of news), is answered from a persistent archive index: below it,
# analysing the files in memory at start-up takes well under a second and keeps the
# answers of the in-memory path (and rank-bm25) for the small corpora it was tuned on.
# A single file of more than ARCHIVE_BYTES is too: a 50 MB article took 50 s or more to load
# from the analysis cache at every ask.
ARCHIVE_FILES = 50
ARCHIVE_BYTES = 256 * 1024
_CONTENT_INDEX = re.compile(r"content-[0-9a-f]{16}")  # a single file's, per content

# More analysing processes than this mostly add memory (each holds its own nltk).
MAX_BUILD_WORKERS = 4


def load_corpus(
    path: str | None,
    retriever: RetrieverKind = "auto",
    index_dir: str | None = None,
    cluster: Address | None = None,
    trust_index: bool = False,
    scan_ahead: ScanAhead | None = None,
    semantic: bool = False,
    strict: bool = False,
) -> QA | None:
    """The QA over `path` (None: the bundled article), or None once stderr says why not.
    A large folder or file (see ARCHIVE_FILES) is answered from its archive index, built or
    refreshed first when missing or stale (with a progress bar on a terminal). With
    `cluster`, a distributed Sphinx/Manticore index holding the corpus retrieves. With
    `trust_index`, an index already built is used without checking the files for changes;
    with `scan_ahead`, one whose files a child process found unchanged (see scan_ahead).
    With `semantic`, the sentence encoder weighs meaning too (unless it cannot be loaded:
    one line says why, and words alone answer). A folder's file that is not an article is
    skipped with one line naming it, or with `strict` refused."""
    notice = _once()  # opening, then building, find the same damage: one line says so
    try:
        # "" would be the current folder; the loader refuses it in so many words.
        built = None
        if path and trust_index:
            built = _built_index(path, index_dir, notice)
        elif path and scan_ahead is not None and scan_ahead.path == path:
            built = _current_index(path, index_dir, scan_ahead, notice)
        if scan_ahead is not None:
            scan_ahead.close()  # its walk is done, or of no use: not to compete with ours
        if built is not None:
            tell_skipped(built, notice, strict)
        scan = archive_files(Path(path)) if path and built is None else None
        if built is not None or (path and (scan is not None or large_file(Path(path)))):
            from retrieval.archive.corpus import ArchiveCorpus

            corpus = ArchiveCorpus(built or open_or_build(path, index_dir, scan, notice, strict))
            qa = QA(corpus, encoder=load_encoder() if semantic else None)
        else:
            # The cache spares a restart re-segmenting the corpus; it is never required.
            qa = QA.load(
                path,
                cache_dir=paths.cache_dir(),
                retriever=retriever,
                encoder=load_encoder() if semantic else None,
                strict=strict,
            )
        if cluster is None:
            return qa
        from retrieval.cluster.retriever import connect

        return QA(qa.corpus, connect(qa.corpus, cluster, _notice), qa.model, vectors=qa.vectors)
    except (CorpusError, RetrieverUnavailable) as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return None
    except OSError as error:  # a name too long for the system, say
        print(f"article-qa: {path}: {error.strerror or error}", file=sys.stderr)
        return None


def load_encoder() -> Encoder | None:
    """The shipped sentence encoder, or None once stderr says why it cannot be used."""
    from retrieval.ranking.encoder import EncoderUnavailable, load_minilm

    try:
        return load_minilm()
    except EncoderUnavailable as error:
        print(f"article-qa: {error}; answering by words alone", file=sys.stderr)
        return None


def wants_archive(path: Path) -> bool:
    """Whether the corpus at `path` is a folder large enough for an archive index."""
    return archive_files(path) is not None


def archive_files(path: Path) -> Scan | None:
    """The article files of the folder `path` if it is large enough for an archive index
    (scanned once: opening the archive checks them against it), else None."""
    if not path.is_dir():
        return None
    from retrieval.text.articles import scan_articles

    try:
        scan = scan_articles(path)
    except CorpusError:
        return None  # the in-memory path says why, in its usual words
    return scan if _archive_sized(len(scan), scan.total_size) else None


def _archive_sized(files: int, total_bytes: int) -> bool:
    """Whether a corpus of `files` article files and `total_bytes` is answered from an
    archive index rather than in memory (see ARCHIVE_FILES)."""
    return files > ARCHIVE_FILES or total_bytes > ARCHIVE_BYTES


def large_file(path: Path) -> bool:
    """Whether `path` is one article file large enough for an archive index (one over the
    size limit is left to the in-memory path, which says it is too large; a device or a
    FIFO, which it refuses)."""
    from retrieval.text.articles import MAX_FILE_BYTES

    try:
        return path.is_file() and ARCHIVE_BYTES < path.stat().st_size <= MAX_FILE_BYTES
    except OSError:
        return False


def index_location(path: str, index_dir: str | None = None) -> Path:
    """Where the archive index of `path` lives. A single file's is one directory per
    content under it: the archive trusts sizes and modification times, and an edit that
    keeps both (`cp -p`, a restored backup) would go unnoticed. Hashing one file is cheap."""
    directory = paths.index_dir(path, index_dir)
    if not Path(path).is_file():
        return directory
    try:
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as error:
        raise CorpusError(f"{path}: cannot read it ({error.strerror or error})") from None
    return directory / f"content-{digest[:16]}"


def forget_earlier_contents(directory: Path) -> None:
    """Once a single file's index `directory` is built, remove those of its earlier
    contents beside it; a process still answering from one keeps its mapped files (POSIX)."""
    if not _CONTENT_INDEX.fullmatch(directory.name):
        return  # a folder's
    for other in directory.parent.iterdir():
        if other != directory and _CONTENT_INDEX.fullmatch(other.name):
            shutil.rmtree(other, ignore_errors=True)


def _built_index(
    path: str, index_dir: str | None, notice: Callable[[str], None] | None = None
) -> Archive | None:
    """The index last built for `path`, unchecked, if there is one."""
    from retrieval.archive.reader import open_built

    if not Path(path).exists():
        return None  # the usual path says so, in its usual words
    return open_built(path, index_location(path, index_dir), notice or _notice)


def _current_index(
    path: str, index_dir: str | None, scan_ahead: ScanAhead, notice: Callable[[str], None]
) -> Archive | None:
    """The index last built for the folder `path` if the child's walk found its files as
    they were then and they are many enough for an archive (what the usual walk would
    decide: a small folder is answered in memory), else None (the usual walk decides)."""
    archive = _built_index(path, index_dir, notice)  # opened while the child walks
    if archive is None:
        return None
    # The index's own record of the files' sizes is the scan's while the digests match.
    sizes = archive.arrays["file_sizes"]
    if not _archive_sized(len(sizes), int(sizes[sizes > 0].sum())):
        return None
    digest = scan_ahead.digest()
    return archive if digest is not None and archive.meta.get("scan") == digest else None


def _once() -> Callable[[str], None]:
    """A notice that says each message once."""
    said: set[str] = set()

    def notice(message: str) -> None:
        if message not in said:
            said.add(message)
            _notice(message)

    return notice


def open_or_build(
    path: str,
    index_dir: str | None = None,
    scan: Scan | None = None,
    notice: Callable[[str], None] | None = None,
    strict: bool = False,
) -> Archive:
    """The up-to-date archive of the folder or large file `path`, building or refreshing it
    if needed. `scan`: a folder's `scan_articles`, if already made; `notice`: what says a
    damaged index is rebuilt (once). Raises CorpusError."""
    from retrieval.archive.reader import open_archive

    directory = index_location(path, index_dir)
    notice = notice or _once()  # opening, then building, find the same damage
    archive = open_archive(path, directory, notice=notice, scan=scan)
    if archive is not None:
        tell_skipped(archive, notice, strict)
        return archive
    try:
        archive, summary = build_index(path, directory, notice, strict)
    except OSError as error:
        why = error.strerror or error
        raise CorpusError(f"{directory}: cannot write the index ({why})") from None
    log.info("index of %s: %s", path, summary)
    return archive


def tell_skipped(archive: Archive, notice: Callable[[str], None], strict: bool) -> None:
    """One line for each file the index left out as not an article; with `strict`, the first
    is an error."""
    skipped = archive.skipped()
    if strict and skipped:
        raise CorpusError(skipped[0][3])
    archive.say_skipped(notice)


def build_index(
    path: str, directory: Path, notice: Callable[[str], None] | None = None, strict: bool = False
) -> tuple[Archive, Summary]:
    """Build or refresh the index of `path` in `directory`, with a progress bar on a
    terminal, in one process per core; then drop a single file's indexes of its earlier
    contents. Raises CorpusError, or OSError when the index cannot be written."""
    from retrieval.archive.builder import build

    from .console.progress import ProgressBar

    bar = ProgressBar()
    try:
        built = build(
            path,
            directory,
            progress=bar,
            notice=notice or _notice,
            workers=build_workers(),
            strict=strict,
        )
    finally:
        bar.done()
    forget_earlier_contents(directory)
    return built


def build_workers() -> int:
    """Processes to analyse an archive's files with: one per core this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_BUILD_WORKERS))


def _notice(message: str) -> None:
    print(f"article-qa: {message}", file=sys.stderr)
