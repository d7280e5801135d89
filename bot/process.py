"""What the commands share with the process around them: exit codes, the folder where they
keep state between runs, and loading the corpus they were given."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from retrieval import QA, CorpusError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad arguments, or a corpus that cannot be used
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


def state_dir() -> Path:
    """`$XDG_STATE_HOME/article-qa`: chat history, the last command sync."""
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "article-qa"


def _cache_dir() -> Path:
    if explicit := os.environ.get("ARTICLE_QA_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "article-qa"


def load_corpus(path: str | None) -> QA | None:
    """The QA over `path` (None: the bundled article), or None once stderr says why not."""
    try:
        # The cache spares a restart re-segmenting the corpus; it is never required.
        return QA.load(path, cache_dir=_cache_dir())
    except CorpusError as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return None
