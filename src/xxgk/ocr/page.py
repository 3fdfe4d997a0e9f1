"""One page image read: its table grids with each cell's text, and its other text lines.

Each cell's text lines are cut from the page (rulings taken out) and recognised one by
one, which is faster than finding text over the whole page and surer of a lone digit;
the text outside tables is cut into lines the same way.  All crops of a page go to the
recogniser in one call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import digits, layout
from .engine import Reading, recognizer
from .image import PageImage

MIN_SPECK = 8  # ink components smaller than this (pixels) are noise
MIN_GLYPH = 14  # ink this tall (pixels) in a cell is a character, read or not


@dataclass(slots=True)
class ReadCell:
    cell: layout.GridCell
    text: str = ""
    conf: float | None = None  # numeric cells: the recogniser's confidence
    alts: tuple[str, ...] | None = None  # numeric cells read with doubt: the candidates


@dataclass(slots=True)
class ReadTable:
    grid: layout.Grid
    cells: list[ReadCell]


@dataclass(slots=True)
class ReadLine:
    text: str
    box: layout.Box
    height: int


@dataclass(slots=True)
class PageRead:
    number: int
    width: int  # work pixels
    height: int
    scale: float  # work pixels per pixel of the image as given
    tables: list[ReadTable] = field(default_factory=list)
    lines: list[ReadLine] = field(default_factory=list)


def read_page(page: PageImage) -> PageRead:
    import cv2
    import numpy as np

    gray = page.gray
    mask = layout.ink(gray)
    h, v = layout.rulings(mask)
    grids = layout.grids(h, v)
    # the rulings of the tables (a long stroke of a large character is no ruling)
    lines = cv2.dilate(cv2.bitwise_or(h, v), np.ones((5, 5), np.uint8))
    ruled = np.zeros_like(lines)
    for g in grids:
        x0, y0, x1, y1 = g.box
        area = (slice(max(y0 - 8, 0), y1 + 8), slice(max(x0 - 8, 0), x1 + 8))
        ruled[area] = lines[area]
    text = _despeckle(cv2.bitwise_and(mask, cv2.bitwise_not(ruled)))
    clean = gray.copy()
    clean[ruled > 0] = 255

    crops: list[Any] = []
    owners: list[tuple[int, int]] = []  # (table, cell) of each crop; (-1, -1) outside tables
    boxes: list[layout.Box] = []
    tables = [ReadTable(g, [ReadCell(c) for c in g.cells]) for g in grids]
    for ti, table in enumerate(tables):
        for ci, rc in enumerate(table.cells):
            x0, y0, x1, y1 = rc.cell.box
            inset = (x0 + layout.INSET, y0 + layout.INSET, x1 - layout.INSET, y1 - layout.INSET)
            for box in layout.text_lines(text, inset):
                crops.append(_crop(clean, box))
                owners.append((ti, ci))
                boxes.append(box)
    outside = text.copy()
    for g in grids:
        x0, y0, x1, y1 = g.box
        outside[max(y0 - 6, 0) : y1 + 6, max(x0 - 6, 0) : x1 + 6] = 0
    for box in layout.text_lines(outside, (0, 0, gray.shape[1], gray.shape[0])):
        crops.append(_crop(clean, box))
        owners.append((-1, -1))
        boxes.append(box)
    readings = recognizer().read(crops) if crops else []

    out = PageRead(page.number, gray.shape[1], gray.shape[0], page.scale, tables)
    per_cell: dict[tuple[int, int], list[Reading]] = {}
    unread: set[tuple[int, int]] = set()  # cells with ink of a digit's size but no text read
    for owner, box, reading in zip(owners, boxes, readings, strict=True):
        if not reading.text.strip():
            if owner[0] >= 0 and box[3] - box[1] >= MIN_GLYPH and box[2] - box[0] >= MIN_GLYPH // 2:
                unread.add(owner)
            continue
        if owner[0] < 0:
            out.lines.append(ReadLine(reading.text.strip(), box, box[3] - box[1]))
        else:
            per_cell.setdefault(owner, []).append(reading)
    for (ti, ci), found in per_cell.items():
        _fill(tables[ti].cells[ci], found)
    for ti, ci in unread - per_cell.keys():  # ink, but nothing read: never a blank cell
        tables[ti].cells[ci].conf, tables[ti].cells[ci].alts = 0.0, ()
    return out


def _fill(rc: ReadCell, found: list[Reading]) -> None:
    if len(found) == 1 and digits.numeric(found[0]):
        reading = digits.edged(found[0])
        rc.text = digits.number_text(reading)
        rc.conf = digits.confidence(reading)
        if rc.conf < digits.MIN_CONF:
            rc.alts = digits.candidates(reading)
        return
    if len(found) == 1 and digits.garbled(found[0]):
        rc.text, rc.conf, rc.alts = found[0].text.strip(), 0.0, digits.candidates(found[0])
        return
    text = ""
    for r in found:
        text = join(text, r.text.strip())
    rc.text = text


def _crop(gray: Any, box: layout.Box) -> Any:
    x0, y0, x1, y1 = box
    pad = max(4, (y1 - y0) // 4)
    return gray[max(y0 - pad, 0) : y1 + pad, max(x0 - pad, 0) : x1 + pad]


def _despeckle(mask: Any) -> Any:
    import cv2
    import numpy as np

    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    small = np.nonzero(stats[:, cv2.CC_STAT_AREA] < MIN_SPECK)[0]
    if len(small) <= 1:
        return mask
    keep = np.ones(n, dtype=bool)
    keep[small] = False
    keep[0] = False
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def _wide(ch: str) -> bool:
    return ch >= "\u2e80" or ch in "，。；：、（）《》“”"


def join(left: str, right: str) -> str:
    """Two pieces of one text: no space between two CJK characters, else one space."""
    if not left:
        return right
    if not right:
        return left
    if _wide(left[-1]) and _wide(right[0]):
        return left + right
    return left + " " + right
