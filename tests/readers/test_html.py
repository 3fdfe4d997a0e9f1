"""The HTML reader: grids, encodings, layout tables, metadata and hostile pages."""

from __future__ import annotations

import json
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import CORPUS, corpus_path
from tests.samples import sample
from xxgk.extract import extract
from xxgk.readers.document import Document, Paragraph, ReadError, Table
from xxgk.readers.html import _cell_text, _rows, read_html
from xxgk.readers.limits import Limits
from xxgk.render.html import render_html

T3_KEYS_SKIPPED_ROWS = 3  # header rows of the section-三 table
NEW_ROW = "一、本年新收政府信息公开申请数量"


def table_with(doc: Document, first_text: str) -> Table:
    """The table having a row whose cells include ``first_text``."""
    for table in doc.tables():
        if any(c.text == first_text for row in table.rows for c in row):
            return table
    raise AssertionError(f"no table with {first_text!r}")


def row_with(table: Table, text: str) -> list[str]:
    for row in table.rows:
        if any(c.text == text for c in row):
            return [c.text for c in row]
    raise AssertionError(f"no row with {text!r}")


def as_text(value: object) -> str:
    return "" if value is None else str(value)


def check_against_truth(doc: Document, truth_name: str) -> None:
    """Every table value of the truth file stands in the grid where a person reads it."""
    truth = json.loads(corpus_path("real", "truth", truth_name).read_text("utf-8"))["tables"]
    t2 = table_with(doc, "规范性文件")
    normative = truth["t2"]["normative_doc"]
    assert row_with(t2, "规范性文件")[1:] == [
        as_text(normative[k]) for k in ("issued", "repealed", "in_force")
    ]
    t3 = table_with(doc, NEW_ROW)
    assert t3.width == 10
    body = t3.rows[T3_KEYS_SKIPPED_ROWS:]
    assert len(body) == len(truth["t3"])
    order = "natural commercial research public_interest legal_service other_org total"
    for row, values in zip(body, truth["t3"].values(), strict=True):
        assert [c.text for c in row[-7:]] == [as_text(values[k]) for k in order.split()]
    t4 = table_with(doc, "行政复议")
    review = truth["t4"]["review"]
    expected = [as_text(review[k]) for k in ("upheld", "corrected", "other", "pending", "total")]
    assert [c.text for c in t4.rows[-1][:5]] == expected


# --------------------------------------------------------------------------- the real page


@pytest.fixture(scope="module")
def shuyang() -> Document:
    path = corpus_path("real", "shuyang-fgj-2023.html")
    return read_html(path.read_bytes(), str(path))


def test_t3_row_has_seven_values_with_empty_organisation_columns(shuyang: Document) -> None:
    t3 = table_with(shuyang, NEW_ROW)
    assert row_with(t3, NEW_ROW)[-7:] == ["26", "", "", "", "", "", "26"]


def test_all_table_values_match_the_truth(shuyang: Document) -> None:
    check_against_truth(shuyang, "shuyang-fgj-2023.json")


def test_grids_are_rectangular_and_indexed_in_order(shuyang: Document) -> None:
    tables = shuyang.tables()
    assert [t.where.table for t in tables] == list(range(len(tables)))
    assert [(len(t.rows), t.width) for t in tables[-3:]] == [(14, 4), (28, 10), (4, 15)]
    for table in tables:
        assert table.grid
        assert all(len(row) == table.width for row in table.rows)


def test_rowspan_22_group_label_is_expanded_with_merged_copies(shuyang: Document) -> None:
    t3 = table_with(shuyang, NEW_ROW)
    origin = t3.rows[5][0]
    assert origin.text == "三、本年度办理结果"
    assert (origin.merged, origin.rowspan, origin.colspan) == (False, 22, 1)
    copies = [t3.rows[r][0] for r in range(6, 27)]
    assert all(c.merged and c.text == origin.text and c.where == origin.where for c in copies)
    assert t3.rows[27][0].text.startswith("四、结转下年度继续办理")
    assert not t3.rows[27][0].merged
    corner = t3.rows[0][0]
    assert (corner.colspan, corner.rowspan) == (3, 3)
    assert [c.merged for c in t3.rows[0][:3]] == [False, True, True]


def test_cells_know_their_source_line(shuyang: Document) -> None:
    lines = corpus_path("real", "shuyang-fgj-2023.html").read_text("utf-8").splitlines()
    t3 = table_with(shuyang, NEW_ROW)
    cell = t3.rows[3][3]
    assert cell.text == "26"
    assert cell.where.line is not None
    assert "<td" in lines[cell.where.line - 1]
    assert (cell.where.row, cell.where.col) == (3, 3)
    assert cell.where.table == t3.where.table


def test_headings_come_before_their_tables(shuyang: Document) -> None:
    texts = [b.text if isinstance(b, Paragraph) else f"<t{b.where.table}>" for b in shuyang.blocks]
    i = texts.index("三、收到和处理政府信息公开申请情况")
    t3 = table_with(shuyang, NEW_ROW)
    assert texts[i + 1] == f"<t{t3.where.table}>"
    assert texts[-1] == "2024年1月17日"


def test_page_metadata(shuyang: Document) -> None:
    assert shuyang.kind == "html"
    assert shuyang.meta["published"] == "2024-01-17"
    assert shuyang.meta["title"] == "沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局"
    assert shuyang.meta["url"].startswith("http://www.shuyang.gov.cn/")


def test_script_and_search_form_are_not_text(shuyang: Document) -> None:
    text = "\n".join(p.text for p in shuyang.paragraphs())
    assert "websiteId" not in text
    assert "font-family" not in text


# --------------------------------------------------------------------------- encodings

REPORT = "<html><head>{meta}<title>某局年报</title></head><body><p>一、总体情况　２０２３年</p></body></html>"


def paragraphs(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs()]


def test_declared_gb2312_page_encoded_as_gbk() -> None:
    data = REPORT.format(meta='<meta charset="gb2312">').encode("gbk")
    doc = read_html(data, "gbk.html")
    assert paragraphs(doc) == ["一、总体情况 ２０２３年"]  # U+3000 collapsed, digits kept
    assert doc.meta["title"] == "某局年报"


def test_http_equiv_gbk_with_gb18030_only_character() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=GBK">'
    data = (REPORT.format(meta=meta) + "<p>䶮</p>").encode("gb18030")
    assert paragraphs(read_html(data, "x.html"))[-1] == "䶮"


def test_utf8_with_bom() -> None:
    data = "\ufeff".encode() + REPORT.format(meta="").encode("utf-8")
    assert paragraphs(read_html(data, "bom.html")) == ["一、总体情况 ２０２３年"]


def test_utf16_with_bom() -> None:
    data = REPORT.format(meta="").encode("utf-16")
    assert paragraphs(read_html(data, "u16.html")) == ["一、总体情况 ２０２３年"]


def test_undeclared_gb18030_falls_back_after_utf8() -> None:
    data = REPORT.format(meta="").encode("gb18030")
    assert paragraphs(read_html(data, "gb.html")) == ["一、总体情况 ２０２３年"]


def test_wrong_declaration_falls_back() -> None:
    data = REPORT.format(meta='<meta charset="gb2312">').encode("utf-8")
    assert paragraphs(read_html(data, "liar.html")) == ["一、总体情况 ２０２３年"]


# --------------------------------------------------------------------------- structure


def test_layout_table_is_walked_and_inner_table_kept() -> None:
    page = """<html><body>
<table><tr>
  <td><p>一、总体情况</p>
      <table><tr><td>规章</td><td>0</td></tr><tr><td>规范性文件</td><td>8</td></tr></table>
      <p>二、其他</p></td>
  <td>右栏</td>
</tr></table>
<table><tr><td>a</td></tr></table>
</body></html>"""
    doc = read_html(page.encode(), "layout.html")
    kinds = [b.text if isinstance(b, Paragraph) else b.where.table for b in doc.blocks]
    assert kinds == ["一、总体情况", 0, "二、其他", "右栏", 1]
    assert [[c.text for c in r] for r in doc.tables()[0].rows] == [
        ["规章", "0"],
        ["规范性文件", "8"],
    ]


def test_paragraph_per_line_and_inline_runs_join() -> None:
    page = "<body><div>第一行<br>第<span>二</span>行<p>段落</p>尾巴</div><h2> 标题 </h2></body>"
    doc = read_html(page.encode(), "p.html")
    assert paragraphs(doc) == ["第一行", "第二行", "段落", "尾巴", "标题"]


def test_chrome_is_dropped_but_page_wrapping_form_kept() -> None:
    report = "<p>" + "正文" * 300 + "</p><table><tr><td>总计</td><td>5</td></tr></table>"
    page = f"""<html><body>
<nav>首页 | 新闻</nav><header>网站头部</header>
<form><input name=q><button>搜索</button></form>
<script>var x = 1;</script><style>p {{}}</style><noscript>请启用</noscript>
<select><option>部门</option></select>
<form id="aspnetForm">{report}</form>
<article><header>文章标题</header><p>内容</p><footer>2024年1月17日</footer></article>
<footer>版权所有</footer>
</body></html>"""
    doc = read_html(page.encode(), "chrome.html")
    texts = paragraphs(doc)
    for gone in ("首页", "网站头部", "搜索", "var x", "请启用", "部门", "版权所有"):
        assert not any(gone in t for t in texts), gone
    assert texts[0].startswith("正文")
    assert texts[1:] == ["文章标题", "内容", "2024年1月17日"]
    assert doc.tables()[0].rows[0][1].text == "5"


def test_spans_are_bounded_and_short_rows_padded() -> None:
    page = """<table>
<tr><td colspan="0">a</td><td colspan="x">b</td><td rowspan="9">c</td></tr>
<tr><td colspan="100000">d</td></tr>
<tr><td>e</td></tr></table>"""
    table = read_html(page.encode(), "s.html").tables()[0]
    assert len(table.rows) == 3
    assert table.width == 100
    c = table.rows[0][2]
    assert (c.text, c.rowspan, c.merged) == ("c", 3, False)  # rowspan cut at the last row
    assert table.rows[1][2].merged and table.rows[2][2].text == "c"
    assert table.rows[1][0].colspan == 100  # capped; where it overlaps c, c stays
    assert table.rows[1][3].text == "d" and table.rows[1][3].merged
    assert table.rows[2][1].text == "" and not table.rows[2][1].merged


def test_cell_text_keeps_block_and_br_boundaries_and_drops_scripts() -> None:
    page = """<table><caption>表<br>一</caption><tr>
<td>a<br>b</td><td><p>a</p><p>b</p></td><td><span>a</span><span>b</span></td>
<td>a<div>b</div>c</td><td> <p>\u200ba</p>\u3000</td></tr></table>
<table><tr><td>x<script>s</script>y<style>z</style>w</td><td><p>p</p>q</td></tr></table>"""
    doc = read_html(page.encode(), "cells.html")
    assert paragraphs(doc) == ["表", "一"]
    texts = [[c.text for c in t.rows[0]] for t in doc.tables()]
    assert texts == [["a b", "a b", "ab", "a b c", "a"], ["xyw", "p q"]]


def test_cells_read_as_the_element_by_element_reading_does() -> None:
    """Cells are serialised by libxml2 after spaces are put at block boundaries; that
    gives what the recursive reading (_cell_text) gives on the untouched page."""
    pages = [render_html(sample("2021")).encode(), render_html(sample("2019")).encode()]
    path = CORPUS / "real" / "shuyang-fgj-2023.html"
    if path.exists():
        pages.append(path.read_bytes())
    for page in pages:
        doc = read_html(page, "x.html")
        root = etree.fromstring(page, etree.HTMLParser(encoding="utf-8", remove_comments=True))
        expected = []
        for table in root.iter("table"):
            if next(table.iterdescendants("table"), None) is None and (rows := _rows(table)):
                expected.append(
                    [_cell_text(td) for tr in rows for td in tr if td.tag in ("td", "th")]
                )
        got = [[c.text for row in t.rows for c in row if not c.merged] for t in doc.tables()]
        assert got == expected


def test_content_after_end_tags_in_any_case_is_kept() -> None:
    page = "<HTML><Body><p>一</p></BODY ></Html>\n<p>二</p></html>"
    assert paragraphs(read_html(page.encode(), "end.html")) == ["一", "二"]
    assert paragraphs(read_html(page.encode("gb18030"), "end.html")) == ["一", "二"]


def test_too_many_cells_is_a_read_error() -> None:
    page = "<table>" + '<tr><td colspan="100" rowspan="1000">x</td></tr>' * 30 + "</table>"
    with pytest.raises(ReadError, match="表格过大"):
        read_html(page.encode(), "big.html", Limits(max_cells=10_000))


def test_published_from_crawler_header_and_meta_tag() -> None:
    head = "<body><div>发布时间：2024-1-7 10:00</div><div>公开日期：2023-12-01</div></body>"
    assert read_html(head.encode(), "a.html").meta["published"] == "2024-01-07"
    tag = '<head><meta name="PubDate" content="2024-01-17 09:30"></head><body><p>x</p></body>'
    assert read_html(tag.encode(), "b.html").meta["published"] == "2024-01-17"


# --------------------------------------------------------------------------- hostile input


def test_fifty_megabyte_page_ends_quickly() -> None:
    data = b"<html><body>" + b"<p>x</p>" * (50 * 1024 * 1024 // 8)
    start = time.monotonic()
    with pytest.raises(ReadError, match="文件过大"):
        read_html(data, "huge.html", Limits(max_bytes=10 * 1024 * 1024))
    assert time.monotonic() - start < 1
    start = time.monotonic()
    with pytest.raises(ReadError, match="文件过大"):
        read_html(data, "huge.html")  # default limits: too many characters
    assert time.monotonic() - start < 5


def test_many_elements_under_the_size_limits_end_quickly() -> None:
    data = b"<html><body>" + "<p>字</p>".encode() * 1_000_000
    start = time.monotonic()
    with pytest.raises(ReadError, match="文件过大"):
        read_html(data, "dense.html")
    assert time.monotonic() - start < 10


def test_huge_text_node_and_deep_nesting_are_read_errors() -> None:
    with pytest.raises(ReadError, match="文件过大"):
        read_html(b"<p>" + b"x" * 12_000_000 + b"</p>", "t.html")
    with pytest.raises(ReadError, match="嵌套过深"):
        read_html(b"<body>" + b"<div>" * 5000 + b"x", "d.html")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "文件为空"),
        (b"  \n\t ", "文件为空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "图片"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "压缩包"),
        (b"\x00\x01\x02\x03binary\x00", "二进制"),
    ],
)
def test_not_a_page_is_a_read_error(data: bytes, problem: str) -> None:
    with pytest.raises(ReadError, match=problem) as info:
        read_html(data, "bad.html")
    assert info.value.source == "bad.html"


def _sample() -> bytes:
    path = CORPUS / "real" / "shuyang-fgj-2023.html"
    if path.exists():
        return path.read_bytes()[:40_000]
    return ('<table><tr><td rowspan="2">a</td><td colspan="2">b</td></tr></table>' * 50).encode()


SAMPLE = _sample()


def _outcome(data: bytes) -> None:
    try:
        doc = read_html(data, "fuzz.html")
    except ReadError:
        return
    assert isinstance(doc, Document)
    for table in doc.tables():
        assert all(len(row) == table.width for row in table.rows)


# The fuzz tests are derandomized: the same examples run every time, so a failure is
# reproducible and a pass means the same thing on every machine.
CONTROL = ["\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\x7f", "\ufffe"]
_INSERTS = [b"<table>", b"<td rowspan=999>", b"</tr>", b"\xff"] + [
    piece.encode() for c in CONTROL for piece in (c, f"<p>{c}a", f"a{c}<br>b", f"<span>{c}</span>")
]


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.binary(max_size=4096))
def test_fuzz_random_bytes(data: bytes) -> None:
    _outcome(data)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.integers(0, len(SAMPLE)),
    st.integers(0, 2000),
    st.binary(max_size=64) | st.sampled_from(_INSERTS),
)
def test_fuzz_mutated_real_page(at: int, cut: int, insert: bytes) -> None:
    _outcome(SAMPLE[:at] + insert + SAMPLE[at + cut :])


def _with_controls(page: str, chars: list[str]) -> str:
    """Every value cell of a rendered page with control characters in its text and in
    the text and tail of a block inside it (as Word-pasted pages carry them)."""
    i = iter(range(10**9))

    def cell(m: re.Match[str]) -> str:
        a, b = chars[next(i) % len(chars)], chars[next(i) % len(chars)]
        return f'<td class="num">{a}<p>{b}{m.group(1)}{a}</p>{b}<br>{a}</td>'

    return re.sub(r'<td class="num">([^<]*)</td>', cell, page)


@pytest.mark.parametrize("char", CONTROL)
def test_control_characters_in_cells_read_the_numbers(char: str) -> None:
    report = sample("2021")
    page = _with_controls(render_html(report), [char, "\x01", "\x0c"])
    assert char in page
    got = extract(read_html(page.encode(), "controls.html"))
    assert got.tables == report.tables


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(CONTROL), min_size=1, max_size=4))
def test_fuzz_control_characters_in_cells(chars: list[str]) -> None:
    report = sample("2019")
    page = _with_controls(render_html(report), chars)
    assert extract(read_html(page.encode(), "controls.html")).tables == report.tables


def test_text_struck_out_is_read_as_deleted_and_told() -> None:
    """Word's 另存为网页 of a report with tracked changes shown, and corrections struck
    through by hand: <del>, <s>, <strike> and an inline line-through style are read as
    deleted (their tails kept), <ins> as printed; what was struck is told (TXT-009), in
    the page's order."""
    page = (
        "<html><body><p>收到申请<del cite='mailto:张三' datetime='2024-01-10'>397</del>"
        "<ins>398</ins>件，<s>作废</s>有效<span style='TEXT-DECORATION: line-through'>旧</span>新。</p>"
        "<table><tr><td>项目</td><td>件数</td></tr>"
        "<tr><td>行政许可</td><td><strike>46<s>x</s></strike><ins>0</ins></td></tr></table>"
        "</body></html>"
    )
    doc = read_html(page.encode(), "tracked.html")
    assert [p.text for p in doc.paragraphs()] == ["收到申请398件，有效新。"]
    assert [[c.text for c in row] for row in doc.tables()[0].rows] == [
        ["项目", "件数"],
        ["行政许可", "0"],
    ]
    assert doc.meta["struck"] == "397、作废、旧、46x"
    from xxgk import checks

    (finding,) = [f for f in checks.run(extract(doc), None) if f.code == "TXT-009"]
    assert (
        finding.message
        == "报告中有 4 处用删除线划去的文字（修订痕迹）：397、作废、旧、46x（已按删除读取）。"
    )
    plain = read_html(b"<html><body><p>text-decoration: line-through</p></body></html>", "x.html")
    assert [p.text for p in plain.paragraphs()] == ["text-decoration: line-through"]
    assert "struck" not in plain.meta
