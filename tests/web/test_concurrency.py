"""Concurrent uploads through a real server (uvicorn, its thread pool, the worker
running): every request answered, each report stored once and processed.  Pins the
SQLite locking (a request holding the write lock while it waits for a thread)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn

from tests.pgcluster import database_url
from tests.web.conftest import populate
from xxgk.examples import example_paths
from xxgk.store.base import Store
from xxgk.web.app import create_app

UPLOADS = 40
BUREAU = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    store = Store(tmp_path / "data", database_url(request.param, tmp_path))
    store.upgrade()
    token = populate(store)["管理员"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="error")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", token
    srv.should_exit = True
    thread.join(30)
    store.dispose()


def test_concurrent_uploads_are_each_stored_once_and_processed(server: tuple[str, str]) -> None:
    base, token = server
    auth = {"Authorization": f"Bearer {token}"}
    text = BUREAU.read_bytes()

    def upload(i: int) -> tuple[int, int]:
        data = text.replace("156条".encode(), f"{1000 + i}条".encode())
        answer = httpx.post(
            f"{base}/api/v1/reports",
            files={"file": (f"r{i}.txt", data)},
            headers=auth,
            timeout=60,
        )
        return answer.status_code, answer.json()["id"]

    with ThreadPoolExecutor(UPLOADS) as pool:
        answers = list(pool.map(upload, range(UPLOADS)))
    assert [code for code, _ in answers] == [201] * UPLOADS
    ids = {rid for _, rid in answers}
    assert len(ids) == UPLOADS
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        listed = httpx.get(f"{base}/api/v1/reports", headers=auth, timeout=30).json()["reports"]
        if all(r["status"] == "done" for r in listed):
            break
        time.sleep(0.5)
    assert sorted(r["id"] for r in listed) == sorted(ids)
    assert {r["status"] for r in listed} == {"done"}
    assert sorted(r["version"] for r in listed) == list(range(1, UPLOADS + 1))


def test_identical_bytes_sent_at_once_are_stored_once(server: tuple[str, str]) -> None:
    base, token = server
    auth = {"Authorization": f"Bearer {token}"}
    data = BUREAU.read_bytes()

    def upload(i: int) -> tuple[int, int]:
        answer = httpx.post(
            f"{base}/api/v1/reports",
            files={"file": (f"copy{i}.txt", data)},
            data={"agency": "某某县发展和改革局"},
            headers=auth,
            timeout=60,
        )
        return answer.status_code, answer.json()["id"]

    # the same bytes filed earlier under another agency: the file row exists already
    other = httpx.post(
        f"{base}/api/v1/reports",
        files={"file": ("office.txt", data)},
        data={"agency": "某某区某某办公室"},
        headers=auth,
        timeout=60,
    )
    assert other.status_code == 201
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(upload, range(12)))
    assert sorted(code for code, _ in answers) == [200] * 11 + [201]
    assert len({rid for _, rid in answers}) == 1
    listed = httpx.get(f"{base}/api/v1/reports", headers=auth, timeout=30).json()["reports"]
    assert len(listed) == 2
