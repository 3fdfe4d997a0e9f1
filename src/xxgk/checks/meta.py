"""Rules on what the report says about itself: agency, year, date."""

from __future__ import annotations

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
        if missing:
            yield self.finding(
                ctx,
                f"报告中未找到{'、'.join(missing)}。",
                suggestion="在标题中写明机关名称和年度，在落款写明机关和成文日期。",
            )


def deadline(year: int, agency: str | None) -> tuple[date, str]:
    """The statutory publication deadline (条例第四十九条) and who it applies to."""
    if agency and _is_government(agency):
        return date(year + 1, 3, 31), "县级以上地方人民政府的年度报告"
    return date(year + 1, 1, 31), "政府部门和乡镇（街道）的年度报告"


def _is_government(agency: str) -> bool:
    name = agency.removesuffix("人民政府").removesuffix("政府")
    if name != agency:
        return not name.endswith(("乡", "镇", "街道", "办事处"))
    return name.endswith(
        ("省", "市", "县", "区", "州", "盟", "旗", "自治区")
    ) and not name.endswith(("新区管委会",))


class LatePublication(Rule):
    """报告发布晚于法定时限。

    条例第四十九条：县级以上人民政府部门应当在每年1月31日前公布本部门上一年度的年度
    报告；县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前公布本级
    政府上一年度的年度报告。乡镇、街道按部门时限（1月31日）计。

    例：2023 年度部门报告于 2024-02-05 发布。只在年度取自标题或统计期限时判断；
    年度只能从正文推测时不作此项判断。
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
                f"{r.year}年度报告发布日期为{published.isoformat()}，晚于法定时限"
                f"{limit.isoformat()}（{who}）{days}天。",
                suggestion=f"{who}应在{limit.month}月{limit.day}日前发布。",
            )


RULES = (MetaMissing, LatePublication)
