"""xxgk's own Excel workbook read back, with the values as the clerk edited them.

``xxgk render --to xlsx`` writes one sheet per table and a sheet “正文” with the title,
headings, narrative and signature (a row “【表格】 | sheet” where each table stands).
This reader turns that workbook into a Document like any other: paragraphs in order,
each table as a grid with merged cells expanded.  A formula cell takes the result the
spreadsheet application saved; when none was saved (a file written by a program that
does not calculate), the reader works the SUM and +/- formulas out itself.

Other spreadsheets are refused with a message that says what they are: xxgk reads
reports, and a workbook of someone else's layout is not one it can place.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from .document import Block, Cell, Document, Paragraph, ReadError, Table, Where
from .limits import DEFAULT_LIMITS, Limits

FOREIGN = (
    "这是 Excel 电子表格，但不是 xxgk 生成的（没有“申请情况”“复议诉讼”等工作表）；"
    "xxgk 只读回自己生成的 XLSX。请把报告另存为 Word（.docx）或 PDF 后读取，"
    "或用 xxgk new 生成录入文件填写"
)
LEGACY = (
    "这是旧版 Excel 电子表格（.xls），不是报告文档；xxgk 不读取 .xls。"
    "请把报告另存为 Word（.docx）或 PDF 后读取，或用 xxgk new 生成录入文件填写"
)
TOP = 3  # the first sheet row of a table grid (a title row and a heading row above)
_TOKEN = re.compile(
    r"\s*(SUM\(|\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?|\d+(?:\.\d+)?|[-+(),])"
)


def is_xlsx(data: bytes) -> bool:
    """A zip package holding a spreadsheet (xl/workbook.xml)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def is_xls(data: bytes) -> bool:
    """A legacy OLE file whose main stream is an Excel workbook (not a Word document)."""
    head = data[: 1 << 20]
    book = "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head
    return book and "WordDocument".encode("utf-16-le") not in head


def read_xlsx(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    from ..render.xlsx import SHEET_NAMES, TABLE_MARK, TEXT_SHEET

    try:
        book = load_workbook(io.BytesIO(data))
        saved = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise ReadError(source, f"无法打开这个 Excel 文件（{type(exc).__name__}）") from None
    tables = [n for n in SHEET_NAMES.values() if n in book.sheetnames]
    if len(tables) < 2:
        raise ReadError(source, FOREIGN)
    values = {n: _Values(book[n], saved[n]) for n in book.sheetnames}
    blocks: list[Block] = []
    placed: set[str] = set()
    if TEXT_SHEET in book.sheetnames:
        ws = book[TEXT_SHEET]
        for r in range(1, ws.max_row + 1):
            text = values[TEXT_SHEET].text(r, 1).strip()
            sheet = values[TEXT_SHEET].text(r, 2).strip()
            if text == TABLE_MARK and sheet in tables:
                blocks.append(_grid(values[sheet], len(placed)))
                placed.add(sheet)
            elif text:
                blocks.append(Paragraph(text, Where(line=r)))
    for name in tables:  # a workbook without 正文 (or a table it does not mark)
        if name in placed:
            continue
        v = values[name]
        if not blocks:
            blocks.append(Paragraph(v.text(1, 1), Where(line=1)))
        blocks.append(Paragraph(v.text(2, 1), Where(line=2)))
        blocks.append(_grid(v, len(placed)))
        placed.add(name)
    return Document(source=source, kind="xlsx", blocks=blocks)


class _Values:
    """A sheet's cells as text: numbers as printed, formulas as their result."""

    def __init__(self, ws: Any, saved: Any) -> None:
        self.ws = ws
        self.saved = saved
        self.memo: dict[tuple[int, int], float] = {}

    def number(self, row: int, col: int, depth: int = 0) -> float | None:
        raw = self.ws.cell(row, col).value
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int | float):
            return raw
        if not (isinstance(raw, str) and raw.startswith("=")):
            return None
        cached = self.saved.cell(row, col).value
        if isinstance(cached, int | float) and not isinstance(cached, bool):
            return cached
        if (row, col) not in self.memo and depth < 50:
            result = self._evaluate(raw[1:], depth)
            if result is None:
                return None
            self.memo[(row, col)] = result
        return self.memo.get((row, col))

    def _evaluate(self, formula: str, depth: int) -> float | None:
        """SUM(…) and + / − over references: the formulas xxgk writes."""
        tokens = _TOKEN.findall(formula)
        if "".join(tokens) != formula.replace(" ", ""):
            return None
        total = 0.0
        sign = 1
        inside = False
        for tok in tokens:
            if tok in "+-" and not inside:
                sign = 1 if tok == "+" else -1
            elif tok == "SUM(":
                inside = True
            elif tok == ")":
                inside = False
            elif tok == ",":
                continue
            elif tok[0].isdigit():
                total += sign * float(tok)
            else:
                for r, c in _cells(tok):
                    v = self.number(r, c, depth + 1)
                    total += sign * (v or 0)
        return round(total, 6)

    def text(self, row: int, col: int) -> str:
        raw = self.ws.cell(row, col).value
        if raw is None:
            return ""
        if isinstance(raw, str) and not raw.startswith("="):
            return raw
        n = self.number(row, col)
        if n is None:
            return "" if isinstance(raw, str) else str(raw)
        if isinstance(n, float) and n.is_integer():
            return str(int(n))
        return str(n)


def _cells(ref: str) -> list[tuple[int, int]]:
    from openpyxl.utils import range_boundaries  # type: ignore[import-untyped]

    lo_c, lo_r, hi_c, hi_r = range_boundaries(ref.replace("$", ""))
    return [(r, c) for r in range(lo_r, hi_r + 1) for c in range(lo_c, hi_c + 1)]


def _grid(v: _Values, index: int) -> Table:
    """The table of one sheet: from row TOP to the first empty row, merges expanded."""
    ws = v.ws
    last = TOP
    while last <= ws.max_row and any(
        ws.cell(last, c).value is not None for c in range(1, ws.max_column + 1)
    ):
        last += 1
    rows = range(TOP, last)
    width = max(
        (c for r in rows for c in range(1, ws.max_column + 1) if ws.cell(r, c).value is not None),
        default=0,
    )
    width = max(
        [width]
        + [m.max_col for m in ws.merged_cells.ranges if m.min_row >= TOP and m.max_row < last]
    )
    owner: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for m in ws.merged_cells.ranges:
        if m.min_row < TOP or m.min_row >= last:
            continue
        for r in range(m.min_row, m.max_row + 1):
            for c in range(m.min_col, m.max_col + 1):
                owner[(r, c)] = (
                    m.min_row,
                    m.min_col,
                    m.max_row - m.min_row + 1,
                    m.max_col - m.min_col + 1,
                )
    grid: list[list[Cell]] = []
    for r in rows:
        line: list[Cell] = []
        for c in range(1, width + 1):
            top_r, top_c, rs, cs = owner.get((r, c), (r, c, 1, 1))
            where = Where(table=index, row=top_r - TOP, col=top_c - 1)
            line.append(
                Cell(
                    v.text(top_r, top_c),
                    where,
                    merged=(top_r, top_c) != (r, c),
                    colspan=cs,
                    rowspan=rs,
                )
            )
        grid.append(line)
    return Table(grid, Where(table=index), grid=True)
