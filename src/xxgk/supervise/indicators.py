"""Indicators over a set of reports for one year: reports filed / expected / missing /
late, requests received, 实质公开率, shares of 不予公开 and 无法提供, the correction rates
of 行政复议 and 行政诉讼, carry-over and reports with 勾稽 errors; rankings by unit,
region and level; trends over years.

Every indicator is declared once in ``INDICATORS``: its Chinese label, its formula as
printed for a reader, and the cells it sums.  A rate is a fraction (0.8, not 80), pooled
over the reports (Σ numerator ÷ Σ denominator), and ``None`` where the denominator is 0;
a report with a blank cell among an indicator's cells is left out of that indicator and
listed as ``incomplete`` (for one report the rate is then ``None``).  Each figure names
the reports it rests on.  Units with fewer than ``MIN_REQUESTS`` requests are not ranked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from ..checks.meta import deadline
from ..format import T3_GROUPS, VERSIONS
from ..model import Finding, Number, Report, Severity

MIN_REQUESTS = 30  # units that received fewer requests are not ranked

_T3 = VERSIONS["2021"].table("t3")
_DENIED = tuple(f"t3.{r.key}.total" for r in _T3.rows if r.group == T3_GROUPS[1])
_UNABLE = tuple(f"t3.{r.key}.total" for r in _T3.rows if r.group == T3_GROUPS[2])
_RESULTS = ("t3.results_total.total",)
_LITIGATION = ("lit_direct", "lit_after_review")

Kind = Literal["count", "rate", "reports"]


@dataclass(frozen=True)
class Indicator:
    """One indicator as data.  ``numerator`` cells are summed; a rate divides by the sum
    of ``denominator`` less the sum of ``minus``.  A ``reports`` indicator counts reports
    (filed, late, with 勾稽 errors) and has no cells."""

    key: str
    label: str
    formula: str
    kind: Kind
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()

    @property
    def cells(self) -> tuple[str, ...]:
        return self.numerator + self.denominator + self.minus


INDICATORS: tuple[Indicator, ...] = (
    Indicator("reports", "已报送报告", "本年度已报送（已核查）的报告份数", "reports"),
    Indicator("expected", "应报送报告", "范围内应报送年度报告的机关数", "reports"),
    Indicator("missing", "未报送报告", "应报送 − 已报送的机关", "reports"),
    Indicator("late", "逾期发布", "发布日期晚于法定时限（部门、乡镇1月31日，政府3月31日）", "reports"),
    Indicator("sum_errors", "勾稽错误报告", "有勾稽关系错误（SUM-001…SUM-004）的报告份数", "reports"),
    Indicator(
        "requests_received", "收到申请", "Σ 本年新收政府信息公开申请数量（总计）", "count",
        numerator=("t3.new.total",),
    ),
    Indicator(
        "carried_over", "上年结转", "Σ 上年结转政府信息公开申请数量（总计）", "count",
        numerator=("t3.carried_over.total",),
    ),
    Indicator(
        "carried_forward", "结转下年度", "Σ 结转下年度继续办理（总计）", "count",
        numerator=("t3.carried_forward.total",),
    ),
    Indicator(
        "disclosure_rate", "实质公开率", "（予以公开 + 部分公开）÷ 办理结果总计", "rate",
        numerator=("t3.granted.total", "t3.partial.total"), denominator=_RESULTS,
    ),
    Indicator(
        "denied_share", "不予公开占比", "不予公开（8项之和）÷ 办理结果总计", "rate",
        numerator=_DENIED, denominator=_RESULTS,
    ),
    Indicator(
        "unable_share", "无法提供占比", "无法提供（3项之和）÷ 办理结果总计", "rate",
        numerator=_UNABLE, denominator=_RESULTS,
    ),
    Indicator(
        "review_correction_rate", "行政复议纠错率", "结果纠正 ÷（总计 − 尚未审结）", "rate",
        numerator=("t4.review.corrected",), denominator=("t4.review.total",),
        minus=("t4.review.pending",),
    ),
    Indicator(
        "litigation_correction_rate", "行政诉讼纠错率",
        "结果纠正 ÷（总计 − 尚未审结），未经复议直接起诉与复议后起诉合计", "rate",
        numerator=tuple(f"t4.{g}.corrected" for g in _LITIGATION),
        denominator=tuple(f"t4.{g}.total" for g in _LITIGATION),
        minus=tuple(f"t4.{g}.pending" for g in _LITIGATION),
    ),
)  # fmt: skip
BY_KEY = {i.key: i for i in INDICATORS}
RANKABLE = tuple(i.key for i in INDICATORS if i.kind != "reports")


@dataclass
class Entry:
    """One report as the indicators read it: its unit, where the unit sits (region and
    level, from the agency tree when the caller has one) and what it says."""

    ref: str  # what a page links to: the stored report's id, or the file
    agency: str | None  # the unit (the agency it is filed under, else as printed)
    year: int | None
    tables: Mapping[str, Mapping[str, Mapping[str, Number | None]]]
    published: str | None = None
    year_from: str | None = None
    named: str | None = None  # the agency as the report prints it (for the deadline)
    sum_errors: bool = False
    region: str | None = None
    level: str | None = None

    def value(self, key: str) -> Number | None:
        t, r, c = key.split(".")
        return self.tables.get(t, {}).get(r, {}).get(c)

    @classmethod
    def of_report(
        cls,
        report: Report,
        findings: Iterable[Finding] | None = None,
        ref: str | None = None,
        **where: Any,
    ) -> Entry:
        """An entry from a Report (the SUM rules are run when no findings are given)."""
        if findings is None:
            from ..checks import RULES, run

            findings = run(report, only=[r.code for r in RULES if r.code.startswith("SUM-")])
        return cls(
            ref=ref or report.source,
            agency=where.pop("agency", None) or report.agency,
            year=report.year,
            tables=report.tables,
            published=report.published,
            year_from=report.year_from,
            named=report.agency,
            sum_errors=any(_sum_error(f.code, f.severity.value) for f in findings),
            **where,
        )

    @classmethod
    def of_contract(cls, data: Mapping[str, Any], ref: str | None = None, **where: Any) -> Entry:
        """An entry from stored JSON: ``CheckResult.contract_dict()`` (what the store
        keeps for a checked report) or a parse object alone."""
        report = data.get("report", data)
        findings = data.get("findings") or []
        return cls(
            ref=ref or str(report.get("source") or ""),
            agency=where.pop("agency", None) or report.get("agency"),
            year=report.get("year") if isinstance(report.get("year"), int) else None,
            tables=report.get("tables") or {},
            published=report.get("published"),
            year_from=report.get("year_from"),
            named=report.get("agency"),
            sum_errors=any(
                _sum_error(str(f.get("code", "")), str(f.get("severity", ""))) for f in findings
            ),
            **where,
        )


def _sum_error(code: str, severity: str) -> bool:
    return code.startswith("SUM-") and severity == Severity.ERROR.value


def late(entry: Entry) -> bool | None:
    """Published after the statutory deadline, as DATE-001 judges it; None when it cannot
    be told (no year or date, or a year guessed from the text)."""
    if entry.year is None or entry.published is None or entry.year_from == "text":
        return None
    try:
        published = date.fromisoformat(entry.published)
    except ValueError:
        return None
    limit, _ = deadline(entry.year, entry.named or entry.agency)
    return published > limit


@dataclass
class Figure:
    """One indicator's value, with what it was computed from."""

    key: str
    label: str
    formula: str
    value: Number | None
    numerator: Number | None = None
    denominator: Number | None = None
    reports: list[str] = field(default_factory=list)  # the reports it rests on
    incomplete: list[str] = field(default_factory=list)  # left out: a blank cell
    units: list[str] = field(default_factory=list)  # for missing: the agencies

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "formula": self.formula,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "reports": list(self.reports),
            "incomplete": list(self.incomplete),
            "units": list(self.units),
        }


def _unit(e: Entry) -> str:
    return e.agency or e.ref


def of_year(entries: Iterable[Entry], year: int | None) -> list[Entry]:
    """The entries of ``year`` (all when None), one per unit: the last one given."""
    latest: dict[str, Entry] = {}
    for e in entries:
        if year is None or e.year == year:
            latest[_unit(e)] = e
    return list(latest.values())


def _cells(ind: Indicator, entries: Sequence[Entry]) -> Figure:
    fig = Figure(ind.key, ind.label, ind.formula, None)
    num: Number = 0
    den: Number = 0
    for e in entries:
        values = [e.value(k) for k in ind.cells]
        if any(v is None or isinstance(v, bool) for v in values):
            fig.incomplete.append(e.ref)
            continue
        fig.reports.append(e.ref)
        num += sum(e.value(k) or 0 for k in ind.numerator)
        den += sum(e.value(k) or 0 for k in ind.denominator)
        den -= sum(e.value(k) or 0 for k in ind.minus)
    if not fig.reports:
        return fig
    fig.numerator = num
    if ind.kind == "count":
        fig.value = num
    else:
        fig.denominator = den
        fig.value = num / den if den > 0 else None
    return fig


def figure(key: str, entries: Sequence[Entry], expected: Iterable[str] | None = None) -> Figure:
    """One indicator over ``entries`` (already one per unit, as ``of_year`` gives)."""
    ind = BY_KEY[key]
    if ind.kind != "reports":
        return _cells(ind, entries)
    fig = Figure(ind.key, ind.label, ind.formula, None)
    wanted = sorted(set(expected)) if expected is not None else None
    if key == "reports":
        fig.reports = [e.ref for e in entries]
        fig.value = len(entries)
    elif key == "expected":
        fig.value = len(wanted) if wanted is not None else None
        fig.units = wanted or []
    elif key == "missing":
        filed = {_unit(e) for e in entries}
        fig.units = [u for u in wanted if u not in filed] if wanted is not None else []
        fig.value = len(fig.units) if wanted is not None else None
    elif key == "late":
        judged = [(e, late(e)) for e in entries]
        fig.reports = [e.ref for e, is_late in judged if is_late]
        fig.incomplete = [e.ref for e, is_late in judged if is_late is None]
        fig.value = len(fig.reports)
    elif key == "sum_errors":
        fig.reports = [e.ref for e in entries if e.sum_errors]
        fig.value = len(fig.reports)
    return fig


@dataclass
class Indicators:
    """Every indicator for one year over one set of reports."""

    year: int | None
    figures: dict[str, Figure]

    def value(self, key: str) -> Number | None:
        return self.figures[key].value

    def as_dict(self) -> dict[str, Any]:
        """What ``GET /api/v1/indicators`` answers: each value by key, and each figure
        with its formula and reports under ``indicators``."""
        out: dict[str, Any] = {"year": self.year}
        out.update({k: f.value for k, f in self.figures.items()})
        out["missing_units"] = list(self.figures["missing"].units)
        out["indicators"] = [f.as_dict() for f in self.figures.values()]
        return out


def compute(
    entries: Iterable[Entry], year: int | None, expected: Iterable[str] | None = None
) -> Indicators:
    """Every indicator of ``year`` over ``entries`` (one per unit, the last given wins);
    ``expected`` names the units that should have filed (missing = expected − filed)."""
    mine = of_year(entries, year)
    wanted = list(expected) if expected is not None else None
    return Indicators(year, {i.key: figure(i.key, mine, wanted) for i in INDICATORS})


# ---------------------------------------------------------------- rankings, trends


@dataclass
class Rank:
    """One row of a ranking: a unit, region or level with its value and requests;
    ``rank`` is None for a group not ranked (``reason`` says why)."""

    group: str
    value: Number | None
    requests: Number | None
    rank: int | None
    reason: str = ""
    reports: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "value": self.value,
            "requests": self.requests,
            "rank": self.rank,
            "reason": self.reason,
            "reports": list(self.reports),
        }


By = Literal["agency", "region", "level"]


def _group_of(e: Entry, by: By) -> str:
    if by == "agency":
        return _unit(e)
    got = e.region if by == "region" else e.level
    return got or "（未知）"


def ranking(
    entries: Iterable[Entry],
    year: int | None,
    key: str,
    by: By = "agency",
    minimum: int = MIN_REQUESTS,
    descending: bool = True,
) -> list[Rank]:
    """Units (or regions, or levels) by one indicator, highest first (``descending``);
    a group that received fewer than ``minimum`` requests, or whose value cannot be
    computed, is listed after the ranked ones without a rank.  Equal values share a
    rank (1, 2, 2, 4)."""
    if BY_KEY[key].kind == "reports":
        raise ValueError(f"{key} counts reports and is not ranked")
    groups: dict[str, list[Entry]] = {}
    for e in of_year(entries, year):
        groups.setdefault(_group_of(e, by), []).append(e)
    rows: list[Rank] = []
    for name, members in groups.items():
        fig = figure(key, members)
        asked = figure("requests_received", members).value
        reason = ""
        if asked is None or asked < minimum:
            reason = f"收到申请不足{minimum}件，不排名"
        elif fig.value is None:
            reason = "无法计算（分母为0或有空白单元格）"
        rows.append(Rank(name, fig.value, asked, None, reason, fig.reports))
    ranked = [r for r in rows if not r.reason]
    ranked.sort(key=lambda r: (-(r.value or 0) if descending else (r.value or 0), r.group))
    previous: Number | None = None
    for i, r in enumerate(ranked, 1):
        r.rank = i if r.value != previous or i == 1 else ranked[i - 2].rank
        previous = r.value
    rest = sorted((r for r in rows if r.reason), key=lambda r: r.group)
    return ranked + rest


def trend(
    entries: Iterable[Entry], keys: Sequence[str] = RANKABLE, years: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """Each year's value of ``keys`` (every year the entries cover, oldest first):
    ``[{"year": 2022, "disclosure_rate": 0.6, …}, …]``."""
    mine = list(entries)
    span = sorted(set(years) if years is not None else {e.year for e in mine if e.year})
    out = []
    for year in span:
        per_year = of_year(mine, year)
        row: dict[str, Any] = {"year": year, "reports": len(per_year)}
        row.update({k: figure(k, per_year).value for k in keys})
        out.append(row)
    return out
