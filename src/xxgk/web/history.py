"""Last year's report of the same agency, when stored, used for the XYR-* rules: a
report just checked is checked again against the latest version of the year before
(and the following year's report against it), without anyone asking."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.base import Store
from ..store.models import StoredReport
from . import evidence

log = logging.getLogger("xxgk.web.history")


def latest(s: Session, agency_id: int, year: int) -> StoredReport | None:
    """The newest checked version of an agency's report for a year."""
    return s.scalars(
        select(StoredReport)
        .where(
            StoredReport.agency_id == agency_id,
            StoredReport.year == year,
            StoredReport.status == "done",
        )
        .order_by(StoredReport.version.desc(), StoredReport.id.desc())
        .limit(1)
    ).first()


def compare(store: Store, row: StoredReport, previous: StoredReport) -> None:
    """Check ``row`` again with ``previous`` as last year's report (its stored
    parse); the result replaces the stored one and names the report compared."""
    from .. import api

    assert previous.result is not None
    before = evidence.report_of(previous.result.get("report") or {})
    report = evidence.parsed(store, row)
    from .worker import _finite  # strict JSON, as the worker stores a check

    data = _finite(api.check_report(report, before).contract_dict())
    data["source"] = row.filename
    data["report"]["source"] = row.filename
    data["previous"] = {"id": previous.id, "year": previous.year}
    row.result = data


def after_finish(s: Session, store: Store, row: StoredReport) -> None:
    """After ``row`` was checked: compare it with last year's report, and the next
    year's newest report with it (when this is that report's newest predecessor).
    A failure here leaves the plain check stored."""
    if row.status != "done" or row.agency_id is None or row.year is None:
        return
    try:
        s.flush()
        before = latest(s, row.agency_id, row.year - 1)
        if before is not None and before.id != row.id:
            compare(store, row, before)
        after = latest(s, row.agency_id, row.year + 1)
        if after is not None and after.id != row.id:
            newest = latest(s, row.agency_id, row.year)
            if newest is not None and newest.id == row.id:
                compare(store, after, row)
    except Exception:  # a problem here must not lose the check itself
        log.exception("comparing report %s with the year before failed", row.id)
