"""Background processing in the app's process: threads claim queued reports from the
database (so a report interrupted by a restart is taken up again at start) and
check each with ``xxgk.api`` on the stored file."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..store import reports
from ..store.base import Store
from ..store.models import StoredReport

log = logging.getLogger("xxgk.web.worker")


def check_file(path: Path, source: str) -> tuple[dict[str, Any] | None, str | None]:
    """``xxgk check --json`` of one file: (its object, None) or (None, the error)."""
    from .. import api

    outcome = next(iter(api.check_paths([path], pair=False)))
    if outcome.result is None:
        return None, outcome.error or "无法读取"
    data = outcome.result.contract_dict()
    data["source"] = source
    data["report"]["source"] = source
    return data, None


def process(store: Store, report_id: int) -> None:
    """Check one claimed report and store the result (or the error)."""
    with store.session() as s:
        row = s.get(StoredReport, report_id)
        if row is None:
            return
        sha, name = row.file_sha256, row.filename
    folder = Path(tempfile.mkdtemp(prefix="xxgk-check-"))
    try:
        path = folder / name  # the readers look at the file's name (its suffix)
        shutil.copyfile(store.file_path(sha), path)
        try:
            result, error = check_file(path, name)
        except Exception as exc:  # a bug in xxgk must not stop the queue
            log.exception("checking report %s failed", report_id)
            result, error = None, f"xxgk 内部出错（{type(exc).__name__}）"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    with store.session() as s:
        row = s.get(StoredReport, report_id)
        if row is None:
            return
        within = reports.scope_ids_of_uploader(s, row)
        reports.finish(s, row, result, error, within)


def run_pending(store: Store) -> int:
    """Process queued reports until none is left (in this thread); how many."""
    count = 0
    while True:
        with store.session() as s:
            rid = reports.claim(s)
        if rid is None:
            return count
        process(store, rid)
        count += 1


class Worker:
    """``threads`` threads taking queued reports; ``wake()`` after an upload."""

    def __init__(self, store: Store, threads: int = 1, idle: float = 5.0) -> None:
        self.store = store
        self.threads = max(1, threads)
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
                    rid = reports.claim(s)
            except Exception:
                log.exception("the queue could not be read")
                rid = None
            if rid is None:
                self._wake.wait(self.idle)
                self._wake.clear()
                continue
            process(self.store, rid)
