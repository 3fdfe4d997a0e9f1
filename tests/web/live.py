"""A real server for the browser and load tests: ``xxgk serve`` in a subprocess on a
free local port, against a temporary ``XXGK_DATA`` populated like the other web
tests (the example jurisdiction and its users)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.web.conftest import populate
from xxgk.store.base import Store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def prepare(data: Path) -> dict[str, str]:
    """The store at ``data`` with the example jurisdiction; the users' API tokens."""
    store = Store(data)
    store.upgrade()
    tokens = populate(store)
    store.dispose()
    return tokens


class Server:
    """``xxgk serve`` on ``data``; ``start()`` waits for /healthz, ``kill()`` is
    SIGKILL (nothing is flushed or cleaned up), ``stop()`` is Ctrl-C."""

    def __init__(
        self, data: Path, workers: int = 1, jobs: int = 1, log: Path | None = None
    ) -> None:
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.jobs = jobs  # checking processes per worker thread (1: in the server's process)
        self.log = log or data.parent / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> Server:
        env = {**os.environ, "XXGK_DATA": str(self.data), "XXGK_WORKERS": str(self.workers)}
        env.pop("XXGK_DATABASE_URL", None)
        out = self.log.open("ab")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "xxgk"),
                "serve",
                "--port",
                str(self.port),
                "--jobs",
                "1",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"xxgk serve exited: {self.log.read_text(errors='replace')}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"xxgk serve did not answer: {self.log.read_text(errors='replace')}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
