"""The three tables of a stored check laid out as the format prints them, each cell
with the findings that name it (for the report page)."""

from __future__ import annotations

from typing import Any

from ..format import VERSIONS

_RANK = {"error": 0, "warning": 1, "info": 2}


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def layout(
    version: str | None, tables: dict[str, Any] | None, findings: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One entry per table: its title, its column labels when every row has the same
    columns (a grid, as 表三 is printed), and its rows of cells; a cell carries the
    indices of its findings and the worst severity among them."""
    if not tables or version not in VERSIONS:
        return []
    marks: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        for key in f.get("cells") or []:
            marks.setdefault(key, []).append(i)
    out = []
    for t in VERSIONS[version].tables:
        values = tables.get(t.key) or {}
        first = t.rows[0].columns if t.rows else ()
        grid = all(tuple(c.key for c in r.columns) == tuple(c.key for c in first) for r in t.rows)
        rows = []
        for r in t.rows:
            row_values = values.get(r.key) or {}
            cells = []
            for c in r.columns:
                key = f"{t.key}.{r.key}.{c.key}"
                found = marks.get(key, [])
                worst = min(
                    (findings[i].get("severity", "info") for i in found),
                    key=lambda s: _RANK.get(s, 3),
                    default=None,
                )
                cells.append(
                    {
                        "key": key,
                        "label": c.label,
                        "value": _show(row_values.get(c.key)),
                        "findings": found,
                        "severity": worst,
                    }
                )
            rows.append({"label": r.display, "caption": r.caption, "cells": cells})
        out.append(
            {
                "key": t.key,
                "title": t.title,
                "grid": grid,
                "columns": [c.label for c in first] if grid else [],
                "rows": rows,
                "note": t.note,
            }
        )
    return out
