"""The web app fixtures of tests/web (SQLite and PostgreSQL sites), reused."""

from tests.web.conftest import _postgres_cluster, site

__all__ = ["_postgres_cluster", "site"]
