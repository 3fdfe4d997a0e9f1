"""A page scanned sideways (90°, 270°) or upside down (180°) turned upright.

Two questions, each answered cheaply:

* **which axis the text lines run along** — the page's ink (rulings taken out) smudged
  a little along each axis in turn: along the lines the characters of a line run into
  one piece, across them they stay apart (lines are further apart than characters), so
  the axis that makes far fewer pieces is the lines' (a label in a table cell too);
* **which way up** — the longest of those lines recognised as they stand and turned
  half round, in one call of the recogniser: Chinese read upside down is read with far
  less confidence (a line of digits alone can read both ways, so the lines with the
  most characters are taken).
"""

from __future__ import annotations

from typing import Any

from . import layout

MIN_LINE, MAX_LINE = 10, 90  # a text line's height at WORK_DPI (5-30 pt)
LONG = 4  # a text line is at least this many times longer than high
SAMPLE = 3  # lines recognised (both ways up unless the first is sure)
SURE_CHARS, SURE_CONF = 8, 0.95  # so many characters read this surely: the right way up
PIECE = 10  # of each, this many line heights (about ten characters)
SURE = 1.3  # the page is sideways when smudging down makes this many times fewer pieces
SMUDGE = 6  # pixels at half the working resolution: a third of a 10.5 pt character


def upright(gray: Any) -> tuple[Any, int]:
    """``gray`` turned upright, and the quarter turns (counter-clockwise) it was given."""
    import numpy as np

    mask = layout.ink(gray)
    h, v = layout.rulings(mask)
    text = mask.copy()
    text[(h > 0) | (v > 0)] = 0
    quarter = 1 if _sideways(text) else 0
    lines = _lines(np.rot90(text) if quarter else text)
    if not lines:
        return gray, 0
    page = np.rot90(gray, quarter) if quarter else gray
    if _upside_down(page, lines):
        quarter = (quarter + 2) % 4
        page = np.rot90(gray, quarter)
    return (np.ascontiguousarray(page) if quarter else gray), quarter


def _sideways(text: Any) -> bool:
    """Whether the characters stand closer one over the other than side by side: the
    ink (at half size) smudged a third of a character along each axis in turn, the
    pieces it makes counted — along the lines, a line's characters become one."""
    import cv2
    import numpy as np

    small = cv2.resize(text, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    small = (small > 0).astype(np.uint8)
    if int(small.sum()) < 200:
        return False
    along = cv2.dilate(small, np.ones((1, SMUDGE), np.uint8))
    across = cv2.dilate(small, np.ones((SMUDGE, 1), np.uint8))
    n_along = cv2.connectedComponents(along, connectivity=8)[0]
    n_across = cv2.connectedComponents(across, connectivity=8)[0]
    return bool(n_across * SURE < n_along)


def _lines(mask: Any) -> list[layout.Box]:
    found = layout.text_lines(mask, (0, 0, mask.shape[1], mask.shape[0]))
    return [
        b
        for b in found
        if MIN_LINE <= b[3] - b[1] <= MAX_LINE and b[2] - b[0] >= LONG * (b[3] - b[1])
    ]


def _upside_down(page: Any, lines: list[layout.Box]) -> bool:
    from .engine import recognizer

    sample = sorted(lines, key=lambda b: (b[2] - b[0]) / (b[3] - b[1]), reverse=True)[:SAMPLE]
    crops = []
    for x0, y0, x1, y1 in sample:
        pad = max(4, (y1 - y0) // 4)
        x1 = min(x1, x0 + PIECE * (y1 - y0))  # a few characters tell as well as a line
        crops.append(page[max(y0 - pad, 0) : y1 + pad, max(x0 - pad, 0) : x1 + pad])
    ahead = [c.conf for r in recognizer().read(crops) for c in r.chars]
    if len(ahead) >= SURE_CHARS and sum(ahead) / len(ahead) >= SURE_CONF:
        return False  # read surely as it stands: no need to try it the other way up
    turned = [c.conf for r in recognizer().read([c[::-1, ::-1] for c in crops]) for c in r.chars]
    return sum(turned) > sum(ahead)
