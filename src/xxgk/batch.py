"""Many reports at once: folders walked, every file read on its own, years paired.

A file that cannot be read, or that makes xxgk fail unexpectedly, becomes an
``Outcome`` with an ``error`` line; it never stops the other files.  Reports of the
same agency for consecutive years are paired so that the cross-year rules (XYR-*)
run without ``--previous``.
"""

from __future__ import annotations

import errno
import os
import traceback
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import CheckResult, Report, Severity
from .readers import ReadError

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


@dataclass
class Outcome:
    """One file's result: a check, or the one-line reason it has none."""

    source: str
    report: Report | None = None
    result: CheckResult | None = None
    error: str | None = None  # the problem, in Chinese, without the file name
    unexpected: str | None = None  # the exception type when xxgk itself failed
    trace: str | None = None  # the traceback of an unexpected failure
    previous: str | None = None  # the source of the report compared as last year's
    previous_year: int | None = None  # its year
    note: str | None = None  # why a --previous report was not compared

    @property
    def status(self) -> int:
        """Exit status of this file: 0 no errors, 1 errors, 2 unreadable."""
        if self.result is None:
            return 2
        return 1 if self.result.errors else 0

    def line(self) -> str:
        """The one line a user reads on standard error for a failure."""
        if self.unexpected:
            return f"xxgk: 处理 {self.source} 时出错：{self.error}"
        return f"xxgk: 无法读取 {self.source}：{self.error}"

    def as_dict(self) -> dict[str, Any]:
        if self.result is None:
            data: dict[str, Any] = {"source": self.source, "error": self.error}
            if self.unexpected:
                data["exception"] = self.unexpected
            return data
        data = self.result.contract_dict()
        if self.previous is not None:
            data["previous"] = self.previous
        if self.note is not None:
            data["note"] = self.note
        return data

    def counts(self) -> tuple[int, int, int]:
        """Errors, warnings and infos found."""
        if self.result is None:
            return 0, 0, 0
        sev = [f.severity for f in self.result.findings]
        return (
            sev.count(Severity.ERROR),
            sev.count(Severity.WARNING),
            sev.count(Severity.INFO),
        )


def collect(paths: Iterable[Path], skip: Iterable[Path] = ()) -> tuple[list[Path], list[Outcome]]:
    """The files to check: named files as given, folders searched recursively for
    report files (hidden files, Word's ``~$`` lock files and the files in ``skip``,
    such as the summary being written, left out).  A folder that cannot be listed or
    holds no report is an Outcome with an error."""
    skipped = {os.path.realpath(p) for p in skip}
    files: list[Path] = []
    problems: list[Outcome] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = os.path.normpath(str(p))
        if key not in seen:
            seen.add(key)
            files.append(p)

    for path in paths:
        if not path.is_dir():
            add(path)
            continue
        found: list[Path] = []
        denied: list[str] = []

        def onerror(exc: OSError, denied: list[str] = denied) -> None:
            denied.append(f"{exc.filename}（{os_problem(exc)}）")

        for root, dirs, names in os.walk(path, onerror=onerror):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith((".", "~$")):
                    continue
                path_ = Path(root) / name
                report_like = path_.suffix.lower() in REPORT_SUFFIXES
                if report_like and os.path.realpath(path_) not in skipped:
                    found.append(path_)
        for p in found:
            add(p)
        for where in denied:
            problems.append(Outcome(source=str(path), error=f"无法列出目录 {where}"))
        if not found and not denied:
            problems.append(
                Outcome(
                    source=str(path),
                    error="目录中没有报告文件（.txt .html .docx .pdf .md .yaml .json …）",
                )
            )
    return files, problems


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


def agency_key(name: str | None) -> str | None:
    """An agency name compared across years: width, spaces and brackets ignored."""
    if not name:
        return None
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "()（）") or None


def same_agency(a: Report, b: Report) -> bool | None:
    """True/False, or None when either report does not say."""
    ka, kb = agency_key(a.agency), agency_key(b.agency)
    if ka is None or kb is None:
        return None
    return ka == kb


def previous_mismatch(report: Report, previous: Report) -> str | None:
    """Why ``previous`` is not last year's report of the same agency (None if it is,
    or if the reports do not say)."""
    bits = []
    if same_agency(report, previous) is False:
        bits.append(f"机关是“{previous.agency}”，不是“{report.agency}”")
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        bits.append(f"年度是{previous.year}年，不是{report.year - 1}年")
    if not bits:
        return None
    return f"--previous 给出的报告 {previous.source} " + "，".join(bits) + "，未作跨年核对（XYR-*）"


def pair_years(reports: list[Report]) -> dict[int, int]:
    """For each report, the index of the same agency's report of the year before."""
    by: dict[tuple[str, int], int] = {}
    for i, r in enumerate(reports):
        key = agency_key(r.agency)
        if key is not None and r.year is not None:
            by.setdefault((key, r.year), i)
    pairs: dict[int, int] = {}
    for i, r in enumerate(reports):
        key = agency_key(r.agency)
        if key is None or r.year is None:
            continue
        j = by.get((key, r.year - 1))
        if j is not None and j != i:
            pairs[i] = j
    return pairs


def check_paths(
    paths: Iterable[Path],
    previous: Path | None = None,
    pair: bool = True,
    parse: Any = None,
    check_report: Any = None,
    progress: Callable[[int, int, str], None] | None = None,
    skip: Iterable[Path] = (),
) -> Iterator[Outcome]:
    """Check every file under ``paths``, one Outcome per file, in order.

    ``previous`` (a report of last year) is compared with every report of the
    following year of the same agency; other reports are paired among themselves
    when ``pair``.  A --previous that cannot be read is itself an Outcome with an
    error, and the other files are still checked.  ``progress(done, total, source)``
    is called before each file is read; files in ``skip`` are not searched for.
    """
    if parse is None or check_report is None:
        from . import api

        parse = parse or api.parse
        check_report = check_report or api.check_report
    files, problems = collect(paths, skip)
    yield from problems
    prev_report: Report | None = None
    if previous is not None:
        prev_report, failed = read_report(previous, parse)
        if failed is not None:
            failed.error = f"（--previous）{failed.error}"
            yield failed
    reports: list[Report] = []
    read: list[tuple[str, Report | None, Outcome | None]] = []
    for done, f in enumerate(files):
        if progress is not None:
            progress(done, len(files), str(f))
        report, failed = read_report(f, parse)
        read.append((str(f), report, failed))
        if report is not None:
            reports.append(report)
    pairs = pair_years(reports) if pair else {}
    index = 0
    for source, report, failed in read:
        if report is None:
            assert failed is not None
            yield failed
            continue
        i, index = index, index + 1
        prev: Report | None = reports[pairs[i]] if i in pairs else None
        note = None
        if prev_report is not None:
            note = previous_mismatch(report, prev_report)
            if note is None:
                prev = prev_report
        result, failed = safely(source, check_report, report, prev)
        if failed is not None:
            yield failed
            continue
        yield Outcome(
            source=source,
            report=report,
            result=result,
            previous=prev.source if prev is not None else None,
            previous_year=prev.year if prev is not None else None,
            note=note,
        )


def worst(outcomes: Iterable[Outcome]) -> int:
    return max((o.status for o in outcomes), default=0)
