"""Checked reports as a dataset: Parquet files and a DuckDB database over them.

Layout of a dataset folder ``OUT/`` (see docs/dataset.md)::

    OUT/xxgk-dataset.json                 marker: layout version, creation time
    OUT/reports.parquet/part-000001.parquet   one row per report file
    OUT/cells.parquet/part-000001.parquet     one row per cell of the report's format
    OUT/findings.parquet/part-000001.parquet  one row per finding
    OUT/xxgk.duckdb                       views over the parts (+ handy views, queries)

Each run appends new part files with one number in all three tables and never
rewrites old ones, so a run's cost is its new files plus reading the ``hash`` column
of ``reports`` (a few MB for 100,000s of reports).  A part is committed by renaming
its ``reports`` file into place last: on opening, ``cells``/``findings`` parts
without their ``reports`` part (a run that was killed) and temporary files are
removed, so a report is either wholly in the dataset or not at all.

A file is identified by the SHA-256 of its bytes, hashed before it is parsed: a
known hash is skipped (also when it failed to read last time — its reason is
already recorded), and only new files are parsed and checked.  Reports are checked
one by one (no XYR pairing): a report's findings depend on its bytes only, so a
skipped file's findings stay valid; the cross-year comparison is a query over the
whole dataset (``carry-over``).

``build`` runs an engine's batch (``api.check_many``: folders, files, zips; local
processes or Dask) after narrowing it to the new files; ``write`` takes
``(hash, Outcome)`` pairs from anywhere.  The core never imports this module.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .batch import Outcome, agency_key, os_problem
from .format import VERSIONS

if TYPE_CHECKING:
    import duckdb

    from .model import Report

LAYOUT = 1
MARKER = "xxgk-dataset.json"
DATABASE = "xxgk.duckdb"
TABLES = ("reports", "cells", "findings")
PART_REPORTS = 10_000  # reports per part file
GROUP_REPORTS = 500  # reports per row group (cells: ~100,000 rows)


class DatasetError(Exception):
    """A dataset folder that cannot be used, with a Chinese reason naming it."""


def _pa() -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]

    return pa


@cache
def schemas() -> dict[str, Any]:
    """The Arrow schema of each table (the Parquet files' columns, in order)."""
    pa = _pa()
    i32 = pa.int32()
    s = pa.string()
    return {
        "reports": pa.schema(
            [
                ("hash", s),
                ("source", s),
                ("size", pa.int64()),
                ("status", s),
                ("error", s),
                ("agency", s),
                ("agency_key", s),
                ("year", i32),
                ("format", s),
                ("published", pa.date32()),
                ("title", s),
                ("errors", i32),
                ("warnings", i32),
                ("infos", i32),
                ("added", pa.timestamp("s", tz="UTC")),
                ("xxgk_version", s),
            ]
        ),
        "cells": pa.schema(
            [
                ("hash", s),
                ("key", s),
                ("table_key", s),
                ("row_key", s),
                ("column_key", s),
                ("value", pa.float64()),
                ("raw", s),
                ("page", i32),
                ("line", i32),
                ("char_start", pa.int64()),
                ("char_end", pa.int64()),
                ("grid_table", i32),
                ("grid_row", i32),
                ("grid_col", i32),
                ("bbox", pa.list_(pa.float64())),
            ]
        ),
        "findings": pa.schema(
            [
                ("hash", s),
                ("seq", i32),
                ("code", s),
                ("severity", s),
                ("message", s),
                ("cells", pa.list_(s)),
                ("loc_page", i32),
                ("loc_line", i32),
                ("loc_table", i32),
                ("loc_row", i32),
                ("loc_col", i32),
                ("loc_cell", s),
                ("loc_quote", s),
                ("suggestion", s),
            ]
        ),
    }


@dataclass
class Totals:
    """What one run did: files added, skipped (hash already there), failed."""

    new: int = 0
    skipped: int = 0
    failed: int = 0
    reports: int = 0  # reports in the dataset after the run
    parts: list[int] = field(default_factory=list)  # part numbers written


# --- rows of one report -----------------------------------------------------------


def _int32(n: object) -> int | None:
    if isinstance(n, bool) or not isinstance(n, int):
        return None
    return n if -(2**31) <= n < 2**31 else None


def _int64(n: object) -> int | None:
    if isinstance(n, bool) or not isinstance(n, int):
        return None
    return n if -(2**63) <= n < 2**63 else None


def _double(n: object) -> float | None:
    if isinstance(n, bool) or not isinstance(n, int | float):
        return None
    try:
        f = float(n)
    except OverflowError:
        return None
    return f if math.isfinite(f) else None


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


_COLUMNS: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {}


def _cell_columns(version_key: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """The keys of every cell of a format version, in format order, and their three
    parts (table, row, column) as parallel lists."""
    if version_key not in _COLUMNS:
        keys = VERSIONS[version_key].cell_keys()
        parts = [k.split(".") for k in keys]
        _COLUMNS[version_key] = (
            keys,
            [p[0] for p in parts],
            [p[1] for p in parts],
            [p[2] for p in parts],
        )
    return _COLUMNS[version_key]


class _Buffer:
    """Rows of the three tables as column lists, turned into Arrow batches."""

    def __init__(self) -> None:
        self.cols: dict[str, dict[str, list[Any]]] = {
            t: {f.name: [] for f in schema} for t, schema in schemas().items()
        }
        self.reports = 0

    def report_row(self, **row: Any) -> None:
        cols = self.cols["reports"]
        for name, values in cols.items():
            values.append(row.get(name))
        self.reports += 1

    def cells(self, digest: str, report: Report) -> None:
        """Every cell of the report's format version, in format order.  Values go in
        as the report holds them; ``take`` makes sure they fit their columns."""
        c = self.cols["cells"]
        keys, tables_, rows_, columns_ = _cell_columns(report.version.key)
        c["hash"].extend([digest] * len(keys))
        c["key"].extend(keys)
        c["table_key"].extend(tables_)
        c["row_key"].extend(rows_)
        c["column_key"].extend(columns_)
        tables = report.tables
        c["value"].extend(
            [
                tables.get(t, {}).get(r, {}).get(col)
                for t, r, col in zip(tables_, rows_, columns_, strict=True)
            ]
        )
        get = report.cells.get
        srcs = [get(k) for k in keys]
        c["raw"].extend([x.raw if x is not None else None for x in srcs])
        c["page"].extend([x.page if x is not None else None for x in srcs])
        c["line"].extend([x.line if x is not None else None for x in srcs])
        c["char_start"].extend([x.start if x is not None else None for x in srcs])
        c["char_end"].extend([x.end if x is not None else None for x in srcs])
        c["grid_table"].extend([x.table if x is not None else None for x in srcs])
        c["grid_row"].extend([x.row if x is not None else None for x in srcs])
        c["grid_col"].extend([x.col if x is not None else None for x in srcs])
        c["bbox"].extend([(x.bbox or None) if x is not None else None for x in srcs])

    def findings(self, digest: str, findings: Sequence[Any]) -> None:
        c = self.cols["findings"]
        for seq, f in enumerate(findings):
            loc = f.location
            c["hash"].append(digest)
            c["seq"].append(seq)
            c["code"].append(f.code)
            c["severity"].append(str(getattr(f.severity, "value", f.severity)))
            c["message"].append(f.message)
            c["cells"].append(list(f.cells))
            c["loc_page"].append(loc.page)
            c["loc_line"].append(loc.line)
            c["loc_table"].append(loc.table)
            c["loc_row"].append(loc.row)
            c["loc_col"].append(loc.col)
            c["loc_cell"].append(loc.cell)
            c["loc_quote"].append(loc.quote)
            c["suggestion"].append(f.suggestion or None)

    def mark(self) -> tuple[int, int, int, int]:
        """The buffer's length, to roll back to."""
        c = self.cols
        return (
            len(c["reports"]["hash"]),
            len(c["cells"]["hash"]),
            len(c["findings"]["hash"]),
            self.reports,
        )

    def rollback(self, mark: tuple[int, int, int, int]) -> None:
        for t, n in zip(TABLES, mark, strict=False):
            for values in self.cols[t].values():
                del values[n:]
        self.reports = mark[3]

    def take(self) -> dict[str, Any]:
        """Arrow tables of the rows buffered so far; the buffer is emptied."""
        out = {}
        for t, schema in schemas().items():
            out[t] = _arrow(self.cols[t], schema)
            for values in self.cols[t].values():
                values.clear()
        self.reports = 0
        return out


def _arrow(cols: dict[str, list[Any]], schema: Any) -> Any:
    """The columns as an Arrow table of ``schema``.  The fast way first; a value that
    does not fit its column (a number out of range, NaN, a stray type) makes the slow
    way that turns each such value into null."""
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    pa = _pa()
    try:
        table = pa.Table.from_pydict(cols, schema=schema)
    except (pa.ArrowException, OverflowError, TypeError, ValueError):
        return pa.Table.from_pydict(_fitted(cols, schema), schema=schema)
    for f in schema:
        if f.type == pa.float64() and pc.any(pc.is_nan(table.column(f.name))).as_py():
            return pa.Table.from_pydict(_fitted(cols, schema), schema=schema)
    return table


def _fitted(cols: dict[str, list[Any]], schema: Any) -> dict[str, list[Any]]:
    pa = _pa()
    fit: dict[Any, Callable[[Any], Any]] = {
        pa.int32(): _int32,
        pa.int64(): _int64,
        pa.float64(): _double,
        pa.list_(pa.float64()): lambda v: [_double(x) for x in v] if isinstance(v, list) else None,
        pa.string(): lambda v: v if isinstance(v, str) else None,
        pa.list_(pa.string()): lambda v: [str(x) for x in v] if isinstance(v, list) else None,
    }
    out: dict[str, list[Any]] = {}
    for f in schema:
        convert = fit.get(f.type)
        out[f.name] = [convert(v) for v in cols[f.name]] if convert else cols[f.name]
    return out


# --- the folder ----------------------------------------------------------------------


def _part_name(n: int) -> str:
    return f"part-{n:06d}.parquet"


def _part_number(name: str) -> int | None:
    if name.startswith("part-") and name.endswith(".parquet"):
        digits = name[5:-8]
        if digits.isdigit():
            return int(digits)
    return None


def _xxgk_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xxgk")
    except PackageNotFoundError:
        return "unknown"


class Dataset:
    """An open dataset folder: known hashes, the next part number, and the writer.

    Opening creates the folder (or checks its marker), takes a lock so that two runs
    never write at once, and removes what a killed run left half-written."""

    def __init__(self, out: Path, create: bool = True) -> None:
        self.out = out
        self._lock: Any = None
        self._check_folder(create)
        self.dirs = {t: out / f"{t}.parquet" for t in TABLES}
        if create:
            self._take_lock()
            for d in self.dirs.values():
                d.mkdir(exist_ok=True)
            self._clean()
            if not self.parts():
                self._write_part(0, _Buffer().take())  # empty typed tables: views always bind

    def _check_folder(self, create: bool) -> None:
        out = self.out
        marker = out / MARKER
        if out.exists() and not out.is_dir():
            raise DatasetError(f"{out} 不是目录")
        if marker.is_file():
            try:
                info = json.loads(marker.read_text(encoding="utf-8"))
                layout = int(info.get("layout", 0))
            except (OSError, ValueError, AttributeError, TypeError):
                raise DatasetError(f"{marker} 已损坏，无法识别数据集") from None
            if layout != LAYOUT:
                raise DatasetError(
                    f"{out} 是另一版本的 xxgk 数据集（布局 {layout}），请用新的输出目录"
                )
            return
        if not create:
            raise DatasetError(f"{out} 不是 xxgk 数据集目录（没有 {MARKER}）")
        if out.exists() and any(out.iterdir()):
            raise DatasetError(
                f"{out} 已有其他文件，但不是 xxgk 数据集目录；请指定一个空目录或新目录"
            )
        try:
            out.mkdir(parents=True, exist_ok=True)
            marker.write_text(
                json.dumps(
                    {"layout": LAYOUT, "created": datetime.now(UTC).isoformat(timespec="seconds")}
                )
                + "\n",
                encoding="utf-8",
            )
        except OSError as exc:
            raise DatasetError(f"无法写入 {out}：{os_problem(exc, writing=True)}") from None

    def _take_lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: one writer at a time is the user's care
            return
        path = self.out / ".lock"
        handle = open(path, "a")  # noqa: SIM115 - held until close()
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise DatasetError(f"另一个 xxgk dataset 正在写入 {self.out}，请等它结束") from None
        self._lock = handle

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _clean(self) -> None:
        """Remove temporary files and parts whose ``reports`` part is missing."""
        committed = self.parts()
        for t, d in self.dirs.items():
            for p in d.iterdir():
                n = _part_number(p.name)
                if p.name.endswith(".tmp") or (
                    t != "reports" and n is not None and n not in committed
                ):
                    p.unlink()

    def parts(self) -> set[int]:
        """The committed part numbers (those with a ``reports`` part)."""
        d = self.out / "reports.parquet"
        if not d.is_dir():
            return set()
        return {n for p in d.iterdir() if (n := _part_number(p.name)) is not None}

    def files(self, table: str) -> list[Path]:
        d = self.out / f"{table}.parquet"
        committed = self.parts()
        return sorted(p for p in d.iterdir() if _part_number(p.name) in committed)

    def known(self) -> set[bytes]:
        """The hashes already in the dataset (read from the ``hash`` column only)."""
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        found: set[bytes] = set()
        for p in self.files("reports"):
            column = pq.read_table(p, columns=["hash"]).column("hash")
            found.update(bytes.fromhex(h) for h in column.to_pylist() if h)
        return found

    def count(self) -> int:
        import pyarrow.parquet as pq

        return sum(pq.ParquetFile(p).metadata.num_rows for p in self.files("reports"))

    def _write_part(self, n: int, tables: dict[str, Any]) -> None:
        import pyarrow.parquet as pq

        for t in ("cells", "findings", "reports"):  # reports last: it commits the part
            final = self.dirs[t] / _part_name(n)
            tmp = final.with_name(final.name + ".tmp")
            pq.write_table(tables[t], tmp, compression="zstd")
            os.replace(tmp, final)


class _PartWriter:
    """One part being written: the three Parquet writers, a row group at a time."""

    def __init__(self, ds: Dataset, n: int) -> None:
        import pyarrow.parquet as pq

        self.ds, self.n = ds, n
        self.tmp = {t: ds.dirs[t] / (_part_name(n) + ".tmp") for t in TABLES}
        self.writers = {
            t: pq.ParquetWriter(self.tmp[t], schema, compression="zstd")
            for t, schema in schemas().items()
        }
        self.reports = 0

    def write(self, tables: dict[str, Any], reports: int) -> None:
        for t, table in tables.items():
            self.writers[t].write_table(table, row_group_size=max(1, table.num_rows))
        self.reports += reports

    def commit(self) -> None:
        for t in ("cells", "findings", "reports"):
            self.writers[t].close()
            os.replace(self.tmp[t], self.ds.dirs[t] / _part_name(self.n))

    def abort(self) -> None:
        for t in TABLES:
            with contextlib.suppress(Exception):
                self.writers[t].close()
            with contextlib.suppress(OSError):
                self.tmp[t].unlink()


class Writer:
    """Appends reports to a dataset: ``add(hash, outcome)``, then ``close()``.

    Rows are buffered for ``group`` reports and written as one row group; a part
    file holds at most ``part`` reports.  Memory holds one row group, never the
    corpus."""

    def __init__(self, ds: Dataset, part: int = PART_REPORTS, group: int = GROUP_REPORTS) -> None:
        self.ds = ds
        self.part_size, self.group_size = part, group
        self.buffer = _Buffer()
        self.current: _PartWriter | None = None
        self.next = max(ds.parts(), default=0) + 1
        self.written: list[int] = []
        self.added = datetime.now(UTC).replace(microsecond=0)
        self.version = _xxgk_version()

    def add(self, digest: str, outcome: Outcome, size: int | None = None) -> None:
        """One file's result (an unreadable file is a row with ``status`` error).

        All or nothing: a report stopped half-way (Ctrl-C) leaves no rows behind."""
        result = outcome.result
        row: dict[str, Any] = {
            "hash": digest,
            "source": outcome.source,
            "size": size,
            "added": self.added,
            "xxgk_version": self.version,
        }
        mark = self.buffer.mark()
        try:
            if result is None:
                row.update(status="error", error=outcome.error or "无法读取")
            else:
                report = result.report
                errors, warnings, infos = outcome.counts()
                row.update(
                    status="ok",
                    agency=report.agency,
                    agency_key=agency_key(report.agency),
                    year=_int32(report.year),
                    format=report.format,
                    published=_date(report.published),
                    title=report.title,
                    errors=errors,
                    warnings=warnings,
                    infos=infos,
                )
                self.buffer.cells(digest, report)
                self.buffer.findings(digest, result.findings)
            self.buffer.report_row(**row)
        except BaseException:
            self.buffer.rollback(mark)
            raise
        if self.buffer.reports >= self.group_size:
            self._flush()

    def _flush(self) -> None:
        if not self.buffer.reports:
            return
        if self.current is None:
            self.current = _PartWriter(self.ds, self.next)
            self.next += 1
        n = self.buffer.reports
        self.current.write(self.buffer.take(), n)
        if self.current.reports >= self.part_size:
            self._commit()

    def _commit(self) -> None:
        if self.current is not None:
            self.current.commit()
            self.written.append(self.current.n)
            self.current = None

    def close(self) -> list[int]:
        """Write what is buffered and commit the part; the part numbers written."""
        self._flush()
        self._commit()
        return self.written

    def abort(self) -> None:
        """Drop the part being written (a run stopped): the dataset stays as it was."""
        if self.current is not None:
            self.current.abort()
            self.current = None


# --- a run ---------------------------------------------------------------------------


class Items(Protocol):
    """What ``build`` needs of an engine's batch (``batch.Batch``): the files it will
    check (``items``, each with ``order`` and ``source``), the input problems found
    while listing them, and, iterated, one Outcome per item (any order, ``order``
    set).  ``build`` narrows ``items`` to the new files before iterating."""

    items: list[Any]
    problems: list[Outcome]
    total: int

    def __iter__(self) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


Load = Callable[[Any], bytes]


def build(
    out: Path,
    batch: Items,
    load: Load,
    failed: Callable[[Outcome], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    part: int = PART_REPORTS,
    group: int = GROUP_REPORTS,
) -> Totals:
    """Add the files of ``batch`` to the dataset in ``out``.

    Every file's bytes (``load(item)``) are hashed first and a known hash (or a copy
    of a file seen earlier in the run) is skipped; only the new files are left in
    ``batch.items``, then the batch runs and each Outcome is appended.  A file that
    cannot be read at all has no hash, and one on which xxgk itself failed (an
    unexpected exception, a worker process that died) says nothing about the file:
    both go to ``failed`` and are not recorded, so the next run tries them again;
    one that is read but is no report is a row with ``status`` error.
    ``progress(done, total)`` follows the files handled.  Stopped (Ctrl-C), a run
    keeps every report it finished, so the next run goes on from there.  Raises
    DatasetError when the folder cannot be used or written."""
    from .readers import ReadError

    totals = Totals()
    try:
        ds = _open(out)
    except BaseException:
        batch.close()
        raise
    done = 0
    total = len(batch.items)

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    def fail(o: Outcome) -> None:
        totals.failed += 1
        if failed is not None:
            failed(o)

    try:
        for o in batch.problems:
            fail(o)
        known = ds.known()
        kept: list[Any] = []
        digests: dict[int, tuple[str, int]] = {}
        for item in batch.items:
            try:
                data = load(item)
            except ReadError as exc:
                fail(Outcome(source=item.source, error=exc.problem, order=item.order))
                step()
                continue
            except OSError as exc:
                fail(Outcome(source=item.source, error=os_problem(exc), order=item.order))
                step()
                continue
            digest = hashlib.sha256(data).digest()
            if digest in known:
                totals.skipped += 1
                step()
                continue
            known.add(digest)
            kept.append(item)
            digests[item.order] = (digest.hex(), len(data))
        del known
        batch.items = kept
        batch.problems = []
        batch.total = len(kept)
        writer = Writer(ds, part=part, group=group)
        try:
            for o in batch:
                got = digests.pop(o.order, None)
                if got is None:  # not one of the files kept (cannot happen without pairing)
                    continue
                if o.unexpected:  # xxgk failed, not the file: not recorded, tried next run
                    fail(o)
                else:
                    writer.add(got[0], o, got[1])
                    if o.result is None:
                        fail(o)
                    else:
                        totals.new += 1
                step()
        except KeyboardInterrupt:
            batch.close()
            writer.close()  # every report added is whole: keep them
            raise
        except BaseException:
            batch.close()
            writer.abort()
            raise
        writer.close()
        totals.parts = writer.written
        totals.reports = ds.count()
        refresh_database(ds)
    except OSError as exc:
        raise DatasetError(f"无法写入 {out}：{os_problem(exc, writing=True)}") from None
    finally:
        batch.close()
        ds.close()
    return totals


def _open(out: Path) -> Dataset:
    try:
        return Dataset(out)
    except OSError as exc:
        raise DatasetError(f"无法写入 {out}：{os_problem(exc, writing=True)}") from None


def write(out: Path, items: Iterable[tuple[str, Outcome]]) -> Totals:
    """Append ``(sha256 hex, Outcome)`` pairs to the dataset in ``out`` (hashes already
    there are skipped)."""
    totals = Totals()
    ds = _open(out)
    try:
        known = ds.known()
        writer = Writer(ds)
        try:
            for digest, o in items:
                key = bytes.fromhex(digest)
                if key in known:
                    totals.skipped += 1
                    continue
                known.add(key)
                writer.add(digest, o)
                if o.result is None:
                    totals.failed += 1
                else:
                    totals.new += 1
        except KeyboardInterrupt:
            writer.close()
            raise
        except BaseException:
            writer.abort()
            raise
        writer.close()
        totals.parts = writer.written
        totals.reports = ds.count()
        refresh_database(ds)
    except OSError as exc:
        raise DatasetError(f"无法写入 {out}：{os_problem(exc, writing=True)}") from None
    finally:
        ds.close()
    return totals


# --- DuckDB ---------------------------------------------------------------------------


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def define_views(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    """The tables as views over the part files of ``out``, and the handy views."""
    from .dataset_queries import QUERIES, VIEWS

    root = out.resolve()
    for t in TABLES:
        glob = _sql_string(str(root / f"{t}.parquet" / "part-*.parquet"))
        con.execute(
            f"CREATE OR REPLACE VIEW {t} AS SELECT * FROM read_parquet({glob}, union_by_name = true)"
        )
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
    for q in QUERIES:
        con.execute(f"CREATE OR REPLACE VIEW {q.view} AS {q.sql}")


def refresh_database(ds: Dataset) -> None:
    """(Re)write the views of ``OUT/xxgk.duckdb`` (paths absolute, so a moved folder
    is fixed by the next run).  A database another program holds open (or one this
    DuckDB cannot open) is left as it is: its views read the part files by pattern
    and see the new parts anyway, and ``query`` does not need it."""
    import duckdb

    try:
        con = duckdb.connect(str(ds.out / DATABASE))
    except duckdb.Error:
        return
    try:
        define_views(con, ds.out)
    except duckdb.Error:
        return
    finally:
        con.close()


def _problem(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


def connect(out: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the dataset's views (for queries: works
    wherever the folder lies, and while another program holds the database)."""
    import duckdb

    ds = Dataset(out, create=False)
    if not ds.parts():
        raise DatasetError(f"{out} 中还没有数据")
    con = duckdb.connect()
    try:
        define_views(con, out)
    except duckdb.Error as exc:
        con.close()
        raise DatasetError(f"无法读取数据集 {out}：{_problem(exc)}") from None
    return con


def query(out: Path, name: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """A ready query's result: column names and rows (DatasetError, in Chinese, when
    the part files cannot be read)."""
    import duckdb

    from .dataset_queries import by_name

    q = by_name(name)
    con = connect(out)
    try:
        cur = con.execute(f"SELECT * FROM {q.view}")
        columns = [d[0] for d in cur.description]
        return columns, cur.fetchall()
    except duckdb.Error as exc:
        raise DatasetError(f"无法读取数据集 {out}：{_problem(exc)}") from None
    finally:
        con.close()
