"""Indicator entries from the store: the checked reports a user may see, one per agency
and year (the latest version), each with its region and level from the agency tree."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store import agencies as agency_store
from ..store import review_models as review
from ..store.models import Agency, StoredReport
from ..store.reports import Scope, visible
from .indicators import Entry

REGION_LEVELS = ("省", "市", "县")  # an agency's region: the nearest of these above it


def _tree(session: Session) -> dict[int, Agency]:
    return {a.id: a for a in session.scalars(select(Agency))}


def region_of(agency: Agency, tree: dict[int, Agency]) -> str:
    """The nearest 省/市/县 at or above ``agency`` (itself for a 县 government)."""
    seen: set[int] = set()
    at: Agency | None = agency
    while at is not None and at.id not in seen:
        if at.level in REGION_LEVELS:
            return at.name
        seen.add(at.id)
        at = tree.get(at.parent_id) if at.parent_id is not None else None
    return agency.name


def within(session: Session, scope: Scope, region: str | None) -> set[int] | None:
    """The agency ids of ``scope`` narrowed to ``region``'s subtree (None: every
    agency); raises LookupError for a region that does not exist or lies outside."""
    if region is None:
        return scope.agencies
    found = agency_store.by_name(session, region)
    if found is None or (scope.agencies is not None and found.id not in scope.agencies):
        raise LookupError(region)
    ids = agency_store.subtree(session, found.id)
    return ids if scope.agencies is None else ids & scope.agencies


def expected(session: Session, ids: set[int] | None) -> list[str]:
    """Every agency that should file a report: each agency of the tree within ``ids``."""
    return sorted(a.name for a in _tree(session).values() if ids is None or a.id in ids)


def entries(
    session: Session, scope: Scope, ids: set[int] | None = None, year: int | None = None
) -> list[Entry]:
    """The checked, assigned reports within ``ids`` (default: the scope), latest version
    of each agency and year last; findings a supervisor dismissed are left out."""
    q = visible(select(StoredReport), scope).where(
        StoredReport.status == "done", StoredReport.agency_id.is_not(None)
    )
    if ids is not None:
        q = q.where(StoredReport.agency_id.in_(ids))
    if year is not None:
        q = q.where(StoredReport.year == year)
    tree = _tree(session)
    out = []
    rows = list(session.scalars(q.order_by(StoredReport.version, StoredReport.id)))
    gone = review.dismissed(session, (r.file_sha256 for r in rows))
    for r in rows:
        agency = tree.get(r.agency_id) if r.agency_id is not None else None
        if agency is None or r.result is None:
            continue
        findings = review.standing(r.file_sha256, r.result.get("findings") or [], gone)
        out.append(
            Entry.of_contract(
                {**r.result, "findings": findings},
                ref=str(r.id),
                agency=agency.name,
                region=region_of(agency, tree),
                level=agency.level,
            )
        )
    return out
