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
_UNIT = re.compile(r"^(?:件|项|个|条|次|元|万元|%)$")


def _filled(line: Line) -> set[int]:
    return {i for i, t in enumerate(line.toks) if t.text and not t.merged}


def _piece(tok: Tok) -> bool:
    """Digits or a unit; not a number a scan's recogniser read with doubt (its
    candidates are its own: arithmetic decides it alone)."""
    return tok.where.alts is None and bool(_PIECE.match(unicodedata.normalize("NFKC", tok.text)))


def _unit(tok: Tok) -> bool:
    return bool(_UNIT.match(unicodedata.normalize("NFKC", tok.text)))


def _digits(tok: Tok) -> bool:
    return any(ch.isdigit() for ch in tok.text)


def _pieces_of(f: Line, row: Line) -> bool:
    """``f`` holds pieces of ``row``'s cells: same table; digits (or units) in columns
    where the row has nothing or only a unit (the wrapped end of ``12件``), fewer of
    them than the row has numbers; text where the row has nothing or text (a label
    wrapped around the row's line, a piece of a number on each of its lines)."""
    if f.table is None or f.table != row.table or f.grid_width != row.grid_width:
        return False
    if len(f.toks) != len(row.toks):
        return False
    mine = _filled(f)
    theirs = {i for i in _filled(row) if not _unit(row.toks[i])}
    digits = {i for i in mine if _piece(f.toks[i]) and _digits(f.toks[i])}
    numbers = sum(1 for i in theirs if _digits(row.toks[i]))
    if not digits or digits & theirs or len(digits) >= numbers:
        return False
    # text goes with text only (a label's lines), never into a number
    return all(not _piece(f.toks[i]) and not _piece(row.toks[i]) for i in mine & theirs)


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

        def number(c: int, f: int | None) -> bool:
            return f is not None and c in _filled(lines[f]) and _piece(lines[f].toks[c])

        # a number's pieces: above and below the row, or one beside the unit on its line;
        # a label's pieces (text) go together like the label's lines
        plain = {
            c
            for c in up | down
            if not (number(c, above) or number(c, below))
            or (number(c, above) and number(c, below))
            or _unit(row.toks[c])
        }
        sides = [(f, cols) for f, cols in ((above, up), (below, down)) if f is not None]
        if not sides or not (up | down) <= plain:
            continue
        cells = joined.setdefault(r, {})
        for f, cols in sides:
            into[f] = r
            for c in cols:
                cells.setdefault(c, []).append((f, lines[f].toks[c]))
    _after_separators(lines, into, joined)
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


def _open(tok: Tok) -> bool:
    """A cell ending in a thousands separator: its number goes on below (``60,``)."""
    return unicodedata.normalize("NFKC", tok.text).endswith(",") and _digits(tok)


def _after_separators(
    lines: list[Line], into: dict[int, int], joined: dict[int, dict[int, list[tuple[int, Tok]]]]
) -> None:
    """A row whose numbers break after a thousands separator (``60，`` / ``008``): the
    digits on the line below, in exactly those columns, end them."""
    for r, row in enumerate(lines[:-1]):
        f = r + 1
        if row.grid_width is None or r in into or f in into or r in joined:
            continue
        nxt = lines[f]
        if nxt.table != row.table or len(nxt.toks) != len(row.toks):
            continue
        cols = _filled(nxt)
        open_ = {c for c in _filled(row) if _open(row.toks[c])}
        if not open_ or cols != open_:
            continue
        if not all(_piece(nxt.toks[c]) and _digits(nxt.toks[c]) for c in cols):
            continue
        into[f] = r
        joined[r] = {c: [(f, nxt.toks[c])] for c in cols}
