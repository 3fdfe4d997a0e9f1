"""Figures the narrative states about the tables (收到申请21件, 行政复议3件 …).

Used by the XSEC-001 rule (narrative against tables) and by the repair ranking
(a correction that agrees with what the text says ranks higher).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Number, Report

_NUM = r"(\d[\d,]*)"
_RECEIVED = re.compile(
    r"(?:共|全年|本年度?|今年|累计)?(?:收到|受理|接收|接到)[^。；;，,\d]{0,18}?(?:申请|依申请)"
    r"[^。；;，,\d]{0,10}?" + _NUM + r"\s*(?:件|条|个|份)(?!工作日)"
)
_NONE_RECEIVED = re.compile(r"(?:未|没有)(?:收到|受理|接到)[^。；;，,\d]{0,12}?(?:公开申请|依申请)")
_REVIEW = re.compile(r"行政复议(?:案件)?(?:数量?|数)?(?:为|共)?\s*" + _NUM + r"\s*(?:件|起|宗|个)")
_LITIGATION = re.compile(
    r"行政诉讼(?:案件)?(?:数量?|数)?(?:为|共)?\s*" + _NUM + r"\s*(?:件|起|宗|个)"
)
_PARTS = ("upheld", "corrected", "other", "pending")


@dataclass(frozen=True)
class Stated:
    """A number the text states, and the table sums it may stand for."""

    what: str  # received | review | litigation
    value: int
    text: str  # the words as printed
    cells: tuple[str, ...]  # the sum it should equal
    alternatives: tuple[tuple[str, ...], ...] = ()  # other sums it may equal
    start: int = 0  # offset in the flattened narrative

    def sums(self, report: Report) -> list[Number] | None:
        """The table's values for the sums this number may state; None if a cell is blank."""
        out: list[Number] = []
        for cells in (self.cells, *self.alternatives):
            values = [report.value(c) for c in cells]
            if any(v is None for v in values):
                if cells is self.cells:
                    return None
                continue
            out.append(sum(v for v in values if v is not None))
        return out

    def agrees(self, report: Report) -> bool | None:
        sums = self.sums(report)
        return None if sums is None else self.value in sums


def narrative(report: Report) -> str:
    """The narrative sections (一、三、五、六) with whitespace removed."""
    text = "\n".join(v for k, v in sorted(report.sections.items()) if k in (1, 3, 5, 6))
    return re.sub(r"\s+", "", text)


def as_int(s: str) -> int:
    """A printed count such as "1,136" as an int."""
    return int(s.replace(",", ""))


def statements(report: Report) -> list[Stated]:
    text = narrative(report)
    out: list[Stated] = []
    for m in _RECEIVED.finditer(text):
        out.append(
            Stated(
                "received",
                as_int(m.group(1)),
                m.group(0),
                ("t3.new.total",),
                (("t3.new.total", "t3.carried_over.total"),),
                m.start(),
            )
        )
    m0 = _NONE_RECEIVED.search(text)
    if m0:
        out.append(Stated("received", 0, m0.group(0), ("t3.new.total",), (), m0.start()))
    for pattern, what, groups in (
        (_REVIEW, "review", ("review",)),
        (_LITIGATION, "litigation", ("lit_direct", "lit_after_review")),
    ):
        for m in pattern.finditer(text):
            out.append(
                Stated(
                    what,
                    as_int(m.group(1)),
                    m.group(0),
                    tuple(f"t4.{g}.total" for g in groups),
                    (tuple(f"t4.{g}.{p}" for g in groups for p in _PARTS),),
                    m.start(),
                )
            )
    return out
