"""Unruled PDF tables (printed without borders): rows cut at wide gaps, columns by position,
so an empty cell keeps its place and the values after it stay in their columns."""

from __future__ import annotations

import copy
import random

import pytest

from xxgk.extract import extract
from xxgk.readers.document import Document, Paragraph, Table
from xxgk.readers.pdf import read_pdf
from xxgk.render.html import render_html
from xxgk.render.pdf import cjk_fonts
from xxgk.variety.generate import random_report

pytestmark = pytest.mark.skipif(not cjk_fonts(), reason="没有中文字体，无法生成 PDF")

_NO_BORDER = "<style>table,td,th{border:none !important}</style>"


def _pdf(body: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = (
        "<html><head><style>body{font-size:11pt} td{padding:4px 20px;text-align:center}"
        "</style></head><body>" + body + "</body></html>"
    )
    data = HTML(string=html).write_pdf()
    assert isinstance(data, bytes)
    return data


def _table(rows: list[list[str]]) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<p>说明文字一段。</p><table>{cells}</table><p>表后的文字。</p>"


def _grids(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


ROWS = [
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "15", "", "1"],
    ["规范性文件", "", "318", "9"],
    ["行政许可", "7", "23", ""],
]


def test_blank_cells_keep_their_columns() -> None:
    doc = read_pdf(_pdf(_table(ROWS)), "t.pdf")
    (grid,) = _grids(doc)
    assert grid.grid
    assert [[c.text for c in row] for row in grid.rows] == ROWS
    blank = grid.rows[1][2]
    assert blank.where.page == 1 and blank.where.bbox is not None
    x0, top, x1, bottom = blank.where.bbox
    left, right = grid.rows[1][1].where.bbox, grid.rows[1][3].where.bbox
    assert left is not None and right is not None
    assert left[2] <= x0 < x1 <= right[0] and top < bottom
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts == ["说明文字一段。", "表后的文字。"]


def test_two_rows_are_not_a_table() -> None:
    doc = read_pdf(_pdf(_table(ROWS[:2])), "t.pdf")
    assert _grids(doc) == []
    assert any("15" in b.text for b in doc.blocks if isinstance(b, Paragraph))


def test_a_number_straddling_two_columns_leaves_the_lines_as_text() -> None:
    # the last row's number is pushed right: it reaches under two columns
    shifted = '<span style="position:relative;left:75px">123456789012</span>'
    doc = read_pdf(_pdf(_table([*ROWS, ["其他", shifted, "", "5"]])), "t.pdf")
    assert _grids(doc) == []
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert "规章 15 1" in texts and "其他 123456789012 5" in texts


def test_a_number_alone_in_a_column_leaves_the_lines_as_text() -> None:
    # one row prints a fifth value no other line has a cell above or below
    doc = read_pdf(_pdf(_table([*ROWS, ["其他", "1", "2", "3", "4"]])), "t.pdf")
    assert _grids(doc) == []


def test_a_column_every_row_left_empty_keeps_its_place_in_an_even_grid() -> None:
    rows = [
        ["维持", "纠正", "其他", "尚未", "总计", "维持", "纠正"],
        ["23", "0", "0", "401", "", "5", "922"],
        ["7", "1", "12", "5", "", "0", "3"],
    ]
    body = "<table>" + "".join(
        "<tr>" + "".join(f'<td style="width:40px">{c}</td>' for c in r) + "</tr>" for r in rows
    )
    doc = read_pdf(_pdf("<p>前言。</p>" + body + "</table>"), "t.pdf")
    (grid,) = _grids(doc)
    assert [[c.text for c in row] for row in grid.rows] == rows


def test_a_label_wrapped_over_lines_keeps_its_values_on_its_row() -> None:
    # the numbers stand beside the label's middle line: the lines above join them; the
    # lines below touch the label's line above them where the rows of this table (its
    # cells padded) stand apart, so they are the same cell going on and join it too
    wrapped = '<div style="width:60px">要求行政机关确认或重新出具已获取信息</div>'
    doc = read_pdf(_pdf(_table([*ROWS, [wrapped, "4", "", "851"]])), "t.pdf")
    (grid,) = _grids(doc)
    assert [c.text for c in grid.rows[-1]] == [
        "要求行政机关确认或重新出具已获取信息",
        "4",
        "",
        "851",
    ]
    assert [[c.text for c in row] for row in grid.rows[:-1]] == ROWS


def test_unruled_report_with_blank_cells_reads_every_value_in_its_place() -> None:
    report = random_report(random.Random(4), "2021")
    blanked = copy.deepcopy(report)
    blanked.tables["t3"]["new"]["commercial"] = None
    blanked.tables["t2"]["regulation"]["issued"] = None
    html = render_html(blanked).replace("</head>", _NO_BORDER + "</head>")
    from weasyprint import HTML

    data = HTML(string=html).write_pdf()
    back = extract(read_pdf(data, "r.pdf"))
    assert back.value("t3.new.commercial") is None
    assert back.value("t3.new.research") == report.value("t3.new.research")
    assert back.value("t2.regulation.issued") is None
    assert back.value("t2.regulation.repealed") == report.value("t2.regulation.repealed")
    for key in report.version.cell_keys():
        assert back.value(key) == blanked.value(key), key


def test_no_grid_without_a_line_wider_gapped_than_the_tabular_gap() -> None:
    """The reader skips the grid search on a page none of whose lines has a gap wider
    than the tabular gap (pdf_columns.widest_gap): find_grids finds none there either,
    (seeded random lines); a grid whose gaps are wider is found."""
    from xxgk.readers.pdf_columns import Line, find_grids, widest_gap

    rng = random.Random(5)
    quiet = 0
    for _ in range(300):
        lines = []
        top = 50.0
        for _ in range(rng.randint(3, 9)):
            x, boxes = 40.0, []
            for _ in range(rng.randint(2, 12)):
                x += rng.choice([0.5, 1.0, 4.0, 12.0, 25.0, 40.0])
                boxes.append((x, top, x + 10.0, top + 10.0))
                x += 10.0
            lines.append(
                Line(
                    [rng.choice("12规章件") for _ in boxes],
                    boxes,
                    (boxes[0][0], top, x, top + 10.0),
                )
            )
            top += 14.0
        gap = rng.choice([1.0, 2.0, 3.0, 4.0])
        if all(widest_gap(line.boxes) <= gap for line in lines):
            assert find_grids(lines, gap) == []
            quiet += 1
    assert quiet >= 20  # pages without a wide gap were tried
    rows = [
        [
            (40.0, 50.0 + 14 * r, 50.0, 60.0 + 14 * r),
            (90.0, 50.0 + 14 * r, 100.0, 60.0 + 14 * r),
            (140.0, 50.0 + 14 * r, 150.0, 60.0 + 14 * r),
        ]
        for r in range(4)
    ]
    table = [
        Line(["规", "1", "2"], boxes, (40.0, boxes[0][1], 150.0, boxes[0][3])) for boxes in rows
    ]
    assert all(widest_gap(line.boxes) == 4.0 for line in table)
    assert find_grids(table, 2.0) != [] and find_grids(table, 4.0) == []
