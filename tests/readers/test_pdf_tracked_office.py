"""Tracked changes shown in LibreOffice's PDF of a Word report (variety pdf-office ×
tracked, the reports that read wrong numbers while the lines drawn with text were being
told apart): each deleted number struck out, the new one underlined, in tables whose
ideographs have boxes as tall as two lines of digits."""

from __future__ import annotations

import random

import pytest

from xxgk.extract import extract
from xxgk.readers import read_bytes
from xxgk.variety.generate import random_report
from xxgk.variety.habits import apply
from xxgk.variety.layouts import printed
from xxgk.variety.matrix import Score, score_case


@pytest.mark.parametrize("seed", ["15:0", "7:0", "7:1"])
def test_tracked_changes_in_libreoffices_pdf_read_no_wrong_number(seed: str) -> None:
    """The struck 57 before an underlined 0 is not 570; a strike line under a tall
    ideograph's box is the digits' (15 was read 2315, 0 read 200); a sentence struck
    through ideographs and digits of another font is struck as a whole."""
    from xxgk.variety.office_pdf import office_skipped, pdfs

    why = office_skipped()
    if why:
        pytest.skip(why)
    report = random_report(random.Random(seed))
    base = printed(report, "pdf-office", random.Random(f"{seed}:pdf-office"))
    case = apply(base, "tracked", random.Random(f"{seed}:pdf-office:tracked"))
    (pdf,) = pdfs([case.printed.docx(case.cut)])
    doc = read_bytes(pdf, case.printed.source())
    score = Score()
    score_case(report, case, extract(doc), score)
    assert (score.wrong, score.read) == (0, score.required), score.wrongs or score.misses
    assert "收到申请" in doc.meta["struck"] and "件。" in doc.meta["struck"]
    assert all("收到申请" not in getattr(b, "text", "") for b in doc.blocks)
