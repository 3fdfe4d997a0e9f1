"""Pictures of tables without rulings (a screenshot of an Excel range without borders),
read as grids.

A picture in which no ruled grid was found is looked at first without OCR: its ink cut
into text lines, and each line into pieces wherever a gap is wider than a line height
(a column's gap; the characters of a word or a number stand much closer).  Only a
picture with at least MIN_ROWS lines of MIN_PIECES pieces or more — text in columns —
is read: each piece by the recogniser, the lines then handed to the PDF reader's
unruled-table finder (:func:`xxgk.readers.pdf_columns.find_grids`, each piece one
"character" with its box), which takes only a clear alignment with columns of numbers.
A photograph is no paper (``pictures.paper``), a logo or a chart has no rows of pieces
in columns of numbers: none of them adds a table.  A number read with doubt is a doubt
as in a ruled cell (``page._fill``): never a guess.
"""

from __future__ import annotations

from typing import Any

from ..readers import pdf_columns
from . import layout
from .image import WORK_DPI, prepare
from .page import (
    MIN_GLYPH,
    PageRead,
    ReadCell,
    ReadLine,
    ReadTable,
    _crop,
    _despeckle,
    _fill,
    join,
    tidy,
)

MIN_ROWS = 3  # lines of pieces in columns that make a picture worth reading
MIN_PIECES = 3
PIECE_GAP = 1.0  # line heights: a wider gap separates two cells' text
TABULAR_GAP = 1.5  # line heights: a line with a gap this wide is a table's row


def read_unruled(image: Any, number: int) -> PageRead | None:
    """The picture ``image`` (RGB, at WORK_DPI) read as an unruled table, or None when it
    does not look like one (no OCR then) or no clear grid was found in it."""
    from .engine import recognizer

    page = prepare(image, number, WORK_DPI)
    gray = page.gray
    text = _despeckle(layout.ink(gray))
    whole = (0, 0, gray.shape[1], gray.shape[0])
    lines_only = layout.text_lines(text, whole, gap=1e6)  # (whole lines: their heights)
    if len(lines_only) < MIN_ROWS:
        return None
    unit = sorted(b[3] - b[1] for b in lines_only)[len(lines_only) // 2]  # a line's height
    pieces = layout.text_lines(text, whole, gap=PIECE_GAP, unit=unit)
    # each piece cut into its own lines (a label wrapped in its cell beside a number
    # centred in the row's band), and those put back into lines across the picture
    boxes = [ln for box in pieces for ln in layout.text_lines(text, box, gap=PIECE_GAP, unit=unit)]
    rows = _rows(boxes)
    if sum(len(row) >= MIN_PIECES for row in rows) < MIN_ROWS:
        return None  # (no text in columns: not read)
    readings = recognizer().read([_crop(gray, b) for b in boxes])
    read = dict(zip(boxes, readings, strict=True))
    lines: list[pdf_columns.Line] = []
    unread: list[tuple[Any, layout.Box]] = []  # ink of a character's size, nothing read
    for row in rows:
        kept = []
        for b in row:
            if read[b].text.strip():
                kept.append(b)
            elif b[3] - b[1] >= MIN_GLYPH and b[2] - b[0] >= MIN_GLYPH // 2:
                unread.append((read[b], b))
        if kept:
            texts = [tidy(read[b].text) for b in kept]
            fboxes = [(float(b[0]), float(b[1]), float(b[2]), float(b[3])) for b in kept]
            top, bottom = min(b[1] for b in fboxes), max(b[3] for b in fboxes)
            lines.append(
                pdf_columns.Line(texts, fboxes, (fboxes[0][0], top, fboxes[-1][2], bottom))
            )
    grids = pdf_columns.find_grids(lines, TABULAR_GAP)
    if not grids:
        return None
    out = PageRead(number, gray.shape[1], gray.shape[0], page.scale)
    taken: set[int] = set()
    for grid in grids:
        taken.update(grid.lines)
        out.tables.append(_table(grid, lines, read, unread))
    for k, line in enumerate(lines):
        if k in taken:
            continue
        words = ""
        for t in line.texts:
            words = join(words, t)
        x0, top, x1, bottom = (round(v) for v in line.box)
        out.lines.append(ReadLine(words, (x0, top, x1, bottom), bottom - top))
    return out


def _table(
    grid: pdf_columns.UnruledGrid,
    lines: list[pdf_columns.Line],
    read: dict[layout.Box, Any],
    unread: list[tuple[Any, layout.Box]],
) -> ReadTable:
    xs = [round(x) for x in grid.xs]
    ys = [round(y) for y in grid.ys]
    cells: list[ReadCell] = []
    for gc in grid.cells:
        box = (xs[gc.c0], ys[gc.row], xs[gc.c1], ys[gc.row + 1])
        rc = ReadCell(layout.GridCell(box, gc.row, gc.c0, colspan=gc.c1 - gc.c0))
        pieces = []
        for li, ci in gc.chars:
            b = lines[li].boxes[ci]
            ib = (round(b[0]), round(b[1]), round(b[2]), round(b[3]))
            pieces.append((read[ib], ib))
        for reading, b in unread:  # a mark nothing was read in: a doubt in its cell
            cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
            if box[0] <= cx < box[2] and box[1] <= cy < box[3]:
                pieces.append((reading, b))
        if pieces:
            _fill(rc, pieces)
        cells.append(rc)
    box = (xs[0], ys[0], xs[-1], ys[-1])
    return ReadTable(layout.Grid(box, xs, ys, [rc.cell for rc in cells]), cells)


def _rows(boxes: list[layout.Box]) -> list[list[layout.Box]]:
    """Text-line boxes grouped into lines across the picture, top to bottom: a box joins
    the line its middle falls in when they overlap by half the lower one's height; each
    line left to right."""
    rows: list[tuple[int, int, list[layout.Box]]] = []  # top, bottom, boxes
    for b in sorted(boxes, key=lambda b: ((b[1] + b[3]) / 2, b[0])):
        middle = (b[1] + b[3]) / 2
        if rows:
            top, bottom, found = rows[-1]
            overlap = min(bottom, b[3]) - max(top, b[1])
            if top <= middle <= bottom and overlap >= 0.5 * min(b[3] - b[1], bottom - top):
                found.append(b)
                rows[-1] = (min(top, b[1]), max(bottom, b[3]), found)
                continue
        rows.append((b[1], b[3], [b]))
    return [sorted(found) for _, _, found in rows]
