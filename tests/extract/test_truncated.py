"""A text that breaks off inside its last table row, one value a line (or paragraph):
the values printed before the cut fill the row from the left and the rest are null; a
value is never split as if digits were glued (行政强制 / 415 / and the end: 415, not
4, 1, 5)."""

from __future__ import annotations

import random

import pytest

from xxgk.extract import extract
from xxgk.readers import read_bytes
from xxgk.render.text import render_text
from xxgk.variety.generate import random_report

ROW = "t2.compulsion"


@pytest.mark.parametrize("layout", ["lines", "paragraphs"])
@pytest.mark.parametrize("printed", [1, 2])
def test_the_last_row_before_the_cut_fills_from_the_left(layout: str, printed: int) -> None:
    checked = 0
    for i in range(40):
        report = random_report(random.Random(f"cut:{i}"), "2019")  # (t2 rows of three)
        values = [report.value(f"{ROW}.{c}") for c in ("prev_items", "delta", "decisions")]
        if any(v is None or abs(v) < 10 for v in values[:printed]):
            continue  # (a cell of one digit could not tell a split from none)
        checked += 1
        text = render_text(report, layout)
        at = text.index("行政强制")
        for v in values[:printed]:  # past each printed value and its line break
            at = text.index(str(v), at) + len(str(v))
        cut = text[: text.index("\n", at) + 1]
        back = extract(read_bytes(cut.encode(), "cut.txt"))
        got = [back.value(f"{ROW}.{c}") for c in ("prev_items", "delta", "decisions")]
        assert got == [*values[:printed], *[None] * (3 - printed)], (layout, i, cut[-60:])
    assert checked >= 3
