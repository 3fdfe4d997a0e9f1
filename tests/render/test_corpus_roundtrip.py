"""Every report of the shared corpus, rendered and read back, keeps every cell.

parse(render(r)) == r for each output xxgk can read back (HTML, Markdown, DOCX, PDF),
on real reports with their blanks, glued splits and odd rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.artifacts import save
from tests.conftest import CORPUS
from tests.truth import cases
from xxgk import api
from xxgk.readers import read_bytes
from xxgk.render import render

REPORTS = [
    p
    for folder in ("seeds", "real")
    if (CORPUS / folder).is_dir()
    for p, _ in cases(CORPUS / folder)
]


def _font() -> bool:
    return shutil.which("fc-list") is not None and bool(
        __import__("subprocess").run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    )


@pytest.mark.parametrize("to", ["html", "md", "docx"])
@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_render_and_read_back_keeps_every_cell(path: Path, to: str) -> None:
    report = api.parse(path)
    back = api.parse_document(read_bytes(render(report, to), f"back.{to}"))
    assert back.format == report.format
    assert back.tables == report.tables
    assert (back.agency, back.year, back.published) == (
        report.agency,
        report.year,
        report.published,
    )


@pytest.mark.parametrize("path", REPORTS[:1] + REPORTS[-2:-1], ids=lambda p: p.name)
def test_pdf_render_and_read_back_keeps_every_cell(path: Path) -> None:
    if not _font():
        pytest.skip("no Chinese font: run `make fonts` (Debian fonts-noto-cjk)")
    report = api.parse(path)
    back = api.parse_document(read_bytes(render(report, "pdf"), "back.pdf"))
    assert back.tables == report.tables


def _pages(pdf: Path, stem: str, out: Path) -> list[Path]:
    for old in out.glob(f"{stem}-*.png"):
        old.unlink()
    __import__("subprocess").run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(out / stem)], check=True, timeout=120
    )
    return sorted(out.glob(f"{stem}-*.png"))


@pytest.mark.parametrize(
    "parts", [("seeds", "004_0ff62b739310a2bd.txt"), ("real", "hzq-2023.pdf")], ids=lambda p: p[1]
)
def test_a_seed_and_a_real_report_as_page_images(parts: tuple[str, str], tmp_path: Path) -> None:
    """Word (through LibreOffice) and PDF pages saved under artifacts/render/ to look at."""
    import subprocess

    from tests.conftest import ROOT, corpus_path

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None or not _font():
        pytest.skip("needs LibreOffice, pdftoppm and a Chinese font (make office fonts)")
    report = api.parse(corpus_path(*parts))
    out = ROOT / "artifacts" / "render"
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(parts[1]).stem
    docx = save(out / f"{stem}.docx", render(report, "docx"))
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True, timeout=180, capture_output=True,
    )  # fmt: skip
    word_pages = _pages(tmp_path / f"{stem}.pdf", f"{stem}-docx", out)
    pdf = save(out / f"{stem}.pdf", render(report, "pdf"))
    pdf_pages = _pages(pdf, f"{stem}-pdf", out)
    assert 2 <= len(word_pages) <= 8 and 2 <= len(pdf_pages) <= 8
    assert all(p.stat().st_size > 5000 for p in word_pages + pdf_pages)
    # the Word file, saved as PDF the way offices publish, still reads back the same
    back = api.parse_document(read_bytes((tmp_path / f"{stem}.pdf").read_bytes(), "w.pdf"))
    assert back.tables == report.tables
