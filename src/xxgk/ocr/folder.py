"""A folder of page images (a report scanned page by page) read as one report.

The folder must hold page images only (PNG, JPEG, TIFF; hidden files and a scanner's
thumbnail database aside), no subfolders: anything else is a folder of reports, not the
pages of one.  Pages go in the natural order of their names (``page2`` before
``page10``); a multi-page TIFF gives all its pages in place.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..readers.document import Document, ReadError
from ..readers.limits import DEFAULT_LIMITS, Limits
from . import MAX_OCR_PAGES, read_images, ready

_IGNORED = {"thumbs.db", "desktop.ini", ".ds_store"}


def page_files(folder: Path) -> list[Path] | None:
    """The folder's page images in page order; None when it holds anything else."""
    from ..readers import detect

    try:
        entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    except OSError:
        return None
    out: list[Path] = []
    for p in entries:
        if p.name.lower() in _IGNORED:
            continue
        if not p.is_file():
            return None
        try:
            with p.open("rb") as fh:
                head = fh.read(2048)
        except OSError:
            return None
        if detect(head, p.name) != "image":
            return None
        out.append(p)
    return sorted(out, key=_natural) or None


def _natural(path: Path) -> list[Any]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def read_folder(folder: str | Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The page images of ``folder`` read by OCR into one Document (source: the folder)."""
    from ..readers import read_file
    from .image import frames

    path = Path(folder)
    source = str(folder)
    files = page_files(path)
    if files is None:
        raise ReadError(
            source, "这是一个目录；只有全部是扫描页图片（PNG、JPEG、TIFF）的目录才作为一份报告读取"
        )
    ready(source)
    cap = min(limits.max_pages, MAX_OCR_PAGES)

    def pages() -> Iterator[tuple[int, Any, float | None]]:  # one file decoded at a time
        n = 0
        for file in files:
            for img, dpi in frames(read_file(file, limits.max_bytes), str(file)):
                n += 1
                if n > cap:
                    raise ReadError(source, f"目录中的图片页数过多（文字识别上限 {cap} 页）")
                yield n, img, dpi

    doc = read_images(pages(), source)
    note = f"扫描件：目录中 {len(files)} 个图片文件（共 {doc.pages} 页），文字由 OCR 识别"
    rest = doc.meta.get("note", "").partition("；")[2]
    return dataclasses.replace(doc, meta={"note": "；".join(x for x in (note, rest) if x)})
