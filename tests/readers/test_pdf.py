"""The PDF reader: what a user of a Document sees for hzq-2023.pdf, small made-up PDFs,
scans and hostile files."""

from __future__ import annotations

import io
import itertools
import re
import time
from collections.abc import Callable, Iterable

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.conftest import corpus_path
from xxgk.readers.document import Cell, Document, Paragraph, ReadError, Table
from xxgk.readers.limits import Limits
from xxgk.readers.pdf import read_pdf

# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def hzq_bytes() -> bytes:
    return corpus_path("real", "hzq-2023.pdf").read_bytes()


@pytest.fixture(scope="module")
def hzq(hzq_bytes: bytes) -> Document:
    return read_pdf(hzq_bytes, "hzq-2023.pdf")


def table_with(doc: Document, label: str) -> Table:
    """The one table that has a cell with exactly this text."""
    found = [t for t in doc.tables() if any(c.text == label for row in t.rows for c in row)]
    assert len(found) == 1, f"{label!r} in {len(found)} tables"
    return found[0]


def row_of(table: Table, label: str) -> list[Cell]:
    """The one row where a cell with this text starts (a spanning cell: its first row)."""
    found = [row for row in table.rows if any(c.text == label and not c.merged for c in row)]
    assert len(found) == 1, f"{label!r} in {len(found)} rows"
    return found[0]


def texts(cells: Iterable[Cell]) -> list[str]:
    return [c.text for c in cells]


def table_texts(doc: Document) -> list[list[list[str]]]:
    return [[texts(row) for row in t.rows] for t in doc.tables()]


# A small PDF writer for made-up pages.  F1 is Helvetica; F2 a non-embedded CJK font
# (UniGB-UCS2-H), so text is written as UTF-16BE and extracts as the same characters.

_CJK_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
    b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 "
    b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
    b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
    b"/CapHeight 880 /StemV 93 >> >>] >>"
)
H = 842.0  # page height of the made-up pages (A4 portrait)


def make_pdf(
    pages: list[str], extra_trailer: bytes = b"", extra_objects: Iterable[bytes] = ()
) -> bytes:
    """A PDF whose pages have the given content streams."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", _CJK_FONT]
    kids = []
    for content in pages:
        stream = content.encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "
            b"/F2 3 0 R >> >> >>" % (len(objects))
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    objects.extend(extra_objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        extra_trailer,
        xref,
    )
    return bytes(out)


def text(x: float, top: float, s: str, size: float = 10.5) -> str:
    """Text whose glyph box starts at (x, top), in points from the top-left corner."""
    baseline = H - top - size * 0.88
    return f"BT /F2 {size} Tf 1 0 0 1 {x} {baseline:.2f} Tm <{s.encode('utf-16-be').hex()}> Tj ET\n"


def grid(xs: list[float], ys: list[float], style: str = "line") -> str:
    """Rulings of a full grid; style 'line' strokes lines, 'bar' fills thin black boxes."""
    out = []
    for y in ys:
        out.append(_ruling(xs[0], y, xs[-1], y, style))
    for x in xs:
        out.append(_ruling(x, ys[0], x, ys[-1], style))
    return "".join(out)


def _ruling(x0: float, top0: float, x1: float, top1: float, style: str) -> str:
    if style == "bar":
        w, h = max(x1 - x0, 0.5), max(top1 - top0, 0.5)
        return f"0 0 0 rg {x0:.2f} {H - top0 - h:.2f} {w:.2f} {h:.2f} re f\n"
    return f"0.5 w {x0:.2f} {H - top0:.2f} m {x1:.2f} {H - top1:.2f} l S\n"


def cells_text(xs: list[float], ys: list[float], rows: list[list[str]]) -> str:
    out = []
    for r, row in enumerate(rows):
        for c, s in enumerate(row):
            for k, part in enumerate(s.split("\n")):
                out.append(text(xs[c] + 3, ys[r] + 3 + 13 * k, part))
    return "".join(out)


def image_pdf(pages: int = 1) -> bytes:
    images = [Image.new("L", (300, 400), 200) for _ in range(pages)]
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:])
    return buf.getvalue()


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buf, "PNG")
    return buf.getvalue()


def turned(data: bytes, rotate: int, redraw: bool) -> bytes:
    """Every page given /Rotate; with ``redraw`` the content is turned back so the page
    still reads upright on screen (a real landscape/rotated page), else it shows sideways."""
    doc = pdfium.PdfDocument(data)
    for i in range(len(doc)):
        page = doc[i]
        w, h = page.get_size()
        if redraw:
            matrix = {
                90: pdfium.PdfMatrix(0, 1, -1, 0, h, 0),
                180: pdfium.PdfMatrix(-1, 0, 0, -1, w, h),
                270: pdfium.PdfMatrix(0, -1, 1, 0, 0, w),
            }[rotate]
            for obj in list(page.get_objects(max_depth=1)):
                obj.transform(matrix)
            if rotate != 180:
                page.set_mediabox(0, 0, h, w)
                page.set_cropbox(0, 0, h, w)
            page.gen_content()
        page.set_rotation(rotate)
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    return buf.getvalue()


# --------------------------------------------------------------------------- hzq-2023.pdf


def test_hzq_document(hzq: Document) -> None:
    assert hzq.kind == "pdf"
    assert hzq.pages == 5
    assert hzq.meta.get("title") == "洪泽区人民政府2023年政府信息公开工作年度报告"
    assert hzq.meta.get("created") == "2024-02-26T14:41:23+06:41"
    assert "note" not in hzq.meta
    tables = hzq.tables()
    assert len(tables) == 3  # t2 (pages 2-3), t3 (pages 3-4), t4 (page 4)
    for index, table in enumerate(tables):
        assert table.grid
        assert len({len(row) for row in table.rows}) == 1
        assert table.where.table == index
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                assert cell.where.table == index
                if not cell.merged:
                    assert (cell.where.row, cell.where.col) == (r, c)


def test_hzq_t2_joined_over_pages_2_and_3(hzq: Document) -> None:
    t2 = table_with(hzq, "行政事业性收费")
    fee = row_of(t2, "行政事业性收费")
    value = [c for c in fee if c.text == "7730.28"]
    assert len(value) == 3  # one value spanning the three value columns
    assert not value[0].merged and value[0].colspan == 3
    assert all(c.merged for c in value[1:])
    assert value[0].where.page == 3
    normative = row_of(t2, "行政规范性文件")
    assert texts(normative[1:]) == ["0", "5", "5"]
    assert normative[0].where.page == 2
    assert texts(row_of(t2, "行政许可"))[1] == "550"
    assert texts(row_of(t2, "行政处罚"))[1] == "4119"
    assert texts(row_of(t2, "行政强制"))[1] == "195"


T3_ROWS = {
    "一、本年新收政府信息公开申请数量": ["21", "0", "0", "0", "0", "0", "21"],
    "二、上年结转政府信息公开申请数量": ["0"] * 7,
    "（一）予以公开": ["0"] * 7,
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": ["4", "0", "0", "0", "0", "0", "4"],
    "1.属于国家秘密": ["1", "0", "0", "0", "0", "0", "1"],
    "2.其他法律行政止公开": ["0"] * 7,  # garbled in the original, kept as printed
    "3.危及“三安全一稳定”": ["0"] * 7,
    "1.本机关不掌握相关政府信息": ["10", "0", "0", "0", "0", "0", "10"],
    "2.没有现成信息需要另行制作": ["3", "0", "0", "0", "0", "0", "3"],  # last row on page 3
    "3.补正后申请内容仍不明确": ["0"] * 7,  # first row on page 4
    "1.信访举报投诉类申请": ["1", "0", "0", "0", "0", "0", "1"],
    "4.无正当理由大量反复申请": ["0"] * 7,
    "5.要求行政机关确认或重新出具已获取信息": ["0"] * 7,
    "（七）总计": ["21", "0", "0", "0", "0", "0", "21"],
    "四、结转下年度继续办理": ["0"] * 7,
}


def test_hzq_t3_values_by_label(hzq: Document) -> None:
    t3 = table_with(hzq, "（七）总计")
    assert t3.width == 10
    for label, values in T3_ROWS.items():
        assert texts(row_of(t3, label)[-7:]) == values, label


def test_hzq_t3_is_one_table_over_pages_3_and_4(hzq: Document) -> None:
    t3 = table_with(hzq, "（七）总计")
    assert t3 is table_with(hzq, "一、本年新收政府信息公开申请数量")
    assert t3.where.page == 3
    assert {c.where.page for row in t3.rows for c in row} == {3, 4}
    assert row_of(t3, "2.没有现成信息需要另行制作")[-1].where.page == 3
    assert row_of(t3, "3.补正后申请内容仍不明确")[-1].where.page == 4
    # The group label (四) stands at the foot of page 3 and covers the first row of page 4.
    continued = row_of(t3, "3.补正后申请内容仍不明确")
    assert continued[1].text == "（四）无法提供"
    assert continued[1].merged and continued[1].where.page == 3


def test_hzq_vertical_label_joined(hzq: Document) -> None:
    t3 = table_with(hzq, "（七）总计")
    label = [c for row in t3.rows for c in row if c.text == "三、本年度办理结果"]
    top = [c for c in label if not c.merged]
    assert len(top) == 1
    first = t3.rows.index(row_of(t3, "（一）予以公开"))
    last = t3.rows.index(row_of(t3, "（七）总计"))
    assert top[0].where.row == first
    assert top[0].rowspan == last - first + 1
    assert all(t3.rows[r][0].text == "三、本年度办理结果" for r in range(first, last + 1))


def test_hzq_wrapped_label_joined_without_space(hzq: Document) -> None:
    t3 = table_with(hzq, "（七）总计")
    assert row_of(t3, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    assert row_of(t3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    header = {c.text for row in t3.rows[:3] for c in row}
    assert {"商业企业", "科研机构", "社会公益组织", "法律服务机构", "自然人", "总计"} <= header


def test_hzq_t4_values(hzq: Document) -> None:
    t4 = table_with(hzq, "行政复议")
    assert t4.width == 15
    values = [texts(row) for row in t4.rows if all(c.text.isdigit() for c in row)]
    assert values == [["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]]
    heads = row_of(t4, "行政诉讼")
    assert texts(heads).count("行政诉讼") == 10 and texts(heads).count("行政复议") == 5


def test_hzq_paragraphs(hzq: Document) -> None:
    paras = hzq.paragraphs()
    lines = [p.text for p in paras]
    assert not [s for s in lines if re.fullmatch(r"-\s*\d+\s*-", s)]  # page footers dropped
    assert "一、总体情况" in lines
    first = next(p for p in paras if p.text == "一、总体情况")
    assert first.where.page == 1 and first.where.bbox is not None
    x0, top, x1, bottom = first.where.bbox
    assert 0 <= x0 < x1 <= 595 and 0 <= top < bottom <= 842
    # A paragraph wrapped over lines, and over the page break from page 1 to page 2.
    joined = next(p for p in paras if "严格执行“分级审核、先审后发”程序" in p.text)
    assert joined.where.page == 1
    assert (
        "2023 年，我区在政府网站平台主动公开政府信息 1136 条。"
        in lines[lines.index("一、总体情况") + 2]
    )


def test_hzq_reading_order(hzq: Document) -> None:
    order = [b.text if isinstance(b, Paragraph) else b for b in hzq.blocks]
    t2, t3, t4 = hzq.tables()
    assert order.index("二、主动公开政府信息情况") < order.index(t2)
    assert order.index(t2) < order.index("三、收到和处理政府信息公开申请情况") < order.index(t3)
    assert order.index(t3) < order.index("四、政府信息公开行政复议、行政诉讼情况") < order.index(t4)
    assert order.index(t4) < order.index("五、存在的主要问题及改进情况")


@pytest.mark.parametrize("rotate", [90, 180, 270])
@pytest.mark.parametrize("redraw", [True, False], ids=["upright-on-screen", "sideways"])
def test_rotated_pages_read_the_same(
    hzq_bytes: bytes, hzq: Document, rotate: int, redraw: bool
) -> None:
    doc = read_pdf(turned(hzq_bytes, rotate, redraw), "turned.pdf")
    assert table_texts(doc) == table_texts(hzq)
    assert [p.text for p in doc.paragraphs()] == [p.text for p in hzq.paragraphs()]


def test_partial_text_layer_is_read(hzq_bytes: bytes) -> None:
    doc = pdfium.PdfDocument(hzq_bytes)
    doc.import_pages(pdfium.PdfDocument(image_pdf()))
    buf = io.BytesIO()
    doc.save(buf)
    read = read_pdf(buf.getvalue(), "mixed.pdf")
    assert read.pages == 6
    assert len(read.tables()) == 3
    assert "第 6 页" in read.meta["note"]


# --------------------------------------------------------------------------- made-up PDFs


def test_word_style_table_from_filled_bars() -> None:
    xs, ys = [80.0, 200.0, 300.0, 480.0], [100.0, 130.0, 170.0, 210.0]
    rows = [
        ["项目", "数量", "备注"],
        ["行政许可", "550", "部分公开（区分\n处理的）"],
        ["Total", "7", "open\ndata"],
    ]
    page = text(80, 60, "二、主动公开政府信息情况") + grid(xs, ys, "bar") + cells_text(xs, ys, rows)
    # An invisible white box behind a paragraph is not a table.
    page += "1 1 1 rg 80 500 400 30 re f\n" + text(85, 310, "其他说明")
    doc = read_pdf(make_pdf([page]), "word.pdf")
    (table,) = doc.tables()
    assert [texts(r) for r in table.rows] == [
        ["项目", "数量", "备注"],
        ["行政许可", "550", "部分公开（区分处理的）"],
        ["Total", "7", "open data"],
    ]
    assert table.rows[1][2].where.bbox == pytest.approx((300, 130, 480, 170), abs=1)
    assert [p.text for p in doc.paragraphs()] == ["二、主动公开政府信息情况", "其他说明"]


def test_table_without_outer_side_borders() -> None:
    xs, ys = [80.0, 240.0, 360.0, 480.0], [100.0, 130.0, 160.0]
    page = "".join(_ruling(xs[0], y, xs[-1], y, "line") for y in ys)
    page += "".join(_ruling(x, ys[0], x, ys[-1], "line") for x in xs[1:-1])
    page += cells_text(xs, ys, [["项目", "件数", "金额"], ["行政许可", "550", "7730.28"]])
    page += text(80, 300, "表格之后的说明文字")
    (table,) = read_pdf(make_pdf([page]), "open.pdf").tables()
    assert [texts(r) for r in table.rows] == [
        ["项目", "件数", "金额"],
        ["行政许可", "550", "7730.28"],
    ]


def test_a_number_run_out_over_the_tables_side_stays_in_its_cell() -> None:
    """A table wider than the page's text (Word/WPS export, a last column too narrow):
    the last column's number wraps and its first line runs out over the right border,
    as the first column's over the left one.  The digits past the border are the
    cell's, not text beside the table (17753 was read 1773, 5 lost)."""
    xs, ys = [60.0, 200.0, 260.0, 300.0], [100.0, 130.0, 170.0]
    page = grid(xs, ys) + cells_text(xs, ys, [["项目", "件数", "总计"]])
    # the font's digits are 10.5 pt wide: 1775 from 267 ends at 309, its 5 centred past
    # x = 300; 一 from 52 is centred left of x = 60
    page += text(205, 133, "16") + text(267, 133, "1775") + text(267, 146, "3")
    page += text(52, 133, "一、") + text(73, 133, "行政") + text(205, 146, "2")
    page += text(288, 157, "512")  # a line run out further: its 2 wholly past the side
    page += text(360, 133, "旁注")  # text beside the table, apart: not the cell's
    doc = read_pdf(make_pdf([page]), "wide.pdf")
    (table,) = doc.tables()
    assert [texts(r) for r in table.rows] == [
        ["项目", "件数", "总计"],
        ["一、行政", "16 2", "1775 3 512"],
    ]
    assert "旁注" in [b.text for b in doc.blocks if not isinstance(b, Table)]


def test_a_number_run_out_into_the_next_column_goes_back_to_its_cell() -> None:
    """HTML typeset to PDF does not wrap a number too wide for its column: 101094 runs
    over the border into the next cell, where that cell's own 128 is printed over its 4.
    What continues the number across the border is its cell's (101094 and 128 were read
    10109 and 4128).  Numbers that only touch the border, printed without padding, stay."""
    xs, ys = [60.0, 200.0, 240.0, 300.0], [100.0, 130.0, 160.0, 190.0]
    page = grid(xs, ys) + cells_text(xs, ys, [["项目", "件数", "金额"]])
    page += text(63, 133, "行政许可") + text(203, 133, "101094") + text(262, 133, "128")
    page += text(63, 163, "行政处罚") + text(219, 163, "77") + text(240, 163, "55")
    (table,) = read_pdf(make_pdf([page]), "overflow.pdf").tables()
    assert [texts(r) for r in table.rows] == [
        ["项目", "件数", "金额"],
        ["行政许可", "101094", "128"],
        ["行政处罚", "77", "55"],
    ]


def test_a_number_run_out_with_the_border_between_its_digits_goes_back_to_its_cell() -> None:
    """Chromium prints a number too wide for its cell past the border: the border may
    fall inside one digit's box, that digit's centre past it (1208 and the next cell's
    35 were read 12 and 08 35).  The digits that continue the run there go back."""
    xs, ys = [60.0, 200.0, 250.0, 330.0], [100.0, 130.0, 160.0]
    page = grid(xs, ys) + cells_text(xs, ys, [["项目", "件数", "金额"]])
    # 1 at 226-236.5, 2 at 236.5-247, 0 at 247-257.5 (its centre past 250), 8 to 268
    page += text(63, 133, "行政许可") + text(226, 133, "1208") + text(290, 133, "35")
    (table,) = read_pdf(make_pdf([page]), "overflow.pdf").tables()
    assert [texts(r) for r in table.rows] == [["项目", "件数", "金额"], ["行政许可", "1208", "35"]]
    assert all(c.where.doubt is None and c.where.alts is None for c in table.rows[1])


def test_a_number_run_out_over_the_next_cells_own_number_is_told_apart() -> None:
    """Chromium overprints a number run out of its cell over the next cell's own one,
    which it prints a little higher: 172468's 6 and 8 among 499742's digits (read 17246
    and 4899742).  The run goes on where each digit ends, on its baseline."""
    xs, ys = [60.0, 200.0, 240.0, 330.0], [100.0, 130.0, 160.0]
    page = grid(xs, ys) + cells_text(xs, ys, [["项目", "件数", "金额"]])
    # 172468 from 203: its 4 across the border at 240, then 6 at 245, 8 at 255.5;
    # 499742 from 246, 2 points higher
    page += text(63, 133, "行政许可") + text(203, 133, "172468") + text(246, 131, "499742")
    (table,) = read_pdf(make_pdf([page]), "overprinted.pdf").tables()
    assert texts(table.rows[1]) == ["行政许可", "172468", "499742"]


def test_a_number_run_out_stops_where_the_next_cells_own_number_stands_over_it() -> None:
    """WeasyPrint runs an inserted 169004 over the border on to 0.23 pt over the 6 of
    the next cell's own 60070, on one baseline (read 16900460070 and nothing): the
    digits of one run meet, they do not stand over each other."""
    xs, ys = [60.0, 200.0, 250.0, 330.0], [100.0, 130.0, 160.0]
    page = grid(xs, ys) + cells_text(xs, ys, [["项目", "件数", "金额"]])
    # 169004 from 205: its fifth digit 247-257.5 across the border, the last to 268;
    # 60070 from 267.8
    page += text(63, 133, "行政许可") + text(205, 133, "169004") + text(267.8, 133, "60070")
    (table,) = read_pdf(make_pdf([page]), "overrun.pdf").tables()
    assert texts(table.rows[1]) == ["行政许可", "169004", "60070"]


def test_a_number_run_out_of_the_last_column_keeps_its_digits_past_the_side() -> None:
    """The last column's number runs over the table's right side: its 2 stands across it
    (centred inside), its last 6 wholly past it (read 17692, the 6 left as text)."""
    xs, ys = [60.0, 200.0, 250.0], [100.0, 130.0, 160.0]
    page = grid(xs, ys) + cells_text(xs, ys, [["项目", "件数"]])
    page += text(63, 133, "行政许可") + text(200.5, 133, "176926")  # 2 at 242.5-253
    doc = read_pdf(make_pdf([page]), "overrun.pdf")
    (table,) = doc.tables()
    assert texts(table.rows[1]) == ["行政许可", "176926"]
    assert not any(isinstance(b, Paragraph) and "6" in b.text for b in doc.blocks)


def test_a_row_whose_text_stands_right_of_its_columns_is_in_doubt() -> None:
    """A web page's p {text-indent: 2em} prints each number of a narrow column in the
    next one, the last past the table's right side beside the last column's own: which
    column each number is in is not known, so every number of that row is in doubt
    ("shifted").  A row whose last number alone runs out past the side is not."""
    xs, ys = [60.0, 120.0, 160.0, 200.0], [100.0, 130.0, 160.0, 190.0]
    page = grid(xs, ys) + cells_text(xs, ys, [["项目", "维持", "纠正"]])
    # 40 from 170 to 191, then 67 from 195: its 6 centred past the side at 200
    page += text(63, 133, "诉讼") + text(145, 133, "6") + text(170, 133, "40")
    page += text(195, 133, "67")
    page += text(63, 163, "复议") + text(125, 163, "5") + text(165, 163, "12345")  # to 217.5
    (table,) = read_pdf(make_pdf([page]), "shifted.pdf").tables()
    assert [texts(r) for r in table.rows[1:]] == [["诉讼", "6", "40 67"], ["复议", "5", "12345"]]
    assert [c.where.doubt for c in table.rows[1]] == [None, "shifted", "shifted"]
    assert [c.where.doubt for c in table.rows[2]] == [None, None, None]


def test_a_row_with_two_numbers_in_a_cell_or_one_past_the_table_is_in_doubt() -> None:
    """Numbers pushed out of their narrow columns (a page's p {text-indent: 2em}) land
    beside the next column's own ("43 19" in one cell), and the row's last may stand
    wholly past the table's right side: every number of that row is in doubt
    ("shifted"); its label, and the other rows, are not."""
    xs, ys = [60.0, 160.0, 230.0, 300.0], [100.0, 130.0, 160.0, 190.0, 220.0]
    page = grid(xs, ys) + cells_text(xs, ys, [["项目", "维持", "纠正"]])
    page += text(63, 133, "1.诉讼") + text(163, 133, "43") + text(190, 133, "19")
    page += text(240, 133, "8")
    page += text(63, 163, "2.复议") + text(163, 163, "5") + text(240, 163, "8")
    page += text(301, 163, "54")  # wholly past the side at 300
    page += text(63, 193, "3.其他") + text(163, 193, "7") + text(240, 193, "9")
    (table,) = read_pdf(make_pdf([page]), "shifted.pdf").tables()
    assert [texts(r) for r in table.rows[1:]] == [
        ["1.诉讼", "43 19", "8"],
        ["2.复议", "5", "8"],
        ["3.其他", "7", "9"],
    ]
    doubts = [[c.where.doubt for c in r] for r in table.rows[1:]]
    assert doubts == [[None, "shifted", "shifted"], [None, "shifted", "shifted"], [None] * 3]


def test_numbers_meeting_on_a_border_are_left_in_doubt() -> None:
    """Two digits' boxes meet on a ruling (within 0.05 pt): one number run over the border
    or two numbers printed without padding, the page cannot tell.  Both cells keep their
    text, in doubt ("border": null unless the arithmetic decides); text of a cell that
    starts on the border with a gap before it, or next to a label, is not in doubt."""
    xs, ys = [60.0, 200.0, 240.0, 300.0], [100.0, 130.0, 160.0, 190.0]
    page = grid(xs, ys) + cells_text(xs, ys, [["项目", "件数", "金额"]])
    page += text(63, 133, "行政许可") + text(219, 133, "77") + text(240, 133, "55")
    page += text(63, 163, "行政处罚") + text(218, 163, "66") + text(240, 163, "44")
    (table,) = read_pdf(make_pdf([page]), "touching.pdf").tables()
    assert [texts(r) for r in table.rows[1:]] == [
        ["行政许可", "77", "55"],
        ["行政处罚", "66", "44"],
    ]
    assert [(c.where.doubt, c.where.alts) for c in table.rows[1][1:]] == [
        ("border", ("77",)),
        ("border", ("55",)),
    ]
    assert [(c.where.doubt, c.where.alts) for c in table.rows[2]] == [(None, None)] * 3


def test_text_struck_out_is_read_as_deleted_and_told() -> None:
    """Tracked changes shown when exported (Word's, WPS's, LibreOffice's 显示标记): the
    deleted 46 struck out and the inserted 0 underlined in a cell, a sentence struck out
    in the text.  The struck text is read as deleted, the page says what it was, and
    neither line is taken for a table ruling (their ends would make up borders through
    the cell).  A ruling through a line of text that runs on past it is a ruling: the
    text stays."""
    xs, ys = [60.0, 200.0, 260.0, 320.0], [100.0, 130.0, 160.0]
    page = grid(xs, ys) + cells_text(xs, ys, [["项目", "件数", "金额"], ["行政许可", "", "7"]])
    page += text(205, 133, "460")  # 46 struck, 0 underlined (the digits are 10.5 pt wide)
    page += _ruling(205, 138.5, 226, 138.5, "line") + _ruling(226, 142, 236.5, 142, "line")
    page += text(60, 300, "收到申请397件。本机关依法受理。")
    page += _ruling(60, 305.5, 154.5, 305.5, "line")  # through 收到申请397件。
    page += text(60, 400, "一条横线穿过的文字") + _ruling(40, 405, 300, 405, "line")
    doc = read_pdf(make_pdf([page]), "tracked.pdf")
    tables = doc.tables()
    assert [texts(r) for r in tables[0].rows] == [["项目", "件数", "金额"], ["行政许可", "0", "7"]]
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert "本机关依法受理。" in paragraphs and "一条横线穿过的文字" in paragraphs
    assert not any("收到申请" in p for p in paragraphs)
    assert doc.meta["struck"] == "第 1 页：46、收到申请397件。"


def test_lines_drawn_as_thin_boxes_and_underlines_past_the_text_are_not_rulings() -> None:
    """As Chromium prints a web page's <del> and <ins>: each line a thin filled box (a
    ruling on each side of it), the underline at the foot of the characters' box and on
    under the space after them.  The struck 46 is read as deleted, once; no made-up
    border splits the cell (29 was read 2 and 9)."""
    xs, ys = [60.0, 200.0, 260.0, 320.0], [100.0, 130.0, 160.0]
    page = grid(xs, ys) + cells_text(xs, ys, [["项目", "件数", "金额"], ["行政许可", "", "7"]])
    page += text(205, 133, "4629")
    page += f"0 0 0 rg 205 {H - 138.8:.2f} 21 0.7 re f\n"  # through 46
    page += f"0 0 0 rg 226 {H - 143.9:.2f} 24 0.7 re f\n"  # under 29, 3 pt on
    (table,) = read_pdf(make_pdf([page]), "chromium.pdf").tables()
    assert [texts(r) for r in table.rows] == [["项目", "件数", "金额"], ["行政许可", "29", "7"]]
    assert read_pdf(make_pdf([page]), "chromium.pdf").meta["struck"] == "第 1 页：46"


def test_a_table_ruling_under_characters_that_fill_a_cell_is_kept() -> None:
    """Text filling its cell, printed with no padding and running into the border under
    it, drawn cell by cell (as WeasyPrint and Word draw them): that border is no
    underline to read the text by, and the cell reads as printed."""
    xs, ys = [60.0, 200.0, 231.5, 300.0], [100.0, 130.0, 142.0]
    page = "".join(_ruling(x, y, x2, y, "line") for y in ys for x, x2 in itertools.pairwise(xs))
    page += "".join(_ruling(x, ys[0], x, ys[-1], "line") for x in xs)
    page += cells_text(xs, ys, [["项目", "件数", "金额"]])
    page += text(65, 132, "行政许可") + text(200, 132, "123") + text(235, 132, "7")
    (table,) = read_pdf(make_pdf([page]), "tight.pdf").tables()
    assert [texts(r) for r in table.rows] == [["项目", "件数", "金额"], ["行政许可", "123", "7"]]


def _two_page_table(second_xs: list[float], between: str = "") -> bytes:
    xs = [80.0, 240.0, 360.0, 480.0]
    ys1 = [640.0 + 30 * k for k in range(5)]  # ends at 760, near the foot of the page
    ys2 = [80.0 + 30 * k for k in range(3)]
    page1 = text(80, 600, "三、收到和处理政府信息公开申请情况") + grid(xs, ys1)
    page1 += cells_text(
        xs,
        ys1,
        [["项目", "件数", "金额"], ["一行", "1", "2"], ["二行", "3", "4"], ["三行", "5", "6"]],
    )
    page1 += between + text(290, 800, "- 1 -")
    page2 = grid(second_xs, ys2) + cells_text(
        second_xs, ys2, [["四行", "7", "8"], ["五行", "9", "10"]]
    )
    page2 += text(80, 200, "四、政府信息公开行政复议、行政诉讼情况") + text(290, 800, "- 2 -")
    return make_pdf([page1, page2])


def test_table_continued_on_next_page_is_joined() -> None:
    doc = read_pdf(_two_page_table([80.0, 240.0, 360.0, 480.0]), "joined.pdf")
    (table,) = doc.tables()
    assert [texts(r) for r in table.rows] == [
        ["项目", "件数", "金额"],
        ["一行", "1", "2"],
        ["二行", "3", "4"],
        ["三行", "5", "6"],
        ["四行", "7", "8"],
        ["五行", "9", "10"],
    ]
    assert [r[0].where.page for r in table.rows] == [1, 1, 1, 1, 2, 2]
    assert [r[0].where.row for r in table.rows] == [0, 1, 2, 3, 4, 5]
    assert [p.text for p in doc.paragraphs()] == [
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_table_not_joined_when_columns_differ() -> None:
    doc = read_pdf(_two_page_table([80.0, 150.0, 420.0, 480.0]), "two.pdf")
    assert [len(t.rows) for t in doc.tables()] == [4, 2]


def test_table_not_joined_when_text_stands_between() -> None:
    doc = read_pdf(
        _two_page_table([80.0, 240.0, 360.0, 480.0], text(80, 770, "注：单位为件")), "two.pdf"
    )
    assert [len(t.rows) for t in doc.tables()] == [4, 2]
    assert "注：单位为件" in [p.text for p in doc.paragraphs()]


def test_wrapped_lines_joined_but_unruled_table_rows_kept_apart() -> None:
    body = (
        "政府信息公开工作取得一定的成效但对照上级要求仍存在一定差距如依申请公开工作规范性还有待提高"
    )
    page = text(101, 100, body[:28]) + text(80, 118, body[28:58]) + text(80, 136, body[58:])
    rows = [("一、本年新收申请数量", "21", "0", "21"), ("二、上年结转申请数量", "0", "0", "0")]
    for k, (label, *values) in enumerate(rows):
        top = 170 + 18 * k
        page += text(80, top, label)
        for x, value in zip((290, 330, 374), values, strict=True):
            page += text(x + 21 - 10.5 * len(value), top, value)
    doc = read_pdf(make_pdf([page]), "unruled.pdf")
    assert [p.text for p in doc.paragraphs()] == [
        body,
        "一、本年新收申请数量 21 0 21",
        "二、上年结转申请数量 0 0 0",
    ]


def test_page_numbers_dropped_in_footer_only() -> None:
    pages = [
        text(80, 100, "正文第一段") + text(80, 300, "12") + text(280, 800, "第 1 页 共 2 页"),
        text(80, 100, "正文第二段") + text(280, 805, "2/2"),
    ]
    doc = read_pdf(make_pdf(pages), "footers.pdf")
    assert [p.text for p in doc.paragraphs()] == ["正文第一段", "12", "正文第二段"]


# --------------------------------------------------------------------------- refusals


def test_scan_without_text_layer() -> None:
    # blank grey pages: read by OCR (tests/ocr reads real text), which finds nothing
    with pytest.raises(ReadError) as info:
        read_pdf(image_pdf(3), "scan.pdf")
    assert info.value.problem.startswith("PDF 是扫描件，但没有识别出文字")
    assert info.value.source == "scan.pdf"


def _encrypted() -> bytes:
    handler = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"AB" * 32, b"CD" * 32)
    trailer = b"/Encrypt 6 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] "
    return make_pdf([text(80, 100, "机密")], trailer, [handler])


@pytest.mark.parametrize(
    ("name", "make", "problem"),
    [
        ("empty", lambda data: b"", "文件是空的"),
        ("png", lambda data: png_bytes(), "不是 PDF"),
        ("half", lambda data: data[: len(data) // 2], "不完整"),
        ("cut-xref", lambda data: data[:-200], "不完整"),
        ("garbage", lambda data: b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"%%EOF", "已损坏"),
        ("encrypted", lambda data: _encrypted(), "已加密"),
        ("blank", lambda data: make_pdf(["", ""]), "没有可提取的文字"),
    ],
)
def test_unreadable_input_raises_read_error(
    hzq_bytes: bytes, name: str, make: Callable[[bytes], bytes], problem: str
) -> None:
    with pytest.raises(ReadError) as info:
        read_pdf(make(hzq_bytes), f"{name}.pdf")
    assert problem in info.value.problem
    assert info.value.source == f"{name}.pdf"


def test_limits(hzq_bytes: bytes) -> None:
    with pytest.raises(ReadError, match="页数过多"):
        read_pdf(hzq_bytes, "x.pdf", Limits(max_pages=4))
    with pytest.raises(ReadError, match="文件过大"):
        read_pdf(hzq_bytes, "x.pdf", Limits(max_bytes=1000))
    with pytest.raises(ReadError, match="单元格过多"):
        read_pdf(hzq_bytes, "x.pdf", Limits(max_cells=100))
    with pytest.raises(ReadError, match="文字过多"):
        read_pdf(hzq_bytes, "x.pdf", Limits(max_chars=500))


def test_crowded_pages_are_bounded() -> None:
    rows = "".join(
        f"BT /F1 2 Tf 20 {800 - 2.2 * k:.1f} Td ({'8' * 500}) Tj ET\n" for k in range(120)
    )
    strokes = "".join(
        f"{20 + k % 500} {100 + k // 500} m {21 + k % 500} {100 + k // 500} l "
        for k in range(40_000)
    )
    dense = [60.0 + 4.5 * k for k in range(101)]
    pages = [
        rows,  # 60,000 characters
        "0.1 w " + strokes + "S\n" + text(80, 100, "第二页正文内容"),  # 40,000 strokes
        grid(dense, [100.0 + 5 * k for k in range(121)])
        + text(80, 40, "第三页正文内容"),  # 14,641 crossings
    ]
    start = time.perf_counter()
    doc = read_pdf(make_pdf(pages), "crowded.pdf")
    assert time.perf_counter() - start < 20
    assert doc.pages == 3
    note = doc.meta["note"]
    assert "第 1 页字符过多" in note and "第 2 页图形过多" in note and "第 3 页表格线过多" in note
    texts_read = [p.text for p in doc.paragraphs()]
    assert "第二页正文内容" in texts_read and "第三页正文内容" in texts_read
    assert doc.tables() == []


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 4000)), max_size=3),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=40),
    keep=st.one_of(st.just(1.0), st.floats(0.5, 1.0)),
)
def test_mutated_pdf_gives_document_or_read_error(
    hzq_bytes: bytes, cuts: list[tuple[float, int]], flips: list[tuple[float, int]], keep: float
) -> None:
    data = bytearray(hzq_bytes[: max(1, int(len(hzq_bytes) * keep))])
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    for where, length in cuts:
        at = int(where * len(data))
        del data[at : at + length]
    start = time.perf_counter()
    try:
        doc = read_pdf(bytes(data), "fuzz.pdf")
    except ReadError as exc:
        assert exc.problem
    else:
        assert isinstance(doc, Document)
        for table in doc.tables():
            assert len({len(row) for row in table.rows}) == 1
    assert time.perf_counter() - start < 10


def test_a_glyph_whose_box_is_its_ink_stands_on_its_line() -> None:
    """PDFium gives a glyph of a font without ascent and descent its ink box for its
    loose box (Chromium's 一: 1.1 pt high among 10 pt boxes, its centre 1 pt below the
    line's): it is read on its line, in its place (（一）予以公开 was read 一（）予以公开)."""
    from xxgk.readers.pdf import _block_text, _Char

    x, chars = 89.5, []
    for ch in "（一）予以公开":
        box = (x, 252.2, x + 9.5, 262.4) if ch != "一" else (x, 256.0, x + 8.7, 257.1)
        chars.append(_Char(ch, box, 0))
        x += 9.5
    assert _block_text(chars) == "（一）予以公开"
    assert _block_text(list(reversed(chars))) == "（一）予以公开"


def test_a_page_number_inside_a_row_broken_over_the_page_is_not_its_text() -> None:
    """Chromium draws a row broken over the page down into the page's foot, round the
    page's number: "— 2 —" stands between the row's borders, with no ruling under it
    (read into the row's cells as "— 2 3" and "— 24" once joined with its other part)."""
    xs = [60.0, 200.0, 260.0, 320.0]
    page = "".join(_ruling(xs[0], y, xs[-1], y, "line") for y in (700.0, 730.0))
    page += "".join(_ruling(x, 700.0, x, 830.0, "line") for x in xs)  # open at the foot
    page += cells_text(xs, [700.0, 730.0], [["行政许可", "5", "7"]])
    page += text(63, 733, "行政处罚") + text(205, 800, "— 2 —")
    doc = read_pdf(make_pdf([page]), "footer.pdf")
    (table,) = doc.tables()
    assert [texts(r) for r in table.rows] == [["行政许可", "5", "7"], ["行政处罚", "", ""]]
    assert not any("2" in b.text for b in doc.blocks if isinstance(b, Paragraph))
