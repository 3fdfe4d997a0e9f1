"""A report as one standalone HTML page in the statutory layout.

The page is ready to post on a government site or to print: UTF-8, inline CSS only
(no scripts, no external assets, no web fonts), the six sections with their narrative,
and the three tables with the row and column merges of the official template
(国办公开办函〔2021〕30号).  Every label comes from :mod:`xxgk.format`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from html import escape

from ..format import (
    APPLICANTS,
    CONTENT,
    LITIGATION,
    NUMERALS,
    ORGANISATIONS,
    REPORT_TITLE,
    SECTIONS,
    T3_GROUPS,
    T3_NOTE,
    Row,
    Table,
)
from ..model import Report, fmt

TITLE_PT = 18.0  # title size; smaller (down to TITLE_MIN_PT) when a line would wrap
TITLE_MIN_PT = 12.0
LINE_PT = 170 / 25.4 * 72 - 2  # the width of the A4 text block (170 mm), in points
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

_SERIF = '"仿宋_GB2312", "FangSong", "Noto Serif CJK SC", "SimSun", serif'
_SANS = '"黑体", "SimHei", "Noto Sans CJK SC", sans-serif'

CSS = f"""
@page {{
  size: A4;
  margin: 25mm 20mm 22mm 20mm;
  @bottom-center {{ content: "— " counter(page) " —"; font-family: {_SERIF}; font-size: 10.5pt; }}
}}
html {{ background: #fff; color: #000; }}
body {{
  font-family: {_SERIF};
  font-size: 14pt;
  line-height: 1.6;
  margin: 0 auto;
  max-width: 170mm;
  padding: 8mm 0;
}}
h1, h2 {{ font-family: {_SANS}; font-weight: bold; }}
h1 {{ text-align: center; line-height: 1.4; margin: 0 0 10mm; }}
h2 {{ font-size: 15pt; margin: 6mm 0 3mm; break-after: avoid; page-break-after: avoid; }}
p {{ margin: 0 0 2mm; text-indent: 2em; text-align: justify; }}
table {{
  border-collapse: collapse;
  width: 100%;
  table-layout: fixed;
  margin: 2mm 0 5mm;
  font-size: 10.5pt;
  line-height: 1.3;
  break-inside: avoid;
  page-break-inside: avoid;
  break-before: avoid;  /* a table stays on the page of its heading (and the text under it) */
  page-break-before: avoid;
}}
th, td {{ border: 0.75pt solid #000; padding: 1.2mm 1mm; text-align: center; vertical-align: middle; }}
th {{ font-weight: normal; }}
td.label {{ text-align: left; }}
td.num {{ font-variant-numeric: tabular-nums; }}
table.t3 {{ font-size: 9.5pt; }}
table.t3 th.note {{ font-size: 8.5pt; text-align: left; }}
table.t4 {{ font-size: 9pt; }}
.signature {{ margin-top: 12mm; text-align: right; }}
.signature p {{ text-indent: 0; text-align: right; margin: 0; }}
@media print {{ body {{ max-width: none; padding: 0; }} }}
"""


def title(report: Report) -> str:
    """The report title as agencies print it: 某某局2023年政府信息公开工作年度报告."""
    year = f"{report.year}年" if report.year else ""
    return f"{report.agency or ''}{year}{REPORT_TITLE}"


def ems(text: str) -> float:
    """Printed width in ems: a Chinese character 1, a digit or Latin letter 1/2."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def title_lines(report: Report) -> tuple[list[str], float]:
    """The title's lines and point size: one line, or the agency over the rest.

    Breaking before the year, and shrinking the type so that the agency fits its line,
    keeps the name whole: a title wrapped mid-name (in a PDF) reads back as half a name.
    """
    whole = title(report)
    lines = [whole]
    if ems(whole) * TITLE_PT > LINE_PT and report.agency:
        lines = [report.agency, whole[len(report.agency) :]]
    widest = max(ems(line) for line in lines)
    size = min(TITLE_PT, max(TITLE_MIN_PT, math.floor(LINE_PT / widest * 2) / 2))
    return lines, size


def date_text(published: str | None) -> str:
    """2024-01-20 -> 2024年1月20日; other text unchanged; empty when unknown."""
    if not published:
        return ""
    m = _ISO_DATE.match(published)
    if not m:
        return published
    y, mo, d = (int(g) for g in m.groups())
    return f"{y}年{mo}月{d}日"


def heading(number: int, text: str) -> str:
    return f"{NUMERALS[number - 1]}、{text}"


def cell_text(report: Report, key: str) -> str:
    """A value as printed: 3, 0.35, -2; empty for a blank (None)."""
    v = report.value(key)
    return "" if v is None else fmt(v)


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _th(text: str, colspan: int = 1, rowspan: int = 1, cls: str = "") -> str:
    return f"<th{_attrs(colspan, rowspan, cls)}>{escape(text)}</th>"


def _td(text: str, colspan: int = 1, rowspan: int = 1, cls: str = "") -> str:
    return f"<td{_attrs(colspan, rowspan, cls)}>{escape(text)}</td>"


def _attrs(colspan: int, rowspan: int, cls: str) -> str:
    out = ""
    if cls:
        out += f' class="{cls}"'
    if colspan > 1:
        out += f' colspan="{colspan}"'
    if rowspan > 1:
        out += f' rowspan="{rowspan}"'
    return out


def _table(key: str, rows: list[list[str]], widths: list[float]) -> str:
    cols = "".join(f'<col style="width:{w:.2f}%">' for w in widths)
    body = "\n".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    return (
        f'<table class="{key}">\n<colgroup>{cols}</colgroup>\n<tbody>\n{body}\n</tbody>\n</table>'
    )


def _values(report: Report, table: Table, row: Row, width: int) -> list[str]:
    """A row's value cells; the last one spans the columns the row does not use."""
    cells: list[str] = []
    for i, col in enumerate(row.columns):
        span = width - len(row.columns) + 1 if i == len(row.columns) - 1 else 1
        cells.append(_td(cell_text(report, f"{table.key}.{row.key}.{col.key}"), span, cls="num"))
    return cells


def t2_html(report: Report) -> str:
    """第二十条 blocks: a caption row across the table, a header row, the item rows."""
    table = report.version.table("t2")
    width = max(len(r.columns) for r in table.rows)
    rows: list[list[str]] = []
    caption: str | None = None
    for row in table.rows:
        if row.caption != caption:
            caption = row.caption
            rows.append([_th(caption or "", width + 1, cls="caption")])
            head = [_th(CONTENT)]
            for i, col in enumerate(row.columns):
                last = i == len(row.columns) - 1
                head.append(_th(col.label, width - len(row.columns) + 1 if last else 1))
            rows.append(head)
        rows.append([_td(row.label), *_values(report, table, row, width)])
    label_share = 28.0
    return _table("t2", rows, [label_share] + [(100 - label_share) / width] * width)


def t3_html(report: Report) -> str:
    """收到和处理申请: the 3×3 note corner, applicant headers, grouped result rows."""
    table = report.version.table("t3")
    cols = table.rows[0].columns
    orgs = cols[1:-1]
    rows: list[list[str]] = [
        [_th(T3_NOTE, 3, 3, "note"), _th(APPLICANTS, len(cols))],
        [
            _th(cols[0].label, rowspan=2),
            _th(ORGANISATIONS, len(orgs)),
            _th(cols[-1].label, rowspan=2),
        ],
        [_th(c.label) for c in orgs],
    ]
    outer = T3_GROUPS[0]  # 三、本年度办理结果 spans every result row
    grouped = [r for r in table.rows if r.group in T3_GROUPS]
    seen: set[str] = set()
    for row in table.rows:
        cells: list[str] = []
        if row.group not in T3_GROUPS:
            cells.append(_td(row.label, 3, cls="label"))
        else:
            if outer not in seen:
                seen.add(outer)
                cells.append(_th(outer, rowspan=len(grouped), cls="group"))
            if row.group == outer:
                cells.append(_td(row.label, 2, cls="label"))
            else:
                if row.group not in seen:
                    seen.add(row.group)
                    size = sum(1 for r in table.rows if r.group == row.group)
                    cells.append(_th(row.group, rowspan=size, cls="group"))
                cells.append(_td(row.label, cls="label"))
        cells += [_td(cell_text(report, f"t3.{row.key}.{c.key}"), cls="num") for c in cols]
        rows.append(cells)
    return _table("t3", rows, [6.0, 9.0, 29.0] + [56.0 / len(cols)] * len(cols))


def t4_html(report: Report) -> str:
    """行政复议 and 行政诉讼 side by side: two header rows over one row of 15 values."""
    table = report.version.table("t4")
    review, *lawsuits = table.rows
    heads = review.columns
    n = len(heads)
    rows: list[list[str]] = [
        [_th(review.label, n), _th(LITIGATION, n * len(lawsuits))],
        [*(_th(c.label, rowspan=2) for c in heads), *(_th(r.label, n) for r in lawsuits)],
        [_th(c.label) for _ in lawsuits for c in heads],
        [
            _td(cell_text(report, f"t4.{r.key}.{c.key}"), cls="num")
            for r in table.rows
            for c in r.columns
        ],
    ]
    width = n * len(table.rows)
    return _table("t4", rows, [100.0 / width] * width)


_TABLES = {2: t2_html, 3: t3_html, 4: t4_html}


def _meta(report: Report) -> list[str]:
    """Author and date, which WeasyPrint also writes into the PDF's metadata."""
    out = []
    if report.agency:
        out.append(f'<meta name="author" content="{escape(report.agency)}">')
    if report.published and _ISO_DATE.match(report.published):
        out.append(f'<meta name="dcterms.created" content="{escape(report.published)}">')
    return out


def render_html(report: Report) -> str:
    """The whole report as one standalone UTF-8 HTML page."""
    name = title(report)
    lines, size = title_lines(report)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(name)}</title>",
        *_meta(report),
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f'<h1 style="font-size: {size:g}pt">{"<br>".join(escape(x) for x in lines)}</h1>',
    ]
    for section in SECTIONS:
        parts.append(f'<section id="s{section.number}">')
        parts.append(f"<h2>{escape(heading(section.number, section.title))}</h2>")
        parts += [
            f"<p>{escape(p)}</p>" for p in paragraphs(report.sections.get(section.number, ""))
        ]
        if section.number in _TABLES:
            parts.append(_TABLES[section.number](report))
        parts.append("</section>")
    signature = [s for s in (report.agency or "", date_text(report.published)) if s]
    if signature:
        parts.append('<div class="signature">')
        parts += [f"<p>{escape(s)}</p>" for s in signature]
        parts.append("</div>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
