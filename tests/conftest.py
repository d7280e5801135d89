from __future__ import annotations

import pytest

from retrieval import QA


@pytest.fixture(scope="session")
def qa() -> QA:
    return QA.load()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the corpus cache of every test (and its subprocesses) out of the user's home."""
    monkeypatch.setenv("ARTICLE_QA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
