"""A report's three tables as an Excel workbook whose totals are formulas (openpyxl).

One sheet per table, drawn on the same grid as the Word file (:func:`table_grid`):
same merged headers, same labels.  Every total the format prescribes is written as a
formula derived from ``version.identities``: an identity with a single cell on one side
("总计 = 各项之和") makes that cell ``=SUM(parts)``; any other identity (本年新收 +
上年结转 = 办理结果总计 + 结转下年度) becomes a check cell under the table,
``=left+left-right-right``, labelled 勾稽核对（应为0）.  A clerk who edits a number in
Excel sees the totals and the checks follow.

No cached results are stored (openpyxl does not calculate); the workbook asks the
application to calculate on load.  Where the report states a total that differs from
the sum of its parts (only with ``render --force``), the cell keeps the printed number,
as the Word file does, marked red with a comment; the formula's result stands beside
it in a list under the table (“与各项之和不一致的合计”), so nothing is lost or hidden.

A last sheet “正文” holds the title, the six headings, the narrative and the
signature, with a marker row where each table stands: ``xxgk`` reads its own
workbook back (:mod:`xxgk.readers.xlsx`) with the values as edited.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.comments import Comment  # type: ignore[import-untyped]
from openpyxl.formatting.rule import CellIsRule  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.properties import PageSetupProperties  # type: ignore[import-untyped]

from ..format import REPORT_TITLE, SECTIONS, Identity, Version
from ..model import Report, fmt
from ..model import fmt as num
from .docx import Grid, Place, table_grid

SHEET_NAMES = {"t2": "主动公开", "t3": "申请情况", "t4": "复议诉讼"}
TEXT_SHEET = "正文"
TABLE_MARK = "【表格】"  # a 正文 row: 【表格】 | sheet name — the table stands here
CHECK_LABEL = "勾稽核对（应为0）"
STATED = "原报告填写为 {value}，与各项之和 {sum} 不一致（各项之和见表格下方）。"
DIFFERS = "与各项之和不一致的合计"

FONT_NAME = "仿宋_GB2312"
TOP = 3  # sheet row of the grid's first row: a title row and a heading row above it

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="C6D9F1")
_FORMULA_FILL = PatternFill("solid", fgColor="F2F2F2")
_CHECK_FILL = PatternFill("solid", fgColor="FFF2CC")
_BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)

# Column widths (characters) per table: label columns wide, value columns narrow.
_WIDTHS: dict[str, Sequence[float]] = {
    "t2": (22, 18, 18, 18),
    "t3": (10, 16, 56, *(11,) * 7),
    "t4": (10,) * 15,
}


def _ref(grid_row: int, grid_col: int) -> str:
    return f"{get_column_letter(grid_col + 1)}{grid_row + TOP}"


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted numbers as (first, last)."""
    out: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _sum(places: list[Place]) -> str:
    """SUM over cells, written as ranges where they are adjacent in a row or column."""
    rows = {p.row for p in places}
    cols = {p.col for p in places}
    if len(cols) == 1:
        (col,) = cols
        parts = [(_ref(a, col), _ref(b, col)) for a, b in _runs([p.row for p in places])]
    elif len(rows) == 1:
        (row,) = rows
        parts = [(_ref(row, a), _ref(row, b)) for a, b in _runs([p.col for p in places])]
    else:
        parts = [(_ref(p.row, p.col),) * 2 for p in places]
    return "SUM(" + ",".join(a if a == b else f"{a}:{b}" for a, b in parts) + ")"


def _balance(left: list[Place], right: list[Place]) -> str:
    return "".join(f"+{_ref(p.row, p.col)}" for p in left)[1:] + "".join(
        f"-{_ref(p.row, p.col)}" for p in right
    )


def _totals(version: Version) -> dict[str, tuple[str, ...]]:
    """{total cell: the cells it adds}; a cell two identities total takes the first."""
    out: dict[str, tuple[str, ...]] = {}
    for identity in version.identities:
        if len(identity.left) == 1 and len(identity.right) > 1:
            out.setdefault(identity.left[0], identity.right)
        elif len(identity.right) == 1 and len(identity.left) > 1:
            out.setdefault(identity.right[0], identity.left)
    return out


def formulas(version: Version, key: str) -> tuple[dict[str, str], list[tuple[Identity, str]]]:
    """The formulas of one table: {total cell: "=SUM(…)"} and [(identity, "=a+b-c-d")].

    Derived from the version's identities and the table's grid (the format declares
    column sums first, so （七）总计 of the 总计 column adds the rows above it).
    """
    places = table_grid(version, key).value_places()
    totals = {
        cell: "=" + _sum([places[c] for c in parts])
        for cell, parts in _totals(version).items()
        if cell in places
    }
    checks: list[tuple[Identity, str]] = []
    for identity in version.identities:
        if not all(c in places for c in identity.cells):
            continue
        if len(identity.left) == 1 or len(identity.right) == 1:
            continue  # a total: written as SUM above
        left = [places[c] for c in identity.left]
        right = [places[c] for c in identity.right]
        checks.append((identity, "=" + _balance(left, right)))
    return totals, checks


def _stated_differs(report: Report, parts: tuple[str, ...], key: str) -> bool:
    stated = report.value(key)
    if stated is None:
        return False
    return abs(_parts_sum(report, parts) - stated) > 1e-9


def _parts_sum(report: Report, parts: tuple[str, ...]) -> float:
    return round(sum((report.value(c) or 0) for c in parts), 6)


def _sheet(wb: Any, report: Report, grid: Grid, title: str, heading: str) -> None:
    version = report.version
    ws = wb.create_sheet(SHEET_NAMES[grid.key])
    font = Font(name=FONT_NAME, size=10.5)
    ws.cell(1, 1, title).font = Font(name=FONT_NAME, size=14, bold=True)
    ws.cell(1, 1).alignment = _CENTRE
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.cols)
    ws.cell(2, 1, heading).font = Font(name=FONT_NAME, size=12, bold=True)
    for i, width in enumerate(_WIDTHS.get(grid.key, ()), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    totals, checks = formulas(version, grid.key)
    check_rows = _check_rows(grid, checks)
    for r in range(grid.rows + (1 if check_rows else 0)):
        for c in range(grid.cols):
            cell = ws.cell(r + TOP, c + 1)
            cell.border = _BORDER
            cell.font = font
            cell.alignment = _CENTRE
    parts = _totals(version)
    differs: list[tuple[str, str, str]] = []  # (cell, its coordinate, the formula)
    for p in grid.places:
        cell = ws.cell(p.row + TOP, p.col + 1)
        if p.cell is None:
            cell.value = p.text or None
            if p.role == "caption":
                cell.fill = _HEAD_FILL
                cell.alignment = _LEFT
            elif p.role == "label" and grid.key == "t3":
                cell.alignment = _LEFT
        elif p.cell in totals and _stated_differs(report, parts[p.cell], p.cell):
            cell.value = report.value(p.cell)  # as printed, like the Word file
            cell.fill = _BAD_FILL
            total = num(_parts_sum(report, parts[p.cell]))
            stated = fmt(report.value(p.cell))
            cell.comment = Comment(STATED.format(value=stated, sum=total), "xxgk")
            differs.append((p.cell, cell.coordinate, totals[p.cell]))
        elif p.cell in totals:
            cell.value = totals[p.cell]
            cell.fill = _FORMULA_FILL
        else:
            cell.value = report.value(p.cell)
        if p.rowspan > 1 or p.colspan > 1:
            ws.merge_cells(
                start_row=p.row + TOP,
                start_column=p.col + 1,
                end_row=p.row + p.rowspan - 1 + TOP,
                end_column=p.col + p.colspan - 1 + 1,
            )
    if check_rows:
        _write_checks(ws, grid, check_rows)
    if differs:
        _write_differs(ws, grid, version, differs, 1 if check_rows else 0)
    if grid.key == "t3":  # keep the headers and labels in view while scrolling
        row, col = min((p.row, p.col) for p in grid.places if p.cell)
        ws.freeze_panes = ws.cell(row + TOP, col + 1)
    _page_setup(ws, grid)


def _check_rows(grid: Grid, checks: list[tuple[Identity, str]]) -> dict[int, str]:
    """{grid column: formula} of the check row under the table (one identity per column)."""
    places = grid.value_places()
    out: dict[int, str] = {}
    for identity, formula in checks:
        out.setdefault(places[identity.left[0]].col, formula)
    return out


def _write_checks(ws: Any, grid: Grid, check_rows: dict[int, str]) -> None:
    row = grid.rows + TOP + 1  # a blank row ends the table (the reader stops there)
    first = min(check_rows)
    label = ws.cell(row, 1, CHECK_LABEL)
    label.alignment = _LEFT
    for c in range(grid.cols):
        ws.cell(row, c + 1).fill = _CHECK_FILL
    for col, formula in check_rows.items():
        ws.cell(row, col + 1, formula)
    if first > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=first)
    span = f"{get_column_letter(first + 1)}{row}:{get_column_letter(grid.cols)}{row}"
    ws.conditional_formatting.add(
        span, CellIsRule(operator="notEqual", formula=["0"], fill=_BAD_FILL)
    )


def _write_differs(
    ws: Any, grid: Grid, version: Version, differs: list[tuple[str, str, str]], below: int
) -> None:
    """Each printed total that differs from its parts, beside the formula's result."""
    row = grid.rows + TOP + 2 + below
    ws.cell(row, 1, DIFFERS).font = Font(name=FONT_NAME, size=10.5, bold=True)
    for i, (cell, ref, formula) in enumerate(differs, 1):
        ws.cell(row + i, 1, version.display(cell)).alignment = _LEFT
        ws.cell(row + i, 2, f"={ref}").fill = _BAD_FILL
        ws.cell(row + i, 3, formula).fill = _FORMULA_FILL
        ws.cell(row + i, 4, "← 左为原报告所印，右为各项之和")
    ws.cell(row, 2, "原报告所印")
    ws.cell(row, 3, "各项之和")


def _text_sheet(wb: Any, report: Report, title: str) -> None:
    """The title, the six parts' headings and narrative, the signature; a marker row
    where each table stands."""
    ws = wb.create_sheet(TEXT_SHEET)
    ws.column_dimensions["A"].width = 100
    ws.column_dimensions["B"].width = 14
    font = Font(name=FONT_NAME, size=12)
    rows: list[tuple[str, str, bool]] = [(title, "", True)]
    tables = {t.section: t.key for t in report.version.tables}
    for s in SECTIONS:
        rows.append((s.heading, "", True))
        for line in (report.sections.get(s.number) or "").splitlines():
            if line.strip():
                rows.append((line.strip(), "", False))
        if s.number in tables:
            rows.append((TABLE_MARK, SHEET_NAMES[tables[s.number]], False))
    if report.agency:
        rows.append((report.agency, "", False))
    if report.published:
        try:
            day = date.fromisoformat(report.published)
        except ValueError:
            day = None
        if day is not None:
            rows.append((f"{day.year}年{day.month}月{day.day}日", "", False))
    for i, (text, sheet, bold) in enumerate(rows, 1):
        cell = ws.cell(i, 1, ILLEGAL_CHARACTERS_RE.sub("", text))
        cell.font = Font(name=FONT_NAME, size=14 if i == 1 else 12, bold=bold)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if sheet:
            ws.cell(i, 2, sheet).font = font
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _page_setup(ws: Any, grid: Grid) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.cols > 4 else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True


def render_xlsx(report: Report) -> bytes:
    """The report's tables as an .xlsx workbook (bytes), totals as formulas."""
    version = report.version
    wb = Workbook()
    wb.remove(wb.active)
    title = f"{report.agency or ''}{report.year or ''}年{REPORT_TITLE}"
    headings = {s.number: s.heading for s in SECTIONS}
    for table in version.tables:
        _sheet(wb, report, table_grid(version, table.key), title, headings[table.section])
    _text_sheet(wb, report, title)
    wb.calculation.fullCalcOnLoad = True
    wb.properties.title = title
    wb.properties.creator = report.agency or "xxgk"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
