"""An office's existing Excel register (one row per request) into the ledger.

The header row is found among the first rows of each sheet by the column names offices
commonly use (申请日期/收到日期, 申请人, 申请人类型, 申请方式, 申请内容, 承办人, 办理结果,
答复日期 …).  Every data row either becomes a request (answered when a result and an
answer date are given) or is listed with the reason it could not be placed — a row is
never dropped silently.  Each row is written in its own savepoint, so one bad row does
not undo the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from .calendar import CalendarNotPublished
from .service import LedgerError, add_event, add_request, decide, load_calendar, result_key

FIELDS = {
    "number": ("编号", "受理编号", "申请编号", "登记编号", "序号"),
    "received": (
        "收到日期",
        "收到申请日期",
        "受理日期",
        "申请日期",
        "登记日期",
        "收件日期",
        "申请时间",
    ),
    "channel": ("申请方式", "申请渠道", "渠道", "提交方式", "受理方式"),
    "applicant": ("申请人", "申请人姓名", "申请人名称", "姓名/名称", "申请人姓名或名称"),
    "applicant_type": ("申请人类型", "申请人类别", "申请人身份", "类型", "申请主体"),
    "content": ("申请内容", "申请事项", "所需信息", "申请公开的信息", "所需政府信息"),
    "handler": ("承办人", "经办人", "承办科室", "承办单位", "办理人"),
    "result": ("办理结果", "答复结果", "处理结果", "答复类型", "答复情况"),
    "answered": ("答复日期", "办结日期", "答复时间", "送达日期"),
}
FIELD_LABELS = {
    "number": "编号",
    "received": "收到日期",
    "channel": "渠道",
    "applicant": "申请人",
    "applicant_type": "申请人类型",
    "content": "申请内容",
    "handler": "承办人",
    "result": "办理结果",
    "answered": "答复日期",
}
APPLICANT_WORDS = {
    "natural": ("自然人", "公民", "个人", "群众"),
    "commercial": ("商业企业", "企业", "公司"),
    "research": ("科研机构", "高校", "大学", "研究院", "研究所"),
    "public_interest": ("社会公益组织", "公益组织", "社会组织", "基金会"),
    "legal_service": ("法律服务机构", "律师事务所", "律所", "律师"),
    "other_org": ("其他", "其他组织", "其他法人", "事业单位", "村委会", "居委会"),
}
CHANNEL_WORDS = {
    "in_person": ("当面", "现场", "窗口", "当面提交"),
    "registered_mail": ("挂号", "邮寄", "信函", "快递", "EMS", "邮政"),
    "ordinary_mail": ("平信",),
    "online": ("网络", "网上", "在线", "网站", "电子邮件", "邮箱", "互联网"),
    "fax": ("传真",),
}
RESULT_WORDS = {
    "granted": ("予以公开", "公开", "同意公开", "全部公开", "已主动公开"),
    "partial": ("部分公开", "区分处理"),
    "unable_not_held": ("信息不存在", "不掌握", "本机关不掌握", "无此信息"),
    "unable_needs_creation": ("需另行制作", "没有现成信息"),
    "rejected_petition": ("信访", "信访举报投诉"),
    "rejected_duplicate": ("重复申请",),
    "rejected_publication": ("公开出版物",),
    "rejected_excessive": ("大量反复申请", "大量反复"),
    "other_no_correction": ("逾期不补正", "视为放弃"),
    "other_no_fee": ("逾期未缴费",),
}


class RegisterImportError(ValueError):
    pass


@dataclass
class Imported:
    source: str
    sheet: str = ""
    header_row: int = 0
    mapping: dict[str, str] = field(default_factory=dict)  # column header → field
    unused: list[str] = field(default_factory=list)
    imported: list[tuple[int, str]] = field(default_factory=list)  # (row, number)
    unplaced: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)

    def contract_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "mapping": {h: FIELD_LABELS[f] for h, f in self.mapping.items()},
            "unused_columns": self.unused,
            "imported": [{"row": r, "number": n} for r, n in self.imported],
            "unplaced": [{"row": r, "reason": why, "values": v} for r, why, v in self.unplaced],
        }


def _norm(text: object) -> str:
    return re.sub(r"[\s　:：*（）()]", "", str(text or ""))


def _field_of(header: object) -> str | None:
    h = _norm(header)
    for name, words in FIELDS.items():
        if h in (_norm(w) for w in words):
            return name
    return None


def _date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", str(value))
    if not m:
        raise ValueError(f"“{value}”不是日期")
    return date(int(m[1]), int(m[2]), int(m[3]))


def _match(value: str, table: dict[str, tuple[str, ...]], what: str) -> str:
    v = _norm(value)
    for key, words in table.items():  # exact words first, then words contained
        if v in words:
            return key
    for key, words in table.items():
        if any(w in v for w in words if len(w) > 1):
            return key
    raise ValueError(f"{what}“{value}”无法对应")


def read_rows(path: Path) -> tuple[str, int, list[str], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise RegisterImportError(f"{path}：无法读取 Excel 文件（{type(exc).__name__}）") from None
    try:
        for ws in wb.worksheets:
            rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), 1)]
            for i, row in rows[:10]:
                known = [c for c in row if _field_of(c) is not None]
                if len(known) >= 3:
                    headers = ["" if c is None else str(c).strip() for c in row]
                    data = [
                        (j, r) for j, r in rows if j > i and any(v not in (None, "") for v in r)
                    ]
                    return ws.title, i, headers, data
    finally:
        wb.close()
    raise RegisterImportError(
        f"{path}：没有找到表头（需要至少三列常用列名，如 申请日期、申请人、申请人类型、申请方式、申请内容）"
    )


def import_register(s: Session, path: Path, agency: str, who: str) -> Imported:
    sheet, header_row, headers, rows = read_rows(path)
    out = Imported(str(path), sheet, header_row)
    columns: dict[str, int] = {}
    for i, h in enumerate(headers):
        name = _field_of(h)
        if name is not None and name not in columns:
            columns[name] = i
            out.mapping[h] = name
        elif h:
            out.unused.append(h)
    cal = load_calendar(s)
    for row_no, values in rows:
        shown = {
            headers[i]: "" if v is None else str(v)
            for i, v in enumerate(values)
            if i < len(headers) and headers[i]
        }

        def cell(name: str, values: list[Any] = values) -> Any:
            i = columns.get(name)
            return values[i] if i is not None and i < len(values) else None

        try:
            with s.begin_nested():
                received = _date(cell("received"))
                if received is None:
                    raise ValueError("缺少收到日期")
                applicant = str(cell("applicant") or "").strip()
                if not applicant:
                    raise ValueError("缺少申请人")
                kind_text = str(cell("applicant_type") or "").strip()
                if not kind_text:
                    raise ValueError("缺少申请人类型（年报表三按申请人类型统计）")
                kind = _match(kind_text, APPLICANT_WORDS, "申请人类型")
                channel = _match(str(cell("channel") or "网络"), CHANNEL_WORDS, "申请方式")
                dates = {
                    "in_person": {"submitted": received},
                    "registered_mail": {"signed": received},
                    "ordinary_mail": {"arrived": received, "confirmed": received},
                }.get(channel, {"confirmed": received})
                number = cell("number")
                req = add_request(
                    s,
                    agency=agency,
                    channel=channel,
                    applicant=applicant,
                    applicant_type=kind,
                    who=who,
                    content=str(cell("content") or ""),
                    handler=str(cell("handler") or ""),
                    number=str(number).strip() if number not in (None, "") else None,
                    cal=cal,
                    **dates,
                )
                result_text = str(cell("result") or "").strip()
                answered = _date(cell("answered"))
                if result_text or answered:
                    if not (result_text and answered):
                        raise ValueError("办理结果和答复日期须同时填写")
                    try:
                        result = result_key(result_text)
                    except LedgerError:
                        result = _match(result_text, RESULT_WORDS, "办理结果")
                    if result == "rejected_excessive":
                        # （五）4 follows a request for reasons (条例第三十五条), whose dates
                        # the old register does not hold: recorded on the answer date, said so
                        note = "由原台账导入：原台账未记录要求说明理由和申请人说明理由的日期"
                        until = answered + timedelta(days=1)
                        add_event(
                            s, req, "reasons_asked", answered, who, until=until, note=note, cal=cal
                        )
                        add_event(s, req, "reasons_given", answered, who, note=note, cal=cal)
                    decide(s, req, result, answered, who, cal=cal)
                out.imported.append((row_no, req.number))
        except (ValueError, CalendarNotPublished) as exc:
            out.unplaced.append((row_no, str(exc), shown))
    return out
