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
    """Rulings of one direction moved onto the mean position of their cluster."""
    if not edges:
        return []
    vertical = edges[0].vertical
    pos = [e.x0 if vertical else e.top for e in edges]
    cluster = _clusters(pos, tolerance)
    order = sorted(range(len(edges)), key=lambda k: cluster[pos[k]])  # stable
    out: list[Edge] = []
    for _, group in itertools.groupby(order, key=lambda k: cluster[pos[k]]):
        members = list(group)
        avg = sum(pos[k] for k in members) / len(members)
        for k in members:
            e = edges[k]
            d = avg - pos[k]
            if vertical:
                out.append(
                    Edge(True, e.x0 + d, e.top, e.x1 + d, e.bottom, e.width, e.height, e.made)
                )
            else:
                out.append(
                    Edge(False, e.x0, e.top + d, e.x1, e.bottom + d, e.width, e.height, e.made)
                )
    return out


def _join(edges: list[Edge], tolerance: float) -> list[Edge]:
    """Rulings on one line joined where they overlap or nearly touch."""
    vertical = edges[0].vertical
    ordered = sorted(edges, key=(lambda e: e.top) if vertical else (lambda e: e.x0))
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if vertical:
            if e.top <= last.bottom + tolerance:
                if e.bottom > last.bottom:
                    height = last.height + (e.bottom - last.bottom)
                    joined[-1] = Edge(
                        True, last.x0, last.top, last.x1, e.bottom, last.width, height, last.made
                    )
            else:
                joined.append(e)
        elif e.x0 <= last.x1 + tolerance:
            if e.x1 > last.x1:
                width = e.x1 - last.x0
                joined[-1] = Edge(
                    False, last.x0, last.top, e.x1, last.bottom, width, last.height, last.made
                )
        else:
            joined.append(e)
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
    v_at: dict[Point, set[Box]] = {}
    h_at: dict[Point, set[Box]] = {}
    slack = 1e-9 * (1.0 + max((abs(t) for t in tops), default=0.0))
    for v in edges:
        if not v.vertical:
            continue
        x = v.x0
        # candidates by position, widened a little; the exact test is pdfplumber's
        lo = bisect.bisect_left(tops, v.top - y_tol - slack)
        hi = bisect.bisect_right(tops, v.bottom + y_tol + slack)
        for h in hs[lo:hi]:
            if (
                v.top <= h.top + y_tol
                and v.bottom >= h.top - y_tol
                and x >= h.x0 - x_tol
                and x <= h.x1 + x_tol
            ):
                vertex = (x, h.top)
                if vertex in v_at:
                    v_at[vertex].add(v.bbox)
                    h_at[vertex].add(h.bbox)
                else:
                    v_at[vertex] = {v.bbox}
                    h_at[vertex] = {h.bbox}
    return Crossings(v_at, h_at)


def intersections_to_cells(crossings: Crossings) -> list[Box]:
    """pdfplumber's ``intersections_to_cells``: for each crossing (sorted), the smallest
    cell whose four corners are crossings joined by rulings, if any.

    pdfplumber scans all later crossings for those below and to the right; here each
    crossing's column (same x) and row (same y) are looked up, in the same order.
    """
    v_at, h_at = crossings.v, crossings.h
    points = sorted(v_at)
    column: dict[float, list[float]] = {}  # x -> ys of crossings, ascending
    row: dict[float, list[float]] = {}  # y -> xs of crossings, ascending
    for x, y in points:
        column.setdefault(x, []).append(y)
        row.setdefault(y, []).append(x)
    cells: list[Box] = []
    for pt in points:
        x, y = pt
        ys, xs = column[x], row[y]
        below = ys[bisect.bisect_right(ys, y) :]
        right = xs[bisect.bisect_right(xs, x) :]
        if not below or not right:
            continue
        pv, ph = v_at[pt], h_at[pt]
        found = None
        for by in below:
            if pv.isdisjoint(v_at[(x, by)]):
                continue
            for rx in right:
                if ph.isdisjoint(h_at[(rx, y)]):
                    continue
                corner = (rx, by)
                if (
                    corner in v_at
                    and not v_at[corner].isdisjoint(v_at[(rx, y)])
                    and not h_at[corner].isdisjoint(h_at[(x, by)])
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
    remaining = list(cells)
    tables: list[list[Box]] = []
    corners: set[Point] = set()
    current: list[Box] = []
    while remaining:
        before = len(current)
        keep: list[Box] = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            cs = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in cs):
                corners.update(cs)
                current.append(cell)
            else:
                keep.append(cell)
        remaining = keep
        if len(current) == before:
            tables.append(current)
            corners = set()
            current = []
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]
