"""Load on a real server (``xxgk serve`` in a subprocess): 50 concurrent uploads of
distinct reports are each stored exactly once and processed (p50/p95 latency
printed); a server killed (SIGKILL) during a batch loses no report after restart."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from tests.web.live import Server, prepare
from xxgk import api, synth
from xxgk.store.base import Store
from xxgk.store.models import StoredReport

COUNT = 50
DEADLINE = 240.0  # seconds for a batch to be processed on a small shared machine


def reports(n: int, tag: str) -> list[tuple[str, bytes, int]]:
    """``n`` distinct consistent reports as text: (file name, bytes, 依申请公开 granted)."""
    out = []
    for i in range(n):
        granted = i + 1
        report = synth.consistent_report(
            agency=f"某某县{tag}第{i + 1}局", year=2023, leaves={"granted": {"natural": granted}}
        )
        out.append((f"{tag}-{i + 1}.txt", api.render_report(report, "txt"), granted))
    return out


def post(url: str, token: str, name: str, data: bytes) -> tuple[int, dict[str, object], float]:
    started = time.perf_counter()
    answer = httpx.post(
        url + "/api/v1/reports",
        files={"file": (name, data)},
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    return answer.status_code, answer.json(), time.perf_counter() - started


def statuses(data: Path) -> dict[int, str]:
    store = Store(data)
    try:
        with store.session() as s:
            return {rid: st for rid, st in s.execute(select(StoredReport.id, StoredReport.status))}
    finally:
        store.dispose()


def wait_done(data: Path, ids: set[int], timeout: float = DEADLINE) -> dict[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        now = statuses(data)
        if all(now.get(i) in ("done", "failed") for i in ids) or time.monotonic() > deadline:
            return now
        time.sleep(0.5)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@pytest.fixture
def data(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    tokens = prepare(tmp_path / "data")
    yield tmp_path / "data", tokens


def test_fifty_concurrent_uploads_are_each_stored_once_and_processed(
    data: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, tokens = data
    batch = reports(COUNT, "负载")
    server = Server(folder, workers=1, jobs=2).start()  # checks in other processes
    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(COUNT) as pool:
            answers = list(
                pool.map(lambda r: post(server.url, tokens["管理员"], r[0], r[1]), batch)
            )
        assert [code for code, _, _ in answers] == [201] * COUNT, answers
        ids = [int(str(body["id"])) for _, body, _ in answers]
        assert len(set(ids)) == COUNT
        # the same bytes again, concurrently: the same reports, nothing new stored
        with ThreadPoolExecutor(10) as pool:
            again = list(
                pool.map(lambda r: post(server.url, tokens["管理员"], r[0], r[1]), batch[:10])
            )
        assert [(c, b["duplicate"], b["id"]) for c, b, _ in again] == [
            (200, True, rid) for rid in ids[:10]
        ]
        done = wait_done(folder, set(ids))
        processed = time.perf_counter() - started
        assert {done[i] for i in ids} == {"done"}, done
        for (_name, _data, granted), rid in zip(batch, ids, strict=True):
            got = httpx.get(
                f"{server.url}/api/v1/reports/{rid}",
                headers={"Authorization": f"Bearer {tokens['管理员']}"},
            ).json()
            assert got["tables"]["t3"]["granted"]["natural"] == granted
            assert got["status"] == "done" and got["year"] == 2023
    finally:
        server.stop()
    store = Store(folder)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(StoredReport)) == COUNT
        shas = s.scalar(select(func.count(func.distinct(StoredReport.file_sha256))))
        assert shas == COUNT
    store.dispose()
    latencies = [t for _, _, t in answers]
    with capsys.disabled():
        print(
            f"\nload: {COUNT} concurrent uploads, upload latency p50 "
            f"{percentile(latencies, 50) * 1000:.0f} ms, p95 {percentile(latencies, 95) * 1000:.0f} ms "
            f"(mean {statistics.mean(latencies) * 1000:.0f} ms); all {COUNT} checked "
            f"{processed:.1f} s after the first upload"
        )


def test_a_server_killed_during_a_batch_loses_no_report(
    data: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, tokens = data
    batch = reports(40, "重启")
    server = Server(folder, workers=1).start()
    answered: list[int] = []
    lock = threading.Lock()

    def send(r: tuple[str, bytes, int]) -> None:
        try:
            code, body, _ = post(server.url, tokens["管理员"], r[0], r[1])
        except httpx.HTTPError:
            return  # the server died before answering: this upload may or may not be stored
        assert code == 201, body
        with lock:
            answered.append(int(str(body["id"])))

    try:
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(send, r) for r in batch]
            # kill once some uploads are answered and the worker is busy with them
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                now = statuses(folder)
                if len(answered) >= 10 and any(v in ("processing", "done") for v in now.values()):
                    break
                time.sleep(0.05)
            server.kill()
            for f in futures:
                f.result()
    finally:
        server.kill()
    before = statuses(folder)
    assert set(answered) <= set(before), "an answered upload is not in the database"
    left = [i for i, st in before.items() if st != "done"]
    assert left, "the kill came after the whole batch was processed: nothing was interrupted"
    restarted = Server(folder, workers=1).start()
    try:
        after = wait_done(folder, set(before))
    finally:
        restarted.stop()
    assert {after[i] for i in before} == {"done"}, after
    store = Store(folder)
    with store.session() as s:
        rows = s.scalar(select(func.count()).select_from(StoredReport))
        shas = s.scalar(select(func.count(func.distinct(StoredReport.file_sha256))))
    store.dispose()
    assert rows == shas == len(before)  # each stored once
    with capsys.disabled():
        print(
            f"\nrestart: {len(answered)} uploads answered before SIGKILL, {len(before)} stored, "
            f"{len(left)} not yet checked at the kill; all {len(before)} checked after restart"
        )
