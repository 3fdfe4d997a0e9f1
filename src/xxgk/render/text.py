"""A report as plain text in the statutory layout, in the layouts real dumps use.

``tabs`` (a row per line, cells separated by tabs), ``cells`` (one cell per line,
indented by a tab, rows separated by blank lines), ``pipes`` (web-scrape style
``text |`` cells) and ``glued`` (a crawler's dump: the whole body on one line, table
cells concatenated without separators).  Used for the example reports and the rule fixtures; the reader
must read every layout back to the same numbers.  ``EXTRA_LAYOUTS`` are further dump
styles the generality harness (:mod:`xxgk.variety`) prints.
"""

from __future__ import annotations

from ..format import (
    APPLICANTS,
    CONTENT,
    LITIGATION,
    ORGANISATIONS,
    REPORT_TITLE,
    REVIEW,
    SECTIONS,
    T3_NOTE,
    Version,
)
from ..model import Report, fmt

LAYOUTS = ("tabs", "cells", "pipes", "glued")
# more layouts real dumps use, for the generality harness (xxgk.variety): a row per line
# with " | " between cells (no outer pipes, both, or a closing one only), one cell per
# line without indent, one cell per paragraph (a blank line after every cell)
EXTRA_LAYOUTS = ("pipes-inline", "pipes-outer", "pipes-trailing", "lines", "paragraphs")
ALL_LAYOUTS = LAYOUTS + EXTRA_LAYOUTS


def _value(report: Report, key: str) -> str:
    v = report.value(key)
    return "" if v is None else fmt(v)


def table_rows(report: Report) -> dict[str, list[list[str]]]:
    """The three tables as rows of cell texts, as the format prints them."""
    v: Version = report.version
    out: dict[str, list[list[str]]] = {}
    t2 = v.table("t2")
    rows: list[list[str]] = []
    caption = None
    for row in t2.rows:
        if row.caption != caption:
            caption = row.caption
            rows.append([caption or ""])
            rows.append([CONTENT, *(c.label for c in row.columns)])
        rows.append([row.label, *(_value(report, f"t2.{row.key}.{c.key}") for c in row.columns)])
    out["t2"] = rows
    t3 = v.table("t3")
    cols = t3.rows[0].columns
    rows = [
        [T3_NOTE, APPLICANTS],
        [cols[0].label, ORGANISATIONS, cols[-1].label],
        [c.label for c in cols[1:6]],
    ]
    group = None
    for row in t3.rows:
        cells = []
        if row.group and row.group != group and row.role != "total":
            cells.append(row.group)
        group = row.group
        cells.append(row.label)
        cells += [_value(report, f"t3.{row.key}.{c.key}") for c in cols]
        rows.append(cells)
    out["t3"] = rows
    t4 = v.table("t4")
    heads = [c.label for c in t4.rows[0].columns]
    out["t4"] = [
        [REVIEW, LITIGATION],
        [*heads, "未经复议直接起诉", "复议后起诉"],
        [*heads, *heads],
        [_value(report, f"t4.{r.key}.{c.key}") for r in t4.rows for c in r.columns],
    ]
    return out


def _rows_text(rows: list[list[str]], layout: str) -> list[str]:
    lines: list[str] = []
    for cells in rows:
        if layout == "glued":
            lines.append("".join(cells))
        elif layout == "tabs":
            lines.append("\t".join(cells))
        elif layout == "cells":
            lines += [f"\t{c}" for c in cells]
            lines.append("")
        elif layout == "pipes-inline":
            lines.append(" | ".join(cells))
        elif layout == "pipes-outer":
            lines.append("| " + " | ".join(cells) + " |")
        elif layout == "pipes-trailing":
            lines.append(" | ".join(cells) + " |")
        elif layout == "lines":
            lines += cells
        elif layout == "paragraphs":
            for c in cells:
                lines += [c, ""]
        else:
            lines.append("|")
            lines += [f"{c} |" for c in cells if c]
            blanks = sum(1 for c in cells if not c)
            lines.append("|" * (blanks + 1))
    return lines


def render_text(report: Report, layout: str = "tabs") -> str:
    if layout not in ALL_LAYOUTS:
        raise ValueError(f"layout must be one of {ALL_LAYOUTS}")
    title = f"{report.agency or ''}{report.year or ''}年{REPORT_TITLE}"
    lines = [title, ""]
    tables = table_rows(report)
    for section in SECTIONS:
        lines.append(section.heading)
        body = report.sections.get(section.number, "")
        if body:
            lines.append(body)
        key = {2: "t2", 3: "t3", 4: "t4"}.get(section.number)
        if key:
            lines += _rows_text(tables[key], layout)
        lines.append("")
    if report.agency:
        lines.append(report.agency)
    if report.published:
        y, m, d = (int(x) for x in report.published.split("-"))
        lines.append(f"{y}年{m}月{d}日")
    if layout == "glued":
        body = "".join(x for x in lines[2:] if x)
        return "\n".join([title, body]) + "\n"
    return "\n".join(lines) + "\n"
