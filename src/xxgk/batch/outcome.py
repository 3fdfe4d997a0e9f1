"""One file's result (``Outcome``) and the helpers every path to it shares: an
operating-system error as Chinese, a file probed before it is read, any failure of
xxgk on one file turned into an Outcome (``safely``).

An Outcome is a plain dataclass of picklable values, so it travels from a worker
process or a Dask worker back to the caller unchanged.  Its Report and CheckResult
travel as one pickled bytes (``Outcome.__reduce__``), unpickled in the receiving
process only when one of them is first read (``report``, ``result``, or anything that
reads them): the caller's process, which shares the cores with the workers, only
copies the bytes of an Outcome it hands on by its name, status or counts.
"""

from __future__ import annotations

import errno
import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from ..model import CheckResult, Report, Severity
from ..readers import ReadError

# the suffixes a folder is searched for (a file named on the command line is always read)
REPORT_SUFFIXES = frozenset(
    {
        ".txt",
        ".text",
        ".htm",
        ".html",
        ".shtml",
        ".xhtml",
        ".mht",
        ".docx",
        ".doc",
        ".wps",
        ".pdf",
        ".md",
        ".markdown",
        ".yaml",
        ".yml",
        ".json",
        ".xlsx",
    }
)

_ERRNO = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ENOENT: "文件不存在",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一项不是目录",
    errno.ELOOP: "符号链接循环",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "读取时发生输入输出错误",
}


def os_problem(exc: OSError, writing: bool = False) -> str:
    """An operating-system error as a short Chinese phrase."""
    if writing and exc.errno in (errno.EACCES, errno.EPERM):
        return "没有写入权限"
    if writing and exc.errno == errno.ENOSPC:
        return "磁盘已满"
    if exc.errno in _ERRNO:
        return _ERRNO[exc.errno]
    return f"操作系统错误（{exc.strerror or type(exc).__name__}）"


T = TypeVar("T")
_UNPACKING = threading.Lock()


class _Packed(Generic[T]):
    """A field of Outcome (``report``, ``result``) that an unpickled Outcome keeps
    packed, with the other one, until either is read or set."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> None: ...
    @overload
    def __get__(self, obj: Outcome, owner: type | None = None) -> T | None: ...
    def __get__(self, obj: Outcome | None, owner: type | None = None) -> T | None:
        if obj is None:  # the dataclass asks for the default
            return None
        d = obj.__dict__
        if "_packed" in d:
            obj._unpack()
        value: T | None = d.get(self.slot)
        return value

    def __set__(self, obj: Outcome, value: T | None) -> None:
        if "_packed" in obj.__dict__:
            obj._unpack()
        obj.__dict__[self.slot] = value


@dataclass
class Outcome:
    """One file's result: a check, or the one-line reason it has none."""

    source: str
    report: _Packed[Report] = _Packed()
    result: _Packed[CheckResult] = _Packed()
    error: str | None = None  # the problem, in Chinese, without the file name
    unexpected: str | None = None  # the exception type when xxgk itself failed
    trace: str | None = None  # the traceback of an unexpected failure
    previous: str | None = None  # the source of the report compared as last year's
    previous_year: int | None = None  # its year
    note: str | None = None  # why a --previous report was not compared
    order: int = -1  # position of the file in the input (collection) order
    replaces: bool = False  # True: supersedes the earlier Outcome of the same ``order``
    text: str | None = None  # ``json_text(as_dict())``, made by the worker when asked
    utf8: bytes | None = None  # the same as UTF-8, in place of ``text`` in a slim Outcome
    # a slim Outcome (``slim()``: the batch was asked for lines without objects) has no
    # report or result; what the caller still asks of it travels instead:
    kept_status: int | None = None  # ``status``
    kept_counts: tuple[int, int, int] | None = None  # ``counts()``
    year_key: tuple[str, int] | None = None  # agency key and year, for pairing
    # the sketches of its judged sections (checks.copied.sketches), for matching peers
    sketches: dict[int, tuple[int, ...]] | None = None

    # Pickling: the fields as they are, but the Report and CheckResult as one pickled
    # bytes (made once, by the worker's pickling), unpickled where they are first read;
    # the status and counts travel beside it, so that asking for them unpacks nothing.

    def __reduce__(self) -> tuple[Any, ...]:
        state = self.__dict__.copy()
        packed = state.pop("_packed", None)
        report, result = state.pop("_report", None), state.pop("_result", None)
        if packed is None and (report is not None or result is not None):
            import pickle  # here, not at start-up: `xxgk check FILE` never pickles

            shown = (self.status, self.counts()) if result is not None else None
            packed = (pickle.dumps((report, result), pickle.HIGHEST_PROTOCOL), shown)
        return _outcome, (state, packed)

    def _unpack(self) -> None:
        # under a lock, and packed until both are in place: a second thread reading
        # meanwhile waits, then finds them, never a half-unpacked Outcome
        with _UNPACKING:
            d = self.__dict__
            packed = d.get("_packed")
            if packed is not None:
                import pickle

                d["_report"], d["_result"] = pickle.loads(packed[0])
                del d["_packed"]

    def packed(self) -> bool:
        """Whether the Report and CheckResult are still as they came (not yet read)."""
        return "_packed" in self.__dict__

    def __copy__(self) -> Outcome:
        self._unpack()  # a copy shares the Report and CheckResult, as any copy would
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def __deepcopy__(self, memo: dict[int, Any]) -> Outcome:
        import copy

        self._unpack()
        new = object.__new__(type(self))
        memo[id(self)] = new
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new

    @property
    def status(self) -> int:
        """Exit status of this file: 0 no errors, 1 errors, 2 unreadable."""
        packed = self.__dict__.get("_packed")
        if packed is not None and packed[1] is not None:
            return int(packed[1][0])
        if self.result is None:
            return self.kept_status if self.error is None and self.kept_status is not None else 2
        return 1 if self.result.errors else 0

    def slim(self) -> Outcome:
        """This Outcome without its Report and CheckResult, which cost more to send back
        from a worker than the rest together: the JSON line (as the UTF-8 it is written
        as, ``utf8``), status, counts and the pairing key stay (an Outcome without its
        line, or a failure, is left whole)."""
        if self.text is None or self.result is None or self.report is None:
            return self
        from .pairing import year_key

        self.kept_status, self.kept_counts = self.status, self.counts()
        self.year_key = year_key(self.report)
        self.report = self.result = None
        self.utf8, self.text = self.text.encode("utf-8"), None
        return self

    def line(self) -> str:
        """The one line a user reads on standard error for a failure."""
        if self.unexpected:
            return f"xxgk: 处理 {self.source} 时出错：{self.error}"
        return f"xxgk: 无法读取 {self.source}：{self.error}"

    def as_dict(self) -> dict[str, Any]:
        if self.result is None and self.error is None and self.utf8 is not None:  # slim
            data: dict[str, Any] = json.loads(self.utf8)
            return data
        if self.result is None:
            data = {"source": self.source, "error": self.error}
            if self.unexpected:
                data["exception"] = self.unexpected
            return data
        data = self.result.contract_dict()
        if self.previous is not None:
            data["previous"] = self.previous
        if self.note is not None:
            data["note"] = self.note
        return data

    def json_line(self) -> str:
        """``as_dict()`` as one line of strict JSON (made by the worker when the batch
        was asked for ``lines``, so that the caller only writes it)."""
        if self.text is not None:
            return self.text
        if self.utf8 is not None:
            return self.utf8.decode("utf-8")
        return json_text(self.as_dict())

    def json_bytes(self) -> bytes:
        """``json_line()`` as UTF-8 (a slim Outcome's line as it came: nothing to do)."""
        return self.utf8 if self.utf8 is not None else self.json_line().encode("utf-8")

    def counts(self) -> tuple[int, int, int]:
        """Errors, warnings and infos found."""
        packed = self.__dict__.get("_packed")
        if packed is not None and packed[1] is not None:
            e, w, i = packed[1][1]
            return e, w, i
        if self.result is None:
            return self.kept_counts if self.error is None and self.kept_counts else (0, 0, 0)
        sev = [f.severity for f in self.result.findings]
        return (
            sev.count(Severity.ERROR),
            sev.count(Severity.WARNING),
            sev.count(Severity.INFO),
        )


def _outcome(state: dict[str, Any], packed: tuple[bytes, Any] | None) -> Outcome:
    """An Outcome unpickled (``Outcome.__reduce__``): its Report and CheckResult still
    packed."""
    o = object.__new__(Outcome)
    o.__dict__.update(state)
    if packed is not None:
        o.__dict__["_packed"] = packed
    else:
        o.__dict__["_report"] = o.__dict__["_result"] = None
    return o


def json_text(data: Any) -> str:
    """Strict JSON on one line, as ``xxgk check --json`` writes it: a non-finite number
    is null, and text UTF-8 cannot hold (a stray surrogate) is written as escapes."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except ValueError:
        data = _finite(data)
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True, allow_nan=False)
    return text


def _finite(data: Any) -> Any:
    if isinstance(data, float):
        return data if data == data and data not in (float("inf"), float("-inf")) else None
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data


def probe(path: Path) -> str | None:
    """Why ``path`` cannot be read as a report file (None when it can be opened).

    Opened without blocking, so a FIFO or a device is refused rather than read
    forever; only regular files are reports."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return os_problem(exc)
    try:
        mode = os.fstat(fd).st_mode
    finally:
        os.close(fd)
    if stat.S_ISDIR(mode):
        return "这是一个目录，不是文件"
    if not stat.S_ISREG(mode):
        return "不是普通文件（管道、设备或套接字），不能作为报告读取"
    return None


def read_report(path: Path, parse: Any) -> tuple[Report | None, Outcome | None]:
    """``parse(path)`` after ``probe``, or the Outcome of its failure."""
    problem = probe(path)
    if problem is not None:
        return None, Outcome(source=str(path), error=problem)
    report, failed = safely(str(path), parse, path)
    return report, failed


def safely(source: str, fn: Any, *args: Any) -> tuple[Any, Outcome | None]:
    """``fn(*args)``, or the Outcome of its failure (never an exception)."""
    try:
        return fn(*args), None
    except ReadError as exc:
        return None, Outcome(source=source, error=exc.problem)
    except OSError as exc:
        return None, Outcome(source=source, error=os_problem(exc))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # xxgk failed on this file: report it, go on
        import traceback

        text = str(exc).replace("\n", " ")
        if len(text) > 160:
            text = text[:160] + "…"
        return None, Outcome(
            source=source,
            error=f"xxgk 内部出错（{type(exc).__name__}：{text}），其他文件不受影响；"
            "请把这个文件报告给维护者",
            unexpected=type(exc).__name__,
            trace=traceback.format_exc(),
        )


def worst(outcomes: Iterable[Outcome]) -> int:
    return max((o.status for o in outcomes), default=0)
