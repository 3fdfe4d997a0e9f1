"""Filing before publishing (FIL-*): the published report against the draft its
supervisor approved.

A rule reads the approved draft from ``Context.approved``; the web app sets it when a
published file is registered for an approved filing (and on every later re-check of
that file).  ``changed_cells`` is the one comparison of two reports' tables: the rule
and the filing record (``store.filing_models.differences``) both use it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..model import Finding, Number, Severity
from .base import Context, Rule, fmt

Tables = Mapping[str, Mapping[str, Mapping[str, Any]]]


def changed_cells(approved: Tables, published: Tables) -> list[tuple[str, Any, Any]]:
    """(cell key, approved value, published value) for every cell of either report's
    tables whose value differs (a number against a blank included), in key order."""
    out = []
    for t in sorted(set(approved) | set(published)):
        rows_a, rows_b = approved.get(t) or {}, published.get(t) or {}
        for r in sorted(set(rows_a) | set(rows_b)):
            ca, cb = rows_a.get(r) or {}, rows_b.get(r) or {}
            for c in sorted(set(ca) | set(cb)):
                if ca.get(c) != cb.get(c):
                    out.append((f"{t}.{r}.{c}", ca.get(c), cb.get(c)))
    return out


def _shown(value: Number | None) -> str:
    return "空白" if value is None else fmt(value)


class PublishedDiffers(Rule):
    """发布稿中某个单元格的数值与上级审核通过的报送稿不同。

    报送审核（起草 → 报送 → 审核通过 → 已发布）中，上级审核通过的是报送稿；机关公开
    发布的年度报告应当就是审核通过的那一稿。发布稿三张表中的数值与审核通过稿不同，
    说明审核通过后又改动过而未重新报送（或发布错了文件），公开的数字未经审核。数字
    可能改对了，也可能改错了，需要人工核对，所以是“警告”而不是“错误”。

    核对方法：在网页版登记发布稿时，与审核通过稿比较：两份文件相同（SHA-256 一致）即
    无差异；文件不同时逐个单元格比较三张表的数值（空白与数字不同也算），每个不同的
    单元格提示一条，写明审核通过稿和发布稿的数值。发布稿以后再次核查（如重新解析、
    与上年比较）时仍与审核通过稿比较。命令行核查单个文件时没有审核通过稿，不作判断。

    例：第三部分“予以公开（自然人）”审核通过稿为 30，发布稿为 31。
    修改：核实哪一稿正确：发布稿有误的，按审核通过稿更正后重新发布；确需改动的，把
    改动后的报告重新报送审核。
    """

    code = "FIL-001"
    severity = Severity.WARNING
    title = "发布稿与审核通过稿不一致"

    def check(self, ctx: Context) -> Iterator[Finding]:
        approved = ctx.approved
        if approved is None:
            return
        mine = set(ctx.version.cell_keys())
        for key, before, after in changed_cells(approved.tables, ctx.report.tables):
            yield self.finding(
                ctx,
                f"{ctx.name(key)}：审核通过稿为{_shown(before)}，发布稿为{_shown(after)}，"
                "发布稿与审核通过稿不一致。",
                cells=[key] if key in mine else [],  # a cell of another format: named only
                suggestion="核实哪一稿正确：发布稿有误的按审核通过稿更正后重新发布；"
                "确需改动的重新报送审核。",
            )


RULES = (PublishedDiffers,)
