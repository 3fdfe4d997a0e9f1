"""Narrative sentences that state a figure the tables contradict, and their fix."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..format import display
from ..model import Report, fmt
from ..narrative import statements


@dataclass(frozen=True)
class SentenceFix:
    section: int
    old: str
    new: str
    why: str


def sentence_fixes(report: Report) -> list[SentenceFix]:
    """For each stated figure the tables contradict: the words with the table's figure."""
    out: list[SentenceFix] = []
    for st in statements(report):
        if st.agrees(report) is not False:
            continue
        sums = st.sums(report)
        if not sums:
            continue
        right = fmt(sums[0])
        new = re.sub(r"\d[\d,]*(?=\s*(件|条|个|份|起|宗))", right, st.text, count=1)
        if new == st.text:
            continue
        section = next(
            (k for k, v in sorted(report.sections.items()) if st.text in re.sub(r"\s+", "", v)), 1
        )
        out.append(
            SentenceFix(
                section, st.text, new, f"表格中{_place(st.place, st.cells, report)} 为 {right}"
            )
        )
    return out


def _place(place: str, cells: tuple[str, ...], report: Report) -> str:
    """The table sum a sentence states, as the report prints it (never cell keys)."""
    if place:
        return place
    names = [display(c, report.format) for c in cells]
    if len(names) <= 3:
        return "与".join(f"“{n}”" for n in names) + ("之和" if len(names) > 1 else "")
    return f"“{names[0]}”等 {len(names)} 个单元格之和"
