"""The Excel renderer: statutory layout, values in place, totals that follow an edit."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from openpyxl.utils import range_boundaries  # type: ignore[import-untyped]

from tests.samples import sample
from xxgk.format import T3_APPLICANTS, T3_GROUPS, T3_NOTE, VERSIONS
from xxgk.model import Report
from xxgk.render.xlsx import CHECK_LABEL, SHEET_NAMES, render_xlsx

Book = Any
Sheet = Any


def open_xlsx(report: Report) -> Book:
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))


# --------------------------------------------------------------------------- locating


def find(ws: Sheet, text: str) -> tuple[int, int]:
    """(row, column) of the only cell holding ``text``."""
    hits = [(c.row, c.column) for row in ws.iter_rows() for c in row if c.value == text]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def span(ws: Sheet, row: int, col: int) -> tuple[int, int]:
    """(rows, columns) the cell at (row, col) covers: (1, 1) unless it starts a merge."""
    for merged in ws.merged_cells.ranges:
        if (merged.min_row, merged.min_col) == (row, col):
            return merged.max_row - row + 1, merged.max_col - col + 1
    return 1, 1


def header_column(ws: Sheet, label: str, top: int, bottom: int, lo: int, hi: int) -> int:
    """The column of a header cell ``label`` within rows top..bottom, columns lo..hi."""
    cols = [
        c.column
        for row in ws.iter_rows(min_row=top, max_row=bottom, min_col=lo, max_col=hi)
        for c in row
        if c.value == label
    ]
    assert len(cols) == 1, (label, cols)
    return int(cols[0])


def t3_cells(ws: Sheet, key: str) -> dict[str, str]:
    """{t3 cell key: coordinate}, found by the printed row labels and column headers."""
    table = VERSIONS[key].table("t3")
    note_row, _ = find(ws, T3_NOTE)
    out: dict[str, str] = {}
    for row in table.rows:
        r, _ = find(ws, row.label)
        for col in row.columns:
            c = header_column(ws, col.label, note_row, note_row + 2, 4, ws.max_column)
            out[f"t3.{row.key}.{col.key}"] = ws.cell(r, c).coordinate
    return out


def t2_cells(ws: Sheet, key: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in VERSIONS[key].table("t2").rows:
        r, _ = find(ws, row.label)
        header = r - 1
        while ws.cell(header, 1).value != "信息内容":
            header -= 1
        for col in row.columns:
            c = header_column(ws, col.label, header, header, 2, ws.max_column)
            out[f"t2.{row.key}.{col.key}"] = ws.cell(r, c).coordinate
    return out


def t4_cells(ws: Sheet, key: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in VERSIONS[key].table("t4").rows:
        r, c = find(ws, row.label)
        _, width = span(ws, r, c)
        for col in row.columns:
            cc = header_column(ws, col.label, r + 1, ws.max_row, c, c + width - 1)
            out[f"t4.{row.key}.{col.key}"] = ws.cell(ws.max_row, cc).coordinate
    return out


def all_cells(wb: Book, key: str) -> dict[str, tuple[Sheet, str]]:
    sheets = {t: wb[name] for t, name in SHEET_NAMES.items()}
    found = {**t2_cells(sheets["t2"], key), **t3_cells(sheets["t3"], key)}
    found.update(t4_cells(sheets["t4"], key))
    return {k: (sheets[k.split(".")[0]], ref) for k, ref in found.items()}


# --------------------------------------------------------------------------- evaluating

_TOKEN = re.compile(r"\s*(SUM\(|[A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?|\d+(?:\.\d+)?|[-+(),])")


def refs(ws: Sheet, text: str) -> list[str]:
    """The cells a reference or range names, e.g. D6:D8 → [D6, D7, D8]."""
    lo_c, lo_r, hi_c, hi_r = range_boundaries(text)
    return [ws.cell(r, c).coordinate for r in range(lo_r, hi_r + 1) for c in range(lo_c, hi_c + 1)]


def evaluate(ws: Sheet, ref: str) -> float:
    """A cell's value, computing =SUM(…) and + / − formulas over the sheet."""
    value = ws[ref].value
    if value is None:
        return 0
    if not (isinstance(value, str) and value.startswith("=")):
        assert isinstance(value, int | float), (ref, value)
        return value
    tokens = _TOKEN.findall(value[1:])
    assert "".join(tokens) == value[1:].replace(" ", ""), value
    total: float = 0
    sign = 1
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in "+-":
            sign = 1 if tok == "+" else -1
        elif tok == "SUM(":
            i += 1
            while tokens[i] != ")":
                if tokens[i] != ",":
                    total += sign * sum(evaluate(ws, r) for r in refs(ws, tokens[i]))
                i += 1
        elif tok[0].isdigit():
            total += sign * float(tok)
        else:
            total += sign * evaluate(ws, tok)
        i += 1
    return total


def formula_refs(ws: Sheet, ref: str) -> set[str]:
    value = ws[ref].value
    assert isinstance(value, str) and value.startswith("="), (ref, value)
    names = re.findall(r"[A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?", value)
    return {r for name in names for r in refs(ws, name)}


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("key", ["2021", "2019"])
def test_one_sheet_per_table_with_its_heading(key: str) -> None:
    wb = open_xlsx(sample(key))
    assert wb.sheetnames == ["主动公开", "申请情况", "复议诉讼", "正文"]
    assert wb["申请情况"]["A1"].value.endswith("政府信息公开工作年度报告")
    assert wb["主动公开"]["A2"].value == "二、主动公开政府信息情况"
    assert wb["申请情况"]["A2"].value == "三、收到和处理政府信息公开申请情况"
    assert wb["复议诉讼"]["A2"].value == "四、政府信息公开行政复议、行政诉讼情况"


def test_headers_are_merged_as_the_statutory_tables() -> None:
    wb = open_xlsx(sample("2021"))
    t2, t3, t4 = (wb[n] for n in SHEET_NAMES.values())
    assert span(t2, *find(t2, "第二十条第（八）项")) == (1, 4)
    assert span(t2, *find(t2, "本年收费金额（单位：万元）")) == (1, 3)
    assert span(t3, *find(t3, T3_NOTE)) == (3, 3)
    assert span(t3, *find(t3, "申请人情况")) == (1, 7)
    assert span(t3, *find(t3, "自然人")) == (2, 1)
    assert span(t3, *find(t3, "法人或其他组织")) == (1, 5)
    assert span(t3, *find(t3, T3_GROUPS[0])) == (22, 1)
    assert [span(t3, *find(t3, g))[0] for g in T3_GROUPS[1:]] == [8, 3, 5, 3]
    assert span(t3, *find(t3, "一、本年新收政府信息公开申请数量")) == (1, 3)
    assert span(t4, *find(t4, "行政复议")) == (1, 5)
    assert span(t4, *find(t4, "行政诉讼")) == (1, 10)
    assert span(t4, *find(t4, "未经复议直接起诉")) == (1, 5)
    assert span(t4, *find(t4, "复议后起诉")) == (1, 5)
    row, col = find(t4, "行政复议")
    assert t4.cell(row + 1, col).value == "结果维持"
    assert span(t4, row + 1, col) == (2, 1)  # the 行政复议 headers stand two rows high


def test_2019_results_group_spans_twenty_rows() -> None:
    t3 = open_xlsx(sample("2019"))["申请情况"]
    assert span(t3, *find(t3, T3_GROUPS[0])) == (20, 1)
    row, col = find(t3, "（六）其他处理")
    assert span(t3, row, col) == (1, 2)


@pytest.mark.parametrize("key", ["2021", "2019"])
def test_every_value_sits_under_its_labels(key: str) -> None:
    report = sample(key)
    wb = open_xlsx(report)
    cells = all_cells(wb, key)
    assert sorted(cells) == sorted(report.version.cell_keys())
    for cell, (ws, ref) in cells.items():
        assert evaluate(ws, ref) == pytest.approx(report.value(cell)), cell
        value = ws[ref].value
        if not (isinstance(value, str) and value.startswith("=")):
            assert value == report.value(cell), cell  # inputs are written as numbers


def test_amounts_and_signed_values_are_numbers() -> None:
    cells = all_cells(open_xlsx(sample("2019")), "2019")
    ws, ref = cells["t2.permit.delta"]
    assert ws[ref].value == -2
    ws, ref = cells["t2.procurement.amount"]
    assert ws[ref].value == 7730.28
    cells = all_cells(open_xlsx(sample("2021")), "2021")
    ws, ref = cells["t2.fee.amount"]
    assert ws[ref].value == 0.35


def test_totals_are_sum_formulas_over_the_right_cells() -> None:
    key = "2021"
    cells = all_cells(open_xlsx(sample(key)), key)
    leaves = [r.key for r in VERSIONS[key].table("t3").rows if r.role == "leaf"]
    for row in VERSIONS[key].table("t3").rows:
        ws, ref = cells[f"t3.{row.key}.total"]
        if row.key == "results_total":
            expected = {cells[f"t3.{leaf}.total"][1] for leaf in leaves}
        else:
            expected = {cells[f"t3.{row.key}.{c}"][1] for c in T3_APPLICANTS}
        assert ws[ref].value.startswith("=SUM(")
        assert formula_refs(ws, ref) == expected, row.key
    for col in T3_APPLICANTS:
        ws, ref = cells[f"t3.results_total.{col}"]
        assert ws[ref].value.startswith("=SUM(")
        assert formula_refs(ws, ref) == {cells[f"t3.{leaf}.{col}"][1] for leaf in leaves}
    for group in ("review", "lit_direct", "lit_after_review"):
        ws, ref = cells[f"t4.{group}.total"]
        parts = ("upheld", "corrected", "other", "pending")
        assert ws[ref].value.startswith("=SUM(")
        assert formula_refs(ws, ref) == {cells[f"t4.{group}.{p}"][1] for p in parts}


def test_check_row_restates_the_balance_and_is_zero() -> None:
    key = "2021"
    wb = open_xlsx(sample(key))
    ws = wb["申请情况"]
    cells = all_cells(wb, key)
    row, col = find(ws, CHECK_LABEL)
    assert span(ws, row, col) == (1, 3)
    for c in VERSIONS[key].table("t3").rows[0].columns:
        ref = ws.cell(row, ws[cells[f"t3.new.{c.key}"][1]].column)
        parts = [cells[f"t3.{r}.{c.key}"][1] for r in ("new", "carried_over")]
        minus = [cells[f"t3.{r}.{c.key}"][1] for r in ("results_total", "carried_forward")]
        assert ref.value == f"={parts[0]}+{parts[1]}-{minus[0]}-{minus[1]}"
        assert evaluate(ws, ref.coordinate) == 0


def test_editing_a_part_moves_the_totals_and_the_check() -> None:
    key = "2021"
    report = sample(key)
    wb = open_xlsx(report)
    cells = all_cells(wb, key)
    ws = wb["申请情况"]
    check_row, _ = find(ws, CHECK_LABEL)

    def value(cell: str) -> float:
        sheet, ref = cells[cell]
        return evaluate(sheet, ref)

    def check(col: str) -> float:
        column = ws[cells[f"t3.new.{col}"][1]].column
        return evaluate(ws, ws.cell(check_row, column).coordinate)

    before = {k: value(k) for k in ("t3.results_total.natural", "t3.results_total.total")}
    ws[cells["t3.denied_safety.natural"][1]].value += 5  # a clerk edits one number
    assert value("t3.denied_safety.total") == (report.value("t3.denied_safety.total") or 0) + 5
    assert value("t3.results_total.natural") == before["t3.results_total.natural"] + 5
    assert value("t3.results_total.total") == before["t3.results_total.total"] + 5
    assert check("natural") == -5 and check("total") == -5  # no longer balanced
    ws[cells["t3.new.natural"][1]].value += 5
    assert check("natural") == 0 and check("total") == 0
    t4, ref = cells["t4.lit_direct.corrected"]
    t4[ref].value = (t4[ref].value or 0) + 4
    assert value("t4.lit_direct.total") == (report.value("t4.lit_direct.total") or 0) + 4


def test_blank_values_stay_empty() -> None:
    report = sample("2021")
    report.tables["t3"]["granted"]["research"] = None
    report.tables["t2"]["penalty"]["decisions"] = None
    cells = all_cells(open_xlsx(report), "2021")
    for key in ("t3.granted.research", "t2.penalty.decisions"):
        ws, ref = cells[key]
        assert ws[ref].value is None


def test_a_stated_total_that_differs_keeps_the_printed_number_beside_the_sum() -> None:
    """With --force the workbook shows what the Word file shows (the printed, wrong
    total) and the formula's result beside it."""
    report = sample("2021")
    cells = all_cells(open_xlsx(report), "2021")  # located on the consistent layout
    report.tables["t4"]["review"]["total"] = 99
    wb = open_xlsx(report)
    ws = wb[SHEET_NAMES["t4"]]
    ref = cells["t4.review.total"][1]
    assert ws[ref].value == 99
    assert "99" in ws[ref].comment.text and "各项之和" in ws[ref].comment.text
    assert ws[cells["t4.lit_direct.total"][1]].value.startswith("=SUM(")
    assert ws[cells["t4.lit_direct.total"][1]].comment is None
    row, _ = find(ws, "第四部分 行政复议 · 总计")
    assert ws.cell(row, 2).value == f"={ref}"
    parts = sum(
        (report.value(f"t4.review.{c}") or 0) for c in ("upheld", "corrected", "other", "pending")
    )
    assert (
        ws.cell(row, 3).value.startswith("=SUM(")
        and evaluate(ws, ws.cell(row, 3).coordinate) == parts
    )


def test_the_file_asks_for_calculation_on_load_and_is_a_valid_package() -> None:
    data = render_xlsx(sample("2019"))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
        assert {"[Content_Types].xml", "xl/workbook.xml"} <= names
        assert 'fullCalcOnLoad="1"' in zf.read("xl/workbook.xml").decode()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb:
        assert int(ws.page_setup.paperSize) == 9  # A4
