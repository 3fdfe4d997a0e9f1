"""Report versions: uploads (kept by content hash; identical bytes for the same
agency are a duplicate; uploading again makes a new version), the processing queue
(claimed in the database, so an interrupted report is taken up again), results and
what each user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import agencies
from .models import ReportFile, StoredReport, User, now

# a report claimed longer ago than this is taken to be abandoned (its worker died)
LEASE = timedelta(minutes=30)


@dataclass
class Scope:
    """What a user may see: every agency (``agencies is None``) or the ids given;
    ``unassigned`` tells whether reports without an agency that ``uploaders`` sent
    are included (admins see them all)."""

    agencies: set[int] | None
    user_id: int
    uploaders: set[int] | None

    def allows(self, report: StoredReport) -> bool:
        if self.agencies is None:
            return True
        if report.agency_id is not None:
            return report.agency_id in self.agencies
        return report.uploader_id == self.user_id or (
            self.uploaders is not None and report.uploader_id in self.uploaders
        )


def scope_of(session: Session, user: User) -> Scope:
    if user.role == "admin":
        return Scope(None, user.id, None)
    if user.scope_id is None:
        return Scope(set(), user.id, set())
    if user.role == "clerk":
        return Scope({user.scope_id}, user.id, {user.id})
    ids = agencies.subtree(session, user.scope_id)
    uploaders = set(session.scalars(select(User.id).where(User.scope_id.in_(ids))))
    return Scope(ids, user.id, uploaders | {user.id})


def visible(query: Select[StoredReport], scope: Scope) -> Select[StoredReport]:
    if scope.agencies is None:
        return query
    cond = StoredReport.agency_id.in_(scope.agencies)
    unassigned = StoredReport.agency_id.is_(None) & StoredReport.uploader_id.in_(
        scope.uploaders or {scope.user_id}
    )
    return query.where(or_(cond, unassigned))


def newest_version(session: Session, agency_id: int, year: int) -> StoredReport | None:
    """The newest checked version of an agency's report for a year."""
    return session.scalars(
        select(StoredReport)
        .where(
            StoredReport.agency_id == agency_id,
            StoredReport.year == year,
            StoredReport.status == "done",
        )
        .order_by(StoredReport.version.desc(), StoredReport.id.desc())
        .limit(1)
    ).first()


def get(session: Session, scope: Scope, report_id: int) -> StoredReport | None:
    """The report, or None when it does not exist or lies outside the scope."""
    report = session.get(StoredReport, report_id)
    return report if report is not None and scope.allows(report) else None


def _listed(
    q: Select[Any], scope: Scope, agency_ids: set[int] | None, year: int | None, unassigned: bool
) -> Select[Any]:
    q = visible(q, scope)
    if agency_ids is not None:
        q = q.where(StoredReport.agency_id.in_(agency_ids))
    if unassigned:
        q = q.where(StoredReport.agency_id.is_(None))
    if year is not None:
        q = q.where(StoredReport.year == year)
    return q


def listing(
    session: Session,
    scope: Scope,
    agency_ids: set[int] | None = None,
    year: int | None = None,
    unassigned: bool = False,
    limit: int = 500,
    offset: int = 0,
) -> list[StoredReport]:
    """The reports in ``scope`` (and the filters), newest first, ``limit`` of them
    after the first ``offset``."""
    q = _listed(select(StoredReport), scope, agency_ids, year, unassigned)
    q = q.order_by(StoredReport.id.desc()).offset(offset).limit(limit)
    return list(session.scalars(q))


def listing_total(
    session: Session,
    scope: Scope,
    agency_ids: set[int] | None = None,
    year: int | None = None,
    unassigned: bool = False,
) -> int:
    """How many reports ``listing`` pages through."""
    q = _listed(select(func.count(StoredReport.id)), scope, agency_ids, year, unassigned)
    return int(session.scalar(q) or 0)


def add_upload(
    session: Session,
    sha256: str,
    size: int,
    filename: str,
    uploader: User | None,
    agency_id: int | None,
    scope: Scope | None = None,
) -> tuple[StoredReport, bool]:
    """A new queued report version, or (the existing one, True) when the same bytes
    were already uploaded for this agency (for an upload whose agency is not yet
    known: already visible to the uploader)."""
    _lock_file(session, sha256, size)
    q = select(StoredReport).where(StoredReport.file_sha256 == sha256)
    if agency_id is not None:
        q = q.where(or_(StoredReport.agency_id == agency_id, StoredReport.agency_id.is_(None)))
    elif scope is not None:
        q = visible(q, scope)
    existing = session.scalars(q.order_by(StoredReport.id)).first()
    if existing is not None:
        return existing, True
    report = StoredReport(
        file_sha256=sha256,
        filename=filename[:255],
        uploader_id=uploader.id if uploader is not None else None,
        agency_id=agency_id,
        status="queued",
    )
    session.add(report)
    session.flush()
    return report, False


def _lock_file(session: Session, sha256: str, size: int) -> None:
    """The file's row, made if new and locked until the transaction ends: uploads of
    the same bytes take turns, so that the second one sees the first (PostgreSQL;
    SQLite's writing transactions take turns anyway)."""
    if session.get(ReportFile, sha256) is None:
        try:
            with session.begin_nested():
                session.add(ReportFile(sha256=sha256, size=size))
        except IntegrityError:  # another upload of the same bytes made it first
            pass
    session.execute(select(ReportFile).where(ReportFile.sha256 == sha256).with_for_update())


def requeue_interrupted(session: Session, everything: bool = False) -> int:
    """Reports left ``processing`` (by a worker that stopped) back to the queue: all
    of them at start (``everything``), else those claimed longer than LEASE ago."""
    q = update(StoredReport).where(StoredReport.status == "processing")
    if not everything:
        q = q.where(StoredReport.claimed < now() - LEASE)
    result = session.execute(q.values(status="queued", claimed=None))
    return int(getattr(result, "rowcount", 0) or 0)


def claim(session: Session) -> int | None:
    """Take the oldest queued report for processing (atomically: two workers never
    take the same one); its id, or None when the queue is empty."""
    while True:
        rid = session.scalar(
            select(StoredReport.id)
            .where(StoredReport.status == "queued")
            .order_by(StoredReport.id)
            .limit(1)
        )
        if rid is None:
            return None
        done = session.execute(
            update(StoredReport)
            .where(StoredReport.id == rid, StoredReport.status == "queued")
            .values(status="processing", claimed=now())
        )
        if getattr(done, "rowcount", 0) == 1:
            return rid


def claim_many(session: Session, limit: int) -> list[int]:
    """Up to ``limit`` queued reports claimed (``claim`` repeated)."""
    ids: list[int] = []
    while len(ids) < limit:
        rid = claim(session)
        if rid is None:
            break
        ids.append(rid)
    return ids


def next_version(session: Session, report: StoredReport) -> int | None:
    if report.agency_id is None or report.year is None:
        return None
    top = session.scalar(
        select(func.max(StoredReport.version)).where(
            StoredReport.agency_id == report.agency_id,
            StoredReport.year == report.year,
            StoredReport.id != report.id,
        )
    )
    return (top or 0) + 1


def finish(
    session: Session,
    report: StoredReport,
    result: dict[str, Any] | None,
    error: str | None,
    within: set[int] | None,
) -> None:
    """Store the check (``CheckResult.contract_dict()``) or the error; match the
    agency the report names (within the uploader's scope) when none was given."""
    report.result = result
    report.error = error
    report.status = "done" if result is not None else "failed"
    report.claimed = None
    if result is not None:
        meta = result.get("report") or {}
        report.year = meta.get("year") if isinstance(meta.get("year"), int) else None
        report.format = meta.get("format")
        name = meta.get("agency")
        report.agency_name = name[:200] if isinstance(name, str) else None
        if report.agency_id is None:
            found = agencies.match(session, report.agency_name, within)
            report.agency_id = found.id if found is not None else None
        report.version = next_version(session, report)


def assign(session: Session, report: StoredReport, agency_id: int) -> None:
    """Give an unassigned (待归属) report its agency."""
    report.agency_id = agency_id
    report.version = next_version(session, report)


def scope_ids_of_uploader(session: Session, report: StoredReport) -> set[int] | None:
    """The agencies a report's agency is matched among: the uploader's scope."""
    user = session.get(User, report.uploader_id) if report.uploader_id is not None else None
    if user is None or user.role == "admin" or user.scope_id is None:
        return None
    if user.role == "clerk":
        return {user.scope_id}
    return agencies.subtree(session, user.scope_id)
