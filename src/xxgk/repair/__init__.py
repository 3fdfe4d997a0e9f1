"""Repairs: the smallest arithmetic corrections, 2019→2021 conversion, narrative fixes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Report, fmt
from .arith import Candidate, Change, candidates
from .sentences import SentenceFix, sentence_fixes
from .version import Conversion, to_2021

__all__ = ["Candidate", "Change", "Conversion", "Repair", "SentenceFix", "repair", "to_2021"]


@dataclass
class Repair:
    report: Report  # the corrected report (the input when nothing was applied)
    candidates: list[Candidate]
    applied: int | None  # rank of the candidate applied
    tied: bool  # the best candidates tie on every ranking key
    conversion: Conversion | None = None
    sentences: list[SentenceFix] = field(default_factory=list)

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
    cands = candidates(report)
    tied = len(cands) > 1 and cands[0].key() == cands[1].key()
    chosen = apply if apply is not None else (1 if cands and not tied else None)
    fixed = report
    if chosen is not None:
        if not 1 <= chosen <= len(cands):
            raise ValueError(f"没有第 {chosen} 个候选修改（共 {len(cands)} 个）")
        fixed = report.model_copy(deep=True)
        for ch in cands[chosen - 1].changes:
            t, r, c = ch.cell.split(".")
            fixed.tables[t][r][c] = ch.new
        fixed.anomalies = [a for a in fixed.anomalies if a.kind not in ("row_shape",)]
    return Repair(fixed, cands, chosen, tied, conversion, sentence_fixes(fixed))
