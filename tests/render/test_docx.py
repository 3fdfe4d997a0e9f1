"""The Word renderer: reads back to the same numbers, has the official table shape, fonts."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from hypothesis import HealthCheck, given, settings

from tests.artifacts import save
from tests.conftest import ROOT, corpus_path
from tests.samples import NARRATIVE, assert_same, reports, sample
from xxgk.api import parse_document
from xxgk.format import SECTIONS, T3_GROUPS, T3_NOTE, VERSIONS
from xxgk.model import Report
from xxgk.readers import read_bytes
from xxgk.render.docx import render_docx, table_grid
from xxgk.synth import consistent_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ARTIFACTS = ROOT / "artifacts" / "render"


def read_back(report: Report) -> Report:
    return parse_document(read_bytes(render_docx(report), "x.docx"))


def open_docx(report: Report) -> Any:
    return docx.Document(io.BytesIO(render_docx(report)))


def regions(table: Any) -> set[tuple[int, int, int, int]]:
    """(row, col, rowspan, colspan) of every Word cell, found by its ``_tc`` identity."""
    grid = [[c._tc for c in row.cells] for row in table.rows]
    out: set[tuple[int, int, int, int]] = set()
    seen: set[int] = set()
    for r, row in enumerate(grid):
        for c, tc in enumerate(row):
            if id(tc) in seen:
                continue
            seen.add(id(tc))
            rows = sum(1 for other in grid if any(x is tc for x in other))
            cols = sum(1 for x in row if x is tc)
            out.add((r, c, rows, cols))
    return out


def texts(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def east_asian(run: Any) -> str | None:
    fonts = run._element.rPr.find(f"{W}rFonts")
    return None if fonts is None else fonts.get(f"{W}eastAsia")


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("key", ["2021", "2019"])
def test_round_trip_gives_the_same_cells_and_metadata(key: str) -> None:
    report = sample(key)
    back = read_back(report)
    assert_same(report, back)
    for number in range(1, 6):
        assert back.sections[number] == NARRATIVE[number]
    assert back.sections[6].startswith(NARRATIVE[6])


def test_amounts_are_printed_as_written() -> None:
    report = sample("2021")
    report.tables["t2"]["fee"]["amount"] = 7730.28
    cells = [c.text for t in open_docx(report).tables for r in t.rows for c in r.cells]
    assert "7730.28" in cells
    assert not any("7730.280" in c or c.endswith(".0") for c in cells)
    assert read_back(report).value("t2.fee.amount") == 7730.28


def test_signed_2019_values_read_back_negative() -> None:
    report = sample("2019")
    assert report.value("t2.permit.delta") == -2
    assert read_back(report).value("t2.permit.delta") == -2


def test_blank_values_are_empty_cells_and_read_back_blank() -> None:
    report = sample("2021")
    report.tables["t2"]["regulation"]["repealed"] = None
    report.tables["t4"]["lit_after_review"]["corrected"] = None
    document = open_docx(report)
    t2, _, t4 = document.tables
    assert texts(t2)[2] == ["规章", "1", "", "3"]
    assert texts(t4)[3][11] == ""
    back = read_back(report)
    assert back.value("t2.regulation.repealed") is None
    assert back.value("t4.lit_after_review.corrected") is None


def test_a_report_without_agency_or_date_still_renders() -> None:
    report = consistent_report("2021", leaves={"granted": {"natural": 1}})
    report.agency, report.published = None, None
    back = read_back(report)
    assert back.tables == report.tables


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_random_consistent_reports_read_back_exactly(report: Report) -> None:
    assert_same(report, read_back(report))


# --------------------------------------------------------------------------- layout


def test_tables_have_the_official_template_shape() -> None:
    template = docx.Document(str(corpus_path("template", "official-2021-template.docx")))
    ours = open_docx(sample("2021"))
    assert len(ours.tables) == len(template.tables) == 3
    for mine, official in zip(ours.tables, template.tables, strict=True):
        assert (len(mine.rows), len(mine.columns)) == (len(official.rows), len(official.columns))
        assert regions(mine) == regions(official)


def test_tables_have_the_official_labels() -> None:
    template = docx.Document(str(corpus_path("template", "official-2021-template.docx")))
    ours = open_docx(sample("2021"))

    def labels(table: Any) -> list[list[str]]:
        """Cell texts with numbers blanked; the template wraps headers and pads blanks."""
        cells = [[c.replace("\n", "").strip() for c in row] for row in texts(table)]
        return [["" if c.replace(".", "").isdigit() else c for c in row] for row in cells]

    for mine, official in zip(ours.tables, template.tables, strict=True):
        assert labels(mine) == labels(official)


def test_2021_shape_without_the_template() -> None:
    t2, t3, t4 = open_docx(sample("2021")).tables
    assert [(len(t.rows), len(t.columns)) for t in (t2, t3, t4)] == [(14, 4), (28, 10), (4, 15)]
    assert (0, 0, 3, 3) in regions(t3)
    assert texts(t3)[0][0] == T3_NOTE
    assert (5, 0, 22, 1) in regions(t3)
    assert texts(t3)[5][0] == T3_GROUPS[0]
    assert {(7, 1, 8, 1), (15, 1, 3, 1), (18, 1, 5, 1), (23, 1, 3, 1)} <= regions(t3)
    assert {(0, 0, 1, 5), (0, 5, 1, 10)} <= regions(t4)


def test_2019_shape() -> None:
    t2, t3, t4 = open_docx(sample("2019")).tables
    assert [(len(t.rows), len(t.columns)) for t in (t2, t3, t4)] == [(18, 4), (26, 10), (4, 15)]
    rows = texts(t2)
    assert rows[15] == ["第二十条第（九）项"] * 4
    assert rows[16] == ["信息内容", "采购项目数量", "采购总金额", "采购总金额"]
    assert rows[17] == ["政府集中采购", "22", "7730.28", "7730.28"]
    assert rows[5][1:] == ["上一年项目数量", "本年增/减", "处理决定数量"]
    assert (5, 0, 20, 1) in regions(t3)  # 三、本年度办理结果 over 20 rows
    assert (23, 1, 1, 2) in regions(t3)  # （六）其他处理 is a single row
    assert texts(t3)[23][1] == "（六）其他处理"
    assert (len(t4.rows), len(t4.columns)) == (4, 15)


def test_headings_come_in_order_with_their_text_and_tables() -> None:
    document = open_docx(sample("2021"))
    body = document.element.body
    order: list[str] = []
    for el in body:
        if el.tag == f"{W}p":
            text = "".join(t.text or "" for t in el.iter(f"{W}t"))
            if text:
                order.append(text)
        elif el.tag == f"{W}tbl":
            order.append("<table>")
    headings = [f"{'一二三四五六'[s.number - 1]}、{s.title}" for s in SECTIONS]
    assert order[0] == "某某市某某区人民政府2023年政府信息公开工作年度报告"
    assert [order.index(h) for h in headings] == sorted(order.index(h) for h in headings)
    at = order.index
    assert order[at(headings[0]) + 1 : at(headings[1])] == NARRATIVE[1].split("\n")
    for n in (2, 3, 4):
        assert order[at(headings[n - 1]) + 1 : at(headings[n])] == [NARRATIVE[n], "<table>"]
    assert order[-2:] == ["某某市某某区人民政府", "2024年1月20日"]


def test_fonts_sizes_and_page() -> None:
    document = open_docx(sample("2021"))
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asian(title.runs[0]) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22
    headings = [
        p for p in paragraphs if p.text.startswith(tuple("一二三四五六")) and "、" in p.text[:2]
    ]
    assert [p.text for p in headings][:6] == [
        f"{'一二三四五六'[s.number - 1]}、{s.title}" for s in SECTIONS
    ]
    for p in headings[:6]:
        assert {east_asian(r) for r in p.runs} == {"黑体"}
        assert all(r.font.size.pt == 16 for r in p.runs)
    body = [p for p in paragraphs if p.text in NARRATIVE.values() or p.text.startswith("一是")]
    assert body
    for p in body:
        assert {east_asian(r) for r in p.runs} == {"仿宋_GB2312"}
        assert all(r.font.size.pt == 16 for r in p.runs)
        assert p.runs[0].font.name == "Times New Roman"  # digits and Latin letters
    signature = paragraphs[-2:]
    assert [p.text for p in signature] == ["某某市某某区人民政府", "2024年1月20日"]
    assert {p.alignment for p in signature} == {WD_ALIGN_PARAGRAPH.RIGHT}
    for table in document.tables:
        runs = [r for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs]
        assert {east_asian(r) for r in runs} == {"仿宋_GB2312"}
        assert {r.font.size.pt for r in runs} == {10.5}
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_every_table_has_all_borders() -> None:
    for table in open_docx(sample("2019")).tables:
        borders = table._tbl.tblPr.find(f"{W}tblBorders")
        assert borders is not None
        edges = {el.tag.removeprefix(W): el.get(f"{W}val") for el in borders}
        assert edges == dict.fromkeys(
            ("top", "left", "bottom", "right", "insideH", "insideV"), "single"
        )


# --------------------------------------------------------------------------- LibreOffice


def test_libreoffice_converts_it_to_pdf_and_png(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = save(ARTIFACTS / "report-2021.docx", render_docx(sample("2021")))
    profile = (tmp_path / "profile").as_uri()
    convert = ["--convert-to", "pdf", "--outdir", str(tmp_path), str(source)]
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", *convert],
        check=True,
        timeout=180,
        capture_output=True,
    )
    made = tmp_path / "report-2021.pdf"
    assert made.exists() and made.stat().st_size > 1000
    pdf = save(ARTIFACTS / "report-2021.pdf", made.read_bytes())
    # the way offices publish: Word file saved as PDF; it must read back to the same report
    assert_same(sample("2021"), parse_document(read_bytes(pdf.read_bytes(), "x.pdf")))
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (the PDF was made)")
    for old in ARTIFACTS.glob("report-2021-page*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / "report-2021-page")],
        check=True,
        timeout=120,
    )
    pages = sorted(ARTIFACTS.glob("report-2021-page*.png"))
    assert len(pages) >= 2  # title and text, then the tables


@pytest.mark.parametrize("key", ["2021", "2019"])
def test_grid_places_cover_every_position_once(key: str) -> None:
    version = VERSIONS[key]
    for table in version.tables:
        grid = table_grid(version, table.key)
        covered = [
            (r, c)
            for p in grid.places
            for r in range(p.row, p.row + p.rowspan)
            for c in range(p.col, p.col + p.colspan)
        ]
        assert sorted(covered) == [(r, c) for r in range(grid.rows) for c in range(grid.cols)]
        assert sorted(grid.value_places()) == sorted(table.cell_keys())


def test_heading_rows_repeat_and_rows_do_not_break_across_pages() -> None:
    """Seen on the LibreOffice pages: table 三 runs onto page 2 without its headings."""
    _, t3, t4 = open_docx(sample("2021")).tables
    for table, heads in ((t3, 3), (t4, 3)):
        flags = [row._tr.trPr.find(f"{W}tblHeader") is not None for row in table.rows]
        assert flags == [True] * heads + [False] * (len(table.rows) - heads)
        assert all(row._tr.trPr.find(f"{W}cantSplit") is not None for row in table.rows)
