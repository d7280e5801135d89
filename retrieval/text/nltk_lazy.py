"""nltk's modules, imported when first needed and without the scipy nltk would drag in.

Importing any part of nltk runs its package `__init__`, which imports nearly all of nltk;
where scipy is installed that includes `scipy.stats` (0.6 s and 80 MB here) for
statistics this project never uses. nltk guards each of those imports with
`except ImportError`, so hiding scipy for that moment costs nothing but the wait.
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType

_LOCK = threading.Lock()


def import_nltk(name: str) -> ModuleType:
    """`importlib.import_module(name)` for an nltk module, with scipy hidden if not loaded."""
    with _LOCK:
        if "nltk" in sys.modules or "scipy" in sys.modules:
            return importlib.import_module(name)
        sys.modules["scipy"] = None  # type: ignore[assignment]  # None makes `import` fail
        try:
            return importlib.import_module(name)
        finally:
            if "scipy" in sys.modules and sys.modules["scipy"] is None:
                del sys.modules["scipy"]
