"""The dataset a supervisor queries: every report, cell and finding of a folder as
Parquet, a DuckDB database over it, and runs that only add what is new."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from xxgk import api, dataset
from xxgk.batch import Outcome, load
from xxgk.format import VERSIONS
from xxgk.model import CellSource, CheckResult
from xxgk.synth import consistent_report

from .corpus import Made, make


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _table(out: Path, name: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = pq.read_table(out / f"{name}.parquet").to_pylist()
    return rows


def test_a_run_counts_new_skipped_and_failed(
    built: tuple[Path, list[Made], dataset.Totals],
) -> None:
    out, made, totals = built
    assert (totals.new, totals.skipped, totals.failed) == (len(made), 1, 1)  # copy, scan.pdf
    assert totals.reports == len(made) + 1
    assert sorted(p.name for p in (out / "reports.parquet").iterdir()) == [
        "part-000000.parquet",
        "part-000001.parquet",
    ]
    assert (out / "xxgk.duckdb").is_file()


def test_reports_hold_the_metadata_and_the_counts_of_check(
    built: tuple[Path, list[Made], dataset.Totals],
) -> None:
    out, made, _ = built
    rows = {r["source"]: r for r in _table(out, "reports")}
    for m in made:
        source = (
            str(m.path) if str(m.path) in rows else str(m.path.parent.parent / "copy-of-first.txt")
        )
        row = rows[source]
        result = api.check(m.path)
        sev = [f.severity.value for f in result.findings]
        assert row["status"] == "ok"
        assert (row["agency"], row["year"], row["format"]) == (m.agency, m.year, "2021")
        assert str(row["published"]) == m.report.published
        assert (row["errors"], row["warnings"], row["infos"]) == (
            sev.count("error"),
            sev.count("warning"),
            sev.count("info"),
        )
        assert row["hash"] == _sha(m.path)
        assert row["size"] == m.path.stat().st_size


def test_an_unreadable_file_is_a_row_with_its_chinese_reason(
    built: tuple[Path, list[Made], dataset.Totals],
) -> None:
    out, _, _ = built
    (bad,) = [r for r in _table(out, "reports") if r["status"] == "error"]
    assert str(bad["source"]).endswith("scan.pdf")
    (said,) = api.check_many([Path(str(bad["source"]))], jobs=1)  # what `xxgk check` says
    assert said.result is None and said.error
    assert bad["error"] == said.error and any("\u4e00" <= ch <= "\u9fff" for ch in said.error)
    assert bad["agency"] is None and bad["errors"] is None
    assert bad["hash"] == _sha(Path(str(bad["source"])))


def test_every_cell_of_the_format_appears_with_its_value_and_provenance(
    built: tuple[Path, list[Made], dataset.Totals],
) -> None:
    out, made, _ = built
    reports = {r["hash"]: r for r in _table(out, "reports")}
    cells: dict[str, dict[str, dict[str, object]]] = {}
    for c in _table(out, "cells"):
        cells.setdefault(str(c["hash"]), {})[str(c["key"])] = c
    keys = VERSIONS["2021"].cell_keys()
    for m in made:
        digest = _sha(m.path)
        assert reports[digest]["status"] == "ok"
        got = cells[digest]
        assert list(got) == keys  # every cell, in format order
        parsed = api.parse(m.path)
        for key, c in got.items():
            assert (c["table_key"], c["row_key"], c["column_key"]) == tuple(key.split("."))
            assert c["value"] == m.value(key), key
            where = parsed.where(key)
            assert where is not None
            assert (c["raw"], c["line"]) == (where.raw, where.line)
            assert (c["grid_table"], c["grid_row"], c["grid_col"]) == (
                where.table,
                where.row,
                where.col,
            )
    blank = next(m for m in made if m.report.value("t3.results_total.total") is None)
    digest = _sha(blank.path)
    assert cells[digest]["t3.results_total.total"]["value"] is None


def test_findings_are_those_check_gives(built: tuple[Path, list[Made], dataset.Totals]) -> None:
    out, made, _ = built
    by_hash: dict[str, list[dict[str, object]]] = {}
    for f in _table(out, "findings"):
        by_hash.setdefault(str(f["hash"]), []).append(f)
    for m in made:
        digest = _sha(m.path)
        want = api.check(m.path).findings
        got = sorted(by_hash.get(digest, []), key=lambda f: int(str(f["seq"])))
        assert [(f["code"], f["severity"], f["message"], f["cells"]) for f in got] == [
            (w.code, w.severity.value, w.message, list(w.cells)) for w in want
        ]
        assert [(f["loc_line"], f["loc_page"], f["suggestion"]) for f in got] == [
            (w.location.line, w.location.page, w.suggestion or None) for w in want
        ]
        assert any(f["code"] == "SUM-001" for f in got) == m.sum_error


def test_the_database_has_the_tables_and_views(
    built: tuple[Path, list[Made], dataset.Totals],
) -> None:
    out, made, _ = built
    con = duckdb.connect(str(out / "xxgk.duckdb"), read_only=True)
    try:
        n_cells = con.execute("SELECT count(*) FROM cells").fetchone()
        assert n_cells == (len(made) * len(VERSIONS["2021"].cell_keys()),)
        figures = con.execute(
            "SELECT agency, year, results_total, denied_total FROM report_figures"
        ).fetchall()
        want = {
            (
                m.agency,
                m.year,
                m.value("t3.results_total.total"),
                sum(m.value(f"t3.{r}.total") or 0 for r in _DENIED),
            )
            for m in made
        }
        assert set(figures) == want
        names = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
        assert {"reports", "cells", "findings", "report_figures", "q_carry_over"} <= names
    finally:
        con.close()


_DENIED = [r.key for r in VERSIONS["2021"].table("t3").rows if r.group == "（三）不予公开"]


def test_a_second_run_skips_what_is_there_and_appends_only_new_files(tmp_path: Path) -> None:
    made = make(tmp_path / "in")
    first = api.write_dataset([tmp_path / "in"], tmp_path / "out", jobs=1)
    assert (first.new, first.skipped, first.failed) == (len(made), 0, 0)
    part1 = tmp_path / "out" / "cells.parquet" / "part-000001.parquet"
    before = part1.read_bytes()
    again = api.write_dataset([tmp_path / "in"], tmp_path / "out", jobs=1)
    assert (again.new, again.skipped, again.failed, again.parts) == (0, len(made), 0, [])
    more = make(tmp_path / "more", seed=8)  # other values: other bytes (mostly)
    fresh = {_sha(m.path) for m in more} - {_sha(m.path) for m in made}
    grown = api.write_dataset([tmp_path / "in", tmp_path / "more"], tmp_path / "out", jobs=1)
    assert (grown.new, grown.skipped) == (len(fresh), len(made) + len(more) - len(fresh))
    assert grown.parts == [2] and fresh
    assert part1.read_bytes() == before  # old parts are never rewritten
    reports = _table(tmp_path / "out", "reports")
    assert len(reports) == len({r["hash"] for r in reports}) == len(made) + len(fresh)


def test_a_known_file_is_skipped_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make(tmp_path / "in")
    api.write_dataset([tmp_path / "in"], tmp_path / "out", jobs=1)
    parsed: list[str] = []
    parse_bytes = api.parse_bytes

    def counting(data: bytes, source: str, *args: object) -> object:
        parsed.append(source)
        return parse_bytes(data, source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "parse_bytes", counting)
    new = make(tmp_path / "new", seed=9)
    old = {_sha(m.path) for m in made}
    fresh = [m for m in new if _sha(m.path) not in old]  # a report of no request may repeat
    totals = api.write_dataset([tmp_path / "in", tmp_path / "new"], tmp_path / "out", jobs=1)
    assert sorted(parsed) == sorted(str(m.path) for m in fresh)  # only the new ones parsed
    assert (totals.new, totals.skipped) == (len(fresh), len(made) + len(new) - len(fresh))


def test_rows_are_written_in_row_groups_and_parts_of_bounded_size(tmp_path: Path) -> None:
    made = make(tmp_path / "in")
    batch = api.check_many([tmp_path / "in"], jobs=1)
    totals = dataset.build(tmp_path / "out", batch, load, part=8, group=3)
    parts = sorted((tmp_path / "out" / "reports.parquet").glob("part-*.parquet"))[1:]
    per_part = [pq.ParquetFile(p).metadata.num_rows for p in parts]
    assert sum(per_part) == len(made) and len(parts) == len(totals.parts) == 3
    assert max(per_part) <= 8 + 2  # a part closes at the first row group past 8 reports
    keys = len(VERSIONS["2021"].cell_keys())
    for part in (tmp_path / "out" / "cells.parquet").glob("part-00000[1-9].parquet"):
        meta = pq.ParquetFile(part).metadata
        groups = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        assert groups and all(g <= 3 * keys for g in groups)


def test_two_workers_write_the_same_rows_as_one(tmp_path: Path) -> None:
    make(tmp_path / "in")
    api.write_dataset([tmp_path / "in"], tmp_path / "one", jobs=1)
    api.write_dataset([tmp_path / "in"], tmp_path / "two", jobs=2)
    for table in ("reports", "cells", "findings"):
        drop = {"added"}
        one = sorted(
            tuple(sorted((k, str(v)) for k, v in r.items() if k not in drop))
            for r in _table(tmp_path / "one", table)
        )
        two = sorted(
            tuple(sorted((k, str(v)) for k, v in r.items() if k not in drop))
            for r in _table(tmp_path / "two", table)
        )
        assert one == two, table


def test_what_a_killed_run_left_is_removed_on_the_next(tmp_path: Path) -> None:
    make(tmp_path / "in")
    api.write_dataset([tmp_path / "in"], tmp_path / "out", jobs=1)
    out = tmp_path / "out"
    orphan = out / "cells.parquet" / "part-000007.parquet"
    orphan.write_bytes((out / "cells.parquet" / "part-000001.parquet").read_bytes())
    tmp = out / "findings.parquet" / "part-000007.parquet.tmp"
    tmp.write_bytes(b"half")
    again = api.write_dataset([tmp_path / "in"], out, jobs=1)
    assert not orphan.exists() and not tmp.exists()
    con = dataset.connect(out)
    try:
        n = con.execute("SELECT count(DISTINCT hash), count(*) FROM cells").fetchone()
    finally:
        con.close()
    assert n is not None and n[0] == again.reports


def test_pairs_of_hash_and_outcome_from_any_engine_are_written(tmp_path: Path) -> None:
    made = make(tmp_path / "in")
    pairs = [
        (hashlib.sha256(Path(o.source).read_bytes()).hexdigest(), o)
        for o in api.check_many([tmp_path / "in"], jobs=1)
    ]
    totals = dataset.write(tmp_path / "out", pairs + pairs[:3])
    assert (totals.new, totals.skipped) == (len(made), 3)
    assert len(_table(tmp_path / "out", "reports")) == len(made)


def test_a_folder_that_is_no_dataset_is_refused_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(dataset.DatasetError, match="不是 xxgk 数据集目录"):
        api.write_dataset([tmp_path], tmp_path)
    with pytest.raises(dataset.DatasetError, match="不是 xxgk 数据集目录"):
        api.query_dataset(tmp_path, "carry-over")


def test_two_runs_do_not_write_at_once(tmp_path: Path) -> None:
    make(tmp_path / "in")
    api.write_dataset([tmp_path / "in"], tmp_path / "out", jobs=1)
    if os.name == "nt":
        pytest.skip("the lock uses fcntl (POSIX)")
    held = dataset.Dataset(tmp_path / "out")
    try:
        with pytest.raises(dataset.DatasetError, match="正在写入"):
            api.write_dataset([tmp_path / "in"], tmp_path / "out", jobs=1)
    finally:
        held.close()


def test_a_dataset_inside_the_folder_it_is_made_of_is_not_read_as_reports(tmp_path: Path) -> None:
    made = make(tmp_path)
    first = api.write_dataset([tmp_path], tmp_path / "out", jobs=1)
    again = api.write_dataset([tmp_path], tmp_path / "out", jobs=1)
    assert (first.new, first.failed) == (len(made), 0)
    assert (again.new, again.skipped, again.failed) == (0, len(made), 0)
    sources = [Path(str(r["source"])) for r in _table(tmp_path / "out", "reports")]
    assert not any(s.is_relative_to(tmp_path / "out") for s in sources)


def test_a_value_that_does_not_fit_its_column_is_null_not_a_crash(tmp_path: Path) -> None:
    report = consistent_report(agency="南京市教育局", year=2023, leaves={"granted": {"natural": 2}})
    report.tables["t3"]["new"]["natural"] = float("nan")
    report.tables["t3"]["new"]["commercial"] = 10**30
    report.cells["t3.new.natural"] = CellSource(raw="2", line=2**40, page=3)
    result = CheckResult(source="synth.yaml", report=report, findings=[])
    outcome = Outcome(source="synth.yaml", report=report, result=result)
    totals = dataset.write(tmp_path / "out", [("ab" * 32, outcome)])
    assert totals.new == 1
    cells = {str(c["key"]): c for c in _table(tmp_path / "out", "cells")}
    assert cells["t3.new.natural"]["value"] is None  # NaN: not a figure
    assert cells["t3.new.natural"]["line"] is None and cells["t3.new.natural"]["page"] == 3
    assert cells["t3.new.commercial"]["value"] == float(10**30)
    assert cells["t3.granted.natural"]["value"] == 2


class _Stopped:
    """A batch that is interrupted (Ctrl-C) after ``after`` results."""

    def __init__(self, batch: Any, after: int) -> None:
        self.batch, self.after = batch, after

    def __getattr__(self, name: str) -> Any:
        return getattr(self.batch, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("batch", "after"):
            object.__setattr__(self, name, value)
        else:
            setattr(self.batch, name, value)

    def __iter__(self) -> Iterator[Outcome]:
        for n, o in enumerate(self.batch):
            if n == self.after:
                raise KeyboardInterrupt
            yield o

    def close(self) -> None:
        self.batch.close()


def test_a_run_stopped_by_ctrl_c_keeps_what_it_checked(tmp_path: Path) -> None:
    made = make(tmp_path / "in")
    stopped = _Stopped(api.check_many([tmp_path / "in"], jobs=1), after=5)
    with pytest.raises(KeyboardInterrupt):
        dataset.build(tmp_path / "out", stopped, load)  # type: ignore[arg-type]
    assert len(_table(tmp_path / "out", "reports")) == 5
    assert len({c["hash"] for c in _table(tmp_path / "out", "cells")}) == 5
    rest = api.write_dataset([tmp_path / "in"], tmp_path / "out", jobs=1)
    assert (rest.new, rest.skipped) == (len(made) - 5, 5)


def test_a_file_xxgk_failed_on_is_not_recorded_and_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make(tmp_path / "in")
    victim = str(made[3].path)
    check_report = api.check_report

    def flaky(report: Any, previous: Any = None) -> Any:
        if report.source == victim:
            raise RuntimeError("a bug")
        return check_report(report, previous)

    monkeypatch.setattr(api, "check_report", flaky)
    failed: list[Outcome] = []
    first = api.write_dataset([tmp_path / "in"], tmp_path / "out", jobs=1, failed=failed.append)
    assert (first.new, first.failed) == (len(made) - 1, 1)
    assert [o.source for o in failed] == [victim] and "内部出错" in str(failed[0].error)
    assert victim not in {r["source"] for r in _table(tmp_path / "out", "reports")}
    monkeypatch.setattr(api, "check_report", check_report)  # the bug fixed
    again = api.write_dataset([tmp_path / "in"], tmp_path / "out", jobs=1)
    assert (again.new, again.skipped, again.failed) == (1, len(made) - 1, 0)


def test_reports_in_a_zip_are_hashed_and_skipped_like_files(tmp_path: Path) -> None:
    import zipfile

    made = make(tmp_path / "in")
    archive = tmp_path / "年报.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for m in made[:4]:
            zf.write(m.path, f"某县/{m.path.name}")
    first = api.write_dataset([archive], tmp_path / "out", jobs=1)
    assert (first.new, first.failed) == (4, 0)
    sources = sorted(str(r["source"]) for r in _table(tmp_path / "out", "reports"))
    assert sources == sorted(f"{archive}!某县/{m.path.name}" for m in made[:4])
    both = api.write_dataset([archive, tmp_path / "in"], tmp_path / "out", jobs=1)
    assert (both.new, both.skipped) == (len(made) - 4, 4 + 4)  # the same bytes as files too
