"""The report page: the three tables as the format prints them, every cell marked
with its findings, every finding with its evidence (the PDF page with the cell's box
drawn, or the passage of the text with the value highlighted), and the downloads
(the original, the parse as JSON, the corrected report, the findings workbook)."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy.orm import Session

from ..format import VERSIONS
from ..store import reports
from ..store.models import StoredReport
from . import evidence, pageimage, service
from .auth import Caller, Db, PageCaller, ReportId, store_of
from .errors import ApiError
from .pages import _agency_choices, render

router = APIRouter(include_in_schema=False)

_RANK = {"error": 0, "warning": 1, "info": 2}
CORRECTED = {"docx": "Word", "pdf": "PDF", "xlsx": "Excel"}
_MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CELLS_LISTED = 8  # cells named under a finding before "等 N 个"


def _visible(s: Session, caller: Caller, report_id: int) -> StoredReport:
    """The report when the caller may see it; 404 otherwise (existence not revealed)."""
    report = reports.get(s, reports.scope_of(s, caller.user), report_id)
    if report is None:
        raise ApiError(404, f"没有编号为 {report_id} 的报告")
    return report


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def anchor(key: str) -> str:
    """The HTML id of a cell: its key (t3.new.natural)."""
    return key


def grids(
    version_key: str | None, tables: dict[str, Any] | None, findings: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The three tables as printed (the official template's grid: header rows, merged
    row groups, captions), each row a list of cells with span and role; a value cell
    carries its findings' indices, the worst severity and a tooltip."""
    from ..render.docx import table_grid

    if not tables or version_key not in VERSIONS:
        return []
    version = VERSIONS[version_key]
    marks: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        for key in f.get("cells") or []:
            marks.setdefault(key, []).append(i)
    out = []
    for t in version.tables:
        grid = table_grid(version, t.key)
        values = tables.get(t.key) or {}
        lines: list[list[dict[str, Any]]] = [[] for _ in range(grid.rows)]
        for p in sorted(grid.places, key=lambda p: (p.row, p.col)):
            cell: dict[str, Any] = {
                "role": p.role,
                "text": p.text,
                "rowspan": p.rowspan,
                "colspan": p.colspan,
            }
            if p.cell:
                _t, r, c = p.cell.split(".")
                found = marks.get(p.cell, [])
                cell.update(
                    key=p.cell,
                    anchor=anchor(p.cell),
                    text=_show((values.get(r) or {}).get(c)),
                    name=version.display(p.cell),
                    findings=found,
                    severity=min(
                        (findings[i].get("severity", "info") for i in found),
                        key=lambda s: _RANK.get(s, 3),
                        default=None,
                    ),
                    tooltip="\n".join(
                        [version.display(p.cell)]
                        + [f"{findings[i]['code']}：{findings[i]['message']}" for i in found]
                    ),
                )
            lines[p.row].append(cell)
        heads = _header_rows(grid)
        out.append(
            {
                "key": t.key,
                "title": f"{t.part} {t.title}",
                "rows": [{"cells": line, "head": i in heads} for i, line in enumerate(lines)],
                "widths": list(grid.widths),
                "note": t.note if t.key != "t3" else None,  # t3 prints its note in the corner
            }
        )
    return out


def _namer(version_key: str | None) -> Any:
    version = VERSIONS.get(version_key or "2021", VERSIONS["2021"])

    def name(key: str) -> str:
        try:
            return version.display(key)
        except (KeyError, ValueError):
            return key

    return name


def _header_rows(grid: Any) -> set[int]:
    """Rows with only column headers (no value, no row label)."""
    busy = {p.row for p in grid.places if p.role in ("value", "label", "group", "caption")}
    return {r for r in range(grid.rows) if r not in busy}


def _page_sizes(store: Any, row: StoredReport) -> list[tuple[float, float]]:
    path = store.file_path(row.file_sha256)
    if not evidence.is_pdf(path):
        return []
    try:
        return pageimage.page_sizes(path)
    except Exception:  # not a PDF PDFium can open: no page images
        return []


def evidence_of(
    store: Any, row: StoredReport, result: dict[str, Any], findings: list[dict[str, Any]]
) -> tuple[str, list[dict[str, Any]]]:
    """("pdf" | "text", one entry per finding): for a PDF the page to show and the
    boxes (as percentages of the page, for the outline over the image); for text the
    passages around the values (from the cells' offsets, else the finding's quote)."""
    cells = (result.get("report") or {}).get("cells") or {}
    sizes = _page_sizes(store, row)
    out: list[dict[str, Any]] = []
    if sizes:
        for f in findings:
            page, boxes, keys = _boxes(cells, f, sizes)
            src = f"/reports/{row.id}/pages/{page}.png" if page else None
            drawn = src + "?" + urlencode([("cell", k) for k in keys]) if src and keys else src
            out.append({"page": page, "boxes": boxes, "src": src, "drawn": drawn})
        return "pdf", out
    text: str | None = None
    if cells and findings:
        try:
            text = evidence.parsed(store, row).text
        except Exception:  # the file no longer reads the same: quotes only
            text = None
    tables = (result.get("report") or {}).get("tables") or {}
    version = VERSIONS.get(row.format or "2021", VERSIONS["2021"])
    for f in findings:
        passages = []
        for key in (f.get("cells") or [])[:2]:
            c = cells.get(key) or {}
            if text is None:
                continue
            if c.get("start") is not None and c.get("end") is not None:
                passages.append(evidence.passage(text, int(c["start"]), int(c["end"])))
            else:  # a Word or web page's table: the row's line, the value in it
                found = evidence.row_passage(text, version, key, tables, c.get("raw"))
                if found is not None:
                    passages.append(found)
        quote_ = (f.get("location") or {}).get("quote")
        if not passages and quote_:
            passages.append(evidence.quoted(quote_))
        out.append({"page": None, "boxes": [], "passages": passages})
    return "text", out


def _boxes(
    cells: dict[str, Any], f: dict[str, Any], sizes: list[tuple[float, float]]
) -> tuple[int | None, list[dict[str, float]], list[str]]:
    """The page of a finding's first boxed cell, its cells' boxes on that page (as
    percentages of the page) and those cells' keys."""
    page: int | None = None
    boxes = []
    keys = []
    for key in f.get("cells") or []:
        c = cells.get(key) or {}
        if not c.get("bbox") or not c.get("page"):
            continue
        if page is None:
            page = int(c["page"])
        if int(c["page"]) != page or not 1 <= page <= len(sizes):
            continue
        w, h = sizes[page - 1]
        keys.append(key)
        x0, top, x1, bottom = (float(v) for v in c["bbox"][:4])
        boxes.append(
            {
                "left": round(100 * x0 / w, 3),
                "top": round(100 * top / h, 3),
                "width": round(100 * (x1 - x0) / w, 3),
                "height": round(100 * (bottom - top) / h, 3),
            }
        )
    if page is None:
        page = (f.get("location") or {}).get("page")
    if page is not None and not 1 <= int(page) <= len(sizes):
        page = None
    return page, boxes, keys


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(
    request: Request,
    report_id: ReportId,
    caller: PageCaller,
    s: Db,
    show: Annotated[int | None, Query(ge=0, le=100000)] = None,
) -> Response:
    row = _visible(s, caller, report_id)
    data = service.describe(row)
    result = row.result or {}
    findings = data.get("findings") or []
    kind: str = "text"
    proofs: list[dict[str, Any]] = []
    if row.status == "done":
        kind, proofs = evidence_of(store_of(request), row, result, findings)
    shown = show if show is not None and show < len(findings) else None
    if shown is None and kind == "pdf":
        shown = next((i for i, p in enumerate(proofs) if p["page"]), None)
    previous = result.get("previous") if isinstance(result.get("previous"), dict) else None
    return render(
        request,
        "report.html",
        caller=caller,
        report=data,
        tables=grids(row.format, data.get("tables"), findings),
        evidence=proofs,
        kind=kind,
        shown=shown,
        previous=previous,
        listed=CELLS_LISTED,
        cellname=_namer(row.format),
        corrected=CORRECTED,
        choices=_agency_choices(s, caller) if row.agency_id is None else [],
    )


@router.get("/reports/{report_id}/pages/{page}.png")
def page_image(
    request: Request,
    report_id: ReportId,
    page: Annotated[int, Path(ge=1, le=100000, description="页码")],
    caller: PageCaller,
    s: Db,
    scale: Annotated[float, Query()] = pageimage.DEFAULT_SCALE,
    cell: Annotated[list[str] | None, Query(max_length=200)] = None,
) -> Response:
    """A page of a stored PDF as PNG; with ``cell=t3.new.natural`` (repeatable) the
    cells' boxes drawn on it."""
    row = _visible(s, caller, report_id)
    store = store_of(request)
    path = store.file_path(row.file_sha256)
    if not evidence.is_pdf(path):
        raise ApiError(404, "这份报告不是 PDF，没有页面图像")
    try:
        png = pageimage.page_png(store.data, row.file_sha256, path, page, scale)
    except pageimage.PageError as exc:
        raise ApiError(404, str(exc)) from None
    headers = {"Cache-Control": "private, max-age=86400"}
    if not cell:
        return FileResponse(png, media_type="image/png", headers=headers)
    stored = ((row.result or {}).get("report") or {}).get("cells") or {}
    boxes = [
        stored[k]["bbox"]
        for k in cell
        if k in stored and stored[k].get("bbox") and stored[k].get("page") == page
    ]
    return Response(
        pageimage.with_boxes(png, boxes, scale), media_type="image/png", headers=headers
    )


def attachment(data: bytes, filename: str, media_type: str) -> Response:
    """A download named ``filename`` (Chinese names kept, RFC 5987)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


def _stem(row: StoredReport) -> str:
    name = row.filename
    return name.rsplit(".", 1)[0] if "." in name else name


@router.get("/reports/{report_id}/file")
def original(request: Request, report_id: ReportId, caller: PageCaller, s: Db) -> Response:
    row = _visible(s, caller, report_id)
    data = store_of(request).file_path(row.file_sha256).read_bytes()
    return attachment(data, row.filename, "application/octet-stream")


@router.get("/reports/{report_id}/parse.json")
def parse_json(report_id: ReportId, caller: PageCaller, s: Db) -> Response:
    """The parse as ``xxgk parse --json`` prints it (the stored check's report)."""
    row = _visible(s, caller, report_id)
    if row.result is None:
        raise ApiError(409, "这份报告还没有核查完（或无法读取），没有解析结果")
    text = json.dumps(row.result.get("report"), ensure_ascii=False, indent=2)
    return attachment(text.encode(), f"{_stem(row)}.json", "application/json")


@router.get("/reports/{report_id}/findings.xlsx")
def findings_xlsx(report_id: ReportId, caller: PageCaller, s: Db) -> Response:
    """The summary workbook (汇总, 问题) of this one report."""
    from .. import api
    from ..batch import Outcome

    row = _visible(s, caller, report_id)
    if row.result is None:
        outcome = Outcome(source=row.filename, error=row.error or "尚未核查")
    else:
        result = evidence.result_of(row.result)
        outcome = Outcome(source=row.filename, report=result.report, result=result)
    return attachment(api.summary_xlsx([outcome]), f"{_stem(row)}-问题清单.xlsx", _MEDIA["xlsx"])


@router.get("/reports/{report_id}/corrected.{fmt}")
def corrected(
    request: Request, report_id: ReportId, fmt: str, caller: PageCaller, s: Db
) -> Response:
    """The report with the smallest corrections applied (``api.repair_report``),
    rendered as Word, PDF or Excel (``api.render_report``)."""
    from .. import api
    from ..readers import ReadError
    from ..render import RenderError

    if fmt not in CORRECTED:
        raise ApiError(404, "更正后的报告只提供 docx、pdf、xlsx 三种格式")
    row = _visible(s, caller, report_id)
    if row.status != "done":
        raise ApiError(409, "这份报告还没有核查完（或无法读取），不能生成更正稿")
    try:
        report = evidence.parsed(store_of(request), row)
        fixed = api.repair_report(report).report
        data = api.render_report(fixed, fmt)
    except (ReadError, RenderError) as exc:
        raise ApiError(422, f"无法生成更正后的报告：{exc}") from None
    return attachment(data, f"{_stem(row)}-更正稿.{fmt}", _MEDIA[fmt])
