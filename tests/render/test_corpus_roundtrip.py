"""Every report of the shared corpus, rendered and read back, keeps every cell.

parse(render(r)) == r for each output xxgk can read back (HTML, Markdown, DOCX, PDF),
on real reports with their blanks, glued splits and odd rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
