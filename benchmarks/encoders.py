"""The encoder for benchmark scripts: `--encoder` loads the shipped one, each text encoded once
per run and, with `--vector-cache FILE`, once across runs (an SQLite file of text -> vector)."""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from retrieval.ranking.encoder import DIMENSIONS, Encoder, load_minilm


class MemoEncoder:
    """An encoder that remembers every text's vector: training ranks each document many times."""

    def __init__(self, encoder: Encoder, store: Path | None = None) -> None:
        self._encoder = encoder
        self.name = encoder.name
        self._memo: dict[str, np.ndarray] = {}
        self._db = None
        if store is not None:
            # Another run may be writing: wait for it rather than fail.
            self._db = sqlite3.connect(store, timeout=600)
            self._db.execute("CREATE TABLE IF NOT EXISTS v (k TEXT PRIMARY KEY, v BLOB)")

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.name}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            vector = self._memo.get(text)
            if vector is None and self._db is not None:
                found = self._db.execute("SELECT v FROM v WHERE k = ?", (self._key(text),))
                blob = found.fetchone()
                if blob is not None:
                    vector = np.frombuffer(blob[0], dtype=np.float32)
            if vector is None:
                vector = self._encoder.encode([text])[0]
                if self._db is not None:
                    self._db.execute(
                        "INSERT OR REPLACE INTO v VALUES (?, ?)",
                        (self._key(text), vector.astype(np.float32).tobytes()),
                    )
            self._memo[text] = vector
            out[row] = vector
        return out

    def flush(self) -> None:
        if self._db is not None:
            self._db.commit()


def add_encoder_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--encoder", action="store_true", help="hybrid ranking: the shipped sentence encoder too"
    )
    parser.add_argument(
        "--vector-cache", type=Path, metavar="FILE", help="keep sentence vectors here between runs"
    )


def encoder_of(args: argparse.Namespace) -> MemoEncoder | None:
    return MemoEncoder(load_minilm(), args.vector_cache) if args.encoder else None
