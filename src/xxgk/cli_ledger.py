"""``xxgk ledger …``: the office's request ledger (registered on the main app by
``register``).  Like ``cli.py`` this module imports only Typer at start; each command
imports the ledger (and the store) when it runs."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated, Any

import typer

from .cli_help import Command, Group

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


def register(app: typer.Typer) -> None:
    app.add_typer(ledger, name="ledger")
