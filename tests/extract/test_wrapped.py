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
    """``132`` above, nothing below: 132 or the start of 1323? Nothing is joined."""
    lines = grid(
        ["理结果", "", "", "132"],
        ["1.属于国家秘密", "0", "853", ""],
        ["2.其他法律行政法规禁止公开", "959", "0", "1009"],
    )
    assert texts(join_wrapped(lines)) == texts(lines)


def test_pieces_on_the_lines_of_a_wrapped_group_label() -> None:
    lines = grid(
        ["理结果", "", "", "１３２"],
        ["", "1.属于国家秘密", "853", ""],
        ["", "", "", "３"],
    )
    assert texts(join_wrapped(lines)) == [["理结果", "1.属于国家秘密", "853", "１３２３"]]


def test_pieces_never_land_on_a_filled_cell_or_another_table() -> None:
    filled = grid(["", "", "6"], ["规章", "0", "34"], ["", "", "6"])
    assert texts(join_wrapped(filled)) == texts(filled)
    other = [*grid(["", "3", ""], table=1), *grid(["规章", "", "0"], table=2)]
    assert texts(join_wrapped(other)) == texts(other)


def test_a_label_wrapped_around_the_rows_numbers_brings_its_pieces() -> None:
    """（二）部分公开… over two lines, the row's numbers between them, a wide number split
    over the label's lines: ５０４ / ９７ is 50497, and the label is whole again."""
    lines = grid(
        ["", "（二）部分公开（区分处理的，只计这一", "", "５０４", "", "６５４", ""],
        ["", "", "0", "", "9", "", "1"],
        ["", "情形，不计其他情形）", "", "９７", "", "８３", ""],
    )
    assert texts(join_wrapped(lines)) == [
        [
            "",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "0",
            "５０４９７",
            "9",
            "６５４８３",
            "1",
        ]
    ]


def test_a_number_broken_after_its_thousands_separator_goes_on_below() -> None:
    lines = grid(
        ["（七）总计", "1，378", "60，", "466", "66，"],
        ["", "", "008", "", "570"],
        ["四、结转下年度继续办理", "0", "16", "4", "33"],
    )
    assert texts(join_wrapped(lines))[:2] == [
        ["（七）总计", "1，378", "60，008", "466", "66，570"],
        ["四、结转下年度继续办理", "0", "16", "4", "33"],
    ]


def test_digits_below_a_row_without_a_separator_are_not_taken() -> None:
    """６４９ on the row's line, ８６ below: 64986, or 86 the start of the next row's
    number? Left as read."""
    lines = grid(
        ["（一）予以公开", "1", "６４９", "6"],
        ["", "", "８６", ""],
        ["（二）部分公开", "2", "3", "5"],
    )
    assert texts(join_wrapped(lines)) == texts(lines)


def test_a_number_a_scan_read_with_doubt_is_never_a_piece() -> None:
    lines = grid(["", "", "３４", "", "４２"], ["０", "２", "", "０", ""], ["", "", "６", "", "４"])
    doubtful = lines[0].toks[2]
    doubtful.where = Where(line=0, alts=("34", "31"))
    assert texts(join_wrapped(lines)) == texts(lines)
