"""What the PDF reader reads from PDFium in bulk equals the plain one-call-per-value
reading: characters, boxes and turns (the reference reading is kept here), and the
rulings from path segments read as one array, on the corpus PDF, made-up pages (CJK and
Latin text, turned pages) and typeset variety reports.  Every test runs twice: with the
C loops of readers/_bulk.c (pdf_bulk) and with the calls made one by one through ctypes
(the reader where _bulk.c was not built)."""

from __future__ import annotations

import ctypes
import itertools
import math
import random
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from tests.conftest import corpus_path
from tests.readers.test_pdf import H, make_pdf, text, turned
from xxgk.readers import pdf as reader
from xxgk.readers import pdf_bulk


@pytest.fixture(autouse=True, params=["C loops", "ctypes calls"])
def calls(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The reader with its PDFium calls made in bulk from C, then one by one."""
    if request.param == "C loops" and not pdf_bulk.available:
        pytest.skip("readers/_bulk.c was not built here (no C compiler at install)")
    if request.param == "ctypes calls":
        monkeypatch.setattr(pdf_bulk, "available", False)
    return str(request.param)


def reference_chars(textpage: Any, n: int) -> list[reader.RawChar]:
    """Five PDFium calls per character, through pypdfium2's typed bindings."""
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    tight = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top
    matrix = pdfium_c.FS_MATRIX()
    out: list[reader.RawChar] = []
    pending_high = 0
    for i in range(n):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if 0xD800 <= code < 0xDC00:
            pending_high = code
            continue
        if 0xDC00 <= code < 0xE000 and pending_high:
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
        pending_high = 0
        if code <= 0x20 or code in (0xFFFE, 0xFFFF) or pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
            continue
        ch = chr(code)
        if ch.isspace() or not ch.isprintable():
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(rect)):
            continue
        if not pdfium_c.FPDFText_GetCharBox(raw, i, *(ctypes.byref(v) for v in tight)):
            continue
        box = (rect.left, rect.bottom, rect.right, rect.top)
        tl, tr, tb, tt = (v.value for v in tight)
        if not all(map(math.isfinite, (*box, tl, tr, tb, tt))):
            continue
        lw, lh, tw, th = box[2] - box[0], box[3] - box[1], tr - tl, tt - tb
        if lw > 3 * tw + 2 and lh > 3 * th + 2:
            em = reader._em(raw, i, matrix)
            if em > 0 and (lh > 2.5 * em or lw > 2.5 * em):
                cx, cy = (tl + tr) / 2, (tb + tt) / 2
                box = (cx - em / 2, cy - em / 2, cx + em / 2, cy + em / 2)
        out.append((ch, box, reader._quarter(pdfium_c.FPDFText_GetCharAngle(raw, i))))
    return out


def assert_same_chars(data: bytes) -> int:
    """Every page read both ways; returns the number of characters compared."""
    doc = pdfium.PdfDocument(data)
    seen = 0
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            n = textpage.count_chars()
            fast = reader._raw_chars(textpage, n)
            assert fast == reference_chars(textpage, n), f"page {index + 1}"
            seen += len(fast)
            # an upright clean page's characters made in one pass: the same in the frame
            measured = reader._measure(textpage, n)
            frame = reader._Frame(reader._crop(page), 0)
            if measured.clean and reader._dominant_quarter(fast, 0) == 0:
                upright = reader._upright_chars(measured, frame)
                assert upright == frame.chars(fast), f"page {index + 1} upright"
            textpage.close()
            page.close()
    finally:
        doc.close()
    return seen


def test_corpus_pdf() -> None:
    data = corpus_path("real", "hzq-2023.pdf").read_bytes()
    assert assert_same_chars(data) > 2000
    for rotate in (90, 270):
        assert assert_same_chars(turned(data, rotate, redraw=True)) > 2000


def test_made_up_pages() -> None:
    """CJK and Latin text, sizes from 3 to 40 points, a glyph turned a quarter, characters
    outside the BMP (written as surrogate pairs) and a page without text."""
    rng = random.Random(5)
    words = ["二〇二三年度", "政府信息公开", "予以公开", "Page 3 of 9", "12,345", "𠀀𠀁"]
    content = ""
    for _ in range(40):
        size = rng.choice([3.0, 7.5, 10.5, 16.0, 40.0])
        content += text(rng.uniform(20, 400), rng.uniform(20, H - 60), rng.choice(words), size)
    content += "BT /F2 12 Tf 0 1 -1 0 300 300 Tm <653f5e9c> Tj ET\n"  # turned text
    content += "BT /F1 9 Tf 1 0 0 1 60 40 Tm (plain Latin, 1 2 3) Tj ET\n"
    assert assert_same_chars(make_pdf([content, "0.5 w 10 10 m 100 10 l S\n"])) > 200


def test_typeset_variety_reports() -> None:
    from xxgk.variety.generate import random_report
    from xxgk.variety.layouts import pdf_skipped, printed

    why = pdf_skipped()
    if why:
        pytest.skip(why)
    for layout in ("pdf", "pdf-unruled"):
        report = random_report(random.Random(f"chars:{layout}"))
        data = printed(report, layout, random.Random(1)).data()
        assert assert_same_chars(data) > 1000


def edges_both_ways(data: bytes) -> list[tuple[list[tuple[object, ...]], list[tuple[object, ...]]]]:
    """Per page: the rulings with path segments read as one array, and one call per value."""
    doc = pdfium.PdfDocument(data)
    out = []
    saved = reader._segment_layout[0]
    try:
        for index in range(len(doc)):
            page = doc[index]
            frame = reader._Frame(reader._crop(page), int(page.get_rotation()) // 90 % 4)
            ways = []
            for layout in (None, False):  # checked then read as an array; calls only
                reader._segment_layout[0] = layout
                edges, _, _ = reader._page_edges(page, frame)
                ways.append([(e.vertical, e.x0, e.top, e.x1, e.bottom) for e in edges])
                if layout is None and edges:
                    # the array layout was checked against the calls, and agreed
                    assert reader._segment_layout[0] is True
            out.append((ways[0], ways[1]))
            page.close()
    finally:
        reader._segment_layout[0] = saved
        doc.close()
    return out


def test_rulings_from_segments_read_as_one_array() -> None:
    data = corpus_path("real", "hzq-2023.pdf").read_bytes()
    pages = edges_both_ways(data) + edges_both_ways(turned(data, 90, redraw=True))
    assert sum(len(fast) for fast, _ in pages) > 200
    for fast, called in pages:
        assert fast == called
    bars = "".join(f"0 0 0 rg 50 {700 - 20 * k} 400 0.6 re f\n" for k in range(10))
    curve = "1 w 50 100 m 100 150 200 150 250 100 c 300 100 l 300 50 l h S\n"
    for fast, called in edges_both_ways(make_pdf([bars + curve])):
        assert fast == called
        assert len(fast) >= 12


def reference_edges(page: Any, frame: reader._Frame) -> list[tuple[object, ...]]:
    """Rulings read the plain way, one PDFium call per value through pypdfium2's typed
    bindings: every path's points turned into the page frame, cut into straight runs,
    each axis-parallel piece of a run a ruling; an unstroked fill only when thin or
    visibly coloured (forms walked with their matrices)."""
    out: list[tuple[object, ...]] = []

    def walk(objs: list[Any], ctm: reader.Matrix) -> None:
        for obj in objs:
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
                continue
            fm = pdfium_c.FS_MATRIX()
            if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fm)):
                continue
            m = reader._multiply((fm.a, fm.b, fm.c, fm.d, fm.e, fm.f), ctm)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                count = pdfium_c.FPDFFormObj_CountObjects(obj)
                walk([pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(count)], m)
                continue
            fill, stroke = ctypes.c_int(), ctypes.c_int()
            if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
                continue
            if not stroke.value and not fill.value:
                continue
            runs: list[list[tuple[float, float]]] = []
            run: list[tuple[float, float]] = []
            for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
                seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
                x, y = ctypes.c_float(), ctypes.c_float()
                if not seg or not pdfium_c.FPDFPathSegment_GetPoint(
                    seg, ctypes.byref(x), ctypes.byref(y)
                ):
                    continue
                a, b, c, d, e, f = m
                at = frame.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
                if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_LINETO and run:
                    run.append(at)
                else:
                    if len(run) > 1:
                        runs.append(run)
                    run = [at]
                if pdfium_c.FPDFPathSegment_GetClose(seg) and len(run) > 1:
                    runs.append([*run, run[0]])
                    run = []
            if len(run) > 1:
                runs.append(run)
            if not runs:
                continue
            if not stroke.value:
                xs = [p[0] for r in runs for p in r]
                ys = [p[1] for r in runs for p in r]
                if min(max(xs) - min(xs), max(ys) - min(ys)) > 2.0:
                    rgba = [ctypes.c_uint() for _ in range(4)]
                    ok = pdfium_c.FPDFPageObj_GetFillColor(obj, *map(ctypes.byref, rgba))
                    r, g, bl, al = (v.value for v in rgba)
                    if not ok or al == 0 or min(r, g, bl) >= 240:
                        continue
            for r in runs:
                for (x0, y0), (x1, y1) in itertools.pairwise(r):
                    if not all(map(math.isfinite, (x0, y0, x1, y1))):
                        continue
                    if abs(x1 - x0) <= 0.5 and abs(y1 - y0) >= 1:
                        x = (x0 + x1) / 2
                        out.append((True, x, min(y0, y1), x, max(y0, y1)))
                    elif abs(y1 - y0) <= 0.5 and abs(x1 - x0) >= 1:
                        y = (y0 + y1) / 2
                        out.append((False, min(x0, x1), y, max(x0, x1), y))

    raw = page.raw
    walk(
        [pdfium_c.FPDFPage_GetObject(raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(raw))],
        reader._IDENTITY,
    )
    return out


def assert_same_edges(data: bytes) -> int:
    """Every page's rulings as the reader reads them (segments as one array, a ruling per
    line segment as it is met, invisible fills that are surely not thin skipped) and as
    ``reference_edges`` reads them; returns the number of rulings compared."""
    doc = pdfium.PdfDocument(data)
    seen = 0
    try:
        for index in range(len(doc)):
            page = doc[index]
            frame = reader._Frame(reader._crop(page), int(page.get_rotation()) // 90 % 4)
            edges, _, _ = reader._page_edges(page, frame)
            fast = [(e.vertical, e.x0, e.top, e.x1, e.bottom) for e in edges]
            assert fast == reference_edges(page, frame), f"page {index + 1}"
            assert all(e.width == e.x1 - e.x0 and e.height == e.bottom - e.top for e in edges)
            seen += len(fast)
            page.close()
    finally:
        doc.close()
    return seen


def test_rulings_equal_the_plain_reading() -> None:
    data = corpus_path("real", "hzq-2023.pdf").read_bytes()
    assert assert_same_edges(data) > 100
    for rotate in (90, 180, 270):
        assert assert_same_edges(turned(data, rotate, redraw=True)) > 100
    # thin and thick fills, white and black, turned and skewed, curves, open runs, a
    # move on its own, closes in the middle, a form with its own matrix
    shapes = [
        "0 0 0 rg 50 700 400 0.6 re f\n",  # a black bar: a ruling
        "1 1 1 rg 50 650 400 1.5 re f\n",  # a thin white bar: a ruling all the same
        "1 1 1 rg 50 500 400 100 re f\n",  # a white box behind text: none
        "1 1 1 rg 50 480 400 2.0 re f\n",  # exactly 2 points high: thin
        "0.5 0.5 0.5 rg 50 400 300 60 re f\n",  # a grey box: its four sides
        "1 1 1 rg q 0 1 -1 0 500 100 cm 0 0 200 50 re f Q\n",  # a white box turned
        "1 1 1 rg q 1 0 0.5 1 0 0 cm 50 200 100 1 re f Q\n",  # skewed: measured exactly
        "1 1 1 rg 50 150 m 300 150 l 300 150.5 l 50 150.5 l h f\n",  # a thin hand-made box
        "1 1 1 rg 20 20 m 400 300 m 400 100 l 401 100 l f\n",  # a lone move, then a run
        "1 w 50 100 m 100 150 200 150 250 100 c 300 100 l 300 50 l h S\n",  # a curve
        "1 w 60 60 m 200 60 l h 200 80 l 60 80 l S\n",  # closed in the middle
        "0.5 w 10 10 m 100 10 l S\n",
    ]
    assert assert_same_edges(make_pdf(["".join(shapes)])) >= 12
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [1 0 0 1 20 30] /Length 60 >>\nstream\n0 0 0 rg 50 700 400 0.6 re f 1 1 1 rg 50 500 400 100 re f\nendstream"
    with_form = make_pdf(["/Fm1 Do\n0.5 w 10 10 m 100 10 l S\n"], extra_objects=[form])
    assert (
        assert_same_edges(
            with_form.replace(b"/F2 3 0 R >>", b"/F2 3 0 R >> /XObject << /Fm1 6 0 R >>")
        )
        >= 2
    )


def test_rulings_of_typeset_variety_reports() -> None:
    from xxgk.variety.generate import random_report
    from xxgk.variety.layouts import pdf_skipped, printed

    why = pdf_skipped()
    if why:
        pytest.skip(why)
    report = random_report(random.Random("edges"))
    assert assert_same_edges(printed(report, "pdf", random.Random(2)).data()) > 300


def test_a_page_without_text_read_first_in_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The character slots are made on first use: a page with no characters read before
    any other (a scan's blank page) must not find slots that were never made."""
    monkeypatch.setattr(reader, "_SLOTS", reader._Slots())
    data = make_pdf(["0.5 w 10 10 m 100 10 l S\n", text(60, 100, "政府信息公开")])
    doc = reader.read_pdf(data, "blank-first.pdf")
    assert [b.text for b in doc.blocks if isinstance(b, reader.Paragraph)] == ["政府信息公开"]


def test_pages_past_the_slots_read_one_character_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page with more characters than the slots hold is measured a call per value:
    the same Document as through the slots."""
    rng = random.Random(9)
    content = "".join(
        text(rng.uniform(20, 500), rng.uniform(20, H - 60), "予以公开12,345") for _ in range(60)
    )
    data = make_pdf([content])
    through_slots = reader.read_pdf(data, "x.pdf")
    small = reader._Slots()
    small.limit = 16
    monkeypatch.setattr(reader, "_SLOTS", small)
    assert repr(reader.read_pdf(data, "x.pdf")) == repr(through_slots)
    assert small.size == 0  # the page did not fit: no slots were made


def test_a_number_cut_by_its_clip_path_is_in_doubt() -> None:
    """Chromium prints what runs past the page's text area up to the edge of it: the
    last glyph it prints is cut there, and the digits after it are not printed (499742
    printed as 49974).  A cell with a glyph its clip path cuts keeps its text, in doubt
    ("clipped"); a cell inside the clip path, and text wholly outside it (not seen), are
    not in doubt.  Found alike by the C loop and by the calls made one by one."""
    from tests.readers.test_pdf import cells_text, grid

    xs, ys = [60.0, 200.0, 260.0, 330.0], [100.0, 130.0, 160.0, 190.0]
    inside = text(63, 133, "行政许可") + text(203, 133, "49974") + text(203, 163, "123")
    content = grid(xs, ys) + cells_text(xs, ys, [["项目", "件数", "金额"]])
    content += text(63, 163, "行政处罚")
    # the clip path ends at x 250: the last 4 of 49974 (245-255.5) is cut; 7 (263-273.5)
    # stands wholly outside it
    content += f"q 0 0 250 {H} re W n\n" + inside + text(263, 163, "7") + "Q\n"
    (table,) = reader.read_pdf(make_pdf([content]), "clipped.pdf").tables()
    assert [[c.text for c in r] for r in table.rows[1:]] == [
        ["行政许可", "49974", ""],
        ["行政处罚", "123", "7"],
    ]
    doubts = [[(c.where.doubt, c.where.alts) for c in r] for r in table.rows[1:]]
    assert doubts == [
        [(None, None), ("clipped", ("49974",)), (None, None)],
        [(None, None), (None, None), (None, None)],
    ]


def test_a_number_cut_past_the_tables_side_is_its_cells_in_doubt() -> None:
    """The cut glyph may stand past the table's right side (a number run out of the last
    column to the text area's edge, 66370's 7 centred past it): its cell is the one it
    was read into."""
    from tests.readers.test_pdf import cells_text, grid

    xs, ys = [60.0, 200.0, 250.0], [100.0, 130.0, 160.0]
    content = grid(xs, ys) + cells_text(xs, ys, [["项目", "件数"], ["行政许可", ""]])
    # 7's box 247.5-258 (centred past the side at 250), its ink 248.1-253, cut at 251
    content += f"q 0 0 251 {H} re W n\n" + text(216, 133, "66370") + "Q\n"
    (table,) = reader.read_pdf(make_pdf([content]), "clipped.pdf").tables()
    assert [(c.text, c.where.doubt) for c in table.rows[1]] == [
        ("行政许可", None),
        ("66370", "clipped"),
    ]
