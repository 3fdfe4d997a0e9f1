"""Ledger tests that need a database run on SQLite and on a throwaway PostgreSQL."""

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
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "data", database_url(request.param, tmp_path))
    s.upgrade()
    yield s
    s.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "data", database_url("sqlite", tmp_path))
    s.upgrade()
    yield s
    s.dispose()
