"""OCR where the text layer fails in part: one font of a page garbled (the tables'
digits, or the tables' labels) while the others are fine; tables pasted as pictures
on pages turned by /Rotate; pictures of tables without rulings."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pypdfium2 as pdfium
import pytest

from xxgk import api
from xxgk.model import Report
from xxgk.ocr import textlayer
from xxgk.readers import bounded
from xxgk.readers.document import Document, ReadError
from xxgk.readers.pdf import read_pdf

from . import pdfs
from .test_habits import (
    REPORTS,
    _checked_report,
    _html,
    _reference,
    _same_as_text_report,
    _text_pdf,
)

# ---------------------------------------------------------------- one font garbled


@lru_cache(maxsize=2)
def _mixed(name: str) -> bytes:
    """The report typeset with its tables' digits in a Latin font of their own."""
    return pdfs.weasy(pdfs.mixed_html(_html(name)), uncompressed=True)


def _one_page_garbled(name: str, font: str, how: str, page: int = 2) -> bytes:
    """The mixed-font report with ``font``'s ToUnicode map garbled on page ``page`` only
    (the page of the applications' table)."""
    good = _mixed(name)
    return pdfs.spliced(good, pdfs.garbled_font(good, font, how), {page})


@pytest.mark.parametrize(
    ("name", "font", "how"),
    [
        (REPORTS[0], "Liberation Sans", "removed"),  # the digits: control characters
        (REPORTS[1], "Liberation Sans", "pua"),  # the digits: private-use code points
        (REPORTS[0], "Noto Sans CJK SC", "hanzi"),  # the tables' labels: other ideographs
    ],
)
def test_a_page_with_one_garbled_font_is_read_by_ocr_and_its_tables_come_back_exact(
    name: str, font: str, how: str
) -> None:
    data = _one_page_garbled(name, font, how)
    pdf = pdfium.PdfDocument(data)
    try:
        text = pdf[1].get_textpage().get_text_range()
    finally:
        pdf.close()
    # the characters the reader keeps still read as Chinese: the whole-page test passed it
    kept = "".join(ch for ch in text if ch.isprintable())
    assert "政府信息公开申请" in kept and not textlayer.unusable([kept])
    doc = read_pdf(data, "mixed.pdf")
    assert doc.meta["note"] == "第 2 页的文字层无法使用（乱码），文字由 OCR 识别"
    _same_as_text_report(doc, name, ocr_text=False)  # (pages 1, 3: text)


def test_the_mixed_fonts_alone_are_not_taken_for_garbage() -> None:
    for name in REPORTS:
        doc = read_pdf(_mixed(name), "mixed.pdf")
        assert "OCR" not in doc.meta.get("note", "") and doc.tables(), name


def test_a_partly_garbled_page_without_the_ocr_extra_names_the_page_and_乱码(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from xxgk.ocr import scans
    from xxgk.ocr.engine import INSTALL_HINT

    def missing(source: str) -> None:
        raise ReadError(source, INSTALL_HINT)

    monkeypatch.setattr(scans, "ready", missing)
    name = REPORTS[0]
    doc = read_pdf(_one_page_garbled(name, "Liberation Sans", "removed"), "mixed.pdf")
    assert doc.meta["note"] == f"第 2 页的文字层无法使用（乱码），未读取：{INSTALL_HINT}"
    # the other pages are read from their text layer; the garbled page's table of empty
    # cells is not passed off as the report's
    assert {b.where.page for b in doc.blocks} == {1, 3}
    # every page garbled: the file cannot be read, and the message says which pages
    with pytest.raises(ReadError) as info:
        read_pdf(pdfs.garbled_font(_mixed(name), "Liberation Sans", "removed"), "x.pdf")
    assert info.value.problem == f"PDF 第 1、2、3 页的文字层无法使用（乱码）。{INSTALL_HINT}"


def test_unprintable_characters_are_counted_only_when_many() -> None:
    page = "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 2\r\n" * 30
    kept = len(page) - page.count(" ") - page.count("\r") - page.count("\n")
    assert textlayer.unprintable(page, kept) == 0
    bullets = page + "\uf0b7 第一条\r\n" * 20  # Word's symbol-font bullets: not garbage
    assert textlayer.unprintable(bullets, kept + 60) == 0
    assert not textlayer.garbled_page([bullets], [], textlayer.unprintable(bullets, kept + 60))
    digits = page.replace("0", "\x13")  # digits whose font has no ToUnicode map
    dropped = textlayer.unprintable(digits, kept - page.count("0"))
    assert dropped == page.count("0")
    assert textlayer.garbled_page([], [digits], dropped)
    few = page.replace("2\r\n", "\x14\r\n", textlayer.MIN_UNPRINTABLE - 1)
    assert textlayer.unprintable(few, kept - textlayer.MIN_UNPRINTABLE + 1) == 0  # (a stray one)


def test_a_garbled_part_is_judged_alone() -> None:
    body = "本机关严格按照政府信息公开条例的规定，认真做好政府信息公开工作。" * 4
    cells = ["自然人", "法人或其他组织", "商业企业", "科研机构", "本年新收", "12", "3", "0"] * 5
    garbage = ["".join(chr(0x4E00 + (ord(c) * 7919 + 13) % 0x5000) for c in x) for x in cells]
    assert not textlayer.garbled_page([body], cells)
    assert textlayer.garbled_page([body], garbage)  # the tables' labels garbled
    assert not textlayer.unusable([body * 3, *garbage])  # (the page as a whole passes)
    body_garbage = "".join(chr(0x4E00 + (ord(c) * 7919 + 13) % 0x5000) for c in body)
    assert textlayer.garbled_page([body_garbage], cells)


# ---------------------------------------------------------------- pictures on turned pages


@lru_cache(maxsize=1)
def _pictured(name: str) -> bytes:
    return pdfs.weasy(pdfs.pictured_html(_html(name)))


@lru_cache(maxsize=1)
def _pictured_read(name: str) -> Document:
    return read_pdf(_pictured(name), "pictures.pdf")


@pytest.mark.parametrize(
    ("degrees", "stored_turned"),
    [(90, False), (270, True)],  # shown turned (rotated in a viewer); shown upright
)
def test_tables_pasted_as_pictures_on_rotated_pages_are_read_where_they_stand(
    degrees: int, stored_turned: bool
) -> None:
    name = REPORTS[1]
    data = pdfs.turned(_pictured(name), degrees, stored_turned)
    pdf = pdfium.PdfDocument(data)
    try:
        assert all(page.get_rotation() == degrees for page in pdf)
    finally:
        pdf.close()
    upright = _pictured_read(name)
    doc = read_pdf(data, "turned.pdf")
    assert doc.meta["note"] == upright.meta["note"]
    assert doc.meta["note"].endswith("页的表格是图片，由 OCR 识别")
    # the tables where they stand among the text layer's paragraphs, as on upright pages,
    # and read cell for cell as there (test_habits: as the text layer reads them)
    assert [type(b).__name__ for b in doc.blocks] == [type(b).__name__ for b in upright.blocks]
    assert [_texts(t) for t in doc.tables()] == [_texts(t) for t in upright.tables()]
    assert sum(c.isdigit() for t in doc.tables() for row in _texts(t) for c in row) > 50


def _texts(table: Any) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


# ---------------------------------------------------------------- tables without rulings


@lru_cache(maxsize=1)
def _unruled(name: str) -> bytes:
    """The report with each table pasted as a picture of it typeset without borders (a
    screenshot of an Excel range without them)."""
    return pdfs.weasy(pdfs.pictured_html(_html(name), unruled=True))


def test_pictures_of_tables_without_rulings_are_read_and_no_number_is_guessed() -> None:
    name = REPORTS[0]
    data = _unruled(name)
    doc = read_pdf(data, "unruled.pdf")
    assert doc.meta["note"] == "第 1、2、3 页的表格是图片，由 OCR 识别"
    # what api.parse_bytes(data, "unruled.pdf") gives, without reading the pages again
    _read_without_a_guess(api.parse_document(bounded(doc)), name)


def test_pictures_of_tables_without_rulings_in_a_docx_are_read_and_no_number_is_guessed() -> None:
    name = REPORTS[0]
    docx = pdfs.pictured_docx(_html(name), unruled=True)
    _read_without_a_guess(api.parse_bytes(docx, "unruled.docx"), name)


def _read_without_a_guess(report: Report, name: str) -> None:
    """Every number read is the printed one, nearly all are read, the rest null (not
    read: table 2's sections of two columns, too few for a grid without rulings)."""
    want, _ = _reference(name)
    got, _ = _checked_report(report)
    numbers = {k: v for k, v in want.items() if v is not None}
    read = {k: got.get(k) for k in numbers if got.get(k) is not None}
    # every number read is the printed one; the few not read are null, never a guess
    assert {k: (numbers[k], v) for k, v in read.items() if v != numbers[k]} == {}
    assert len(read) >= 0.95 * len(numbers), f"{len(read)}/{len(numbers)} read"
    # the applications' table (the largest, its labels wrapped in their cells) and the
    # review and litigation one (its header labels wrapped over two or three lines) whole
    for key, least in (("t3.", 100), ("t4.", 15)):
        part = {k: v for k, v in numbers.items() if k.startswith(key)}
        assert len(part) >= least and {k: got.get(k) for k in part} == part, key


def _picture_page(png: bytes, width_mm: float) -> bytes:
    import base64

    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    html = _html(REPORTS[0]).replace(
        '<section id="s2">',
        f'<p><img src="{uri}" style="width:{width_mm:.0f}mm"></p><section id="s2">',
    )
    return pdfs.weasy(html)


def test_a_screenshot_of_text_or_a_diagram_adds_no_table() -> None:
    import io

    from PIL import Image, ImageDraw, ImageFont

    from .drawing import font_path

    text = read_pdf(_text_pdf(REPORTS[0]), "text.pdf")
    font = ImageFont.truetype(font_path(), 28)
    # a screenshot of a notice: lines of text, some with figures, none in columns
    notice = Image.new("RGB", (1400, 420), "white")
    d = ImageDraw.Draw(notice)
    for i, line in enumerate(
        (
            "关于做好2024年政府信息公开工作的通知",
            "各乡镇人民政府、县政府各部门：现将有关事项通知如下。",
            "一、2024年3月31日前完成年度报告的编制和公开工作。",
            "二、按照国办公开办函〔2021〕30号的格式要求填报。",
        )
    ):
        d.text((40, 40 + i * 90), line, fill="black", font=font)
    # a diagram: boxes with a word each, a few figures beside them
    diagram = Image.new("RGB", (1400, 600), "white")
    d = ImageDraw.Draw(diagram)
    for i, (word, x, y) in enumerate(
        (("申请", 60, 60), ("受理", 500, 60), ("答复", 940, 60), ("归档", 500, 400))
    ):
        d.rectangle((x, y, x + 360, y + 120), outline="black", width=4)
        d.text((x + 120, y + 40), f"{word} {i + 1}", fill="black", font=font)
    for image in (notice, diagram):
        buf = io.BytesIO()
        image.save(buf, "PNG")
        doc = read_pdf(_picture_page(buf.getvalue(), 150), "picture.pdf")
        assert len(doc.tables()) == len(text.tables())
        assert "OCR" not in doc.meta.get("note", "")
