"""``/api/v1/indicators``: the supervision figures of the caller's scope for a year
(the library is ``xxgk.supervise``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from ..store import reports
from ..supervise import indicators, stored
from .auth import ApiCaller, Db
from .errors import ERROR_RESPONSES, ApiError

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)


class FigureOut(BaseModel):
    key: str
    label: str = Field(description="指标名称")
    formula: str = Field(description="计算公式")
    value: int | float | None
    numerator: int | float | None
    denominator: int | float | None
    reports: list[str] = Field(description="所依据的报告编号")
    incomplete: list[str] = Field(description="有空白单元格、未计入的报告编号")
    units: list[str] = Field(description="未报送：机关名称")


class RankOut(BaseModel):
    group: str
    value: int | float | None
    requests: int | float | None
    rank: int | None = Field(description="名次；收到申请不足30件或无法计算时为 null")
    reason: str
    reports: list[str]


class IndicatorsOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    year: int
    scope: str | None = Field(description="地区（未给出：您的全部范围）")
    reports: int = Field(description="已报送（已核查）的报告份数")
    expected: int | None
    missing: int | None
    late: int | None
    sum_errors: int | None
    requests_received: int | None = Field(description="Σ 本年新收 总计")
    carried_over: int | None
    carried_forward: int | None
    disclosure_rate: float | None = Field(description="（予以公开+部分公开）÷办理结果总计")
    denied_share: float | None
    unable_share: float | None
    review_correction_rate: float | None = Field(description="结果纠正÷（总计−尚未审结）")
    litigation_correction_rate: float | None
    missing_units: list[str]
    indicators: list[FigureOut]
    trend: list[dict[str, Any]] = Field(
        default_factory=list, description="历年数值（rank 所指指标及收到申请），按年度"
    )
    rankings: dict[str, list[RankOut]] = Field(
        default_factory=dict, description="按地区（region）和级别（level）的排名（rank 所指指标）"
    )


@router.get("/indicators", response_model=IndicatorsOut, summary="监督指标（在您的范围内）")
def get_indicators(
    caller: ApiCaller,
    s: Db,
    year: Annotated[int, Query(ge=2008, le=9999, description="报告年度")],
    scope: Annotated[str | None, Query(max_length=200, description="地区或机关名称")] = None,
    rank: Annotated[
        str | None, Query(max_length=64, description="给出时附上该指标的历年趋势和排名")
    ] = None,
) -> Any:
    mine = reports.scope_of(s, caller.user)
    try:
        ids = stored.within(s, mine, scope)
    except LookupError:
        raise ApiError(404, f"没有名为“{scope}”的地区或机关，或它不在您的管理范围内") from None
    if rank is not None and rank not in indicators.RANKABLE:
        raise ApiError(422, f"指标“{rank}”不能排名，可选：{'、'.join(indicators.RANKABLE)}")
    found = stored.entries(s, mine, ids, None if rank else year)
    figures = indicators.compute(found, year, stored.expected(s, ids))
    out = {**figures.as_dict(), "scope": scope}
    if rank is not None:
        keys = list(dict.fromkeys(["requests_received", rank]))
        out["trend"] = indicators.trend(found, keys)
        out["rankings"] = {
            by: [r.as_dict() for r in indicators.ranking(found, year, rank, by)]
            for by in ("region", "level")
        }
    return out
