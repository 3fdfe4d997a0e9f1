"""Repairs: the smallest arithmetic corrections, 2019→2021 conversion, narrative fixes."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..anomalies import ExtraRow
from ..extract.values import parse_value
from ..format import T3_OTHER_GROUP
from ..model import Number, Report, fmt
from .arith import Candidate, Change, candidates
from .sentences import SentenceFix, sentence_fixes
from .version import Conversion, to_2021

__all__ = ["Candidate", "Change", "Conversion", "Repair", "SentenceFix", "repair", "to_2021"]


@dataclass(frozen=True)
class Derived:
    """Cells the repair filled because the report's own figures leave one value."""

    cells: tuple[str, ...]
    value: Number | None  # None: the cells stay blank (``text`` says why)
    text: str


@dataclass
class Repair:
    report: Report  # the corrected report (the input when nothing was applied)
    candidates: list[Candidate]
    applied: int | None  # rank of the candidate applied
    tied: bool  # the best candidates tie on every ranking key
    conversion: Conversion | None = None
    sentences: list[SentenceFix] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)

    def notes(self) -> list[str]:
        """What the repair worked out beyond the candidates, one line each, in words."""
        return [d.text for d in self.derived]

    def as_dict(self) -> dict[str, Any]:
        return {
            "candidates": [
                {
                    "changes": [
                        {"cell": ch.cell, "old": ch.old, "new": ch.new} for ch in c.changes
                    ],
                    "evidence": evidence(c),
                    "rank": c.rank,
                }
                for c in self.candidates
            ],
            "applied": self.applied,
            "derived": [
                {"cells": list(d.cells), "value": d.value, "why": d.text} for d in self.derived
            ],
            "tied": self.tied,
            "narrative": [
                {"section": s.section, "old": s.old, "new": s.new, "why": s.why}
                for s in self.sentences
            ],
            "conversion": None
            if self.conversion is None
            else {
                "from": "2019",
                "to": "2021",
                "mapped": [{"from": a, "to": b, "note": n} for a, b, n in self.conversion.mapped],
                "unmapped": [{"cell": c, "why": w} for c, w in self.conversion.unmapped],
            },
        }


def evidence(c: Candidate) -> str:
    parts = [f"改动 {len(c.changes)} 个单元格后所有勾稽关系和合计成立"]
    if c.agrees:
        parts.append("与正文“" + "”“".join(c.agrees) + "”一致")
    if c.totals:
        parts.append(f"其中 {c.totals} 个是合计栏（合计可由分项重算）")
    parts.append(f"改动幅度 {fmt(c.delta)}")
    return "；".join(parts) + "。"


def repair(report: Report, apply: int | None = None, convert: bool = True) -> Repair:
    """Find corrections; apply the best unless it ties (or the one ranked ``apply``)."""
    conversion = None
    if convert and report.format == "2019" and (report.year or 0) >= 2021:
        conversion = to_2021(report)
        report = conversion.report
    report, derived = derive_other_rows(report)
    cands = candidates(report)
    tied = len(cands) > 1 and cands[0].key() == cands[1].key()
    chosen = apply if apply is not None else (1 if cands and not tied else None)
    fixed = report
    if chosen is not None:
        if not 1 <= chosen <= len(cands):
            raise ValueError(f"没有第 {chosen} 个候选修改（共 {len(cands)} 个）")
        fixed = copy.deepcopy(report)
        for ch in cands[chosen - 1].changes:
            t, r, c = ch.cell.split(".")
            fixed.tables[t][r][c] = ch.new
        fixed.anomalies = [a for a in fixed.anomalies if a.kind not in ("row_shape",)]
    return Repair(fixed, cands, chosen, tied, conversion, sentence_fixes(fixed), derived)


def derive_other_rows(report: Report) -> tuple[Report, list[Derived]]:
    """A 2021 report that printed one 2019-style （六）其他处理 row: its three rows filled
    where the report's own figures leave a single value.

    Counts are never negative, so a column whose （六） figure is 0 (printed 0, or the
    （七）总计 less every other result) has 0 in all three rows.  Any other figure could
    be split several ways: those cells stay blank and the note says what to split.
    """
    alien = next(
        (a for a in report.anomalies if isinstance(a, ExtraRow) and a.row == "other"), None
    )
    if report.format != "2021" or alien is None:
        return report, []
    t3 = report.version.table("t3")
    rows = [r.key for r in t3.rows if r.group == T3_OTHER_GROUP]
    if any(report.value(f"t3.{r}.{c.key}") is not None for r in rows for c in t3.rows[0].columns):
        return report, []
    leaves = [r.key for r in t3.rows if r.role == "leaf" and r.key not in rows]
    printed = [parse_value(v).number for v in alien.values]
    cols = [c.key for c in t3.rows[0].columns]
    fixed = copy.deepcopy(report)
    zero: list[str] = []
    open_: list[str] = []
    for i, c in enumerate(cols):
        said = printed[i] if len(printed) == len(cols) else None
        total = report.value(f"t3.results_total.{c}")
        parts = [report.value(f"t3.{r}.{c}") for r in leaves]
        rest = None if total is None or None in parts else total - sum(p or 0 for p in parts)
        if said == 0 or (said is None and rest == 0):
            for r in rows:
                fixed.tables["t3"][r][c] = 0
            zero.append(c)
        else:
            open_.append(c)
    filled = {f"t3.{r}.{c}" for r in rows for c in zero}
    fixed.anomalies = [
        a for a in fixed.anomalies if not (a.kind == "blank" and set(a.cells) <= filled)
    ]
    label = alien.raw or t3.row(rows[0]).group or ""
    three = "、".join(t3.row(r).shown or t3.row(r).label for r in rows)
    out: list[Derived] = []
    if zero:
        names = (
            "各列"
            if len(zero) == len(cols)
            else "、".join(t3.rows[0].column(c).label for c in zero) + "列"
        )
        out.append(
            Derived(
                tuple(f"t3.{r}.{c}" for c in zero for r in rows),
                0,
                f"报告只印了一行“{label}”（2019年格式的写法），{names}为 0；件数不能为负，"
                f"所以 2021 年格式的三行（{three}）{names}都记为 0。",
            )
        )
    if open_:
        names = "、".join(t3.rows[0].column(c).label for c in open_)
        out.append(
            Derived(
                tuple(f"t3.{r}.{c}" for c in open_ for r in rows),
                None,
                f"“{label}”的{names}列不为 0 或无法确定，拆分为三行（{three}）的方式不止一种，"
                "这些单元格留空，请按实际填写。",
            )
        )
    return fixed, out
