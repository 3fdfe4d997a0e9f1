"""The engine: files in, a stream of Outcomes out, on any ``concurrent.futures`` Executor.

The caller's process lists the files and reads their bytes (a local worker process
reads a file on disk itself); a worker (this process, a local process pool, or a Dask
worker) parses and checks them.  At most ``slots``
tasks (and about ``MAX_BYTES_IN_FLIGHT`` of contents) are in flight at a time, so
memory does not grow with the number of files; results come back in completion
order.  See the package docstring for the guarantees and for cross-year pairing.
"""

from __future__ import annotations

import os
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..readers.limits import DEFAULT_LIMITS, Limits
from .inputs import Item, gather, load, page_folder
from .outcome import Outcome, safely
from .pairing import YearIndex, year_key
from .peers import PeerPairs, groups
from .worker import (
    GONE,
    Content,
    Source,
    check_pairs,
    check_several,
    fetch,
    parse_content,
    quiet,
)

MAX_BYTES_IN_FLIGHT = 256 * 1024 * 1024  # contents sent and not yet done
CHUNK_FILES = 8  # small files sent together in one task (fewer round trips) ...
CHUNK_BYTES = 512 * 1024  # ... up to this many bytes
TAIL = 4  # the last 2 x workers x TAIL files (at most) one to a task
Progress = Callable[[int, int, str], None]


class EngineError(Exception):
    """The batch cannot start at all (a scheduler that cannot be reached): one
    Chinese line."""


class InlineExecutor(Executor):
    """Runs each task in this process when it is submitted (``jobs=1``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # the engine turns it into an error Outcome
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            future.set_exception(exc)
        return future


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class _Task:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    weight: int  # bytes of contents sent
    who: list[tuple[int, str]]  # (order, source) of the files it answers for
    replaces: bool = False
    tries: int = 0

    def singles(self) -> list[_Task]:
        """A task of several files as one task per file (to find the one that kills
        its worker)."""
        if self.fn is not check_several or len(self.args[0]) < 2:
            return [self]
        contents, *rest = self.args
        return [
            _Task(check_several, ([c], *rest), _size(c), [w], self.replaces, self.tries)
            for c, w in zip(contents, self.who, strict=True)
        ]


def _size(src: Source) -> int:
    """The bytes a file sends (its contents) or will be read as (its size on disk; a
    folder of page images: its files')."""
    if isinstance(src, Content):
        return len(src.data)
    try:
        if src.pages:
            with os.scandir(src.path) as entries:
                return sum(e.stat().st_size for e in entries if e.is_file())
        return os.stat(src.path).st_size
    except OSError:  # the worker reads it and says why not
        return 0


@dataclass
class _Pool:
    """The executor a batch runs on and how to let it go."""

    executor: Executor
    slots: int  # tasks in flight at most
    workers: int
    kind: str  # "inline", "local" or "dask"
    client: Any = None
    jobs: int = 1

    def renew(self) -> bool:
        """A fresh local pool after a worker process died (False: cannot)."""
        if self.kind != "local":
            return False
        self.executor.shutdown(wait=True, cancel_futures=True)  # its workers are dead
        self.executor = _local(self.jobs)
        return True

    def close(self, interrupted: bool) -> None:
        if self.kind == "local":
            if interrupted:  # Ctrl-C: running tasks are not waited for
                processes = getattr(self.executor, "_processes", None) or {}
                for proc in list(processes.values()):
                    proc.terminate()
            # waited for in both cases: the pool's manager thread must be gone before
            # the interpreter exits, or its exit hook writes to a closed pipe
            self.executor.shutdown(wait=True, cancel_futures=True)
        elif self.kind == "dask":
            self.executor.shutdown(wait=False)
            self.client.close()
        elif self.kind == "inline":
            self.executor.shutdown()
        # an Executor the caller gave stays theirs: only our pending tasks are cancelled


def _local(jobs: int) -> Executor:
    """``jobs`` worker processes, started now: forked (on Linux) before the caller
    starts threads of its own, such as a progress bar's."""
    import gc
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=quiet)
    _wider_results(pool)
    # frozen while the workers fork: their collections then leave alone (and do not
    # copy) the pages they share with this process; thawed again here once they run
    gc.freeze()
    try:
        wait([pool.submit(int) for _ in range(jobs)])
    finally:
        gc.unfreeze()
    return pool


def _wider_results(pool: Executor) -> None:
    """The pipe the workers send results through made 1 MB (Linux; it is 64 KB): a task's
    results are ~150 KB of JSON lines, and a worker writing them into a full pipe waits
    for this process's reader thread, which waits for the interpreter lock while this
    process writes results out; with room for them the worker goes on to its next task.
    Nothing changes where the pipe cannot be reached or widened."""
    if not sys.platform.startswith("linux"):
        return
    import fcntl

    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setpipe is None:
        return
    try:
        writer = pool._result_queue._writer  # type: ignore[attr-defined]
        fcntl.fcntl(writer.fileno(), setpipe, 1 << 20)
    except (AttributeError, OSError, ValueError):
        pass


_ADDRESS = re.compile(r"^(?:(?:tcp|tls)://)?(?:\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}$")


def connect(scheduler: str) -> _Pool:
    """A pool on a Dask distributed cluster, or EngineError in Chinese."""
    if not _ADDRESS.match(scheduler):
        raise EngineError(
            f"Dask 调度器地址 {scheduler} 格式不对：应形如 tcp://主机:8786（主机名或 IP 加端口）"
        )
    try:
        from distributed import Client
    except ImportError:
        raise EngineError("未安装 dask[distributed]，不能使用 --scheduler") from None
    import warnings

    # a large PDF is one task of a few MB: Dask's "large graph" advice is not for users
    warnings.filterwarnings("ignore", message=".*[Ll]arge graph", module="distributed")
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise EngineError(
            f"无法连接 Dask 调度器 {scheduler}：10 秒内未能连上（{type(exc).__name__}）；"
            "请确认 dask scheduler 已启动、地址和端口正确、防火墙放行"
        ) from None
    threads = sum(client.nthreads().values())  # type: ignore[no-untyped-call]
    workers = max(threads, 1)
    executor = client.get_executor(pure=False)  # type: ignore[no-untyped-call]
    return _Pool(executor, 2 * workers + 2, workers, "dask", client=client)


def open_pool(jobs: int | None, scheduler: str | Executor | None, files: int) -> _Pool:
    """Where the tasks run: the given Executor, a Dask cluster, or this machine
    (``jobs`` processes, default the number of cores; one file or ``jobs=1``: this
    process)."""
    if isinstance(scheduler, Executor):
        n = max(jobs or cores(), 1)
        return _Pool(scheduler, 2 * n + 2, n, "given")
    if scheduler:
        return connect(scheduler)
    n = max(min(jobs or cores(), files), 1)
    if n == 1:
        return _Pool(InlineExecutor(), 1, 1, "inline")
    return _Pool(_local(n), 2 * n + 2, n, "local", jobs=n)


def _failure(who: tuple[int, str], exc: BaseException, replaces: bool) -> Outcome:
    order, source = who
    if isinstance(exc, BrokenExecutor) or type(exc).__name__ == "KilledWorker":
        error = "处理这个文件的工作进程意外退出（内存不足或崩溃），其他文件不受影响"
    else:
        text = str(exc).replace("\n", " ")[:160]
        error = (
            f"xxgk 内部出错（{type(exc).__name__}：{text}），其他文件不受影响；"
            "请把这个文件报告给维护者"
        )
    return Outcome(
        source=source, error=error, unexpected=type(exc).__name__, order=order, replaces=replaces
    )


@dataclass
class Batch:
    """A run over many files: iterate it for Outcomes in completion order.

    ``total`` (the files and input problems, known before the first result) and
    ``done`` / ``errors`` (first-phase results so far) are there for a progress bar.
    An Outcome with ``replaces`` (the second phase, see the package docstring) does
    not count in ``done``: it supersedes the Outcome of the same ``order``.
    """

    inputs: list[Path]
    previous: Path | None = None
    jobs: int | None = None
    scheduler: str | Executor | None = None
    pair: bool = False
    skip: list[Path] = field(default_factory=list)
    limits: Limits = DEFAULT_LIMITS
    progress: Progress | None = None  # (done, total, source) before each file is read
    lines: bool = False  # workers also make each Outcome's JSON line (Outcome.text)
    objects: bool = True  # False (with lines): slim Outcomes, no Report or CheckResult
    items: list[Item] = field(init=False)
    problems: list[Outcome] = field(init=False)
    total: int = field(init=False)
    done: int = 0
    errors: int = 0
    pairs: int = 0  # second-phase results so far
    pool: _Pool = field(init=False)
    _iter: Iterator[Outcome] | None = field(default=None, init=False)
    _closed: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.items, self.problems = gather(
            self.inputs, self.skip, reserve=1 if self.previous is not None else 0, zip_scans=True
        )
        self.total = len(self.items) + len(self.problems)
        self.pool = open_pool(self.jobs, self.scheduler, len(self.items))

    @property
    def workers(self) -> int:
        return self.pool.workers

    def __iter__(self) -> Iterator[Outcome]:
        if self._iter is None:
            self._iter = self._run()
        return self._iter

    def close(self) -> None:
        """Stop: pending tasks cancelled, local workers ended (nothing when the batch
        has run to its end)."""
        if self._iter is not None:
            close = getattr(self._iter, "close", None)
            if close is not None:
                close()  # the generator's finally lets the pool go
        if not self._closed:
            self.pool.close(interrupted=True)
            self._closed = True

    # --- the two phases ---------------------------------------------------------

    def _run(self) -> Iterator[Outcome]:
        finished = False
        try:
            for o in self.problems:
                yield self._count(o)
            previous = None
            if self.previous is not None:
                previous, failed = self._previous()
                if failed is not None:  # not one of the files: counted as an error only
                    self.errors += 1
                    yield failed
            index = YearIndex()
            peers = PeerPairs()
            notes: dict[int, str] = {}
            for o in self._stream(self._first(previous)):
                if self.pair and (o.report is not None or o.year_key is not None):
                    key = year_key(o.report) if o.report is not None else o.year_key
                    index.add(o.order, key, with_previous=o.previous is not None)
                    peers.add(o, key)
                    if o.note:
                        notes[o.order] = o.note
                yield self._count(o)
            if self.pair:
                for o in self._stream(self._second(index, notes, peers, previous)):
                    self.pairs += 1
                    yield o
            finished = True
        finally:
            self._closed = True
            self.pool.close(interrupted=not finished)

    def _count(self, o: Outcome) -> Outcome:
        if not o.replaces:
            self.done += 1
            self.errors += o.error is not None
        return o

    def _previous(self) -> tuple[Content | None, Outcome | None]:
        """--previous read and parsed here, once: a failure is an Outcome (the files are
        still checked); the contents go with every task."""
        from .. import api

        assert self.previous is not None
        source = str(self.previous)
        pages = self.previous.is_dir() and page_folder(self.previous)  # a scan's pages
        item = Item(len(self.problems), source, source, pages=pages)
        data, failed = safely(source, load, item, self.limits)
        if failed is None and pages:
            _, failed = parse_content(Content(item.order, source, data, pages))
        elif failed is None:
            _, failed = safely(source, api.parse_bytes, data, source, self.limits)
        if failed is not None:
            failed.error = f"（--previous）{failed.error}"
            failed.order = item.order
            return None, failed
        return Content(item.order, source, data, pages), None

    def _read(self, item: Item) -> tuple[Source | None, Outcome | None]:
        """A file's Content, read here; to a local worker process (which sees this
        disk) a file on disk goes as its Item, read there: this process then only
        lists the files and takes the results."""
        if self.pool.kind == "local" and item.member is None:
            return item, None
        return fetch(item, self.limits)

    def _options(self) -> tuple[bool, bool, Limits]:
        return self.lines, self.objects or not self.lines, self.limits

    def _first(self, previous: Content | None) -> Iterator[_Task | Outcome]:
        """A task per file, or per few small files when they go to other processes
        (never so few tasks that a worker would wait); the last files one per task, so
        that the workers finish at about the same time; a folder of page images (read
        by OCR, seconds a page) always alone."""
        per_task = 1
        if self.pool.kind != "inline":
            per_task = max(1, min(CHUNK_FILES, len(self.items) // (4 * self.pool.workers)))
        singles = len(self.items) - 2 * self.pool.workers * min(per_task, TAIL)  # then alone
        group: list[Source] = []
        sizes: list[int] = []

        def task() -> _Task:
            who = [(c.order, c.source) for c in group]
            args = (list(group), previous, *self._options(), self.pair)  # sketches to pair
            return _Task(check_several, args, sum(sizes), who)

        for n, item in enumerate(self.items):
            if self.progress is not None:
                self.progress(n, len(self.items), item.source)
            content, failed = self._read(item)
            if content is None:
                assert failed is not None
                yield failed
                continue
            size = _size(content)
            alone = content.pages
            if group and (sum(sizes) + size > CHUNK_BYTES or alone):
                yield task()
                group, sizes = [], []
            group.append(content)
            sizes.append(size)
            if alone or len(group) >= per_task or n >= singles:
                yield task()
                group, sizes = [], []
        if group:
            yield task()

    def _second(
        self,
        index: YearIndex,
        notes: dict[int, str],
        peers: PeerPairs,
        previous: Content | None,
    ) -> Iterator[_Task | Outcome]:
        """Each pair's report checked again with last year's, and each report with
        peers (TXT-004) with them, a few reports per task."""
        first = self.items[0].order if self.items else 0
        given = {b: previous.order for b in index.excluded} if previous is not None else {}
        for group in groups(peers.jobs(index.pairs(), given)):
            wanted = sorted({o for b, a, ps in group for o in (b, a, *ps) if o is not None})
            contents: dict[int, Source] = {}
            for order in wanted:
                if previous is not None and order == previous.order:
                    contents[order] = previous
                    continue
                content, _ = self._read(self.items[order - first])
                if content is not None:
                    contents[order] = content
            ok = [
                (b, a, notes.get(b), ps)
                for b, a, ps in group
                if b in contents and (a is None or a in contents)
            ]
            for b, a, _ps in group:
                if b not in contents or (a is not None and a not in contents):  # changed
                    yield Outcome(
                        source=self.items[b - first].source, error=GONE, order=b, replaces=True
                    )
            if ok:
                weight = sum(_size(c) for c in contents.values())
                who = [(b, self.items[b - first].source) for b, _, _, _ in ok]
                args = (list(contents.values()), ok, *self._options())
                yield _Task(check_pairs, args, weight, who, True)

    def _stream(self, tasks: Iterator[_Task | Outcome]) -> Iterator[Outcome]:
        """Tasks run with at most ``slots`` (and about MAX_BYTES_IN_FLIGHT) in flight;
        Outcomes in completion order.  A task that fails is an error Outcome per file.
        When a local worker process dies, every task of that pool is lost: the pool
        is renewed and the lost tasks are run again one at a time, so that the one
        that kills its worker again is the only one to get the error."""
        pending: dict[Future[Any], _Task] = {}
        ready: deque[Outcome] = deque()
        suspects: deque[_Task] = deque()  # lost with a dead worker: run alone
        weight = 0
        exhausted = False

        def submit(task: _Task) -> None:
            nonlocal weight
            pending[self.pool.executor.submit(task.fn, *task.args)] = task
            weight += task.weight

        try:
            while True:
                # what came back is told first, then as many tasks are sent as there is
                # room for (so that a worker never waits for its next task), then the
                # next result is waited for
                while ready:
                    yield ready.popleft()
                if suspects:
                    if not pending:
                        submit(suspects.popleft())
                else:
                    while not exhausted and len(pending) < self.pool.slots:
                        if pending and weight >= MAX_BYTES_IN_FLIGHT:
                            break
                        nxt = next(tasks, None)
                        if nxt is None:
                            exhausted = True
                        elif isinstance(nxt, Outcome):
                            ready.append(nxt)  # a file that cannot be read: told now
                            break
                        else:
                            submit(nxt)
                    if ready:
                        continue
                if not pending:
                    if exhausted and not suspects:
                        return
                    continue
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                broken = False
                for fut in done:
                    task = pending.pop(fut)
                    weight -= task.weight
                    try:
                        result = fut.result()
                    except BaseException as exc:
                        if isinstance(exc, KeyboardInterrupt | SystemExit):
                            raise
                        if isinstance(exc, BrokenExecutor) and task.tries == 0:
                            broken = True  # lost with the pool: suspect, not culprit
                            task.tries += 1
                            suspects.extend(task.singles())
                            continue
                        if isinstance(exc, BrokenExecutor):
                            broken = True  # it ran alone and killed its worker again
                        ready.extend(_failure(w, exc, task.replaces) for w in task.who)
                        continue
                    ready.extend(result if isinstance(result, list) else [result])
                if not broken:
                    continue
                for fut, task in list(pending.items()):  # the dead pool's: all lost
                    pending.pop(fut)
                    weight -= task.weight
                    task.tries += 1
                    suspects.extend(task.singles())
                if not self.pool.renew():  # not a pool of ours: no second try
                    died = BrokenExecutor("worker died")
                    while suspects:
                        task = suspects.popleft()
                        ready.extend(_failure(w, died, task.replaces) for w in task.who)
        finally:
            for fut in pending:
                fut.cancel()


def check_many(
    inputs: Path | str | Iterable[Path | str],
    *,
    previous: Path | str | None = None,
    jobs: int | None = None,
    scheduler: str | Executor | None = None,
    pair: bool = False,
    skip: Iterable[Path | str] = (),
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    lines: bool = False,
    objects: bool = True,
) -> Batch:
    """A Batch over ``inputs`` (a folder, a file, a .zip, or a list of them).
    ``lines`` with ``objects=False``: Outcomes carry their JSON line, status, counts
    and pairing key but no Report or CheckResult (``Outcome.slim``), which is what a
    caller writing JSON lines needs and costs the workers and this process least."""
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    return Batch(
        [Path(p) for p in inputs],
        Path(previous) if previous is not None else None,
        jobs,
        scheduler,
        pair,
        [Path(p) for p in skip],
        limits,
        progress,
        lines,
        objects,
    )


def latest(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """One Outcome per input, in input order: a second-phase Outcome in place of the
    first-phase one it ``replaces``."""
    by: dict[int, Outcome] = {}
    for o in outcomes:
        if o.replaces or o.order not in by:
            by[o.order] = o
    return [by[k] for k in sorted(by)]


def check_paths(
    paths: Iterable[Path],
    previous: Path | None = None,
    pair: bool = True,
    progress: Progress | None = None,
    skip: Iterable[Path] = (),
    jobs: int = 1,
) -> Iterator[Outcome]:
    """Every file under ``paths`` checked, one Outcome per file in input order, with
    consecutive years of one agency paired (the whole batch is held: for a stream use
    :func:`check_many`)."""
    batch = check_many(
        list(paths), previous=previous, jobs=jobs, pair=pair, skip=skip, progress=progress
    )
    yield from latest(batch)
