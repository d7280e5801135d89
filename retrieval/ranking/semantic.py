"""Meaning as evidence: the question's cosine with the article's sentences, as candidates
BM25 cannot find and as features of every candidate.

Sentence vectors are kept as the corpus is (`SentenceVectors`): all of a small corpus's at
once, so its best sentences by meaning join BM25's candidates; a large corpus's only as its
candidates need them, each encoded once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..records import Sentence
from .encoder import DIMENSIONS, Encoder

SEMANTIC_FEATURES = (
    "cosine",  # the sentence's cosine with the question
    "cosine_first",  # the candidate nearest the question in meaning
    "cosine_context",  # the best cosine among its neighbours in the paragraph
)
# Only scale-free evidence for the trigger: the best cosine itself runs about 0.2 lower on
# news sentences than on WikiQA's (medians 0.53 and 0.73 for answerable questions), so a
# threshold learned on one declines the other. (Whether the top candidate is also the
# nearest in meaning got no weight in training.)
SEMANTIC_TRIGGER_FEATURES = (
    "cosine_margin",  # how far the nearest candidate leads the next in meaning
)
# Sentences the encoder adds to BM25's candidates: those nearest the question in meaning.
SEMANTIC_CANDIDATES = 10
# A corpus of up to this many sentences has every vector at hand (about 5 ms a sentence to
# make, once, then kept with the analysed corpus); a larger one encodes its candidates as
# questions need them.
ALL_VECTORS_UP_TO = 1000


class SentenceVectors:
    """A corpus's sentence vectors: given (`matrix`), or each encoded when first needed."""

    def __init__(
        self, encoder: Encoder, sentences: Sequence[Sentence], matrix: np.ndarray | None = None
    ) -> None:
        if matrix is not None and matrix.shape != (len(sentences), DIMENSIONS):
            raise ValueError(f"{matrix.shape} vectors for {len(sentences)} sentences")
        self.encoder = encoder
        self._sentences = sentences
        self.matrix = matrix
        self._made: dict[int, np.ndarray] = {}

    @classmethod
    def of(
        cls, encoder: Encoder, sentences: Sequence[Sentence], all_at_once: bool = True
    ) -> SentenceVectors:
        """Every vector made now for a small corpus; on demand for a large one (or when
        not `all_at_once`)."""
        if all_at_once and len(sentences) <= ALL_VECTORS_UP_TO:
            return cls(encoder, sentences, encoder.encode([s.text for s in sentences]))
        return cls(encoder, sentences)

    def of_docs(self, docs: Sequence[int]) -> np.ndarray:
        if self.matrix is not None:
            return self.matrix[list(docs)]
        missing = [d for d in dict.fromkeys(docs) if d not in self._made]
        if missing:
            made = self.encoder.encode([self._sentences[d].text for d in missing])
            self._made.update(zip(missing, made, strict=True))
        return np.asarray([self._made[d] for d in docs], dtype=np.float32).reshape(-1, DIMENSIONS)

    def nearest(self, question: np.ndarray, n: int) -> list[tuple[int, float]]:
        """The `n` sentences nearest the question, nearest first (ties: earlier first);
        none when the vectors are made on demand."""
        if self.matrix is None or n <= 0:
            return []
        cosines = self.matrix @ question
        order = np.lexsort((np.arange(len(cosines)), -cosines))[:n]
        return [(int(d), float(cosines[d])) for d in order]


@dataclass(frozen=True, slots=True)
class Meaning:
    """The question's cosine with each candidate sentence."""

    cosines: dict[int, float]
    best: float  # the best of them

    @classmethod
    def of(cls, vectors: SentenceVectors, question: np.ndarray, docs: Sequence[int]) -> Meaning:
        if not docs:
            return cls.from_cosines({})
        found = vectors.of_docs(docs) @ question
        return cls.from_cosines({d: float(c) for d, c in zip(docs, found, strict=True)})

    @classmethod
    def from_cosines(cls, cosines: dict[int, float]) -> Meaning:
        return cls(cosines, max(cosines.values(), default=0.0))

    def features(self, doc: int, context: Callable[[int, dict[int, float]], float]) -> list[float]:
        """The candidate's SEMANTIC_FEATURES, in order."""
        cosine = self.cosines.get(doc, 0.0)
        first = 1.0 if self.cosines and cosine >= self.best else 0.0
        return [cosine, first, context(doc, self.cosines)]

    def trigger_features(self) -> list[float]:
        """The question's SEMANTIC_TRIGGER_FEATURES."""
        ordered = sorted(self.cosines.values(), reverse=True)
        return [ordered[0] - ordered[1] if len(ordered) > 1 else 0.0]


def semantic_text(question: str, previous_question: str | None) -> str:
    """What the encoder reads of a question: a follow-up with the question it follows, so
    that "What party is he in?" carries whom it asks about."""
    return f"{previous_question} {question}" if previous_question else question


def kept_vectors(
    encoder: Encoder, sentences: Sequence[Sentence], cache_dir: str | Path | None
) -> SentenceVectors:
    """The sentence vectors of a corpus, read from `cache_dir` when an earlier run of the
    same encoder on the same sentences kept them there, else made (and kept there)."""
    if cache_dir is None or len(sentences) > ALL_VECTORS_UP_TO:
        return SentenceVectors.of(encoder, sentences)
    digest = hashlib.sha256(encoder.name.encode())
    for s in sentences:
        digest.update(s.text.encode("utf-8", "surrogatepass") + b"\0")
    path = Path(cache_dir) / f"vectors-{digest.hexdigest()[:24]}.npy"
    try:
        matrix = np.load(path, allow_pickle=False)
        return SentenceVectors(encoder, sentences, matrix)
    except (OSError, ValueError):
        pass  # not kept yet, or damaged: made again below
    vectors = SentenceVectors.of(encoder, sentences)
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".vectors-", suffix=".npy")
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, vectors.matrix, allow_pickle=False)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written costs the next start the encoding, no more
    return vectors
