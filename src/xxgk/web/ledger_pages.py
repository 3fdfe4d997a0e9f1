"""The request ledger's pages (issue 13 item 8), on ``xxgk.ledger.service``:

- ``/ledger``: the requests of the caller's agency (a supervisor: the agencies in
  scope), filtered by year and state, with the overdue and due-soon lists as
  ``xxgk ledger list --overdue / --due-soon N`` define them;
- ``/ledger/new``: register a request (the date of receipt per channel, 条例第三十一条);
- ``/ledger/{id}``: one request — its events, the clock (days used and left, the due
  date and its explanation as the service writes it), a form per event, the notices
  as DOCX (``xxgk.ledger.documents``) and the request's audit trail;
- ``/ledger/report``: the year's report derived from the ledger (t2–t4), checked.

Every change is a service call (``add_request``, ``add_event``), which writes the
audit trail (who, when, before, after).  Ledger errors and bad input are shown in
Chinese next to the form's fields; nothing here computes a deadline itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..format import VERSIONS
from ..ledger import service
from ..ledger.calendar import (
    ANSWER_DAYS,
    EXTENSION_DAYS,
    Calendar,
    CalendarNotPublished,
    weekday,
)
from ..ledger.channels import CHANNELS
from ..ledger.fees import METHODS, PER_VOLUME
from ..store import reports
from ..store.ledger_models import CalendarYear, LedgerAudit, LedgerRequest
from ..store.models import Agency, AgencyAlias
from .auth import Caller, Db, PageCaller, check_csrf, store_of, writing
from .errors import ApiError
from .pages import render
from .report_view import attachment, grids

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 100
STATES = {"open": "办理中", "closed": "已办结"}
# a result row as the form lists it: "（三）不予公开 1.属于国家秘密"
RESULT_DISPLAY = {
    r.key: r.display for r in VERSIONS["2021"].table("t3").rows if r.key in service.RESULT_LABELS
}
# the date the register form asks for, per channel (条例第三十一条)
DATE_HINTS = {
    "in_person": "提交日期",
    "registered_mail": "签收日期",
    "ordinary_mail": "与申请人确认的日期",
    "online": "双方确认的日期",
    "fax": "双方确认的日期",
}
# the notices, and the event each needs before it can be made
DOCUMENTS = {
    "receipt": ("受理回执", None),
    "correction": ("补正告知书", "correction_notice"),
    "extension": ("延期答复告知书", "extension"),
    "consultation": ("征求意见函", "consultation_sent"),
    "fee": ("收费通知书", "fee_notice"),
    "reasons": ("说明理由通知书", "reasons_asked"),
    "delay": ("延迟答复告知书", "delay"),
    "answer": ("答复书", "decision"),
}
REPORT_FORMATS = {"docx": "Word", "xlsx": "Excel", "pdf": "PDF"}
_MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_CLI_FLAG = re.compile(r"（--[a-z-]+）|（--[a-z-]+[^）]*）")

RequestId = Annotated[int, Path(ge=1, le=2**31 - 1, description="申请编号")]
Text = Annotated[str, Form(max_length=200)]
LongText = Annotated[str, Form(max_length=5000)]
Csrf = Annotated[str, Form(max_length=200)]


# ---------------------------------------------------------------- scope and helpers


def scope_names(s: Session, caller: Caller) -> set[str] | None:
    """The agency names (and aliases) whose ledger the caller may see; None: all."""
    scope = reports.scope_of(s, caller.user)
    if scope.agencies is None:
        return None
    if not scope.agencies:
        return set()
    names = set(s.scalars(select(Agency.name).where(Agency.id.in_(scope.agencies))))
    names |= set(
        s.scalars(select(AgencyAlias.alias).where(AgencyAlias.agency_id.in_(scope.agencies)))
    )
    return names


def register_choices(s: Session, caller: Caller) -> list[str]:
    """The agencies the caller may register a request for (a clerk: only its own)."""
    if caller.user.role == "clerk":
        return [caller.user.scope.name] if caller.user.scope is not None else []
    scope = reports.scope_of(s, caller.user)
    q = select(Agency.name).order_by(Agency.id)
    if scope.agencies is not None:
        q = q.where(Agency.id.in_(scope.agencies or {-1}))
    return list(s.scalars(q))


def _ledger_agencies(s: Session, names: set[str] | None) -> list[str]:
    """The agencies in scope that have requests in the ledger."""
    q = select(LedgerRequest.agency).distinct()
    if names is not None:
        q = q.where(LedgerRequest.agency.in_(names or {""}))
    return sorted(s.scalars(q))


def _request(s: Session, caller: Caller, request_id: int) -> LedgerRequest:
    """The request when the caller may see it; 404 otherwise (existence not revealed)."""
    req = s.get(LedgerRequest, request_id)
    names = scope_names(s, caller)
    if req is None or (names is not None and req.agency not in names):
        raise ApiError(404, f"台账中没有编号为 {request_id} 的申请")
    return req


def calendar(s: Session, who: str) -> Calendar:
    """The ledger's calendar; seeded from chinese-calendar once, in a writing block (a
    page's reading transaction never writes halfway)."""
    if s.scalar(select(CalendarYear.year).limit(1)) is None:
        with writing(s):
            service.seed_calendar(s)
    return service.load_calendar(s)


def _today(text: str) -> date:
    if not text.strip():
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ApiError(422, f"日期“{text}”不对，应写作 YYYY-MM-DD，例如 2024-09-27") from None


def _date(text: str, errors: dict[str, str], name: str, what: str, required: bool) -> date | None:
    text = text.strip()
    if not text:
        if required:
            errors[name] = f"请填写{what}"
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = f"{what}“{text}”不是日期，应写作 YYYY-MM-DD（例如 2024-09-27）"
        return None


def _int(text: str, errors: dict[str, str], name: str, what: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 6:
        errors[name] = f"{what}应为正整数"
        return None
    return int(text)


def _web(message: str) -> str:
    """A ledger message without the CLI's option names (the form has the field)."""
    return _CLI_FLAG.sub("", message)


def _when(d: date | None) -> str:
    return f"{d.isoformat()}（{weekday(d)}）" if d is not None else "—"


def _state_of(req: LedgerRequest) -> str:
    if req.state == "closed":
        return "已办结"
    if req.due is None and req.due_note.startswith("已发补正告知"):
        return "待补正"
    kinds = {e.kind for e in req.events}
    if "delay" in kinds:
        return "延迟答复"
    if "reasons_asked" in kinds:
        return "第三十五条：要求说明理由"
    return "办理中"


def _answered(req: LedgerRequest, cal: Calendar | None) -> service.Answered | None:
    """A closed request's verdict (on time or late), as the service's clock gives it."""
    if req.state != "closed" or cal is None:
        return None
    try:
        return service.clock(req, cal).answered
    except CalendarNotPublished:
        return None


def _line(req: LedgerRequest, today: date, cal: Calendar | None = None) -> dict[str, Any]:
    """One row of a list."""
    return {
        "answered": _answered(req, cal),
        "req": req,
        "state": _state_of(req),
        "channel": CHANNELS.get(req.channel, req.channel),
        "type": service.APPLICANT_LABELS.get(req.applicant_type, req.applicant_type),
        "result": RESULT_DISPLAY.get(req.result or "", "") if req.result else "",
        "due": _when(req.due) if req.due else "",
        "late": req.state == "open" and req.due is not None and req.due < today,
    }


# ---------------------------------------------------------------- the list


@router.get("/ledger", response_class=HTMLResponse)
def ledger_list(
    request: Request,
    caller: PageCaller,
    s: Db,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    status: Annotated[str, Query(pattern="^(open|closed)?$")] = "",
    agency: Annotated[str, Query(max_length=200)] = "",
    within: Annotated[int, Query(ge=1, le=60)] = 5,
    today: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
) -> Response:
    names = scope_names(s, caller)
    day = _today(today)
    if agency and names is not None and agency not in names:
        raise ApiError(404, f"“{agency}”不在您的管理范围内")
    shown = {agency} if agency else names
    cal = calendar(s, caller.user.name)
    one = agency or None

    def within_scope(rows: list[LedgerRequest]) -> list[LedgerRequest]:
        return [r for r in rows if shown is None or r.agency in shown]

    late = within_scope(service.overdue(s, day, one))
    lapsing = [
        (r, why)
        for r, why in service.lapsing(s, day, one, cal)
        if shown is None or r.agency in shown
    ]
    soon: list[LedgerRequest] = []
    soon_error = ""
    try:
        soon = within_scope(service.due_soon(s, day, within, one, cal))
    except CalendarNotPublished as exc:
        soon_error = str(exc)
    q = select(LedgerRequest)
    if shown is not None:
        q = q.where(LedgerRequest.agency.in_(shown or {""}))
    years = sorted(
        {d.year for d in s.scalars(q.with_only_columns(LedgerRequest.received).distinct())},
        reverse=True,
    )
    if year is not None:
        q = q.where(
            LedgerRequest.received >= date(year, 1, 1), LedgerRequest.received <= date(year, 12, 31)
        )
    if status:
        q = q.where(LedgerRequest.state == status)
    total = s.scalar(q.with_only_columns(func.count()).select_from(LedgerRequest)) or 0
    rows = s.scalars(
        q.options(selectinload(LedgerRequest.events))
        .order_by(LedgerRequest.received.desc(), LedgerRequest.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return render(
        request,
        "ledger_list.html",
        caller=caller,
        today=day,
        today_text=today,
        year=year,
        years=years,
        state_filter=status,
        states=STATES,
        agency=agency,
        agencies=_ledger_agencies(s, names),
        within=within,
        late=[_line(r, day) for r in late],
        lapsing=[{**_line(r, day), "reason": why} for r, why in lapsing],
        soon=[_line(r, day) for r in soon],
        soon_error=soon_error,
        rows=[_line(r, day, cal) for r in rows],
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        may_register=bool(register_choices(s, caller)),
        several=names is None or len(_ledger_agencies(s, names)) > 1,
    )


# ---------------------------------------------------------------- register


@dataclass
class Filled:
    """A form as the user filled it, with the errors by field (``""``: the form)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _new_page(
    request: Request, caller: Caller, s: Session, filled: Filled, status: int = 200
) -> Response:
    return render(
        request,
        "ledger_new.html",
        status=status,
        caller=caller,
        choices=register_choices(s, caller),
        channels=CHANNELS,
        hints=DATE_HINTS,
        types=service.APPLICANT_LABELS,
        v=filled.values,
        errors=filled.errors,
    )


@router.get("/ledger/new", response_class=HTMLResponse)
def new_form(request: Request, caller: PageCaller, s: Db) -> Response:
    if not register_choices(s, caller):
        raise ApiError(403, "您的账号没有所属机关，不能登记申请")
    values = {"handler": caller.user.name, "channel": "online", "day": date.today().isoformat()}
    return _new_page(request, caller, s, Filled(values))


@router.post("/ledger/new")
def register(
    request: Request,
    caller: PageCaller,
    s: Db,
    csrf: Csrf = "",
    agency: Text = "",
    channel: Text = "",
    day: Text = "",
    arrived: Text = "",
    applicant: Text = "",
    applicant_type: Text = "",
    content: LongText = "",
    handler: Text = "",
) -> Response:
    check_csrf(caller, csrf)
    choices = register_choices(s, caller)
    if not choices:
        raise ApiError(403, "您的账号没有所属机关，不能登记申请")
    f = Filled(
        {
            "agency": agency,
            "channel": channel,
            "day": day,
            "arrived": arrived,
            "applicant": applicant,
            "applicant_type": applicant_type,
            "content": content,
            "handler": handler,
        }
    )
    e = f.errors
    if len(choices) == 1 and not agency:
        agency = choices[0]
    if agency not in choices:
        e["agency"] = "请选择受理机关（您的管理范围内的机关）"
    if channel not in CHANNELS:
        e["channel"] = "请选择申请渠道：" + "、".join(CHANNELS.values())
    on = _date(day, e, "day", DATE_HINTS.get(channel, "收到日期"), True)
    came = _date(arrived, e, "arrived", "平信到达日期", False)
    if not applicant.strip():
        e["applicant"] = "请填写申请人姓名或名称"
    if applicant_type not in service.APPLICANT_LABELS:
        e["applicant_type"] = "请选择申请人类型：" + "、".join(service.APPLICANT_LABELS.values())
    if not content.strip():
        e["content"] = "请填写申请内容（所需政府信息的名称、文号或特征描述）"
    if e:
        return _new_page(request, caller, s, f, 422)
    cal = calendar(s, caller.user.name)
    try:
        with writing(s):
            req = service.add_request(
                s,
                agency=agency,
                channel=channel,
                applicant=applicant.strip(),
                applicant_type=applicant_type,
                who=caller.user.name,
                submitted=on if channel == "in_person" else None,
                signed=on if channel == "registered_mail" else None,
                confirmed=on if channel in ("ordinary_mail", "online", "fax") else None,
                arrived=came if channel == "ordinary_mail" else None,
                content=content.strip(),
                handler=handler.strip(),
                cal=cal,
            )
            target = req.id
    except (service.LedgerError, CalendarNotPublished) as exc:
        e["" if "编号" in str(exc) else "day"] = _web(str(exc))
        return _new_page(request, caller, s, f, 422)
    return RedirectResponse(f"/ledger/{target}", status_code=303)


# ---------------------------------------------------------------- the year's report


def _report_agency(s: Session, caller: Caller, agency: str) -> tuple[str, list[str]]:
    names = scope_names(s, caller)
    have = _ledger_agencies(s, names)
    if agency:
        if names is not None and agency not in names:
            raise ApiError(404, f"“{agency}”不在您的管理范围内")
        return agency, have
    if caller.user.role == "clerk" and caller.user.scope is not None:
        return caller.user.scope.name, have
    return (have[0] if have else ""), have


def _derived(s: Session, year: int, agency: str) -> tuple[Any, Any, bool, str]:
    """(report, check result, compared with last year, error): the year's report from
    the ledger, checked with the previous year's ledger report when the ledger reaches
    back that far."""
    from .. import api
    from ..ledger.report import ledger_report

    try:
        report = ledger_report(s, year, agency, published=f"{year + 1}-01-31")
        previous = None
        earlier = s.scalar(
            select(LedgerRequest.id)
            .where(LedgerRequest.agency == agency, LedgerRequest.received < date(year, 1, 1))
            .limit(1)
        )
        if earlier is not None and year - 1 >= 2021:
            previous = ledger_report(s, year - 1, agency, published=f"{year}-01-31")
    except (service.LedgerError, CalendarNotPublished) as exc:
        return None, None, False, _web(str(exc))
    return report, api.check_report(report, previous), previous is not None, ""


@router.get("/ledger/report", response_class=HTMLResponse)
def year_report(
    request: Request,
    caller: PageCaller,
    s: Db,
    year: Annotated[int | None, Query(ge=2021, le=2100)] = None,
    agency: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    year = year or date.today().year - 1
    name, have = _report_agency(s, caller, agency)
    report = result = None
    compared = False
    error = "" if name else "您的管理范围内的台账中还没有申请"
    answers = None
    if name:
        report, result, compared, error = _derived(s, year, name)
        if report is not None:
            try:
                answers = service.timeliness(s, year, name, calendar(s, caller.user.name))
            except CalendarNotPublished:
                answers = None
    findings = [f.contract_dict() for f in result.findings] if result is not None else []
    return render(
        request,
        "ledger_report.html",
        caller=caller,
        year=year,
        agency=name,
        agencies=have,
        error=error,
        compared=compared,
        answers=answers,
        report=report,
        findings=findings,
        tables=grids("2021", report.tables, findings) if report is not None else [],
        formats=REPORT_FORMATS,
    )


@router.get("/ledger/report.{fmt}")
def year_report_file(
    caller: PageCaller,
    s: Db,
    fmt: Annotated[str, Path(max_length=8)],
    year: Annotated[int, Query(ge=2021, le=2100)],
    agency: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    from .. import api
    from ..render import RenderError

    if fmt not in REPORT_FORMATS:
        raise ApiError(404, "台账年度报告只提供 docx、xlsx、pdf 三种格式")
    name, _have = _report_agency(s, caller, agency)
    if not name:
        raise ApiError(404, "您的管理范围内的台账中还没有申请")
    report, _result, _compared, error = _derived(s, year, name)
    if report is None:
        raise ApiError(409, error)
    try:
        data = api.render_report(report, fmt)
    except RenderError as exc:
        raise ApiError(422, f"无法生成年度报告：{exc}") from None
    return attachment(data, f"{name}{year}年政府信息公开工作年度报告（台账）.{fmt}", _MEDIA[fmt])


# ---------------------------------------------------------------- one request

EVENT_FORMS = (
    "correction_notice",
    "correction_received",
    "consultation_sent",
    "consultation_delivered",
    "consultation_answered",
    "extension",
    "fee_notice",
    "fee_paid",
    "reasons_asked",
    "reasons_given",
    "delay",
    "decision",
    "answer",
)
# the deadline an event's ``until`` sets, by kind (those required are in UNTIL_REQUIRED)
UNTIL_LABELS = {
    "correction_notice": "补正期限",
    "fee_notice": "缴费期限",
    "reasons_asked": "说明理由期限",
    "delay": "延迟答复期限",
}
UNTIL_REQUIRED = ("correction_notice", "reasons_asked", "delay")


def _possible(req: LedgerRequest) -> list[str]:
    """The event forms offered now: those the service does not refuse outright
    (``service.refusal``: closed, the one 补正 notice already given, …)."""
    kinds = [e.kind for e in req.events]
    # while a 补正 notice is outstanding the period has not started: the correction
    # arrives, or the request lapses (a decision, （六）1)
    waiting = kinds.count("correction_notice") > kinds.count("correction_received")
    return [
        kind
        for kind in EVENT_FORMS
        if service.refusal(req, kind) is None
        and not (waiting and kind not in ("correction_received", "decision", "answer"))
    ]


def _trail(s: Session, req: LedgerRequest) -> list[LedgerAudit]:
    events = [str(e.id) for e in req.events]
    cond: ColumnElement[bool] = (LedgerAudit.table == "ledger_requests") & (
        LedgerAudit.row == str(req.id)
    )
    if events:
        cond = or_(cond, (LedgerAudit.table == "ledger_events") & LedgerAudit.row.in_(events))
    return list(s.scalars(select(LedgerAudit).where(cond).order_by(LedgerAudit.id)))


def _request_page(
    request: Request,
    caller: Caller,
    s: Session,
    req: LedgerRequest,
    day: date,
    today_text: str = "",
    failed: tuple[str, Filled] | None = None,
) -> Response:
    cal = calendar(s, caller.user.name)
    try:
        c = service.clock(req, cal)
        used, left, late = c.progress(day, cal)
    except CalendarNotPublished as exc:
        c = service.Clock("open", None, str(exc))
        used = left = late = 0
    events = sorted(req.events, key=lambda e: (e.on, e.id or 0))
    kinds = {e.kind for e in req.events}
    docs = [
        (kind, title, need is None or need in kinds, service.EVENT_LABELS.get(need or "", ""))
        for kind, (title, need) in DOCUMENTS.items()
    ]
    extended = sum(e.days or 0 for e in req.events if e.kind == "extension")
    defaults = {"on": max(day, req.received).isoformat(), "days": str(EXTENSION_DAYS - extended)}
    forms = {k: Filled(dict(defaults)) for k in _possible(req)}
    refused: tuple[str, str, str] | None = None
    if failed is not None and failed[0] in forms:
        forms[failed[0]] = failed[1]
    elif failed is not None:
        # an event the service refuses outright: its message, and no form to retry
        kind, f = failed
        message = f.errors.get("") or "；".join(f.errors.values())
        refused = (kind, service.EVENT_LABELS.get(kind, kind), message)
    lapsed = ""
    notice = next((e for e in reversed(events) if e.kind == "correction_notice"), None)
    until = notice.until if notice is not None else None
    if c.state == "waiting_correction" and until is not None and until < day:
        lapsed = (
            f"补正期限 {until.isoformat()} 已届满，尚未收到补正：申请人无正当理由"
            "逾期不补正的，视为放弃申请，可记录办理决定“逾期不补正”（（六）1）"
        )
    counted = c.due.counted if c.due is not None else ANSWER_DAYS
    statutory = next((d for what, d in c.deadlines if what.startswith("法定答复期限")), c.due)
    state = _state_of(req)
    return render(
        request,
        "ledger_request.html",
        status=422 if failed is not None else 200,
        caller=caller,
        csrf=caller.csrf,
        req=req,
        line=_line(req, day),
        clock=c,
        due=_when(c.due.due) if c.due is not None else "",
        used=used,
        left=left,
        late=late,
        counted=counted,
        paused=c.due.paused if c.due is not None else 0,
        today=day,
        today_text=today_text,
        events=events,
        labels=service.EVENT_LABELS,
        results=RESULT_DISPLAY,
        methods=METHODS,
        forms=forms,
        refused=refused,
        extension_left=EXTENSION_DAYS - extended,
        lapsed=lapsed,
        state=state,
        statutory=statutory,
        until_labels=UNTIL_LABELS,
        reasons_rule=service.REASONS_RULE,
        delivery_rule=service.DELIVERY_RULE,
        answered=c.answered,
        docs=docs,
        trail=_trail(s, req),
        weekday=weekday,
    )


@router.get("/ledger/{request_id}", response_class=HTMLResponse)
def request_page(
    request: Request,
    request_id: RequestId,
    caller: PageCaller,
    s: Db,
    today: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    req = _request(s, caller, request_id)
    return _request_page(request, caller, s, req, _today(today), today)


@router.post("/ledger/{request_id}/events")
def record_event(
    request: Request,
    request_id: RequestId,
    caller: PageCaller,
    s: Db,
    csrf: Csrf = "",
    kind: Text = "",
    on: Text = "",
    until: Text = "",
    days: Text = "",
    approver: Text = "",
    result: Text = "",
    method: Text = "",
    pages: Text = "",
    note: LongText = "",
    today: Text = "",
) -> Response:
    check_csrf(caller, csrf)
    req = _request(s, caller, request_id)
    if kind not in EVENT_FORMS:
        raise ApiError(422, "不认识的办理事项")
    why = service.refusal(req, kind)
    if why is not None:  # refused whatever the fields say; nothing is stored
        f = Filled({}, {"": _web(why)})
        return _request_page(request, caller, s, req, _today(today), today, (kind, f))
    f = Filled(
        {
            "on": on,
            "until": until,
            "days": days,
            "approver": approver,
            "result": result,
            "method": method,
            "pages": pages,
            "note": note,
        }
    )
    e = f.errors
    day = _date(on, e, "on", "日期", True)
    deadline = _date(until, e, "until", UNTIL_LABELS.get(kind, "期限"), kind in UNTIL_REQUIRED)
    n_days = _int(days, e, "days", "延长的工作日数")
    n_pages = _int(pages, e, "pages", "页数")
    if kind == "extension" and not approver.strip():
        e["approver"] = "延期答复须经政府信息公开工作机构负责人同意：请填写批准人"
    if kind == "fee_notice":
        if method not in METHODS:
            e["method"] = "请选择按件计收或按量计收"
        elif method == PER_VOLUME and n_pages is None and "pages" not in e:
            e["pages"] = "按量计收须填写页数"
    if kind == "decision" and result not in service.RESULT_LABELS:
        e["result"] = "请选择办理结果（年报表三的结果行之一）"
    shown_today = _today(today)
    if not e and day is not None:
        cal = calendar(s, caller.user.name)
        try:
            with writing(s):
                service.add_event(
                    s,
                    req,
                    kind,
                    day,
                    caller.user.name,
                    until=deadline,
                    days=n_days if kind == "extension" else None,
                    approver=approver.strip() or None,
                    result=result or None,
                    method=method or None,
                    pages=n_pages,
                    note=note.strip(),
                    cal=cal,
                )
        except (service.LedgerError, CalendarNotPublished) as exc:
            e[""] = _web(str(exc))
    if e:
        req = _request(s, caller, request_id)
        return _request_page(request, caller, s, req, shown_today, today, (kind, f))
    query = f"?today={today}" if today else ""
    return RedirectResponse(f"/ledger/{request_id}{query}", status_code=303)


@router.get("/ledger/{request_id}/documents/{kind}.docx")
def document(
    request: Request,
    request_id: RequestId,
    kind: Annotated[str, Path(max_length=20)],
    caller: PageCaller,
    s: Db,
) -> Response:
    from ..ledger.documents import KINDS, DocumentError, render_document

    req = _request(s, caller, request_id)
    if kind not in KINDS:
        raise ApiError(404, "没有这种文书")
    cal = calendar(s, caller.user.name)
    try:
        data = render_document(req, kind, cal, folder=store_of(request).data / "ledger-templates")
    except (DocumentError, service.LedgerError, CalendarNotPublished) as exc:
        raise ApiError(409, _web(str(exc))) from None
    return attachment(data, f"{KINDS[kind]}（{req.number}）.docx", _MEDIA["docx"])
