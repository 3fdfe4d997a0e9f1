"""The catalogue: agencies × years (filed / missing, errors, warnings), filtered by
region, level and year, each filed cell linking to the report; and every finding of
the jurisdiction, filterable by code, severity, region and year, exportable to XLSX.
What a user sees is bounded by their scope (a clerk: their agency only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store import agencies, reports
from ..store import review_models as review
from ..store.models import LEVELS, Agency, StoredReport, User
from .auth import Db, PageCaller
from .errors import ApiError
from .pages import render
from .report_view import attachment

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Query(max_length=200)]
Year = Annotated[int | None, Query(ge=1990, le=2100)]
YEARS_SHOWN = 5  # the latest years with reports, when no year is chosen
FINDINGS_SHOWN = 1000  # finding rows on the page (the workbook has them all)


@dataclass
class Filters:
    region: str = ""
    level: str = ""
    year: int | None = None
    code: str = ""
    severity: str = ""


def _agencies(s: Session, user: User, f: Filters) -> list[tuple[Agency, int]]:
    """The agencies in the user's scope and the filters, in tree order, with depth."""
    scope = reports.scope_of(s, user)
    allowed = scope.agencies
    if f.region:
        found = agencies.by_name(s, f.region)
        if found is None:
            raise ApiError(422, f"没有名为“{f.region}”的机关或地区")
        below = agencies.subtree(s, found.id)
        allowed = below if allowed is None else allowed & below
    if f.level and f.level not in LEVELS:
        raise ApiError(422, f"级别“{f.level}”不对，应为 {'、'.join(LEVELS)} 之一")
    rows = {a.id: a for a in s.scalars(select(Agency))}
    tree: dict[int | None, list[int]] = {}
    for a in sorted(rows.values(), key=lambda a: a.id):
        parent = a.parent_id if a.parent_id in rows else None
        tree.setdefault(parent, []).append(a.id)
    out: list[tuple[Agency, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for aid in tree.get(parent, []):
            a = rows[aid]
            if (allowed is None or aid in allowed) and (not f.level or a.level == f.level):
                out.append((a, depth))
            walk(aid, depth + 1)

    walk(None, 0)
    return out


def _counts(
    result: dict[str, Any] | None, sha: str = "", gone: set[review.Key] | None = None
) -> tuple[int, int]:
    """Errors and warnings, leaving out findings a supervisor dismissed (不成立)."""
    found = review.standing(sha, (result or {}).get("findings") or [], gone or set())
    errors = sum(1 for x in found if x.get("severity") == "error")
    return errors, sum(1 for x in found if x.get("severity") == "warning")


def _latest(s: Session, ids: set[int], years: list[int] | None) -> dict[tuple[int, int], Any]:
    """The newest version of each agency's report for each year (id, status, result)."""
    if not ids:
        return {}
    q = select(
        StoredReport.id,
        StoredReport.agency_id,
        StoredReport.year,
        StoredReport.status,
        StoredReport.result,
        StoredReport.version,
        StoredReport.file_sha256,
    ).where(StoredReport.agency_id.in_(ids), StoredReport.year.is_not(None))
    if years is not None:
        q = q.where(StoredReport.year.in_(years))
    best: dict[tuple[int, int], Any] = {}
    for row in s.execute(q.order_by(StoredReport.id)):
        key = (row.agency_id, row.year)
        old = best.get(key)
        if old is None or (row.version or 0, row.id) >= (old.version or 0, old.id):
            best[key] = row
    return best


@router.get("/catalogue", response_class=HTMLResponse)
def catalogue(
    request: Request,
    caller: PageCaller,
    s: Db,
    region: Text = "",
    level: Text = "",
    year: Year = None,
) -> Response:
    f = Filters(region.strip(), level.strip(), year)
    listed = _agencies(s, caller.user, f)
    ids = {a.id for a, _ in listed}
    found = _latest(s, ids, [year] if year else None)
    gone = review.dismissed(s, (row.file_sha256 for row in found.values()))
    years = sorted({y for _, y in found}, reverse=True)[:YEARS_SHOWN] if not year else [year]
    if not years:
        years = [date.today().year - 1]
    lines = []
    totals = {y: {"filed": 0, "missing": 0, "errors": 0, "warnings": 0} for y in years}
    for a, depth in listed:
        cells: list[dict[str, Any] | None] = []
        for y in years:
            row = found.get((a.id, y))
            if row is None:
                totals[y]["missing"] += 1
                cells.append(None)
                continue
            errors, warnings = _counts(row.result, row.file_sha256, gone)
            totals[y]["filed"] += 1
            totals[y]["errors"] += errors
            totals[y]["warnings"] += warnings
            cells.append(
                {"id": row.id, "status": row.status, "errors": errors, "warnings": warnings}
            )
        lines.append({"agency": a, "depth": depth, "cells": cells})
    return render(
        request,
        "catalogue.html",
        caller=caller,
        filters=f,
        levels=LEVELS,
        years=years,
        lines=lines,
        totals=totals,
    )


def _findings(s: Session, user: User, f: Filters) -> list[dict[str, Any]]:
    """Every finding of the newest checked report of each agency and year in scope
    (filtered), as rows for the page: report, agency, year and the finding."""
    listed = _agencies(s, user, Filters(f.region, f.level, f.year))
    names = {a.id: a.name for a, _ in listed}
    found = _latest(s, set(names), [f.year] if f.year else None)
    rows = []
    gone = review.dismissed(s, (row.file_sha256 for row in found.values()))
    for (aid, y), row in sorted(found.items(), key=lambda kv: (-kv[0][1], names[kv[0][0]])):
        if row.status != "done":
            continue
        for i, x in enumerate((row.result or {}).get("findings") or []):
            if review.key_of(row.file_sha256, x) in gone:
                continue
            if f.code and x.get("code") != f.code:
                continue
            if f.severity and x.get("severity") != f.severity:
                continue
            rows.append({"report": row.id, "agency": names[aid], "year": y, "index": i, **x})
    return rows


def _codes() -> dict[str, str]:
    from .. import api

    return {r.code: r.title for r in api.rule_catalogue()}


@router.get("/findings", response_class=HTMLResponse)
def findings(
    request: Request,
    caller: PageCaller,
    s: Db,
    region: Text = "",
    level: Text = "",
    year: Year = None,
    code: Text = "",
    severity: Text = "",
) -> Response:
    f = Filters(region.strip(), level.strip(), year, code.strip().upper(), severity.strip())
    rows = _findings(s, caller.user, f)
    by_code: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = by_code.setdefault(
            r["code"], {"count": 0, "reports": set(), "severity": r["severity"]}
        )
        entry["count"] += 1
        entry["reports"].add(r["report"])
    titles = _codes()
    summary = [
        {
            "code": c,
            "title": titles.get(c, ""),
            "count": e["count"],
            "reports": len(e["reports"]),
            "severity": e["severity"],
        }
        for c, e in sorted(by_code.items())
    ]
    return render(
        request,
        "findings.html",
        caller=caller,
        filters=f,
        levels=LEVELS,
        codes=titles,
        summary=summary,
        rows=rows[:FINDINGS_SHOWN],
        total=len(rows),
        shown=FINDINGS_SHOWN,
    )


@router.get("/findings.xlsx")
def findings_xlsx(
    caller: PageCaller,
    s: Db,
    region: Text = "",
    level: Text = "",
    year: Year = None,
    code: Text = "",
    severity: Text = "",
) -> Response:
    """The findings as on the page, as the summary workbook (汇总, 问题)."""
    from .. import api
    from ..batch import Outcome
    from . import evidence

    f = Filters(region.strip(), level.strip(), year, code.strip().upper(), severity.strip())
    rows = _findings(s, caller.user, f)
    wanted: dict[int, set[int]] = {}
    for r in rows:
        wanted.setdefault(r["report"], set()).add(r["index"])
    outcomes = []
    for rid in sorted(wanted):
        stored = s.get(StoredReport, rid)
        if stored is None or stored.result is None:
            continue
        result = evidence.result_of(stored.result)
        result.findings = [x for i, x in enumerate(result.findings) if i in wanted[rid]]
        name = f"{stored.agency.name if stored.agency else ''} {stored.year}年 {stored.filename}"
        result.source = name
        outcomes.append(Outcome(source=name, report=result.report, result=result))
    return attachment(api.summary_xlsx(outcomes), "问题清单.xlsx", _XLSX)


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
