"""nltk is imported lazily, without the scipy its package import would otherwise load."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from retrieval.text.analysis import stem
from retrieval.text.sentence_split import split_sentences
assert stem("running") == "run"
assert split_sentences("Rep. Eddie Rodriguez spoke. He left.") == [(0, 27), (28, 36)]
print("nltk" in sys.modules, repr(sys.modules.get("scipy", "absent")))
"""


def test_nltk_is_loaded_without_scipy_and_scipy_stays_importable():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    # Not loaded, and no None left behind that would make a later `import scipy` fail.
    assert result.stdout.split() == ["True", "'absent'"]
