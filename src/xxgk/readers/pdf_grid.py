"""Ruled tables of a PDF page: drawn rulings -> cells -> tables.

The steps and the results are those of pdfplumber's table finder ("lines" strategy:
``merge_edges``, ``edges_to_intersections``, ``intersections_to_cells``,
``cells_to_tables``), value for value and in the same order, so the PDF reader finds the
cells it always found.  What differs is the cost: pdfplumber copies a dict for every
moved ruling, tests every horizontal ruling against every vertical one, and for every
crossing scans all the crossings after it and rebuilds sets of rulings to test whether
two crossings are joined.  Here rulings are small objects, crossings are found by a
sorted lookup, and each crossing knows its column and its row (a grid lookup over the
snapped rulings), with the rulings through it as sets built once.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "Crossings",
    "Edge",
    "cells_to_tables",
    "edges_to_intersections",
    "intersections_to_cells",
    "make_edge",
    "merge_edges",
]

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
Point = tuple[float, float]


@dataclass(slots=True)
class Edge:
    """A horizontal or vertical ruling (pdfplumber's edge: width and height are carried
    as it carries them, not recomputed when a ruling is moved).  Never changed once
    made: a moved or joined ruling is a new one."""

    vertical: bool
    x0: float
    top: float
    x1: float
    bottom: float
    width: float
    height: float
    made: bool = False  # a made-up border (see the PDF reader), not a drawn ruling

    @property
    def bbox(self) -> Box:
        return (self.x0, self.top, self.x1, self.bottom)


def make_edge(
    vertical: bool, x0: float, top: float, x1: float, bottom: float, made: bool = False
) -> Edge:
    return Edge(vertical, x0, top, x1, bottom, x1 - x0, bottom - top, made)


# --------------------------------------------------------------------------- merging


def _clusters(values: Iterable[float], tolerance: float) -> dict[float, int]:
    """Each distinct value -> its cluster (sorted values closer than ``tolerance`` to the
    previous one share one), as pdfplumber's ``make_cluster_dict``."""
    out: dict[float, int] = {}
    index = -1
    last = 0.0
    for v in sorted(set(values)):
        if index < 0 or not v <= last + tolerance:
            index += 1
        out[v] = index
        last = v
    return out


def _snap(edges: list[Edge], tolerance: float) -> list[Edge]:
    """Rulings of one direction moved onto the mean position of their cluster (a ruling
    that does not move, most of them, is kept as it is: the same values)."""
    if not edges:
        return []
    vertical = edges[0].vertical
    pos = [e.x0 if vertical else e.top for e in edges]
    cluster = _clusters(pos, tolerance)
    of = [cluster[p] for p in pos]
    order = sorted(range(len(edges)), key=of.__getitem__)  # stable
    out: list[Edge] = []
    append = out.append
    start, n = 0, len(order)
    while start < n:
        end = start + 1
        at = of[order[start]]
        while end < n and of[order[end]] == at:
            end += 1
        members = order[start:end]
        avg = sum(pos[k] for k in members) / len(members)
        for k in members:
            e = edges[k]
            d = avg - pos[k]
            if vertical:
                if d == 0.0 and e.x0 != 0.0 and e.x1 != 0.0:  # x + 0.0 is x: not moved
                    append(e)
                else:
                    append(
                        Edge(True, e.x0 + d, e.top, e.x1 + d, e.bottom, e.width, e.height, e.made)
                    )
            elif d == 0.0 and e.top != 0.0 and e.bottom != 0.0:
                append(e)
            else:
                append(Edge(False, e.x0, e.top + d, e.x1, e.bottom + d, e.width, e.height, e.made))
        start = end
    return out


def _join(edges: list[Edge], tolerance: float) -> list[Edge]:
    """Rulings on one line joined where they overlap or nearly touch (a ruling grown
    by those after it is made once, when it stops growing: the values pdfplumber's
    step-by-step joining gives)."""
    vertical = edges[0].vertical
    ordered = sorted(edges, key=(lambda e: e.top) if vertical else (lambda e: e.x0))
    joined: list[Edge] = []
    add = joined.append
    first = ordered[0]
    grown = False
    if vertical:
        bottom, height = first.bottom, first.height
        for e in ordered[1:]:
            if e.top <= bottom + tolerance:
                if e.bottom > bottom:
                    height = height + (e.bottom - bottom)
                    bottom = e.bottom
                    grown = True
                continue
            if grown:
                f = first
                add(Edge(True, f.x0, f.top, f.x1, bottom, f.width, height, f.made))
            else:
                add(first)
            first, bottom, height, grown = e, e.bottom, e.height, False
        if grown:
            f = first
            add(Edge(True, f.x0, f.top, f.x1, bottom, f.width, height, f.made))
        else:
            add(first)
        return joined
    right = first.x1
    width = first.width
    for e in ordered[1:]:
        if e.x0 <= right + tolerance:
            if e.x1 > right:
                right = e.x1
                width = right - first.x0
                grown = True
            continue
        if grown:
            f = first
            add(Edge(False, f.x0, f.top, right, f.bottom, width, f.height, f.made))
        else:
            add(first)
        first, right, width, grown = e, e.x1, e.width, False
    if grown:
        f = first
        add(Edge(False, f.x0, f.top, right, f.bottom, width, f.height, f.made))
    else:
        add(first)
    return joined


def merge_edges(edges: list[Edge], snap: float, join: float) -> list[Edge]:
    """pdfplumber's ``merge_edges(edges, snap, snap, join, join)``: rulings closer than
    ``snap`` moved onto one line, then those on one line joined across gaps up to ``join``."""
    snapped = _snap([e for e in edges if e.vertical], snap) + _snap(
        [e for e in edges if not e.vertical], snap
    )

    def line(e: Edge) -> tuple[bool, float]:  # "h" sorts before "v" in pdfplumber
        return (e.vertical, e.x0 if e.vertical else e.top)

    out: list[Edge] = []
    for _, group in itertools.groupby(sorted(snapped, key=line), key=line):
        out.extend(_join(list(group), join))
    return out


# --------------------------------------------------------------------------- crossings


@dataclass(slots=True)
class Crossings:
    """Where vertical and horizontal rulings cross: per point, the boxes of the vertical
    and of the horizontal rulings through it."""

    v: dict[Point, set[Box]]
    h: dict[Point, set[Box]]

    def __len__(self) -> int:
        return len(self.v)


def edges_to_intersections(edges: list[Edge], x_tol: float, y_tol: float) -> Crossings:
    """pdfplumber's ``edges_to_intersections``: a crossing where a vertical ruling's x lies
    on a horizontal ruling and the horizontal ruling's y on the vertical one (with the
    tolerances)."""
    hs = sorted((e for e in edges if not e.vertical), key=lambda e: e.top)
    tops = [h.top for h in hs]
    h_boxes = [(h.x0, h.top, h.x1, h.bottom) for h in hs]
    v_at: dict[Point, set[Box]] = {}
    h_at: dict[Point, set[Box]] = {}
    slack = 1e-9 * (1.0 + max((abs(t) for t in tops), default=0.0))
    before, after = bisect.bisect_left, bisect.bisect_right
    for v in edges:
        if not v.vertical:
            continue
        x, v_top, v_bottom = v.x0, v.top, v.bottom
        v_box = (x, v_top, v.x1, v_bottom)
        # candidates by position, widened a little; the exact test is pdfplumber's
        lo = before(tops, v_top - y_tol - slack)
        hi = after(tops, v_bottom + y_tol + slack)
        for k in range(lo, hi):
            h = hs[k]
            y = h.top
            if v_top <= y + y_tol and v_bottom >= y - y_tol and h.x0 - x_tol <= x <= h.x1 + x_tol:
                vertex = (x, y)
                through = v_at.get(vertex)
                if through is None:
                    v_at[vertex] = {v_box}
                    h_at[vertex] = {h_boxes[k]}
                else:
                    through.add(v_box)
                    h_at[vertex].add(h_boxes[k])
    return Crossings(v_at, h_at)


def intersections_to_cells(crossings: Crossings) -> list[Box]:
    """pdfplumber's ``intersections_to_cells``: for each crossing (sorted), the smallest
    cell whose four corners are crossings joined by rulings, if any.

    pdfplumber scans all later crossings for those below and to the right; here each
    crossing's column (same x) and row (same y) are looked up, in the same order, with
    the rulings through each of their crossings listed once.
    """
    v_at, h_at = crossings.v, crossings.h
    points = sorted(v_at)
    # per column (x): the ys of its crossings, ascending, and the rulings through each;
    # per row (y) the same with the xs.  Each point's place in its column and its row.
    col_ys: dict[float, list[float]] = {}
    col_v: dict[float, list[set[Box]]] = {}
    col_h: dict[float, list[set[Box]]] = {}
    row_xs: dict[float, list[float]] = {}
    row_v: dict[float, list[set[Box]]] = {}
    row_h: dict[float, list[set[Box]]] = {}
    places: list[tuple[int, int]] = []
    for pt in points:
        x, y = pt
        ys = col_ys.get(x)
        if ys is None:
            ys = col_ys[x] = []
            col_v[x], col_h[x] = [], []
        xs = row_xs.get(y)
        if xs is None:
            xs = row_xs[y] = []
            row_v[y], row_h[y] = [], []
        places.append((len(ys), len(xs)))
        ys.append(y)
        col_v[x].append(v_at[pt])
        col_h[x].append(h_at[pt])
        xs.append(x)
        row_v[y].append(v_at[pt])
        row_h[y].append(h_at[pt])
    cells: list[Box] = []
    for pt, (ci, ri) in zip(points, places, strict=True):
        x, y = pt
        ys, xs = col_ys[x], row_xs[y]
        if ci + 1 >= len(ys) or ri + 1 >= len(xs):
            continue
        pv, ph = v_at[pt], h_at[pt]
        down_v, down_h = col_v[x], col_h[x]
        across_v, across_h = row_v[y], row_h[y]
        found = None
        for j in range(ci + 1, len(ys)):  # crossings below, nearest first
            if pv.isdisjoint(down_v[j]):
                continue
            by = ys[j]
            for i in range(ri + 1, len(xs)):  # crossings to the right, nearest first
                if ph.isdisjoint(across_h[i]):
                    continue
                rx = xs[i]
                corner = v_at.get((rx, by))
                if (
                    corner is not None
                    and not corner.isdisjoint(across_v[i])
                    and not h_at[(rx, by)].isdisjoint(down_h[j])
                ):
                    found = (x, y, rx, by)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def cells_to_tables(cells: list[Box]) -> list[list[Box]]:
    """pdfplumber's ``cells_to_tables``: cells grouped into tables by shared corners, in
    the order pdfplumber adds them; tables top to bottom, those of one cell dropped."""
    # each cell with its four corners, made once
    remaining = [(c, ((c[0], c[1]), (c[0], c[3]), (c[2], c[1]), (c[2], c[3]))) for c in cells]
    tables: list[list[Box]] = []
    corners: set[Point] = set()
    current: list[Box] = []
    while remaining:
        before = len(current)
        keep: list[tuple[Box, tuple[Point, Point, Point, Point]]] = []
        for entry in remaining:
            cell, cs = entry
            if not current or not corners.isdisjoint(cs):
                corners.update(cs)
                current.append(cell)
            else:
                keep.append(entry)
        remaining = keep
        if len(current) == before:
            tables.append(current)
            corners = set()
            current = []
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]
