"""The progress bar of an archive build on stderr: files and sentences, rate, time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 24
EVERY = 0.1  # seconds between redraws: drawing costs more than analysing a small file


class ProgressBar:
    """A `retrieval.archive.Progress` callback drawing on a terminal; silent elsewhere."""

    def __init__(self, stream: TextIO | None = None, label: str = "indexing"):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.label = label
        self._began = time.monotonic()
        self._drawn = 0.0
        self._shown = False

    def __call__(self, files: int, total: int, sentences: int) -> None:
        now = time.monotonic()
        if not self.enabled or (files < total and now - self._drawn < EVERY):
            return
        self._drawn = now
        elapsed = max(now - self._began, 1e-6)
        filled = WIDTH * files // max(total, 1)
        left = elapsed * (total - files) / max(files, 1)
        line = (
            f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {files:,}/{total:,} files, "
            f"{sentences:,} sentences, {sentences / elapsed:,.0f}/s, {_clock(left)} left "
        )
        self.stream.write(line)
        self.stream.flush()
        self._shown = True

    def done(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds + 0.5), 60)
    return f"{minutes}:{rest:02d}"
