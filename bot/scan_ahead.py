"""Walking an archive's folder while the process starts.

`article-qa ask --corpus FOLDER` must know the folder's index is current before it answers
from it, and that takes a stat of every file: 100,000 of them cost half a second, most of
a fresh process's answer. A child process forked before the heavy imports walks the
folder while this one imports and opens the index; the index is used only if the child's
digest of the files (`retrieval.text.scan.Scan.digest`) is the one the index was built
from. Anything else (no fork on this system, the child failing or killed) means the usual
walk in this process: the child can make an answer faster, never different.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
from array import array
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retrieval.text.scan import Entries

# Commands whose whole run is short enough for the walk to matter: a chat or a bot lives
# for hours after it.
_COMMANDS = frozenset({"ask"})
# Options that make the walk needless (the index is trusted, or a cluster answers), as
# argparse also takes them: abbreviated (no other option of `ask` starts so), or "=VALUE".
_NO_WALK = ("--t", "--s")
_DIGEST_BYTES = 64  # far more than a digest's hex
# From this many files the stat calls are shared with a second process (a fork costs a
# millisecond or two; 10,000 stat calls about 40 ms).
SPLIT_FROM = 10_000


class ScanAhead:
    """A child process walking `path`; `digest()` waits for what it found."""

    def __init__(self, path: str, pid: int, pipe: int) -> None:
        self.path = path
        self._pid: int | None = pid
        self._pipe = pipe
        self._digest: str | None = None

    @classmethod
    def start(cls, path: str) -> ScanAhead | None:
        """Fork a child that walks the folder `path`; None where that cannot be done."""
        if not hasattr(os, "fork"):
            return None  # Windows: the walk happens in this process, as ever
        # Spelled as the index records it ("./news/" is "news"), or it never matches.
        child = _fork(partial(_folder_digest, str(PurePath(path))))
        return None if child is None else cls(path, *child)

    def digest(self) -> str | None:
        """The digest of the folder's files as the child found them, waiting for it; None
        if it failed (the caller walks the folder itself)."""
        if self._pid is None:
            return self._digest
        found = b""
        try:
            while chunk := os.read(self._pipe, _DIGEST_BYTES):
                found += chunk
        except OSError:
            found = b""
        self.close()
        self._digest = found.decode("ascii", "replace") or None
        return self._digest

    def close(self) -> None:
        """Stop the child if it still runs, and reap it."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        with contextlib.suppress(OSError):
            os.close(self._pipe)
        with contextlib.suppress(OSError):
            if os.waitpid(pid, os.WNOHANG) == (0, 0):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


def _folder_digest(folder: str) -> bytes:
    # The walk alone (retrieval.text.scan imports little): this is the answer's critical path.
    from retrieval.text.scan import Scan, folder_listing, stat_columns

    keys, entries = folder_listing(folder)
    big = len(entries) >= SPLIT_FROM
    sizes, mtimes = _stat_in_two(entries) if big else stat_columns(entries)
    return Scan(keys, [e.path for e in entries], sizes, mtimes).digest.encode("ascii")


def _stat_in_two(entries: Entries) -> tuple[array[int], array[int]]:
    """`stat_columns(entries)`, the second half in a process of its own: the stat calls
    are system calls, and two cores make them in about two thirds of the time."""
    from retrieval.text.scan import stat_columns

    half = len(entries) // 2
    helper = _fork(lambda: _columns_bytes(entries[half:]))
    sizes, mtimes = stat_columns(entries[:half])
    rest = _columns_from(helper, len(entries) - half) if helper else None
    if rest is None:  # the helper failed: its half here
        rest = stat_columns(entries[half:])
    sizes.extend(rest[0])
    mtimes.extend(rest[1])
    return sizes, mtimes


def _columns_bytes(entries: Entries) -> bytes:
    from retrieval.text.scan import stat_columns

    sizes, mtimes = stat_columns(entries)
    return sizes.tobytes() + mtimes.tobytes()


def _fork(work: Callable[[], bytes]) -> tuple[int, int] | None:
    """A child process writing what `work` returns into a pipe: (its pid, the pipe's
    reading end), or None if no process could be made. A child that fails writes nothing
    and exits with status 1."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:
        code = 1
        try:  # first thing: Ctrl-C here must not unwind into the code that forked
            os.close(read)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(work())
            code = 0
        except BaseException:  # Ctrl-C or any failure: the process that forked does the work
            pass
        finally:
            # Not sys.exit: a child must not flush its parent's buffers or run its exit code.
            os._exit(code)
    os.close(write)
    return pid, read


def _columns_from(helper: tuple[int, int], count: int) -> tuple[array[int], array[int]] | None:
    """The `count` sizes and times the helper wrote, or None if it failed."""
    pid, read = helper
    with os.fdopen(read, "rb") as pipe:
        found = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or len(found) != 16 * count:
        return None
    sizes, mtimes = array("q"), array("q")
    sizes.frombytes(found[: 8 * count])
    mtimes.frombytes(found[8 * count :])
    return sizes, mtimes


def scan_ahead_for(arguments: Sequence[str]) -> ScanAhead | None:
    """A walk started ahead for `article-qa ARGUMENTS` when they ask a folder's archive
    one question: a hint read off the arguments before they are parsed, so a misreading
    costs an unused child, never a wrong answer (the digest is checked against the index)."""
    if not arguments or arguments[0] not in _COMMANDS:
        return None
    options = list(itertools.takewhile(lambda a: a != "--", arguments))  # then questions
    if any(a.startswith(_NO_WALK) for a in options):
        return None
    folder = None
    for before, argument in itertools.pairwise(options):
        if before == "--corpus":
            folder = argument
        elif argument.startswith("--corpus="):
            folder = argument.removeprefix("--corpus=")
    if not folder or not os.path.isdir(folder):
        return None
    return ScanAhead.start(folder)
