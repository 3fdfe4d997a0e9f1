"""A clerk (or supervisor) corrects one cell's value with a reason: a new version of
the report (never an overwrite) with the change trail, checked again.

The corrected ``Report`` is the stored one (``evidence.report_of``) with the one value
changed; it is checked with ``api.check_report`` and stored, as the worker stores a
result, as a new ``StoredReport`` whose file is the corrected report as JSON (``xxgk
parse --json``'s form, readable again by ``api.parse_bytes``)."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy.orm import Session

from ..store import accounts, reports
from ..store.base import Store
from ..store.filing_models import Correction
from ..store.models import StoredReport, User
from . import evidence, history
from .errors import ApiError
from .worker import _finite


def parse_value(text: str) -> int | float | None:
    """A value as a clerk types it: a whole number, a decimal, or blank (None)."""
    t = text.strip().replace(",", "").replace("，", "")
    if not t:
        return None
    try:
        number = float(t)
    except ValueError:
        raise ApiError(422, f"“{text.strip()}”不是数值，请填写数字（或留空表示空白）") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ApiError(422, f"“{text.strip()}”不是数值")
    return int(number) if number.is_integer() else number


def source_of(result: dict[str, Any], cell: str) -> str:
    """Where the old value was read, in words (the page, line, printed text)."""
    where = ((result.get("report") or {}).get("cells") or {}).get(cell) or {}
    parts = []
    if where.get("page"):
        parts.append(f"第 {where['page']} 页")
    if where.get("line"):
        parts.append(f"第 {where['line']} 行")
    if where.get("raw") is not None:
        parts.append(f"原文“{where['raw']}”")
    return "，".join(parts) or "原文件中未找到该单元格"


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:100]


def correct(
    s: Session, store: Store, user: User, row: StoredReport, cell: str, text: str, reason: str
) -> StoredReport:
    """A new checked version of ``row`` with ``cell`` set to ``text``; the trail kept."""
    from .. import api
    from ..format import VERSIONS

    if row.status != "done" or row.result is None:
        raise ApiError(409, "这份报告尚未核查完毕，不能更正")
    if not reason.strip():
        raise ApiError(422, "请填写更正理由")
    version = VERSIONS.get(row.format or "2021")
    if version is None or cell not in version.cell_keys():
        raise ApiError(422, f"没有单元格“{cell}”")
    value = parse_value(text)
    report = evidence.report_of(copy.deepcopy(row.result.get("report") or {}))
    t, r, c = cell.split(".")
    before = report.tables.get(t, {}).get(r, {}).get(c)
    if before == value:
        raise ApiError(
            422, f"{version.display(cell)} 的数值已是 {_shown(value) or '空白'}，无需更正"
        )
    report.tables.setdefault(t, {}).setdefault(r, {})[c] = value
    stem = row.filename.rsplit(".", 1)[0]
    name = f"{stem.split('-更正')[0]}-更正.json"[:255]
    report.source = name
    data = api.render_report(report, "json")
    sha = store.put_file(data)
    new, duplicate = reports.add_upload(s, sha, len(data), name, user, row.agency_id)
    if duplicate:
        raise ApiError(409, f"同样的更正已保存为报告 {new.id}")
    result = _finite(api.check_report(report).contract_dict())
    result["source"] = name
    result["report"]["source"] = name
    result["report"]["cells"] = (row.result.get("report") or {}).get("cells") or {}
    reports.finish(s, new, result, None, {row.agency_id} if row.agency_id else None)
    s.add(
        Correction(
            report_id=new.id,
            base_id=row.id,
            cell=cell,
            before=_shown(before),
            after=_shown(value),
            source=source_of(row.result, cell),
            reason=reason.strip(),
            user_id=user.id,
            username=user.name,
        )
    )
    accounts.audit(
        s,
        user,
        "report.correct",
        f"报告 {row.id} → {new.id}：{version.display(cell)} {_shown(before) or '空白'} → "
        f"{_shown(value) or '空白'}；理由：{reason.strip()}",
    )
    s.flush()
    history.after_finish(s, store, new)  # XYR-* against last year's (failures leave it)
    return new
