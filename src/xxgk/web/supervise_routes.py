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


@router.get("/indicators", response_model=IndicatorsOut, summary="监督指标（在您的范围内）")
def get_indicators(
    caller: ApiCaller,
    s: Db,
    year: Annotated[int, Query(ge=2008, le=9999, description="报告年度")],
    scope: Annotated[str | None, Query(max_length=200, description="地区或机关名称")] = None,
) -> Any:
    mine = reports.scope_of(s, caller.user)
    try:
        ids = stored.within(s, mine, scope)
    except LookupError:
        raise ApiError(404, f"没有名为“{scope}”的地区或机关，或它不在您的管理范围内") from None
    found = stored.entries(s, mine, ids, year)
    figures = indicators.compute(found, year, stored.expected(s, ids))
    return {**figures.as_dict(), "scope": scope}
