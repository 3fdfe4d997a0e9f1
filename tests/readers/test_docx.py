"""The DOCX reader: grids with merged cells, body order, hostile packages, legacy files."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, corpus_path
from tests.readers.test_html import NEW_ROW, check_against_truth, row_with, table_with
from tests.samples import sample
from xxgk.readers.document import Cell, Document, Paragraph, ReadError
from xxgk.readers.docx import convert_legacy, read_docx
from xxgk.readers.html import clean_text
from xxgk.readers.limits import Limits
from xxgk.render.docx import render_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def build_docx() -> bytes:
    """A small report: heading, a 3×3 table with both kinds of merge, a nested table."""
    document = docx.Document()
    document.add_paragraph("一、总体情况")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 2).merge(table.cell(2, 2))
    table.cell(0, 0).text = "横向合并"
    table.cell(0, 2).text = "右上"
    table.cell(1, 0).text = "规章"
    table.cell(1, 1).text = "0"
    table.cell(1, 2).text = "纵向合并"
    table.cell(2, 0).text = "外"
    inner = table.cell(2, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内"
    inner.cell(0, 1).text = "表"
    table.cell(2, 1).text = "1"
    document.add_paragraph("二、结尾")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same package with some parts replaced or added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info.filename, src.read(info))
        for name, content in replace.items():
            dst.writestr(name, content)
    return out.getvalue()


def with_body(body: str) -> bytes:
    """A package whose word/document.xml has the given <w:body> content."""
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return rezip(build_docx(), {"word/document.xml": xml.encode()})


def texts(rows: list[list[Cell]]) -> list[list[str]]:
    return [[c.text for c in row] for row in rows]


# --------------------------------------------------------------------------- real files


@pytest.fixture(scope="module")
def shuyang() -> Document:
    path = corpus_path("real", "shuyang-fgj-2023-word.docx")
    return read_docx(path.read_bytes(), str(path))


def test_t3_row_values(shuyang: Document) -> None:
    t3 = table_with(shuyang, NEW_ROW)
    assert row_with(t3, NEW_ROW)[-7:] == ["26", "", "", "", "", "", "26"]


def test_all_table_values_match_the_truth(shuyang: Document) -> None:
    check_against_truth(shuyang, "shuyang-fgj-2023-word.json")


def test_layout_table_and_report_tables_in_body_order(shuyang: Document) -> None:
    tables = shuyang.tables()
    assert [(len(t.rows), t.width) for t in tables] == [(6, 4), (14, 4), (28, 10), (4, 15)]
    assert [t.where.table for t in tables] == [0, 1, 2, 3]
    order = [b.text if isinstance(b, Paragraph) else b.where.table for b in shuyang.blocks]
    assert order[order.index("三、收到和处理政府信息公开申请情况") + 1] == 2
    assert order[-1] == "2024年1月17日"
    assert shuyang.meta["published"] == "2024-01-17"


def test_vmerge_group_label_spans_22_rows(shuyang: Document) -> None:
    t3 = table_with(shuyang, NEW_ROW)
    origin = t3.rows[5][0]
    assert (origin.text, origin.merged, origin.rowspan) == ("三、本年度办理结果", False, 22)
    assert all(t3.rows[r][0].merged and t3.rows[r][0].where == origin.where for r in range(6, 27))
    assert (t3.rows[0][0].colspan, t3.rows[0][0].rowspan) == (3, 3)
    assert (t3.rows[3][3].where.table, t3.rows[3][3].where.row, t3.rows[3][3].where.col) == (
        2,
        3,
        3,
    )


def test_official_template_shapes() -> None:
    path = corpus_path("template", "official-2021-template.docx")
    doc = read_docx(path.read_bytes(), str(path))
    shapes = [(len(t.rows), t.width) for t in doc.tables()]
    assert shapes == [(14, 4), (28, 10), (4, 15)]
    for table in doc.tables():
        assert table.grid and all(len(row) == table.width for row in table.rows)
    assert doc.paragraphs()[0].text == "政府信息公开工作年度报告格式模板"


def python_docx_view(data: bytes) -> tuple[list[str], list[list[list[tuple[str, bool]]]]]:
    """Body paragraphs (one per line) and, per table, (text, merged) of every grid
    position as python-docx sees them; a position is merged when its ``w:tc`` already
    covered an earlier position (python-docx gives spanned positions the same ``_tc``)."""
    document = docx.Document(io.BytesIO(data))
    lines = [clean_text(line) for p in document.paragraphs for line in p.text.split("\n")]
    tables = []
    for table in document.tables:
        grid: list[list[Any]] = [list(row.cells) for row in table.rows]  # keeps _tc alive
        seen: list[Any] = []
        rows = []
        for cells in grid:
            row = []
            for cell in cells:
                row.append((clean_text(cell.text), any(cell._tc is tc for tc in seen)))
                seen.append(cell._tc)
            rows.append(row)
        tables.append(rows)
    return [line for line in lines if line], tables


def docx_inputs() -> list[tuple[str, bytes]]:
    out = [(f"rendered-{key}", render_docx(sample(key))) for key in ("2021", "2019")]
    for name in ("template/official-2021-template.docx", "real/shuyang-fgj-2023-word.docx"):
        if (path := CORPUS / name).exists():
            out.append((path.name, path.read_bytes()))
    return out


def test_paragraphs_grids_and_merges_are_what_python_docx_sees() -> None:
    """The lxml walk gives the grid python-docx's ``row.cells`` gives, position by position."""
    for name, data in docx_inputs():
        doc = read_docx(data, name)
        paragraphs, tables = python_docx_view(data)
        assert [p.text for p in doc.paragraphs()] == paragraphs, name
        ours = [[[(c.text, c.merged) for c in row] for row in t.rows] for t in doc.tables()]
        assert ours == tables, name


# --------------------------------------------------------------------------- built files


def test_merges_nested_table_and_order() -> None:
    doc = read_docx(build_docx(), "built.docx")
    assert doc.kind == "docx"
    kinds = [b.text if isinstance(b, Paragraph) else "<table>" for b in doc.blocks]
    assert kinds == ["一、总体情况", "<table>", "二、结尾"]
    rows = doc.tables()[0].rows
    assert texts(rows) == [
        ["横向合并", "横向合并", "右上"],
        ["规章", "0", "纵向合并"],
        ["外 内 表", "1", "纵向合并"],
    ]
    assert [c.merged for c in rows[0]] == [False, True, False]
    assert (rows[0][0].colspan, rows[0][0].rowspan) == (2, 1)
    assert (rows[1][2].merged, rows[1][2].rowspan, rows[2][2].merged) == (False, 2, True)
    assert rows[2][2].where == rows[1][2].where


def test_grid_before_short_rows_sdt_revisions_and_line_breaks() -> None:
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    body = (
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>甲</w:t><w:br/><w:t>乙</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
        "<w:p><w:ins><w:r><w:t>新</w:t></w:r></w:ins><w:del><w:r><w:delText>旧</w:delText>"
        "</w:r></w:del><w:hyperlink><w:r><w:t>链</w:t></w:r></w:hyperlink></w:p>"
        "<w:tbl><w:tr>" + cell.format("a") + cell.format("b") + cell.format("c") + "</w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr>" + cell.format("d") + "</w:tr>"
        "<w:tr>" + cell.format("e") + "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
        "<w:tc><w:tcPr><w:gridSpan w:val='abc'/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"
    )
    doc = read_docx(with_body(body), "x.docx")
    assert [p.text for p in doc.paragraphs()] == ["甲", "乙", "新链"]
    rows = doc.tables()[0].rows
    assert texts(rows) == [["a", "b", "c"], ["", "d", ""], ["e", "d", ""]]
    assert not rows[1][0].merged and not rows[1][2].merged  # padding
    assert (rows[1][1].rowspan, rows[2][1].merged) == (2, True)
    assert rows[2][1].where == rows[1][1].where


def test_runs_in_drawings_deleted_and_moved_text_are_not_paragraph_text() -> None:
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    body = (
        f'<w:p xmlns:mc="{mc}"><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr>'
        "<w:r><w:t>甲</w:t><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p>"
        "</w:txbxContent></w:drawing><w:tab/><w:t>乙</w:t></w:r>"
        "<w:moveFrom><w:r><w:t>移出</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>移入</w:t></w:r>"
        "</w:moveTo><w:del><w:r><w:tab/><w:delText>删</w:delText></w:r></w:del>"
        "<w:fldSimple><w:r><w:noBreakHyphen/><w:t>域</w:t></w:r></w:fldSimple>"
        "<mc:AlternateContent><mc:Choice><w:r><w:t>选</w:t></w:r></mc:Choice>"
        "<mc:Fallback><w:r><w:t>备</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>"
        "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val='2'/></w:tcPr><w:p><w:r><w:t>格</w:t>"
        "</w:r></w:p></w:tc><w:tc><w:tcPr/><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"
    )
    doc = read_docx(with_body(body), "x.docx")
    # the text box is read after the paragraph anchoring it, not inside its text
    assert [p.text for p in doc.paragraphs()] == ["甲 乙移入-域选备", "文本框"]
    rows = doc.tables()[0].rows
    # a vMerge continue with nothing above starts a cell; the second tcPr still counts
    assert [(c.text, c.merged, c.colspan) for c in rows[0]] == [
        ("格", False, 2),
        ("格", True, 2),
        ("", False, 1),
    ]


def test_tracked_changes_not_accepted_are_read_as_revised_and_counted() -> None:
    """A Word document published with its tracked changes: read as revised (the
    insertion in, the deletion out), and how many revisions it holds is told (TXT-009).
    Formatting changes are no revision of the text."""
    body = (
        '<w:p><w:r><w:t xml:space="preserve">收到申请</w:t></w:r>'
        '<w:del w:id="1" w:author="张三" w:date="2024-01-10T09:00:00Z"><w:r>'
        "<w:delText>397</w:delText></w:r></w:del>"
        '<w:ins w:id="2" w:author="张三"><w:r><w:t>398</w:t></w:r></w:ins>'
        "<w:r><w:rPr><w:b/><w:rPrChange w:id='3' w:author='张三'><w:rPr/></w:rPrChange>"
        "</w:rPr><w:t>件。</w:t></w:r></w:p>"
        "<w:p><w:ins><w:r><w:t>新增一段。</w:t></w:r></w:ins></w:p>"
    )
    doc = read_docx(with_body(body), "tracked.docx")
    assert [p.text for p in doc.paragraphs()] == ["收到申请398件。", "新增一段。"]
    assert doc.meta["tracked"] == "3"
    assert (
        "tracked"
        not in read_docx(with_body("<w:p><w:r><w:t>定稿</w:t></w:r></w:p>"), "x.docx").meta
    )
    from xxgk import checks
    from xxgk.extract import extract

    findings = [f for f in checks.run(extract(doc), None) if f.code == "TXT-009"]
    assert [f.message for f in findings] == [
        "Word 文档中有 3 处未接受的修订，已按修订后的内容读取。"
    ]


def test_main_part_is_found_through_the_package_relationships() -> None:
    data = build_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        rels = zf.read("_rels/.rels")
        main = zf.read("word/document.xml")
        types = zf.read("[Content_Types].xml")
    assert b'Target="word/document.xml"' in rels
    moved = rezip(
        data,
        {
            "_rels/.rels": rels.replace(b"word/document.xml", b"word/document2.xml"),
            "word/document2.xml": main.replace("一、总体情况".encode(), "移动后".encode()),
            "[Content_Types].xml": types.replace(b"/word/document.xml", b"/word/document2.xml"),
        },
    )
    assert read_docx(moved, "moved.docx").paragraphs()[0].text == "移动后"
    macro = types.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
    with pytest.raises(ReadError, match="无法解析其内容"):
        read_docx(rezip(data, {"[Content_Types].xml": macro}), "macro.docx")
    empty = f'<w:document xmlns:w="{W_NS}"/>'.encode()
    with pytest.raises(ReadError, match="无法解析其内容"):
        read_docx(rezip(data, {"word/document.xml": empty}), "empty.docx")


# --------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "文件为空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是有效的 DOCX 文件"),
        (b"<html><body>report</body></html>", "不是有效的 DOCX 文件"),
        (b"PK\x03\x04 truncated", "不是有效的 DOCX 文件（压缩包损坏）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "旧版 Word/WPS"),
    ],
)
def test_not_a_docx_is_a_read_error(data: bytes, problem: str) -> None:
    with pytest.raises(ReadError, match=problem) as info:
        read_docx(data, "bad.docx")
    assert info.value.source == "bad.docx"


def test_truncated_real_file_is_a_read_error() -> None:
    data = build_docx()
    with pytest.raises(ReadError, match="不是有效的 DOCX 文件"):
        read_docx(data[: len(data) // 2], "cut.docx")


def test_zip_without_document_part() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReadError, match="Excel"):
        read_docx(out.getvalue(), "book.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ReadError, match=r"缺少 word/document\.xml"):
        read_docx(out.getvalue(), "x.docx")


def _zeros_zip(name: str, megabytes: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open(name, "w") as fh:
            for _ in range(megabytes):
                fh.write(b"\0" * (1024 * 1024))
    return out.getvalue()


def test_zip_bomb_total_size() -> None:
    data = _zeros_zip("word/document.xml", 24)
    assert len(data) < 100_000
    with pytest.raises(ReadError, match="疑似压缩炸弹"):
        read_docx(data, "bomb.docx", Limits(max_unzipped=16 * 1024 * 1024))


def test_zip_bomb_ratio_of_one_member() -> None:
    data = rezip(build_docx(), {"word/media/image1.png": b"\0" * (4 * 1024 * 1024)})
    with pytest.raises(ReadError, match=r"疑似压缩炸弹.*压缩比"):
        read_docx(data, "ratio.docx")


XXE = (
    '<?xml version="1.0" encoding="{enc}"?>\n'
    '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>'
    "</w:body></w:document>"
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p>'
    "</w:body></w:document>"
)


@pytest.mark.parametrize(
    "part",
    [
        XXE.format(enc="UTF-8").encode("utf-8"),
        XXE.format(enc="UTF-16").encode("utf-16"),
        LAUGHS.encode(),
    ],
    ids=["xxe", "xxe-utf16", "billion-laughs"],
)
def test_entity_declarations_are_rejected(part: bytes) -> None:
    data = rezip(build_docx(), {"word/document.xml": part})
    with pytest.raises(ReadError, match="含有不允许的 XML 实体声明"):
        read_docx(data, "xxe.docx")


def test_size_limit_checked_first() -> None:
    with pytest.raises(ReadError, match="文件过大"):
        read_docx(build_docx(), "big.docx", Limits(max_bytes=1000))


def test_too_many_cells() -> None:
    with pytest.raises(ReadError, match="表格过大"):
        read_docx(build_docx(), "cells.docx", Limits(max_cells=5))


# --------------------------------------------------------------------------- legacy files


def test_legacy_without_libreoffice_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(ReadError) as info:
        convert_legacy(path, Limits())
    assert info.value.source == str(path)
    assert "需要 LibreOffice" in info.value.problem
    assert "apt-get install libreoffice-writer" in info.value.problem


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_legacy_doc_converted_by_libreoffice(tmp_path: Path) -> None:
    assert SOFFICE is not None
    source = tmp_path / "report.docx"
    source.write_bytes(build_docx())
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    data = convert_legacy(tmp_path / "report.doc", Limits())
    doc = read_docx(data, "report.doc")
    assert [p.text for p in doc.paragraphs()][:1] == ["一、总体情况"]
    assert doc.tables()[0].rows[1][0].text == "规章"


# --------------------------------------------------------------------------- fuzzing

BUILT = build_docx()
with zipfile.ZipFile(io.BytesIO(BUILT)) as _zf:
    DOCUMENT_XML = _zf.read("word/document.xml")


def _outcome(data: bytes) -> None:
    try:
        doc = read_docx(data, "fuzz.docx")
    except ReadError:
        return
    assert isinstance(doc, Document)
    for table in doc.tables():
        assert all(len(row) == table.width for row in table.rows)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=2048) | st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b))
def test_fuzz_random_bytes(data: bytes) -> None:
    _outcome(data)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, len(BUILT) - 1), st.binary(min_size=1, max_size=16))
def test_fuzz_mutated_package_bytes(at: int, patch: bytes) -> None:
    _outcome(BUILT[:at] + patch + BUILT[at + len(patch) :])


@settings(max_examples=50, deadline=None)
@given(
    st.integers(0, len(DOCUMENT_XML)),
    st.integers(0, 200),
    st.binary(max_size=32)
    | st.sampled_from([b"<w:tc>", b"</w:tr>", b'<w:vMerge w:val="restart"/>', b"<w:gridSpan/>"]),
)
def test_fuzz_mutated_document_xml(at: int, cut: int, insert: bytes) -> None:
    xml = DOCUMENT_XML[:at] + insert + DOCUMENT_XML[at + cut :]
    _outcome(rezip(BUILT, {"word/document.xml": xml}))


# --------------------------------------------------------------------------- publishing habits

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CELL = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"


def _row(*texts: str) -> str:
    return "<w:tr>" + "".join(_CELL.format(t) for t in texts) + "</w:tr>"


_DATA = "<w:tbl>" + _row("规章", "3", "1", "12") + _row("行政许可", "7", "", "") + "</w:tbl>"


def test_a_frame_tables_content_is_read_as_body_content() -> None:
    """A CMS page made into Word: the whole body in one cell of a frame table."""
    frame = (
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>二、主动公开政府信息情况</w:t></w:r></w:p>"
        + _DATA
        + "<w:p><w:r><w:t>三、收到和处理</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    doc = read_docx(with_body("<w:p><w:r><w:t>标题</w:t></w:r></w:p>" + frame), "x.docx")
    kinds = [b.text if isinstance(b, Paragraph) else "<table>" for b in doc.blocks]
    assert kinds == ["标题", "二、主动公开政府信息情况", "<table>", "三、收到和处理"]
    assert texts(doc.tables()[0].rows) == [["规章", "3", "1", "12"], ["行政许可", "7", "", ""]]


def test_a_table_of_three_cells_a_row_keeps_its_nested_table_in_the_cell() -> None:
    body = "<w:tbl><w:tr>" + _CELL.format("外") + "<w:tc>" + _DATA + "<w:p/></w:tc>"
    body += _CELL.format("右") + "</w:tr></w:tbl>"
    doc = read_docx(with_body(body), "x.docx")
    assert len(doc.tables()) == 1
    assert texts(doc.tables()[0].rows) == [["外", "规章 3 1 12 行政许可 7", "右"]]


def _box(content: str) -> str:
    return (
        f'<w:p xmlns:mc="{_MC}"><w:r><mc:AlternateContent><mc:Choice Requires="wps">'
        f"<w:drawing><w:txbxContent>{content}</w:txbxContent></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><w:txbxContent>{content}</w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )


def test_a_title_and_a_table_in_text_boxes_are_read_once_in_place() -> None:
    title = "<w:p><w:r><w:t>某某局2023年政府信息公开工作年度报告</w:t></w:r></w:p>"
    body = _box(title) + "<w:p><w:r><w:t>正文</w:t></w:r></w:p>" + _box(_DATA + "<w:p/>")
    doc = read_docx(with_body(body), "x.docx")
    kinds = [b.text if isinstance(b, Paragraph) else "<table>" for b in doc.blocks]
    assert kinds == ["某某局2023年政府信息公开工作年度报告", "正文", "<table>"]
    assert texts(doc.tables()[0].rows)[0] == ["规章", "3", "1", "12"]


def test_tracked_changes_deleted_values_and_rows_are_not_read() -> None:
    """Word's tracked changes: the deleted value and a deleted row are not the report's."""
    ins = '<w:ins w:id="1" w:author="a">'
    dele = '<w:del w:id="2" w:author="a">'
    changed = (
        f"<w:tc><w:p>{dele}<w:r><w:delText>8</w:delText></w:r></w:del>"
        f"{ins}<w:r><w:t>3</w:t></w:r></w:ins></w:p></w:tc>"
    )
    deleted_row = (
        '<w:tr><w:trPr><w:del w:id="3" w:author="a"/></w:trPr>'
        + "".join(
            f"<w:tc><w:p>{dele}<w:r><w:delText>{t}</w:delText></w:r></w:del></w:p></w:tc>"
            for t in ("规章", "9", "9", "9")
        )
        + "</w:tr>"
    )
    body = (
        "<w:tbl><w:tr>"
        + _CELL.format("规章")
        + changed
        + _CELL.format("1")
        + _CELL.format("12")
        + "</w:tr>"
        + deleted_row
        + _row("行政许可", "7", "", "")
        + "</w:tbl>"
    )
    doc = read_docx(with_body(body), "x.docx")
    rows = [r for r in texts(doc.tables()[0].rows) if any(r)]
    assert rows == [["规章", "3", "1", "12"], ["行政许可", "7", "", ""]]
