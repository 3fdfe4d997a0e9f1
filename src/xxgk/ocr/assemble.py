"""Pages read by OCR -> the blocks of a Document, as the PDF reader makes them.

* A table broken over pages is one table when the next page starts with a table whose
  columns are among its own (or the other way round); a cell left open at the break (a
  group label printed across it) becomes one cell.
* Tables are grids with merged cells expanded (copies ``merged=True``).
* Text lines outside tables become paragraphs: a line reaching the right margin and a
  next line starting at the left one (no indent) are one paragraph, also over a page
  break; page numbers ("- 3 -", "第 3 页") at the top or bottom are dropped.
* Provenance: each cell and paragraph has its page and its box in the page image, in
  the image's own pixels (the straightened page); a PDF page's box in points too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..readers.document import Block, Cell, Paragraph, Table, Where
from . import layout
from .image import WORK_DPI
from .page import PageRead, ReadCell, ReadLine, ReadTable, join

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~·\s]*\d{1,4}[-—–－~·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/、]?\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4})$"
)
_COLUMN_TOLERANCE = 12  # work pixels: column lines this close on two pages are the same


@dataclass(slots=True)
class _Part:
    page: PageRead
    table: ReadTable


def blocks(pages: list[PageRead], in_pdf: bool = False) -> list[Block]:
    """The blocks of the pages in reading order (tables numbered from 0)."""
    items: list[tuple[PageRead, ReadLine | list[_Part]]] = []
    for page in pages:
        lines = [ln for ln in page.lines if not _page_number(ln, page)]
        order: list[tuple[int, int, ReadLine | ReadTable]] = [(ln.box[1], 1, ln) for ln in lines]
        order += [(t.grid.box[1], 0, t) for t in page.tables]
        order.sort(key=lambda t: (t[0], t[1]))
        for pos, (_, _, found) in enumerate(order):
            if isinstance(found, ReadTable):
                prev = items[-1][1] if items else None
                if pos == 0 and isinstance(prev, list) and _continues(prev[-1], page, found):
                    prev.append(_Part(page, found))
                else:
                    items.append((page, [_Part(page, found)]))
            else:
                items.append((page, found))
    out: list[Block] = []
    para: list[tuple[PageRead, ReadLine]] = []
    margins = _margins(pages)

    def flush() -> None:
        if para:
            out.append(_paragraph(para, in_pdf))
            para.clear()

    n_tables = 0
    for page, item in items:
        if isinstance(item, list):
            flush()
            out.append(_table(item, n_tables, in_pdf))
            n_tables += 1
            continue
        if para and not _wraps(para[-1], (page, item), margins):
            flush()
        para.append((page, item))
    flush()
    return out


def _page_number(line: ReadLine, page: PageRead) -> bool:
    if not _PAGE_NUMBER.match(line.text):
        return False
    return line.box[3] >= page.height * 0.85 or line.box[1] <= page.height * 0.12


def _continues(prev: _Part, page: PageRead, nxt: ReadTable) -> bool:
    if page.number != prev.page.number + 1:
        return False
    if prev.table.grid.box[3] < prev.page.height * 0.6 or nxt.grid.box[1] > page.height * 0.4:
        return False
    a, b = prev.table.grid.xs, nxt.grid.xs
    return _subset(b, a) or _subset(a, b)


def _subset(a: list[int], b: list[int]) -> bool:
    return all(any(abs(x - y) <= _COLUMN_TOLERANCE for y in b) for x in a)


# ---------------------------------------------------------------- provenance


def _where(
    page: PageRead,
    box: layout.Box,
    in_pdf: bool,
    table: int | None = None,
    row: int | None = None,
    col: int | None = None,
) -> Where:
    s = page.scale
    pixels = (round(box[0] / s), round(box[1] / s), round(box[2] / s), round(box[3] / s))
    bbox = None
    if in_pdf:  # a PDF page is rendered at WORK_DPI: its box in points too
        k = 72 / WORK_DPI
        bbox = (
            round(box[0] * k, 2),
            round(box[1] * k, 2),
            round(box[2] * k, 2),
            round(box[3] * k, 2),
        )
    return Where(page=page.number, pixels=pixels, bbox=bbox, table=table, row=row, col=col)


# ---------------------------------------------------------------- paragraphs


def _margins(pages: list[PageRead]) -> dict[int, tuple[float, float]]:
    out: dict[int, tuple[float, float]] = {}
    for page in pages:
        lines = page.lines
        left, right = 0.0, float("inf")
        if lines:
            left = min(ln.box[0] for ln in lines)
            starts = _common([ln.box[0] for ln in lines])
            if starts:  # the text's left margin (a mark further left is not it)
                left = min(starts) * _BUCKET
            ends = _common([ln.box[2] for ln in lines])
            if ends:  # the right margin: where full lines end (short lines end before)
                right = max(ends) * _BUCKET + _BUCKET
        out[page.number] = (left, right)
    return out


_BUCKET = 8  # work pixels: line ends this close are at one margin


def _common(positions: list[int]) -> list[int]:
    """The buckets (of _BUCKET pixels, a neighbour's count added) where three or more
    lines start or end."""
    counts = Counter(round(p / _BUCKET) for p in positions)
    return [b for b in counts if counts[b] + max(counts[b - 1], counts[b + 1]) >= 3]


def _wraps(
    prev: tuple[PageRead, ReadLine],
    nxt: tuple[PageRead, ReadLine],
    margins: dict[int, tuple[float, float]],
) -> bool:
    (p1, a), (p2, b) = prev, nxt
    if abs(a.height - b.height) > 0.3 * max(a.height, b.height):
        return False
    h = max(a.height, b.height)
    if p2.number == p1.number:
        if not 0 <= b.box[1] - a.box[3] <= 1.2 * h:
            return False
    elif p2.number != p1.number + 1:
        return False
    right1 = margins[p1.number][1]
    left2 = margins[p2.number][0]
    return a.box[2] >= right1 - 1.5 * h and b.box[0] <= left2 + 0.5 * h


def _paragraph(para: list[tuple[PageRead, ReadLine]], in_pdf: bool) -> Paragraph:
    text = ""
    for _, ln in para:
        text = join(text, ln.text)
    page = para[0][0]
    same = [ln.box for p, ln in para if p is page]
    box = (
        min(b[0] for b in same),
        min(b[1] for b in same),
        max(b[2] for b in same),
        max(b[3] for b in same),
    )
    return Paragraph(text, _where(page, box, in_pdf))


# ---------------------------------------------------------------- tables


def _table(parts: list[_Part], index: int, in_pdf: bool) -> Table:
    xs = _union([x for p in parts for x in p.table.grid.xs])
    placed: list[tuple[int, int, int, int, _Part, ReadCell]] = []  # r0, r1, c0, c1
    offset = 0
    for k, part in enumerate(parts):
        grid = part.table.grid
        col = [_nearest(xs, x) for x in grid.xs]
        mine = []
        for rc in part.table.cells:
            g = rc.cell
            mine.append(
                (
                    offset + g.row,
                    offset + g.row + g.rowspan,
                    col[g.col],
                    col[g.col + g.colspan],
                    part,
                    rc,
                )
            )
        if k:  # a cell left open at the break continues the one above it
            mine = _join_open(placed, mine, offset)
        placed += mine
        offset += len(grid.ys) - 1
    n_rows, n_cols = offset, len(xs) - 1
    grid_cells: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for r0, r1, c0, c1, part, rc in sorted(placed, key=lambda t: (t[0], t[2])):
        if c1 <= c0 or r1 <= r0:
            continue
        spots = [(r, c) for r in range(r0, r1) for c in range(c0, c1)]
        if any(grid_cells[r][c] is not None for r, c in spots):
            continue
        where = _where(part.page, rc.cell.box, in_pdf, table=index, row=r0, col=c0)
        where.conf, where.alts = rc.conf, rc.alts
        span = {"colspan": c1 - c0, "rowspan": r1 - r0}
        for r, c in spots:
            grid_cells[r][c] = Cell(rc.text, where, merged=(r, c) != (r0, c0), **span)
    rows: list[list[Cell]] = []
    first = parts[0]
    for r, row in enumerate(grid_cells):
        out_row: list[Cell] = []
        for c, found in enumerate(row):
            if found is None:
                found = Cell("", Where(page=first.page.number, table=index, row=r, col=c))
            out_row.append(found)
        rows.append(out_row)
    where = _where(first.page, first.table.grid.box, in_pdf, table=index)
    return Table(rows, where, grid=True)


def _join_open(
    placed: list[tuple[int, int, int, int, _Part, ReadCell]],
    mine: list[tuple[int, int, int, int, _Part, ReadCell]],
    offset: int,
) -> list[tuple[int, int, int, int, _Part, ReadCell]]:
    out = []
    for item in mine:
        r0, r1, c0, c1, _, rc = item
        if r0 == offset and rc.cell.open_top:
            for i, (q0, q1, d0, d1, qpart, qrc) in enumerate(placed):
                if q1 == offset and qrc.cell.open_bottom and (d0, d1) == (c0, c1):
                    text = join(qrc.text, rc.text)
                    merged = ReadCell(qrc.cell, text, None, None)
                    placed[i] = (q0, r1, d0, d1, qpart, merged)
                    break
            else:
                out.append(item)
            continue
        out.append(item)
    return out


def _union(xs: list[int]) -> list[int]:
    out: list[list[int]] = []
    for x in sorted(xs):
        if out and x - out[-1][-1] <= _COLUMN_TOLERANCE:
            out[-1].append(x)
        else:
            out.append([x])
    return [round(sum(c) / len(c)) for c in out]


def _nearest(xs: list[int], x: int) -> int:
    return min(range(len(xs)), key=lambda i: abs(xs[i] - x))
