"""What the PDF reader reads from PDFium in bulk equals the plain one-call-per-value
reading: characters, boxes and turns (the reference reading is kept here), and the
rulings from path segments read as one array, on the corpus PDF, made-up pages (CJK and
Latin text, turned pages) and typeset variety reports."""

from __future__ import annotations

import ctypes
import math
import random
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from tests.conftest import corpus_path
from tests.readers.test_pdf import H, make_pdf, text, turned
from xxgk.readers import pdf as reader


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
