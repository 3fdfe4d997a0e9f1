"""Ruled-table geometry (xxgk.readers.pdf_grid): the cells pdfplumber's table finder
finds, value for value and in the same order, and a grid with merged cells by hand."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber import table as plumber

from xxgk.readers.pdf_grid import (
    Edge,
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
    make_edge,
    merge_edges,
)

SNAP = 3.0


def as_dict(e: Edge) -> dict[str, Any]:
    return {
        "x0": e.x0,
        "x1": e.x1,
        "top": e.top,
        "bottom": e.bottom,
        "width": e.width,
        "height": e.height,
        "orientation": "v" if e.vertical else "h",
        "object_type": "line",
    }


def key(e: Edge | dict[str, Any]) -> tuple[Any, ...]:
    d = as_dict(e) if isinstance(e, Edge) else e
    return (d["orientation"], d["x0"], d["top"], d["x1"], d["bottom"], d["width"], d["height"])


def cells_of(edges: list[Edge]) -> list[tuple[float, float, float, float]]:
    return intersections_to_cells(
        edges_to_intersections(merge_edges(edges, SNAP, SNAP), SNAP, SNAP)
    )


def test_merged_cell_spanning_two_rows() -> None:
    """Three columns, two rows; the row ruling stops short of the first column, so the
    first column is one cell over both rows."""
    edges = [make_edge(True, x, 0.0, x, 20.0) for x in (0.0, 10.0, 20.0, 30.0)]
    edges += [make_edge(False, 0.0, y, 30.0, y) for y in (0.0, 20.0)]
    edges.append(make_edge(False, 10.0, 10.0, 30.0, 10.0))
    cells = cells_of(edges)
    assert cells == [
        (0.0, 0.0, 10.0, 20.0),
        (10.0, 0.0, 20.0, 10.0),
        (10.0, 10.0, 20.0, 20.0),
        (20.0, 0.0, 30.0, 10.0),
        (20.0, 10.0, 30.0, 20.0),
    ]
    assert cells_to_tables(cells) == [cells]


def test_rulings_drawn_in_pieces_and_slightly_apart_are_one_grid() -> None:
    """A row ruling drawn as two dashes 3 pt apart and a column ruling 1.5 pt off its
    line still make a 2 x 1 grid; the snapped line is the mean of the pieces."""
    edges = [
        make_edge(True, 0.0, 0.0, 0.0, 10.0),
        make_edge(True, 9.0, 0.0, 9.0, 10.0),
        make_edge(True, 10.5, 0.0, 10.5, 10.0),  # snaps with 9.0 -> 9.75
        make_edge(True, 20.0, 0.0, 20.0, 10.0),
        make_edge(False, 0.0, 0.0, 6.0, 0.0),
        make_edge(False, 9.0, 0.0, 20.0, 0.0),  # joined with the piece before
        make_edge(False, 0.0, 10.0, 20.0, 10.0),
    ]
    assert cells_of(edges) == [(0.0, 0.0, 9.75, 10.0), (9.75, 0.0, 20.0, 10.0)]


def test_two_tables_apart_and_a_lone_cell_dropped() -> None:
    cells = [(0.0, 0.0, 10.0, 10.0), (10.0, 0.0, 20.0, 10.0), (0.0, 50.0, 5.0, 60.0)]
    cells += [(30.0, 0.0, 40.0, 10.0), (30.0, 10.0, 40.0, 20.0)]
    assert cells_to_tables(cells) == [
        [(0.0, 0.0, 10.0, 10.0), (10.0, 0.0, 20.0, 10.0)],
        [(30.0, 0.0, 40.0, 10.0), (30.0, 10.0, 40.0, 20.0)],
    ]


# Random rulings of a grid: whole or in pieces, some segments missing (merged cells),
# positions jittered below and above the snap tolerance, ends short or overshooting.
_jitter = st.sampled_from([0.0] * 8 + [0.25, -0.5, 1.0, 2.9, -3.5, 4.0])
_covered = st.sampled_from([True] * 6 + [False])


@st.composite
def rulings(draw: st.DrawFn) -> list[Edge]:
    xs = [12.0 * k for k in sorted(draw(st.sets(st.integers(0, 10), min_size=2, max_size=6)))]
    ys = [9.0 * k for k in sorted(draw(st.sets(st.integers(0, 10), min_size=2, max_size=6)))]
    out: list[Edge] = []
    for vertical, lines, across in ((True, xs, ys), (False, ys, xs)):
        for at in lines:
            # the stretches between consecutive crossings this ruling covers
            spans = draw(st.lists(_covered, min_size=len(across) - 1, max_size=len(across) - 1))
            k = 0
            while k < len(spans):
                if not spans[k]:
                    k += 1
                    continue
                j = k
                while j + 1 < len(spans) and spans[j + 1] and draw(st.booleans()):
                    j += 1
                a, b = across[k] + draw(_jitter), across[j + 1] + draw(_jitter)
                pos = at + draw(_jitter)
                if b > a:
                    if vertical:
                        out.append(make_edge(True, pos, a, pos, b))
                    else:
                        out.append(make_edge(False, a, pos, b, pos))
                k = j + 1
    return draw(st.permutations(out))


@settings(max_examples=300, deadline=None)
@given(rulings())
def test_same_as_pdfplumber(edges: list[Edge]) -> None:
    merged = merge_edges(edges, SNAP, SNAP)
    theirs = plumber.merge_edges([as_dict(e) for e in edges], SNAP, SNAP, SNAP, SNAP)
    assert [key(e) for e in merged] == [key(e) for e in theirs]

    crossings = edges_to_intersections(merged, SNAP, SNAP)
    their_points = plumber.edges_to_intersections(theirs, SNAP, SNAP)
    assert sorted(crossings.v) == sorted(their_points)
    for point, found in their_points.items():
        assert crossings.v[point] == {plumber.utils.obj_to_bbox(e) for e in found["v"]}
        assert crossings.h[point] == {plumber.utils.obj_to_bbox(e) for e in found["h"]}

    cells = intersections_to_cells(crossings)
    their_cells = plumber.intersections_to_cells(their_points)
    assert cells == their_cells
    assert cells_to_tables(cells) == plumber.cells_to_tables(their_cells)
