"""A stored report checked again with what the store holds to compare it with, without
anyone asking: the same agency's newest report of the year before (XYR-*, TXT-004),
the most similar reports of the other agencies of its jurisdiction for the same year
(TXT-004, found by ``supervise.peers``), and the approved draft when it is a
published file (FIL-001).  After a report is checked (``after_finish``), the reports
whose own comparison it changes are checked again too: the next year's report of the
agency, and the peers whose text it may repeat or whose check names an older version
of it."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..checks.copied import copied_share, judged
from ..model import Report
from ..store import filing_models, notice_models, reports
from ..store.base import Store
from ..store.models import Agency, StoredReport
from ..supervise import peers as peer_store
from . import evidence

log = logging.getLogger("xxgk.web.history")


def latest(s: Session, agency_id: int, year: int) -> StoredReport | None:
    """The newest checked version of an agency's report for a year."""
    return reports.newest_version(s, agency_id, year)


def _as_peer(s: Session, rid: int) -> tuple[StoredReport, Any] | None:
    """A peer's stored report and its ``Report`` (from the stored check), named by the
    agency it is filed under."""
    row = s.get(StoredReport, rid)
    if row is None or row.result is None:
        return None
    report = evidence.report_of(row.result.get("report") or {})
    agency = s.get(Agency, row.agency_id) if row.agency_id is not None else None
    if agency is not None:
        report.agency = agency.name
    return row, report


def _report(row: StoredReport | None) -> Report | None:
    """The ``Report`` of a stored check (None without one)."""
    if row is None or row.result is None:
        return None
    return evidence.report_of(row.result.get("report") or {})


def recheck(s: Session, store: Store, row: StoredReport) -> peer_store.Found:
    """Check ``row`` again (its stored file parsed again) with last year's report, its
    most similar peers and, for a published file, the approved draft; the result
    replaces the stored one and names them (``previous``, ``peers``, ``approved``).
    Nothing is checked when there is nothing to compare it with and its stored check
    named nothing.  Returns what the search of its peers found."""
    from .. import api

    if row.status != "done" or row.result is None or row.agency_id is None or row.year is None:
        return peer_store.Found()
    before = latest(s, row.agency_id, row.year - 1)
    if before is not None and (before.id == row.id or before.result is None):
        before = None
    approved = filing_models.approved_draft(s, row)
    sections = (row.result.get("report") or {}).get("sections") or {}
    found = peer_store.find(s, row.agency_id, row.year, sections)
    others = [p for p in (_as_peer(s, rid) for rid in found.peers) if p is not None]
    named = any(row.result.get(k) for k in ("previous", "peers", "approved"))
    if before is None and approved is None and not others and not named:
        return found
    report = evidence.parsed(store, row)
    previous = _report(before)
    draft = _report(approved)
    result = api.check_report(
        report, previous, peers=[p for _, p in others], approved=draft
    ).contract_dict()
    from .worker import _finite  # strict JSON, as the worker stores a check

    data = _finite(result)
    data["source"] = row.filename
    data["report"]["source"] = row.filename
    if before is not None:
        data["previous"] = {"id": before.id, "year": before.year}
    if others:
        data["peers"] = [
            {
                "id": p.id,
                "agency_id": p.agency_id,
                "agency": r.agency,
                "year": p.year,
                "share": round(found.shares.get(p.id, 0.0), 3),
            }
            for p, r in others
        ]
    if approved is not None:
        data["approved"] = {"id": approved.id}
    row.result = data
    return found


def _affected(s: Session, row: StoredReport, found: peer_store.Found) -> list[int]:
    """The peers whose own check ``row`` changes: one that names another version of
    ``row``'s agency's report (when there is one), or one whose text ``row`` may hold
    (the sketches' estimate), not yet compared with ``row``, whose section ``row``
    does repeat (the exact measure on the stored sections)."""
    versions = s.scalar(
        select(func.count(StoredReport.id)).where(
            StoredReport.agency_id == row.agency_id,
            StoredReport.year == row.year,
            StoredReport.id != row.id,
        )
    )
    wanted = sorted(found.others) if versions else sorted(found.holders)
    named = peer_store.compared(s, wanted)
    mine = judged(evidence.report_of((row.result or {}).get("report") or {}))
    out = []
    for rid in wanted:
        listed = [c for c in named.get(rid, []) if isinstance(c, dict)]
        if any(c.get("agency_id") == row.agency_id and c.get("id") != row.id for c in listed):
            out.append(rid)
        elif rid in found.holders and not any(c.get("id") == row.id for c in listed):
            theirs = _report(s.get(StoredReport, rid))
            if theirs is not None and any(
                copied_share(text, mine[n]) is not None
                for n, text in judged(theirs).items()
                if n in mine
            ):
                out.append(rid)
    return out


def after_finish(s: Session, store: Store, row: StoredReport) -> None:
    """After ``row`` was checked: check it again with what it is compared with, then
    the next year's newest report (when this is that report's newest predecessor) and
    the peers whose comparison it changes.  A failure here leaves the plain check
    stored."""
    if row.status != "done" or row.agency_id is None or row.year is None:
        return
    try:
        s.flush()
        found = recheck(s, store, row)
        newest = latest(s, row.agency_id, row.year)
        if newest is None or newest.id != row.id:
            return  # an older version: no other report compares with it
        notice_models.settle(s, row)  # 已整改: a notice on an earlier version it corrects
        after = latest(s, row.agency_id, row.year + 1)
        if after is not None and after.id != row.id:
            recheck(s, store, after)
        for rid in _affected(s, row, found):
            other = s.get(StoredReport, rid)
            if other is not None:
                recheck(s, store, other)
    except Exception:  # a problem here must not lose the check itself
        log.exception("comparing report %s with last year's and its peers failed", row.id)
