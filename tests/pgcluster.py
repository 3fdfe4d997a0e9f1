"""A throwaway PostgreSQL server for the store and web tests.

When Debian's PostgreSQL binaries exist (``/usr/lib/postgresql/*/bin/initdb``), a
cluster is made in a temporary folder (in ``/dev/shm`` when it has room), started on
a free local port (as the ``postgres`` user when running as root: PostgreSQL refuses
to run as root) and stopped at the end of the test session; each pytest-xdist worker
has its own.  Otherwise ``skip_reason`` says why the PostgreSQL variants are skipped.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _scratch() -> str | None:
    """A folder in memory for the cluster when there is room (Linux ``/dev/shm``).

    Every test on PostgreSQL makes a database of about 10 MB; on a disk mounted with
    ``discard`` (this CI machine) removing a few hundred of them at the end of the
    session took 45 s, and making each one was slower too.
    """
    shm = "/dev/shm"
    try:
        free = shutil.disk_usage(shm).free
    except OSError:
        return None
    return shm if os.access(shm, os.W_OK) and free >= 4 << 30 else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    def __init__(self) -> None:
        self.url: str | None = None
        self.skip_reason: str | None = None
        self.folder: Path | None = None
        self._pg_ctl: list[str] = []
        self._started = False

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        bindir = _binaries()
        if bindir is None:
            self.skip_reason = (
                "PostgreSQL not installed (no /usr/lib/postgresql/*/bin/initdb; "
                "`make postgres` installs Debian's postgresql)"
            )
            return
        prefix: list[str] = []
        self.folder = Path(tempfile.mkdtemp(prefix="xxgk-pg-", dir=_scratch()))
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                self.skip_reason = "running as root without runuser: cannot start PostgreSQL"
                return
            try:
                import pwd

                pw = pwd.getpwnam("postgres")
            except KeyError:
                self.skip_reason = "running as root and no postgres user to run PostgreSQL"
                return
            os.chown(self.folder, pw.pw_uid, pw.pw_gid)
            prefix = ["runuser", "-u", "postgres", "--"]
        data = self.folder / "data"
        run = [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "xxgk", "-A", "trust"]
        proc = subprocess.run(run, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            self.skip_reason = f"initdb failed: {proc.stderr.strip()[-300:]}"
            return
        self._pg_ctl = [*prefix, str(bindir / "pg_ctl"), "-D", str(data)]
        # a free port can be taken before the server binds it (another pytest-xdist
        # worker starts its own cluster at the same moment): try another one
        for _attempt in range(3):
            port = _free_port()
            opts = f"-p {port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            proc = subprocess.run(
                [*self._pg_ctl, "-o", opts, "-l", str(self.folder / "log"), "-w", "start"],
                capture_output=True,
                text=True,
                timeout=120,
            )
            if proc.returncode == 0:
                break
        else:
            log = (self.folder / "log").read_text(errors="replace")[-300:]
            self.skip_reason = f"PostgreSQL did not start: {proc.stderr.strip()} {log}"
            return
        self.url = f"postgresql+psycopg://xxgk@127.0.0.1:{port}/"
        atexit.register(self.stop)

    def new_database(self) -> str:
        """A fresh empty database on the cluster; its URL."""
        assert self.url is not None
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        dsn = self.url.replace("postgresql+psycopg://", "postgresql://") + "postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url + name

    def stop(self) -> None:
        if self._pg_ctl:
            subprocess.run(
                [*self._pg_ctl, "-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=60,
            )
            self._pg_ctl = []
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


CLUSTER = Cluster()


def database_url(kind: str, folder: Path) -> str:
    """A fresh database of ``kind`` (sqlite or postgresql); skips when unavailable."""
    import pytest

    if kind == "sqlite":
        return f"sqlite:///{folder / 'test.sqlite3'}"
    CLUSTER.start()
    if CLUSTER.url is None:
        pytest.skip(f"PostgreSQL variant skipped: {CLUSTER.skip_reason}")
    return CLUSTER.new_database()
