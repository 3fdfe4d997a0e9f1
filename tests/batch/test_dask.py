"""The same batch on a real Dask cluster: a scheduler and two single-threaded worker
processes on loopback, started and torn down here; results equal the local run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk import api
from xxgk.batch import latest
from xxgk.cli import app
from xxgk.examples import example_paths

DASK = Path(sys.executable).with_name("dask")
NO_UI = ("--no-dashboard", "--no-show")
ONE = ("--nworkers", "1", "--nthreads", "1")  # one single-threaded process per worker
START_WITHIN = 30.0  # seconds for the scheduler and both workers to come up


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _worker(i: int, work: Path) -> list[str]:
    folder = str(work / f"w{i}")
    return ["--host", "127.0.0.1", "--no-dashboard", "--name", f"w{i}", "--local-directory", folder]


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
    for p in reversed(procs):
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=5)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not DASK.exists():
        pytest.skip(f"dask entry point not found beside {sys.executable}")
    work = tmp_path_factory.mktemp("dask")  # the workers' own folder, not the reports'
    port = _port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": work}
    env = dict(os.environ)
    procs = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), *NO_UI],
            env=env,
            **quiet,  # type: ignore[arg-type]
        )
    ]
    try:
        for i in range(2):
            procs.append(
                subprocess.Popen(
                    [str(DASK), "worker", address, *ONE, *_worker(i, work)],
                    env=env,
                    **quiet,  # type: ignore[arg-type]
                )
            )
        from distributed import Client

        deadline = time.monotonic() + START_WITHIN
        client = None
        while client is None and time.monotonic() < deadline:
            try:
                client = Client(address, timeout="2s", set_as_default=False)  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError):
                time.sleep(0.5)
        if client is None:
            pytest.skip(f"dask scheduler did not start within {START_WITHIN:.0f} s")
        try:
            client.wait_for_workers(2, timeout=max(deadline - time.monotonic(), 1))  # type: ignore[no-untyped-call]
        except (TimeoutError, OSError):
            pytest.skip(f"two dask workers did not start within {START_WITHIN:.0f} s")
        finally:
            client.close()  # type: ignore[no-untyped-call]
        yield address
    finally:
        _stop(procs)


def _corpus(tmp: Path) -> list[Path]:
    folder = tmp / "reports"
    folder.mkdir()
    for p in example_paths():
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "data.yaml").write_text(api.new_report("2021", "某某县统计局", 2024), "utf-8")
    archive = tmp / "more.zip"  # members exist nowhere on disk: contents must travel
    with zipfile.ZipFile(archive, "w") as zf:
        for p in example_paths()[:2]:
            zf.writestr(f"zip/{p.name}", p.read_bytes())
    return [folder, archive]


def _final(outcomes: object) -> list[str]:
    return [json.dumps(o.as_dict(), ensure_ascii=False, sort_keys=True) for o in latest(outcomes)]  # type: ignore[arg-type]


def test_a_dask_cluster_gives_the_local_results(cluster: str, tmp_path: Path) -> None:
    inputs = _corpus(tmp_path)
    local = _final(api.check_many(inputs, jobs=1, pair=True))
    started = time.monotonic()
    batch = api.check_many(inputs, scheduler=cluster, pair=True)
    assert batch.workers == 2
    remote = _final(batch)
    took = time.monotonic() - started
    assert remote == local and len(remote) == 8
    failed = [d["source"] for d in map(json.loads, remote) if "findings" not in d]
    assert failed == [str(inputs[0] / "empty.txt")]  # as locally: an error result
    assert took < 60

    runner = CliRunner()
    res = runner.invoke(app, ["check", *map(str, inputs), "--scheduler", cluster, "--json"])
    mine = runner.invoke(app, ["check", *map(str, inputs), "--jobs", "1", "--json"])
    assert res.exit_code == mine.exit_code == 2, res.stderr
    assert json.loads(res.stdout) == json.loads(mine.stdout)
