"""Converting a 2019 trial-format report to the 2021 format.

What has the same meaning in both formats is carried over; the rest is listed, never
guessed.  t3 and t4 are the same tables except （六）其他处理, which 2021 splits into
three rows: its numbers go to （六）3.其他 and the conversion says so.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from ..anomalies import Blank
from ..format import V2019, V2021
from ..model import Report

# (2019 cell, 2021 cell, note) — cells whose meaning carries over
_SAME_T2 = (
    ("t2.permit.decisions", "t2.permit.decisions"),
    ("t2.penalty.decisions", "t2.penalty.decisions"),
    ("t2.compulsion.decisions", "t2.compulsion.decisions"),
)
_NEAR_T2 = (
    (
        "t2.regulation.made",
        "t2.regulation.issued",
        "本年新制作数量 → 本年制发件数（口径相近，请核实）",
    ),
    (
        "t2.normative_doc.made",
        "t2.normative_doc.issued",
        "本年新制作数量 → 本年制发件数（口径相近，请核实）",
    ),
)


@dataclass
class Conversion:
    report: Report
    mapped: list[tuple[str, str, str]]  # (from, to, note)
    unmapped: list[tuple[str, str]]  # (cell, why)


def to_2021(report: Report) -> Conversion:
    if report.format != "2019":
        raise ValueError("only a 2019-format report can be converted")
    tables = {
        t.key: {r.key: dict.fromkeys(c.key for c in r.columns) for r in t.rows}
        for t in V2021.tables
    }
    mapped: list[tuple[str, str, str]] = []
    unmapped: list[tuple[str, str]] = []

    def put(src: str, dst: str, note: str) -> None:
        t, r, c = dst.split(".")
        tables[t][r][c] = report.value(src)
        mapped.append((src, dst, note))

    for src, dst in _SAME_T2:
        put(src, dst, "同义")
    for src, dst, note in _NEAR_T2:
        put(src, dst, note)
    for t in ("t3", "t4"):
        for row in V2019.table(t).rows:
            for col in row.columns:
                src = f"{t}.{row.key}.{col.key}"
                if row.key == "other":
                    put(
                        src,
                        f"t3.other_other.{col.key}",
                        "（六）其他处理整行计入“3.其他”，请按实际拆分",
                    )
                else:
                    put(src, src, "同义")
    for col in V2021.table("t3").rows[0].columns:
        for key in ("other_no_correction", "other_no_fee"):
            cell = f"t3.{key}.{col.key}"
            zero = report.value(f"t3.other.{col.key}") is not None
            tables["t3"][key][col.key] = 0 if zero else None
            unmapped.append(
                (
                    cell,
                    "2019年格式没有此行，记为 0，请按实际填写"
                    if zero
                    else "2019年格式没有此行，原表（六）其他处理此栏为空，记为空，请按实际填写",
                )
            )
    dests = {d for _, d, _ in mapped} | {u for u, _ in unmapped}
    for key in V2021.cell_keys():
        if key not in dests:
            unmapped.append((key, "2019年格式没有对应栏目，需补填"))
    for key in V2019.cell_keys():
        if key not in {s for s, _, _ in mapped} and report.value(key) is not None:
            unmapped.append((key, f"2021年格式没有对应栏目，原值 {report.value(key)} 未转换"))
    out = copy.deepcopy(report)
    out.format = "2021"
    out.tables = tables
    out.anomalies = [Blank(cells=[k]) for k in V2021.cell_keys() if _get(tables, k) is None]
    out.signals = {}
    return Conversion(out, mapped, unmapped)


def _get(tables: dict[str, dict[str, dict[str, object]]], key: str) -> object:
    t, r, c = key.split(".")
    return tables[t][r][c]
