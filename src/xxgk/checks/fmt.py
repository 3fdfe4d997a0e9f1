"""Format rules: version, sections, rows and headings."""

from __future__ import annotations

from collections.abc import Iterator

from ..format import NUMERALS, REPORT_TITLE, SECTIONS, VERSIONS
from ..model import Finding, Report, Severity
from .base import Context, Rule


class FormatVersion(Rule):
    """报告格式版本与年度不符，或混用了两版格式。

    2021 年及以后年度的报告应使用国办公开办函〔2021〕30号印发的格式（第二部分为
    “本年制发件数/本年废止件数/现行有效件数”等）；2019、2020 年度报告使用
    〔2019〕60号试行格式（“本年新制作数量”“政府集中采购”等）。同一份报告里出现
    两版格式各自独有的表头，也属此类。

    例：2023 年度报告第二部分仍为“本年新制作数量、本年新公开数量、对外公开总数量”。
    修改：按 2021 年格式重新填报第二、三部分表格。
    """

    code = "FMT-001"
    severity = Severity.ERROR
    title = "格式版本错误或混用"

    def check(self, ctx: Context) -> Iterator[Finding]:
        r = ctx.report
        if len(r.signals) > 1:
            parts = "；".join(
                f"{VERSIONS[k].document}格式：{'、'.join(v)}" for k, v in sorted(r.signals.items())
            )
            yield self.finding(
                ctx,
                f"报告混用了两版年度报告格式（{parts}）。",
                suggestion="统一按国办公开办函〔2021〕30号格式填报全部表格。",
            )
            return
        if r.format is None or r.year is None:
            return
        if r.format == "2019" and r.year >= 2021:
            yield self.finding(
                ctx,
                f"{r.year}年度报告使用了已废止的2019年试行格式（国办公开办函〔2019〕60号），"
                "应使用国办公开办函〔2021〕30号格式。",
                suggestion="按2021年格式重新填报：第二部分改为本年制发件数、本年废止件数、"
                "现行有效件数等，删去政府集中采购，第三部分（六）其他处理拆分为三项。",
            )
        elif r.format == "2021" and r.year <= 2020:
            yield self.finding(
                ctx,
                f"{r.year}年度报告使用了2021年格式，而该年度应使用2019年试行格式。",
            )


class Sections(Rule):
    """六个部分缺失或顺序错误。

    条例第五十条和年报格式规定年度报告由六部分组成，依次为：一、总体情况；
    二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开
    行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。
    标题按编号和关键词识别，措辞略有不同也可。

    例：报告没有“六、其他需要报告的事项”。修改：补上该部分（无事项时写“无”）。
    """

    code = "FMT-002"
    severity = Severity.ERROR
    title = "部分缺失或顺序错误"

    def check(self, ctx: Context) -> Iterator[Finding]:
        heads = ctx.report.headings
        got = {h.number for h in heads}
        missing = [s for s in SECTIONS if s.number not in got]
        if missing:
            names = "、".join(s.heading for s in missing)
            yield self.finding(
                ctx,
                f"未找到以下部分：{names}。",
                suggestion="按年报格式补齐六个部分，没有内容的部分写明“无”。",
            )
        ordered = sorted(heads, key=lambda h: h.order)
        numbers = [h.number for h in ordered]
        if numbers != sorted(numbers):
            h = next(h for i, h in enumerate(ordered) if i and h.number < ordered[i - 1].number)
            yield self.finding(
                ctx,
                f"各部分顺序错误：“{h.text}”出现在后面的部分之后（顺序为"
                f"{'、'.join(NUMERALS[n - 1] for n in numbers)}）。",
                suggestion="按一至六的顺序排列各部分。",
                page=h.page,
                line=h.line,
                paragraph=h.paragraph,
            )


class MissingTable(Rule):
    """未找到法定表格或其中的行。

    第二、三、四部分的表格及其各行是年报格式的固定内容。找不到某个表格或某一行时，
    对应单元格在解析结果中为空（null），不会当作 0 处理。

    例：第三部分表格缺少“（四）无法提供”下的三行。修改：按格式补齐各行并填数（无则填 0）。
    """

    code = "FMT-003"
    severity = Severity.WARNING
    title = "表格或行缺失"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for a in ctx.report.anomalies:
            if a.kind == "missing_table":
                yield self.finding(
                    ctx,
                    f"未找到“{a.title}”表格。",
                    a.cells[:1],
                    suggestion="按年报格式补上该表格。",
                )
            elif a.kind == "missing_row":
                yield self.finding(
                    ctx,
                    f"表格中未找到“{a.label}”一行。",
                    a.cells,
                    suggestion="按年报格式补上该行，没有数据填 0。",
                )


class ForeignRow(Rule):
    """表格中有另一版格式的行，或格式之外的行、列。

    例：2021 年格式的第三部分只印了一行“（六）其他处理”（2019 年试行格式的写法），
    没有拆分为“1.申请人无正当理由逾期不补正…”“2.申请人逾期未按收费通知要求缴纳费用…”
    “3.其他”三行；第二部分加了格式没有的“其他主动公开文件”行；或第三部分加了格式没有的
    “法人或其他组织小计”列。格式之外的行，其数字不计入任何单元格。
    修改：按 2021 年格式的行列填报。
    """

    code = "FMT-005"
    severity = Severity.WARNING
    title = "行或列不属于本版格式"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for a in ctx.report.anomalies:
            if a.kind == "extra_row":
                yield self.finding(
                    ctx,
                    f"表格中的“{a.raw}”行不属于{ctx.version.document}格式。",
                    a.cells,
                    suggestion="按本版格式的行填报"
                    + ("：（六）其他处理应拆分为三行。" if a.row == "other" else "。"),
                    page=a.page,
                    line=a.line,
                )
            elif a.kind == "unknown_row":
                yield self.finding(
                    ctx,
                    f"表格中有格式之外的一行“{_short(a.raw or '')}”（数值：{a.values}），"
                    "未计入任何单元格。",
                    a.cells,
                    suggestion="删去该行，或把其中的数字填入格式规定的行。",
                    page=a.page,
                    line=a.line,
                )
            elif a.kind == "extra_column":
                yield self.finding(
                    ctx,
                    f"第三部分表格有格式之外的“{a.name}”列，已忽略该列。",
                    a.cells,
                    suggestion="删去该列：格式只有自然人、五类法人或其他组织和总计七列。",
                )


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


class HeadingForm(Rule):
    """部分标题不是标准写法。

    各部分标题应为“一、总体情况”这样的中文数字加顿号，编号与部分一致。
    例：“1、 总体情况”“2、主动公开政府信息情况”。修改：改为“一、总体情况”“二、主动公开政府信息情况”。
    """

    code = "FMT-010"
    severity = Severity.WARNING
    title = "标题写法不规范"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for h in ctx.report.headings:
            if h.standard:
                continue
            want = SECTIONS[h.number - 1].heading
            yield self.finding(
                ctx,
                f"标题“{h.text}”不是标准写法。",
                suggestion=f"改为“{want}”。",
                page=h.page,
                line=h.line,
                paragraph=h.paragraph,
            )


RULES = (FormatVersion, Sections, MissingTable, ForeignRow, HeadingForm)

NOT_A_REPORT = "不是政府信息公开工作年度报告（没有年报格式的任何部分标题和表格）"


def not_a_report(report: Report) -> str | None:
    """Why a document read as text is no annual report at all, or None when it may be.

    A report cut short, or one with narrative and tables only, still has one of the
    six headings, a table cell or the words of the report title; a document with none
    of them (a notice, a work plan) is not a report, and checking it would only list
    every part and table as missing.
    """
    if report.headings or report.signals:
        return None
    if any(
        v is not None
        for rows in report.tables.values()
        for cols in rows.values()
        for v in cols.values()
    ):
        return None
    flat = "".join((report.title or "").split()) + "".join(report.text[:2000].split())
    if REPORT_TITLE in flat:
        return None
    return NOT_A_REPORT
