"""Consistent reports made from a few numbers: for examples, tests and demos.

``consistent_report`` builds a report whose every prescribed sum holds.  Property
tests draw its inputs at random; the example reports use fixed ones.
"""

from __future__ import annotations

from collections.abc import Mapping

from .format import SECTIONS, T3_APPLICANTS, T4_PARTS, VERSIONS, Kind
from .model import Heading, Number, Report

Values = dict[str, dict[str, dict[str, Number | None]]]


def empty_tables(version_key: str) -> Values:
    v = VERSIONS[version_key]
    return {t.key: {r.key: {c.key: 0 for c in r.columns} for r in t.rows} for t in v.tables}


def consistent_report(
    version_key: str = "2021",
    *,
    leaves: Mapping[str, Mapping[str, int]] | None = None,
    carried_over: Mapping[str, int] | None = None,
    carried_forward: Mapping[str, int] | None = None,
    cases: Mapping[str, Mapping[str, int]] | None = None,
    t2: Mapping[str, Mapping[str, Number]] | None = None,
    agency: str = "某某县某某局",
    year: int = 2023,
    published: str | None = None,
    sections: Mapping[int, str] | None = None,
) -> Report:
    """A report whose sums hold by construction.

    ``leaves`` gives result-row counts per applicant column ({"granted": {"natural": 3}});
    ``carried_over``/``carried_forward`` per applicant column; 本年新收 follows from the
    balance.  ``cases`` gives t4 parts per group; totals are computed.
    """
    v = VERSIONS[version_key]
    tables = empty_tables(version_key)
    t3 = tables["t3"]
    leaf_rows = [r.key for r in v.table("t3").rows if r.role == "leaf"]
    for row, cols in (leaves or {}).items():
        for col, n in cols.items():
            t3[row][col] = n
    for col in T3_APPLICANTS:
        results = sum(int(t3[r][col] or 0) for r in leaf_rows)
        over = (carried_over or {}).get(col, 0)
        forward = (carried_forward or {}).get(col, 0)
        new = results + forward - over
        if new < 0:  # more carried over than handled: carry the rest forward
            forward -= new
            new = 0
        t3["results_total"][col] = results
        t3["carried_over"][col] = over
        t3["carried_forward"][col] = forward
        t3["new"][col] = new
    for row in t3:
        t3[row]["total"] = sum(int(t3[row][c] or 0) for c in T3_APPLICANTS)
    for group, cols in (cases or {}).items():
        for col, n in cols.items():
            tables["t4"][group][col] = n
    for group in tables["t4"]:
        g = tables["t4"][group]
        g["total"] = sum(int(g[c] or 0) for c in T4_PARTS)
    t2_table = v.table("t2")
    for row, t2_cols in (t2 or {}).items():
        for col, amount in t2_cols.items():
            kind = t2_table.row(row).column(col).kind
            tables["t2"][row][col] = (
                float(amount) if kind is Kind.AMOUNT and not float(amount).is_integer() else amount
            )
    texts = dict(sections or {})
    return Report(
        source="<synth>",
        format=version_key,
        agency=agency,
        year=year,
        published=published or f"{year + 1}-01-20",
        tables=tables,
        headings=[Heading(number=s.number, text=s.title, order=s.number - 1) for s in SECTIONS],
        sections={s.number: texts.get(s.number, "") for s in SECTIONS},
    )
