"""What the commands share with the process around them: exit codes, and loading the
corpus they were given."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval import QA, CorpusError
from retrieval.index import RetrieverKind, RetrieverUnavailable
from retrieval.sphinx_address import Address

from . import paths

if TYPE_CHECKING:
    from retrieval.archive_open import Archive
    from retrieval.articles import FileStat

log = logging.getLogger(__name__)

# A folder of more than this many files, or more than this many bytes of them (about
# 2,000 sentences of news), is answered from a persistent archive index: below it,
# analysing the files in memory at start-up takes well under a second and keeps the
# answers of the in-memory path (and rank-bm25) for the small corpora it was tuned on.
ARCHIVE_FILES = 50
ARCHIVE_BYTES = 256 * 1024

# More analysing processes than this mostly add memory (each holds its own nltk).
MAX_BUILD_WORKERS = 4

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad arguments, or a corpus that cannot be used
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


def load_corpus(
    path: str | None,
    retriever: RetrieverKind = "auto",
    index_dir: str | None = None,
    cluster: Address | None = None,
) -> QA | None:
    """The QA over `path` (None: the bundled article), or None once stderr says why not.
    A large folder (see ARCHIVE_FILES) is answered from its archive index, built or
    refreshed first when missing or stale (with a progress bar on a terminal). With
    `cluster`, a distributed Sphinx/Manticore index holding the corpus retrieves."""
    try:
        # "" would be the current folder; the loader refuses it in so many words.
        files = archive_files(Path(path)) if path else None
        if path and files is not None:
            from retrieval.archive_corpus import ArchiveCorpus

            qa = QA(ArchiveCorpus(open_or_build(path, index_dir, files)))
        else:
            # The cache spares a restart re-segmenting the corpus; it is never required.
            qa = QA.load(path, cache_dir=paths.cache_dir(), retriever=retriever)
        if cluster is None:
            return qa
        from retrieval.sphinx import connect

        return QA(qa.corpus, connect(qa.corpus, cluster, _notice), qa.model)
    except (CorpusError, RetrieverUnavailable) as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return None


def wants_archive(path: Path) -> bool:
    """Whether the corpus at `path` is a folder large enough for an archive index."""
    return archive_files(path) is not None


def archive_files(path: Path) -> list[FileStat] | None:
    """The article files of the folder `path` if it is large enough for an archive index
    (scanned once: opening the archive checks them against it), else None."""
    if not path.is_dir():
        return None
    from retrieval.articles import article_stats

    try:
        files = article_stats(path)
    except CorpusError:
        return None  # the in-memory path says why, in its usual words
    if len(files) > ARCHIVE_FILES or sum(max(f.size, 0) for f in files) > ARCHIVE_BYTES:
        return files
    return None


def open_or_build(
    path: str, index_dir: str | None = None, files: list[FileStat] | None = None
) -> Archive:
    """The up-to-date archive of the folder `path`, building or refreshing it if needed.
    `files`: the folder's `article_stats`, if already scanned. Raises CorpusError."""
    from retrieval.archive_open import open_archive

    directory = paths.index_dir(path, index_dir)
    said: set[str] = set()

    def notice(message: str) -> None:
        # Opening, then building, find the same damage: one line says so.
        if message not in said:
            said.add(message)
            _notice(message)

    archive = open_archive(path, directory, notice=notice, files=files)
    if archive is not None:
        return archive
    from retrieval.archive import build

    from .progress import ProgressBar

    bar = ProgressBar()
    try:
        archive, summary = build(
            path, directory, progress=bar, notice=notice, workers=build_workers()
        )
    except OSError as error:
        why = error.strerror or error
        raise CorpusError(f"{directory}: cannot write the index ({why})") from None
    finally:
        bar.done()
    log.info("index of %s: %s", path, summary)
    return archive


def build_workers() -> int:
    """Processes to analyse an archive's files with: one per core this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_BUILD_WORKERS))


def _notice(message: str) -> None:
    print(f"article-qa: {message}", file=sys.stderr)
