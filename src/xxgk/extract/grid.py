"""Rows of grid tables (HTML, DOCX, ruled PDF): values by column position.

t3's columns are placed by its header (自然人, 商业企业 … 总计) when the header was
printed in the same table; otherwise a t3 row's values are its last seven distinct cells.  A
t2 row's values are the distinct cells after its label.
"""

from __future__ import annotations

import re

from ..format import Table
from .labels import Matcher, column_cores, core
from .lines import Line, Tok
from .rows import RowRead, real, valueish, width

_SUBTOTAL = re.compile(r"小计")


def t3_positions(region: list[Line]) -> tuple[dict[str, int], int | None, int | None]:
    """Grid column of each t3 column from the header, of an extra 小计 column, and the
    table (block index) the header belongs to: positions hold only in that table."""
    cols = column_cores("2021", "t3", "new")
    pos: dict[str, int] = {}
    extra = None
    owner: int | None = None
    for ln in region[:8]:
        if ln.grid_width is None or (owner is not None and ln.table != owner):
            continue
        if any(c == core(t.text)[0] for t in ln.toks for c, _ in cols):
            owner = ln.table
        for t in ln.toks:
            if t.col is None or not t.text:
                continue
            c, _ = core(t.text)
            if _SUBTOTAL.search(c):
                extra = t.col
                continue
            for label, key in cols:
                if c == label and key not in pos and not t.merged:
                    pos[key] = t.col
    return pos, extra, owner


def sequential_extra(region: list[Line]) -> int | None:
    """Index of a 小计 column among the header cells of a text table, if any."""
    column_labels = {label for label, _ in column_cores("2021", "t3", "new")}
    heads: list[str] = []
    for ln in region[:8]:
        for t in ln.toks:
            c, _ = core(t.text)
            if c in column_labels:
                heads.append(c)
            elif _SUBTOTAL.search(c):
                return len(heads)
    return None


def grid_rows(
    region: list[Line],
    table: Table,
    m: Matcher,
    positions: dict[str, int] | None,
    header_table: int | None,
) -> list[tuple[int, RowRead]]:
    """(line index, row) for every labelled row of the grid lines of a region."""
    out: list[tuple[int, RowRead]] = []
    for line in region:
        if line.grid_width is None:
            continue
        toks = line.toks
        label_i = None
        hit = None
        for i, t in enumerate(toks):
            if t.merged or not t.text:
                continue
            got = m.match(t.text)
            if got is not None and not (
                got.alien and m.is_group(t.text) and _label_after(toks, i, m)
            ):
                label_i, hit = i, got
        if hit is None or label_i is None:
            continue
        if (
            hit.alien
            and m.is_group(toks[label_i].text)
            and not real([t for t in toks[label_i + 1 :] if valueish(t)])
        ):
            continue  # （六）其他处理 printed as a group label only
        own = positions if positions and line.table == header_table else None
        vals = _values(line, label_i, table, hit.key, own)
        out.append((line.index, RowRead(hit.key, hit.alien, toks[label_i], vals, True)))
    return out


def _label_after(toks: list[Tok], i: int, m: Matcher) -> bool:
    return any(t.text and not t.merged and m.match(t.text) for t in toks[i + 1 :])


def _values(
    line: Line, label_i: int, table: Table, key: str, positions: dict[str, int] | None
) -> list[Tok]:
    grid_width = line.grid_width or len(line.toks)
    if table.key == "t3" and positions:
        cols = [c.key for c in table.rows[0].columns]
        return [line.toks[positions[c]] for c in cols if positions[c] < len(line.toks)]
    if table.key == "t3":
        # the last seven distinct cells: a table continued on the next page may print
        # each value over two of its grid's columns (its grid holds another table too)
        n = len(table.rows[0].columns)
        return _distinct(line, label_i, grid_width)[-n:]
    # t2: distinct cells after the label; a value spanning several columns counts once
    vals = _distinct(line, label_i, len(line.toks))
    n = width(table, key)
    if n < 0:
        n = len(vals)
    while len(vals) > n and not vals[-1].text:
        vals.pop()
    return vals


def _distinct(line: Line, label_i: int, end: int) -> list[Tok]:
    """The cells after the label up to grid column ``end``, a cell spanning several
    columns once (its copies, and the label's own, left out)."""
    vals: list[Tok] = []
    for t in line.toks[label_i + 1 : end]:
        if t.merged and vals and vals[-1].where == t.where:
            continue
        if t.merged and t.where == line.toks[label_i].where:
            continue
        vals.append(t)
    return vals
