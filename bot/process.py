"""What the commands share with the process around them: exit codes, and loading the
corpus they were given."""

from __future__ import annotations

import sys

from retrieval import QA, CorpusError
from retrieval.index import RetrieverKind

from . import paths

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad arguments, or a corpus that cannot be used
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


def load_corpus(path: str | None, retriever: RetrieverKind = "auto") -> QA | None:
    """The QA over `path` (None: the bundled article), or None once stderr says why not."""
    try:
        # The cache spares a restart re-segmenting the corpus; it is never required.
        return QA.load(path, cache_dir=paths.cache_dir(), retriever=retriever)
    except CorpusError as error:
        print(f"article-qa: {error}", file=sys.stderr)
        return None
