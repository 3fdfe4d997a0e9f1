"""Where things stand on a page image: ruling lines, table grids, text lines.

* Ink: an adaptive threshold, so faint grey rulings and light cell fills are told apart
  (a fill is as light as its surroundings; a line is darker than its own).
* Rulings: long thin runs of ink kept by a morphological opening, short gaps (JPEG
  blur, a seal taken out) closed.  A table is a connected set of rulings with at least
  one cell; a dash in the text touches no vertical ruling and is not a table.
* Grid: the table's row and column lines; two neighbouring grid positions belong to one
  cell where no ruling stands between them (merged cells).  A table whose bottom or top
  border is missing (cut at a page break) is closed where its vertical rulings end.
* Text lines: rows of ink separated by blank rows, cut where a gap is wide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# lengths in pixels at the working resolution (200 dpi: 1 mm = 7.9 px)
MIN_RULING = 40  # a ruling is at least this long (5 mm)
GAP_BRIDGE = 15  # gaps in a ruling up to this are closed
SNAP = 8  # rulings closer than this are one
MIN_CELL = 12  # a row or column narrower than this is a doubled ruling
PRESENT = 0.6  # the share of a grid edge a ruling must cover to separate two cells
LINE_BAND = 5  # a ruling's half-thickness looked at when testing an edge
INSET = 4  # pixels inside a cell's borders where its text starts
HOLES = 2  # on a grainy page: pixels missing along a ruling that are bridged


Box = tuple[int, int, int, int]  # x0, top, x1, bottom (x1, bottom exclusive)


@dataclass(slots=True)
class GridCell:
    box: Box
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    open_top: bool = False  # its top border was made up (the table was cut above)
    open_bottom: bool = False


@dataclass(slots=True)
class Grid:
    box: Box
    xs: list[int]
    ys: list[int]
    cells: list[GridCell] = field(default_factory=list)
    extent: Box | None = None  # the box of all its rulings (some may reach past ``box``)


def ink(gray: Any) -> Any:
    """Binary ink mask (255 where dark) of a grey page."""
    import cv2

    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 35, 18
    )


def rulings(mask: Any, holes: int = 0) -> tuple[Any, Any]:
    """Masks of the horizontal and vertical rulings; ``holes``: pixels missing along a
    ruling (grain) up to this are bridged first, and then a horizontal ruling is twice
    as long (bridged, the strokes of characters set side by side could make up a short
    one; lines of text are further apart)."""
    import cv2

    across, length = mask, MIN_RULING
    if holes:
        length = 2 * MIN_RULING
        across = cv2.morphologyEx(
            mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (holes + 1, 1))
        )
        mask = cv2.morphologyEx(
            mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, holes + 1))
        )
    h = cv2.morphologyEx(
        across, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))
    )
    h = cv2.morphologyEx(
        h, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (GAP_BRIDGE, 1))
    )
    v = cv2.morphologyEx(
        mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, MIN_RULING))
    )
    v = cv2.morphologyEx(
        v, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, GAP_BRIDGE))
    )
    return h, v


def grids(h: Any, v: Any) -> list[Grid]:
    """The tables the rulings draw, top to bottom."""
    import cv2

    both = cv2.dilate(cv2.bitwise_or(h, v), cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    out: list[Grid] = []
    for i in range(1, n):
        x, y, w, hh, _ = (int(s) for s in stats[i])
        if w < 3 * MIN_RULING or hh < MIN_RULING:
            continue
        grid = _grid(h, v, (x, y, x + w, y + hh))
        if grid is not None:
            grid.extent = (x, y, x + w, y + hh)
            out.append(grid)
    out.sort(key=lambda g: (g.box[1], g.box[0]))
    return out


def _segments(mask: Any, box: Box, horizontal: bool) -> list[tuple[int, int, int]]:
    """(position, start, end) of each ruling of ``mask`` inside ``box``."""
    import cv2

    x0, y0, x1, y1 = box
    part = mask[y0:y1, x0:x1]
    n, _, stats, _ = cv2.connectedComponentsWithStats(part, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, hh, _ = (int(s) for s in stats[i])
        if horizontal and w >= MIN_RULING:
            out.append((y0 + y + hh // 2, x0 + x, x0 + x + w))
        elif not horizontal and hh >= MIN_RULING:
            out.append((x0 + x + w // 2, y0 + y, y0 + y + hh))
    return out


def _cluster(values: list[int]) -> list[int]:
    out: list[list[int]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    merged = [round(sum(c) / len(c)) for c in out]
    kept: list[int] = []
    for v in merged:
        if kept and v - kept[-1] < MIN_CELL:
            continue
        kept.append(v)
    return kept


def _grid(h: Any, v: Any, box: Box) -> Grid | None:
    hs = _segments(h, box, True)
    vs = _segments(v, box, False)
    if len(vs) < 2 or not hs:
        return None
    ys = _cluster([s[0] for s in hs])
    xs = _cluster([s[0] for s in vs])
    if len(xs) < 2:
        return None
    # a side border missing (the table runs off the page's edge, a corner turned out of
    # the scan): the row rulings run past the last column line
    past = [s[2] for s in hs if s[2] - xs[-1] > MIN_CELL * 2]
    if len(past) >= 2:
        xs.append(max(past))
    past = [s[1] for s in hs if xs[0] - s[1] > MIN_CELL * 2]
    if len(past) >= 2:
        xs.insert(0, min(past))
    # a border missing at a page break: the vertical rulings run past the last row line
    top_open = bottom_open = False
    v_top = min(s[1] for s in vs)
    v_bottom = max(s[2] for s in vs)
    if v_bottom - ys[-1] > MIN_CELL * 2:
        ys.append(v_bottom)
        bottom_open = True
    if ys[0] - v_top > MIN_CELL * 2:
        ys.insert(0, v_top)
        top_open = True
    if len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1

    # the edges without a ruling: right[r][c] between (r, c) and (r, c + 1), down[r][c]
    # between (r, c) and (r + 1, c)
    right = [
        [not _covered(v, xs[c + 1], ys[r], ys[r + 1], vertical=True) for c in range(n_cols - 1)]
        for r in range(n_rows)
    ]
    down = [
        [not _covered(h, ys[r + 1], xs[c], xs[c + 1], vertical=False) for c in range(n_cols)]
        for r in range(n_rows - 1)
    ]
    parent = list(range(n_rows * n_cols))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and right[r][c]:
                parent[root(r * n_cols + c)] = root(r * n_cols + c + 1)
            if r + 1 < n_rows and down[r][c]:
                parent[root(r * n_cols + c)] = root((r + 1) * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(root(r * n_cols + c), []).append((r, c))
    grid = Grid((xs[0], ys[0], xs[-1], ys[-1]), xs, ys)
    taken = [[False] * n_cols for _ in range(n_rows)]
    for r0 in range(n_rows):
        for c0 in range(n_cols):
            if taken[r0][c0]:
                continue
            r1, c1 = _extent(groups[root(r0 * n_cols + c0)], r0, c0, right, down, taken)
            for r in range(r0, r1):
                taken[r][c0:c1] = [True] * (c1 - c0)
            grid.cells.append(
                GridCell(
                    (xs[c0], ys[r0], xs[c1], ys[r1]),
                    r0,
                    c0,
                    r1 - r0,
                    c1 - c0,
                    open_top=top_open and r0 == 0,
                    open_bottom=bottom_open and r1 == n_rows,
                )
            )
    if len(grid.cells) < 1 or (n_rows == 1 and n_cols == 1 and not _closed(h, grid)):
        return None
    return grid


def _extent(
    members: list[tuple[int, int]],
    r0: int,
    c0: int,
    right: list[list[bool]],
    down: list[list[bool]],
    taken: list[list[bool]],
) -> tuple[int, int]:
    """The end row and column (exclusive) of the cell whose top left is (r0, c0): its
    whole group of joined positions when that is a rectangle; else (rulings partly
    missing: a ring around a ruled box, an L) the rectangle grown from (r0, c0) to the
    right, then down, over edges without a ruling."""
    rows = [r for r, _ in members]
    cols = [c for _, c in members]
    r1, c1 = max(rows) + 1, max(cols) + 1
    if (min(rows), min(cols)) == (r0, c0) and len(members) == (r1 - r0) * (c1 - c0):
        return r1, c1
    c1 = c0 + 1
    while c1 < len(taken[r0]) and not taken[r0][c1] and right[r0][c1 - 1]:
        c1 += 1
    r1 = r0 + 1
    while r1 < len(taken) and all(
        not taken[r1][c] and down[r1 - 1][c] and (c == c0 or right[r1][c - 1])
        for c in range(c0, c1)
    ):
        r1 += 1
    return r1, c1


def _closed(h: Any, grid: Grid) -> bool:
    """A single box: a table only if both its top and bottom are ruled."""
    x0, y0, x1, y1 = grid.box
    return _covered(h, y0, x0, x1, vertical=False) and _covered(h, y1, x0, x1, vertical=False)


def _covered(mask: Any, at: int, a: int, b: int, vertical: bool) -> bool:
    """Whether a ruling covers most of the edge from ``a`` to ``b`` at ``at``."""
    lo, hi = a + LINE_BAND, b - LINE_BAND
    if hi <= lo:
        return True
    band = (
        mask[lo:hi, max(at - LINE_BAND, 0) : at + LINE_BAND + 1]
        if vertical
        else (mask[max(at - LINE_BAND, 0) : at + LINE_BAND + 1, lo:hi])
    )
    if band.size == 0:
        return False
    hit = band.max(axis=1 if vertical else 0) > 0
    return float(hit.mean()) >= PRESENT


def text_lines(
    mask: Any, box: Box, min_height: int = 6, gap: float = 3.0, unit: int = 0
) -> list[Box]:
    """The text lines inside ``box`` of an ink mask, top to bottom: bands of rows with
    ink, each cut into pieces where a horizontal gap is wider than ``gap`` line heights
    (the band's, or ``unit`` pixels when given: a band of several lines side by side)."""
    import numpy as np

    x0, y0, x1, y1 = box
    part = mask[y0:y1, x0:x1]
    if part.size == 0:
        return []
    rows = part.max(axis=1) > 0
    bands = _runs(rows, join=2)
    out: list[Box] = []
    heights = [b - a for a, b in bands if b - a >= min_height]
    if not heights:
        return []
    typical = float(np.median(heights))
    # a band much thinner than its neighbours' text is a stroke of the same line (二, 三)
    bands = _merge_thin(bands, typical)
    for a, b in bands:
        if b - a < min_height:
            continue
        cols = part[a:b].max(axis=0) > 0
        pieces = _runs(cols, join=max(3, int(gap * (unit or b - a))))
        for c0, c1 in pieces:
            if c1 - c0 < 3:
                continue
            out.append((x0 + c0, y0 + a, x0 + c1, y0 + b))
    return out


def _runs(flags: Any, join: int) -> list[tuple[int, int]]:
    """[start, end) runs of True, runs closer than ``join`` joined."""
    import numpy as np

    padded = np.concatenate(([False], flags, [False]))
    diff = np.diff(padded.astype(np.int8))
    starts = np.nonzero(diff == 1)[0]
    ends = np.nonzero(diff == -1)[0]
    out: list[tuple[int, int]] = []
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        if out and s - out[-1][1] < join:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _merge_thin(bands: list[tuple[int, int]], typical: float) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in bands:
        if out and (b - a < 0.45 * typical or out[-1][1] - out[-1][0] < 0.45 * typical):
            pa, pb = out[-1]
            if a - pb < 0.35 * typical and b - pa < 1.5 * typical:
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out
