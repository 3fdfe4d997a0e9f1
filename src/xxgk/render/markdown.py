"""A report as Markdown, for review and diffs.

Title and section headings are Markdown headings; the tables are GitHub pipe tables
with one statutory row per line (a blank cell is written “—”, which reads back as blank).  Markdown has no merged cells, so a row's group is
written in front of its label (``（三）不予公开 1.属于国家秘密``) and each 第二十条
block of the second table is its own small table under its caption.  The output reads
back through xxgk's text reader (Markdown mode) to the same numbers.
"""

from __future__ import annotations

from ..extract.labels import matcher
from ..format import CONTENT, SECTIONS, T3_GROUPS, T3_NOTE, Row, Table
from ..model import Report
from .html import cell_text, date_text, heading, paragraphs, title

RIGHT = "---:"
LEFT = "---"


def _escape(text: str) -> str:
    """A cell's text with the characters that would break a pipe row neutralised."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_escape(c) if c else "" for c in cells) + " |"


def _pipe_table(head: list[str], rows: list[list[str]]) -> list[str]:
    align = [LEFT] + [RIGHT] * (len(head) - 1)
    return [_row(head), "| " + " | ".join(align) + " |", *(_row(r) for r in rows)]


BLANK = "—"  # a cell the report left blank: Markdown cannot show an empty cell's place


def _values(report: Report, table: Table, row: Row) -> list[str]:
    return [cell_text(report, f"{table.key}.{row.key}.{c.key}") or BLANK for c in row.columns]


def t2_markdown(report: Report) -> list[str]:
    """One small table per 第二十条 caption, each with its own header row."""
    table = report.version.table("t2")
    out: list[str] = []
    blocks: list[tuple[str, list[Row]]] = []
    for row in table.rows:
        if not blocks or blocks[-1][0] != (row.caption or ""):
            blocks.append((row.caption or "", []))
        blocks[-1][1].append(row)
    for caption, rows in blocks:
        if out:
            out.append("")
        out += [caption, ""]
        head = [CONTENT, *(c.label for c in rows[0].columns)]
        out += _pipe_table(head, [[r.label, *_values(report, table, r)] for r in rows])
    return out


def row_label(version_key: str, row: Row) -> str:
    """The label of a t3 row with its sub-group in front, when that still reads back.

    ``（六）其他处理 3.其他`` would be read as the 2019 row （六）其他处理, so such a row
    keeps its own label alone.
    """
    if row.group is None or row.group == T3_GROUPS[0]:
        return row.label
    full = f"{row.group} {row.label}"
    hit = matcher(version_key, "t3").match(full)
    return full if hit is not None and hit.key == row.key and not hit.alien else row.label


def t3_markdown(report: Report) -> list[str]:
    """The note in the corner, the seven applicant columns, a line per row."""
    version = report.version
    table = version.table("t3")
    cols = table.rows[0].columns
    head = [T3_NOTE, *(c.label for c in cols)]
    rows = [[row_label(version.key, r), *_values(report, table, r)] for r in table.rows]
    return _pipe_table(head, rows)


def t4_markdown(report: Report) -> list[str]:
    """One line per case kind (行政复议, 未经复议直接起诉, 复议后起诉)."""
    table = report.version.table("t4")
    head = ["", *(c.label for c in table.rows[0].columns)]
    return _pipe_table(head, [[r.label, *_values(report, table, r)] for r in table.rows])


_TABLES = {2: t2_markdown, 3: t3_markdown, 4: t4_markdown}


def _heading(text: str, level: int) -> list[str]:
    return [f"{'#' * level} {text}", ""]


def render_markdown(report: Report) -> str:
    """The whole report as Markdown (see the module docstring)."""
    lines = _heading(title(report), 1)
    for section in SECTIONS:
        lines += _heading(heading(section.number, section.title), 2)
        for p in paragraphs(report.sections.get(section.number, "")):
            lines += [p, ""]
        if section.number in _TABLES:
            lines += [*_TABLES[section.number](report), ""]
    for line in (report.agency or "", date_text(report.published)):
        if line:
            lines += [line, ""]
    return "\n".join(lines).rstrip("\n") + "\n"
