"""Generality: random consistent reports × every layout × every real-world habit.

Zero wrong numbers in every cell of the matrix, and at least 99.9 % of the printed
cells read, except the cells listed in KNOWN_GAPS.  A listed cell must still fall
short (a fixed gap is removed from the list); a reason starting with "wrong:" marks a
cell that still reads wrong numbers (a bug: the failing input is in the reason).
``scripts/accuracy.py`` prints the same matrix over more reports.
"""

from __future__ import annotations

import copy
import random
import re
from pathlib import Path

import pytest

from xxgk.render.text import LAYOUTS as FIXTURE_LAYOUTS
from xxgk.render.text import render_text
from xxgk.variety.generate import random_report
from xxgk.variety.habits import HABITS, applies, apply
from xxgk.variety.layouts import LAYOUTS, printed
from xxgk.variety.matrix import Matrix, Score, reports_for, run, score_case

N = 6
SEED = 11
TARGET = 0.999

# (layout, habit): why it falls short.  "wrong:" = it still reads wrong numbers.
_GLUED = (
    "glued digits split several ways (规章2900 = 29,0,0 or 2,90,0; t2 has no sums to tell): "
    "null with the candidates listed, never a guess"
)
KNOWN_GAPS: dict[tuple[str, str], str] = {
    ("glued", "plain"): _GLUED,
    ("glued", "blank-slash"): _GLUED + "; a '/' inside a run breaks it",
    ("glued", "blank-dash"): _GLUED + "; a '-' inside a run breaks it",
    ("glued", "spaces"): _GLUED,
    ("glued", "halfwidth"): _GLUED,
    ("glued", "label-typo"): _GLUED,
    ("glued", "heading-typo"): _GLUED,
    ("glued", "traditional"): _GLUED,
    ("glued", "truncation"): _GLUED,
    ("glued", "spam"): _GLUED,
    ("glued", "blank-empty"): (
        "wrong: an empty cell leaves no trace in a glued run; a run whose cuts all miss its "
        "row total is left null, but a wrong cut can still meet it by chance "
        "(4.保护第三方合法权益021816036 is 0,2,_,18,16,0,36, yet 0,21,8,1,6,0,36 adds up too), "
        "and t2 rows have no total at all (规章290: 2,9,0 or 29,0,_). Weighing the readings "
        "with an empty cell in glued.solve was tried: glued recall fell from 95 % to 12 % "
        "and corpus/real lost 84 cells; so was distrusting, once a row of the table met no cut "
        "of its total, every run that also reads with one cell empty: glued x blank-empty "
        "recall fell from 60 % to 8 % and t2 (no totals, no such row) still read 5 wrong"
    ),
    ("glued", "gbk"): _GLUED,
    ("tabs", "blank-empty"): (
        "a blank last cell prints as a trailing tab, which PDF text dumps also print after rows "
        "that lost a value (seed 003: （一）予以公开\\t0\\t0\\t0\\t0\\t0\\t0\\t must stay NUM-004), so "
        "such rows stay null rather than guess the lost column"
    ),
    ("pdf-chromium", "div-table"): (
        "the saved page has no CSS for its div rows and cells (the site's stylesheet is not in "
        "it): Chromium prints every div cell as a block one under another (16 pages), no grid"
    ),
    ("pdf-chromium", "word-html"): (
        "the page's p {text-indent: 2em} (the site's CSS, kept beside Word's) also indents "
        "Word's <p class=MsoNormal> in the table cells: Chromium prints each number 2 em right "
        "of its cell's start, in the narrow columns of t4 into the next cell and the last past "
        "the table beside the last column's own (seed 11 report 1: 6 8 2 0 16 printed under "
        "corrected … and 409 67039 in the last cell); the row is in doubt (OCR-001 'shifted'): "
        "null where the totals do not confirm it"
    ),
}


@pytest.fixture(scope="module")
def matrix() -> Matrix:
    return run(N, SEED)


def _cells(matrix: Matrix) -> list[tuple[tuple[str, str], Score]]:
    return [(k, s) for k, s in matrix.items() if s is not None]


def test_every_layout_and_habit_is_in_the_matrix(matrix: Matrix) -> None:
    assert set(matrix) == {(lay, h) for lay in LAYOUTS for h in HABITS}
    assert set(KNOWN_GAPS) <= set(matrix)
    assert all(applies(lay, h) for lay, h in KNOWN_GAPS)


def test_no_wrong_number_anywhere(matrix: Matrix) -> None:
    bad = {
        k: [(m.key, m.expected, m.got) for m in s.wrongs]
        for k, s in _cells(matrix)
        if s.wrong and not KNOWN_GAPS.get(k, "").startswith("wrong:")
    }
    assert bad == {}


def test_recall_at_least_999_per_mille_outside_known_gaps(matrix: Matrix) -> None:
    low = {
        k: f"{100 * s.recall:.2f} % e.g. {[(m.key, m.expected, m.got) for m in s.misses[:2]]}"
        for k, s in _cells(matrix)
        if s.recall < TARGET and k not in KNOWN_GAPS
    }
    assert low == {}


def test_known_gaps_still_fall_short(matrix: Matrix) -> None:
    fixed = []
    for k, why in KNOWN_GAPS.items():
        s = matrix[k]
        assert s is not None
        still = s.wrong > 0 if why.startswith("wrong:") else s.recall < TARGET
        if not still:
            fixed.append(k)
    assert fixed == [], "fixed: remove these from KNOWN_GAPS"


def test_every_cell_was_measured(matrix: Matrix) -> None:
    for k, s in _cells(matrix):
        if s.skipped:  # a PDF layout without a Chinese font, LibreOffice or Chromium
            assert s.skipped.startswith(
                ("没有中文字体", "没有 LibreOffice", "没有 Chromium", "没有 Playwright")
            ), k
            continue
        assert s.reports == reports_for(k[0], N, habit=k[1]), k
        assert s.required > 0, k


def test_printed_places_every_cell_at_its_value() -> None:
    """The harness itself: each cell part is the printed value, and the fixture layouts
    print exactly what render_text prints."""
    report = random_report(random.Random(3), "2019")
    for layout in LAYOUTS:
        p = printed(report, layout, random.Random(1))
        spans = p.spans()
        assert set(spans) == set(report.version.cell_keys())
        for key, (a, b) in spans.items():
            value = report.value(key)
            assert value is not None
            assert float(p.text[a:b]) == pytest.approx(value), (layout, key)
    for layout in FIXTURE_LAYOUTS:
        assert printed(report, layout).text == render_text(report, layout)


def test_truncation_requires_only_rows_before_the_cut_and_nulls_the_cut_cell() -> None:
    """The scoring itself, on a made-up read-back: a cut cell read as its first digits
    is a wrong number; only whole rows before the cut are required."""
    report = random_report(random.Random(5), "2021")
    report.tables["t2"]["permit"]["decisions"] = 35
    case = apply(printed(report, "tabs"), "plain", random.Random(0))
    a, _ = case.printed.spans()["t2.permit.decisions"]
    case.cut = a + 1  # "行政许可\t3"
    back = copy.deepcopy(report)
    for t, rows in back.tables.items():
        for r, cols in rows.items():
            for c in cols:
                if t != "t2" or r not in ("regulation", "normative_doc"):
                    cols[c] = None
    score = Score()
    score_case(report, case, back, score)
    assert (score.required, score.read, score.wrong) == (6, 6, 0)
    back.tables["t2"]["permit"]["decisions"] = 3
    score = Score()
    score_case(report, case, back, score)
    assert score.wrong == 1
    assert [(m.key, m.expected, m.got) for m in score.wrongs] == [("t2.permit.decisions", None, 3)]


def test_habits_change_what_they_say() -> None:
    report = random_report(random.Random(8), "2021")
    p = printed(report, "tabs")
    assert "(一)" in apply(p, "halfwidth", random.Random(0)).printed.text
    assert "開" in apply(p, "traditional", random.Random(0)).printed.text
    assert apply(p, "spam", random.Random(0)).printed.text.startswith("新葡京博彩官网")
    blank = apply(p, "blank-slash", random.Random(0))
    assert blank.blank
    assert all(
        blank.printed.text[a:b] == "/"
        for k, (a, b) in blank.printed.spans().items()
        if k in blank.blank
    )
    md = apply(printed(report, "md"), "placeholder", random.Random(0)).printed.text
    assert "| - | - |" in md


def test_pdf_layouts_without_a_chinese_font_are_skipped_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from xxgk.render import pdf as render_pdf
    from xxgk.variety.matrix import table

    monkeypatch.setattr(render_pdf, "cjk_fonts", lambda: [])
    m = run(1, SEED, layouts=("tabs", "pdf-unruled"), habits=("plain", "truncation"))
    skipped = m[("pdf-unruled", "plain")]
    assert skipped is not None and skipped.reports == 0
    assert skipped.skipped.startswith("没有中文字体")
    assert m[("pdf-unruled", "truncation")] is None
    tabs = m[("tabs", "plain")]
    assert tabs is not None and tabs.reports == 1 and not tabs.skipped
    assert "skipped" in table(m).splitlines()[2]


def test_new_habits_change_what_they_say() -> None:
    """The publishing habits of xxgk.variety.publishing print what they are named for."""
    report = random_report(random.Random(8), "2021")
    report.tables["t3"]["new"]["natural"] = 1234
    report.tables["t2"]["regulation"]["issued"] = 0

    def text(layout: str, habit: str) -> str:
        return apply(printed(report, layout), habit, random.Random(0)).printed.text

    assert re.search("[０-９]", text("tabs", "fullwidth"))
    assert re.search(r"\d ?(件|项|个)", text("tabs", "units"))
    assert re.search(r"1[,，]234", text("tabs", "thousands"))
    assert "〇" in text("tabs", "zero-ling")
    wu = apply(printed(report, "tabs"), "blank-wu", random.Random(0))
    assert wu.blank and all(
        wu.printed.text[a:b] == "无" for k, (a, b) in wu.printed.spans().items() if k in wu.blank
    )
    for layout in ("tabs", "cells", "md", "html", "docx"):
        assert text(layout, "header-repeat").count("勾稽关系") == 2, layout
    assert "<w:tblHeader/>" in text("docx", "header-repeat")
    word = text("html", "word-html")
    assert all(s in word for s in ("<o:p></o:p>", "mso-", "supportMisalignedColumns", "lang=EN-US"))
    gbk = apply(printed(report, "html"), "gbk", random.Random(0))
    data = gbk.data()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "某某" in data.decode("gb18030")
    assert "申<br>请<br>人" in text("html", "vertical-labels")
    assert "<w:t>申</w:t>" in text("docx", "vertical-labels")
    assert text("html", "split-header") != text("html", "plain")
    assert text("html", "nested-table").count("<table") > text("html", "plain").count("<table")
    assert "<table" not in text("html", "div-table")
    assert text("html", "row-tables").count("<table") > 40
    box = text("docx", "textbox")
    assert box.count("<w:txbxContent>") == 4 and "mc:Fallback" in box
    assert "<w:delText>" in text("docx", "tracked")


def test_pdf_office_without_libreoffice_is_skipped_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from xxgk import office
    from xxgk.variety.matrix import table

    monkeypatch.setattr(office, "soffice", lambda: None)
    m = run(1, SEED, layouts=("tabs", "pdf-office"), habits=("plain", "truncation", "tracked"))
    for habit in ("plain", "tracked"):
        s = m[("pdf-office", habit)]
        assert s is not None and s.reports == 0
        assert s.skipped == "没有 LibreOffice（soffice，make office），pdf-office 版式未测"
    assert m[("pdf-office", "truncation")] is None  # as in docx
    assert "skipped" in table(m).splitlines()[2]


def test_pdf_office_converts_in_one_run_and_caches_by_the_docx_bytes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Two reports' DOCX printed by LibreOffice in one run; read back as PDF to their
    numbers; asked again (the same DOCX bytes made anew), nothing is converted."""
    from xxgk import office
    from xxgk.extract import extract
    from xxgk.readers import read_bytes
    from xxgk.variety import office_pdf

    if office_pdf.office_skipped():
        pytest.skip(office_pdf.office_skipped() or "")
    runs: list[int] = []
    real = office.convert_all

    def counted(paths: list[Path], to: str, out: Path, timeout: float = 120) -> list[Path]:
        runs.append(len(paths))
        return real(paths, to, out, timeout)

    monkeypatch.setattr(office, "convert_all", counted)
    reports = [random_report(random.Random(f"office:{i}"), "2021") for i in range(2)]
    docs = [printed(r, "pdf-office").docx() for r in reports]
    pdfs = office_pdf.pdfs(docs, tmp_path)
    assert runs == [2]
    for report, pdf in zip(reports, pdfs, strict=True):
        assert pdf.startswith(b"%PDF")
        back = extract(read_bytes(pdf, "variety-pdf-office.pdf"))
        assert {k: back.value(k) for k in report.version.cell_keys()} == {
            k: report.value(k) for k in report.version.cell_keys()
        }
    again = [printed(r, "pdf-office").docx() for r in reports]
    assert office_pdf.pdfs(again, tmp_path) == pdfs
    assert runs == [2]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{office_pdf.key(d)}.pdf" for d in docs
    )


def test_pdf_chromium_without_chromium_is_skipped_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from xxgk.variety import chromium_pdf
    from xxgk.variety.matrix import table

    monkeypatch.setattr(chromium_pdf, "CHROMIUM", tmp_path / "chromium")
    m = run(1, SEED, layouts=("tabs", "pdf-chromium"), habits=("plain", "placeholder", "gbk"))
    for habit in ("plain", "gbk"):
        s = m[("pdf-chromium", habit)]
        assert s is not None and s.reports == 0
        assert s.skipped.startswith("没有 Chromium") and "pdf-chromium 版式未测" in s.skipped
    assert m[("pdf-chromium", "placeholder")] is None  # as in html
    assert "skipped" in table(m).splitlines()[2]


def test_pdf_chromium_prints_with_one_browser_and_caches_by_the_html_bytes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Two reports' web pages printed by one Chromium; read back as PDF to their numbers;
    asked again (the same HTML bytes made anew), nothing is printed."""
    from xxgk.extract import extract
    from xxgk.readers import read_bytes
    from xxgk.variety import chromium_pdf

    if chromium_pdf.chromium_skipped():
        pytest.skip(chromium_pdf.chromium_skipped() or "")
    runs: list[int] = []
    real = chromium_pdf._print_all

    def counted(todo: dict[str, bytes], tmp: Path, folder: Path) -> None:
        runs.append(len(todo))
        real(todo, tmp, folder)

    monkeypatch.setattr(chromium_pdf, "_print_all", counted)
    reports = [random_report(random.Random(f"chromium:{i}"), "2021") for i in range(2)]
    pages = [printed(r, "pdf-chromium").html() for r in reports]
    pdfs = chromium_pdf.pdfs(pages, tmp_path)
    assert runs == [2]
    for report, pdf in zip(reports, pdfs, strict=True):
        assert pdf.startswith(b"%PDF")
        back = extract(read_bytes(pdf, "variety-pdf-chromium.pdf"))
        assert {k: back.value(k) for k in report.version.cell_keys()} == {
            k: report.value(k) for k in report.version.cell_keys()
        }
    again = [printed(r, "pdf-chromium").html() for r in reports]
    assert chromium_pdf.pdfs(again, tmp_path) == pdfs
    assert runs == [2]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{chromium_pdf.key(h)}.pdf" for h in pages
    )
