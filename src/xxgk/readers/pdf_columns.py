"""Unruled PDF tables: text lines whose cells are separated by wide gaps, read as a grid.

A report printed without table borders has no rulings to find cells by; its table rows
come out of the page as text lines such as ``规章   15         1``.  Read as a paragraph,
an empty cell leaves no trace and the values after it move one column to the left.
This module finds such tables by geometry alone (it knows nothing of the report
format):

* a *run* is a sequence of consecutive, closely spaced text lines of which at least
  three are *tabular* (their widest gap between characters is wide, as the PDF reader
  measures it); short lines between them (a label wrapped inside its cell, a table
  title) belong to the run, trailing ones do not;
* each line is cut into cells at gaps wider than a space;
* the cells' x-extents are clustered into columns over the whole run, narrowest cells
  first, so a header cell spanning several columns becomes a merged cell instead of
  joining them;
* a line touching the row above joins it (a value line centred beside a label wrapped
  over two lines, the next line of a wrapped label) unless both hold numbers; after
  the numbers, a text line joins only when no line touching it from below has text in
  its columns (else it may start the next row: it stays a row of its own) or when, the
  rows standing clearly apart, it continues a piece of the row right above it; so a row's numbers all come
  from one line and a label never takes the numbers of the row above;
* except a number wrapped in its narrow cell (``_stacks``): a piece under a number of
  the same column that could not go on beside it, touching its line closer than any
  two rows of the column stand, on a line without a label of its own, goes on with it
  (every line in between joins the row); where the rows stand as close, the number
  is in doubt instead (``GridCell.alts``), never joined by a guess.

Only a clear alignment becomes a grid: when a cell holding a digit overlaps a column
that holds numbers and another column, two numbers of one line fall in one column, or
a number stands alone in its column (a stray cell that would add a column) or a column
without numbers stands between two with numbers in an uneven grid (text cut finer than
the columns; in an even grid it is a column every row left empty), the
run is left alone (its lines stay paragraphs) rather than risk a number in the
wrong column.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["GridCell", "Line", "UnruledGrid", "find_grids", "widest_gap"]

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

MIN_TABULAR_LINES = 3  # a run needs this many tabular lines
MIN_COLUMNS = 3
MIN_VALUE_COLUMNS = 2
_CUT = 0.6  # a gap wider than this many character heights separates two cells
_SPACE = 0.15  # between two digits, a gap this wide (a space) separates two cells
_EVEN = 1.6  # columns of an even grid are within this factor of their median width
_LEADING = 1.5  # lines further apart than this many line heights end a run
_TOUCH = 0.25  # a line starting within this many line heights of the one above touches it
_MIN_ROW = 2.0  # points: the least height of a grid row (the PDF reader clusters at 1)
_MIN_COL = 4.0  # points: the least width of a grid column (the PDF reader snaps at 3)
_NUMBER = re.compile(r"[-+]?\d[\d,.]*(?:%|[件项个条次元]|万元)?")  # a number, with its unit
_DIGIT = re.compile(r"\d")
_UNITS = "件项个条次元%"
_NUMBER_CHARS = frozenset("0123456789０１２３４５６７８９,.，．-+% 件项个条次元万")
# a piece of a number wrapped in its cell: digits (with separators), maybe ending in a
# unit; or the unit alone (the wrapped end of ``12件``)
_OPEN = re.compile(r"[-+]?\d[\d,.，．]*")  # a first piece: the number goes on below
_REST = re.compile(r"[\d,.，．]*\d[\d,.，．]*(?:[件项个条次元%]|万元)?|[件项个条次元%]|万元")


@dataclass(slots=True)
class Line:
    """A text line: its characters left to right (text and box each) and its box."""

    texts: list[str]
    boxes: list[Box]
    box: Box


@dataclass(slots=True)
class GridCell:
    """A cell of a grid: row, columns [c0, c1), and its characters as (line, char) indexes.

    ``alts``: a number whose cell the geometry cannot tell (a piece under it that may
    go on with it or be the next row's number): what it may be, its own text first."""

    row: int
    c0: int
    c1: int
    chars: list[tuple[int, int]] = field(default_factory=list)
    alts: tuple[str, ...] | None = None


@dataclass(slots=True)
class UnruledGrid:
    """A table found among the lines: column boundaries ``xs``, row boundaries ``ys``,
    its cells (positions no cell covers are empty) and the lines it took."""

    xs: list[float]
    ys: list[float]
    cells: list[GridCell]
    lines: list[int]


@dataclass(slots=True)
class _Piece:
    line: int
    x0: float
    x1: float
    chars: list[int]
    text: str
    top: float
    bottom: float
    numeric: bool = False  # the whole text is a number (set once the piece is complete)


def _height(box: Box) -> float:
    return max(box[3] - box[1], 1.0)


def _pieces(index: int, line: Line) -> list[_Piece]:
    """A line cut into cells (its widest gap is ``widest_gap``'s)."""
    out: list[_Piece] = []
    prev: Box | None = None
    prev_height = 0.0
    texts = line.texts
    if len(texts) != len(line.boxes):
        raise ValueError("a line needs one box per character")
    piece: _Piece | None = None
    for k, box in enumerate(line.boxes):
        text = texts[k]
        height = box[3] - box[1]
        if height < 1.0:
            height = 1.0  # as _height
        if prev is not None:
            gap = (box[0] - prev[2]) / (height if height > prev_height else prev_height)
            if gap > _CUT or (
                gap > _SPACE
                and text.isdigit()
                and (texts[k - 1].isdigit() or texts[k - 1] in _UNITS)
            ):
                prev = None  # two numbers of narrow columns print a space apart (12件 3)
        if prev is None or piece is None:
            piece = _Piece(index, box[0], box[2], [k], text.strip(), box[1], box[3])
            out.append(piece)
        else:
            if box[2] > piece.x1:
                piece.x1 = box[2]
            if box[1] < piece.top:
                piece.top = box[1]
            if box[3] > piece.bottom:
                piece.bottom = box[3]
            piece.chars.append(k)
            piece.text += text.strip()
        prev = box
        prev_height = height
    kept = [p for p in out if p.text]
    for p in kept:
        p.numeric = _NUMBER.fullmatch(p.text) is not None
    return kept


class _Cut:
    """The lines cut into cells (``_pieces``), each line cut when first asked for; its
    widest gap, and whether it has any text, known without cutting it."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.lines = lines
        self.done: dict[int, tuple[list[_Piece], float]] = {}
        self.columns: dict[tuple[int, ...], int] = {}  # lines -> how many columns they make
        self.gaps = [_widest(ln) for ln in lines]

    def __getitem__(self, k: int) -> tuple[list[_Piece], float]:
        found = self.done.get(k)
        if found is None:
            found = self.done[k] = (_pieces(k, self.lines[k]), self.gaps[k])
        return found

    def widest(self, k: int) -> float:
        return self.gaps[k]

    def numbers(self, k: int) -> bool:
        """Whether the line holds numbers only, two or more (the pieces of numbers wrapped
        in narrow columns print so: a row of the table whose gaps are narrow)."""
        if not _NUMBER_CHARS.issuperset(self.lines[k].texts):
            return False  # (a line of text, most often: known without cutting it)
        pieces = self[k][0]
        return len(pieces) >= 2 and all(p.numeric or _REST.fullmatch(p.text) for p in pieces)

    def filled(self, k: int) -> bool:
        """Whether the line has a cell (some text that is not blank)."""
        return any(t.strip() for t in self.lines[k].texts)


def _widest(line: Line) -> float:
    """A line's widest gap between characters, in character heights, as ``_pieces``
    measures it."""
    return widest_gap(line.boxes)


def widest_gap(boxes: Sequence[Box]) -> float:
    """The widest gap between characters of a line (their boxes left to right), in
    character heights: a line is tabular (for ``find_grids``) when it is wider than
    ``tabular_gap``, so a page none of whose lines is has no grid."""
    widest = 0.0
    prev: Box | None = None
    prev_height = 0.0
    for box in boxes:
        height = box[3] - box[1]
        if height < 1.0:
            height = 1.0
        if prev is not None:
            gap = (box[0] - prev[2]) / (height if height > prev_height else prev_height)
            if gap > widest:
                widest = gap
        prev, prev_height = box, height
    return widest


def find_grids(lines: Sequence[Line], tabular_gap: float) -> list[UnruledGrid]:
    """The unruled tables among ``lines`` (top to bottom, one text direction).

    A line is tabular when its widest gap is more than ``tabular_gap`` character
    heights (a run needs three), or when it holds two numbers or more and nothing else
    (the pieces of numbers wrapped in narrow columns, around a row's label line)."""
    cut = _Cut(lines)
    grids: list[UnruledGrid] = []
    i = 0
    while i < len(lines):
        if cut.widest(i) <= tabular_gap or not cut.filled(i):
            i += 1
            continue
        run = [i]
        last_tabular = 0
        j = i + 1
        while j < len(lines):
            a, b = lines[run[-1]].box, lines[j].box
            h = max(_height(a), _height(b))
            if b[1] - a[3] > _LEADING * h or not cut.filled(j):
                break
            run.append(j)
            if cut.widest(j) > tabular_gap or cut.numbers(j):
                last_tabular = len(run) - 1
            j += 1
        run = run[: last_tabular + 1]
        # text lines right under the last row: its label wrapped further down
        j = run[-1] + 1
        while j < len(lines) and cut.filled(j) and _touches(lines, run[-1], j):
            if cut.widest(j) > tabular_gap:
                break
            run.append(j)
            j += 1
        wide = {k for k in run if cut.widest(k) > tabular_gap}
        tab = wide | {k for k in run if k not in wide and cut.numbers(k)}
        for part in _parts(lines, run, cut, tabular_gap):
            tabular = sum(1 for k in part if k in wide)
            grid = _grid(lines, part, cut, tab) if tabular >= MIN_TABULAR_LINES else None
            if grid is not None:
                grids.append(grid)
        i = run[-1] + 1
    return grids


def _touches(lines: Sequence[Line], a: int, b: int) -> bool:
    """Whether line ``b`` starts right under line ``a`` (a wrapped cell, not a new row)."""
    above, below = lines[a].box, lines[b].box
    return below[1] <= above[3] + _TOUCH * max(_height(above), _height(below))


def _parts(lines: Sequence[Line], run: list[int], cut: _Cut, gap: float) -> list[list[int]]:
    """A run cut at its free-standing text lines (a title between two small tables), the
    neighbouring parts joined again when together they have the columns each has alone
    (the title then stays inside as a row)."""
    parts: list[list[int]] = [[]]
    for n, k in enumerate(run):
        alone = (
            cut.widest(k) <= gap
            and 0 < n < len(run) - 1
            and (
                not (_touches(lines, run[n - 1], k) or _touches(lines, k, run[n + 1]))
                or _caption(cut, run[n - 1], k)
            )
        )
        if alone:
            parts.append([k])
            parts.append([])
        else:
            parts[-1].append(k)
    out: list[list[int]] = []
    for part in parts:
        if not part:
            continue
        if out and _same_columns(out[-1], part, cut):
            out[-1].extend(part)
        else:
            out.append(part)
    return out


def _caption(cut: _Cut, above: int, k: int) -> bool:
    """Whether line ``k``, right under a row of numbers, is a caption across the table
    (``第二十条第（五）项`` over the next part): one piece of text, starting right of that
    row's label and reaching over its numbers.  Where rows stand as close as a cell's
    own lines (no cell padding) it touches the rows around it, yet parts the tables."""
    mine = cut[k][0]
    if len(mine) != 1 or mine[0].numeric or _REST.fullmatch(mine[0].text):
        return False
    row = cut[above][0]
    numbers = [p for p in row if p.numeric]
    if not numbers or row[0].numeric:
        return False
    piece = mine[0]
    return piece.x0 > row[0].x1 and piece.x1 > numbers[0].x0


def _wraps(above: dict[int, _Piece], below: dict[int, _Piece]) -> bool:
    """Whether the cells of a line continue those of the row above (see ``_grid``)."""
    for c, p in below.items():
        q = above.get(c)
        if q is None:
            continue
        if p.numeric or q.numeric:
            return False
        if p.top > q.bottom + _TOUCH * max(p.bottom - p.top, q.bottom - q.top, 1.0):
            return False
    return True


def _goes_on(pieces: list[_Piece], row: list[_Piece]) -> bool:
    """Whether every piece continues a piece of the row right above it (overlapping it
    across, its top touching that one's bottom): the row's cell wrapped further down."""
    return all(
        any(
            _overlaps(p.x0, p.x1, q.x0, q.x1)
            and p.top <= q.bottom + _TOUCH * max(p.bottom - p.top, q.bottom - q.top, 1.0)
            for q in row
        )
        for p in pieces
    )


def _continued(
    lines: Sequence[Line],
    run: list[int],
    n: int,
    cut: _Cut,
    spans: dict[int, tuple[int, int]],
) -> bool:
    """Whether a line touching ``run[n]`` from below has text in one of its columns."""
    k = run[n]
    mine: list[tuple[int, int]] | None = None
    for i in range(n + 1, len(run)):
        m = run[i]
        if not _touches(lines, k, m):
            return False
        if mine is None:
            mine = [spans[id(p)] for p in cut[k][0]]
        for q in cut[m][0]:
            b0, b1 = spans[id(q)]
            if any(a0 < b1 and b0 < a1 for a0, a1 in mine):
                return True
    return False


def _regular(cols: list[list[float]], first: int, last: int) -> bool:
    """Whether the columns strictly between ``first`` and ``last`` have about one width
    (a column left empty by every row of an even grid, not text cut into pieces)."""
    mids = [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(cols)]
    widths = [mids[c] - mids[c - 1] for c in range(first + 1, last)]
    if len(widths) < 2:
        return False
    median = sorted(widths)[len(widths) // 2]
    return all(median / _EVEN <= w <= median * _EVEN for w in widths)


def _same_columns(a: list[int], b: list[int], cut: _Cut) -> bool:
    def cols(lines: list[int]) -> int:
        key = tuple(lines)  # (the part before is asked again next time: counted once)
        found = cut.columns.get(key)
        if found is None:
            found = cut.columns[key] = len(_columns([p for k in lines for p in cut[k][0]]))
        return found

    if len(b) == 1 and cut[b[0]][0] and len(cut[b[0]][0]) == 1:
        return True  # a title line: it joins whatever follows it when that fits too
    if len(a) == 1 and len(cut[a[0]][0]) == 1:
        return True
    return cols(a) == cols(b) == cols(a + b)


def _overlaps(a0: float, a1: float, b0: float, b1: float) -> bool:
    return min(a1, b1) - max(a0, b0) > 0.5


def _columns(pieces: list[_Piece]) -> list[list[float]]:
    """Column extents: cells clustered by overlap, narrowest first; a cell overlapping
    two columns already found is left for later (a spanning cell)."""
    cols: list[list[float]] = []
    for p in sorted(pieces, key=lambda p: p.x1 - p.x0):
        x0, x1 = p.x0, p.x1
        # _overlaps, written out: min(a, b) is b if b < a else a
        hit = [c for c in cols if (c[1] if c[1] < x1 else x1) - (c[0] if c[0] > x0 else x0) > 0.5]
        if not hit:
            cols.append([x0, x1])
        elif len(hit) == 1:
            hit[0][0], hit[0][1] = min(hit[0][0], x0), max(hit[0][1], x1)
    cols.sort()
    merged: list[list[float]] = []
    for c in cols:
        if merged and _overlaps(c[0], c[1], merged[-1][0], merged[-1][1]):
            merged[-1][1] = max(merged[-1][1], c[1])
        else:
            merged.append(list(c))
    return merged


def _grid(lines: Sequence[Line], run: list[int], cut: _Cut, tab: set[int]) -> UnruledGrid | None:
    pieces = [p for k in run for p in cut[k][0]]
    cols = _columns(pieces)
    if len(cols) < MIN_COLUMNS:
        return None

    def span(p: _Piece) -> tuple[int, int]:
        x0, x1 = p.x0, p.x1
        lo = hi = -1
        for n, c in enumerate(cols):  # (left to right: none after one starting past x1)
            a = c[0]
            if a >= x1:
                break
            if (c[1] if c[1] < x1 else x1) - (a if a > x0 else x0) > 0.5:  # _overlaps
                if lo < 0:
                    lo = n
                hi = n
        if lo < 0:  # touches a column only at its edge: the nearest one
            mid = (p.x0 + p.x1) / 2
            n = min(range(len(cols)), key=lambda n: abs((cols[n][0] + cols[n][1]) / 2 - mid))
            return n, n + 1
        return lo, hi + 1

    spans = {id(p): span(p) for p in pieces}
    values = {
        spans[id(p)][0] for p in pieces if p.numeric and spans[id(p)][1] - spans[id(p)][0] == 1
    }
    if len(values) < MIN_VALUE_COLUMNS:
        return None
    first, last = min(values), max(values)
    if len(values) != last - first + 1 and not _regular(cols, first, last):
        return None  # a column without numbers between two with: the columns are not clear
    support: dict[int, set[int]] = {}
    in_col: dict[int, list[_Piece]] = {}  # a value column's own pieces, top to bottom
    for p in pieces:
        c0, c1 = spans[id(p)]
        for c in range(c0, c1):
            support.setdefault(c, set()).add(p.line)
        if c1 - c0 == 1 and c0 >= first:
            in_col.setdefault(c0, []).append(p)
    if any(len(support.get(c, ())) < 2 for c in values):
        return None  # a number alone in its column: a stray cell, not a column
    for p in pieces:
        c0, c1 = spans[id(p)]
        if c1 - c0 > 1 and _DIGIT.search(p.text) and values & set(range(c0, c1)):
            return None  # a number (or a text with one) whose column is not clear

    stacked, forced, doubted = _stacks(lines, run, cut, in_col, spans, first)
    known: list[bool] = []

    def padded() -> bool:
        """Whether the table's rows stand clearly apart (its cells have padding): then
        text touching a row's last line in its columns is that row's cell going on."""
        if not known:
            apart = _rows_apart(in_col, {})
            h = max(_height(lines[k].box) for k in run)
            known.append(apart is not None and apart > _TOUCH * h)
        return known[0]

    # rows: a line touching the one above joins its row when, in every column both fill,
    # both hold text that touches too (a cell wrapped over lines); a row takes numbers
    # from one line only, and text after them only from a line nothing touches below
    rows: list[list[int]] = []  # line indexes per row
    taken: list[dict[int, _Piece]] = []  # per row: the lowest piece in each column
    for n_line, k in enumerate(run):
        own: dict[int, _Piece] = {}
        line_pieces = cut[k][0]
        for p in line_pieces:
            for c in range(*spans[id(p)]):
                q = own.get(c)
                if q is not None and (p.numeric or q.numeric):
                    return None  # two cells of one line in one column, one a number
                own[c] = p
        if rows and n_line in forced:  # it goes on with a number wrapped in the row above
            for c, p in own.items():
                q = taken[-1].get(c)
                if (
                    q is not None
                    and (id(q), id(p)) not in stacked
                    and (_REST.fullmatch(p.text) or _REST.fullmatch(q.text))
                ):
                    return None  # a number of its own where the row has one: not clear
            rows[-1].append(k)
            taken[-1].update(own)
            continue
        joins = bool(rows) and _touches(lines, rows[-1][-1], k) and _wraps(taken[-1], own)
        if joins and any(p.numeric for p in taken[-1].values()):
            # after the row's numbers only text may follow, and only as the last line
            # of its cell: text with a line right under it in its columns may start the
            # next row (a group label beside it, further left, spans rows)
            joins = not any(p.numeric for p in line_pieces) and (
                not _continued(lines, run, n_line, cut, spans)
                or (padded() and _goes_on(line_pieces, [p for m in rows[-1] for p in cut[m][0]]))
            )
        if joins:
            rows[-1].append(k)
            taken[-1].update(own)
            continue
        rows.append([k])
        taken.append(own)

    while rows and not tab & set(rows[-1]):
        rows.pop()  # text under the table that continues no row stays a paragraph
        taken.pop()
    if not rows:
        return None

    xs = [min(c[0] for c in cols)]
    for left, right in itertools.pairwise(cols):
        xs.append((left[1] + right[0]) / 2)
    xs.append(max(c[1] for c in cols))
    if any(b - a < _MIN_COL for a, b in itertools.pairwise(xs)):
        return None
    tops = [min(lines[k].box[1] for k in r) for r in rows]
    bottoms = [max(lines[k].box[3] for k in r) for r in rows]
    ys = [tops[0]]
    for r in range(1, len(rows)):
        ys.append(max((bottoms[r - 1] + tops[r]) / 2, ys[-1] + _MIN_ROW))
    ys.append(max(bottoms[-1], ys[-1] + _MIN_ROW))

    cells: list[GridCell] = []
    for r, members in enumerate(rows):
        by_col: dict[tuple[int, int], GridCell] = {}
        for k in members:
            for p in cut[k][0]:
                c0, c1 = spans[id(p)]
                found = None
                for (a, b), g in by_col.items():  # the first cell whose columns it shares
                    if a < c1 and c0 < b:
                        found = g
                        break
                if found is None:
                    found = by_col[(c0, c1)] = GridCell(r, c0, c1)
                else:  # text of one column in two pieces (a wrapped or gapped label)
                    found.c0, found.c1 = min(found.c0, c0), max(found.c1, c1)
                found.chars.extend(zip(itertools.repeat(k), p.chars))
                other = doubted.get(id(p)) if doubted else None
                if other is not None:
                    text = "".join(lines[n].texts[c] for n, c in found.chars).strip()
                    found.alts = (text, text + other.text)
        # widened cells may now overlap each other: then the row is not clear
        got = sorted(by_col.values(), key=lambda g: g.c0)
        if any(b.c0 < a.c1 for a, b in itertools.pairwise(got)):
            return None
        cells.extend(got)
    return UnruledGrid(xs, ys, cells, [k for r in rows for k in r])


def _stacks(
    lines: Sequence[Line],
    run: list[int],
    cut: _Cut,
    by_col: dict[int, list[_Piece]],
    spans: dict[int, tuple[int, int]],
    first: int,
) -> tuple[set[tuple[int, int]], set[int], dict[int, _Piece]]:
    """Numbers wrapped in their cells: pairs of pieces (ids, the upper first) that make
    one number, the positions in ``run`` of the lines that must join the row of the
    line above (every line from the first piece's, exclusive, to the last piece's),
    and the numbers in doubt (id -> the piece under it that may go on with it).

    A piece continues the number above it in its column when the number could not go
    on on its own line (the two side by side are wider than the numbers of the column:
    a line breaks where the next part does not fit), its top touches that number's
    line with a gap clearly smaller than any between two pieces of the column that
    surely stand in two rows (text, or a number that had room, above a number), and
    its line has no label of its own.  Where rows stand as close (a table without
    padding), nothing is joined: the piece may be the next row's number, and the
    number above it is in doubt (its cell null unless the table's arithmetic decides)."""
    stacked: set[tuple[int, int]] = set()
    forced: set[int] = set()
    wrapped: list[tuple[_Piece, _Piece, float, float]] = []  # (upper, lower, gap, height)
    widths: dict[int, float] = {}
    for c, ps in by_col.items():
        for p, q in itertools.pairwise(ps):
            gap = q.top - p.bottom
            h = p.bottom - p.top
            if q.bottom - q.top > h:
                h = q.bottom - q.top
            if h < 1.0:
                h = 1.0
            if gap > _TOUCH * h or not _OPEN.fullmatch(p.text):
                continue
            if not (q.numeric or _REST.fullmatch(q.text)):
                continue
            width = widths.get(c)
            if width is None:
                width = widths[c] = _number_width(ps)
            if (p.x1 - p.x0) + (q.x1 - q.x0) > width - 0.5:
                wrapped.append((p, q, gap, h))
    if not wrapped:
        return stacked, forced, {}
    apart = _rows_apart(by_col, widths)
    pos = {k: n for n, k in enumerate(run)}
    doubted: dict[int, _Piece] = {}
    for p, q, gap, h in wrapped:
        close = apart is None or gap >= apart - _TOUCH * h
        # where rows stand as close as a cell's lines, a label under a label may start a
        # row: only a line without any label may hold a piece
        if not _unlabelled(lines, run, cut, spans, first, pos[q.line], strict=close):
            continue
        if close:
            doubted[id(p)] = q  # it may be the next row's number
            continue
        stacked.add((id(p), id(q)))
        forced.update(range(pos[p.line] + 1, pos[q.line] + 1))
    return stacked, forced, doubted


def _rows_apart(by_col: dict[int, list[_Piece]], widths: dict[int, float]) -> float | None:
    """The least gap between two pieces of a value column that surely stand in two rows
    (text, a number ended by its unit, or one the next had room beside, above a
    number); None when no column shows one."""
    apart: float | None = None
    for c, ps in by_col.items():
        width = widths.get(c)
        for p, q in itertools.pairwise(ps):
            if not (q.numeric or _REST.fullmatch(q.text)):
                continue
            if _OPEN.fullmatch(p.text):
                if width is None:
                    width = widths[c] = _number_width(ps)
                if (p.x1 - p.x0) + (q.x1 - q.x0) > width - 0.5:
                    continue  # it may be wrapped
            gap = q.top - p.bottom
            if apart is None or gap < apart:
                apart = gap
    return apart


def _number_width(pieces: list[_Piece]) -> float:
    """The width the numbers of a column take (a header above may span wider)."""
    nums = [p for p in pieces if p.numeric or _REST.fullmatch(p.text)]
    return max(p.x1 for p in nums) - min(p.x0 for p in nums)


def _unlabelled(
    lines: Sequence[Line],
    run: list[int],
    cut: _Cut,
    spans: dict[int, tuple[int, int]],
    first: int,
    n: int,
    strict: bool = False,
) -> bool:
    """Whether the line at ``run[n]`` has no label of its own: in the column of the row
    labels (the one before the numbers; a group label further left spans rows), only
    text continuing the line above (touching it in the same columns); ``strict``: none."""
    mine = [p for p in cut[run[n]][0] if spans[id(p)][0] < first <= spans[id(p)][1]]
    if not mine:
        return True
    if n == 0 or strict:
        return False
    above = cut[run[n - 1]][0]
    for p in mine:
        c0, c1 = spans[id(p)]
        h = max(p.bottom - p.top, 1.0)
        if not any(
            spans[id(q)][0] < c1
            and c0 < spans[id(q)][1]
            and p.top <= q.bottom + _TOUCH * max(h, q.bottom - q.top)
            for q in above
        ):
            return False
    return True
