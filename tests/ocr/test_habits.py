"""OCR wherever the text layer fails: reports drawn as outlines, with a garbled
ToUnicode map, with their tables pasted as pictures (PDF and DOCX).

Each case is made from an example report typeset with a text layer (the reference):
its cells must all be read as the text layer reads them, and the checks must find
what they find in the text report.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from xxgk import api
from xxgk.model import Report
from xxgk.ocr import page as ocr_page
from xxgk.ocr.textlayer import unusable
from xxgk.readers import bounded
from xxgk.readers.document import Document
from xxgk.readers.docx import read_docx
from xxgk.readers.pdf import read_pdf
from xxgk.variety.scan_matrix import flatten

from ..conftest import CORPUS
from . import pdfs
from .drawing import font_path

REPORTS = ("township-2023-errors.txt", "bureau-2023-tabs.txt")


@lru_cache(maxsize=4)
def _html(name: str) -> str:
    font_path()  # skips without a Chinese font
    return pdfs.report_html(name)


@lru_cache(maxsize=4)
def _text_pdf(name: str) -> bytes:
    return pdfs.weasy(_html(name), uncompressed=True)


def _checked(data: bytes, source: str) -> tuple[dict[str, Any], list[str]]:
    return _checked_report(api.parse_bytes(data, source))


def _checked_report(report: Report) -> tuple[dict[str, Any], list[str]]:
    found = api.check_report(report)
    return flatten(report.contract_dict()["tables"]), sorted(f.code for f in found.findings)


@lru_cache(maxsize=4)
def _reference(name: str) -> tuple[dict[str, Any], list[str]]:
    return _checked(_text_pdf(name), name + ".pdf")


def _glued_headings(name: str) -> set[str]:
    """FMT-002 findings of the text-layer read that are the PDF text reader's own: the
    heading it names was read, glued to the end of the paragraph before it (found in
    readers/pdf.py's paragraph joining; OCR reads the heading as its own line)."""
    doc = read_pdf(_text_pdf(name), "text.pdf")
    out = set()
    for f in api.check_report(api.parse_bytes(_text_pdf(name), "text.pdf")).findings:
        heading = f.message.removeprefix("未找到以下部分：").rstrip("。")
        if f.code == "FMT-002" and any(
            p.text.endswith(heading) and p.text != heading for p in doc.paragraphs()
        ):
            out.add(f.code)
    return out


def _same_as_text_report(doc: Document, name: str, ocr_text: bool = True) -> None:
    """The report of ``doc`` (a test's case as read, OCR done: ``api.parse_bytes`` of
    the case's bytes is ``parse_document(bounded(read_pdf or read_docx))``, so the
    pages are not read by OCR a second time) reads and checks like the text report."""
    want_cells, want_codes = _reference(name)
    if ocr_text:  # the narrative read by OCR too: without the text reader's glued heading
        glued = _glued_headings(name)
        want_codes = [c for c in want_codes if c not in glued]
    cells, codes = _checked_report(api.parse_document(bounded(doc)))
    numbers = {k: v for k, v in want_cells.items() if v is not None}
    assert len(numbers) > 50
    wrong = {k: (v, cells.get(k)) for k, v in numbers.items() if cells.get(k) != v}
    assert wrong == {}, f"{len(wrong)}/{len(numbers)} cells not read as the text layer reads them"
    assert codes == want_codes


def _no_text_layer(data: bytes) -> None:
    doc = pdfium.PdfDocument(data)
    try:
        assert all(page.get_textpage().count_chars() == 0 for page in doc)
    finally:
        doc.close()


@pytest.mark.parametrize("name", REPORTS)
def test_a_report_printed_with_its_text_as_outlines_is_read_by_ocr(name: str) -> None:
    data = pdfs.outlined(_text_pdf(name))
    _no_text_layer(data)
    doc = read_pdf(data, "curves.pdf")
    pages = "、".join(str(n) for n in range(1, doc.pages + 1))
    assert doc.meta["note"] == f"第 {pages} 页的文字是图形（转曲），由 OCR 识别"
    _same_as_text_report(doc, name)


def test_outlines_under_a_header_left_as_text_are_read_by_ocr() -> None:
    name = REPORTS[1]
    data = pdfs.outlined(_text_pdf(name), header="Printed by XXGK-PDF driver, page")
    text = _page_texts(data)
    assert all(t.startswith("Printed by XXGK-PDF driver, page") for t in text)
    doc = read_pdf(data, "curves.pdf")
    pages = "、".join(str(n) for n in range(1, doc.pages + 1))
    assert doc.meta["note"] == f"第 {pages} 页的文字是图形（转曲），由 OCR 识别"
    _same_as_text_report(doc, name)


def test_a_real_report_printed_as_outlines_checks_like_its_text_layer() -> None:
    from ..conftest import corpus_path

    real = corpus_path("real", "hzq-2023.pdf").read_bytes()
    want_cells, want_codes = _checked(real, "hzq-2023.pdf")
    data = pdfs.outlined(real)
    _no_text_layer(data)
    cells, codes = _checked(data, "hzq-2023-curves.pdf")
    numbers = {k: v for k, v in want_cells.items() if v is not None}
    assert len(numbers) > 100
    assert {k: cells.get(k) for k in numbers} == numbers
    assert codes == want_codes


@pytest.mark.parametrize(
    ("name", "how"),
    [(REPORTS[0], how) for how in pdfs.GARBLES] + [(REPORTS[1], "hanzi"), (REPORTS[1], "pua")],
)
def test_a_garbled_text_layer_is_not_believed_and_the_pages_are_read_by_ocr(
    name: str, how: str
) -> None:
    data = pdfs.garbled(_text_pdf(name), how)
    pdf = pdfium.PdfDocument(data)
    try:  # PDFium really gives other text than the page shows
        extracted = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert "政府信息公开" not in extracted and len(extracted.strip()) > 20
    doc = read_pdf(data, "garbled.pdf")
    pages = "、".join(str(n) for n in range(1, doc.pages + 1))
    assert doc.meta["note"] == f"第 {pages} 页的文字层无法使用（乱码），文字由 OCR 识别"
    assert "政府信息公开" in doc.blocks[0].text  # type: ignore[union-attr]
    _same_as_text_report(doc, name)


@pytest.mark.parametrize("name", REPORTS)
def test_tables_pasted_as_pictures_in_a_pdf_are_read_where_they_stand(name: str) -> None:
    data = pdfs.weasy(pdfs.pictured_html(_html(name)))
    text = read_pdf(_text_pdf(name), "text.pdf")
    doc = read_pdf(data, "pictures.pdf")
    assert "表格是图片，由 OCR 识别" in doc.meta["note"]
    assert len(doc.tables()) == len(text.tables())
    # the narrative is still the text layer's, in the same order around the tables
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds.count("Table") == len(text.tables())
    _same_as_text_report(doc, name, ocr_text=False)


@pytest.mark.parametrize("name", REPORTS)
def test_tables_pasted_as_pictures_in_a_docx_are_read_where_they_stand(name: str) -> None:
    data = pdfs.pictured_docx(_html(name))
    doc = read_docx(data, "pictures.docx")
    n = len(read_pdf(_text_pdf(name), "text.pdf").tables())
    assert doc.meta["note"] == f"文档中有 {n} 个表格是图片，由 OCR 识别"
    headings = [b.text for b in doc.blocks if not hasattr(b, "rows")]  # type: ignore[attr-defined]
    first_table = next(i for i, b in enumerate(doc.blocks) if hasattr(b, "rows"))
    assert any("主动公开" in t for t in headings[:first_table])
    _same_as_text_report(doc, name)


# ---------------------------------------------------------------- no OCR on good text


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def refuse(pages: Any) -> Any:
        calls.append(1)
        raise AssertionError("OCR called on a page with a good text layer")

    monkeypatch.setattr(ocr_page, "read_pages", refuse)
    return calls


def _good_pdfs() -> list[tuple[str, bytes]]:
    out = [(p.name, p.read_bytes()) for p in sorted(CORPUS.rglob("*.pdf"))]
    out += [(name, _text_pdf(name)) for name in REPORTS]
    art = Path(__file__).resolve().parents[2] / "artifacts"
    out += [(p.name, p.read_bytes()) for p in sorted(art.glob("render/*.pdf"))]
    out += [(str(p), p.read_bytes()) for p in sorted(art.glob("scans/*/page-form.pdf"))]
    return out


def test_pages_with_a_good_text_layer_are_never_ocrd(no_ocr: list[int]) -> None:
    found = _good_pdfs()
    for name, data in found:
        doc = read_pdf(data, name)
        assert doc.blocks and "OCR" not in doc.meta.get("note", ""), name
    art = Path(__file__).resolve().parents[2] / "artifacts" / "render"
    for path in sorted(CORPUS.rglob("*.docx")) + sorted(art.glob("*.docx")):
        doc = read_docx(path.read_bytes(), path.name)
        assert doc.tables() and "OCR" not in doc.meta.get("note", ""), path.name
    assert no_ocr == []


def test_a_small_picture_on_a_text_page_is_not_ocrd(no_ocr: list[int]) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (300, 300), (220, 30, 40)).save(buf, "PNG")  # a seal's size
    import base64

    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    html = _html(REPORTS[0]).replace("</main>", f'<img src="{uri}" style="width:40mm"></main>')
    doc = read_pdf(pdfs.weasy(html), "seal.pdf")
    assert doc.tables() and no_ocr == []


def test_a_photograph_on_a_text_page_adds_nothing() -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1200, 700), (120, 160, 200))
    d = ImageDraw.Draw(img)
    for k in range(0, 1200, 37):
        d.ellipse((k, 200 + k % 300, k + 150, 400 + k % 200), fill=(60 + k % 150, 90, 40))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    import base64

    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    html = _html(REPORTS[0]).replace(
        '<section id="s2">', f'<p><img src="{uri}" style="width:150mm"></p><section id="s2">'
    )
    text = read_pdf(_text_pdf(REPORTS[0]), "text.pdf")
    doc = read_pdf(pdfs.weasy(html), "photo.pdf")
    assert [b.text for b in doc.paragraphs()] == [b.text for b in text.paragraphs()]
    assert len(doc.tables()) == len(text.tables())
    assert "OCR" not in doc.meta.get("note", "")


# ---------------------------------------------------------------- the measure


def _page_texts(data: bytes) -> list[str]:
    doc = pdfium.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


def test_the_unusable_text_measure_passes_every_real_and_typeset_page() -> None:
    pages = [(name, t) for name, data in _good_pdfs() for t in _page_texts(data)]
    for name in ("bureau-2020-pipes.txt", "office-2023-old-format.txt"):
        pages += [(name, t) for t in _page_texts(pdfs.weasy(pdfs.report_html(name)))]
    assert len(pages) >= 10
    flagged = [name for name, text in pages if unusable([text])]
    assert flagged == []


@pytest.mark.parametrize("how", pdfs.GARBLES)
def test_the_unusable_text_measure_flags_every_garbled_page(how: str) -> None:
    for name in REPORTS:
        texts = _page_texts(pdfs.garbled(_text_pdf(name), how))
        judged = [t for t in texts if len("".join(t.split())) >= 20]
        assert judged and all(unusable([t]) for t in judged), (name, how)


# ---------------------------------------------------------------- without the OCR extra


def test_without_the_ocr_extra_each_habit_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from xxgk.ocr import scans
    from xxgk.ocr.engine import INSTALL_HINT
    from xxgk.readers.document import ReadError

    def missing(source: str) -> None:
        raise ReadError(source, INSTALL_HINT)

    monkeypatch.setattr(scans, "ready", missing)
    text = _text_pdf(REPORTS[0])
    pages = "、".join(str(n) for n in range(1, read_pdf(text, "text.pdf").pages + 1))
    for data, why in (
        (pdfs.outlined(text), "PDF 的文字是图形（转曲），没有文字层"),
        (pdfs.garbled(text, "hanzi"), f"PDF 第 {pages} 页的文字层无法使用（乱码）"),
        (pdfs.garbled(text, "pua"), f"PDF 第 {pages} 页的文字层无法使用（乱码）"),
    ):
        with pytest.raises(ReadError) as info:
            read_pdf(data, "x.pdf")
        assert info.value.problem == f"{why}。{INSTALL_HINT}"
    doc = read_pdf(pdfs.weasy(pdfs.pictured_html(_html(REPORTS[0]))), "pictures.pdf")
    assert doc.paragraphs() and not doc.tables()
    assert doc.meta["note"].endswith(f"页的文字或表格不在文字层中，未读取：{INSTALL_HINT}")
