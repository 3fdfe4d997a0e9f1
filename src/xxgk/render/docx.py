"""A report as a Word file in the statutory layout (python-docx).

The three tables are laid out as the official 2021 template draws them (same grid,
same merges); the 2019 format is drawn the same way with its own rows.  The grid of
each table is plain data (:func:`table_grid`) so that the Excel renderer draws the same
tables.

Fonts are named the way government documents name them: the title in 方正小标宋简体,
headings in 黑体, body and tables in 仿宋_GB2312.  These names go in the East-Asian slot
(``w:rFonts/@w:eastAsia``), which is what Word, WPS and LibreOffice use for Chinese
characters; where a font is missing the application substitutes its own (WPS and Word
map 仿宋_GB2312 to 仿宋, LibreOffice asks fontconfig).  The Latin slots
(``w:ascii``/``w:hAnsi``) only draw Latin letters and digits, so they cannot serve as a
fallback for Chinese; they get Times New Roman, which every office suite has (or a
metric twin of it) and which government documents commonly use for digits.

Page and paragraph settings follow GB/T 9704-2012: A4, margins 37/35/28/26 mm, body
三号 at a fixed 28 pt line, a first-line indent of two characters, page numbers as
"— 1 —" at the foot.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..format import (
    APPLICANTS,
    CONTENT,
    LITIGATION,
    ORGANISATIONS,
    REPORT_TITLE,
    SECTIONS,
    T3_GROUPS,
    T3_NOTE,
    Row,
    Version,
)
from ..model import Report, fmt

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
PAGE_NUMBER_FONT = "宋体"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE = Pt(28)

TEXT_WIDTH = Mm(156)  # A4 less the GB/T 9704 margins
CAPTION_FILL = "C6D9F1"  # the official template shades the 第二十条 caption rows


# Relative column widths, taken from the official template's grid.
_T3_WIDTHS = (754, 921, 3271, *(685,) * 7)


# --------------------------------------------------------------------------- the grid


@dataclass(frozen=True)
class Place:
    """One Word cell of a table: its top-left grid position, span and content.

    ``role`` is ``caption`` (a 第二十条 row), ``head`` (a column header), ``group`` (a
    merged row-group label), ``label`` (a row label) or ``value`` (``cell`` names the
    report cell, e.g. ``t3.new.natural``).
    """

    row: int
    col: int
    text: str = ""
    role: str = "head"
    cell: str | None = None
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Grid:
    key: str  # t2, t3, t4
    rows: int
    cols: int
    places: tuple[Place, ...]
    widths: tuple[int, ...]  # relative column widths

    def value_places(self) -> dict[str, Place]:
        return {p.cell: p for p in self.places if p.cell}


def _spread(count: int, start: int, width: int) -> list[tuple[int, int]]:
    """(column, colspan) of ``count`` cells from ``start``; the last takes the rest."""
    out = [(start + i, 1) for i in range(count)]
    col, _ = out[-1]
    out[-1] = (col, width - col)
    return out


def _t2_grid(version: Version) -> Grid:
    table = version.table("t2")
    width = 1 + max(len(r.columns) for r in table.rows)
    places: list[Place] = []
    r = 0
    caption: str | None = None
    for row in table.rows:
        spans = _spread(len(row.columns), 1, width)
        if row.caption != caption:
            caption = row.caption
            places.append(Place(r, 0, caption or "", "caption", colspan=width))
            places.append(Place(r + 1, 0, CONTENT))
            for (c, span), column in zip(spans, row.columns, strict=True):
                places.append(Place(r + 1, c, column.label, colspan=span))
            r += 2
        places.append(Place(r, 0, row.label, "label"))
        for (c, span), column in zip(spans, row.columns, strict=True):
            places.append(
                Place(r, c, role="value", cell=f"t2.{row.key}.{column.key}", colspan=span)
            )
        r += 1
    return Grid("t2", r, width, tuple(places), (1,) * width)


def _span(rows: tuple[Row, ...], start: int, key: Callable[[Row], object]) -> int:
    """How many rows from ``start`` on share its ``key``."""
    n = 1
    while start + n < len(rows) and key(rows[start + n]) == key(rows[start]):
        n += 1
    return n


def _t3_grid(version: Version) -> Grid:
    table = version.table("t3")
    columns = table.rows[0].columns
    first = 3  # label columns: group, subgroup, label
    width = first + len(columns)
    places = [
        Place(0, 0, T3_NOTE, rowspan=3, colspan=first),
        Place(0, first, APPLICANTS, colspan=len(columns)),
        Place(1, first, columns[0].label, rowspan=2),
        Place(1, first + 1, ORGANISATIONS, colspan=len(columns) - 2),
        Place(1, width - 1, columns[-1].label, rowspan=2),
        *(Place(2, first + i, c.label) for i, c in enumerate(columns[1:-1], 1)),
    ]
    top = T3_GROUPS[0]  # 三、本年度办理结果; the other groups sit inside it
    rows = table.rows
    for i, row in enumerate(rows):
        r = 3 + i
        before = rows[i - 1].group if i else None
        if row.group is None:
            places.append(Place(r, 0, row.label, "label", colspan=first))
        else:
            if before is None:
                span = _span(rows, i, lambda other: other.group is not None)
                places.append(Place(r, 0, top, "group", rowspan=span))
            if row.group == top:
                places.append(Place(r, 1, row.label, "label", colspan=2))
            else:
                if before != row.group:
                    span = _span(rows, i, lambda other: other.group)
                    places.append(Place(r, 1, row.group, "group", rowspan=span))
                places.append(Place(r, 2, row.label, "label"))
        for j, column in enumerate(columns):
            places.append(Place(r, first + j, role="value", cell=f"t3.{row.key}.{column.key}"))
    return Grid("t3", 3 + len(rows), width, tuple(places), _T3_WIDTHS)


def _t4_grid(version: Version) -> Grid:
    table = version.table("t4")
    review, *suits = table.rows
    n = len(review.columns)
    width = n * len(table.rows)
    places = [
        Place(0, 0, review.label, colspan=n),
        Place(0, n, LITIGATION, colspan=width - n),
        *(Place(1, j, c.label, rowspan=2) for j, c in enumerate(review.columns)),
    ]
    for i, row in enumerate(suits, 1):
        places.append(Place(1, i * n, row.label, colspan=n))
        places += [Place(2, i * n + j, c.label) for j, c in enumerate(row.columns)]
    for i, row in enumerate(table.rows):
        places += [
            Place(3, i * n + j, role="value", cell=f"t4.{row.key}.{c.key}")
            for j, c in enumerate(row.columns)
        ]
    return Grid("t4", 4, width, tuple(places), (1,) * width)


def table_grid(version: Version, key: str) -> Grid:
    """The Word grid of one table (t2, t3 or t4) as the official template draws it."""
    return {"t2": _t2_grid, "t3": _t3_grid, "t4": _t4_grid}[key](version)


def cell_text(report: Report, key: str) -> str:
    """A value as printed: blank for None, 7730.28 for an amount, -3 for a decrease."""
    value = report.value(key)
    return "" if value is None else fmt(value)


# --------------------------------------------------------------------------- fonts


def _name_fonts(fonts: Any, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Set a ``w:rFonts``: East-Asian slot and Latin slots, theme fonts dropped."""
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)


def _set_fonts(element: Any, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts of a run or style."""
    _name_fonts(element.get_or_add_rPr().get_or_add_rFonts(), east_asian, latin)


# characters XML 1.0 cannot hold (Word could not open the file): dropped from the text
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _run(paragraph: Any, text: str, font: str, size: Pt) -> Any:
    run = paragraph.add_run(_NOT_XML.sub("", text))
    run.font.size = size
    _set_fonts(run._element, font)
    return run


def _paragraph_style(
    document: Any, name: str, font: str, size: Pt, *, base: str = "Normal", indent: bool = True
) -> Any:
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else None
    if style is None:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
    style.font.size = size
    style.font.bold = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element, font)
    fmt_ = style.paragraph_format
    fmt_.space_before = Pt(0)
    fmt_.space_after = Pt(0)
    fmt_.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt_.line_spacing = LINE
    fmt_.first_line_indent = Pt(2 * size.pt) if indent else Pt(0)
    return style


def _styles(document: Any) -> None:
    # Document defaults: the body font instead of theme fonts, Chinese as the
    # East-Asian language (punctuation and quotes then take the Chinese font).
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    rpr = defaults.find(qn("w:rPr")) if defaults is not None else None
    if rpr is not None:
        _name_fonts(rpr.get_or_add_rFonts(), BODY_FONT)
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element, BODY_FONT)
    _paragraph_style(document, "Report Body", BODY_FONT, BODY_SIZE)
    heading = _paragraph_style(document, "Heading 1", HEADING_FONT, BODY_SIZE)
    heading.paragraph_format.keep_with_next = True
    title = _paragraph_style(document, "Report Title", TITLE_FONT, TITLE_SIZE, indent=False)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = LINE
    sign = _paragraph_style(document, "Report Signature", BODY_FONT, BODY_SIZE, indent=False)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    cell = _paragraph_style(document, "Table Text", BODY_FONT, TABLE_SIZE, indent=False)
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


# --------------------------------------------------------------------------- page


def _page(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    number = _run(footer, "1", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)._element
    field = OxmlElement("w:fldSimple")  # the page number, updated by the application
    field.set(qn("w:instr"), " PAGE ")
    number.addprevious(field)
    field.append(number)
    _run(footer, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


# --------------------------------------------------------------------------- tables


# Schema order of the children of w:tblPr and w:tcPr: a new child goes before the
# first of these that is present (Word rejects elements out of order).
_TBL_PR_ORDER = ("tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption")
_TC_PR_ORDER = ("shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")


def _put(parent: Any, child: Any, order: tuple[str, ...]) -> None:
    """Insert ``child`` into ``parent`` at its schema place; ``order`` starts with its tag."""
    for tag in order[1:]:
        found = parent.find(qn(f"w:{tag}"))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _table_properties(table: Any, width: int) -> None:
    """Borders on every cell, 1 mm cell margins, fixed layout, centred."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(width))
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    _put(tbl_pr, borders, _TBL_PR_ORDER)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        m = OxmlElement(f"w:{edge}")
        m.set(qn("w:w"), "57")
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    _put(tbl_pr, margins, _TBL_PR_ORDER[_TBL_PR_ORDER.index("tblCellMar") :])


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    _put(cell._tc.get_or_add_tcPr(), shading, _TC_PR_ORDER)


def _add_table(document: Any, grid: Grid, report: Report) -> None:
    table = document.add_table(rows=grid.rows, cols=grid.cols)
    total = sum(grid.widths)
    widths = [int(TEXT_WIDTH * w / total) for w in grid.widths]
    _table_properties(table, sum(widths) // 635)  # EMU to twentieths of a point
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w
    # Cells fetched once before merging: a merge keeps its top-left <w:tc>, and asking
    # python-docx for a cell by position walks the whole table each time.
    cells = [list(row.cells) for row in table.rows]
    for row_cells in cells:
        for cell, w in zip(row_cells, widths, strict=True):
            cell.width = w
    style_id = document.styles["Table Text"].style_id
    for p in grid.places:
        cell = cells[p.row][p.col]
        if p.rowspan > 1 or p.colspan > 1:
            cell.merge(cells[p.row + p.rowspan - 1][p.col + p.colspan - 1])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        if p.role == "caption":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _shade(cell, CAPTION_FILL)
        elif p.role == "label" and grid.key == "t3":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        text = cell_text(report, p.cell) if p.cell else p.text
        if text:
            _run(paragraph, text, BODY_FONT, TABLE_SIZE)
    for p_element in table._tbl.iter(qn("w:p")):  # merged-away cells too: row heights
        p_element.get_or_add_pPr().style = style_id
    # rows never break across pages; a table's column headings repeat on every page;
    # every row keeps with the next, so a table that fits on a page is never split and
    # one that does not fit on the rest of a page starts on a new one (table 三, as in
    # the official template)
    heads = _header_rows(grid)
    last = len(table.rows) - 1
    for i, row in enumerate(table.rows):
        if i < last:
            for p_element in row._tr.iter(qn("w:p")):
                p_pr = p_element.get_or_add_pPr()
                keep = OxmlElement("w:keepNext")
                p_pr.insert_element_before(keep, *_AFTER_KEEP_NEXT)
        tr_pr = row._tr.get_or_add_trPr()
        _put(tr_pr, OxmlElement("w:cantSplit"), _TR_ORDER[_TR_ORDER.index("cantSplit") :])
        if i in heads:
            _put(tr_pr, OxmlElement("w:tblHeader"), _TR_ORDER[_TR_ORDER.index("tblHeader") :])


# w:pPr children that follow w:keepNext in the schema (pStyle precedes it)
_AFTER_KEEP_NEXT = (
    "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip

_TR_ORDER = (
    "cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter",
    "cantSplit", "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden",
)  # fmt: skip


def _header_rows(grid: Grid) -> set[int]:
    """The leading rows that hold only column headings (t3 and t4, not t2's captions)."""
    if grid.key == "t2":
        return set()
    out: set[int] = set()
    for r in range(grid.rows):
        places = [p for p in grid.places if p.row == r]
        if not places or any(p.role != "head" for p in places):
            break
        out.add(r)
    return out


# --------------------------------------------------------------------------- document


# where an agency's name may break between lines: after a unit of government or office
_NAME_BREAKS = re.compile(
    r"(?<=人民政府)|(?<=办公室)|(?<=委员会)|(?<=办事处)|(?<=[省市县区州盟旗镇乡局厅委办])"
)


def title_lines(agency: str, rest: str, per_line: int | None = None) -> list[str]:
    """The title cut into lines that each fit the page, never inside a word.

    The title is one line when it fits; otherwise the agency ends the first line and
    "2024年政府信息公开工作年度报告" is the second; an agency longer than a line is cut
    after one of the units its name is made of (…市 / …区 / …局).
    """
    per_line = per_line or int(TEXT_WIDTH / TITLE_SIZE)
    if len(agency) + len(rest) <= per_line or not agency:
        return [agency + rest]
    lines: list[str] = []
    name = agency
    while len(name) > per_line:
        cuts = [m.start() for m in _NAME_BREAKS.finditer(name) if 0 < m.start() <= per_line]
        if not cuts:
            break  # one unbroken word longer than a line: the application wraps it
        lines.append(name[: cuts[-1]])
        name = name[cuts[-1] :]
    lines.append(name)
    return [*lines, rest]


def _date(published: str) -> str:
    y, m, d = (int(x) for x in published.split("-"))
    return f"{y}年{m}月{d}日"


def render_docx(report: Report) -> bytes:
    """The report as a .docx file (bytes) in the statutory layout."""
    document = docx.Document()
    _styles(document)
    _page(document)
    version = report.version
    title = f"{report.agency or ''}{report.year or ''}年{REPORT_TITLE}"
    paragraph = document.add_paragraph(style="Report Title")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(
        title_lines(report.agency or "", f"{report.year or ''}年{REPORT_TITLE}")
    ):
        if i:
            paragraph.add_run().add_break()
        _run(paragraph, line, TITLE_FONT, TITLE_SIZE)
    tables = {t.section: t.key for t in version.tables}
    for section in SECTIONS:
        heading = document.add_paragraph(style="Heading 1")
        _run(heading, section.heading, HEADING_FONT, BODY_SIZE)
        for line in report.sections.get(section.number, "").splitlines():
            if line.strip():
                body = document.add_paragraph(style="Report Body")
                _run(body, line.strip(), BODY_FONT, BODY_SIZE)
        key = tables.get(section.number)
        if key:
            # the paragraph before a table (its heading, or the text under the heading)
            # stays on the table's page: a table never starts alone at a page's foot
            document.paragraphs[-1].paragraph_format.keep_with_next = True
            _add_table(document, table_grid(version, key), report)
    document.add_paragraph(style="Report Signature")
    for signed in (report.agency, _date(report.published) if report.published else None):
        if signed:
            sign = document.add_paragraph(style="Report Signature")
            sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(sign, signed, BODY_FONT, BODY_SIZE)
    properties = document.core_properties
    properties.title = title
    properties.author = report.agency or ""
    properties.last_modified_by = report.agency or ""
    properties.language = "zh-CN"
    properties.revision = 1
    if report.published:
        when = datetime.fromisoformat(report.published)
        properties.created = properties.modified = when
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
