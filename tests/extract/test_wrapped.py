"""Numbers wrapped inside narrow cells of a table read by position (a PDF without
rulings): joined only where the wrapping is plain, never a part of a number taken."""

from __future__ import annotations

from xxgk.extract.lines import Line, Tok
from xxgk.extract.wrapped import join_wrapped
from xxgk.readers.document import Where


def grid(*rows: list[str], table: int = 3) -> list[Line]:
    width = max(len(r) for r in rows)
    return [
        Line(i, [Tok(t, Where(line=i), c) for c, t in enumerate(r)], width, table)
        for i, r in enumerate(rows)
    ]


def texts(lines: list[Line]) -> list[list[str]]:
    return [[t.text for t in ln.toks] for ln in lines]


def test_a_centred_two_line_cell_is_joined_top_to_bottom() -> None:
    lines = grid(
        ["", "", "３４", "", "４２"],
        ["０", "２", "", "０", ""],
        ["", "", "６", "", "４"],
    )
    assert texts(join_wrapped(lines)) == [["０", "２", "３４６", "０", "４２４"]]
    assert [ln.index for ln in join_wrapped(lines)] == [0]


def test_a_number_and_its_unit_on_the_rows_line() -> None:
    lines = grid(
        ["", "", "", "60024", ""],
        ["一、本年新收", "", "1208件", "件", "440"],
    )
    assert texts(join_wrapped(lines)) == [["一、本年新收", "", "1208件", "60024件", "440"]]


def test_a_piece_on_one_side_only_is_left_alone() -> None:
    """``132`` above on a label's line and ``3`` below: 1323 or 3? Nothing is joined."""
    lines = grid(
        ["理结果", "", "", "132"],
        ["1.属于国家秘密", "0", "853", ""],
        ["", "", "", "3"],
    )
    assert texts(join_wrapped(lines)) == texts(lines)


def test_pieces_never_land_on_a_filled_cell_or_another_table() -> None:
    filled = grid(["", "", "6"], ["规章", "0", "34"], ["", "", "6"])
    assert texts(join_wrapped(filled)) == texts(filled)
    other = [*grid(["", "3", ""], table=1), *grid(["规章", "", "0"], table=2)]
    assert texts(join_wrapped(other)) == texts(other)
