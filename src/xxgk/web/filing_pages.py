"""Filing before publishing (报送审核, issue 12 item 5) and the correction of a value
(item 3): the supervisor's list ``/filings`` (submitted / returned / approved /
published / missing by the local deadline; approve or return with a reason), one
report's filing page ``/filings/report/{id}`` (submit, register the published file and
its comparison with the approved draft, correct a value, the change trail), and the
line the report page shows (``filing_line``, a template global).

The published file differing from the approved draft is a finding of the published
report (FIL-001, a rule of the registry reading the approved draft the web app gives
it: ``history.recheck``), so it is in the catalogue, the counts and the notices; the
report page and the filing pages also show it as a notice listing the differing cells.

``overview`` (the list), ``supervises``/``filing_in_scope``/``report_in_scope`` (who
may do what) and ``publish_step`` are what the filing API (``filing_api``) calls too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store import agencies, reports
from ..store import filing_models as filing
from ..store import review_models as review
from ..store.base import Store
from ..store.models import Agency, StoredReport, User
from ..supervise import stored
from . import history
from .auth import Caller, Db, PageCaller, ReportId, check_csrf, store_of, writing
from .corrections import correct
from .errors import ApiError
from .pages import render, templates

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=200)]
Reason = Annotated[str, Form(max_length=2000)]
FilingId = Annotated[int, Path(ge=1, le=2**31 - 1, description="报送编号")]


def report_in_scope(s: Session, caller: Caller, report_id: int) -> StoredReport:
    row = reports.get(s, reports.scope_of(s, caller.user), report_id)
    if row is None:
        raise ApiError(404, f"没有编号为 {report_id} 的报告")
    return row


def filing_in_scope(s: Session, caller: Caller, filing_id: int) -> filing.Filing:
    row = s.get(filing.Filing, filing_id)
    scope = reports.scope_of(s, caller.user)
    if row is None or (scope.agencies is not None and row.agency_id not in scope.agencies):
        raise ApiError(404, f"没有编号为 {filing_id} 的报送")
    return row


def supervises(user: User, agency_id: int, s: Session) -> bool:
    """Admins, and supervisors whose region holds the agency, approve and return."""
    if user.role == "admin":
        return True
    return (
        user.role == "supervisor"
        and user.scope_id is not None
        and agency_id in agencies.subtree(s, user.scope_id)
    )


def publish_step(
    s: Session, store: Store, user: User, f: filing.Filing, row: StoredReport
) -> list[filing.Difference]:
    """Register ``row`` as the published file (``filing_models.publish``) and check it
    again with the approved draft, so a difference is a finding (FIL-001)."""
    diffs = filing.publish(s, user, f, row)
    history.recheck(s, store, row)
    return diffs


def _fail(exc: filing.FilingError) -> ApiError:
    return ApiError(409, str(exc))


def _back(target: str, fallback: str) -> Response:
    ok = target.startswith("/") and not target.startswith("//")
    return RedirectResponse(target if ok else fallback, status_code=303)


def _names(fmt: str | None) -> Any:
    from ..format import VERSIONS

    version = VERSIONS.get(fmt or "2021", VERSIONS["2021"])

    def name(key: str) -> str:
        try:
            return version.display(key)
        except (KeyError, ValueError):
            return key

    return name


# ---------------------------------------------------------------- the list


def overview(
    s: Session, user: User, ids: set[int] | None, year: int, today: date
) -> list[dict[str, Any]]:
    """One line per agency within ``ids`` (None: every agency), by name: its deadline
    (``deadline``, ``source``), its ``filing`` (None: not yet filed) and ``late`` (not
    submitted by a deadline passed, or submitted after it: ``filed``, the day in China it
    was submitted); for a filed one also
    ``supervises`` (``user`` may approve or return it) and ``errors`` (the draft's
    errors not dismissed)."""
    q = select(Agency).order_by(Agency.name)
    if ids is not None:
        q = q.where(Agency.id.in_(sorted(ids)))
    every = list(s.scalars(q))
    found = filing.of_agencies(s, [a.id for a in every], year)
    out = []
    for a in every:
        when, source = filing.deadline_of(s, a, year)
        f = found.get(a.id)
        line: dict[str, Any] = {
            "agency": a,
            "deadline": when,
            "source": source,
            "filing": f,
            "late": False,
        }
        out.append(line)
        if f is None or f.state == "draft":
            line["late"] = today > when
            continue
        line["filed"] = filing.filed_day(f)  # in China, as the deadline
        if line["filed"] is not None:
            line["late"] = line["filed"] > when
        line["supervises"] = supervises(user, a.id, s)
        if f.report is not None:
            gone = review.dismissed(s, [f.report.file_sha256])
            line["errors"] = len(filing.errors_of(f.report, gone))
    return out


def years_of(s: Session, scope: reports.Scope, ids: set[int] | None) -> list[int]:
    """The years with a report or a filing of an agency within ``ids`` (None: the
    scope), newest first."""
    q = reports._listed(select(StoredReport.year).distinct(), scope, ids, None, False)
    f = select(filing.Filing.year).distinct()
    if ids is not None:
        f = f.where(filing.Filing.agency_id.in_(ids))
    elif scope.agencies is not None:
        f = f.where(filing.Filing.agency_id.in_(scope.agencies))
    found: set[int] = {y for y in s.scalars(q) if isinstance(y, int)}
    found |= set(s.scalars(f))
    return sorted(found, reverse=True)


def default_year(years: list[int]) -> int:
    """The year a list opens on: the newest with reports or filings, else last year."""
    return years[0] if years else date.today().year - 1


@router.get("/filings", response_class=HTMLResponse)
def filings_page(
    request: Request,
    caller: PageCaller,
    s: Db,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    region: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    scope = reports.scope_of(s, caller.user)
    try:
        ids = stored.within(s, scope, region.strip() or None)
    except LookupError:
        raise ApiError(422, f"没有名为“{region}”的地区或机关，或它不在您的管理范围内") from None
    years = years_of(s, scope, ids)
    chosen = year is not None
    if year is None:
        year = default_year(years)
    today = date.today()
    groups: dict[str, list[dict[str, Any]]] = {k: [] for k in filing.STATES}
    missing: list[dict[str, Any]] = []
    for line in overview(s, caller.user, ids, year, today):
        f = line["filing"]
        if f is None or f.state == "draft":
            # a report stored for the year (published without review, or not yet
            # submitted): the page says so and links to where it is submitted
            line["stored"] = reports.newest_version(s, line["agency"].id, year)
            missing.append(line)
        else:
            groups[f.state].append(line)
    return render(
        request,
        "filings.html",
        caller=caller,
        year=year,
        years=years,
        chosen=chosen,
        region=region,
        groups=groups,
        missing=missing,
        overdue=sum(1 for m in missing if m["late"]),
        states=filing.STATES,
        today=today,
        may_set=caller.user.role in ("admin", "supervisor"),
    )


@router.post("/filings/deadline")
def set_deadline(
    caller: PageCaller,
    s: Db,
    agency: Annotated[str, Form(max_length=200)],
    month: Annotated[int, Form(ge=1, le=12)],
    day: Annotated[int, Form(ge=1, le=31)],
    csrf: Csrf = "",
) -> Response:
    check_csrf(caller, csrf)
    found = agencies.by_name(s, agency.strip())
    if found is None or not supervises(caller.user, found.id, s):
        raise ApiError(404, f"没有名为“{agency}”的地区或机关，或它不在您的管理范围内")
    try:
        with writing(s):
            filing.set_deadline(s, caller.user, found, month, day)
    except ValueError:
        raise ApiError(422, f"{month}月{day}日不是有效的日期") from None
    return RedirectResponse("/filings", status_code=303)


# ---------------------------------------------------------------- the steps


@router.post("/filings/submit")
def submit(
    caller: PageCaller,
    s: Db,
    report: Annotated[int, Form(ge=1, le=2**31 - 1)],
    csrf: Csrf = "",
) -> Response:
    check_csrf(caller, csrf)
    row = report_in_scope(s, caller, report)
    try:
        with writing(s):
            filing.submit(s, caller.user, row)
    except filing.FilingError as exc:
        raise _fail(exc) from None
    return RedirectResponse(f"/filings/report/{row.id}", status_code=303)


def _decide(
    caller: Caller,
    s: Session,
    filing_id: int,
    csrf: str,
    next_url: str,
    step: Callable[[Session, User, filing.Filing], object],
    refused: str,
) -> Response:
    """A supervisor's step on a filing (return or approve): CSRF, scope, the step,
    then back to the page the form was on."""
    check_csrf(caller, csrf)
    f = filing_in_scope(s, caller, filing_id)
    if not supervises(caller.user, f.agency_id, s):
        raise ApiError(403, refused)
    try:
        with writing(s):
            step(s, caller.user, f)
    except filing.FilingError as exc:
        raise _fail(exc) from None
    return _back(next_url, f"/filings?year={f.year}")


@router.post("/filings/{filing_id}/return")
def give_back(
    caller: PageCaller,
    s: Db,
    filing_id: FilingId,
    reason: Reason = "",
    csrf: Csrf = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    return _decide(
        caller,
        s,
        filing_id,
        csrf,
        next_url,
        lambda s, user, f: filing.give_back(s, user, f, reason),
        "只有上级监督人员可以退回报送的报告",
    )


@router.post("/filings/{filing_id}/approve")
def approve(
    caller: PageCaller,
    s: Db,
    filing_id: FilingId,
    override: Reason = "",
    csrf: Csrf = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    return _decide(
        caller,
        s,
        filing_id,
        csrf,
        next_url,
        lambda s, user, f: filing.approve(s, user, f, override),
        "只有上级监督人员可以审核报送的报告",
    )


@router.post("/filings/{filing_id}/publish")
def publish(
    request: Request,
    caller: PageCaller,
    s: Db,
    filing_id: FilingId,
    report: Annotated[int, Form(ge=1, le=2**31 - 1)],
    csrf: Csrf = "",
) -> Response:
    check_csrf(caller, csrf)
    f = filing_in_scope(s, caller, filing_id)
    row = report_in_scope(s, caller, report)
    try:
        with writing(s):
            publish_step(s, store_of(request), caller.user, f, row)
    except filing.FilingError as exc:
        raise _fail(exc) from None
    return RedirectResponse(f"/filings/report/{row.id}", status_code=303)


# ---------------------------------------------------------------- one report


def _state_of(s: Session, row: StoredReport) -> dict[str, Any]:
    """What the report page and the filing page say about ``row``'s filing."""
    f = filing.find(s, row.agency_id, row.year) if row.agency_id and row.year else None
    out: dict[str, Any] = {"filing": f, "role": "", "differences": [], "changed_file": False}
    if f is None:
        return out
    if f.report_id == row.id:
        out["role"] = "draft"
    if f.published_id == row.id:
        out["role"] = "published"
        out["differences"] = f.differences or []
        out["changed_file"] = row.file_sha256 != f.approved_sha256
    return out


def filing_line(request: Request, report_id: int) -> dict[str, Any]:
    """The report page's line (a template global: the page checked the scope)."""
    store = store_of(request)
    with store.session() as s:
        row = s.get(StoredReport, report_id)
        if row is None:
            return {}
        st = _state_of(s, row)
        f = st["filing"]
        return {
            "state": filing.STATES[f.state] if f is not None else "",
            "role": st["role"],
            "differences": st["differences"],
            "changed_file": st["changed_file"],
            "names": _names(row.format),
        }


templates.env.globals["filing_line"] = filing_line


@router.get("/filings/report/{report_id}", response_class=HTMLResponse)
def report_filing(request: Request, report_id: ReportId, caller: PageCaller, s: Db) -> Response:
    row = report_in_scope(s, caller, report_id)
    st = _state_of(s, row)
    f = st["filing"]
    deadline = filing.deadline_of(s, row.agency, row.year) if row.agency and row.year else None
    later = []
    if f is not None and f.state == "approved":
        later = [
            r
            for r in s.scalars(
                select(StoredReport)
                .where(
                    StoredReport.agency_id == f.agency_id,
                    StoredReport.year == f.year,
                    StoredReport.status == "done",
                )
                .order_by(StoredReport.id)
            )
        ]
    cells: list[tuple[str, str, Any]] = []
    names = _names(row.format)
    if row.status == "done" and row.result:
        from ..format import VERSIONS

        tables = (row.result.get("report") or {}).get("tables") or {}
        version = VERSIONS.get(row.format or "2021", VERSIONS["2021"])
        for key in version.cell_keys():
            t, r, c = key.split(".")
            cells.append((key, names(key), (tables.get(t) or {}).get(r, {}).get(c)))
    may_submit = (
        row.status == "done"
        and row.agency_id is not None
        and row.year is not None
        and (f is None or f.state in ("draft", "returned"))
    )
    return render(
        request,
        "filing.html",
        caller=caller,
        row=row,
        f=f,
        st=st,
        states=filing.STATES,
        deadline=deadline,
        later=later,
        cells=cells,
        names=names,
        trail=filing.trail(s, row.id),
        may_submit=may_submit,
        supervises=f is not None and supervises(caller.user, f.agency_id, s),
    )


@router.post("/reports/{report_id}/correct")
def correct_value(
    request: Request,
    report_id: ReportId,
    caller: PageCaller,
    s: Db,
    cell: Annotated[str, Form(max_length=100)],
    value: Annotated[str, Form(max_length=40)] = "",
    reason: Reason = "",
    csrf: Csrf = "",
) -> Response:
    """A new version with ``cell`` corrected (the trail kept), checked again."""
    check_csrf(caller, csrf)
    row = report_in_scope(s, caller, report_id)
    with writing(s):
        new = correct(s, store_of(request), caller.user, row, cell, value, reason)
        target = new.id
    return RedirectResponse(f"/filings/report/{target}", status_code=303)
