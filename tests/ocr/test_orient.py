"""Pages scanned sideways (90°, 270°) or upside down (180°) are turned upright and read."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image

from xxgk.ocr import read_image
from xxgk.ocr.image import prepare
from xxgk.readers.pdf import read_pdf

from .drawing import encoded, expected_rows, table_image
from .test_habits import REPORTS, _same_as_text_report, _text_pdf
from .test_images import texts

# PIL turns counter-clockwise; the reader's quarter turns undo it
UNDO = {90: 3, 180: 2, 270: 1}


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_table_scanned_sideways_or_upside_down_is_read_exactly(degrees: int) -> None:
    drawn = table_image(200)
    data = encoded(drawn.image.rotate(degrees, expand=True), "PNG", 200)
    doc = read_image(data, "turned.png")
    (table,) = doc.tables()
    assert texts(table) == expected_rows()


def _pages(name: str) -> list[Image.Image]:
    doc = pdfium.PdfDocument(_text_pdf(name))
    try:
        return [page.render(scale=200 / 72).to_pil().convert("RGB") for page in doc]
    finally:
        doc.close()


@pytest.mark.parametrize("name", REPORTS)
def test_each_page_of_a_report_is_found_the_right_way_up(name: str) -> None:
    for page in _pages(name):
        assert prepare(page, 1, 200).quarter == 0
        for degrees, quarter in UNDO.items():
            assert prepare(page.rotate(degrees, expand=True), 1, 200).quarter == quarter


def test_a_scan_fed_in_every_way_round_checks_like_the_text_report() -> None:
    name = REPORTS[0]
    pages = [p.rotate(d, expand=True) for p, d in zip(_pages(name), (90, 180, 270), strict=False)]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=200.0)
    data = buf.getvalue()
    doc = read_pdf(data, "turned.pdf")
    assert "扫描件" in doc.meta["note"]
    _same_as_text_report(doc, name)
