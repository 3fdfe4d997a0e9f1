"""The pages of a PDF that have no text layer (scans), read by OCR and put in place.

Each such page is rendered by PDFium at the working resolution (under the PDF reader's
lock; the recognition runs outside it) and read like a page image; its blocks go
between those of the pages around it, and the tables are numbered again in document
order.  Pages with a text layer are never OCR'd.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from ..readers.document import Block, Document, ReadError, Table
from ..readers.limits import Limits
from . import MAX_OCR_PAGES, guarded, ready


def with_scans(
    doc: Document, data: bytes, scanned: list[int], limits: Limits, lock: threading.Lock
) -> Document:
    """``doc`` (read from the text layer) with the ``scanned`` pages (1-based) read by OCR."""
    pages = "、".join(map(str, scanned))
    try:
        ready(doc.source)
    except ReadError as exc:
        if not doc.blocks:
            raise ReadError(doc.source, f"PDF 没有文字层（可能是扫描件）。{exc.problem}") from None
        note = f"第 {pages} 页没有文字层（可能是扫描件），未读取：{exc.problem}"
        return _noted(doc, note)
    if len(scanned) > MAX_OCR_PAGES:
        raise ReadError(
            doc.source, f"PDF 扫描页过多（{len(scanned)} 页，文字识别上限 {MAX_OCR_PAGES} 页）"
        )
    from .assemble import blocks
    from .image import WORK_DPI
    from .page import failed_note, read_pages

    with lock:
        images = _render(data, scanned, WORK_DPI)
    read, failed = read_pages(
        [(number, img, WORK_DPI) for number, img in zip(scanned, images, strict=True)]
    )
    merged = guarded(doc.source, lambda: _in_page_order(doc.blocks, blocks(read, in_pdf=True)))
    if not merged:
        if failed:
            raise ReadError(
                doc.source, "PDF 是扫描件，识别时出错，未能读取（请把这个文件报告给维护者）"
            )
        raise ReadError(
            doc.source, "PDF 是扫描件，但没有识别出文字（图片过于模糊，或不是文字页面）"
        )
    cells = sum(len(row) for b in merged if isinstance(b, Table) for row in b.rows)
    if cells > limits.max_cells:
        raise ReadError(doc.source, f"PDF 表格单元格过多（{cells} 个，上限 {limits.max_cells} 个）")
    empty = [p.number for p in read if not p.lines and not p.tables]
    note = f"第 {pages} 页没有文字层（扫描件），文字由 OCR 识别"
    if empty:
        note += f"（第 {'、'.join(map(str, empty))} 页没有识别出文字）"
    if failed:
        note += "；" + failed_note(failed)
    return _noted(dataclasses.replace(doc, blocks=merged), note)


def _noted(doc: Document, note: str) -> Document:
    meta = dict(doc.meta)
    meta["note"] = "；".join(x for x in (meta.get("note"), note) if x)
    return dataclasses.replace(doc, meta=meta)


def _render(data: bytes, numbers: list[int], dpi: int) -> list[Any]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for number in numbers:
            page = pdf[number - 1]
            try:
                out.append(page.render(scale=dpi / 72).to_pil().convert("RGB"))
            finally:
                page.close()
        return out
    finally:
        pdf.close()


def _in_page_order(text: list[Block], scans: list[Block]) -> list[Block]:
    """The two lists merged by page (each in its own order), tables numbered again."""
    out: list[Block] = []
    i = 0
    for block in scans:
        page = block.where.page or 0
        while i < len(text) and (text[i].where.page or 0) <= page:
            out.append(text[i])
            i += 1
        out.append(block)
    out += text[i:]
    for n, table in enumerate(b for b in out if isinstance(b, Table)):
        table.where.table = n
        for row in table.rows:
            for cell in row:
                cell.where.table = n
    return out
