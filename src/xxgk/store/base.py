"""``Store``: the database engine, its sessions and the folder of report files."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from . import db


class Store:
    """The data of one installation: ``data`` holds ``files/`` (report contents by
    SHA-256) and, unless ``url`` names another database, the SQLite database."""

    def __init__(self, data: Path | None = None, url: str | None = None) -> None:
        self.data = data if data is not None else db.data_dir()
        self.files = self.data / "files"
        self.files.mkdir(parents=True, exist_ok=True)
        self.url = db.normalize_url(url) if url else db.database_url(self.data)
        self.engine: Engine = db.make_engine(self.url)
        # sessions that write (SQLite: BEGIN IMMEDIATE), and sessions that read first
        # (a web request; ``begin_write`` before it writes)
        writer = self.engine.execution_options(**{db.IMMEDIATE: True})
        self.sessions = sessionmaker(writer, expire_on_commit=False)
        self.readers = sessionmaker(self.engine, expire_on_commit=False)

    def upgrade(self) -> None:
        db.upgrade(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed at the end of the block (rolled back on error)."""
        with self.sessions() as s, s.begin():
            yield s

    @staticmethod
    def begin_write(session: Session) -> None:
        """End the session's reading transaction and start a writing one (on SQLite
        it waits for the write lock here, not halfway through)."""
        session.commit()
        session.connection(execution_options={db.IMMEDIATE: True})

    def healthy(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def file_path(self, sha256: str) -> Path:
        return self.files / sha256[:2] / sha256

    def put_file(self, data: bytes) -> str:
        """Keep ``data`` (once: the name is its SHA-256); returns the hash."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.file_path(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".up-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        return sha

    def dispose(self) -> None:
        self.engine.dispose()
