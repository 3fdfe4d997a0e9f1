"""What a page and an API call both do: upload a report, resolve an agency filter,
describe a stored report."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

from sqlalchemy.orm import Session

from ..store import accounts, agencies, reports
from ..store.base import Store
from ..store.models import StoredReport, User
from .errors import ApiError

MAX_UPLOAD = 64 * 1024 * 1024  # the readers' own limit on a file's size
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\\/:*?\"<>|]+")


def safe_filename(name: str | None) -> str:
    base = PurePath((name or "").replace("\\", "/")).name
    base = _UNSAFE_NAME.sub("_", base).strip(" .")
    return base[:200] or "报告"


def upload(
    s: Session, store: Store, user: User, data: bytes, filename: str | None, agency: str | None
) -> tuple[StoredReport, bool]:
    """Store an uploaded file as a queued report (or find its duplicate)."""
    if not data.strip():
        raise ApiError(422, f"{safe_filename(filename)}：文件为空")
    if len(data) > MAX_UPLOAD:
        raise ApiError(413, f"{safe_filename(filename)}：文件超过 {MAX_UPLOAD // 1024 // 1024} MB")
    scope = reports.scope_of(s, user)
    agency_id: int | None = None
    if agency:
        found = agencies.by_name(s, agency)
        if found is None or (scope.agencies is not None and found.id not in scope.agencies):
            raise ApiError(422, f"没有名为“{agency}”的机关，或它不在您的管理范围内")
        agency_id = found.id
    elif user.role == "clerk":
        agency_id = user.scope_id
    sha = store.put_file(data)
    name = safe_filename(filename)
    report, duplicate = reports.add_upload(s, sha, len(data), name, user, agency_id, scope)
    if not duplicate:
        accounts.audit(s, user, "report.upload", f"报告 {report.id}：{name}（{sha[:12]}）")
    return report, duplicate


MAX_ARCHIVE_REPORTS = 1000  # report files in one uploaded zip
_ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")


def is_archive(filename: str | None) -> bool:
    return (filename or "").lower().endswith(".zip")


def unpack(data: bytes, filename: str | None) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The report files of an uploaded zip, read with the limits of the many-files
    engine (size, count, compression ratio, unsafe paths), and one Chinese line for
    each member that is refused (a nested archive, a member too large …)."""
    import tempfile
    import zipfile
    from pathlib import Path

    from ..batch.inputs import gather, load
    from ..readers import ReadError

    name = safe_filename(filename)
    with tempfile.TemporaryDirectory(prefix="xxgk-zip-") as tmp:
        path = Path(tmp) / "upload.zip"
        path.write_bytes(data)
        items, problems = gather([path])
        refused = [f"{_member(o.source, name)}：{o.error}" for o in problems]
        try:
            with zipfile.ZipFile(path) as zf:
                nested = [
                    i.filename for i in zf.infolist() if i.filename.lower().endswith(_ARCHIVES)
                ]
        except (zipfile.BadZipFile, OSError):
            nested = []
        refused += [f"{name}!{n}：压缩包中套有压缩包，不读取；请解压后分别上传" for n in nested]
        if len(items) > MAX_ARCHIVE_REPORTS:
            raise ApiError(
                413, f"{name}：压缩包中有 {len(items)} 份报告，一次最多 {MAX_ARCHIVE_REPORTS} 份"
            )
        files: list[tuple[str, bytes]] = []
        for item in items:
            member = item.member or ""
            try:
                files.append((member.rsplit("/", 1)[-1], load(item)))
            except ReadError as exc:
                refused.append(f"{name}!{member}：{exc.problem}")
            except OSError:
                refused.append(f"{name}!{member}：无法读取")
    return files, refused


def upload_archive(
    s: Session, store: Store, user: User, data: bytes, filename: str | None, agency: str | None
) -> tuple[list[tuple[StoredReport, bool]], list[str]]:
    """Each report of an uploaded zip stored as ``upload`` stores a file (or found as a
    duplicate), and the members refused (``unpack``); 422 when it holds no report."""
    parts, refused = unpack(data, filename)
    if not parts:
        why = "；".join(refused[:5]) or "压缩包中没有报告文件"
        raise ApiError(422, f"{safe_filename(filename)}：没有可读取的报告（{why}）")
    return [upload(s, store, user, content, name, agency) for name, content in parts], refused


def _member(source: str, name: str) -> str:
    return name + source[source.index("!") :] if "!" in source else name


def agency_filter(s: Session, name: str | None) -> set[int] | None:
    if not name:
        return None
    found = agencies.by_name(s, name)
    if found is None:
        raise ApiError(422, f"没有名为“{name}”的机关或地区")
    return agencies.subtree(s, found.id)


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def describe(report: StoredReport, full: bool = True) -> dict[str, Any]:
    """A report as the API gives it: ``tables`` and ``findings`` exactly as
    ``xxgk check --json`` prints them."""
    result = report.result or {}
    data: dict[str, Any] = {
        "id": report.id,
        "status": report.status,
        "filename": report.filename,
        "sha256": report.file_sha256,
        "agency": report.agency.name if report.agency is not None else None,
        "agency_reported": report.agency_name,
        "year": report.year,
        "format": report.format,
        "version": report.version,
        "uploaded": _utc(report.uploaded).isoformat(),
        "uploader": report.uploader.name if report.uploader is not None else None,
        "error": report.error,
    }
    findings = result.get("findings")
    data["errors"] = sum(1 for f in findings or [] if f.get("severity") == "error")
    data["warnings"] = sum(1 for f in findings or [] if f.get("severity") == "warning")
    if full:
        data["tables"] = (result.get("report") or {}).get("tables")
        data["findings"] = findings
    return data


def assign(s: Session, user: User, report_id: int, agency: str) -> StoredReport:
    """File a report (usually a 待归属 one) under an agency of the user's scope."""
    scope = reports.scope_of(s, user)
    report = reports.get(s, scope, report_id)
    if report is None:
        raise ApiError(404, f"没有编号为 {report_id} 的报告")
    if user.role == "clerk":
        raise ApiError(403, "填报人员不能指定报告的机关")
    found = agencies.by_name(s, agency)
    if found is None or (scope.agencies is not None and found.id not in scope.agencies):
        raise ApiError(422, f"没有名为“{agency}”的机关，或它不在您的管理范围内")
    reports.assign(s, report, found.id)
    accounts.audit(s, user, "report.assign", f"报告 {report.id} → {found.name}")
    s.flush()
    return report
