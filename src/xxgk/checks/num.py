"""Rules on single cells: valid numbers, blanks, rows of the wrong length."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import ClassVar

from ..anomalies import Blank
from ..model import Finding, Severity
from .base import Context, Rule, fmt


def _place(ctx: Context, key: str) -> str:
    """A cell in quotes as the report prints it: “第三部分 （三）不予公开 1.属于国家秘密 · 自然人”."""
    return f"“{ctx.name(key)}”"


def _row_place(ctx: Context, key: str) -> str:
    """A row in quotes as the report prints it: “第三部分 （一）予以公开”行."""
    t, r, _ = key.split(".")
    try:
        table = ctx.version.table(t)
        return f"“{table.part} {table.row(r).display}”行"
    except KeyError:
        return key


class BadNumber(Rule):
    """单元格的值不是该栏目允许的数。

    件数、决定数量、案件数应为不小于 0 的整数；收费金额是不小于 0 的数（单位万元）；
    只有 2019 年试行格式的“本年增/减”可以为负数。单元格里写了文字、小数件数或负数的，
    都属此类。数据录入文件（YAML/JSON）里的值同样核对：``decisions: -5`` 也是此项错误，
    有错误时 ``xxgk render`` 不生成报告（除非加 --force）。

    例：“行政许可”本年处理决定数量填“12.5”或“若干”。修改：填写准确的整数。
    """

    code = "NUM-001"
    severity = Severity.ERROR
    title = "数值无效"

    _why: ClassVar[dict[str, str]] = {
        "text": "不是数字",
        "decimal": "件数不能是小数",
        "negative": "不能是负数",
    }

    def check(self, ctx: Context) -> Iterator[Finding]:
        for a in ctx.report.anomalies:
            if a.kind != "bad_value":
                continue
            key = a.cells[0]
            yield self.finding(
                ctx,
                f"{_place(ctx, key)}的值“{a.raw}”{self._why.get(a.problem, '无效')}。",
                a.cells,
                suggestion="填写不小于 0 的整数（收费金额可为小数，单位万元）。",
                page=a.page,
                line=a.line,
            )


class BlankCell(Rule):
    """单元格空白，或填了“/”“-”“—”“无”。

    年报表格每个单元格都应填数，没有发生的填 0。空白或“/”无法区分“没有”和“漏填”，
    xxgk 把这些单元格记为空（null），不当作 0，也不参与合计核对。同一行的空白单元格
    合并为一条提示。

    例：第三部分各行均填“/”。修改：没有申请的填 0。
    """

    code = "NUM-002"
    severity = Severity.WARNING
    title = "单元格空白或填“/”"

    def check(self, ctx: Context) -> Iterator[Finding]:
        blanks = [a for a in ctx.report.anomalies if a.kind == "blank"]
        for table, in_table in groupby(blanks, key=lambda a: a.cells[0].split(".")[0]):
            tab = list(in_table)
            rows = {a.cells[0].rsplit(".", 1)[0] for a in tab}
            if len(rows) > 3:
                yield self._table_wide(ctx, table, tab)
            else:
                yield from self._by_row(ctx, tab)

    def _table_wide(self, ctx: Context, table: str, items: list[Blank]) -> Finding:
        cells = [c for a in items for c in a.cells]
        cols: list[str] = []
        for key in cells:
            t, r, c = key.split(".")
            label = ctx.version.table(t).row(r).column(c).label
            if label not in cols:
                cols.append(label)
        rows = len({k.rsplit(".", 1)[0] for k in cells})
        marks = "、".join(sorted({f"“{a.raw}”" if a.raw else "空白" for a in items}))
        part = {"t2": "第二部分", "t3": "第三部分", "t4": "第四部分"}.get(table, table)
        return self.finding(
            ctx,
            f"{part}表格有 {len(cells)} 个单元格为{marks}（{rows} 行，涉及"
            f"{'、'.join(f'“{c}”' for c in cols[:7])}列），未填数字。",
            cells,
            suggestion="没有发生的事项填 0。",
            page=items[0].page,
            line=items[0].line,
        )

    def _by_row(self, ctx: Context, blanks: list[Blank]) -> Iterator[Finding]:
        for _, group in groupby(blanks, key=lambda a: a.cells[0].rsplit(".", 1)[0]):
            items: list[Blank] = list(group)
            cells = [c for a in items for c in a.cells]
            raws = sorted({a.raw or "空白" for a in items})
            marks = "、".join(f"“{r}”" if r != "空白" else "空白" for r in raws)
            if len(cells) == 1:
                what = _place(ctx, cells[0])
            else:
                what = f"{_row_place(ctx, cells[0])}{len(cells)}个单元格"
            yield self.finding(
                ctx,
                f"{what}为{marks}，未填数字。",
                cells,
                suggestion="没有发生的事项填 0。",
                page=items[0].page,
                line=items[0].line,
            )


class RowShape(Rule):
    """表格某一行的数值个数与栏目数不符（有值丢失或错位）。

    例：第三部分“（一）予以公开”行只有 6 个数，而表格有 7 列。此时无法判断丢的是哪一列，
    xxgk 不作猜测：该行各单元格记为空（null）。只有当叙述部分写明了这些数字各属哪一列、
    且只有一种放法相符时（如“制发规范性文件34件”，而该行只印了 34），才按叙述放入，
    其余列仍为空。修改：核对原表，补齐该行每一列。
    """

    code = "NUM-004"
    severity = Severity.ERROR
    title = "一行的数值个数不对"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for a in ctx.report.anomalies:
            if a.kind == "placed":
                yield self.finding(
                    ctx,
                    f"“{a.label}”行有 {a.got} 个数值，应为 {a.want} 个（{a.raw}）；按叙述中的数字，"
                    f"记为{a.placed}，其余列为空。",
                    a.cells,
                    suggestion="核对原表，逐列补齐该行的数值。",
                    page=a.page,
                    line=a.line,
                )
                continue
            if a.kind != "row_shape":
                continue
            yield self.finding(
                ctx,
                f"“{a.label}”行有 {a.got} 个数值，应为 {a.want} 个（{a.raw or '无'}）；无法判断缺失或多出的是哪一列。",
                a.cells,
                suggestion="核对原表，逐列补齐该行的数值。",
                page=a.page,
                line=a.line,
            )


class GluedSplit(Rule):
    """数字粘连在一起（如网页抓取丢了单元格分隔），已按表格自身的算术关系拆分。

    例：“（一）予以公开220000022”可以读作 22,0,0,0,0,0,22，也可以读作 2,20,0,0,0,0,22。
    xxgk 列出所有拆法，只保留满足“各列之和等于总计”、勾稽关系和正文所述数字的那一种，
    并在此说明拆分结果，便于人工复核。
    """

    code = "NUM-005"
    severity = Severity.INFO
    title = "粘连数字已拆分"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for a in ctx.report.anomalies:
            if a.kind != "split":
                continue
            yield self.finding(
                ctx,
                f"{_row_name(ctx, a.cells[0])}的数字粘连为“{a.raw}”，按表格算术关系唯一拆分为 {a.values}。",
                a.cells,
                page=a.page,
                line=a.line,
            )


class GluedAmbiguous(Rule):
    """数字粘连在一起，且有多种拆法都说得通，无法确定各单元格的值。

    xxgk 不作猜测：所有拆法都一致的单元格照填，其余记为空（null），并列出候选拆法。
    例：2019 年格式“规范性文件898989”可拆为 8,9,8989、89,89,89 等十种。
    修改：对照原表核实，或重新发布分隔清楚的表格。
    """

    code = "NUM-006"
    severity = Severity.WARNING
    title = "粘连数字无法唯一拆分"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for a in ctx.report.anomalies:
            if a.kind != "ambiguous":
                continue
            yield self.finding(
                ctx,
                f"{_row_name(ctx, a.cells[0])}的数字粘连为“{a.raw}”，有多种拆法（{a.candidates}），"
                "无法确定的单元格记为空。",
                a.cells,
                suggestion="对照原始表格核实这些单元格。",
                page=a.page,
                line=a.line,
            )


def _row_name(ctx: Context, key: str) -> str:
    return "第四部分表格" if key.startswith("t4.") else _row_place(ctx, key)


class TypedNumber(Rule):
    """数据录入文件里的数字用了全角数字或千位分隔符，已按数值读取。

    办公室里常这样录入：“１０”（全角数字）、“1,200”（千位分隔符）。xxgk 照常读取，
    并逐项列出读成了多少，便于核对；生成的报告按规范写法印出（10、1200）。

    例：``natural: １０`` 读作 10。无需修改；想消除提示，改为半角数字。
    """

    code = "NUM-007"
    severity = Severity.INFO
    title = "全角数字或千位分隔符已读取"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for a in ctx.report.anomalies:
            if a.kind != "normalized":
                continue
            yield self.finding(
                ctx,
                f"“{ctx.name(a.cells[0])}”填写为“{a.raw}”，已读作 {fmt(a.value)}。",
                a.cells,
                suggestion="如读法无误，无需修改；也可改为半角数字、不加分隔符。",
                page=a.page,
                line=a.line,
            )


RULES = (BadNumber, BlankCell, RowShape, GluedSplit, GluedAmbiguous, TypedNumber)
