from __future__ import annotations

import pytest

from retrieval import QA


@pytest.fixture(scope="session")
def qa() -> QA:
    return QA.load()
