"""Reading and analysing a build's files: in this process, or in worker processes (one per
core) when there are many."""

from __future__ import annotations

import functools
import hashlib
import multiprocessing as mp
import signal
from collections.abc import Iterator
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..text import analysis, sentence_split
from ..text.articles import CorpusError, decode, read_bytes
from .files import Chunk, Packed, analyse_file, pack, unpack
from .writer import Run

PARALLEL_BATCH = 16  # files a worker takes at a time


@dataclass(frozen=True, slots=True)
class Refused:
    """A file that is not an article (empty, binary, not UTF-8, a title alone, unreadable,
    gone): skipped, and why, as one line naming it."""

    reason: str


Analysed = Chunk | Refused | None  # None: touched, not changed (the same bytes)


def read_and_analyse(item: tuple[str, str | None]) -> tuple[str, Analysed]:
    """A file's content hash and its analysis, None if the hash is `item`'s own, or why it
    is not an article."""
    path, digest_before = item
    try:
        raw = read_bytes(path)
        digest = hashlib.sha256(raw).hexdigest()
        if digest == digest_before:
            return digest, None
        return digest, analyse_file(decode(path, raw), path)
    except CorpusError as error:
        return "", Refused(str(error))


def _read_analyse_and_pack(item: tuple[str, str | None]) -> tuple[str, Packed | Refused | None]:
    digest, chunk = read_and_analyse(item)
    return digest, pack(chunk) if isinstance(chunk, Chunk) else chunk


def read_and_analyse_all(
    items: list[tuple[str, str | None]], pool: ProcessPoolExecutor | None
) -> Iterator[tuple[str, Analysed]]:
    """read_and_analyse of each item, in order; in the pool's processes if there is one
    (the analysis is pure Python: one process uses one core)."""
    if pool is None:
        yield from map(read_and_analyse, items)
        return
    for digest, packed in pool.map(_read_analyse_and_pack, items, chunksize=PARALLEL_BATCH):
        yield digest, unpack(packed) if isinstance(packed, tuple) else packed


@contextmanager
def worker_pool(workers: int, index_dir: Path) -> Iterator[ProcessPoolExecutor | None]:
    """`workers` processes for a build's analysis, or None (one, or no fork here)."""
    if workers < 2 or "fork" not in mp.get_all_start_methods():
        yield None
        return
    # Loaded before the workers fork, they share nltk's modules instead of each importing
    # them (about 0.3 s of CPU apiece).
    sentence_split.prepare()
    analysis.prepare_stemmer()
    pool = ProcessPoolExecutor(
        workers, mp_context=mp.get_context("fork"), initializer=_leave_interrupts_to_the_parent
    )
    try:
        yield pool
    except BrokenExecutor as error:
        # A worker killed (by the out-of-memory killer, most likely) or unable to send its
        # result: one line for the user, the cause kept on the exception.
        raise CorpusError(
            f"{index_dir}: a process building the index stopped unexpectedly (killed, or "
            "out of memory?); the index is as it was before this build"
        ) from error
    finally:
        # A file that cannot be used (or Ctrl-C) stops the build: the queued files are not
        # analysed first.
        pool.shutdown(wait=True, cancel_futures=True)


def runner(pool: ProcessPoolExecutor | None) -> Run:
    """writer.Run: in the pool's workers if there are any (idle once the files are
    analysed, while this process writes the rest), else in this process when asked."""
    if pool is None:
        return lambda function, *args: functools.partial(function, *args)
    return lambda function, *args: pool.submit(function, *args).result


def _leave_interrupts_to_the_parent() -> None:
    # Ctrl-C reaches the whole process group: a worker interrupted mid-file left the pool
    # waiting for it forever. The parent stops the build; the workers finish their batch.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
