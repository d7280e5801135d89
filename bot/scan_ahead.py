"""Walking an archive's folder while the process starts.

`article-qa ask --corpus FOLDER` must know the folder's index is current before it answers
from it, and that takes a stat of every file: 100,000 of them cost half a second, most of
a fresh process's answer. A child process forked before the heavy imports walks the
folder while this one imports and opens the index; the index is used only if the child's
digest of the files (`retrieval.articles.Scan.digest`) is the one the index was built
from. Anything else (no fork on this system, the child failing or killed) means the usual
walk in this process: the child can make an answer faster, never different.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Sequence
from pathlib import Path

# Commands whose whole run is short enough for the walk to matter: a chat or a bot lives
# for hours after it.
_COMMANDS = frozenset({"ask"})
# Options that make the walk needless: the index is trusted, or a cluster answers.
_NO_WALK = ("--trust-index", "--sphinx")
_DIGEST_BYTES = 64  # far more than a digest's hex


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
        if pid == 0:  # the child: walk, write the digest, and leave without cleanup
            os.close(read)
            _walk_and_exit(path, write)
        os.close(write)
        return cls(path, pid, read)

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
                os.kill(pid, 9)
                os.waitpid(pid, 0)


def _walk_and_exit(path: str, pipe: int) -> None:
    code = 1
    try:
        from retrieval.articles import scan_articles

        os.write(pipe, scan_articles(Path(path)).digest.encode("ascii"))
        code = 0
    except BaseException:  # Ctrl-C or any failure: the parent walks
        pass
    finally:
        # Not sys.exit: the child must not flush the parent's buffers or run its exit code.
        os._exit(code)


def scan_ahead_for(arguments: Sequence[str]) -> ScanAhead | None:
    """A walk started ahead for `article-qa ARGUMENTS` when they ask a folder's archive
    one question: a hint read off the arguments before they are parsed, so a misreading
    costs an unused child, never a wrong answer (the digest is checked against the index)."""
    if not arguments or arguments[0] not in _COMMANDS or any(a in _NO_WALK for a in arguments):
        return None
    folder = None
    for before, argument in itertools.pairwise(arguments):
        if before == "--corpus":
            folder = argument
        elif argument.startswith("--corpus="):
            folder = argument.removeprefix("--corpus=")
    if not folder or not os.path.isdir(folder):
        return None
    return ScanAhead.start(folder)
