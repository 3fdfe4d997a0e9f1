"""Every store test runs on SQLite and on a throwaway PostgreSQL (see tests/pgcluster.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pgcluster import CLUSTER, database_url
from xxgk.store.base import Store


@pytest.fixture(scope="session", autouse=True)
def _postgres_cluster() -> Iterator[None]:
    yield
    CLUSTER.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return database_url(request.param, tmp_path)


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "data", db_url)
    s.upgrade()
    yield s
    s.dispose()
