"""Numbers wrapped inside a narrow cell of a table read by position.

A PDF table without rulings is cut into rows by the lines of text.  A number too wide
for its column (full-width digits, ``1,234``, ``12件``) wraps inside its cell, and the
vertically centred cell puts its pieces on lines of their own, above and below the
row's other values::

    |   |   | 34 |   |      <- a piece: digits only, where the row has nothing
    | 0 | 2 |    | 0 |      <- the row
    |   |   | 6  |   |      <- a piece

Such a line is no row of the report (no label, fewer values, only in the row's empty
columns): its pieces are joined, in reading order, into the row's cell (``346``).
Nothing is joined where a piece would land on a filled cell, so a real row of values
is never taken for a piece.
"""

from __future__ import annotations

import re
import unicodedata

from .lines import Line, Tok

_PIECE = re.compile(r"^(?:[\d,.]+|件|项|个|条|次|元|万元|%)$")


def _filled(line: Line) -> set[int]:
    return {i for i, t in enumerate(line.toks) if t.text and not t.merged}


def _piece_line(line: Line) -> bool:
    cells = [t.text for t in line.toks if t.text and not t.merged]
    return bool(cells) and all(_PIECE.match(unicodedata.normalize("NFKC", c)) for c in cells)


_UNIT = re.compile(r"^(?:件|项|个|条|次|元|万元|%)$")


def _unit(tok: Tok) -> bool:
    return bool(_UNIT.match(unicodedata.normalize("NFKC", tok.text)))


def _pieces_of(f: Line, row: Line) -> bool:
    """``f`` holds pieces of ``row``'s cells: same table, only digits (or units), all in
    columns where the row has nothing or only a unit (the wrapped end of ``12件``),
    and fewer of them than the row has numbers."""
    if f.table is None or f.table != row.table or f.grid_width != row.grid_width:
        return False
    if len(f.toks) != len(row.toks) or not _piece_line(f):
        return False
    mine = _filled(f)
    theirs = {i for i in _filled(row) if not _unit(row.toks[i])}
    numbers = sum(1 for i in theirs if any(ch.isdigit() for ch in row.toks[i].text))
    return not (mine & theirs) and numbers > 0 and len(mine) < numbers


def join_wrapped(lines: list[Line]) -> list[Line]:
    """The lines with wrapped pieces joined into their rows (see the module docstring).

    A cell is joined only where its wrapping is plain: a piece on the line above and
    one on the line below (a centred two-line cell), or a piece on one side and the
    unit on the row's line.  A piece line is taken whole or not at all; anything less
    clear stays as it is (its cells null, never a part of a number)."""
    into: dict[int, int] = {}  # piece line -> row line
    joined: dict[int, dict[int, list[tuple[int, Tok]]]] = {}
    for r, row in enumerate(lines):
        if row.grid_width is None or r in into:
            continue
        above = r - 1 if r > 0 and r - 1 not in into and _pieces_of(lines[r - 1], row) else None
        below = r + 1 if r + 1 < len(lines) and _pieces_of(lines[r + 1], row) else None
        if above is None and below is None:
            continue
        up = _filled(lines[above]) if above is not None else set()
        down = _filled(lines[below]) if below is not None else set()
        plain = {c for c in up | down if (c in up and c in down) or _unit(row.toks[c])}
        sides = [(f, cols) for f, cols in ((above, up), (below, down)) if f is not None]
        if not sides or not (up | down) <= plain:
            continue
        cells = joined.setdefault(r, {})
        for f, cols in sides:
            into[f] = r
            for c in cols:
                cells.setdefault(c, []).append((f, lines[f].toks[c]))
    if not into:
        return lines
    out: list[Line] = []
    for i, ln in enumerate(lines):
        if i in into:
            continue
        toks = ln.toks
        if i in joined:
            toks = list(toks)
            for c, pieces in joined[i].items():
                if toks[c].text:  # a unit: the end of the number
                    pieces.append((i, toks[c]))
                pieces.sort(key=lambda p: p[0])
                first = pieces[0][1]
                text = "".join(t.text for _, t in pieces)
                toks[c] = Tok(text, first.where, toks[c].col, False, toks[c].loose)
        out.append(Line(len(out), toks, ln.grid_width, ln.table, ln.paragraph, ln.gap))
    return out
