"""Tables pasted into a Word report as pictures, read by OCR and put where they stand.

:func:`docx_pictures` finds, without OCR (lxml only), the pictures of the body's
paragraphs that are large enough to be a table (``wp:extent``); :func:`with_pictures`
decodes those images (``word/media/*`` through the document part's relationships),
reads them by OCR and puts the blocks of each picture in which a table was found (a
ruled grid, or text in columns of numbers without rulings: :mod:`.unruled`) right
after the paragraph that holds it; tables are numbered again.  A picture without a
table (a photograph, a chart, a seal) adds nothing.
"""

from __future__ import annotations

import functools
import io
import posixpath
import zipfile
from typing import Any

from ..readers.document import Block, ReadError, Table, placed

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_EMU_PER_MM = 36000
MIN_WIDTH_MM = 80  # a picture this wide …
MIN_HEIGHT_MM = 15  # … and this tall may be a table
MAX_PICTURES = 30
MIN_PAPER = 0.6  # share of light pixels in a picture of a table (a photograph has few)
MIN_CELLS = 4  # cells with text in a table found in a picture
_MAIN_RELS = "word/_rels/document.xml.rels"


def docx_pictures(body: Any) -> dict[Any, list[str]]:
    """The paragraphs (elements) holding pictures large enough to be a table, with the
    relationship ids of those pictures, in order (a picture in a table's cell is found
    too; the reader asks only of the paragraphs it reads as body text)."""
    found: dict[Any, list[str]] = {}
    for blip in body.iter(_A + "blip"):
        rid = blip.get(_R + "embed")
        if not rid:
            continue
        drawing, up = None, blip.getparent()
        while up is not None and up is not body and up.tag != _W + "p":
            if drawing is None and up.tag in (_WP + "inline", _WP + "anchor"):
                drawing = up
            up = up.getparent()
        if drawing is None or up is None or up.tag != _W + "p":
            continue
        extent = drawing.find(_WP + "extent")
        try:
            cx = int(extent.get("cx") or "") if extent is not None else 0
            cy = int(extent.get("cy") or "") if extent is not None else 0
        except ValueError:
            continue
        if cx < MIN_WIDTH_MM * _EMU_PER_MM or cy < MIN_HEIGHT_MM * _EMU_PER_MM:
            continue
        found.setdefault(up, []).append(rid)
    return found


def paper(image: Any) -> bool:
    """Whether a picture is mostly light paper, as a table's is (not a photograph)."""
    gray = image.convert("L")
    gray.thumbnail((400, 400))
    hist: list[int] = gray.histogram()
    return sum(hist[200:]) >= MIN_PAPER * max(sum(hist), 1)


def has_table(page: Any) -> bool:
    """Whether a picture read by OCR (a PageRead) holds a table: a ruled grid with text
    in a few of its cells."""
    return any(sum(bool(c.text.strip()) for c in t.cells) >= MIN_CELLS for t in page.tables)


def with_pictures(
    data: bytes, source: str, blocks: list[Block], at: list[tuple[int, list[str]]]
) -> tuple[list[Block], str]:
    """``blocks`` with the tables of the pictures read by OCR inserted (``at``: the index
    in ``blocks`` after which each paragraph's pictures stand), and a note ("" if none)."""
    from . import ready

    images = _images(data, [rid for _, rids in at for rid in rids][:MAX_PICTURES])
    if not images:
        return blocks, ""
    try:
        ready(source)
    except ReadError as exc:
        return blocks, f"文档中的图片可能是表格，未识别：{exc.problem}"
    from . import guarded
    from .assemble import blocks as assembled
    from .image import frames
    from .page import read_pages

    inserts: dict[int, list[Block]] = {}
    count = 0
    for index, rids in at:
        for rid in rids:
            raw = images.get(rid)
            if raw is None:
                continue
            try:
                pages = frames(raw, source)
            except ReadError:
                continue  # (EMF, WMF, a broken image: not read)
            if not paper(pages[0][0]):
                continue
            read, _ = read_pages([(1, img, dpi) for img, dpi in pages[:1]])
            if not read:
                continue
            if not has_table(read[0]):  # no ruled grid: a table without rulings?
                found_unruled = guarded(source, functools.partial(_unruled, pages[0]))
                if found_unruled is None or not has_table(found_unruled):
                    continue
                read = [found_unruled]
            found = guarded(source, functools.partial(assembled, read))
            for block in found:
                block.where.page = None
                if isinstance(block, Table):
                    for row in block.rows:
                        for cell in row:
                            cell.where.page = None
            inserts.setdefault(index, []).extend(found)
            count += 1
    if not inserts:
        return blocks, ""
    return placed(blocks, inserts), f"文档中有 {count} 个表格是图片，由 OCR 识别"


def _unruled(picture: tuple[Any, float | None]) -> Any:
    """A picture (image, dpi) read as a table without rulings (a PageRead), or None."""
    from .image import WORK_DPI
    from .unruled import read_unruled

    image, dpi = picture
    if dpi and abs(dpi - WORK_DPI) > 1:
        w, h = image.size
        image = image.resize((max(1, round(w * WORK_DPI / dpi)), max(1, round(h * WORK_DPI / dpi))))
    return read_unruled(image, 1)


def _images(data: bytes, rids: list[str]) -> dict[str, bytes]:
    """The image bytes of the main part's relationships ``rids`` (PNG, JPEG, TIFF …)."""
    if not rids:
        return {}
    from lxml import etree

    out: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            rels = etree.fromstring(zf.read(_MAIN_RELS), etree.XMLParser(resolve_entities=False))
            targets = {r.get("Id"): r.get("Target") or "" for r in rels.iter(_RELS)}
            for rid in rids:
                target = targets.get(rid)
                if not target or "://" in target:
                    continue
                name = posixpath.normpath(posixpath.join("word", target.lstrip("/")))
                if target.startswith("/"):
                    name = target.lstrip("/")
                info = zf.getinfo(name)
                if info.file_size > 50 * 1024 * 1024:
                    continue
                out[rid] = zf.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, etree.LxmlError):
        return out
    return out
