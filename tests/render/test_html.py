"""The HTML renderer: reads back to the same numbers, official merges, no external assets."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import html as lxml_html

from tests.samples import NARRATIVE, assert_same, reports, sample
from xxgk.api import parse_document
from xxgk.format import SECTIONS, T3_GROUPS, T3_NOTE, VERSIONS
from xxgk.model import Report
from xxgk.readers import read_bytes
from xxgk.render.html import render_html


def read_back(page: str) -> Report:
    return parse_document(read_bytes(page.encode("utf-8"), "x.html"))


def t3_table(page: str) -> lxml_html.HtmlElement:
    tables = lxml_html.fromstring(page.encode("utf-8")).xpath("//table[@class='t3']")
    assert len(tables) == 1
    table: lxml_html.HtmlElement = tables[0]
    return table


def cell(table: lxml_html.HtmlElement, text: str) -> lxml_html.HtmlElement:
    found = [c for c in table.xpath(".//th|.//td") if c.text_content().strip() == text]
    assert len(found) == 1, (text, len(found))
    el: lxml_html.HtmlElement = found[0]
    return el


def spans(el: lxml_html.HtmlElement) -> tuple[int, int]:
    return int(el.get("colspan", "1")), int(el.get("rowspan", "1"))


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("key", ["2021", "2019"])
def test_html_reads_back_to_the_same_report(key: str) -> None:
    report = sample(key)
    back = read_back(render_html(report))
    assert_same(report, back)
    assert back.anomalies == []
    assert [h.number for h in back.headings] == [1, 2, 3, 4, 5, 6]
    assert back.sections[1] == NARRATIVE[1]
    assert back.sections[5] == NARRATIVE[5]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_any_consistent_report_reads_back_from_html(report: Report) -> None:
    assert_same(report, read_back(render_html(report)))


def test_blank_values_are_empty_cells_and_read_back_blank() -> None:
    report = sample("2021")
    blanks = ["t2.regulation.issued", "t3.new.natural", "t3.other_other.total", "t4.review.upheld"]
    for key in blanks:
        t, r, c = key.split(".")
        report.tables[t][r][c] = None
    page = render_html(report)
    assert "空" not in page  # a blank is not written as a word
    back = read_back(page)
    assert_same(report, back)
    assert sorted(k for a in back.anomalies if a.kind == "blank" for k in a.cells) == sorted(blanks)


# ---------------------------------------------------------------- what a reader sees


def test_page_is_standalone_utf8_with_no_external_assets() -> None:
    page = render_html(sample("2021"))
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    for banned in (
        "http://",
        "https://",
        "src=",
        "<link",
        "<script",
        "@import",
        "url(",
        "@font-face",
    ):
        assert banned not in page.lower(), banned
    assert '"Noto Serif CJK SC"' in page and '"SimHei"' in page
    assert "@page" in page and "A4" in page


def test_title_headings_narrative_and_signature() -> None:
    page = render_html(sample("2021"))
    root = lxml_html.fromstring(page.encode("utf-8"))
    assert root.findtext(".//title") == "某某市某某区人民政府2023年政府信息公开工作年度报告"
    assert root.xpath("string(//h1)") == "某某市某某区人民政府2023年政府信息公开工作年度报告"
    numerals = "一二三四五六"
    assert [h.text_content() for h in root.xpath("//h2")] == [
        f"{numerals[s.number - 1]}、{s.title}" for s in SECTIONS
    ]
    paragraphs = [p.text_content() for p in root.xpath("//section[@id='s5']/p")]
    assert paragraphs == ["一是公开内容不够全面。", "二是解读形式较为单一。"]
    assert [p.text_content() for p in root.xpath("//div[@class='signature']/p")] == [
        "某某市某某区人民政府",
        "2024年1月20日",
    ]


def test_narrative_and_names_are_escaped() -> None:
    report = sample("2021")
    report.sections[1] = "<script>alert(1)</script> A&B"
    report.agency = "某某局<b>"
    page = render_html(report)
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; A&amp;B" in page


def test_numbers_print_as_a_clerk_writes_them() -> None:
    old = render_html(sample("2019"))
    assert ">7730.28</td>" in old and ">-2</td>" in old
    new = render_html(sample("2021"))
    assert ">0.35</td>" in new
    assert ".0<" not in old + new


# ---------------------------------------------------------------- the official merges


@pytest.mark.parametrize(("key", "results_rows"), [("2021", 22), ("2019", 20)])
def test_t3_has_the_template_merges(key: str, results_rows: int) -> None:
    table = t3_table(render_html(sample(key)))
    assert spans(cell(table, T3_NOTE)) == (3, 3)
    assert spans(cell(table, "申请人情况")) == (7, 1)
    assert spans(cell(table, "自然人")) == (1, 2)
    assert spans(cell(table, "法人或其他组织")) == (5, 1)
    assert spans(cell(table, "总计")) == (1, 2)
    assert spans(cell(table, T3_GROUPS[0])) == (1, results_rows)
    assert spans(cell(table, "（三）不予公开")) == (1, 8)
    assert spans(cell(table, "（四）无法提供")) == (1, 3)
    assert spans(cell(table, "（五）不予处理")) == (1, 5)
    assert spans(cell(table, "一、本年新收政府信息公开申请数量")) == (3, 1)
    assert spans(cell(table, "四、结转下年度继续办理")) == (3, 1)
    assert spans(cell(table, "（一）予以公开")) == (2, 1)
    assert spans(cell(table, "（七）总计")) == (2, 1)
    assert spans(cell(table, "1.属于国家秘密")) == (1, 1)
    if key == "2021":
        assert spans(cell(table, "（六）其他处理")) == (1, 3)
        assert spans(cell(table, "3.其他")) == (1, 1)
    else:
        assert spans(cell(table, "（六）其他处理")) == (2, 1)
    # every row of the grid is ten columns wide once the spans are expanded
    assert _grid_widths(table) == {10}


def test_t2_and_t4_have_the_template_merges() -> None:
    root = lxml_html.fromstring(render_html(sample("2021")).encode("utf-8"))
    t2 = root.xpath("//table[@class='t2']")[0]
    captions = [c for c in t2.xpath(".//th") if c.text_content().startswith("第二十条")]
    assert [spans(c) for c in captions] == [(4, 1)] * 4
    fee = [c for c in t2.xpath(".//th") if c.text_content() == "本年收费金额（单位：万元）"]
    assert spans(fee[0]) == (3, 1)
    assert _grid_widths(t2) == {4}
    t4 = root.xpath("//table[@class='t4']")[0]
    assert spans(cell(t4, "行政复议")) == (5, 1)
    assert spans(cell(t4, "行政诉讼")) == (10, 1)
    assert spans(cell(t4, "未经复议直接起诉")) == (5, 1)
    assert spans(cell(t4, "复议后起诉")) == (5, 1)
    assert _grid_widths(t4) == {15}


def _grid_widths(table: lxml_html.HtmlElement) -> set[int]:
    """The width of each grid row, spans expanded (rowspans carry into later rows)."""
    carry: dict[int, int] = {}  # grid column -> rows it is still covered
    widths: set[int] = set()
    for tr in table.xpath(".//tr"):
        col = 0
        taken = {c for c, n in carry.items() if n > 0}
        for td in tr.xpath("./th|./td"):
            while col in taken:
                col += 1
            cs, rs = spans(td)
            for c in range(col, col + cs):
                carry[c] = rs
            col += cs
        widths.add(max([col, *(c + 1 for c in taken)]))
        carry = {c: n - 1 for c, n in carry.items() if n - 1 > 0}
    return widths


def test_rows_follow_the_format_order() -> None:
    page = render_html(sample("2021"))
    labels = [r.label for r in VERSIONS["2021"].table("t3").rows]
    positions = [page.index(f">{label}<") for label in labels]
    assert positions == sorted(positions)
    assert re.search(r"<td class=\"num\">\d+</td>", page)
