"""The five ready queries, each against answers the test computes from the values it
put in the generated reports; the SQL docs/dataset.md prints is the SQL that runs."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from xxgk import api, dataset
from xxgk.checks.meta import agency_kind, deadline
from xxgk.cli import app
from xxgk.dataset_queries import DENIED_KEYS, OTHER_KEYS, QUERIES, REJECTED_KEYS, UNABLE_KEYS, VIEWS
from xxgk.format import VERSIONS

from .corpus import AGENCIES, Made

Built = tuple[Path, list[Made], dataset.Totals]
ROOT = Path(__file__).resolve().parents[2]


def _rows(out: Path, name: str) -> list[dict[str, object]]:
    _, columns, rows = api.query_dataset(out, name)
    return [dict(zip(columns, r, strict=True)) for r in rows]


def _group_total(m: Made, keys: tuple[str, ...]) -> float | None:
    values = [m.value(k) for k in keys if k in VERSIONS["2021"].cell_keys()]
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def test_share_of_reports_with_sum_errors_by_year(built: Built) -> None:
    out, made, _ = built
    want: dict[int, list[bool]] = defaultdict(list)
    for m in made:
        want[m.year].append(m.sum_error)
    got = _rows(out, "sum-errors-by-year")
    assert [(r["year"], r["reports"], r["with_sum_errors"]) for r in got] == [
        (y, len(v), sum(v)) for y, v in sorted(want.items())
    ]
    assert any(r["with_sum_errors"] for r in got)  # the corpus does put errors in
    for r, (_, v) in zip(got, sorted(want.items()), strict=True):
        assert r["share"] == pytest.approx(sum(v) / len(v))


def test_agencies_with_the_most_denied(built: Built) -> None:
    out, made, _ = built
    denied: dict[str, float] = defaultdict(float)
    results: dict[str, float] = defaultdict(float)
    reports: dict[str, int] = defaultdict(int)
    for m in made:
        denied[m.agency] += _group_total(m, DENIED_KEYS) or 0
        results[m.agency] += m.value("t3.results_total.total") or 0
        reports[m.agency] += 1
    want = sorted(denied, key=lambda a: (-denied[a], a))[:20]
    got = _rows(out, "most-denied")
    assert [(r["agency"], r["reports"], r["denied"], r["results"]) for r in got] == [
        (a, reports[a], denied[a], results[a]) for a in want
    ]
    top = got[0]
    assert top["denied_share"] == pytest.approx(denied[want[0]] / results[want[0]])


def test_carry_over_mismatches_are_listed(built: Built) -> None:
    out, made, _ = built
    by = {(m.agency, m.year): m for m in made}
    want = []
    for (agency, year), m in by.items():
        prev = by.get((agency, year - 1))
        if prev is None:
            continue
        over, forward = m.value("t3.carried_over.total"), prev.value("t3.carried_forward.total")
        if over is not None and forward is not None and over != forward:
            want.append((agency, year - 1, forward, year, over, over - forward))
    got = _rows(out, "carry-over")
    assert sorted(
        (
            r["agency"],
            r["previous_year"],
            r["previous_carried_forward"],
            r["year"],
            r["carried_over"],
            r["difference"],
        )
        for r in got
    ) == sorted(want)
    assert want  # the corpus has a mismatch (溧水区交通运输局 2023)


def _deadline(level: str, year: int) -> date:
    """条例第四十九条 by the level a person gives the agency."""
    if level in ("部门", "乡镇（街道）"):
        return date(year + 1, 1, 31)
    return date(year + 1, 3, 31)


def test_late_publication_by_year_and_level(built: Built) -> None:
    out, made, _ = built
    counts: dict[tuple[int, str], list[int]] = defaultdict(list)
    for m in made:
        level = AGENCIES[m.agency]
        published = date.fromisoformat(str(m.report.published))
        counts[(m.year, level)].append(max(0, (published - _deadline(level, m.year)).days))
    got = _rows(out, "late-by-level")
    assert [(r["year"], r["level"], r["reports"], r["late"]) for r in got] == [
        (y, lv, len(d), sum(1 for x in d if x)) for (y, lv), d in sorted(counts.items())
    ]
    assert any(r["late"] for r in got) and any(r["late"] != r["reports"] for r in got)
    for r in got:
        days = counts[(int(str(r["year"])), str(r["level"]))]
        assert r["max_days_late"] == (max(days) if any(days) else None)


def test_substantive_disclosure_rate_by_agency(built: Built) -> None:
    out, made, _ = built
    want = {}
    for m in made:
        total = m.value("t3.results_total.total")
        granted, partial = m.value("t3.granted.total"), m.value("t3.partial.total")
        rate = None
        if total and granted is not None and partial is not None:
            rate = (granted + partial) / total
        want[(m.agency, m.year)] = rate
    got = {(r["agency"], r["year"]): r["rate"] for r in _rows(out, "disclosure-rate")}
    assert got.keys() == want.keys()
    for key, rate in want.items():
        assert got[key] == (pytest.approx(rate) if rate is not None else None), key
    assert sum(1 for r in want.values() if r is None) == 2  # total 0, and total blank


def test_the_level_gives_the_deadline_date_001_applies() -> None:
    """The query's level (from the name) and DATE-001 agree on every deadline."""
    from xxgk.checks import meta

    names = [
        *AGENCIES,
        "浦口经济开发区管委会",
        "某某",
        "江北新区管理委员会",
        "新疆维吾尔自治区人民政府",
    ]
    names += [f"南京市某某{end}" for end in meta._DEPARTMENT_ENDS]
    names += [f"某某{end}" for end in meta._TOWNSHIP_ENDS]
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE reports (agency VARCHAR, year INTEGER, status VARCHAR)")
        con.executemany("INSERT INTO reports VALUES (?, 2023, 'ok')", [[n] for n in names])
        got = dict(con.execute(f"SELECT agency, deadline FROM ({VIEWS['report_meta']})").fetchall())
    finally:
        con.close()
    for name in names:
        assert got[name] == deadline(2023, name)[0], (name, agency_kind(name))


def test_the_figures_keys_are_the_format_groups() -> None:
    rows = VERSIONS["2021"].table("t3").rows + VERSIONS["2019"].table("t3").rows
    groups: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if (r.group and r.role == "leaf" and r.group != "三、本年度办理结果") or r.key == "other":
            groups[str(r.group)].add(f"t3.{r.key}.total")
    assert set(DENIED_KEYS) == groups["（三）不予公开"]
    assert set(UNABLE_KEYS) == groups["（四）无法提供"]
    assert set(REJECTED_KEYS) == groups["（五）不予处理"]
    assert set(OTHER_KEYS) == groups["（六）其他处理"] | {"t3.other.total"}


def test_docs_print_the_sql_that_runs() -> None:
    text = (ROOT / "docs" / "dataset.md").read_text(encoding="utf-8")
    for q in QUERIES:
        assert q.sql in text, q.name
        assert f"`{q.name}`" in text and q.view in text
    for name in VIEWS:
        assert name in text


def test_the_cli_prints_a_query_as_a_table(built: Built) -> None:
    out, made, _ = built
    result = CliRunner().invoke(app, ["dataset", "--query", "disclosure-rate", str(out)])
    assert result.exit_code == 0, result.output
    assert "实质公开率" in result.output and "予以公开" in result.output
    m = next(m for m in made if m.value("t3.results_total.total"))
    rate = ((m.value("t3.granted.total") or 0) + (m.value("t3.partial.total") or 0)) / (
        m.value("t3.results_total.total") or 1
    )
    assert f"{rate * 100:.1f}%" in result.output
    assert f"共 {len(made)} 行" in result.output


def test_an_unknown_query_lists_the_names_in_chinese(built: Built) -> None:
    out, _, _ = built
    result = CliRunner().invoke(app, ["dataset", "--query", "nope", str(out)])
    assert result.exit_code == 2
    assert "没有名为 nope 的查询" in result.output
    for q in QUERIES:
        assert q.name in result.output


def test_a_query_as_csv_for_a_spreadsheet(built: Built) -> None:
    import csv
    import io

    out, _, _ = built
    result = CliRunner().invoke(app, ["dataset", "--query", "carry-over", str(out), "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:6] == ["机关", "上年度", "上年结转下年度", "年度", "本年上年结转", "差额"]
    _, columns, want = api.query_dataset(out, "carry-over")
    assert len(rows) == len(want) + 1
    assert [r[0] for r in rows[1:]] == [w[0] for w in want]
    assert rows[1][columns.index("difference")] == str(want[0][columns.index("difference")])
