"""Rules across years: this year's report against last year's of the same agency.

They run only when ``check`` is given the previous report (``--previous``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from ..format import T3_APPLICANTS
from ..model import Finding, Number, Report, Severity
from .base import Context, Rule, fmt


class CarryOver(Rule):
    """本年“上年结转”不等于上一年报告的“结转下年度继续办理”。

    上一年度结转下年度继续办理的申请，就是本年度的上年结转申请，两者应逐列相等。
    例外：上年数据经更正的，应在报告中说明。

    例：2022 年报告结转下年度 3 件，2023 年报告上年结转 0 件。
    """

    code = "XYR-001"
    severity = Severity.WARNING
    title = "上年结转与上年报告不符"

    def check(self, ctx: Context) -> Iterator[Finding]:
        prev = ctx.previous
        if prev is None:
            return
        advice: str | None = None
        for col in (*T3_APPLICANTS, "total"):
            now = ctx.value(f"t3.carried_over.{col}")
            before = prev.value(f"t3.carried_forward.{col}")
            if now is None or before is None or now == before:
                continue
            label = ctx.version.table("t3").rows[0].column(col).label
            yield self.finding(
                ctx,
                f"第三部分{label}列：上年结转 {fmt(now)}，而{prev.year or '上一'}年度报告"
                f"结转下年度继续办理为 {fmt(before)}。",
                [f"t3.carried_over.{col}"],
                suggestion=advice if advice is not None else (advice := _advice(ctx, prev)),
            )


def _advice(ctx: Context, prev: Report) -> str:
    """Last year's carried-forward figures taken as this year's carry-over, with the
    repair solver's smallest change of other cells that keeps every sum holding."""
    from ..repair.arith import candidates, violated

    after = copy.deepcopy(ctx.report)
    fixed: list[tuple[str, Number | None, Number]] = []
    known: set[str] = set()  # carry-over cells last year's report decides
    for col in (*T3_APPLICANTS, "total"):
        key = f"t3.carried_over.{col}"
        now, before = ctx.value(key), prev.value(f"t3.carried_forward.{col}")
        if before is None:
            continue
        known.add(key)
        if now != before:
            after.tables["t3"]["carried_over"][col] = before
            fixed.append((key, now, before))
    changes = list(fixed)
    if violated(after):
        cands = candidates(after, frozen=frozenset(known))
        if not cands:
            return "若上年报告无误，上年结转应与之相同，并相应核对本年新收和办理结果；否则说明上年数据的更正。"
        changes += [(c.cell, c.old, c.new) for c in cands[0].changes]
    steps = "，".join(f"将“{ctx.name(k)}”由 {fmt(old)} 改为 {fmt(new)}" for k, old, new in changes)
    return f"若上年报告无误：{steps}（改后各项勾稽关系成立）；否则说明上年数据的更正。"


class InForce(Rule):
    """现行有效件数与上年报告推算的不一致。

    2021 年格式第二部分：本年现行有效件数 ≈ 上年现行有效件数 + 本年制发件数 − 本年废止件数。
    修订、清理和归类调整会使两者不同，所以这是提示而非错误。
    """

    code = "XYR-002"
    severity = Severity.WARNING
    title = "现行有效件数与上年不衔接"

    def check(self, ctx: Context) -> Iterator[Finding]:
        prev = ctx.previous
        if prev is None or ctx.report.format != "2021" or prev.format != "2021":
            return
        for row in ("regulation", "normative_doc"):
            now = ctx.value(f"t2.{row}.in_force")
            issued = ctx.value(f"t2.{row}.issued")
            repealed = ctx.value(f"t2.{row}.repealed")
            before = prev.value(f"t2.{row}.in_force")
            if None in (now, issued, repealed, before):
                continue
            assert now is not None and issued is not None
            assert repealed is not None and before is not None
            expect = before + issued - repealed
            if now == expect:
                continue
            name = ctx.version.table("t2").row(row).label
            yield self.finding(
                ctx,
                f"{name}现行有效件数 {fmt(now)}，而上年 {fmt(before)} + 本年制发 {fmt(issued)} − "
                f"本年废止 {fmt(repealed)} = {fmt(expect)}。",
                [f"t2.{row}.in_force", f"t2.{row}.issued", f"t2.{row}.repealed"],
                suggestion="核对现行有效件数；因修订或清理调整的，在报告中说明。",
            )


RULES = (CarryOver, InForce)
