"""Where the data lives and the schema: the database engine and Alembic migrations.

``XXGK_DATA`` (default ``./xxgk-data/``) holds the uploaded files and the SQLite
database; ``XXGK_DATABASE_URL`` selects another database (``postgresql://…``, used
through psycopg 3).  ``upgrade`` brings the schema to the newest migration; the web
app calls it at start.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).parent / "migrations"
# the execution option of a writing transaction (SQLite: BEGIN IMMEDIATE; others: no effect)
IMMEDIATE = "xxgk_immediate"


def data_dir() -> Path:
    return Path(os.environ.get("XXGK_DATA") or "xxgk-data")


def database_url(data: Path | None = None) -> str:
    url = os.environ.get("XXGK_DATABASE_URL")
    if url:
        return normalize_url(url)
    folder = data if data is not None else data_dir()
    return f"sqlite:///{(folder / 'xxgk.sqlite3').resolve()}"


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (SQLAlchemy's default
    would be psycopg2, which is not installed)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets foreign keys, WAL, a busy timeout and transactions that
    take the write lock when they begin (several threads and processes write to it)."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=30,
            max_overflow=30,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # transactions begin below, not in pysqlite
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
                # WAL with NORMAL sync: never corrupt; a power cut may lose the last
                # commits, not the file (each commit no longer waits for the disk)
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # a writing transaction takes the write lock at its start (option
            # IMMEDIATE): one that read first and wrote later could otherwise fail
            # at once ("database is locked") instead of waiting its turn
            immediate = conn.get_execution_options().get(IMMEDIATE)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def alembic_config(engine: Engine) -> Any:
    """An Alembic Config built in code (no alembic.ini): the migrations shipped in
    the package, run on ``engine``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        rev: str | None = MigrationContext.configure(conn).get_current_revision()
        return rev
