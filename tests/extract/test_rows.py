"""Row reading strategies on the habits of scraped and converted pages.

Each case is a short text as publishers and crawlers print table 2 or 3; the assertion
is on the values a user gets (and null where a cell was left blank), never on how the
reader grouped the cells.
"""

from __future__ import annotations

import pytest

from xxgk.extract import extract
from xxgk.model import Report
from xxgk.readers.text import parse_text

HEAD2 = "二、主动公开政府信息情况\n"
HEAD3 = "三、收到和处理政府信息公开申请情况\n"
T3_HEADER = (
    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |\n"
    "自然人 | 法人或其他组织 | 总计 |\n"
    "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n"
)


def read(text: str) -> Report:
    return extract(parse_text(text, "x.txt"))


def t2(report: Report, row: str) -> list[object]:
    return list(report.tables["t2"][row].values())


def t3(report: Report, row: str) -> list[object]:
    return list(report.tables["t3"][row].values())


def blanks(report: Report) -> set[str]:
    return {c for a in report.anomalies if a.kind == "blank" for c in a.cells}


T2_LAYOUTS = {
    "trailing pipes, explicit empty last cell": (
        "第二十条第(一)项 | |||\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "规章 | 3 | 1 | |\n行政规范性文件 | 5 | 0 | 25 |\n"
    ),
    "outer pipes": (
        "| 第二十条第(一)项 | |||\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "| 规章 | 3 | 1 | |\n| 行政规范性文件 | 5 | 0 | 25 |\n"
    ),
    "inner pipes only": (
        "第二十条第(一)项\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n"
        "规章 | 3 | 1 | \n行政规范性文件 | 5 | 0 | 25\n"
    ),
    "one cell per line with pipe, lone pipe = empty cell": (
        "第二十条第(一)项 |\n|||\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n现行有效件数 |\n"
        "规章 |\n3 |\n1 |\n|\n行政规范性文件 |\n5 |\n0 |\n25 |\n"
    ),
    "one cell per line, empty line = empty cell": (
        "第二十条第(一)项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n"
        "规章\n3\n1\n\n行政规范性文件\n5\n0\n25\n"
    ),
    "one cell per paragraph, extra blank line = empty cell": (
        "第二十条第(一)项\n\n信息内容\n\n本年制发件数\n\n本年废止件数\n\n现行有效件数\n\n"
        "规章\n\n3\n\n1\n\n\n行政规范性文件\n\n5\n\n0\n\n25\n\n"
    ),
    "one cell per paragraph, empty paragraph = empty cell": (
        "第二十条第(一)项\n\n信息内容\n\n本年制发件数\n\n本年废止件数\n\n现行有效件数\n\n"
        "规章\n\n3\n\n1\n\n\n\n行政规范性文件\n\n5\n\n0\n\n25\n\n"
    ),
    "whole table as one scraped row": (
        "第二十条第(一)项 | ||| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 | "
        "规章 | 3 | 1 | | 行政规范性文件 | 5 | 0 | 25 |\n"
    ),
}


@pytest.mark.parametrize("layout", sorted(T2_LAYOUTS))
def test_an_empty_cell_keeps_the_other_values_in_their_columns(layout: str) -> None:
    r = read(HEAD2 + T2_LAYOUTS[layout] + HEAD3)
    assert t2(r, "regulation") == [3, 1, None], layout
    assert t2(r, "normative_doc") == [5, 0, 25], layout
    assert "t2.regulation.in_force" in blanks(r)


def test_t3_row_with_six_empty_cells_then_its_total() -> None:
    """One cell per line: six lone pipes are six blank applicant cells, then 总计."""
    text = (
        HEAD3
        + T3_HEADER
        + "一、本年新收政府信息公开申请数量 |\n|\n|\n|\n|\n|\n|\n4 |\n||\n"
        + "二、上年结转政府信息公开申请数量 |\n0 |\n0 |\n0 |\n0 |\n0 |\n0 |\n0 |\n||\n"
    )
    r = read(text)
    assert t3(r, "new") == [None] * 6 + [4]
    assert t3(r, "carried_over") == [0] * 7


def test_group_label_in_front_of_the_row_label() -> None:
    text = (
        HEAD3
        + T3_HEADER
        + "三、本年度办理结果 | (一)予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |\n"
        + "(三)不予公开 | 1.属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
        + "| | 2.其他法律行政法规禁止公开 | | | | | | | 0 |\n"
    )
    r = read(text)
    assert t3(r, "granted") == [2, 1, 0, 0, 0, 0, 3]
    assert t3(r, "denied_state_secret") == [1, 0, 0, 0, 0, 0, 1]
    assert t3(r, "denied_law") == [None] * 6 + [0]


def test_a_cut_report_keeps_every_complete_row_and_the_cells_before_the_cut() -> None:
    text = (
        HEAD3
        + T3_HEADER
        + "一、本年新收政府信息公开申请数量 | 58 | 7 | 0 | 0 | 1 | 0 | 66 |\n"
        + "二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
        + "三、本年度办理结果 | (一)予以公开 | 2 | 1 | 0 | 0 |"
    )
    r = read(text)
    assert t3(r, "new") == [58, 7, 0, 0, 1, 0, 66]
    assert t3(r, "carried_over") == [2, 0, 0, 0, 0, 0, 2]
    assert t3(r, "granted") == [2, 1, 0, 0, None, None, None]


def test_a_number_the_text_stops_inside_is_not_taken() -> None:
    """``…| 0 | 37`` at the very end may be 375 cut short: null, never 37."""
    text = HEAD3 + T3_HEADER + "一、本年新收政府信息公开申请数量 | 58 | 7 | 0 | 37"
    r = read(text)
    assert t3(r, "new")[:3] == [58, 7, 0]
    assert t3(r, "new")[3:] == [None] * 4


def test_numbers_before_their_label_on_the_line_before() -> None:
    """PDF text: a vertically centred label sits below its row of numbers."""
    text = (
        HEAD3
        + "申请人情况\n自然人 法人或其他组织 总计\n"
        + "一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21\n"
        + "10 0 0 0 0 0 10\n1.本机关不掌握相关政府信息\n（四）无法提供\n"
        + "3 0 0 0 0 0 3\n2.没有现成信息需要另行制作\n"
    )
    r = read(text)
    assert t3(r, "unable_not_held") == [10, 0, 0, 0, 0, 0, 10]
    assert t3(r, "unable_needs_creation") == [3, 0, 0, 0, 0, 0, 3]


def test_a_converter_placeholder_row_does_not_replace_table_4() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "| 行政复议 | 行政诉讼 |\n| --- | --- |\n| - | - | - | - | - | - | - | - | - | - | - | - | - | - | - |\n"
        "| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
        "五、存在的主要问题及改进情况\n"
    )
    r = read(text)
    assert r.tables["t4"]["review"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 0,
        "total": 1,
    }


def test_a_row_the_format_does_not_have_is_reported_and_counted_nowhere() -> None:
    text = (
        HEAD2
        + "第二十条第(一)项 |\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
        + "规章(设区的市、自治州应提供相关数据) | 0 | 0 | 0 |\n"
        + "规范性文件(行政机关制定发布的决定、公告、通告) | 4 | 4 | 9 |\n"
        + "其他主动公开文件(含以本单位名义正式签发的主动公开文件) | 1 | 0 | 0 |\n"
        + HEAD3
    )
    r = read(text)
    assert t2(r, "regulation") == [0, 0, 0]
    assert t2(r, "normative_doc") == [4, 4, 9]
    unknown = [a for a in r.anomalies if a.kind == "unknown_row"]
    assert [a.raw for a in unknown] == ["其他主动公开文件(含以本单位名义正式签发的主动公开文件)"]


def test_a_label_printed_with_nothing_after_it_is_a_blank_row() -> None:
    text = (
        HEAD2 + "第二十条第(一)项\n\n信息内容\n\n本年制发件数\n\n规章\n\n行政规范性文件\n\n" + HEAD3
    )
    r = read(text)
    assert t2(r, "regulation") == [None, None, None]
    assert {"t2.regulation.issued", "t2.normative_doc.in_force"} <= blanks(r)
    assert not [a for a in r.anomalies if a.kind == "row_shape" and a.cells[0].startswith("t2.reg")]


def test_a_short_row_is_placed_only_where_the_narrative_states_its_number() -> None:
    table = (
        "第二十条第(一)项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "规章\t0\t0\t0\n行政规范性文件\t34\n"
    )
    said = read("一、总体情况\n全年制发行政规范性文件34件。\n" + HEAD2 + table + HEAD3)
    assert t2(said, "normative_doc") == [34, None, None]
    silent = read("一、总体情况\n全年工作平稳。\n" + HEAD2 + table + HEAD3)
    assert t2(silent, "normative_doc") == [None, None, None]
    both = read(
        "一、总体情况\n制发行政规范性文件34件，现行有效行政规范性文件34件。\n"
        + HEAD2
        + table
        + HEAD3
    )
    assert t2(both, "normative_doc") == [None, None, None]  # two places fit: no guess


def test_a_page_cut_inside_a_number_keeps_the_cells_before_it() -> None:
    """A stored page that stops inside a cell: that number may be cut short."""
    from xxgk.readers import read_bytes

    row = "".join(f"<td>{v}</td>" for v in (58, 7, 0, 0, 1, 0, 66))
    page = (
        "<html><body><p>三、收到和处理政府信息公开申请情况</p><table>"
        "<tr><td></td><td>申请人情况</td></tr><tr><td></td><td>自然人</td><td>商业企业</td><td>科研机构</td>"
        "<td>社会公益组织</td><td>法律服务机构</td><td>其他</td><td>总计</td></tr>"
        f"<tr><td>一、本年新收政府信息公开申请数量</td>{row}</tr>"
        "<tr><td>二、上年结转政府信息公开申请数量</td><td>2</td><td>0</td><td>3"
    )
    r = extract(read_bytes(page.encode("utf-8"), "cut.html"))
    assert t3(r, "new") == [58, 7, 0, 0, 1, 0, 66]
    assert t3(r, "carried_over")[:2] == [2, 0]
    assert t3(r, "carried_over")[2] is None  # "3" may be the start of 30 or 345
    whole = extract(read_bytes((page + "</td></tr></table>").encode("utf-8"), "whole.html"))
    assert t3(whole, "new") == [58, 7, 0, 0, 1, 0, 66]


def test_one_cell_per_paragraph_empty_paragraphs_follow_the_whole_document() -> None:
    """The converter's way of writing an empty cell holds for every table of a page."""
    t2_table = (
        "第二十条第(一)项\n\n信息内容\n\n本年制发件数\n\n本年废止件数\n\n现行有效件数\n\n"
        "规章\n\n3\n\n\n\n1\n\n行政规范性文件\n\n5\n\n0\n\n25\n\n"
    )
    t4 = (
        "四、政府信息公开行政复议、行政诉讼情况\n\n行政复议\n\n行政诉讼\n\n结果维持\n\n"
        "\n\n0\n\n0\n\n8\n\n1\n\n9\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n\n\n\n"
        "五、存在的主要问题及改进情况\n"
    )
    r = read(HEAD2 + t2_table + HEAD3 + t4)
    assert t2(r, "regulation") == [3, None, 1]
    assert list(r.tables["t4"]["review"].values()) == [None, 0, 0, 8, 1]
    assert r.tables["t4"]["lit_after_review"]["total"] is None


def test_a_traditional_page_keeps_its_empty_paragraph_cells() -> None:
    import opencc

    simplified = (
        "一、总体情况\n本机关认真做好政府信息公开工作，各项工作进展顺利，主动公开政府信息。\n"
        + HEAD2
        + T2_LAYOUTS["one cell per paragraph, extra blank line = empty cell"]
        + HEAD3
    )
    r = read(opencc.OpenCC("s2t").convert(simplified))
    assert any(a.kind == "traditional" for a in r.anomalies)
    assert t2(r, "regulation") == [3, 1, None]
    assert t2(r, "normative_doc") == [5, 0, 25]


def test_a_misread_label_above_its_values_never_gives_them_to_the_next_row() -> None:
    """OCR of a table without rulings reads a cell a paragraph; with 行政处罚 misread as
    行政處, its values stand between two labels.  They may be the next label's (PDF
    text puts numbers before centred labels) or the misread label's: the next row is
    left null with both rows printed (NUM-004), never filled with the other row."""
    from xxgk import api
    from xxgk.readers.document import Document, Paragraph, Where

    cells = [
        "二、主动公开政府信息情况",
        "第二十条第（六）项",
        "信息内容",
        "上一年项目数量",
        "本年增/减",
        "处理决定数量",
        "行政處",
        "5",
        "-6",
        "0",
        "行政强制",
        "0",
        "-6330",
        "68266",
        "第二十条第（八）项",
        "信息内容",
        "上一年项目数量",
        "本年增/减",
        "行政事业性收费",
        "7",
        "-25",
    ]
    blocks = [Paragraph(text, Where(page=1)) for text in cells]
    report = api.parse_document(Document("scan.pdf", "pdf", blocks, pages=1))
    assert t2(report, "compulsion") == [None, None, None]
    assert t2(report, "penalty") == [None, None, None]
    assert t2(report, "fee") == [7, -25]
    shapes = [a for a in report.anomalies if a.kind == "row_shape"]
    assert [(a.cells[0], a.raw) for a in shapes] == [
        ("t2.compulsion.prev_items", "5 -6 0 0 -6330 68266")
    ]
    codes = {f.code for f in api.check_report(report).findings}
    assert "NUM-004" in codes


def _pdf_like(text: str) -> Report:
    """The text read as a PDF page's paragraphs: each line with a box (where the PDF
    reader found it), so the extractor knows the lines stood on a page."""
    from dataclasses import replace

    from xxgk.readers.document import Paragraph

    doc = parse_text(text, "x.pdf")
    blocks = [
        replace(b, where=replace(b.where, page=1, bbox=(56.0, 10.0 * n, 530.0, 10.0 * n + 13)))
        if isinstance(b, Paragraph)
        else b
        for n, b in enumerate(doc.blocks)
    ]
    return extract(replace(doc, kind="pdf", blocks=blocks))


T3_ROWS = (
    "二、上年结转政府信息公开申请数量 4 0 28 978 0 12 1022\n"
    "三、本年度办理结果\n（一）予以公开 0 0 1 8 0 2 11\n"
)


def test_numbers_alone_on_a_pdf_line_under_a_short_row_are_pieces_not_cells() -> None:
    """A PDF table without rulings nor padding: 95193 too wide for its cell is printed
    on the lines around the row (here the line under it), the row's line holds the six
    other numbers.  On a page the numbers alone on a line are pieces of wrapped numbers:
    the row is null (NUM-004), never 101455 taken for 自然人 and 95193 for 总计, and so
    is the row under it (where rows stand as close as a cell's lines, the pieces may be
    the first pieces of its numbers).  The same lines in a text dump are one row printed
    over two lines."""
    row = "一、本年新收政府信息公开申请数量 101455 1284 424 29537 1061 461165\n95193\n"
    text = HEAD3 + T3_HEADER + row + T3_ROWS + "四、政府信息公开行政复议、行政诉讼情况\n"
    pdf = _pdf_like(text)
    assert t3(pdf, "new") == [None] * 7
    assert any(a.kind == "row_shape" and "t3.new.natural" in a.cells for a in pdf.anomalies)
    assert t3(pdf, "carried_over") == [None] * 7
    assert t3(pdf, "granted") == [0, 0, 1, 8, 0, 2, 11]
    assert t3(read(text), "new") == [101455, 1284, 424, 29537, 1061, 461165, 95193]


T3_UNABLE = (
    "三、本年度办理结果\n（一）予以公开 0 0 1 8 0 2 11\n"
    "年度办 1.本机关不掌握相关政府信息 0 30 200 10 16 21436 21692\n"
    "理结果（四）无{rest}\n"
    "法提供 2.没有现成信息需要另行制作 13 24057 11 0 26873 0 50954\n"
    "3.补正后申请内容仍不明确 21 0 0 16 1 5 43\n"
)


def test_the_last_digit_of_a_number_beside_a_labels_next_line_is_a_piece_not_lost() -> None:
    """21692 wrapped in its cell: 2169 on the row's line, 2 on the next line, glued to
    the next lines of the group labels (理结果, （四）无: a page prints no space before
    full-width digits).  The row looks whole; it is null (NUM-004), never 2169, and so
    is the row under it; a line of label pieces alone changes nothing."""
    end = "四、政府信息公开行政复议、行政诉讼情况\n"
    text = HEAD3 + T3_HEADER + T3_UNABLE.replace("21692\n", "2169\n").format(rest="２") + end
    pdf = _pdf_like(text)
    assert t3(pdf, "unable_not_held") == [None] * 7
    assert t3(pdf, "unable_needs_creation") == [None] * 7
    assert t3(pdf, "unable_unclear") == [21, 0, 0, 16, 1, 5, 43]
    assert t3(pdf, "granted") == [0, 0, 1, 8, 0, 2, 11]
    plain = _pdf_like(HEAD3 + T3_HEADER + T3_UNABLE.format(rest="") + end)
    assert t3(plain, "unable_not_held") == [0, 30, 200, 10, 16, 21436, 21692]
    assert t3(plain, "unable_needs_creation") == [13, 24057, 11, 0, 26873, 0, 50954]


def test_a_digit_alone_under_a_row_that_looks_whole_is_a_piece() -> None:
    """64225 wrapped: 6422 on the row's line (seven numbers, the row looks whole), 5
    alone on the line under it: the row is null, never 6422."""
    rows = "（一）予以公开 0 0 1 8 0 6422 6431\n5\n" + "（七）总计 1 0 0 0 0 0 1\n"
    text = HEAD3 + T3_HEADER + "三、本年度办理结果\n" + rows + "四、政府信息公开行政复议\n"
    pdf = _pdf_like(text)
    assert t3(pdf, "granted") == [None] * 7
