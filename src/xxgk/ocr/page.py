"""One page image read: its table grids with each cell's text, and its other text lines.

Each cell's text lines are cut from the page (rulings taken out) and recognised one by
one, which is faster than finding text over the whole page and surer of a lone digit;
the text outside tables is cut into lines the same way.  All crops of a page go to the
recogniser in one call.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..readers.document import ReadError
from . import digits, layout
from .engine import Reading, recognizer
from .image import NOISY, PageImage, denoised, prepare

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


def read_pages(
    images: Iterable[tuple[int, Any, float | None]],
) -> tuple[list[PageRead], list[int]]:
    """The pages (number, image, dpi) read, and the numbers of those that could not be:
    an unforeseen failure on one page costs that page (the caller's note names it),
    never the file (XXGK_DEBUG=1 prints its traceback)."""
    read: list[PageRead] = []
    failed: list[int] = []
    for number, image, dpi in images:
        try:
            read.append(read_page(prepare(image, number, dpi)))
        except ReadError:
            raise
        except Exception:
            if os.environ.get("XXGK_DEBUG"):
                traceback.print_exc(file=sys.stderr)
            failed.append(number)
    return read, failed


def failed_note(failed: list[int]) -> str:
    """The words of a note on the pages whose reading failed ("" when none did)."""
    if not failed:
        return ""
    return f"第 {'、'.join(map(str, failed))} 页识别时出错，未读取（请把这个文件报告给维护者）"


def read_page(page: PageImage) -> PageRead:
    import cv2
    import numpy as np

    gray = page.gray
    if page.noise >= NOISY:  # grain: text from a smoothed page, rulings bridged over holes
        raw = layout.ink(gray)
        gray = denoised(gray, page.noise)
        mask = layout.ink(gray)
        h, v = layout.rulings(raw, holes=layout.HOLES)
    else:
        mask = layout.ink(gray)
        h, v = layout.rulings(mask)
    grids = layout.grids(h, v)
    # the rulings of the tables (a long stroke of a large character is no ruling)
    lines = cv2.dilate(cv2.bitwise_or(h, v), np.ones((5, 5), np.uint8))
    ruled = np.zeros_like(lines)
    for g in grids:
        x0, y0, x1, y1 = g.extent or g.box
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
    per_cell: dict[tuple[int, int], list[tuple[Reading, layout.Box]]] = {}
    for owner, box, reading in zip(owners, boxes, readings, strict=True):
        if not reading.text.strip():
            # ink of a character's size, nothing read: a doubt in the cell, never a blank
            if owner[0] >= 0 and box[3] - box[1] >= MIN_GLYPH and box[2] - box[0] >= MIN_GLYPH // 2:
                per_cell.setdefault(owner, []).append((reading, box))
            continue
        if owner[0] < 0:
            out.lines.append(ReadLine(tidy(reading.text), box, box[3] - box[1]))
        else:
            per_cell.setdefault(owner, []).append((reading, box))
    for (ti, ci), found in per_cell.items():
        _fill(tables[ti].cells[ci], found)
    return out


def _fill(rc: ReadCell, pieces: list[tuple[Reading, layout.Box]]) -> None:
    found = [r for r, _ in pieces if r.text.strip()]
    if len(found) < len(pieces):  # a mark of a character's size that nothing was read in
        if not found or digits.pieces_of_a_number(found):
            rc.text = " ".join(r.text.strip() for r in found)
            rc.conf, rc.alts = 0.0, digits.pieced_candidates(found) if found else ()
            return
        pieces = [(r, b) for r, b in pieces if r.text.strip()]  # words and a mark
    if len(found) == 1 and digits.numeric(found[0]):
        reading = digits.edged(found[0])
        rc.text = digits.number_text(reading)
        rc.conf = digits.confidence(reading)
        box = next(b for r, b in pieces if r is found[0])
        if box[3] - box[1] < MIN_GLYPH:  # smaller than any printed digit: a speck
            rc.conf = 0.0
        if rc.conf < digits.MIN_CONF:
            rc.alts = digits.candidates(reading)
        return
    clean = digits.speckled(found[0]) if len(found) == 1 else None
    if clean is not None:  # a number beside specks read as characters: a doubt
        rc.text, rc.conf = tidy(found[0].text), 0.0
        rc.alts = digits.candidates(digits.edged(clean))
        return
    if len(found) == 1 and digits.garbled(found[0]):
        rc.text, rc.conf, rc.alts = found[0].text.strip(), 0.0, digits.candidates(found[0])
        return
    if rc.cell.rowspan == 1 and _wrapped_number(pieces):  # "2" over "6" in a narrow cell
        # (a cell over several rows may be the numbers of rows whose ruling was lost)
        readings = [digits.edged(r) for r, _ in pieces]
        rc.text = "".join(digits.number_text(r) for r in readings)
        rc.conf = min(digits.confidence(r) for r in readings)
        return
    text = ""
    for r in found:
        text = join(text, tidy(r.text))
    rc.text = text
    if len(found) > 1 and digits.pieces_of_a_number(found):
        # several pieces of marks and digits ("0" and a speck read "2"): which of them
        # is the number is no reading at all; the arithmetic may decide among them
        rc.conf, rc.alts = 0.0, digits.pieced_candidates(found)


def _wrapped_number(pieces: list[tuple[Reading, layout.Box]]) -> bool:
    """Whether the pieces are the lines of one number wrapped in its cell: each line
    digits only, read surely, of one height, one under the other, starting together."""
    if len(pieces) < 2:
        return False
    texts = []
    for reading, _ in pieces:
        edged = digits.edged(reading)
        texts.append(digits.number_text(edged))
        if not texts[-1].isdigit() or digits.confidence(edged) < digits.MIN_CONF:
            return False
    if texts[0].startswith("0"):  # "0" over "10" is no number 010
        return False
    boxes = [b for _, b in pieces]
    heights = [b[3] - b[1] for b in boxes]
    if min(heights) < MIN_GLYPH or min(heights) < 0.75 * max(heights):
        return False
    for above, below in itertools.pairwise(boxes):
        if below[1] < above[3] or below[1] - above[3] > 3 * max(heights):  # line spacing
            return False
        if abs(below[0] - above[0]) > max(heights) // 2:
            return False
    return True


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


_WIDE = "\u2e80-\U0010ffff，。；：、（）《》“”"
_WIDE_GAP = re.compile(f"(?<=[{_WIDE}]) +(?=[{_WIDE}])")


def tidy(text: str) -> str:
    """A line's text as printed: the recogniser's spaces between two Chinese characters or
    marks ("一、 总体情况") are no part of it."""
    return _WIDE_GAP.sub("", text.strip())


def join(left: str, right: str) -> str:
    """Two pieces of one text: no space between two CJK characters, else one space."""
    if not left:
        return right
    if not right:
        return left
    if _wide(left[-1]) and _wide(right[0]):
        return left + right
    return left + " " + right
