"""Rows placed by their order, when a converter pushed the labels out of the table."""

from __future__ import annotations

from ..format import Table
from .labels import Matcher
from .lines import Line, Tok
from .rows import RowRead, valueish


def by_position(region: list[Line], table: Table, m: Matcher) -> list[RowRead] | None:
    """Rows assigned by their order, when labels were pushed out of the table.

    Converters sometimes move row labels into the surrounding text while every value
    row stays in order.  When the region holds exactly one value row per row of the
    format, and every row that kept its label sits at its own position, the rows are
    taken in the format's order.  Otherwise None (labels decide).
    """
    n = len(table.rows[0].columns)
    rows: list[tuple[Tok | None, list[Tok]]] = []
    for line in region:
        if line.grid_width is not None or line.paragraph:
            continue
        toks = [t for t in line.toks if not t.merged]
        last_text = max((i for i, t in enumerate(toks) if t.text and not valueish(t)), default=-1)
        vals = toks[last_text + 1 :]
        while vals and not vals[0].text:
            vals.pop(0)
        while len(vals) > n and not vals[-1].text:
            vals.pop()
        if sum(1 for t in vals if t.text) < n - 1 or len(vals) != n:
            continue
        label = None
        for t in toks[: last_text + 1]:
            if t.text and m.match(t.text) is not None:
                label = t
        rows.append((label, vals))
    if len(rows) != len(table.rows) or all(label is not None for label, _ in rows):
        return None
    found: list[RowRead] = []
    for row, (label, vals) in zip(table.rows, rows, strict=True):
        if label is not None:
            hit = m.match(label.text)
            if hit is None or hit.key != row.key:
                return None
        found.append(RowRead(row.key, False, label or vals[0], vals, True))
    return found
