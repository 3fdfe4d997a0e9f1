"""The PDF renderer: WeasyPrint pages that read back to the same numbers and look right."""

from __future__ import annotations

import shutil
import subprocess

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings

from tests.artifacts import save
from tests.conftest import ROOT
from tests.samples import assert_same, reports, sample
from xxgk.api import parse_document
from xxgk.model import Report
from xxgk.readers import read_bytes
from xxgk.render import pdf as pdf_module
from xxgk.render.pdf import FontMissing, cjk_fonts, render_pdf

ARTIFACTS = ROOT / "artifacts" / "render"
NO_FONT = "no Chinese font installed (fc-list :lang=zh is empty): apt-get install fonts-noto-cjk"
needs_font = pytest.mark.skipif(not cjk_fonts(), reason=NO_FONT)


def read_back(data: bytes) -> Report:
    return parse_document(read_bytes(data, "x.pdf"))


def page_count(data: bytes) -> int:
    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def test_missing_font_raises_with_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "cjk_fonts", lambda: [])
    with pytest.raises(FontMissing, match="fonts-noto-cjk"):
        render_pdf(sample("2021"))


def test_no_fontconfig_counts_as_no_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    assert cjk_fonts() == []


@needs_font
@pytest.mark.parametrize("key", ["2021", "2019"])
def test_pdf_reads_back_to_the_same_report(key: str) -> None:
    report = sample(key)
    data = render_pdf(report)
    assert data.startswith(b"%PDF-")
    assert 1 <= page_count(data) <= 6
    back = read_back(data)
    assert_same(report, back)
    assert back.anomalies == []
    assert [h.number for h in back.headings] == [1, 2, 3, 4, 5, 6]


@needs_font
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_any_consistent_report_reads_back_from_pdf(report: Report) -> None:
    assert_same(report, read_back(render_pdf(report)))


@needs_font
@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm missing: apt-get install poppler-utils"
)
@pytest.mark.parametrize("key", ["2021", "2019"])
def test_pages_render_to_images(key: str) -> None:
    data = render_pdf(sample(key))
    pages = page_count(data)
    assert 1 <= pages <= 6
    source = save(ARTIFACTS / f"pdf-{key}.pdf", data)
    prefix = ARTIFACTS / f"pdf-{key}"
    for old in ARTIFACTS.glob(f"pdf-{key}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(source), str(prefix)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    images = sorted(ARTIFACTS.glob(f"pdf-{key}-*.png"))
    assert len(images) == pages
    for image in images:
        assert image.read_bytes().startswith(b"\x89PNG")
        # an A4 page at 60 dpi with text and ruled tables, not a blank sheet
        assert image.stat().st_size > 10_000, image
    # the page holding the t3 grid (25 ruled rows) is the busiest one
    assert max(p.stat().st_size for p in images) > 30_000
