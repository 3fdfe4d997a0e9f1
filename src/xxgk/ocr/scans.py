"""The pages of a PDF that the text layer did not read, read by OCR and put in place.

The PDF reader hands over (:class:`~xxgk.ocr.textlayer.Pending`):

* **scanned** pages — no text layer, images: rendered whole and OCR'd;
* **drawn** pages — no text, no images: OCR'd when they fill enough curves (Bézier
  segments) to be text drawn as outlines ("convert text to curves" printer drivers);
  a page with little text (a header line left as text) when its curves are many more;
* **garbled** pages — a text layer that is not the text the page shows (fonts without a
  usable ToUnicode map, see :mod:`.textlayer`; one font of the page is enough, as the
  tables' digits): their text blocks are dropped and the page is OCR'd, the note says
  which;
* **pictured** pages — a good text layer and images: an image large enough to be a
  table, over which the text layer has (almost) no characters, is rendered alone (the
  page's text upright, whatever its /Rotate) and OCR'd; its blocks are kept only when a
  ruled table, or a table without rulings (:mod:`.unruled`), was found in it, and go
  where the image stands among the page's text blocks.

Pages are rendered by PDFium at the working resolution under the PDF reader's lock; the
recognition runs outside it.  Tables are numbered again in document order.  A page
with a good text layer is never OCR'd; the recogniser is not even loaded when no page
or image needs it.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import threading
from dataclasses import dataclass
from typing import Any

from ..readers.document import Block, Document, Paragraph, ReadError, Table, Where, placed
from ..readers.limits import Limits
from ..readers.pdf import Matrix, _multiply
from . import MAX_OCR_PAGES, guarded, ready
from .textlayer import MIN_CHARS, Pending, unusable

MIN_OUTLINE_CURVES = 300  # curves filled on a page without text: text drawn as outlines
# a page with some text (a header, a page line) and this many curves, and so many for
# each of its characters, is text drawn as outlines too (a vector seal has a few hundred)
MIN_SPARSE_CURVES, CURVES_PER_CHAR = 2000, 20
MIN_PICTURE_WIDTH = 0.35  # an image this share of the page's width …
MIN_PICTURE_HEIGHT = 0.05  # … and of its height may be a table
MAX_TEXT_OVER = 3  # characters of the text layer over an image pasted without its text


@dataclass(slots=True)
class _Picture:
    page: int
    # in the page's frame (its text upright: see _text_quarter): points, x0, top, x1, bottom
    box: tuple[float, float, float, float]
    image: Any = None  # rendered at WORK_DPI
    above: str = ""  # the text layer's text on the page above the picture
    turn: int = 0  # quarter turns (clockwise) rendered beyond the page's /Rotate


def with_scans(
    doc: Document, data: bytes, pending: Pending, limits: Limits, lock: threading.Lock
) -> Document:
    """``doc`` (read from the text layer) with the pages and images it missed read by OCR."""
    from .image import WORK_DPI
    from .pictures import has_table, paper

    with lock:
        drawn, dropped, pictures = _look(data, pending)
        for pic in pictures:
            pic.image = _render_box(data, pic, WORK_DPI)
    pictures = [pic for pic in pictures if paper(pic.image)]  # (no photographs)
    garbled = (set(pending.garbled) | set(dropped)) - set(drawn)  # (outlines under a header)
    whole = sorted(set(pending.scanned) | set(drawn) | garbled)
    if not whole and not pictures:
        if not doc.blocks:
            raise ReadError(doc.source, "PDF 中没有可提取的文字")
        return doc
    # the text layer's blocks of a page read whole in its place (a garbled page's text;
    # an outlined page's "tables" made of the glyphs' straight strokes) are dropped
    replaced = garbled | set(drawn)
    text = [b for b in doc.blocks if (b.where.page or 0) not in replaced]
    try:
        ready(doc.source)
    except ReadError as exc:
        if not text:
            if garbled:
                why = f"PDF 第 {_list(sorted(garbled))} 页的文字层无法使用（乱码）"
            elif drawn and not pending.scanned:
                why = "PDF 的文字是图形（转曲），没有文字层"
            else:
                why = "PDF 没有文字层（可能是扫描件）"
            raise ReadError(doc.source, f"{why}。{exc.problem}") from None
        said: list[str] = []
        if garbled:  # (a page whose table alone is garbled: its text is dropped too)
            said.append(f"第 {_list(sorted(garbled))} 页的文字层无法使用（乱码）")
        rest = sorted(set(whole) - garbled)
        if rest and rest == sorted(set(pending.scanned)) and not pictures:
            said.append(f"第 {_list(rest)} 页没有文字层（可能是扫描件）")
        elif rest or pictures:
            pages = _list(sorted(set(rest) | {p.page for p in pictures}))
            said.append(f"第 {pages} 页的文字或表格不在文字层中")
        note = "；".join(said) + f"，未读取：{exc.problem}"
        return _noted(dataclasses.replace(doc, blocks=text), note)
    if len(whole) + len(pictures) > MAX_OCR_PAGES:
        raise ReadError(
            doc.source,
            f"PDF 需识别的页面过多（{len(whole) + len(pictures)} 页，文字识别上限 {MAX_OCR_PAGES} 页）",
        )
    from .assemble import blocks
    from .page import failed_note, read_pages
    from .unruled import read_unruled

    with lock:
        images = _render(data, whole, WORK_DPI)
    read, failed = read_pages(
        [(number, img, WORK_DPI) for number, img in zip(whole, images, strict=True)]
    )
    pic_read, _ = read_pages([(pic.page, pic.image, WORK_DPI) for pic in pictures])
    groups: list[tuple[int, float, list[Block]]] = []
    found_pages = guarded(doc.source, lambda: blocks(read, in_pdf=True))
    for block in found_pages:
        groups.append((block.where.page or 0, math.inf, [block]))
    shown: list[int] = []
    for pic, page in zip(pictures, pic_read, strict=False):
        if not has_table(page):  # no ruled grid: a table without rulings, or a chart, a seal
            unruled = guarded(doc.source, functools.partial(read_unruled, pic.image, pic.page))
            if unruled is None or not has_table(unruled):
                continue
            page = unruled
        found = guarded(doc.source, functools.partial(blocks, [page], in_pdf=True))
        groups.append((pic.page, pic.box[1], [_moved(b, pic) for b in found]))
        shown.append(pic.page)
    if not groups and not text:
        if failed:
            raise ReadError(
                doc.source, "PDF 是扫描件，识别时出错，未能读取（请把这个文件报告给维护者）"
            )
        raise ReadError(
            doc.source, "PDF 是扫描件，但没有识别出文字（图片过于模糊，或不是文字页面）"
        )
    for pic in pictures:
        if pic.page in shown:
            text = _split_at(text, pic)
    merged = _in_page_order(text, groups)
    cells = sum(len(row) for b in merged if isinstance(b, Table) for row in b.rows)
    if cells > limits.max_cells:
        raise ReadError(doc.source, f"PDF 表格单元格过多（{cells} 个，上限 {limits.max_cells} 个）")
    notes: list[str] = []
    empty = [p.number for p in read if not p.lines and not p.tables]
    scanned = sorted(set(pending.scanned))
    if scanned:
        notes.append(f"第 {_list(scanned)} 页没有文字层（扫描件），文字由 OCR 识别")
    if drawn:
        notes.append(f"第 {_list(drawn)} 页的文字是图形（转曲），由 OCR 识别")
    if garbled:
        notes.append(f"第 {_list(sorted(garbled))} 页的文字层无法使用（乱码），文字由 OCR 识别")
    if shown:
        notes.append(f"第 {_list(sorted(set(shown)))} 页的表格是图片，由 OCR 识别")
    note = "；".join(notes)
    if empty:
        note += f"（第 {_list(empty)} 页没有识别出文字）"
    if failed:
        note += "；" + failed_note(failed)
    # what the text layer said of a page read whole by OCR ("图形过多" of an outlined one)
    # no longer holds
    said = [x for x in (doc.meta.get("note") or "").split("；") if x]
    kept = [x for x in said if not any(x.startswith(f"第 {n} 页") for n in whole)]
    meta = {k: v for k, v in doc.meta.items() if k != "note"}
    if kept:
        meta["note"] = "；".join(kept)
    return _noted(dataclasses.replace(doc, blocks=merged, meta=meta), note)


def _list(numbers: list[int]) -> str:
    return "、".join(map(str, numbers))


def _noted(doc: Document, note: str) -> Document:
    meta = dict(doc.meta)
    meta["note"] = "；".join(x for x in (meta.get("note"), note) if x)
    return dataclasses.replace(doc, meta=meta)


# ---------------------------------------------------------------- looking at the pages


def _look(data: bytes, pending: Pending) -> tuple[list[int], list[int], list[_Picture]]:
    """Among the pages without text, those drawn as outlines and those whose characters
    were all dropped as unprintable (private-use code points: a garbled text layer);
    and the images that may be tables."""
    if not pending.drawn and not pending.pictured and not pending.sparse:
        return [], [], []
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        drawn, garbled = [], []
        for n in pending.drawn:
            if _raw_unusable(pdf, n):
                garbled.append(n)
            elif _curves(pdf, n) >= MIN_OUTLINE_CURVES:
                drawn.append(n)
        for n, chars in pending.sparse:  # a real header or page line over outlined text
            need = max(MIN_SPARSE_CURVES, CURVES_PER_CHAR * chars)
            if _curves(pdf, n, need) >= need:
                drawn.append(n)
        pictured = [n for n in pending.pictured if n not in drawn]
        pictures = [pic for n in pictured for pic in _pictures(pdf, n)]
        return sorted(drawn), garbled, pictures
    finally:
        pdf.close()


def _raw_unusable(pdf: Any, number: int) -> bool:
    """Whether the page's characters, as PDFium gives them, are an unusable text layer."""
    try:
        page = pdf[number - 1]
    except Exception:
        return False
    textpage = None
    try:
        textpage = page.get_textpage()
        if textpage.count_chars() < MIN_CHARS:
            return False
        return unusable([textpage.get_text_range()])
    finally:
        if textpage is not None:
            textpage.close()
        page.close()


def _curves(pdf: Any, number: int, need: int = 0) -> int:
    """The Bézier segments of the page's filled paths (up to the threshold): glyph
    outlines are filled curves; rulings, boxes and frames are straight."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    try:
        page = pdf[number - 1]
    except Exception:
        return 0
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    try:
        total = 0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=8):
            path = obj.raw
            ok = pdfium_c.FPDFPath_GetDrawMode(path, ctypes.byref(fill), ctypes.byref(stroke))
            if not ok or not fill.value:
                continue
            for i in range(max(pdfium_c.FPDFPath_CountSegments(path), 0)):
                segment = pdfium_c.FPDFPath_GetPathSegment(path, i)
                if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                    total += 1
            if total >= (need or MIN_OUTLINE_CURVES):
                break
        return total
    finally:
        page.close()


def _pictures(pdf: Any, number: int) -> list[_Picture]:
    """The images of page ``number`` that may be tables pasted without their text, their
    boxes in the frame in which the page's text stands upright (as the PDF reader's
    blocks are: a page shown turned by /Rotate, or stored turned and shown upright, is
    rendered that way round; a picture turned on its page is turned upright by OCR)."""
    page = pdf[number - 1]
    textpage = None
    try:
        x0, y0, x1, y1 = (float(v) for v in page.get_cropbox())
        crop = (x0, y0, x1, y1)
        textpage = page.get_textpage()
        quarter = _text_quarter(textpage)
        shown = int(page.get_rotation()) // 90 % 4  # clockwise, as a viewer shows it
        width, height = (y1 - y0, x1 - x0) if quarter % 2 else (x1 - x0, y1 - y0)
        out: list[_Picture] = []
        for left, bottom, right, top in _image_rects(page):
            left, right = max(left, x0), min(right, x1)
            bottom, top = max(bottom, y0), min(top, y1)
            rect = (left, bottom, right, top)
            box = _shown(rect, crop, quarter)
            if (
                box[2] - box[0] < MIN_PICTURE_WIDTH * width
                or box[3] - box[1] < MIN_PICTURE_HEIGHT * height
            ):
                continue
            over = textpage.get_text_bounded(left, bottom, right, top)
            if sum(not ch.isspace() for ch in over) > MAX_TEXT_OVER:
                continue  # the text is there (a scan with its OCR'd layer, a background)
            above = textpage.get_text_bounded(*_above(rect, crop, quarter))
            turn = (quarter - shown) % 4
            out.append(_Picture(number, box, above="".join(above.split()), turn=turn))
        return out
    finally:
        if textpage is not None:
            textpage.close()
        page.close()


def _text_quarter(textpage: Any) -> int:
    """The quarter turns (clockwise) that make most of the page's characters upright (0
    without text): PDFium's character angle is clockwise, in radians."""
    import pypdfium2.raw as pdfium_c

    n = textpage.count_chars()
    turns = [0, 0, 0, 0]
    for i in range(0, n, max(1, n // 50)):
        angle = pdfium_c.FPDFText_GetCharAngle(textpage.raw, i)
        if angle >= 0:
            turns[(4 - round(angle / (math.pi / 2))) % 4] += 1
    return max(range(4), key=lambda q: (turns[q], q == 0))


def _image_rects(page: Any) -> list[Rect]:
    """The page's images (in form XObjects too, their matrices applied) as rectangles of
    the page's space (left, bottom, right, top)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    out: list[Rect] = []
    m = pdfium_c.FS_MATRIX()
    box = [ctypes.c_float() for _ in range(4)]

    def walk(count: int, get: Any, at: Matrix, depth: int) -> None:
        for i in range(count):
            obj = get(i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                if pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in box)):
                    left, bottom, right, top = (v.value for v in box)
                    corners = [_apply(at, x, y) for x in (left, right) for y in (bottom, top)]
                    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
                    out.append((min(xs), min(ys), max(xs), max(ys)))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
                if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
                    continue
                inner = _multiply((m.a, m.b, m.c, m.d, m.e, m.f), at)  # the form's, then ours
                walk(
                    pdfium_c.FPDFFormObj_CountObjects(obj),
                    functools.partial(pdfium_c.FPDFFormObj_GetObject, obj),
                    inner,
                    depth + 1,
                )

    raw = page.raw
    walk(
        pdfium_c.FPDFPage_CountObjects(raw),
        functools.partial(pdfium_c.FPDFPage_GetObject, raw),
        (1.0, 0.0, 0.0, 1.0, 0.0, 0.0),
        0,
    )
    return out


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


Rect = tuple[float, float, float, float]


def _shown(rect: Rect, crop: Rect, quarter: int) -> Rect:
    """A rectangle of the page's space (left, bottom, right, top) as the page is shown,
    turned ``quarter`` times clockwise: (x0, top, x1, bottom) from its top left corner."""
    left, bottom, right, top = rect
    x0, y0, x1, y1 = crop
    if quarter == 1:
        return (bottom - y0, left - x0, top - y0, right - x0)
    if quarter == 2:
        return (x1 - right, bottom - y0, x1 - left, top - y0)
    if quarter == 3:
        return (y1 - top, x1 - right, y1 - bottom, x1 - left)
    return (left - x0, y1 - top, right - x0, y1 - bottom)


def _above(rect: Rect, crop: Rect, quarter: int) -> Rect:
    """The part of the page's space (left, bottom, right, top) shown above ``rect``."""
    left, bottom, right, top = rect
    x0, y0, x1, y1 = crop
    if quarter == 1:
        return (x0, y0, left, y1)
    if quarter == 2:
        return (x0, y0, x1, bottom)
    if quarter == 3:
        return (right, y0, x1, y1)
    return (x0, top, x1, y1)


# ---------------------------------------------------------------- rendering


def _render(data: bytes, numbers: list[int], dpi: int) -> list[Any]:
    if not numbers:
        return []
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


def _render_box(data: bytes, pic: _Picture, dpi: int) -> Any:
    """The page region of ``pic`` rendered (as printed: what the text over it shows too),
    the page turned ``pic.turn`` quarters beyond its /Rotate (its text upright)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[pic.page - 1]
        try:
            w, h = page.get_width(), page.get_height()  # as shown (after /Rotate)
            if pic.turn % 2:
                w, h = h, w
            left, top, right, bottom = pic.box
            pad = 2.0
            crop = (
                max(left - pad, 0.0),
                max(h - bottom - pad, 0.0),
                max(w - right - pad, 0.0),
                max(top - pad, 0.0),
            )
            image = page.render(scale=dpi / 72, crop=crop, rotation=pic.turn * 90)
            return image.to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        pdf.close()


def _moved(block: Block, pic: _Picture) -> Block:
    """A block read from a picture's region, its boxes in the page's frame."""
    from .image import WORK_DPI

    dx, dy = max(pic.box[0] - 2.0, 0.0), max(pic.box[1] - 2.0, 0.0)
    px, py = round(dx * WORK_DPI / 72), round(dy * WORK_DPI / 72)

    def shift(where: Any) -> Any:
        bbox = where.bbox
        if bbox is not None:
            bbox = (bbox[0] + dx, bbox[1] + dy, bbox[2] + dx, bbox[3] + dy)
        pixels = where.pixels
        if pixels is not None:
            pixels = (pixels[0] + px, pixels[1] + py, pixels[2] + px, pixels[3] + py)
        return dataclasses.replace(where, bbox=bbox, pixels=pixels)

    if isinstance(block, Table):
        rows = [[dataclasses.replace(c, where=shift(c.where)) for c in row] for row in block.rows]
        return dataclasses.replace(block, rows=rows, where=shift(block.where))
    return dataclasses.replace(block, where=shift(block.where))


# ---------------------------------------------------------------- merging


def _in_page_order(text: list[Block], groups: list[tuple[int, float, list[Block]]]) -> list[Block]:
    """The text blocks with each group of OCR'd blocks put in place — before the first
    text block of its page standing below its top (a whole page's: after the page's
    text blocks) — and the tables numbered again."""
    at: dict[int, list[Block]] = {}
    for page, top, found in sorted(groups, key=lambda g: (g[0], g[1])):
        i = 0
        while i < len(text) and _before(text[i], page, top):
            i += 1
        at.setdefault(i, []).extend(found)
    return placed(text, at)


def _split_at(text: list[Block], pic: _Picture) -> list[Block]:
    """``text`` with a paragraph from an earlier page that ran on into the text above
    ``pic`` (the text layer saw no picture between: a heading over a pasted table, the
    heading of the page before over it) cut where the picture's page starts."""
    above = pic.above
    if not above:
        return text
    for i, block in enumerate(text):
        if not isinstance(block, Paragraph) or (block.where.page or 0) >= pic.page:
            continue
        squeezed = "".join(block.text.split())
        if len(squeezed) <= len(above) or not squeezed.endswith(above):
            continue
        cut, left = len(block.text), len(above)
        while left:
            cut -= 1
            left -= not block.text[cut].isspace()
        head = Paragraph(block.text[:cut].rstrip(), dataclasses.replace(block.where))
        tail = Paragraph(block.text[cut:].strip(), Where(page=pic.page, bbox=None))
        return [*text[:i], head, tail, *text[i + 1 :]]
    return text


def _before(block: Block, page: int, top: float) -> bool:
    p = block.where.page or 0
    if p != page:
        return p < page
    box = block.where.bbox
    return box is None or box[1] < top
