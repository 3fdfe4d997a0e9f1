"""Table 3 continued after table 4 (a DOCX whose table 4 sits in a text box that
LibreOffice floats to the top of the page table 3 runs on to): the rows after table 4,
under t3's header printed again, are table 3's."""

from __future__ import annotations

import random

from xxgk.extract import extract
from xxgk.model import Report
from xxgk.readers import read_bytes
from xxgk.render.text import render_text
from xxgk.variety.generate import random_report

T3_HEAD = "（本列数据的勾稽关系为"


def _moved(report: Report) -> str:
    """The tab dump with table 4 printed before t3's last three rows, t3's header again
    above them (the reading order of the LibreOffice PDF)."""
    lines = render_text(report, "tabs").split("\n")
    head = next(i for i, ln in enumerate(lines) if ln.startswith(T3_HEAD))
    rest = next(i for i, ln in enumerate(lines) if ln.startswith("3.其他"))
    h4 = next(i for i, ln in enumerate(lines) if ln.startswith("四、政府信息公开行政复议"))
    t4 = next(i for i, ln in enumerate(lines) if ln.startswith("行政复议"))
    end4 = next(i for i in range(t4, len(lines)) if not lines[i])
    return "\n".join(
        [
            *lines[:rest],
            *lines[t4:end4],  # table 4, then table 3 goes on under its header again
            *lines[head : head + 3],
            *lines[rest : h4 - 1],
            *lines[h4:t4],  # heading 四 and its prose
            *lines[end4:],
        ]
    )


def test_t3_rows_printed_after_table_4_under_t3s_header_are_read() -> None:
    for i in range(3):
        report = random_report(random.Random(f"t3-after-t4:{i}"), "2021")
        text = _moved(report)
        assert text.index("行政复议") < text.index("3.其他") < text.index("四、政府信息公开")
        back = extract(read_bytes(text.encode(), "moved.txt"))
        keys = report.version.cell_keys()
        assert {k: back.value(k) for k in keys} == {k: report.value(k) for k in keys}
