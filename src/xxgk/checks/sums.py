"""The sums the format prescribes (勾稽关系) and the totals derived from it.

Each identity is declared once in :mod:`xxgk.format` (``Version.identities``); these
rules only evaluate them.  An identity with a blank cell is not assessed (the blank
has its own NUM-002 finding), so a lost value never raises a false sum error.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..format import Identity
from ..model import Finding, Number, Severity
from .base import Context, Rule, fmt, total


def _name(ctx: Context, key: str, by: str) -> str:
    t, r, c = key.split(".")
    row = ctx.version.table(t).row(r)
    return row.name if by == "row" else row.column(c).label


class _SumRule(Rule):
    by_left = "row"  # name the cells of each side by their row or their column
    by_right = "row"
    list_zero = True  # name parts that are 0 too

    def check(self, ctx: Context) -> Iterator[Finding]:
        for ident in ctx.version.identities:
            if ident.code != self.code:
                continue
            values = [ctx.value(k) for k in ident.cells]
            if any(v is None for v in values):
                continue
            left = total(ctx.value(k) for k in ident.left)
            right = total(ctx.value(k) for k in ident.right)
            if abs(left - right) < 1e-9:
                continue
            yield self.finding(
                ctx,
                f"{ident.about}：{self._side(ctx, ident.left, self.by_left, left)} ≠ "
                f"{self._side(ctx, ident.right, self.by_right, right)}",
                ident.cells,
                suggestion=self.suggest(ctx, ident, left, right),
            )

    def _side(self, ctx: Context, keys: tuple[str, ...], by: str, value: Number) -> str:
        parts = [
            f"{_name(ctx, k, by)} {fmt(ctx.value(k))}"
            for k in keys
            if self.list_zero or len(keys) <= 2 or ctx.value(k)
        ]
        if len(keys) > 2 and not self.list_zero:
            shown = " + ".join(parts) if parts else "各项均为 0"
            return f"各分项之和 {fmt(value)}（{shown}）"
        text = " + ".join(parts)
        return f"{text} = {fmt(value)}" if len(keys) > 2 else text

    def suggest(self, ctx: Context, ident: Identity, left: Number, right: Number) -> str:
        return suggestion(ctx, ident)


def suggestion(ctx: Context, ident: Identity) -> str:
    """The repair solver's best correction that touches this identity, in words.

    Applied, it makes every sum hold (so it removes this finding and raises no other
    sum error).  When no small correction exists, advice without a number.
    """
    cands = [c for c in ctx.corrections if ident.cell_set & {ch.cell for ch in c.changes}]
    if not cands:
        return "核对这些栏目的数字，使两边相等（改动少量单元格无法使所有勾稽关系同时成立）。"
    best = cands[0]
    steps = "，".join(
        f"将“{ctx.name(ch.cell)}”由 {fmt(ch.old)} 改为 {fmt(ch.new)}" for ch in best.changes
    )
    n = len(best.changes)
    text = f"{steps}（改动这 {n} 处后，所有勾稽关系和合计均成立）"
    others = [c for c in cands[1:] if c.key() == best.key()]
    if others:
        text += f"；另有 {len(others)} 种同样少的改法，运行 xxgk fix 查看"
    return text + "。"


class Balance(_SumRule):
    """勾稽关系不成立：本年新收 + 上年结转 ≠ 办理结果总计 + 结转下年度。

    第三部分表格左上角印明：“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加
    第四项之和”。七列（自然人、五类法人或其他组织、总计）逐列核对。

    例：自然人列 本年新收 0 + 上年结转 0 ≠ 办理结果总计 1 + 结转下年度 0。
    修改：核对收到的申请数和办理结果，使两边相等。
    """

    code = "SUM-001"
    severity = Severity.ERROR
    title = "勾稽关系不成立"


class ResultsTotal(_SumRule):
    """（七）总计不等于各项办理结果之和。

    第三部分“三、本年度办理结果”的（七）总计应等于（一）至（六）各项（含其下各小项）
    之和。每列分别核对。

    例：自然人列（七）总计 5，而（一）予以公开 3 + （四）1 本机关不掌握 1 = 4。
    """

    code = "SUM-002"
    severity = Severity.ERROR
    title = "办理结果总计不符"
    list_zero = False


class RowTotal(_SumRule):
    """第三部分某行的“总计”不等于六类申请人之和。

    每一行的总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。
    """

    code = "SUM-003"
    severity = Severity.ERROR
    title = "行总计不符"
    by_left = "col"
    by_right = "col"


class CaseTotal(_SumRule):
    """第四部分某类案件的“总计”不等于结果维持 + 结果纠正 + 其他结果 + 尚未审结。

    行政复议、未经复议直接起诉、复议后起诉三组分别核对。

    例：行政复议 结果维持 10、结果纠正 1，总计却填 0。修改：总计填 11。
    """

    code = "SUM-004"
    severity = Severity.ERROR
    title = "案件总计不符"
    by_left = "col"
    by_right = "col"


RULES = (Balance, ResultsTotal, RowTotal, CaseTotal)
