"""The many-files engine: the same results whatever runs them, a stream that stays
small, zips read safely, failures that are results, years paired in a second phase."""

from __future__ import annotations

import json
import os
import pickle
import threading
import zipfile
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from xxgk import api
from xxgk.batch import EngineError, Outcome, latest, read_report, worker
from xxgk.batch import inputs as batch_inputs
from xxgk.examples import example_paths
from xxgk.render.text import render_text
from xxgk.synth import consistent_report

GOOD = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")


def _year(folder: Path, agency: str, year: int, over: int, forward: int) -> Path:
    report = consistent_report(
        agency=agency,
        year=year,
        published=f"{year + 1}-01-20",
        leaves={"granted": {"natural": 4}},
        carried_over={"natural": over},
        carried_forward={"natural": forward},
    )
    path = folder / f"{agency}-{year}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_text(report), encoding="utf-8")
    return path


def _mixed(tmp: Path) -> tuple[Path, Path, dict[str, Path]]:
    """A folder of the examples, a YAML data file and broken files, and a zip of two
    examples (one in a sub-folder); for each zip member, the same file on disk."""
    folder = tmp / "in"
    folder.mkdir()
    for p in example_paths():
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (folder / "novel.txt").write_text("从前有座山，山里有座庙。\n" * 20, encoding="utf-8")
    (folder / "data.yaml").write_text(api.new_report("2021", "某某县统计局", 2024), "utf-8")
    archive = tmp / "reports.zip"
    copies: dict[str, Path] = {}
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, p in (("a/township.txt", example_paths()[3]), ("old.txt", example_paths()[2])):
            zf.writestr(member, p.read_bytes())
            copies[f"{archive}!{member}"] = p
    return folder, archive, copies


def _one_by_one(path: Path) -> dict[str, Any]:
    """What `xxgk check FILE --json` gives for one file: the result, or the error
    object of exit code 2."""
    report, failed = read_report(path, api.parse)
    if failed is not None:
        return failed.as_dict()
    assert report is not None
    return api.check_report(report).contract_dict()


def _by_source(outcomes: list[Outcome]) -> dict[str, str]:
    return {o.source: json.dumps(o.as_dict(), ensure_ascii=False, sort_keys=True) for o in outcomes}


def test_results_are_those_of_one_by_one_check_whatever_the_workers(tmp_path: Path) -> None:
    folder, archive, copies = _mixed(tmp_path)
    runs = {jobs: list(api.check_many([folder, archive], jobs=jobs)) for jobs in (1, 2)}
    one, two = _by_source(runs[1]), _by_source(runs[2])
    assert one == two
    files = sorted(folder.iterdir())
    assert set(one) == {str(p) for p in files} | set(copies)
    for p in files:
        assert one[str(p)] == json.dumps(_one_by_one(p), ensure_ascii=False, sort_keys=True)
    for source, disk in copies.items():  # a member is checked as the same file on disk
        expected = json.dumps(_one_by_one(disk), ensure_ascii=False, sort_keys=True)
        assert one[source] == expected.replace(json.dumps(str(disk))[1:-1], source)
    errors = {Path(o.source).name: o.error for o in runs[2] if o.result is None}
    assert errors["empty.txt"] == "文件为空"
    assert "图片" in (errors["image.pdf"] or "") and "novel.txt" in errors
    data = json.loads(one[str(folder / "data.yaml")])
    assert data["report"]["agency"] == "某某县统计局"
    # completion order aside, order numbers are the input order
    assert [o.source for o in latest(runs[2])] == [o.source for o in latest(runs[1])]


def test_a_result_pickles_and_keeps_what_json_shows(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_bytes(GOOD.read_bytes())
    for o in api.check_many(tmp_path, jobs=1):
        back = pickle.loads(pickle.dumps(o))
        assert back.as_dict() == o.as_dict() and back.status == o.status
        assert back.order == o.order and back.line() == o.line()


class _Counting(Executor):
    """A thread pool that records how many tasks were in flight at most."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(2)
        self.lock = threading.Lock()
        self.live = 0
        self.most = 0
        self.submitted = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self.lock:
            self.live += 1
            self.submitted += 1
            self.most = max(self.most, self.live)
        future = self.pool.submit(fn, *args, **kwargs)

        def gone(_: object) -> None:
            with self.lock:
                self.live -= 1

        future.add_done_callback(gone)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def test_the_stream_keeps_few_tasks_in_flight_and_yields_before_the_end(tmp_path: Path) -> None:
    for i in range(60):
        (tmp_path / f"r{i:02d}.txt").write_bytes(GOOD.read_bytes())
    executor = _Counting()
    batch = api.check_many(tmp_path, scheduler=executor, jobs=2)
    it = iter(batch)
    first = next(it)
    assert first.result is not None and executor.submitted < 60  # streaming, not gathered
    rest = list(it)
    assert len(rest) == 59 and batch.done == 60 and batch.total == 60
    assert executor.most <= 2 * 2 + 2
    assert executor.submitted <= 30  # small files travel several to a task
    assert executor.submit(sum, [1, 2]).result() == 3  # the caller's executor stays theirs
    executor.shutdown()


def test_a_zip_is_read_member_by_member_and_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "in.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ok/good.txt", GOOD.read_bytes())
        zf.writestr("../evil.txt", GOOD.read_bytes())
        zf.writestr("bomb.txt", b"0" * (8 * 1024 * 1024))  # 8 MB of one byte: ratio ~1000
        zf.writestr("__MACOSX/ok/._good.txt", b"junk")
        zf.writestr("notes.png", b"\x89PNG")
    got = {o.source: o for o in api.check_many(archive, jobs=1)}
    assert set(got) == {f"{archive}!{m}" for m in ("ok/good.txt", "../evil.txt", "bomb.txt")}
    good = got[f"{archive}!ok/good.txt"]
    assert good.result is not None and good.result.report.agency == "某某县发展和改革局"
    assert "不安全" in (got[f"{archive}!../evil.txt"].error or "")
    assert "压缩炸弹" in (got[f"{archive}!bomb.txt"].error or "")

    monkeypatch.setattr(batch_inputs, "ZIP_MAX_MEMBERS", 2)
    (only,) = list(api.check_many(archive, jobs=1))
    assert only.source == str(archive) and "报告文件过多" in (only.error or "")

    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    (o,) = list(api.check_many(broken, jobs=1))
    assert o.source == str(broken) and "不是有效的 ZIP" in (o.error or "")


@pytest.mark.parametrize("others", [6, 38])  # 40 files: several small files per task
def test_a_crash_in_a_worker_is_a_result_and_the_others_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, others: int
) -> None:
    names = ["a.txt", "boom.txt", "die.txt"] + [f"r{i:02d}.txt" for i in range(others - 1)]
    for name in names:
        (tmp_path / name).write_bytes(GOOD.read_bytes())
    real = api.parse_bytes

    def parse(data: bytes, source: str, *args: Any) -> Any:
        if source.endswith("boom.txt"):
            raise ZeroDivisionError("division by zero")
        if source.endswith("die.txt"):
            os._exit(3)  # the worker process dies (a segfault, the OOM killer)
        return real(data, source, *args)

    monkeypatch.setattr(api, "parse_bytes", parse)  # the pool forks: workers see it
    got = {Path(o.source).name: o for o in api.check_many(tmp_path, jobs=2)}
    assert set(got) == set(names)
    # the files lost with the dead worker are run again, alone: only die.txt fails
    good = [n for n in names if n not in ("boom.txt", "die.txt")]
    assert [n for n in names if got[n].status == 0] == good
    boom = got["boom.txt"]
    assert boom.unexpected == "ZeroDivisionError" and "内部出错" in (boom.error or "")
    assert boom.trace and "ZeroDivisionError" in boom.trace
    die = got["die.txt"]
    assert die.status == 2 and "工作进程意外退出" in (die.error or "")


def test_consecutive_years_are_paired_in_a_second_phase(tmp_path: Path) -> None:
    _year(tmp_path, "某某县水利局", 2021, over=0, forward=2)
    _year(tmp_path, "某某县水利局", 2022, over=2, forward=3)
    _year(tmp_path, "某某县水利局", 2023, over=1, forward=0)  # last year carried 3 forward
    _year(tmp_path, "某某县教育局", 2022, over=5, forward=0)
    stream = list(api.check_many(tmp_path, jobs=2, pair=True))
    first, second = stream[:4], stream[4:]
    assert not any(o.replaces for o in first) and all(o.replaces for o in second)
    assert not [f for o in first if o.result for f in o.result.findings if f.code[:3] == "XYR"]
    assert sorted(Path(o.source).name for o in second) == [
        "某某县水利局-2022.txt",
        "某某县水利局-2023.txt",
    ]
    final = {Path(o.source).name: o for o in latest(stream)}
    w2023 = final["某某县水利局-2023.txt"]
    assert w2023.previous is not None and w2023.previous.endswith("某某县水利局-2022.txt")
    assert w2023.result is not None
    xyr = [f for f in w2023.result.findings if f.code == "XYR-001"]
    assert xyr and "结转下年度继续办理为 3" in xyr[0].message
    # the same as the sequential pairing of all reports held in memory
    held = {Path(o.source).name: o.as_dict() for o in api.check_paths([tmp_path])}
    assert {k: o.as_dict() for k, o in final.items()} == held
    alone = list(api.check_many(tmp_path, jobs=1))  # pairing is asked for, not default
    assert len(alone) == 4 and not any(o.replaces or o.previous for o in alone)


def test_an_unreachable_scheduler_is_one_chinese_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nobody listens
    (tmp_path / "a.txt").write_bytes(GOOD.read_bytes())
    with pytest.raises(EngineError, match="无法连接 Dask 调度器"):
        api.check_many(tmp_path, scheduler=f"tcp://127.0.0.1:{port}")


def test_slim_outcomes_carry_the_same_lines_status_and_pairs(tmp_path: Path) -> None:
    folder, archive, _ = _mixed(tmp_path)
    _year(folder, "某某县水利局", 2022, over=0, forward=3)
    _year(folder, "某某县水利局", 2023, over=1, forward=0)  # 2022 carried 3 forward
    whole = latest(api.check_many([folder, archive], jobs=1, pair=True))
    slim = latest(api.check_many([folder, archive], jobs=2, pair=True, lines=True, objects=False))
    assert [o.source for o in slim] == [o.source for o in whole]
    for w, s in zip(whole, slim, strict=True):
        assert s.report is None and s.result is None  # not sent back
        assert s.json_line() == w.json_line() and s.as_dict() == w.as_dict()
        assert (s.status, s.counts(), s.error, s.previous) == (
            w.status,
            w.counts(),
            w.error,
            w.previous,
        )
    water = next(o for o in slim if o.source.endswith("某某县水利局-2023.txt"))
    assert water.previous is not None and "XYR-001" in water.json_line()
    assert {o.status for o in slim} == {0, 1, 2}


def test_a_file_gone_before_it_is_read_is_the_same_error_in_a_worker(tmp_path: Path) -> None:
    for i in range(6):
        (tmp_path / f"r{i}.txt").write_bytes(GOOD.read_bytes())
    got = {}
    for jobs in (1, 2):
        batch = api.check_many(tmp_path, jobs=jobs)  # listed now, read when run
        (tmp_path / "r3.txt").rename(tmp_path / "r3.moved")
        got[jobs] = {Path(o.source).name: (o.status, o.error) for o in batch}
        (tmp_path / "r3.moved").rename(tmp_path / "r3.txt")
    assert got[1] == got[2]
    assert got[2]["r3.txt"] == (2, "文件不存在") and got[2]["r0.txt"] == (0, None)


def test_a_file_gone_before_the_second_phase_is_the_same_error_in_a_worker(
    tmp_path: Path,
) -> None:
    old = _year(tmp_path, "某某县水利局", 2022, over=0, forward=3)
    _year(tmp_path, "某某县水利局", 2023, over=3, forward=0)
    got = {}
    for jobs in (1, 2):
        batch = api.check_many(tmp_path, jobs=jobs, pair=True)
        stream = []
        for o in batch:
            stream.append(o)
            if batch.done == batch.total and old.exists():  # the first phase is over
                old.rename(tmp_path / "moved")
        (tmp_path / "moved").rename(old)
        got[jobs] = [(Path(o.source).name, o.error, o.replaces) for o in stream[2:]]
    assert got[1] == got[2] == [("某某县水利局-2023.txt", worker.GONE, True)]


class _Slow(_Counting):
    """Tasks that take 50 ms each; records how many were live at every submit."""

    def __init__(self) -> None:
        super().__init__()
        self.live_at_submit: list[int] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        import time

        def slow(*a: Any, **k: Any) -> Any:
            time.sleep(0.05)
            return fn(*a, **k)

        with self.lock:
            self.live_at_submit.append(self.live)
        return super().submit(slow, *args, **kwargs)


def test_the_workers_always_have_a_next_task_waiting(tmp_path: Path) -> None:
    for i in range(60):
        (tmp_path / f"r{i:02d}.txt").write_bytes(GOOD.read_bytes())
    executor = _Slow()
    outcomes = list(api.check_many(tmp_path, scheduler=executor, jobs=2))
    assert len(outcomes) == 60 and executor.submitted > 2 * 2 + 2
    # after the first tasks, each new one is sent as soon as one comes back: the
    # workers never run dry while files are left (a pool of 2 + 2 x 2 queued at most)
    later = executor.live_at_submit[2 * 2 + 2 :]
    assert later and min(later) >= 2, executor.live_at_submit
    executor.shutdown()
