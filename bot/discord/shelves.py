"""What the bot answers from: a corpus with its tag and example questions (a shelf), the
bundled one and each server's own."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from retrieval import QA
from retrieval.ranking.suggest import example_questions

from ..reports.feedback import corpus_fingerprint

TAG_LENGTH = 6  # hex digits of the corpus fingerprint a button carries


@dataclass(frozen=True, slots=True)
class Shelf:
    """A corpus as the bot serves it. Buttons carry the tag: a click on an answer from an
    article since replaced is told so, never shown another article's sentences."""

    qa: QA
    tag: str
    examples: tuple[str, ...]

    @classmethod
    def of(cls, qa: QA) -> Shelf:
        """The shelf of `qa`: fingerprinted and its examples found (work for the worker)."""
        # Hashed again: an archive's fingerprint is any string, a tag is hex.
        digest = hashlib.sha256(corpus_fingerprint(qa).encode()).hexdigest()
        return cls(qa, digest[:TAG_LENGTH], example_questions(qa))
