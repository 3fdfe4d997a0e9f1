"""Table 3 continued in a table of its own without its header (a page break, or a
layout table holding the end of table 3 and table 4 in one grid): its rows' values are
their last seven distinct cells, a value printed over two grid columns counted once."""

from __future__ import annotations

import random
import re

from xxgk.extract import extract
from xxgk.readers import read_bytes
from xxgk.variety.generate import random_report
from xxgk.variety.layouts import printed


def _continued(html: str, span: int) -> str:
    """t3's table cut before its （七）总计 row: the rest in a table of its own (the
    column of 三、本年度办理结果 going on as an empty cell), each value over ``span``
    grid columns and each label over ``span`` times its columns."""
    at = html.index("（七）总计")
    start = html.rfind("<tr", 0, at)
    end = html.index("</table>", at)
    first = html.index(">", start) + 1
    html = html[:first] + '<td class="label"></td>' + html[first:]
    end += len('<td class="label"></td>')

    def wider(m: re.Match[str]) -> str:
        cols = int(m.group(2) or 1)
        return f'<td class="{m.group(1)}" colspan="{cols * span}">'

    tail = re.sub(r'<td class="(\w+)"(?: colspan="(\d+)")?>', wider, html[start:end])
    return html[:start] + "</tbody></table>\n<table><tbody>" + tail + html[end:]


def test_t3_rows_continued_in_a_wider_grid_read_their_distinct_cells() -> None:
    keys = [
        f"t3.{row}.{col}"
        for row in ("results_total", "carried_forward")
        for col in (
            "natural", "commercial", "research", "public_interest", "legal_service",
            "other_org", "total",
        )
    ]  # fmt: skip
    for i in range(3):
        report = random_report(random.Random(f"continued:{i}"), "2021")
        html = printed(report, "html", random.Random(i)).data().decode()
        for span in (1, 2):
            back = extract(read_bytes(_continued(html, span).encode(), "continued.html"))
            assert {k: back.value(k) for k in keys} == {k: report.value(k) for k in keys}, span


def _t4_wider(html: str) -> str:
    """Table 4 with each of its cells over twice its columns (a grid twice as fine)."""
    start = html.index('<table class="t4">')
    end = html.index("</table>", start)

    def wider(m: re.Match[str]) -> str:
        attrs = m.group(2)
        span = re.search(r'colspan="(\d+)"', attrs)
        cols = int(span.group(1)) if span else 1
        attrs = re.sub(r'\s*colspan="\d+"', "", attrs)
        return f'<{m.group(1)}{attrs} colspan="{2 * cols}">'

    table = re.sub(r"<(td|th)((?:\s[^>]*)?)>", wider, html[start:end])
    table = re.sub(r"<colgroup>.*?</colgroup>", "", table, flags=re.S)
    return html[:start] + table + html[end:]


def test_t4_in_a_grid_twice_as_fine_reads_its_fifteen_distinct_cells() -> None:
    for i in range(3):
        report = random_report(random.Random(f"t4-wider:{i}"), "2021")
        html = printed(report, "html", random.Random(i)).data().decode()
        back = extract(read_bytes(_t4_wider(html).encode(), "wider.html"))
        keys = [k for k in report.version.cell_keys() if k.startswith("t4.")]
        assert {k: back.value(k) for k in keys} == {k: report.value(k) for k in keys}
