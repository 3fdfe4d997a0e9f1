"""Background processing in the app's process: threads claim queued reports from the
database (so a report interrupted by a restart is taken up again at start) and
check them on the many-files engine (``api.check_many``) from the stored files."""

from __future__ import annotations

import logging
import math
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import reports
from ..store.base import Store
from ..store.models import StoredReport
from . import history

if TYPE_CHECKING:
    from ..batch import Outcome

log = logging.getLogger("xxgk.web.worker")

BATCH = 16  # reports claimed at once (checked together on the many-files engine)


def _result(outcome: Outcome, source: str) -> tuple[dict[str, Any] | None, str | None]:
    """An Outcome as stored: ``xxgk check --json``'s object (named by the uploaded
    file's name), or the error."""
    if outcome.result is None:
        return None, outcome.error or "无法读取"
    data = _finite(outcome.result.contract_dict())
    data["source"] = source
    data["report"]["source"] = source
    return data, None


def _finite(data: Any) -> Any:
    """Strict JSON, as ``xxgk check --json`` prints it: a NaN or infinite number is
    null (PostgreSQL's JSON refuses them, and so does the API's encoder)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data


def check_file(path: Path, source: str) -> tuple[dict[str, Any] | None, str | None]:
    """``xxgk check --json`` of one file: (its object, None) or (None, the error)."""
    from .. import api

    return _result(next(iter(api.check_paths([path], pair=False))), source)


def _store(store: Store, report_id: int, result: dict[str, Any] | None, error: str | None) -> None:
    try:
        with store.session() as s:
            row = s.get(StoredReport, report_id)
            if row is None:
                return
            reports.finish(s, row, result, error, reports.scope_ids_of_uploader(s, row))
            history.after_finish(s, store, row)  # XYR-* against last year's stored report
    except Exception as exc:  # never left 'processing' to be taken up again and again
        log.exception("storing the result of report %s failed", report_id)
        with store.session() as s:
            row = s.get(StoredReport, report_id)
            if row is not None:
                reports.finish(s, row, None, f"保存核查结果时出错（{type(exc).__name__}）", None)


def process(store: Store, report_ids: list[int], jobs: int = 1) -> None:
    """Check claimed reports on the many-files engine (``api.check_many``, ``jobs``
    processes) and store each result as it comes."""
    from .. import api

    with store.session() as s:
        rows = [s.get(StoredReport, rid) for rid in report_ids]
        todo = [(r.id, r.file_sha256, r.filename) for r in rows if r is not None]
    folder = Path(tempfile.mkdtemp(prefix="xxgk-check-"))
    try:
        paths: dict[str, tuple[int, str]] = {}
        for rid, sha, name in todo:
            if name.lower().endswith(".zip"):
                _store(store, rid, None, "这是一个压缩包，不是报告；请解压后上传其中的报告")
                continue
            path = folder / str(rid) / name  # the readers look at the file's name
            path.parent.mkdir()
            shutil.copyfile(store.file_path(sha), path)
            paths[str(path)] = (rid, name)
        left = dict(paths)
        if paths:
            try:
                batch = api.check_many(list(paths), jobs=jobs)
                try:
                    for outcome in batch:
                        found = left.pop(outcome.source, None)
                        if found is not None:
                            _store(store, found[0], *_result(outcome, found[1]))
                finally:
                    batch.close()
            except Exception:  # the engine failed: one file at a time, each on its own
                log.exception("the many-files engine failed; checking one by one")
        for path_, (rid, name) in left.items():
            try:
                result, error = check_file(Path(path_), name)
            except Exception as exc:  # a bug in xxgk must not stop the queue
                log.exception("checking report %s failed", rid)
                result, error = None, f"xxgk 内部出错（{type(exc).__name__}）"
            _store(store, rid, result, error)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_pending(store: Store, jobs: int = 1) -> int:
    """Process queued reports until none is left (in this thread); how many."""
    count = 0
    while True:
        with store.session() as s:
            ids = reports.claim_many(s, BATCH)
        if not ids:
            return count
        process(store, ids, jobs)
        count += len(ids)


class Worker:
    """``threads`` threads taking queued reports; ``wake()`` after an upload."""

    def __init__(self, store: Store, threads: int = 1, jobs: int = 1, idle: float = 5.0) -> None:
        self.store = store
        self.threads = max(1, threads)
        self.jobs = max(1, jobs)
        self.idle = idle
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._running: list[threading.Thread] = []

    def start(self) -> None:
        with self.store.session() as s:
            again = reports.requeue_interrupted(s, everything=True)
        if again:
            log.info("%d interrupted report(s) queued again", again)
        for i in range(self.threads):
            t = threading.Thread(target=self._loop, name=f"xxgk-worker-{i}", daemon=True)
            t.start()
            self._running.append(t)

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        for t in self._running:
            t.join(timeout)
        self._running = []

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                with self.store.session() as s:
                    reports.requeue_interrupted(s)
                    ids = reports.claim_many(s, BATCH)
            except Exception:
                log.exception("the queue could not be read")
                ids = []
            if not ids:
                self._wake.wait(self.idle)
                self._wake.clear()
                continue
            try:
                process(self.store, ids, self.jobs)
            except Exception:  # e.g. the database went away: the lease brings them back
                log.exception("processing reports %s failed", ids)
