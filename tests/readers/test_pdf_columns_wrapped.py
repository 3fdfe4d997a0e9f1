"""Numbers wrapped in the narrow columns of a table without rulings, built from line
boxes (no PDF needed): a piece that goes on with a row's number is joined into its
cell; one that may as well be the next row's number leaves the number in doubt."""

from __future__ import annotations

from xxgk.readers.pdf_columns import Line, UnruledGrid, find_grids

H = 13.7  # the height of a line of text (points)
WIDE = 9.3  # a CJK character or a full-width digit
TABULAR_GAP = 2.0  # as the PDF reader asks


def _line(top: float, cells: list[tuple[float, str]]) -> Line:
    texts: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    for x, text in cells:
        for ch in text:
            boxes.append((x, top, x + WIDE, top + H))
            texts.append(ch)
            x += WIDE
    return Line(texts, boxes, (boxes[0][0], top, boxes[-1][2], top + H))


def _cell(x: float, text: str) -> tuple[float, str]:
    """``text`` centred in the column whose middle is at ``x``."""
    return x - len(text) * WIDE / 2, text


A, B, C = 290.0, 330.0, 370.0  # the middles of the three value columns


def _row(top: float, label: str, *values: str) -> Line:
    return _line(
        top, [(88.0, label), *(_cell(x, v) for x, v in zip((A, B, C), values, strict=True))]
    )


def _texts(lines: list[Line], grid: UnruledGrid) -> list[list[str]]:
    """The grid's rows as cell texts (empty positions as "")."""
    out = [[""] * (len(grid.xs) - 1) for _ in range(len(grid.ys) - 1)]
    for cell in grid.cells:
        out[cell.row][cell.c0] = "".join(lines[k].texts[n] for k, n in cell.chars)
    return out


def test_a_number_wrapped_below_its_rows_line_is_joined() -> None:
    """５０４ on the line of （二）部分公开, ９７ on the line under it (the cell's second
    line; the row's other numbers centred between): one number, 50497, in its row."""
    gap = 5.5  # between two rows: the cells' padding
    top = 100.0
    lines = [_row(top, "信息内容", "甲", "乙", "丙")]
    top += H + gap
    lines.append(_row(top, "（一）予以公开", "０", "１５", "０"))
    top += H + gap
    lines.append(_line(top, [(88.0, "（二）部分公开"), _cell(B, "５０４")]))
    lines.append(_line(top + 6.2, [_cell(A, "０"), _cell(C, "９")]))
    lines.append(_line(top + 12.4, [_cell(B, "９７")]))
    top += 12.4 + H + gap
    lines.append(_row(top, "（三）不予公开", "３", "２２", "１"))
    top += H + gap
    lines.append(_row(top, "（四）其他处理", "０", "２８", "０"))

    (grid,) = find_grids(lines, TABULAR_GAP)
    assert _texts(lines, grid) == [
        ["信息内容", "甲", "乙", "丙"],
        ["（一）予以公开", "０", "１５", "０"],
        ["（二）部分公开", "０", "５０４９７", "９"],
        ["（三）不予公开", "３", "２２", "１"],
        ["（四）其他处理", "０", "２８", "０"],
    ]
    assert all(c.alts is None for c in grid.cells)


def test_a_unit_wrapped_under_its_number_is_joined() -> None:
    """``60024件`` wraps before its unit: the unit's line goes on with the row."""
    gap = 5.5
    lines = [_row(100.0, "信息内容", "甲", "乙", "丙")]
    lines.append(_row(100.0 + H + gap, "（一）予以公开", "0", "15件", "0"))
    top = 100.0 + 2 * (H + gap)
    lines.append(_line(top, [_cell(B, "60024")]))
    lines.append(_line(top + 6.2, [(88.0, "（二）部分公开"), _cell(A, "1"), _cell(C, "9件")]))
    lines.append(_line(top + 12.4, [_cell(B, "件")]))
    lines.append(_row(top + 12.4 + H + gap, "（三）不予公开", "3", "22", "1件"))

    (grid,) = find_grids(lines, TABULAR_GAP)
    rows = _texts(lines, grid)
    assert rows[2] == ["（二）部分公开", "1", "60024件", "9件"]
    assert len(rows) == 4


def test_a_piece_that_may_be_the_next_rows_number_leaves_the_number_in_doubt() -> None:
    """Rows printed without padding stand as close as a cell's own lines: ９７ under
    ５０４ may go on with it or be a number of a row of its own.  Nothing is joined and
    the number is in doubt: what it may be, its own reading first."""
    pitch = 12.4  # lines overlap: rows as close as a wrapped cell's lines
    top = 100.0
    lines = [_row(top, "信息内容", "甲", "乙", "丙")]
    lines.append(_row(top + pitch, "（一）予以公开", "０", "１５", "０"))
    lines.append(_row(top + 2 * pitch, "（二）部分公开", "０", "５０４", "９"))
    lines.append(_line(top + 3 * pitch, [_cell(B, "９７")]))
    lines.append(_row(top + 4 * pitch, "（三）不予公开", "３", "２２", "１"))
    lines.append(_row(top + 5 * pitch, "（四）其他处理", "０", "２８", "０"))

    (grid,) = find_grids(lines, TABULAR_GAP)
    rows = _texts(lines, grid)
    assert rows[2] == ["（二）部分公开", "０", "５０４", "９"]
    assert rows[3] == ["", "", "９７", ""]  # a row of its own, as printed
    (doubt,) = [c for c in grid.cells if c.alts is not None]
    assert (doubt.row, doubt.c0) == (2, 2)
    assert doubt.alts == ("５０４", "５０４９７")


def test_numbers_that_had_room_on_their_line_are_rows_of_their_own() -> None:
    """A short number right under another (rows without padding) is no piece of it:
    the two side by side fit in the column, so nothing is joined or doubted."""
    pitch = 12.4
    lines = [_row(100.0, "信息内容", "甲", "乙", "丙")]
    lines.append(_row(100.0 + pitch, "（一）予以公开", "０", "１５０４", "０"))
    lines.append(_row(100.0 + 2 * pitch, "（二）部分公开", "０", "５", "９"))
    lines.append(_line(100.0 + 3 * pitch, [_cell(B, "７")]))
    lines.append(_row(100.0 + 4 * pitch, "（三）不予公开", "３", "２２", "１"))

    (grid,) = find_grids(lines, TABULAR_GAP)
    rows = _texts(lines, grid)
    assert rows[2] == ["（二）部分公开", "０", "５", "９"]
    assert all(c.alts is None for c in grid.cells)


def test_a_doubted_number_of_a_tight_pdf_table_is_null_with_ocr_001() -> None:
    """Through the PDF reader and the checks: a report printed without table borders
    nor cell padding, in full-width digits (numbers wrap in the narrow columns, rows
    stand as close as a cell's lines).  No number is read wrong; a number whose piece
    under it may be the next row's is null, with OCR-001 listing what it may be (the
    printed number among them)."""
    import random
    import unicodedata

    import pytest

    from xxgk import api
    from xxgk.render.pdf import cjk_fonts
    from xxgk.variety.generate import random_report
    from xxgk.variety.habits import apply
    from xxgk.variety.layouts import printed
    from xxgk.variety.matrix import Score, score_case

    if not cjk_fonts():
        pytest.skip("没有中文字体，无法生成 PDF")
    report = random_report(random.Random("t:2"))
    case = apply(printed(report, "pdf-unruled", random.Random(2)), "fullwidth", random.Random(2))
    tight = "<style>td,th{padding:0 !important}</style></head>"
    case.printed.parts = [p.replace("</head>", tight, 1) for p in case.printed.parts]
    result = api.check_report(api.parse_bytes(case.data(), "紧排.pdf"))
    score = Score()
    score_case(report, case, result.report, score)
    assert score.wrong == 0, [(m.key, m.expected, m.got) for m in score.wrongs]
    doubts = [f for f in result.findings if f.code == "OCR-001"]
    assert doubts
    for f in doubts:
        (key,) = f.cells
        assert result.report.value(key) is None
        candidates = unicodedata.normalize("NFKC", f.message.split("候选：")[1].split("）")[0])
        assert str(report.value(key)) in candidates.split("、"), f.message
        # a text layer's number wrapped over lines, not a scan's digit misread
        assert "折成了几行" in f.message and "识别没有把握" not in f.message, f.message


def test_a_labels_last_line_under_its_numbers_stays_in_its_row() -> None:
    """A row label wrapped over three lines, its numbers beside the middle one, and a
    group label (a column further left, spanning rows) starting right under it: the
    label's last line goes on with its row (rows of this table stand apart), and the
    next row keeps its own label and numbers."""
    gap = 5.5
    top = 100.0
    lines = [_line(top, [(132.0, "信息内容"), _cell(A, "甲"), _cell(B, "乙"), _cell(C, "丙")])]
    top += H + gap
    lines.append(
        _line(top, [(132.0, "申请人无正当理由"), _cell(A, "１"), _cell(B, "２"), _cell(C, "３")])
    )
    top += H + gap
    lines.append(_line(top, [(132.0, "逾期不补正行政机")]))
    lines.append(
        _line(
            top + 12.4,
            [(132.0, "关不再处理其政府"), _cell(A, "４"), _cell(B, "５"), _cell(C, "６")],
        )
    )
    lines.append(_line(top + 24.8, [(132.0, "信息公开申请")]))
    top += 24.8 + H + gap
    lines.append(_line(top - 6.2, [(40.0, "其他")]))  # the group label, touching from below
    lines.append(_line(top, [(132.0, "其他情形"), _cell(A, "７"), _cell(B, "８"), _cell(C, "９")]))
    lines.append(_line(top + 12.4, [(40.0, "处理")]))
    top += 12.4 + H + gap
    lines.append(
        _line(top, [(132.0, "总计"), _cell(A, "１２"), _cell(B, "１５"), _cell(C, "１８")])
    )

    (grid,) = find_grids(lines, TABULAR_GAP)
    rows = [[t for t in row if t] for row in _texts(lines, grid)]
    # (the group label's lines go with the rows they touch: the extractor reads it by text)
    assert [row[-4:] for row in rows[2:]] == [
        ["逾期不补正行政机关不再处理其政府信息公开申请", "４", "５", "６"],
        ["其他情形", "７", "８", "９"],
        ["总计", "１２", "１５", "１８"],
    ]
