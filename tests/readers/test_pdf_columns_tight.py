"""Tables printed without cell padding (Word/WPS with 0 cell margins): rows stand as
close as a cell's own lines, so every line touches the ones around it, and a caption
between two tables of other columns (第二十条第（五）项) touches them too."""

from __future__ import annotations

import random

import pytest

from xxgk.readers.pdf_columns import Line, find_grids

H = 15.0  # a character's box is taller than the line pitch: the lines' boxes overlap
PITCH = 11.0
WIDE = 10.5
TABULAR_GAP = 2.0  # as the PDF reader asks
A, B, C = 249.0, 365.0, 480.0  # the middles of the three value columns


def _line(top: float, cells: list[tuple[float, str]]) -> Line:
    texts: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    for x, text in cells:
        for ch in text:
            boxes.append((x, top, x + WIDE, top + H))
            texts.append(ch)
            x += WIDE
    return Line(texts, boxes, (boxes[0][0], top, boxes[-1][2], top + H))


def _at(x: float, text: str) -> tuple[float, str]:
    """``text`` centred at ``x``."""
    return x - len(text) * WIDE / 2, text


def _lines() -> list[Line]:
    rows: list[list[tuple[float, str]]] = [
        [
            _at(140, "信息内容"),
            _at(A, "本年制发件数"),
            _at(B, "本年废止件数"),
            _at(C, "现行有效件数"),
        ],
        [_at(140, "规章"), _at(A, "29"), _at(B, "0"), _at(C, "0")],
        [_at(140, "行政规范性文件"), _at(A, "0"), _at(B, "6"), _at(C, "409")],
        [_at(297, "第二十条第（五）项")],  # across the whole table
        [_at(140, "信息内容"), _at(B, "本年处理决定数量")],  # one value, across three columns
        [_at(140, "行政许可"), _at(B, "0")],
        [_at(297, "第二十条第（六）项")],
        [_at(140, "信息内容"), _at(B, "本年处理决定数量")],
        [_at(140, "行政处罚"), _at(B, "1")],
        [_at(140, "行政强制"), _at(B, "0")],
    ]
    return [_line(300 + n * PITCH, cells) for n, cells in enumerate(rows)]


def test_a_caption_touching_the_rows_around_it_parts_tables_of_other_columns() -> None:
    """The one-value rows under the caption are not cells of the three-column table
    above (行政许可 |  | 0 | would be a row of three cells, two of them empty): the
    caption parts the tables as it does where the rows stand apart."""
    lines = _lines()
    grids = find_grids(lines, TABULAR_GAP)
    assert [g.lines for g in grids] == [[0, 1, 2]]
    (grid,) = grids
    texts = [
        ["".join(lines[k].texts[n] for k, n in c.chars) for c in grid.cells if c.row == r]
        for r in range(len(grid.ys) - 1)
    ]
    assert texts[1:] == [["规章", "29", "0", "0"], ["行政规范性文件", "0", "6", "409"]]


def test_a_label_wrapped_right_under_a_row_of_numbers_is_no_caption() -> None:
    """A row label's next line (``形，不计其他情形）``) touches the row of numbers above
    it and stands in the label column: it stays in the table."""
    lines = _lines()[:3]
    wrapped = _line(300 + 3 * PITCH, [(140 - 2 * WIDE, "形，不计其他情形）")])
    last = _line(300 + 4 * PITCH, [_at(140, "规章二"), _at(A, "3"), _at(B, "4"), _at(C, "5")])
    grids = find_grids([*lines, wrapped, last], TABULAR_GAP)
    assert [g.lines for g in grids] == [[0, 1, 2, 3, 4]]


def test_table_2_of_a_report_printed_without_padding_reads_every_section() -> None:
    """Through the PDF reader and the extractor: a report typeset without table borders,
    cell padding 0 and line height 1 (variety habit ``tight``): every cell of table 2,
    each 第二十条 section with its own columns, is read as printed."""
    from xxgk.extract import extract
    from xxgk.readers import read_bytes
    from xxgk.render.pdf import cjk_fonts
    from xxgk.variety.generate import random_report
    from xxgk.variety.habits import apply
    from xxgk.variety.layouts import printed

    if not cjk_fonts():
        pytest.skip("没有中文字体，无法生成 PDF")
    for version in ("2021", "2019"):
        report = random_report(random.Random(f"tight:{version}"), version)
        case = apply(printed(report, "pdf-unruled"), "tight", random.Random(0))
        back = extract(read_bytes(case.data(), "紧排.pdf"))
        keys = [k for k in report.version.cell_keys() if k.startswith("t2.")]
        assert {k: back.value(k) for k in keys} == {k: report.value(k) for k in keys}, version


@pytest.mark.parametrize("seed", ["7:2", "11:0", "11:2"])
def test_full_width_digits_in_a_table_without_padding_read_no_wrong_number(seed: str) -> None:
    """Habits tight and fullwidth together: full-width digits fill their cells to the
    borders and wrap, their pieces on the lines around the row, beside the next lines of
    the labels, glued to them (no space before full-width digits).  Many cells are left
    null (the pieces belong to one row or the next); none is read wrong."""
    from xxgk.extract import extract
    from xxgk.readers import read_bytes
    from xxgk.render.pdf import cjk_fonts
    from xxgk.variety import publishing
    from xxgk.variety.generate import random_report
    from xxgk.variety.habits import apply
    from xxgk.variety.layouts import printed
    from xxgk.variety.matrix import Score, score_case

    if not cjk_fonts():
        pytest.skip("没有中文字体，无法生成 PDF")
    report = random_report(random.Random(seed))
    base = printed(report, "pdf-unruled", random.Random(f"{seed}:pdf-unruled"))
    case = apply(base, "tight", random.Random(f"{seed}:pdf-unruled:tight"))
    publishing.fullwidth(case, random.Random(f"{seed}:pdf-unruled:fullwidth"))
    back = extract(read_bytes(case.data(), "紧排全角.pdf"))
    score = Score()
    score_case(report, case, back, score)
    assert score.wrong == 0, [(m.key, m.expected, m.got) for m in score.wrongs]
    assert score.read > 0
