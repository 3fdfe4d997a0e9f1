"""``xxgk ledger …``: the office's request ledger (registered on the main app by
``register``).  Like ``cli.py`` this module imports only Typer at start; each command
imports the ledger (and the store) when it runs."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .cli_help import Command, Group

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .ledger.calendar import Due
    from .ledger.service import Answered
    from .store.ledger_models import LedgerRequest

ledger = typer.Typer(
    cls=Group,
    help="依申请公开台账：登记申请、记录办理事项、按工作日计算期限、信息处理费、年度报告。",
    no_args_is_help=True,
)


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def _fail(message: str, code: int = 2) -> typer.Exit:
    _say(f"xxgk ledger：{message}")
    return typer.Exit(code)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise _fail(f"{what}“{text}”不是日期（应写作 YYYY-MM-DD，例如 2024-09-27）") from None


def _opt_date(text: str | None, what: str) -> date | None:
    return None if text is None else _date(text, what)


@ledger.command("deadline", cls=Command)
def deadline_cmd(
    received: Annotated[str, typer.Option("--received", help="收到申请之日（YYYY-MM-DD）")],
    extended: Annotated[
        bool, typer.Option("--extended", help="经批准延长答复期限（再加 20 个工作日）")
    ] = False,
    paused_days: Annotated[
        int, typer.Option("--paused-days", help="不计入期限的工作日数（如征求意见）")
    ] = 0,
    days: Annotated[int, typer.Option("--days", help="期限的工作日数（默认 20）")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """计算答复期限（中国工作日，含法定节假日与调休），不读写台账。"""
    from .ledger.calendar import EXTENSION_DAYS, CalendarNotPublished, deadline

    day = _date(received, "--received")
    if paused_days < 0 or days < 1:
        raise _fail("--paused-days 不能为负数，--days 至少为 1")
    try:
        due = deadline(
            day, days, extension=EXTENSION_DAYS if extended else 0, paused_days=paused_days
        )
    except CalendarNotPublished as exc:
        raise _fail(str(exc)) from None
    if as_json:
        _print_json(due.contract_dict())
    else:
        sys.stdout.write(f"答复期限：{due.due.isoformat()}\n{due.explanation}\n")


@ledger.command("fee", cls=Command)
def fee_cmd(
    per_piece: Annotated[
        bool, typer.Option("--per-piece", help="按件计收（同一申请人同一自然月累计件数）")
    ] = False,
    per_volume: Annotated[bool, typer.Option("--per-volume", help="按量计收（页数）")] = False,
    count: Annotated[int | None, typer.Option("--count", help="当月累计申请件数")] = None,
    pages: Annotated[int | None, typer.Option("--pages", help="页数")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """计算信息处理费（国办函〔2020〕109号，超额累进），两种方式只能选一种。"""
    from .ledger.fees import PER_PIECE, PER_VOLUME, FeeError, fee_for

    if per_piece == per_volume:
        raise _fail("请选择 --per-piece（按件）或 --per-volume（按量）中的一种")
    try:
        if per_piece:
            if count is None:
                raise _fail("按件计收需要 --count N（当月累计申请件数）")
            fee = fee_for(PER_PIECE, count=count, pages=pages)
        else:
            if pages is None:
                raise _fail("按量计收需要 --pages N（页数）")
            fee = fee_for(PER_VOLUME, count=count, pages=pages)
    except FeeError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        _print_json(fee.contract_dict())
    else:
        sys.stdout.write(f"信息处理费：{fee.amount} 元\n{fee.explanation}\n")


# -- commands on the ledger (the XXGK_DATA / XXGK_DATABASE_URL database) ---------------

AgencyOpt = Annotated[str | None, typer.Option("--agency", help="机关名称")]
WhoOpt = Annotated[str | None, typer.Option("--who", help="操作人（记入审计记录）")]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]


def _who(who: str | None) -> str:
    return who or os.environ.get("XXGK_USER") or os.environ.get("USER") or "命令行"


@contextmanager
def _session() -> Iterator[Session]:
    """A committed session on the web app's database; ledger errors are one Chinese
    line and exit 2."""
    from .ledger.calendar import CalendarNotPublished
    from .ledger.service import LedgerError
    from .store.base import Store
    from .store.db import data_dir

    try:
        store = Store()
        store.upgrade()
    except Exception as exc:
        raise _fail(
            f"无法打开数据库（数据目录 {data_dir()}）：{type(exc).__name__}：{exc}"
        ) from None
    try:
        with store.session() as s:
            yield s
    except (LedgerError, CalendarNotPublished) as exc:
        raise _fail(str(exc)) from None
    finally:
        store.dispose()


def _request_dict(req: LedgerRequest) -> dict[str, Any]:
    from .ledger.channels import CHANNELS
    from .ledger.service import APPLICANT_LABELS, EVENT_LABELS, RESULT_LABELS

    return {
        "id": req.id,
        "number": req.number,
        "agency": req.agency,
        "channel": req.channel,
        "channel_label": CHANNELS.get(req.channel, req.channel),
        "received": req.received.isoformat(),
        "receipt": req.receipt_note,
        "applicant": req.applicant,
        "applicant_type": req.applicant_type,
        "applicant_type_label": APPLICANT_LABELS.get(req.applicant_type, ""),
        "content": req.content,
        "handler": req.handler,
        "state": req.state,
        "result": req.result,
        "result_label": RESULT_LABELS.get(req.result or "", None),
        "closed": req.closed.isoformat() if req.closed else None,
        "due": req.due.isoformat() if req.due else None,
        "due_explanation": req.due_note,
        "fee": req.fee_amount,
        "events": [
            {
                "kind": e.kind,
                "label": EVENT_LABELS.get(e.kind, e.kind),
                "on": e.on.isoformat(),
                "until": e.until.isoformat() if e.until else None,
                "approver": e.approver,
                "result": e.result,
                "result_label": RESULT_LABELS.get(e.result or "", None),
                "amount": e.amount,
                "note": e.note,
                "by": e.by,
            }
            for e in req.events
        ],
    }


def _answered_dict(answered: Answered | None) -> dict[str, Any] | None:
    if answered is None:
        return None
    return {
        "on_time": answered.on_time,
        "late_workdays": answered.late,
        "due": answered.due.due.isoformat() if answered.due else None,
        "verdict": answered.verdict,
        "explanation": answered.why,
    }


def _show(
    req: LedgerRequest,
    deadlines: list[tuple[str, Due]] | None = None,
    answered: Answered | None = None,
    article35: str = "",
) -> None:
    d = _request_dict(req)
    out = [
        f"{d['number']}  {d['agency']}  {d['applicant']}（{d['applicant_type_label']}）",
        f"收到：{d['receipt']}",
    ]
    for e in d["events"]:
        extra = "".join(
            f"，{k}"
            for k in (
                e["until"] and f"期限 {e['until']}",
                e["approver"] and f"批准人 {e['approver']}",
                e["amount"] is not None and f"{e['amount']} 元",
                e["result_label"],
            )
            if k
        )
        out.append(f"  {e['on']} {e['label']}{extra}")
    if req.state == "closed":
        out.append(f"已办结：{d['closed']}，{d['result_label']}")
        if answered is not None:
            limit = f"（答复期限 {answered.due.due.isoformat()}）" if answered.due else ""
            out.append(f"{answered.verdict}{limit}  {answered.why}")
    else:
        out.append(f"答复期限：{d['due'] or '—'}  {d['due_explanation']}")
    if article35:
        out.append(f"第三十五条：{article35}")
    for what, due in deadlines or []:
        out.append(f"{what}：{due.due.isoformat()}  {due.explanation}")
    sys.stdout.write("\n".join(out) + "\n")


@ledger.command("add", cls=Command)
def add_cmd(
    agency: Annotated[str, typer.Option("--agency", help="受理机关")],
    channel: Annotated[str, typer.Option("--channel", help="渠道：当面、挂号、平信、网络、传真")],
    applicant: Annotated[str, typer.Option("--applicant", help="申请人")],
    applicant_type: Annotated[
        str,
        typer.Option(
            "--type",
            help="申请人类型：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他",
        ),
    ],
    submitted: Annotated[str | None, typer.Option("--submitted", help="当面提交日期")] = None,
    signed: Annotated[str | None, typer.Option("--signed", help="挂号信签收日期")] = None,
    arrived: Annotated[str | None, typer.Option("--arrived", help="平信到达日期")] = None,
    confirmed: Annotated[
        str | None, typer.Option("--confirmed", help="确认日期（平信、网络、传真）")
    ] = None,
    content: Annotated[str, typer.Option("--content", help="申请内容")] = "",
    handler: Annotated[str, typer.Option("--handler", help="承办人")] = "",
    number: Annotated[str | None, typer.Option("--number", help="编号（默认自动编号）")] = None,
    who: WhoOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """登记一件政府信息公开申请（收到日期按条例第三十一条确定）。"""
    from .ledger.service import add_request

    with _session() as s:
        req = add_request(
            s,
            agency=agency,
            channel=channel,
            applicant=applicant,
            applicant_type=applicant_type,
            who=_who(who),
            submitted=_opt_date(submitted, "--submitted"),
            signed=_opt_date(signed, "--signed"),
            arrived=_opt_date(arrived, "--arrived"),
            confirmed=_opt_date(confirmed, "--confirmed"),
            content=content,
            handler=handler,
            number=number,
        )
        if as_json:
            _print_json(_request_dict(req))
        else:
            _show(req)


@ledger.command("event", cls=Command)
def event_cmd(
    ref: Annotated[str, typer.Argument(help="申请编号或 id")],
    kind: Annotated[
        str,
        typer.Argument(
            help="事项：correction_notice、correction_received、consultation_sent、"
            "consultation_delivered（征求意见书送达，第三方的 15 个工作日自此起算；未记录的"
            "按发函当日送达计）、consultation_answered、extension、fee_notice、fee_paid、"
            "reasons_asked（第三十五条要求说明理由，--until 说明理由期限）、reasons_given"
            "（申请人说明理由）、delay（第三十五条延迟答复，--until 延迟答复的合理期限）、"
            "decision、answer"
        ),
    ],
    on: Annotated[str, typer.Option("--on", help="日期（YYYY-MM-DD）")],
    until: Annotated[
        str | None,
        typer.Option("--until", help="补正期限、说明理由期限、延迟答复的合理期限、缴费期限"),
    ] = None,
    days: Annotated[int | None, typer.Option("--days", help="延长的工作日数（默认 20）")] = None,
    approver: Annotated[str | None, typer.Option("--approver", help="延期批准人")] = None,
    result: Annotated[str | None, typer.Option("--result", help="办理结果（表三结果行）")] = None,
    method: Annotated[
        str | None,
        typer.Option("--method", help="收费方式：per_piece（按件）或 per_volume（按量）"),
    ] = None,
    pages: Annotated[int | None, typer.Option("--pages", help="按量计收的页数")] = None,
    note: Annotated[str, typer.Option("--note", help="备注")] = "",
    agency: AgencyOpt = None,
    who: WhoOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录办理事项（补正、征求意见、延期、收费、第三十五条要求说明理由与延迟答复、决定、答复），并显示新的期限。"""
    from .ledger.service import add_event, get_request

    with _session() as s:
        req = get_request(s, ref, agency)
        _, c = add_event(
            s,
            req,
            kind,
            _date(on, "--on"),
            _who(who),
            until=_opt_date(until, "--until"),
            days=days,
            approver=approver,
            result=result,
            method=method,
            pages=pages,
            note=note,
        )
        if as_json:
            data = _request_dict(req)
            data["deadlines"] = [{"what": w, **d.contract_dict()} for w, d in c.deadlines]
            data["warnings"] = c.warnings
            data["answered"] = _answered_dict(c.answered)
            data["article35"] = c.article35
            _print_json(data)
        else:
            _show(req, c.deadlines, c.answered, c.article35)
            for w in c.warnings:
                _say(f"注意：{w}")


@ledger.command("show", cls=Command)
def show_cmd(
    ref: Annotated[str, typer.Argument(help="申请编号或 id")],
    agency: AgencyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """显示一件申请、它的办理事项和期限说明。"""
    from .ledger.service import clock, get_request, load_calendar

    with _session() as s:
        req = get_request(s, ref, agency)
        c = clock(req, load_calendar(s))
        if as_json:
            data = _request_dict(req)
            data["deadlines"] = [{"what": w, **d.contract_dict()} for w, d in c.deadlines]
            data["answered"] = _answered_dict(c.answered)
            data["article35"] = c.article35
            _print_json(data)
        else:
            _show(req, c.deadlines, c.answered, c.article35)


@ledger.command("list", cls=Command)
def list_cmd(
    due_soon: Annotated[
        int | None, typer.Option("--due-soon", help="N 个工作日内到期的申请")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="已超过答复期限的申请")] = False,
    closed: Annotated[
        bool, typer.Option("--closed", help="已办结的申请，注明按期或逾期答复")
    ] = False,
    lapsing: Annotated[
        bool,
        typer.Option(
            "--lapsing", help="补正、缴费或说明理由（第三十五条）期限已过、尚未办结的申请"
        ),
    ] = False,
    year: Annotated[
        int | None, typer.Option("--year", help="与 --closed 同用：该年答复的申请")
    ] = None,
    today: Annotated[str | None, typer.Option("--today", help="以该日为今天（默认今天）")] = None,
    agency: AgencyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """列出办理中的申请（可只列即将到期或已逾期的），或已办结的申请（--closed）。"""
    from .ledger.service import due_soon as soon
    from .ledger.service import open_requests
    from .ledger.service import overdue as late

    if sum((overdue, due_soon is not None, closed, lapsing)) > 1:
        raise _fail("--overdue、--due-soon、--closed、--lapsing 只能选一个")
    if year is not None and not closed:
        raise _fail("--year 与 --closed 同用（列出该年答复的申请）")
    day = _opt_date(today, "--today") or date.today()
    with _session() as s:
        if closed:
            _list_closed(s, year, agency, as_json)
            return
        if lapsing:
            from .ledger.service import lapsing as lapsed

            found = lapsed(s, day, agency)
            if as_json:
                _print_json([{**_request_dict(r), "lapse": why} for r, why in found])
                return
            if not found:
                sys.stdout.write("没有符合条件的申请。\n")
            for r, why in found:
                sys.stdout.write(f"{r.number}\t{r.agency}\t{r.applicant}\t{why}\n")
            return
        if overdue:
            reqs = list(late(s, day, agency))
        elif due_soon is not None:
            reqs = soon(s, day, due_soon, agency)
        else:
            reqs = list(open_requests(s, agency))
        if as_json:
            _print_json([_request_dict(r) for r in reqs])
            return
        if not reqs:
            sys.stdout.write("没有符合条件的申请。\n")
        for r in reqs:
            due = r.due.isoformat() if r.due else "—"
            flag = "（已逾期）" if r.due and r.due < day else ""
            sys.stdout.write(
                f"{r.number}\t{r.agency}\t{r.applicant}\t期限 {due}{flag}\t{r.due_note}\n"
            )


def _list_closed(s: Session, year: int | None, agency: str | None, as_json: bool) -> None:
    from sqlalchemy import select

    from .ledger.service import RESULT_LABELS, clock, load_calendar
    from .store.ledger_models import LedgerRequest

    q = select(LedgerRequest).where(LedgerRequest.state == "closed")
    if year is not None:
        q = q.where(
            LedgerRequest.closed >= date(year, 1, 1), LedgerRequest.closed <= date(year, 12, 31)
        )
    if agency:
        q = q.where(LedgerRequest.agency == agency)
    reqs = s.scalars(q.order_by(LedgerRequest.closed, LedgerRequest.id)).all()
    cal = load_calendar(s)
    answers = [clock(r, cal).answered for r in reqs]
    if as_json:
        _print_json(
            [
                {**_request_dict(r), "answered": _answered_dict(a)}
                for r, a in zip(reqs, answers, strict=True)
            ]
        )
        return
    if not reqs:
        sys.stdout.write("没有符合条件的申请。\n")
    for r, a in zip(reqs, answers, strict=True):
        verdict = a.verdict if a is not None else "—"
        due = f"期限 {a.due.due.isoformat()}" if a is not None and a.due else "期限 —"
        result = RESULT_LABELS.get(r.result or "", "")
        sys.stdout.write(
            f"{r.number}\t{r.agency}\t{r.applicant}\t{r.closed} 答复\t{due}\t{verdict}\t{result}\n"
        )


@ledger.command("calendar", cls=Command)
def calendar_cmd(
    day: Annotated[str | None, typer.Option("--day", help="要修改的日期")] = None,
    off: Annotated[bool, typer.Option("--off", help="设为放假")] = False,
    work: Annotated[bool, typer.Option("--work", help="设为调休上班")] = False,
    reset: Annotated[bool, typer.Option("--reset", help="恢复为周一至周五上班的规则")] = False,
    name: Annotated[str, typer.Option("--name", help="名称（如 国庆节）")] = "",
    publish_year: Annotated[
        int | None, typer.Option("--publish-year", help="登记某年放假安排已录入完毕")
    ] = None,
    who: WhoOpt = None,
) -> None:
    """修改工作日日历（放假、调休上班），并重算办理中申请的期限。"""
    from .ledger.service import load_calendar, set_calendar_day
    from .ledger.service import publish_year as publish

    with _session() as s:
        if publish_year is not None:
            publish(s, publish_year, _who(who))
            sys.stdout.write(f"已登记 {publish_year} 年放假安排。\n")
        if day is not None:
            if sum((off, work, reset)) != 1:
                raise _fail("请选择 --off、--work、--reset 中的一个")
            moved = set_calendar_day(
                s, _date(day, "--day"), None if reset else work, name, _who(who)
            )
            sys.stdout.write(f"已修改 {day}；{len(moved)} 件办理中申请的期限随之改变。\n")
            for r in moved:
                sys.stdout.write(f"  {r.number}：{r.due_note}\n")
        if day is None and publish_year is None:
            cal = load_calendar(s)
            sys.stdout.write(
                f"日历收录 {min(cal.years)}–{max(cal.years)} 年：放假 {len(cal.holidays)} 天，"
                f"调休上班 {len(cal.workdays)} 天。\n"
            )


@ledger.command("report", cls=Command)
def report_cmd(
    year: Annotated[int, typer.Argument(help="年度")],
    agency: AgencyOpt = None,
    published: Annotated[
        str | None, typer.Option("--published", help="发布日期（默认次年 1 月 31 日，法定期限）")
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="输出格式：docx、html、pdf、md、xlsx、txt、yaml、json"),
    ] = None,
    out: Annotated[str | None, typer.Option("--out", help="输出文件")] = None,
    as_json: JsonOpt = False,
) -> None:
    """由台账生成该年度的政府信息公开工作年度报告，并核查。"""
    from pathlib import Path

    from .api import check_report, render_report
    from .ledger.report import ledger_report

    day = published or f"{year + 1}-01-31"
    _date(day, "--published")
    from .ledger.service import timeliness

    with _session() as s:
        report = ledger_report(s, year, agency, published=day)
        answers = timeliness(s, year, agency)
    result = check_report(report)
    if to is not None:
        from .render import RenderError

        try:
            data = render_report(report, to)
        except RenderError as exc:
            raise _fail(str(exc)) from None
        if out:
            Path(out).write_bytes(data)
            _say(f"已写出 {out}")
        else:
            sys.stdout.buffer.write(data)
        return
    if as_json:
        _print_json(result.contract_dict())
        return
    from rich.console import Console

    from .show import print_check

    print_check(Console(soft_wrap=False, emoji=False), result)
    sys.stdout.write(f"台账：{answers.sentence()}。\n")
    if published is None:
        _say(f"（发布日期暂按法定期限 {day} 填写，可用 --published 指定）")


@ledger.command("simulate", cls=Command)
def simulate_cmd(
    year: Annotated[int, typer.Option("--year", help="年度")],
    requests: Annotated[int, typer.Option("--requests", help="申请件数")] = 500,
    seed: Annotated[int, typer.Option("--seed", help="随机种子（相同种子得到相同台账）")] = 1,
    agency: Annotated[str, typer.Option("--agency", help="机关名称")] = "模拟县模拟局",
    as_json: JsonOpt = False,
) -> None:
    """模拟一年的台账（演示和测试用），生成年度报告并核查。"""
    from .api import check_report
    from .ledger.report import ledger_report
    from .ledger.simulate import simulate

    if requests < 0:
        raise _fail("--requests 不能为负数")
    with _session() as s:
        sim = simulate(s, year, requests, seed, agency)
    with _session() as s:
        report = ledger_report(s, year, agency, published=f"{year + 1}-01-31")
    result = check_report(report)
    t3 = report.tables["t3"]
    tot = {k: t3[k]["total"] for k in ("new", "carried_over", "results_total", "carried_forward")}
    summary: dict[str, Any] = {
        "year": year,
        "agency": agency,
        "requests": sim.added,
        "answered_this_year": sim.answered,
        "carried_over_answered": sim.carried_in_closed,
        "t3_total": tot,
        "findings": [f.contract_dict() for f in result.findings],
    }
    if as_json:
        _print_json(summary)
        return
    sys.stdout.write(
        f"已模拟 {agency} {year} 年：新收 {tot['new']} 件，上年结转 {tot['carried_over']} 件，"
        f"办结 {tot['results_total']} 件，结转下年度 {tot['carried_forward']} 件。\n"
        + (
            "年度报告核查无问题。\n"
            if not result.findings
            else f"年度报告核查发现 {len(result.findings)} 个问题：\n"
        )
    )
    for f in result.findings:
        sys.stdout.write(f"  {f.code} {f.message}\n")


def _templates_dir() -> Any:
    from .store.db import data_dir

    return data_dir() / "ledger-templates"


@ledger.command("document", cls=Command)
def document_cmd(
    ref: Annotated[str, typer.Argument(help="申请编号或 id")],
    kind: Annotated[
        str,
        typer.Argument(
            help="文书：receipt（受理回执）、correction（补正告知书）、extension（延期答复告知书）、"
            "consultation（征求意见函）、fee（收费通知书）、reasons（说明理由通知书）、"
            "delay（延迟答复告知书）、answer（答复书）"
        ),
    ],
    out: Annotated[str, typer.Option("--out", help="输出的 Word 文件（.docx）")],
    agency: AgencyOpt = None,
) -> None:
    """由台账和模板制作一份文书（Word）；模板可在 XXGK_DATA/ledger-templates/ 下修改。"""
    from pathlib import Path

    from .ledger.documents import DocumentError, render_document
    from .ledger.service import get_request, load_calendar

    with _session() as s:
        req = get_request(s, ref, agency)
        try:
            data = render_document(req, kind, load_calendar(s), folder=_templates_dir())
        except DocumentError as exc:
            raise _fail(str(exc)) from None
    Path(out).write_bytes(data)
    _say(f"已写出 {out}")


@ledger.command("templates", cls=Command)
def templates_cmd(
    folder: Annotated[
        str | None, typer.Argument(help="写出默认模板的文件夹（默认 XXGK_DATA/ledger-templates）")
    ] = None,
) -> None:
    """写出六种文书的默认模板（.docx），供机关修改；已有的文件不覆盖。"""
    from pathlib import Path

    from .ledger.documents import KINDS, default_template

    target = Path(folder) if folder else _templates_dir()
    target.mkdir(parents=True, exist_ok=True)
    for kind, title in KINDS.items():
        path = target / f"{kind}.docx"
        if path.exists():
            _say(f"已存在，未覆盖：{path}")
            continue
        path.write_bytes(default_template(kind))
        sys.stdout.write(f"{path}  {title}\n")


@ledger.command("import", cls=Command)
def import_cmd(
    path: Annotated[str, typer.Argument(help="Excel 台账文件（.xlsx），一行一件申请")],
    agency: Annotated[str, typer.Option("--agency", help="机关名称")],
    who: WhoOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """导入机关原有的 Excel 台账，并列出列映射和未能导入的行（不会丢弃任何一行）。"""
    from pathlib import Path

    from .ledger.importer import FIELD_LABELS, RegisterImportError, import_register

    file = Path(path)
    if not file.is_file():
        raise _fail(f"{path}：文件不存在")
    with _session() as s:
        try:
            result = import_register(s, file, agency, _who(who))
        except RegisterImportError as exc:
            raise _fail(str(exc)) from None
    if as_json:
        _print_json(result.contract_dict())
        return
    lines = [f"{path}（工作表“{result.sheet}”，第 {result.header_row} 行为表头）", "列映射："]
    lines += [f"  {h} → {FIELD_LABELS[f]}" for h, f in result.mapping.items()]
    if result.unused:
        lines.append("未使用的列：" + "、".join(result.unused))
    lines.append(f"已导入 {len(result.imported)} 行。")
    if result.unplaced:
        lines.append(f"未能导入 {len(result.unplaced)} 行（请修改后重新导入这些行）：")
        for row, why, values in result.unplaced:
            shown = "，".join(f"{k}={v}" for k, v in values.items() if v)
            lines.append(f"  第 {row} 行：{why}（{shown}）")
    sys.stdout.write("\n".join(lines) + "\n")


cases = typer.Typer(
    cls=Group, help="行政复议、行政诉讼案件（统计入年报表四）。", no_args_is_help=True
)
items = typer.Typer(
    cls=Group,
    help="主动公开登记（第二十条各项，经初审、审核、审批后统计入年报表二）。",
    no_args_is_help=True,
)
ledger.add_typer(cases, name="case")
ledger.add_typer(items, name="register")


@cases.command("add", cls=Command)
def case_add(
    agency: Annotated[str, typer.Option("--agency", help="机关名称")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="review（行政复议）、lit_direct（未经复议直接起诉）、lit_after_review（复议后起诉）",
        ),
    ],
    filed: Annotated[str, typer.Option("--filed", help="立案（收到）日期")],
    request: Annotated[str | None, typer.Option("--request", help="引起案件的申请编号")] = None,
    note: Annotated[str, typer.Option("--note", help="备注")] = "",
    who: WhoOpt = None,
) -> None:
    """登记一件行政复议或行政诉讼案件。"""
    from .ledger.service import add_case, get_request

    with _session() as s:
        req = get_request(s, request, agency) if request else None
        case = add_case(
            s,
            agency=agency,
            kind=kind,
            filed=_date(filed, "--filed"),
            who=_who(who),
            request=req,
            note=note,
        )
        s.flush()
        sys.stdout.write(f"已登记案件 {case.id}（{kind}，{filed}，尚未审结）\n")


@cases.command("decide", cls=Command)
def case_decide(
    case_id: Annotated[int, typer.Argument(help="案件 id")],
    result: Annotated[
        str, typer.Option("--result", help="upheld（维持）、corrected（纠正）、other（其他结果）")
    ],
    on: Annotated[str, typer.Option("--on", help="审结日期")],
    who: WhoOpt = None,
) -> None:
    """登记案件的审结结果。"""
    from .ledger.service import LedgerError, decide_case
    from .store.ledger_models import LedgerCase

    with _session() as s:
        case = s.get(LedgerCase, case_id)
        if case is None:
            raise LedgerError(f"没有案件 {case_id}")
        decide_case(s, case, result, _date(on, "--on"), _who(who))
        sys.stdout.write(f"案件 {case_id} 已审结：{result}（{on}）\n")


@items.command("add", cls=Command)
def item_add(
    agency: Annotated[str, typer.Option("--agency", help="机关名称")],
    category: Annotated[int, typer.Option("--category", help="第二十条第几项（1–15）")],
    title: Annotated[str, typer.Option("--title", help="信息名称")],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="表二的行：regulation、normative_doc、permit、penalty、compulsion、fee"
        ),
    ] = None,
    amount: Annotated[float | None, typer.Option("--amount", help="收费金额（万元）")] = None,
    who: WhoOpt = None,
) -> None:
    """登记一条拟主动公开的信息（须经初审、审核、审批）。"""
    from .ledger.service import add_register_item

    with _session() as s:
        item = add_register_item(
            s,
            agency=agency,
            category=category,
            title=title,
            who=_who(who),
            kind=kind,
            amount=amount,
        )
        s.flush()
        sys.stdout.write(f"已登记条目 {item.id}：{title}（待初审）\n")


@items.command("review", cls=Command)
def item_review(
    item_id: Annotated[int, typer.Argument(help="条目 id")],
    step: Annotated[str, typer.Option("--step", help="初审、审核 或 审批（审批即公开）")],
    by: Annotated[str, typer.Option("--by", help="审核人")],
    on: Annotated[str, typer.Option("--on", help="日期")],
) -> None:
    """登记一步审核；审批后该条目即为已公开。"""
    from .ledger.service import LedgerError, review_item
    from .store.ledger_models import RegisterItem

    with _session() as s:
        item = s.get(RegisterItem, item_id)
        if item is None:
            raise LedgerError(f"没有条目 {item_id}")
        review_item(s, item, step, by, _date(on, "--on"))
        sys.stdout.write(f"条目 {item_id} 已{step}（{by}，{on}）\n")


@items.command("repeal", cls=Command)
def item_repeal(
    item_id: Annotated[int, typer.Argument(help="条目 id")],
    on: Annotated[str, typer.Option("--on", help="废止日期")],
    who: WhoOpt = None,
) -> None:
    """登记规章、行政规范性文件的废止。"""
    from .ledger.service import LedgerError, repeal_item
    from .store.ledger_models import RegisterItem

    with _session() as s:
        item = s.get(RegisterItem, item_id)
        if item is None:
            raise LedgerError(f"没有条目 {item_id}")
        repeal_item(s, item, _date(on, "--on"), _who(who))
        sys.stdout.write(f"条目 {item_id} 已于 {on} 废止\n")
