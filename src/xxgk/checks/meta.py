"""Rules on what the report says about itself: agency, year, date."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

from ..model import Finding, Severity
from .base import Context, Rule


class MetaMissing(Rule):
    """未能从报告中读出机关名称、报告年度或发布日期。

    年度报告的标题应写明机关名称和年度（如“××市××局2023年政府信息公开工作年度报告”），
    落款写明机关和日期。缺少这些信息，读者无法判断报告归属，也无法核对发布时限。

    修改：补上完整标题和落款日期。
    """

    code = "META-001"
    severity = Severity.WARNING
    title = "缺少机关、年度或日期"

    def check(self, ctx: Context) -> Iterator[Finding]:
        r = ctx.report
        missing = [
            name
            for name, value in (
                ("机关名称", r.agency),
                ("报告年度", r.year),
                ("发布日期", r.published),
            )
            if value is None
        ]
        if missing and r.year_from == "data":  # a YAML/JSON data file: name its fields
            fields = [_FIELDS[name] for name in missing]
            yield self.finding(
                ctx,
                f"数据文件中未填写 {'、'.join(f'{f}（{n}）' for f, n in zip(fields, missing, strict=True))}。",
                suggestion=f"填写 {'、'.join(fields)}"
                + ("，如 published: 2026-01-20" if "published" in fields else "")
                + "。",
                line=r.field_lines.get(fields[0]),
            )
        elif missing:
            yield self.finding(
                ctx,
                f"报告中未找到{'、'.join(missing)}。",
                suggestion="在标题中写明机关名称和年度，在落款写明机关和成文日期。",
            )


_FIELDS = {"机关名称": "agency", "报告年度": "year", "发布日期": "published"}


_GOVERNMENT_DEADLINE = (3, 31)
_DEPARTMENT_DEADLINE = (1, 31)
_GOVERNMENT = "县级以上地方人民政府的年度报告"
_DEPARTMENT = "政府部门和乡镇（街道）的年度报告"

# The last words of a department's (or a public body's) name.
_DEPARTMENT_ENDS = (
    "局", "厅", "委员会", "委", "办公室", "办", "部", "署", "中心", "院", "所", "站", "队",
    "馆", "处", "科", "会", "社", "公司", "集团", "台", "行", "监狱", "学校", "大学", "学院",
)  # fmt: skip
# Bodies that may report as a government or as a department: the name does not tell.
_EITHER = ("管委会", "管理委员会", "工委")
_TOWNSHIP_ENDS = ("乡", "镇", "街道", "街道办事处", "街道办", "办事处")


def agency_kind(agency: str | None) -> str | None:
    """government, department or township as the name tells; None when it does not."""
    if not agency:
        return None
    name = agency.removesuffix("人民政府").removesuffix("政府")
    if name != agency:  # ...人民政府
        if not name:
            return None
        return "township" if name.endswith(_TOWNSHIP_ENDS) else "government"
    if name.endswith(_TOWNSHIP_ENDS):
        return "township"
    if name.endswith(_EITHER):
        return None
    if name.endswith(("省", "市", "县", "区", "州", "盟", "旗", "自治区")):
        return "government"
    if name.endswith(_DEPARTMENT_ENDS):
        return "department"
    return None


def deadline(year: int, agency: str | None) -> tuple[date, str]:
    """The statutory publication deadline (条例第四十九条) and who it applies to.

    An agency whose kind the name does not tell gets the later (government) deadline.
    """
    if agency_kind(agency) in ("department", "township"):
        return date(year + 1, *_DEPARTMENT_DEADLINE), _DEPARTMENT
    return date(year + 1, *_GOVERNMENT_DEADLINE), _GOVERNMENT


class LatePublication(Rule):
    """报告发布晚于法定时限。

    条例第四十九条：县级以上人民政府部门应当在每年1月31日前公布本部门上一年度的年度
    报告；县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前公布本级
    政府上一年度的年度报告。乡镇、街道按部门时限（1月31日）计。

    例：2023 年度部门报告于 2024-02-05 发布。只在年度取自标题或统计期限时判断；
    年度只能从正文推测时不作此项判断。

    机关类别从机关名称判断（“××局”“××委员会”是部门，“××县人民政府”是政府，
    “××镇”“××街道办事处”是乡镇、街道）。名称看不出类别的（未写机关名称，或是
    管委会、开发区等），晚于 3 月 31 日才算逾期（错误）；在 1 月 31 日之后、3 月 31 日
    之前发布的，只提示（警告）：如按部门时限计则已逾期，请核对本机关适用的时限。
    """

    code = "DATE-001"
    severity = Severity.ERROR
    title = "逾期发布"

    def check(self, ctx: Context) -> Iterator[Finding]:
        r = ctx.report
        if r.year is None or r.published is None or r.year_from == "text":
            return  # a year guessed from the text is no ground for an error
        try:
            published = date.fromisoformat(r.published)
        except ValueError:
            return
        limit, who = deadline(r.year, r.agency)
        if published > limit:
            days = (published - limit).days
            yield self.finding(
                ctx,
                f"{r.year}年度报告于{_cn(published)}发布；{who}应于{_cn(limit)}前发布，"
                f"逾期{days}天。",
                suggestion=f"{who}应在{limit.month}月{limit.day}日前发布。",
                line=r.field_lines.get("published"),
            )
            return
        early = date(r.year + 1, *_DEPARTMENT_DEADLINE)
        if agency_kind(r.agency) is None and published > early:
            days = (published - early).days
            named = f"从机关名称“{r.agency}”" if r.agency else "报告未写明机关名称，"
            finding = self.finding(
                ctx,
                f"{r.year}年度报告发布日期为{published.isoformat()}。{named}无法判断是政府"
                f"还是政府部门：如是县级以上地方人民政府，未超过时限{limit.isoformat()}；"
                f"如是政府部门或乡镇（街道），已晚于时限{early.isoformat()} {days}天。",
                suggestion="核对本机关适用的时限：政府部门和乡镇（街道）应在1月31日前发布，"
                "县级以上地方人民政府应在3月31日前发布。",
                line=r.field_lines.get("published"),
            )
            yield dataclasses.replace(finding, severity=Severity.WARNING)


def _cn(day: date) -> str:
    """2026年1月31日"""
    return f"{day.year}年{day.month}月{day.day}日"


FIRST_YEAR = 2008  # 条例 took effect on 2008-05-01: the first annual reports are for 2008


def year_problem(year: int, today: date | None = None) -> str | None:
    """Why ``year`` cannot be the year of an annual report, or None when it can."""
    today = today or date.today()
    if year < FIRST_YEAR:
        return f"{year}年早于政府信息公开条例施行（2008年），不可能有该年度的年度报告"
    if year > today.year:
        return f"{year}年度尚未开始或尚未结束（今天是{today.isoformat()}）"
    return None


class ImplausibleYear(Rule):
    """报告年度不可能：早于 2008 年，或是今年以后的年度。

    政府信息公开条例 2008 年 5 月 1 日起施行，年度报告从 2008 年度开始；一个年度结束之后
    才能报告该年度。年度写错（如 2052、2205、或只写了两位数 25）会使格式版本、发布时限
    和跨年核对全部算错。

    例：标题写“2052年政府信息公开工作年度报告”。修改：改为正确的年度（如 2025）。
    """

    code = "META-002"
    severity = Severity.ERROR
    title = "报告年度不合理"

    def check(self, ctx: Context) -> Iterator[Finding]:
        r = ctx.report
        if r.year is None:
            return
        why = year_problem(r.year)
        if why is not None:
            yield self.finding(
                ctx,
                f"报告年度为{r.year}年：{why}。",
                suggestion="核对并改正报告年度。",
                line=r.field_lines.get("year"),
            )


class EarlyPublication(Rule):
    """发布日期早于报告年度结束。

    年度报告报告的是一整年的工作，只能在该年度结束之后（次年 1 月 1 日起）发布。
    发布日期在年度之内，通常是年度或日期写错（如 2024 年度报告落款“2024年1月20日”，
    应为 2025 年）。

    例：2024 年度报告落款日期为 2024-01-20。修改：改正落款日期或报告年度。
    """

    code = "DATE-002"
    severity = Severity.ERROR
    title = "发布日期早于年度结束"

    def check(self, ctx: Context) -> Iterator[Finding]:
        r = ctx.report
        if r.year is None or r.published is None or r.year_from == "text":
            return
        try:
            published = date.fromisoformat(r.published)
        except ValueError:
            return
        if published <= date(r.year, 12, 31):
            yield self.finding(
                ctx,
                f"{r.year}年度报告的发布日期为{published.isoformat()}，早于该年度结束"
                f"（{r.year}-12-31），年度或日期有误。",
                suggestion=f"年度报告应在{r.year + 1}年发布：核对落款日期和报告年度。",
                line=r.field_lines.get("published"),
            )


RULES = (MetaMissing, LatePublication, ImplausibleYear, EarlyPublication)
