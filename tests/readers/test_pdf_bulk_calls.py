"""The C loops of readers/_bulk.c (xxgk.readers.pdf_bulk): built where a C compiler is,
not used when stale, and the reader reads the same Document with them and without."""

from __future__ import annotations

import ctypes
import random
import shutil
import sysconfig

import pypdfium2 as pdfium
import pytest

from tests.conftest import corpus_path
from tests.readers.test_pdf import H, cells_text, grid, make_pdf, text, turned
from xxgk.readers import pdf as reader
from xxgk.readers import pdf_bulk
from xxgk.readers.limits import DEFAULT_LIMITS


def read_both_ways(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """repr of what the reader reads (Document and the pages left to OCR), with the C
    loops and with the calls one by one."""
    if not pdf_bulk.available:
        pytest.skip("readers/_bulk.c was not built here (no C compiler at install)")
    with reader._LOCK:
        bulk = repr(reader._read(data, "x.pdf", DEFAULT_LIMITS))
    monkeypatch.setattr(pdf_bulk, "available", False)
    with reader._LOCK:
        calls = repr(reader._read(data, "x.pdf", DEFAULT_LIMITS))
    monkeypatch.undo()
    return bulk, calls


def test_built_where_a_c_compiler_is() -> None:
    """make's install builds _bulk.c (setup.py, an optional extension): where a C
    compiler and Python's headers are there, the reader uses it."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    headers = sysconfig.get_paths()["include"]
    if shutil.which(compiler) is None or not (
        __import__("pathlib").Path(headers, "Python.h").exists()
    ):
        pytest.skip(
            f"no C compiler ({compiler}) or Python headers: the reader makes its calls one by one"
        )
    assert pdf_bulk.available, "readers/_bulk.c was not built: run make (pip install -e .)"


def test_a_stale_build_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A library built from another version of _bulk.c is left alone (the calls are
    then made one by one)."""
    if not pdf_bulk.available:
        pytest.skip("readers/_bulk.c was not built here")
    assert pdf_bulk._load() is not None
    monkeypatch.setattr(pdf_bulk, "VERSION", pdf_bulk.VERSION + 1)
    assert pdf_bulk._load() is None


def test_corpus_pdf_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    data = corpus_path("real", "hzq-2023.pdf").read_bytes()
    for variant in (data, turned(data, 90, redraw=True), turned(data, 270, redraw=False)):
        bulk, calls = read_both_ways(variant, monkeypatch)
        assert bulk == calls
        assert "予以公开" in bulk


def test_made_up_pages_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ruled table, text at many sizes, a diagonal watermark (left out), a glyph turned
    a quarter, a form object and a page without text."""
    rng = random.Random(3)
    xs, ys = [60.0, 260.0, 330.0, 400.0], [100.0, 130.0, 160.0, 190.0]
    table = grid(xs, ys) + cells_text(
        xs, ys, [["项目", "数量", "备注"], ["予以公开", "12", "3"], ["不予公开", "4", "0"]]
    )
    words = ["二〇二三年度", "政府信息公开", "12,345", "𠀀𠀁"]
    prose = "".join(
        text(
            rng.uniform(20, 400),
            rng.uniform(220, H - 60),
            rng.choice(words),
            rng.choice([6.0, 10.5, 16.0]),
        )
        for _ in range(30)
    )
    watermark = "BT /F2 40 Tf 0.7071 0.7071 -0.7071 0.7071 150 300 Tm <653f5e9c4fe1606f> Tj ET\n"
    turned_glyph = "BT /F2 12 Tf 0 1 -1 0 300 300 Tm <653f5e9c> Tj ET\n"
    data = make_pdf([table + prose + watermark + turned_glyph, "0.5 w 10 10 m 100 10 l S\n"])
    bulk, calls = read_both_ways(data, monkeypatch)
    assert bulk == calls
    assert "不予公开" in bulk


def test_vertical_writing_boxes_made_again_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where PDFium's loose box is the too-big box of vertical writing, the characters
    turned in C are made again from the em square, as the one-by-one loop makes them:
    the loose boxes are made 20 times too big here, as PDFium gives them for Identity-V."""
    if not pdf_bulk.available:
        pytest.skip("readers/_bulk.c was not built here")
    data = make_pdf([text(100, 100, "政府信息公开") + text(100, 300, "予以公开12")])
    doc = pdfium.PdfDocument(data)
    page = doc[0]
    textpage = page.get_textpage()
    try:
        measured = reader._measure(textpage, textpage.count_chars())
        assert measured.arrays is not None
        loose = measured.arrays[0]
        for k in (0, 2, 7):  # the loose box, 20 times as big around its centre
            left, top, right, bottom = loose[4 * k : 4 * k + 4]
            cx, cy, w, h = (left + right) / 2, (top + bottom) / 2, right - left, top - bottom
            loose[4 * k : 4 * k + 4] = [cx - 10 * w, cy + 10 * h, cx + 10 * w, cy - 10 * h]
        measured.loose = loose[: 4 * len(measured.picked)]
        frame = reader._Frame(reader._crop(page), 0)
        in_bulk = reader._upright_chars(measured, frame)
        measured.arrays = None
        one_by_one = reader._upright_chars(measured, frame)
        assert in_bulk == one_by_one
        widths = [c.box[2] - c.box[0] for c in in_bulk]
        assert max(widths) < 12  # the em square (10.5 points), not the box 20 times as big
    finally:
        textpage.close()
        page.close()
        doc.close()


def test_page_objects_listed_in_bulk_as_one_by_one() -> None:
    """pdf_bulk.Listing lists the paths, forms and images of a page, in order, with the
    indexes, types and segment counts one call per object gives."""
    if not pdf_bulk.available:
        pytest.skip("readers/_bulk.c was not built here")
    data = make_pdf(
        [
            grid([50.0, 200.0, 300.0], [100.0, 150.0])
            + text(60, 110, "公开")
            + grid([50.0, 90.0], [300.0, 320.0], "bar")
        ]
    )
    doc = pdfium.PdfDocument(data)
    page = doc[0]
    try:
        raw = page.raw
        count = pdfium.raw.FPDFPage_CountObjects(raw)
        expected = []
        for i in range(count):
            obj = pdfium.raw.FPDFPage_GetObject(raw, i)
            kind = pdfium.raw.FPDFPageObj_GetType(obj)
            if kind in reader._WANTED:
                expected.append((i, kind, ctypes.cast(obj, ctypes.c_void_p).value))

        def listed(n: int) -> list[tuple[int, int, int]]:
            got = pdf_bulk.Listing(raw, False, n, reader._WANTED, False)
            return list(zip(got.indexes, got.kinds, got.handles, strict=True))

        assert listed(count) == expected
        assert len(expected) == count - 1  # every object but the text
        assert listed(3) == expected[:3]
        got = pdf_bulk.Listing(raw, False, count, reader._WANTED, False)
        segments = [pdfium.raw.FPDFPath_CountSegments(pdfium.raw.FPDFPage_GetObject(raw, i))
                    for i, _, _ in expected]  # fmt: skip
        assert got.counts == segments
    finally:
        page.close()
        doc.close()


def test_surely_thick_measured_in_c_as_in_python() -> None:
    """Invisible fills about 2 points wide or high, drawn straight or through a scaling,
    turning or skewing matrix, as rectangles, hand-made runs, runs with a curve or a
    close in the middle: the C loop calls a path surely thick exactly where the reader's
    _surely_thick does (the walk then drops it without reading its points)."""
    if not pdf_bulk.available:
        pytest.skip("readers/_bulk.c was not built here")
    rng = random.Random(8)
    shapes = []
    for _ in range(300):
        w, h = rng.choice([1.9, 2.0, 2.0000001, 2.01, 2.1, 50.0]), rng.uniform(1.5, 80)
        if rng.random() < 0.5:
            w, h = h, w
        x, y = rng.uniform(50, 400), rng.uniform(50, 700)
        matrix = rng.choice(
            [
                "",
                "2 0 0 0.5 0 0 cm ",
                "0 1 -1 0 600 0 cm ",
                "1 0 0.3 1 0 0 cm ",
                "1 0 0 1 0.5 0.25 cm ",
            ]
        )
        path = rng.choice(
            [
                f"{x} {y} {w} {h} re f",
                f"{x} {y} m {x + w} {y} l {x + w} {y + h} l {x} {y + h} l h f",
                f"{x} {y} m {x + w} {y} l {x + w} {y + h} l f",
                f"{x} {y} m {x + w} {y} {x + w} {y + h} {x} {y + h} c f",
                f"{x} {y} m {x + w} {y} l h {x + w} {y + h} l f",
            ]
        )
        shapes.append(f"q 1 1 1 rg {matrix}{path} Q\n")
    doc = pdfium.PdfDocument(make_pdf(["".join(shapes)]))
    page = doc[0]
    try:
        raw = page.raw
        count = pdfium.raw.FPDFPage_CountObjects(raw)
        reader._segment_layout[0] = None
        reader._page_edges(page, reader._Frame(reader._crop(page), 0))  # (checks the layout)
        assert reader._segment_layout[0] is True
        listing = pdf_bulk.Listing(raw, False, count, reader._WANTED, True)
        assert len(listing.flags) == count == 300
        point = reader._FLOAT2()
        point_at = (ctypes.byref(point), ctypes.byref(point, 4))
        thick = 0
        for k, address in enumerate(listing.handles):
            obj = reader._Handle(address)
            own = tuple(listing.matrices[6 * k : 6 * k + 6])
            m = reader._multiply(own, reader._IDENTITY)  # type: ignore[arg-type]
            n = listing.counts[k]
            segments = reader._segments(obj, n, point, point_at)
            expected = reader._surely_thick(segments, m)
            assert bool(listing.flags[k] & 8) == expected, (k, shapes[k])
            thick += expected
        assert 50 < thick < 250  # both answers were given
    finally:
        page.close()
        doc.close()
