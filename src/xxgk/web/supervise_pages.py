"""The supervision pages (issue 12): the dashboard of indicators with trends and
rankings (charts drawn from the tables beside them, CSV/XLSX export), one agency's
report against last year's, the review of findings (确认 / 不成立 with a reason) and
the 年报审查意见 notices (one agency's DOCX/PDF, or a zip for every agency with open
findings).  What a user sees is bounded by their scope."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..office import soffice
from ..store import reports
from ..store import review_models as review
from ..store.models import StoredReport, User
from ..supervise import compare, indicators, stored
from .auth import Caller, Db, PageCaller, ReportId, check_csrf, here, writing
from .errors import ApiError
from .pages import render
from .report_view import attachment

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Query(max_length=200)]
Year = Annotated[int | None, Query(ge=1990, le=2100)]
RANK_BY = {"region": "地区", "level": "级别"}
ROWS_SHOWN = 1000  # finding rows on the review page
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------- helpers


def _ids(s: Session, user: User, region: str) -> tuple[reports.Scope, set[int] | None]:
    scope = reports.scope_of(s, user)
    try:
        return scope, stored.within(s, scope, region or None)
    except LookupError:
        raise ApiError(422, f"没有名为“{region}”的地区或机关，或它不在您的管理范围内") from None


def _latest(
    s: Session, scope: reports.Scope, ids: set[int] | None, year: int | None
) -> list[StoredReport]:
    """The newest checked version of each agency's report for each year (in scope)."""
    q = reports.visible(select(StoredReport), scope).where(
        StoredReport.status == "done", StoredReport.agency_id.is_not(None)
    )
    if ids is not None:
        q = q.where(StoredReport.agency_id.in_(ids))
    if year is not None:
        q = q.where(StoredReport.year == year)
    best: dict[tuple[int | None, int | None], StoredReport] = {}
    for row in s.scalars(q.order_by(StoredReport.version, StoredReport.id)):
        best[(row.agency_id, row.year)] = row
    return sorted(best.values(), key=lambda r: (-(r.year or 0), r.agency.name if r.agency else ""))


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _shown(ind: indicators.Indicator, value: Any) -> Any:
    """A value as the tables print it: a rate as a percentage (1 decimal)."""
    if value is None:
        return None
    return _percent(float(value)) if ind.kind == "rate" else value


def _heading(ind: indicators.Indicator) -> str:
    return f"{ind.label}（%）" if ind.kind == "rate" else ind.label


# ---------------------------------------------------------------- dashboard


@dataclass
class Table:
    """One table of the dashboard: the page shows it beside its chart and exports it;
    the chart is drawn from the page's table, so both show the same numbers."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    chart: str = ""  # "line" | "bar" | "" (no chart)
    x: int = 0  # the column of the chart's categories
    y: int = 1  # the column of its values
    links: list[list[tuple[str, str]]] = field(default_factory=list)  # per row: reports


@dataclass
class Dashboard:
    year: int
    years: list[int]
    region: str
    key: str
    figures: indicators.Indicators
    tables: dict[str, Table]
    names: dict[str, str]  # report id → agency


def _dashboard(s: Session, user: User, year: int | None, region: str, key: str) -> Dashboard:
    if key not in indicators.RANKABLE:
        raise ApiError(422, f"指标“{key}”不能排名，可选：{'、'.join(indicators.RANKABLE)}")
    scope, ids = _ids(s, user, region)
    every = stored.entries(s, scope, ids)
    years = sorted({e.year for e in every if e.year})
    if year is None:
        year = years[-1] if years else date.today().year - 1
    names = {e.ref: f"{e.agency or e.ref}（{e.year}）" for e in every}
    figures = indicators.compute(every, year, stored.expected(s, ids))
    ind = indicators.BY_KEY[key]
    rows, links = [], []
    for i in indicators.INDICATORS:
        f = figures.figures[i.key]
        value = _shown(i, f.value)
        unit = {"rate": "%", "count": "件", "reports": "份"}[i.kind]
        basis: Any = len(f.reports)
        if i.key in ("expected", "missing"):
            unit = "个机关"
            # these rest on the agency directory, not on reports: the agencies counted
            basis = f"机关目录 {len(f.units)} 个机关" if f.units else None
        rows.append(
            [
                i.label,
                value,
                unit,
                i.formula,
                f.numerator,
                f.denominator,
                basis,
                len(f.incomplete),
            ]
        )
        links.append([(ref, names.get(ref, ref)) for ref in f.reports])
    tables = {
        "indicators": Table(
            "indicators",
            f"{year} 年度指标",
            ["指标", "数值", "单位", "公式", "分子", "分母", "依据报告", "未计入（有空白）"],
            rows,
            links=links,
        )
    }
    trend = indicators.trend(every, keys=list(dict.fromkeys(["requests_received", key])))
    same = key == "requests_received"  # its own column, not twice
    tables["trend"] = Table(
        "trend",
        f"{ind.label}：历年趋势",
        ["年度", "报告份数"] + ([] if same else ["收到申请"]) + [_heading(ind)],
        [
            [str(t["year"]), t["reports"]]
            + ([] if same else [t["requests_received"]])
            + [_shown(ind, t[key])]
            for t in trend
        ],
        chart="line",
        x=0,
        y=2 if same else 3,
    )
    for by, word in RANK_BY.items():
        ranked = indicators.ranking(every, year, key, by)  # type: ignore[arg-type]
        tables[by] = Table(
            by,
            f"{ind.label}：按{word}排名（{year} 年度）",
            ["名次", word, _heading(ind)] + ([] if same else ["收到申请"]) + ["说明"],
            [
                [r.rank, r.group, _shown(ind, r.value)]
                + ([] if same else [r.requests])
                + [r.reason]
                for r in ranked
            ],
            chart="bar",
            x=1,
            y=2,
            links=[[(ref, names.get(ref, ref)) for ref in r.reports] for r in ranked],
        )
    return Dashboard(year, years, region, key, figures, tables, names)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request,
    caller: PageCaller,
    s: Db,
    year: Year = None,
    region: Text = "",
    key: Text = "disclosure_rate",
) -> Response:
    from .rectify_pages import summary

    board = _dashboard(s, caller.user, year, region.strip(), key.strip())
    ranks = [(k, indicators.BY_KEY[k].label) for k in indicators.RANKABLE]
    return render(
        request,
        "dashboard.html",
        caller=caller,
        board=board,
        due=summary(s, caller.user, board.year, region.strip()),
        ranks=ranks,
        units={k: board.figures.figures[k].units for k in ("expected", "missing")},
        keys=[i.key for i in indicators.INDICATORS],
    )


def _csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def _xlsx(table: Table) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = table.name[:31]
    ws.append(table.headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@router.get("/dashboard/{name}.{fmt}")
def dashboard_export(
    name: str,
    fmt: str,
    caller: PageCaller,
    s: Db,
    year: Year = None,
    region: Text = "",
    key: Text = "disclosure_rate",
) -> Response:
    """One table of the dashboard as CSV or XLSX (the same rows as the page)."""
    if fmt not in ("csv", "xlsx"):
        raise ApiError(404, "只能导出 CSV 或 XLSX")
    board = _dashboard(s, caller.user, year, region.strip(), key.strip())
    table = board.tables.get(name)
    if table is None:
        raise ApiError(404, f"没有名为“{name}”的表")
    filename = f"监督指标-{table.title}.{fmt}".replace("：", "-")
    if fmt == "csv":
        return attachment(_csv(table), filename, "text/csv; charset=utf-8")
    return attachment(_xlsx(table), filename, _XLSX)


# ---------------------------------------------------------------- year over year


def _visible(s: Session, caller: Caller, report_id: int) -> StoredReport:
    row = reports.get(s, reports.scope_of(s, caller.user), report_id)
    if row is None:
        raise ApiError(404, "没有这份报告，或它不在您的管理范围内")
    return row


def _previous(s: Session, row: StoredReport) -> StoredReport | None:
    from .history import latest

    if row.agency_id is None or row.year is None:
        return None
    return latest(s, row.agency_id, row.year - 1)


@router.get("/compare/{report_id}", response_class=HTMLResponse)
def compare_page(
    request: Request,
    report_id: ReportId,
    caller: PageCaller,
    s: Db,
    changed: Annotated[bool, Query()] = False,
) -> Response:
    from ..checks.copied import THRESHOLD

    row = _visible(s, caller, report_id)
    if row.status != "done" or row.result is None:
        raise ApiError(409, "这份报告尚未核查完毕，无法比较")
    before = _previous(s, row)
    result = None
    if before is not None and before.result is not None:
        result = compare.year_over_year(row.result, before.result)
    counts: dict[str, int] = {}
    if result is not None:
        counts = {t: sum(1 for c in cs if c.changed) for t, cs in result.tables.items()}
    return render(
        request,
        "compare.html",
        caller=caller,
        row=row,
        before=before,
        result=result,
        counts=counts,
        changed_only=changed,
        threshold=THRESHOLD,
        names={"t2": "表二 主动公开", "t3": "表三 收到和处理申请", "t4": "表四 复议诉讼"},
        short=_short,
    )


def _short(label: str) -> str:
    """A cell's label without its table's name (第三部分 …): the column says which."""
    head, _, rest = label.partition(" ")
    return rest if head.startswith("第") and head.endswith("部分") and rest else label


# ---------------------------------------------------------------- review


def _may_decide(user: User) -> bool:
    return user.role in ("admin", "supervisor")


@router.get("/review", response_class=HTMLResponse)
def review_page(
    request: Request,
    caller: PageCaller,
    s: Db,
    year: Year = None,
    region: Text = "",
    report: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    state: Text = "",
    code: Text = "",
) -> Response:
    if report is not None:
        rows = [_visible(s, caller, report)]
    else:
        scope, ids = _ids(s, caller.user, region.strip())
        rows = _latest(s, scope, ids, year)
    decided = review.decisions(s, (r.file_sha256 for r in rows))
    lines = []
    codes: set[str] = set()
    for r in rows:
        for i, f in enumerate((r.result or {}).get("findings") or []):
            codes.add(str(f.get("code", "")))
            if code.strip() and f.get("code") != code.strip():
                continue
            d = decided.get(review.key_of(r.file_sha256, f))
            mark = d.decision if d is not None else ""
            if state == "open" and mark == "dismissed":
                continue
            if state in ("confirmed", "dismissed") and mark != state:
                continue
            if state == "undecided" and mark:
                continue
            lines.append({"report": r, "index": i, "finding": f, "decision": d})
    return render(
        request,
        "review.html",
        caller=caller,
        lines=lines[:ROWS_SHOWN],
        total=len(lines),
        shown=ROWS_SHOWN,
        year=year,
        region=region,
        report=report,
        state=state,
        code=code.strip(),
        codes=sorted(codes),
        may_decide=_may_decide(caller.user),
        decisions=review.DECISIONS,
        here=here(request),
    )


@router.post("/review")
def review_decide(
    caller: PageCaller,
    s: Db,
    report: Annotated[int, Form(ge=1, le=2**31 - 1)],
    index: Annotated[int, Form(ge=0, le=100000)],
    decision: Annotated[str, Form(max_length=16)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    check_csrf(caller, csrf)
    if not _may_decide(caller.user):
        raise ApiError(403, "只有监督人员可以审查问题")
    row = _visible(s, caller, report)
    found = (row.result or {}).get("findings") or []
    if index >= len(found):
        raise ApiError(404, f"报告 {report} 没有第 {index + 1} 个问题")
    if decision not in review.DECISIONS:
        raise ApiError(422, "审查结论应为“确认”或“不成立”")
    if not reason.strip():
        raise ApiError(422, "请填写审查理由")
    with writing(s):
        review.decide(s, caller.user, row, found[index], decision, reason.strip())
        from ..store import notice_models

        notice_models.reconsider(s, caller.user, row)  # 无需整改 when all are dismissed
    target = next_url if next_url.startswith("/") and not next_url.startswith("//") else ""
    target = (target or f"/review?report={report}").split("#", 1)[0]
    return RedirectResponse(f"{target}#r{report}-{index}", status_code=303)  # back to the row


# ---------------------------------------------------------------- notices


def _open_findings(
    row: StoredReport, decided: dict[review.Key, review.FindingReview]
) -> list[dict[str, Any]]:
    """What a notice lists: errors and warnings not dismissed, and any confirmed finding."""
    out = []
    for f in (row.result or {}).get("findings") or []:
        d = decided.get(review.key_of(row.file_sha256, f))
        mark = d.decision if d is not None else ""
        if mark == "dismissed":
            continue
        if mark == "confirmed" or f.get("severity") in ("error", "warning"):
            out.append(f)
    return out


def _notice_docx(
    row: StoredReport,
    found: list[dict[str, Any]],
    deadline: date | None,
    office: str,
    issued: date | None = None,
) -> tuple[str, bytes]:
    from ..supervise import notice as notices

    assert row.result is not None
    n = notices.notice_of(
        row.result, findings=found, agency=row.agency.name if row.agency else None
    )
    n.report = n.report if n.report != "年度报告" else row.filename
    try:
        data = notices.render_docx(
            n, deadline, office.strip() or notices.DEFAULT_OFFICE, issued=issued
        )
    except notices.NoticeError as exc:
        raise ApiError(500, str(exc)) from None
    return n.filename(), data


Deadline = Annotated[date | None, Query(description="整改期限")]
Office = Annotated[str, Query(max_length=100)]


@router.get("/notices", response_class=HTMLResponse)
def notices_page(
    request: Request,
    caller: PageCaller,
    s: Db,
    year: Year = None,
    region: Text = "",
    deadline: Deadline = None,
    office: Office = "",
) -> Response:
    scope, ids = _ids(s, caller.user, region.strip())
    rows = _latest(s, scope, ids, year)
    decided = review.decisions(s, (r.file_sha256 for r in rows))
    lines: list[dict[str, Any]] = []
    for r in rows:
        found = _open_findings(r, decided)
        if found:
            errors = sum(1 for f in found if f.get("severity") == "error")
            lines.append({"report": r, "open": len(found), "errors": errors})
    from ..store import notice_models
    from .rectify_pages import _today

    issued = notice_models.of_reports(s, (line["report"] for line in lines))
    today = _today()
    for line in lines:
        r = line["report"]
        line["issued"] = [(n, n.status_on(today)) for n in issued.get((r.agency_id, r.year), [])]
        line["pending"] = any(st not in ("rectified", "waived") for _, st in line["issued"])
    return render(
        request,
        "notices.html",
        caller=caller,
        lines=lines,
        statuses=notice_models.STATUSES,
        past=deadline is not None and deadline < today,
        may_decide=_may_decide(caller.user),
        here=here(request),
        year=year,
        region=region,
        deadline=deadline,
        office=office,
        pdf=soffice() is not None,
    )


@router.get("/notices/{report_id}.{fmt}")
def notice_one(
    report_id: ReportId,
    fmt: str,
    caller: PageCaller,
    s: Db,
    deadline: Deadline = None,
    office: Office = "",
) -> Response:
    """One agency's 年报审查意见 (DOCX, or PDF through LibreOffice)."""
    from ..supervise import notice as notices

    if fmt not in ("docx", "pdf"):
        raise ApiError(404, "审查意见只能下载 DOCX 或 PDF")
    row = _visible(s, caller, report_id)
    if row.status != "done" or row.result is None:
        raise ApiError(409, "这份报告尚未核查完毕")
    decided = review.decisions(s, [row.file_sha256])
    name, data = _notice_docx(row, _open_findings(row, decided), deadline, office)
    if fmt == "docx":
        return attachment(data, name, _DOCX)
    try:
        pdf = notices.to_pdf(data)
    except notices.NoticeError as exc:
        raise ApiError(503, str(exc)) from None
    return attachment(pdf, name.rsplit(".", 1)[0] + ".pdf", "application/pdf")


@router.get("/notices.zip")
def notices_zip(
    caller: PageCaller,
    s: Db,
    year: Year = None,
    region: Text = "",
    deadline: Deadline = None,
    office: Office = "",
) -> Response:
    """Every agency with open findings (in scope, the year and region chosen): one
    DOCX each, in one zip."""
    from ..supervise import notice as notices

    scope, ids = _ids(s, caller.user, region.strip())
    rows = _latest(s, scope, ids, year)
    decided = review.decisions(s, (r.file_sha256 for r in rows))
    files = []
    for r in rows:
        found = _open_findings(r, decided)
        if found:
            files.append(_notice_docx(r, found, deadline, office))
    if not files:
        raise ApiError(404, "没有存在未撤销问题的报告，无需发出审查意见")
    label = f"{year}年度" if year else ""
    return attachment(notices.zip_notices(files), f"年报审查意见{label}.zip", "application/zip")


# ---------------------------------------------------------------- hierarchy


HIERARCHY_CELLS = (
    "t3.new.total",
    "t3.granted.total",
    "t3.partial.total",
    "t3.results_total.total",
    "t3.carried_forward.total",
    "t4.review.total",
    "t4.lit_direct.total",
    "t4.lit_after_review.total",
)
# a difference is shown as large when it is at least LARGE_MIN and more than LARGE_SHARE
# of the larger of the two figures
LARGE_SHARE = 0.2
LARGE_MIN = 5
GOVERNMENTS = ("省", "市", "县")


def _cell(result: dict[str, Any] | None, key: str) -> Any:
    t, r, c = key.split(".")
    tables = ((result or {}).get("report") or {}).get("tables") or {}
    value = tables.get(t, {}).get(r, {}).get(c)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _hierarchy(s: Session, user: User, year: int | None, region: str) -> dict[str, Any]:
    from ..format import display
    from ..store.models import Agency

    scope, ids = _ids(s, user, region)
    rows = _latest(s, scope, ids, None)
    years = sorted({r.year for r in rows if r.year})
    if year is None:
        year = years[-1] if years else date.today().year - 1
    filed = {r.agency_id: r for r in rows if r.year == year}
    children: dict[int, list[Agency]] = {}
    for a in s.scalars(select(Agency).order_by(Agency.id)):
        if a.parent_id is not None:
            children.setdefault(a.parent_id, []).append(a)
    groups = []
    for aid, whole in sorted(
        filed.items(), key=lambda kv: kv[1].agency.name if kv[1].agency else ""
    ):
        if aid is None or whole.agency is None or whole.agency.level not in GOVERNMENTS:
            continue
        kids = [k for k in children.get(aid, []) if ids is None or k.id in ids]
        parts = [filed[k.id] for k in kids if k.id in filed]
        if not parts:
            continue
        lines = []
        for key in HIERARCHY_CELLS:
            w = _cell(whole.result, key)
            values = [_cell(p.result, key) for p in parts]
            total = sum(v for v in values if v is not None)
            diff = None if w is None else w - total
            large = (
                diff is not None
                and abs(diff) >= LARGE_MIN
                and abs(diff) > LARGE_SHARE * max(abs(w or 0), abs(total))
            )
            lines.append(
                {
                    "key": key,
                    "label": display(key, whole.format or "2021"),
                    "whole": w,
                    "parts": total,
                    "diff": diff,
                    "large": large,
                    "blank": sum(1 for v in values if v is None),
                }
            )
        groups.append(
            {
                "whole": whole,
                "parts": parts,
                "lines": lines,
                "missing": [k.name for k in kids if k.id not in filed],
            }
        )
    return {"year": year, "years": years, "groups": groups}


@router.get("/hierarchy", response_class=HTMLResponse)
def hierarchy_page(
    request: Request, caller: PageCaller, s: Db, year: Year = None, region: Text = ""
) -> Response:
    """A government's report beside the sums of its subordinate units' reports."""
    data = _hierarchy(s, caller.user, year, region.strip())
    return render(
        request,
        "hierarchy.html",
        caller=caller,
        region=region,
        share=LARGE_SHARE,
        least=LARGE_MIN,
        **data,
    )
