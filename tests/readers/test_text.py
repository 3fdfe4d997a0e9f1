"""The text reader: layouts, encodings and hostile input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.extract import extract
from xxgk.readers import ReadError, read_bytes
from xxgk.readers.document import Table
from xxgk.readers.text import parse_text

PIECES = [
    "一、本年新收政府信息公开申请数量", "（七）总计", "规章", "\t", "\n", "\n\n", " |", "|", "||||",
    "0", "12", "/", "—", "三、收到和处理政府信息公开申请情况", "第二十条第（一）项", "\f", "- 3 -",
    "行政复议", "结果维持", "7730.28", "-8", "+17", "二、主动公开政府信息情况", "| a | b |", "|---|",
]  # fmt: skip


def test_tab_rows_drop_trailing_empty_fields() -> None:
    doc = parse_text("三、收到\n（一）予以公开\t0\t0\t\n", "x")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [c.text for c in table.rows[0]] == ["（一）予以公开", "0", "0"]


def test_one_cell_per_line_with_continuations() -> None:
    doc = parse_text("\t结果\n纠正\n\t0\n\n\t其他\n", "x")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [[c.text for c in r] for r in table.rows] == [["结果纠正", "0"], ["其他"]]


def test_pipe_cells_and_empty_cells() -> None:
    """A line of pipes only is that many empty cells: a blank cell or merged-cell fillers."""
    doc = parse_text("|\n规章 |\n0 |\n0 |\n||\n", "x")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [c.text for c in table.rows[0]] == ["", "规章", "0", "0", "", ""]


def test_page_footers_are_dropped_and_form_feeds_count_pages() -> None:
    doc = parse_text("第一页文字\n- 1 -\n\f第二页文字\n第 2 页\n", "x")
    texts = [(b.text, b.where.page) for b in doc.blocks if not isinstance(b, Table)]
    assert texts == [("第一页文字", 1), ("第二页文字", 2)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=80))
def test_fuzz_text_never_crashes(pieces: list[str]) -> None:
    data = "".join(pieces).encode("utf-8", "surrogatepass")
    try:
        doc = read_bytes(data, "fuzz.txt")
    except ReadError:
        return
    extract(doc)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2048))
def test_fuzz_bytes_end_in_a_document_or_a_read_error(data: bytes) -> None:
    try:
        extract(read_bytes(data, "fuzz.bin"))
    except ReadError as exc:
        assert exc.problem


def test_markdown_written_into_a_txt_file_reads_like_markdown() -> None:
    """Converters save Markdown as .txt: '## 一、总体情况', '**二、…**', pipe tables."""
    from xxgk import api
    from xxgk.render import render
    from xxgk.synth import consistent_report

    report = consistent_report("2021", agency="某某县民政局", year=2023)
    md = render(report, "md")
    text = md.decode("utf-8") if isinstance(md, bytes) else md
    text = text.replace("## 二、主动公开政府信息情况", "**二、主动公开政府信息情况**")
    back = api.parse_document(read_bytes(text.encode("utf-8"), "converted.txt"))
    assert [h.number for h in back.headings] == [1, 2, 3, 4, 5, 6]
    assert back.tables == report.tables
    assert "FMT-002" not in {f.code for f in api.check_report(back).findings}
