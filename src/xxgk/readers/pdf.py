"""Read a PDF report into a Document: ruled tables as grids, the other text as paragraphs.

PDFium (pypdfium2) supplies each page's characters and drawn lines; pdfplumber's table
finder (its "lines" strategy, re-done with grid lookups in :mod:`.pdf_grid`: the same
cells) turns the lines into cells.  PDFium parses in C, which keeps a page at a few
milliseconds; pdfminer, under pdfplumber, takes ~100 ms per page of these WPS/Word
exports.  What PDFium is asked costs more than what it does, so the reader asks little:
one call per value and character, written into arrays read back at once, through calls
that skip ctypes' argument conversion (see ``_bare_call``); a path's segments are read
as the array PDFium keeps them in, once checked against its own calls.

What the reader does beyond finding cells:

* Coordinates are turned so that most characters stand upright (landscape and rotated
  pages read the same as portrait ones); ``Where.bbox`` is (x0, top, x1, bottom) in that
  frame, in points from the top-left corner.
* Invisible fills (white, unstroked boxes that Word and WPS put behind every line and
  cell) are not rulings.  A table whose bottom or top border is missing at a page break
  is closed with a made-up border so its last row is not lost.
* A table broken over pages is joined when the next page starts with a table of the
  same columns and nothing but a page footer stands between the two parts; a cell whose
  border is open at the break (a group label spanning the break) becomes one cell.
* Cell text: lines joined with no space between two CJK characters, with one space
  otherwise, so labels wrapped inside a cell and vertical one-character-per-line labels
  come out whole.  Whitespace between two CJK characters is dropped (justified text).
* Tables printed without borders (lines whose cells stand wide apart) become grids
  too when their columns are clear (:mod:`.pdf_columns`), so an empty cell keeps its
  column.
* Text outside tables becomes paragraphs: wrapped lines are joined (also over a page
  break); page numbers such as "- 3 -" or "第 3 页" are dropped.
* Pages without a text layer (scans) are read by OCR (:mod:`xxgk.ocr.scans`); any input
  PDFium cannot open raises ReadError.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import gc as _gc
import itertools
import math
import re
import struct
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..ocr.textlayer import SPARSE_CHARS, Pending, garbled_page, unprintable
from . import pdf_bulk, pdf_columns
from .document import Block, Cell, Document, Paragraph, ReadError, Table, Where
from .limits import DEFAULT_LIMITS, Limits
from .pdf_grid import (
    Edge,
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
    make_edge,
    merge_edges,
)

__all__ = ["read_pdf"]

# A page with more characters than this is read as plain text (no tables, no boxes).
MAX_PAGE_CHARS = 50_000
# Table finding is skipped on a page with more drawn segments than this ...
MAX_PAGE_SEGMENTS = 30_000
# ... or with more (merged) horizontal x vertical rulings, or more of their crossings
# (pdfplumber's cell finding is quadratic in them: 4000 take about a second).
MAX_RULING_PAIRS = 40_000
MAX_INTERSECTIONS = 4_000
# Page objects looked at per page (including those inside form XObjects).
MAX_PAGE_OBJECTS = 200_000
# A page with fewer visible characters than this has no text layer.
MIN_TEXT_CHARS = 10

_SNAP = 3.0  # points: rulings closer than this are one ruling (pdfplumber's default)
_OVERSHOOT = 8.0  # points a ruling may run past the one it ends at
_TABULAR_GAP = 2.0  # a gap this many character heights wide separates table columns
_LOCK = threading.Lock()  # PDFium is not thread-safe

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in the page frame


# --------------------------------------------------------------------------- entry point


def read_pdf(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read PDF bytes into a Document; raise ReadError when the file cannot be read."""
    if not data:
        raise ReadError(source, "文件是空的")
    if len(data) > limits.max_bytes:
        raise ReadError(source, f"文件过大（{_size(len(data))}，上限 {_size(limits.max_bytes)}）")
    if b"%PDF-" not in data[:1024]:
        raise ReadError(source, "不是 PDF 文件（文件开头没有 %PDF 标记）")
    try:
        # (the collector held off for the whole read: what it makes and drops is
        # never walked, see _uncollected)
        with _LOCK, _uncollected():
            doc, pending = _read(data, source, limits)
    except ReadError:
        raise
    except RecursionError:
        raise ReadError(source, "PDF 结构嵌套过深，无法读取") from None
    except MemoryError:
        raise ReadError(source, "PDF 过于复杂，内存不足，无法读取") from None
    except Exception as exc:  # PDFium or a broken structure: never let it escape
        raise ReadError(source, "PDF 已损坏或格式不正确，无法读取") from exc
    if not pending:
        return doc
    # pages the text layer did not read (scans, outlines, garbled text, pasted tables):
    # looked at, and read by OCR, outside the lock but for rendering
    from ..ocr.scans import with_scans

    return with_scans(doc, data, pending, limits, _LOCK)


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 104858 else f"{math.ceil(n / 1024)} KB"


def _read(data: bytes, source: str, limits: Limits) -> tuple[Document, Pending]:
    """The document read from the text layer, and the pages it may not have read."""
    doc = _open(data, source)
    try:
        count = len(doc)
        if count > limits.max_pages:
            raise ReadError(source, f"PDF 页数过多（{count} 页，上限 {limits.max_pages} 页）")
        pages: list[_Page] = []
        total_chars = 0
        for index in range(count):
            page = _read_page(doc, index)
            total_chars += page.visible_chars
            if total_chars > limits.max_chars:
                raise ReadError(source, f"PDF 文字过多（超过 {limits.max_chars} 个字符）")
            pages.append(page)
        meta = _metadata(doc)
    finally:
        doc.close()

    if all(p.broken for p in pages):
        raise ReadError(source, "PDF 已损坏，没有一页能读取")
    blank = [p for p in pages if p.visible_chars < MIN_TEXT_CHARS]
    texts = [p for p in pages if p.visible_chars >= MIN_TEXT_CHARS]
    garbled = [
        p.number
        for p in texts
        if garbled_page(
            [x.text for x in p.lines], [c.text for f in p.fragments for c in f.cells], p.dropped
        )
    ]
    pending = Pending(
        scanned=[p.number for p in blank if p.images],
        drawn=[p.number for p in blank if not p.images and not p.broken],
        garbled=garbled,
        pictured=[p.number for p in texts if p.images and p.number not in garbled],
        # (every page with little text: outlines under a header line; looked at only
        # then, as reopening the file costs a real report's pages a millisecond)
        sparse=[(p.number, p.visible_chars) for p in texts]
        if all(p.visible_chars < SPARSE_CHARS for p in texts)
        else [],
    )
    notes = [note for p in pages for note in p.notes]
    struck = [f"第 {p.number} 页：{'、'.join(p.struck)}" for p in pages if p.struck]

    blocks = _assemble(pages)
    cells = sum(len(row) for b in blocks if isinstance(b, Table) for row in b.rows)
    if cells > limits.max_cells:
        raise ReadError(source, f"PDF 表格单元格过多（{cells} 个，上限 {limits.max_cells} 个）")
    if notes:
        meta["note"] = "；".join(notes)
    if struck:  # (text read as deleted: extract tells it, TXT-009)
        meta["struck"] = "；".join(struck)
    return Document(source=source, kind="pdf", blocks=blocks, pages=count, meta=meta), pending


def _open(data: bytes, source: str) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError(source, "PDF 已加密，需要密码才能打开") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError(source, "PDF 已加密，加密方式不受支持，无法打开") from None
        if b"%%EOF" not in data[-2048:]:
            raise ReadError(source, "PDF 文件不完整（可能没有下载完），无法打开") from None
        raise ReadError(source, "PDF 已损坏或格式不正确，无法打开") from None


def _metadata(doc: Any) -> dict[str, str]:
    try:
        raw = doc.get_metadata_dict(skip_empty=True)
    except Exception:
        return {}
    names = {
        "Title": "title",
        "Author": "author",
        "Creator": "creator",
        "Producer": "producer",
        "CreationDate": "created",
        "ModDate": "modified",
    }
    meta: dict[str, str] = {}
    for key, name in names.items():
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            value = value.strip()
            meta[name] = _pdf_date(value) if key.endswith("Date") else value
    return meta


_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz]|[+-]\d{2}'?\d{2}'?)?")


def _pdf_date(value: str) -> str:
    """'D:20240226144123+08'00'' -> '2024-02-26T14:41:23+08:00'; other text unchanged."""
    m = _DATE.match(value)
    if not m:
        return value
    year, month, day, hour, minute, second, zone = m.groups()
    out = f"{year}-{month or '01'}-{day or '01'}"
    if hour:
        out += f"T{hour}:{minute or '00'}:{second or '00'}"
        if zone and zone.upper() == "Z":
            out += "Z"
        elif zone:
            digits = zone.replace("'", "")
            out += f"{digits[:3]}:{digits[3:5]}"
    return out


# --------------------------------------------------------------------------- one page


@dataclass(slots=True)
class _Char:
    text: str
    box: Box  # in the page frame
    turn: int  # quarter turns (counter-clockwise) of the glyph relative to the page frame


@dataclass(slots=True)
class _Line:
    text: str
    box: Box
    height: float  # 0 when the position is not known
    turn: int = 0
    gap: float = 0.0  # widest gap between characters, in character heights


@dataclass(slots=True)
class _RawCell:
    box: Box
    page: int
    text: str = ""
    open_top: bool = False
    open_bottom: bool = False
    chars: list[_Char] = field(default_factory=list)
    alts: tuple[str, ...] | None = None  # an unruled grid's number in doubt (Where.alts)
    doubt: str | None = None  # why its number is in doubt (Where.doubt): border, clipped, shifted


@dataclass(slots=True)
class _Fragment:
    """The part of a ruled table that stands on one page."""

    page: int
    box: Box
    cells: list[_RawCell]
    xs: list[float]  # column boundaries
    ys: list[float]  # row boundaries
    owner: list[list[int]]  # index in ``cells`` of the cell at each grid position


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    fragments: list[_Fragment] = field(default_factory=list)
    visible_chars: int = 0
    images: int = 0
    notes: list[str] = field(default_factory=list)
    broken: bool = False
    dropped: int = 0  # characters dropped as unprintable (ocr.textlayer.unprintable)
    struck: list[str] = field(default_factory=list)  # text struck out (_struck_out)


def _read_page(doc: Any, index: int) -> _Page:
    """One page read (or marked broken), the collector held off (``_uncollected``)."""
    with _uncollected():
        return _page_of(doc, index)


@contextlib.contextmanager
def _uncollected() -> Iterator[None]:
    """The cyclic garbage collector held off for a while.  Reading a page makes
    thousands of small objects (characters, boxes, rulings, cells) and none of them in a
    reference cycle: a collection they start finds nothing to free and walks every
    object of the process, a few tenths of a millisecond per page in a large one."""
    if not _gc.isenabled():
        yield
        return
    _gc.disable()
    try:
        yield
    finally:
        _gc.enable()


class _Raw:
    """A PDFium page or text page handle, as the functions here take it (``.raw``)."""

    __slots__ = ("raw",)

    def __init__(self, raw: Any) -> None:
        self.raw = raw


def _page_of(doc: Any, index: int) -> _Page:
    # (the page and its text page as PDFium's handles, opened and closed here: what
    # pypdfium2's page objects add, a finalizer each, is not needed for a page read and
    # closed in one call)
    handle = _LOAD_PAGE(doc.raw, index)
    if not handle:
        return _Page(index + 1, 0.0, 0.0, broken=True, notes=[f"第 {index + 1} 页已损坏，未读取"])
    page = _Raw(handle)
    text_handle = None
    try:
        text_handle = _LOAD_TEXT(handle)
        rotation = _ROTATION(handle)
        if not text_handle or rotation < 0:
            raise pdfium.PdfiumError("Failed to load text page.")
        textpage = _Raw(text_handle)
        n = _COUNT_CHARS(text_handle)
        crop = _crop(page)
        rotation %= 4  # (PDFium's rotation is in quarter turns, clockwise)
        if n > MAX_PAGE_CHARS:
            return _plain_page(doc, index, crop, rotation)
        measured = _measure(textpage, n)
        if measured.clean and _dominant(measured.quarters(), rotation) == 0:
            # the usual page: upright characters, every box clean, made in one pass
            frame = _Frame(crop, 0)
            chars = _upright_chars(measured, frame)
        else:
            raw_chars = _boxes(measured)
            frame = _Frame(crop, _dominant_quarter(raw_chars, rotation))
            chars = frame.chars(raw_chars)
        out = _Page(index + 1, frame.width, frame.height)
        out.visible_chars = len(chars)
        out.dropped = measured.dropped
        edges, images, skipped = _page_edges(page, frame)
        out.images = images
        if skipped:
            out.notes.append(f"第 {out.number} 页图形过多，未识别表格")
        if edges and chars:
            chars, edges = _struck_out(out, chars, edges)
        rest = _find_tables(out, edges, chars) if edges else chars
        if out.fragments:
            _clipped_cells(out, measured, frame)
        rest, upright = _unruled_tables(out, rest)
        out.lines = _text_lines(rest, upright)
        return out
    except pdfium.PdfiumError:
        return _Page(index + 1, 0.0, 0.0, broken=True, notes=[f"第 {index + 1} 页已损坏，未读取"])
    finally:
        if text_handle:
            _CLOSE_TEXT(text_handle)
        _CLOSE_PAGE(handle)


def _crop(page: Any) -> Box:
    """The page's crop box, else its media box, as pypdfium2's ``get_cropbox`` finds it;
    US Letter when neither is there or usable."""
    raw = page.raw
    box = (ctypes.c_float * 4)()
    at = ctypes.byref
    where = (at(box), at(box, 4), at(box, 8), at(box, 12))  # left, bottom, right, top
    if _CROP_BOX(raw, *where) or _MEDIA_BOX(raw, *where):
        x0, y0, x1, y1 = box[:]
    else:
        x0, y0, x1, y1 = 0.0, 0.0, 612.0, 792.0
    if x1 - x0 < 1 or y1 - y0 < 1 or not all(map(math.isfinite, (x0, y0, x1, y1))):
        x0, y0, x1, y1 = 0.0, 0.0, 612.0, 792.0
    return (x0, y0, x1, y1)


def _plain_page(doc: Any, index: int, crop: Box, rotation: int) -> _Page:
    """A page too big to read character by character: its text, line by line, no boxes
    (as pypdfium2's ``get_text_range`` gives it)."""
    number = index + 1
    frame = _Frame(crop, rotation)
    out = _Page(number, frame.width, frame.height)
    page = doc[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()
    for raw in text.splitlines():
        line = _clean(raw)
        if line:
            out.lines.append(_Line(line, (0.0, 0.0, 0.0, 0.0), 0.0))
            out.visible_chars += len(line)
    out.notes.append(f"第 {number} 页字符过多，只读取了文字，未识别表格")
    return out


RawChar = tuple[str, Box, int | None]  # text, PDF box (left, bottom, right, top), quarter


class _Handle(ctypes.c_void_p):
    """A PDFium handle as PDFium returned it: ctypes turns a c_void_p result into an int
    but leaves a subclass alone, so the handle goes back to PDFium without conversion."""


def _bare_call(fn: Any, restype: Any, *argtypes: Any) -> Any:
    """The PDFium function ``fn`` called the cheap way, about a third less work a call:
    the GIL is kept (the calls are short, and PDFium runs under _LOCK anyway) and, unless
    ``argtypes`` are given, arguments are passed as they come, so callers pass Python ints
    only for C ``int`` parameters, handles as ctypes objects (``page.raw``, a _Handle)
    and out-parameters with ``ctypes.byref``.  Where PDFium does not use the plain C
    calling convention (32-bit Windows), a call of its own kind, passed the same way."""
    address = ctypes.cast(fn, ctypes.c_void_p).value or 0
    if type(fn)._flags_ == ctypes._FUNCFLAG_CDECL:  # type: ignore[attr-defined]
        return ctypes.PYFUNCTYPE(restype, *argtypes)(address)
    call = type(fn)(address)
    call.restype = restype
    if argtypes:
        call.argtypes = argtypes
    return call


_INT = ctypes.c_int
_GET_UNICODE = _bare_call(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
_GET_LOOSE = _bare_call(pdfium_c.FPDFText_GetLooseCharBox, _INT)
_GET_TIGHT = _bare_call(pdfium_c.FPDFText_GetCharBox, _INT)
_GET_ANGLE = _bare_call(pdfium_c.FPDFText_GetCharAngle, ctypes.c_float)
_LOAD_PAGE = _bare_call(pdfium_c.FPDF_LoadPage, _Handle)
_CLOSE_PAGE = _bare_call(pdfium_c.FPDF_ClosePage, None)
_LOAD_TEXT = _bare_call(pdfium_c.FPDFText_LoadPage, _Handle)
_CLOSE_TEXT = _bare_call(pdfium_c.FPDFText_ClosePage, None)
_COUNT_CHARS = _bare_call(pdfium_c.FPDFText_CountChars, _INT)
_ROTATION = _bare_call(pdfium_c.FPDFPage_GetRotation, _INT)
_CROP_BOX = _bare_call(pdfium_c.FPDFPage_GetCropBox, _INT)
_MEDIA_BOX = _bare_call(pdfium_c.FPDFPage_GetMediaBox, _INT)


CLIP_MARGIN = 0.1  # points a glyph may stand past its clip path's box (rounding)


def _clipped_cells(page: _Page, measured: _Measured, frame: _Frame) -> None:
    """Ruled cells with a character its clip path cuts: the number there may go on where
    the page does not print it (Chromium prints what runs past the page's text area up
    to the edge of it, and a glyph cut there is the last it prints: 499742 printed as
    49974), so it is in doubt (``doubt`` "clipped": null unless the table's arithmetic
    confirms it, OCR-001/002).  A character wholly outside its clip path is not seen:
    it is not counted."""
    index = [i for i, _ in measured.picked]
    tp = measured.textpage.raw
    if pdf_bulk.available:
        tight = measured.arrays[1] if measured.arrays is not None else None
        if tight is None:
            tight = pdf_bulk.array(ctypes.c_double, len(measured.tight))
            tight[: len(measured.tight)] = measured.tight
        places = pdf_bulk.clipped(tp, index, tight, CLIP_MARGIN)
    else:
        places = _clipped_by_calls(tp, index, measured.tight, CLIP_MARGIN)
    if not places:
        return
    tv = measured.tight
    for k in places:
        left, right, bottom, top = tv[4 * k : 4 * k + 4]
        if not all(map(math.isfinite, (left, right, bottom, top))):
            continue
        x, y = frame.point((left + right) / 2, (bottom + top) / 2)
        # its cell: the one it stands in, or the nearest on its line within a glyph's
        # width (a number run out over a table's side is its last column's)
        reach = max(right - left, top - bottom)
        near: tuple[float, _RawCell] | None = None
        for fragment in page.fragments:
            for cell in fragment.cells:
                b = cell.box
                if b[1] <= y <= b[3] and cell.text:
                    dx = max(b[0] - x, 0.0, x - b[2])
                    if dx <= reach and (near is None or dx < near[0]):
                        near = (dx, cell)
        if near is not None:
            near[1].doubt = "clipped"


_TEXT_OBJECT = _bare_call(pdfium_c.FPDFText_GetTextObject, _Handle)
_CLIP_PATH = _bare_call(pdfium_c.FPDFPageObj_GetClipPath, _Handle)
_CLIP_PATHS = _bare_call(pdfium_c.FPDFClipPath_CountPaths, _INT)
_CLIP_SEGMENTS = _bare_call(pdfium_c.FPDFClipPath_CountPathSegments, _INT)
_CLIP_SEGMENT = _bare_call(pdfium_c.FPDFClipPath_GetPathSegment, _Handle)
_SEGMENT_POINT = _bare_call(pdfium_c.FPDFPathSegment_GetPoint, _INT)


def _clip_box(obj: Any) -> Box | None:
    """The box of a text object's clip path (the intersection of its paths' boxes):
    left, bottom, right, top; None without one (as _bulk.c's clip_box)."""
    clip = _CLIP_PATH(obj)
    if not clip:
        return None
    box: list[float] | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for path in range(_CLIP_PATHS(clip)):
        points = []
        for k in range(_CLIP_SEGMENTS(clip, path)):
            segment = _CLIP_SEGMENT(clip, path, k)
            got = segment and _SEGMENT_POINT(segment, ctypes.byref(x), ctypes.byref(y))
            if got and math.isfinite(x.value) and math.isfinite(y.value):
                points.append((x.value, y.value))
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        here = [min(xs), min(ys), max(xs), max(ys)]
        if box is None:
            box = here
        else:
            box = [
                max(box[0], here[0]),
                max(box[1], here[1]),
                min(box[2], here[2]),
                min(box[3], here[3]),
            ]
    return None if box is None else (box[0], box[1], box[2], box[3])


def _clipped_by_calls(tp: Any, index: list[int], tight: list[float], margin: float) -> list[int]:
    """pdf_bulk.clipped, a call at a time (where _bulk.c was not built)."""
    out: list[int] = []
    last: int | None = None
    clip: Box | None = None
    for k, i in enumerate(index):
        obj = _TEXT_OBJECT(tp, i)
        if not obj:
            continue
        if obj.value != last:
            last, clip = obj.value, _clip_box(obj)
        if clip is None:
            continue
        left, right, bottom, top = tight[4 * k : 4 * k + 4]
        c0, c1, c2, c3 = clip
        inside = left < c2 and right > c0 and bottom < c3 and top > c1
        past = left < c0 - margin or right > c2 + margin or bottom < c1 - margin
        if inside and (past or top > c3 + margin):
            out.append(k)
    return out


def _raw_chars(textpage: Any, n: int) -> list[RawChar]:
    """The page's visible characters with their boxes and quarter turns.

    One call reads every character's code (``_page_text``); the boxes and angles of the
    characters kept are then written by PDFium into arrays read back at once (a call per
    value, and no ctypes number to unwrap per value).
    """
    return _boxes(_measure(textpage, n))


def _visible(tp: Any, n: int) -> tuple[list[tuple[int, str]], int]:
    """The page's visible characters (index, text): no space, line break or control;
    and how many were dropped as garbage (ocr.textlayer.unprintable)."""
    page_text = _page_text(tp, n)
    # (the characters PDFium makes up, FPDFText_IsGenerated, are spaces and line breaks:
    # the first test leaves them out without asking; every white space character above
    # U+0020, U+FFFE and U+FFFF is unprintable)
    if not _SURROGATE.search(page_text):  # the usual page: one character per code
        picked = [(i, ch) for i, ch in enumerate(page_text) if ch > " " and ch.isprintable()]
    else:
        picked = _picked(list(map(ord, page_text)))
    return picked, unprintable(page_text, len(picked))


_SURROGATE = re.compile("[\ud800-\udfff]")
_GET_TEXT = _bare_call(pdfium_c.FPDFText_GetText, _INT)
_TEXT_INDEX = _bare_call(pdfium_c.FPDFText_GetTextIndexFromCharIndex, _INT)


def _page_text(tp: Any, n: int) -> str:
    """FPDFText_GetUnicode of each of the page's ``n`` characters, as a string of ``n``
    UTF-16 code units (a surrogate stays a character of its own).

    Read as the page's text in one call (FPDFText_GetText) when that text is one UTF-16
    unit per character: PDFium's text leaves out the characters it does not print, so it
    is used only when it has ``n`` units and the last character is the ``n``-th of it
    (FPDFText_GetTextIndexFromCharIndex); else one call per character.  The units are
    decoded at once unless a surrogate is among them.
    """
    if n > 0:
        text = pdf_bulk.array(ctypes.c_ushort, n + 1, 1024)
        if _GET_TEXT(tp, 0, n, ctypes.byref(text)) == n + 1 and _TEXT_INDEX(tp, n - 1) == n - 1:
            try:
                decoded = ctypes.string_at(text, 2 * n).decode("utf-16-le")
            except UnicodeDecodeError:  # a lone surrogate
                decoded = ""
            if len(decoded) == n:  # (a surrogate pair decodes to one character)
                return decoded
            return "".join(map(chr, text[:n]))
    get_unicode = _GET_UNICODE
    return "".join([chr(get_unicode(tp, i)) for i in range(n)])


def _picked(codes: list[int]) -> list[tuple[int, str]]:
    """The visible characters among UTF-16 codes (surrogate pairs joined), by index."""
    picked: list[tuple[int, str]] = []
    pending_high = 0
    for i, code in enumerate(codes):
        if 0xD800 <= code < 0xDC00:  # high surrogate: wait for its pair
            pending_high = code
            continue
        if 0xDC00 <= code < 0xE000 and pending_high:
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
        pending_high = 0
        if code <= 0x20 or code == 0xFFFE or code == 0xFFFF:
            continue
        text = chr(code)
        if text.isspace() or not text.isprintable():
            continue
        picked.append((i, text))
    return picked


_DOUBLE4 = ctypes.c_double * 4
_NO_BOX = (0.0, 0.0, 0.0, 0.0)  # the tight box of a character PDFium gave no box for


@dataclass(slots=True)
class _Measured:
    """What PDFium says of a page's visible characters, as read in bulk: per character
    whether both boxes came, its loose box (left, top, right, bottom), its tight box
    (left, right, bottom, top) and its angle; ``clean`` when every box came and is finite
    (then no character is left out)."""

    textpage: Any
    picked: list[tuple[int, str]]
    found: list[int]
    loose: list[float]
    tight: list[float]
    angles: list[float]
    turns: dict[float, int | None]  # angle -> quarter turns (None: skewed)
    clean: bool
    dropped: int = 0  # characters dropped as garbage (ocr.textlayer.unprintable)
    arrays: tuple[Any, Any] | None = None  # the loose and tight boxes where pdf_bulk wrote them

    def quarters(self) -> Counter[int]:
        """How many of the characters stand at each quarter turn (as _dominant_quarter
        counts them; only for a clean page, where none is left out)."""
        counts: Counter[int] = Counter()
        if len(self.turns) == 1:  # one angle for the whole page (the usual page)
            q = next(iter(self.turns.values()))
            if q is not None and self.angles:
                counts[q] = len(self.angles)
            return counts
        for angle, k in Counter(self.angles).items():  # (angles counted at once, in C)
            q = self.turns[angle]
            if q is not None:
                counts[q] += k
        return counts


class _Slots:
    """Out-parameters for PDFium's per-character box calls, made once: one array of loose
    boxes (4 floats a character) and one of tight boxes (4 doubles), with a pointer to
    each character's place made in advance, so a page's boxes are fetched by ``map``
    (the calls made from C, no Python frame per character) and read back in one slice.
    Used only under _LOCK, for pages of up to ``limit`` characters."""

    limit = 8192

    def __init__(self) -> None:
        self.size = 0
        self.loose: Any = None
        self.tight: Any = None
        self.angles: Any = None  # (for pdf_bulk.char_boxes)
        self.loose_at: list[Any] = []
        self.tight_at: tuple[list[Any], list[Any], list[Any], list[Any]] = ([], [], [], [])

    def fit(self, m: int) -> bool:
        """Room for ``m`` characters (False past the limit)."""
        if m <= self.size and self.loose is not None:  # (none made yet: a page of no text)
            return True
        if m > self.limit:
            return False
        size = 1024
        while size < m:
            size *= 2
        at = ctypes.byref
        self.loose = (ctypes.c_float * (4 * size))()
        self.tight = (ctypes.c_double * (4 * size))()
        self.angles = (ctypes.c_float * size)()
        self.loose_at = [at(self.loose, 16 * k) for k in range(size)]
        self.tight_at = tuple(  # type: ignore[assignment]
            [at(self.tight, 32 * k + 8 * j) for k in range(size)] for j in range(4)
        )
        self.size = size
        return True


_SLOTS = _Slots()


def _measure(textpage: Any, n: int) -> _Measured:
    """The page's visible characters measured (``_Measured``)."""
    tp = textpage.raw
    picked, dropped = _visible(tp, n)
    m = len(picked)
    index = [i for i, _ in picked]
    slots = _SLOTS
    if slots.fit(m):
        # every box by calls made from C (pdf_bulk's loop, else two passes of map); when
        # one is refused (PDFium has no box for a character), the page is measured one
        # character at a time
        if pdf_bulk.available:
            measured = pdf_bulk.char_boxes(tp, index, slots.loose, slots.tight, slots.angles)
        else:
            t0, t1, t2, t3 = slots.tight_at
            measured = all(map(_GET_LOOSE, itertools.repeat(tp, m), index, slots.loose_at))
            measured = measured and all(
                map(_GET_TIGHT, itertools.repeat(tp, m), index, t0, t1, t2, t3)
            )
        if measured:
            lvals: list[float] = slots.loose[: 4 * m]
            tvals: list[float] = slots.tight[: 4 * m]
            if pdf_bulk.available:
                angles: list[float] = slots.angles[:m]
            else:
                angles = list(map(_GET_ANGLE, itertools.repeat(tp, m), index))
            # all finite when their sum is (an overflowing sum only sends the page the
            # careful way, one value at a time)
            clean = math.isfinite(sum(lvals)) and math.isfinite(sum(tvals))
            if not clean:
                clean = all(map(math.isfinite, lvals)) and all(map(math.isfinite, tvals))
            turns = {angle: _quarter(angle) for angle in set(angles)}
            arrays = (slots.loose, slots.tight) if pdf_bulk.available else None
            found = [1] * m
            return _Measured(
                textpage, picked, found, lvals, tvals, angles, turns, clean, dropped, arrays
            )
    return _measured_one_by_one(textpage, picked, dropped)


def _measured_one_by_one(textpage: Any, picked: list[tuple[int, str]], dropped: int) -> _Measured:
    """``_measure`` of the picked characters, a call per character and value."""
    tp = textpage.raw
    m = len(picked)
    loose = pdf_bulk.array(ctypes.c_float, 4 * m, 1024)  # left, top, right, bottom each
    box = _DOUBLE4()  # left, right, bottom, top of one character, copied out after each call
    get_loose, get_tight, get_angle, at = _GET_LOOSE, _GET_TIGHT, _GET_ANGLE, ctypes.byref
    t0, t1, t2, t3 = at(box), at(box, 8), at(box, 16), at(box, 24)
    index = [i for i, _ in picked]
    tvals: list[float] = []
    keep = tvals.extend
    missed: list[int] = []  # the characters PDFium gave no box for (by place in picked)
    for i, offset in zip(index, range(0, 16 * m, 16), strict=True):
        if get_loose(tp, i, at(loose, offset)) and get_tight(tp, i, t0, t1, t2, t3):
            keep(box[:])
        else:
            missed.append(offset // 16)
            keep(_NO_BOX)
    found = [1] * m
    for k in missed:
        found[k] = 0
    angles = [get_angle(tp, i) for i in index]
    lvals = loose[: 4 * m]
    # checked once for the page; one character at a time only when something is off
    clean = not missed and all(map(math.isfinite, lvals)) and all(map(math.isfinite, tvals))
    turns = {angle: _quarter(angle) for angle in set(angles)}
    return _Measured(textpage, picked, found, lvals, tvals, angles, turns, clean, dropped)


def _boxes(measured: _Measured) -> list[RawChar]:
    """The measured characters with their PDF boxes and quarter turns."""
    picked, found, turns, clean = measured.picked, measured.found, measured.turns, measured.clean
    lv, tv = iter(measured.loose), iter(measured.tight)
    matrix: Any = None
    out: list[RawChar] = []
    for (i, text), ok, (left, top, right, bottom), (tl, tr, tb, tt), angle in zip(
        picked,
        found,
        zip(lv, lv, lv, lv, strict=True),
        zip(tv, tv, tv, tv, strict=True),
        measured.angles,
        strict=True,
    ):
        if not clean and (
            not ok or not all(map(math.isfinite, (left, top, right, bottom, tl, tr, tb, tt)))
        ):
            continue
        lw, lh = right - left, top - bottom
        if lw > 3 * (tr - tl) + 2 and lh > 3 * (tt - tb) + 2:
            # PDFium's loose box ignores the text matrix for vertical writing (Identity-V):
            # it comes out ~20 times too big.  Use an em square around the glyph instead.
            if matrix is None:
                matrix = pdfium_c.FS_MATRIX()
            em = _em(measured.textpage.raw, i, matrix)
            if em > 0 and (lh > 2.5 * em or lw > 2.5 * em):
                cx, cy = (tl + tr) / 2, (tb + tt) / 2
                out.append(
                    (text, (cx - em / 2, cy - em / 2, cx + em / 2, cy + em / 2), turns[angle])
                )
                continue
        out.append((text, (left, bottom, right, top), turns[angle]))
    return out


def _upright_chars(measured: _Measured, frame: _Frame) -> list[_Char]:
    """``frame.chars(_boxes(measured))`` for a clean page read upright (frame.quarter 0),
    in one pass: the same boxes, turned into the frame as they are made."""
    assert measured.clean and frame.quarter == 0
    if measured.arrays is not None:
        return _upright_in_bulk(measured, frame)
    x0, y1 = frame.x0, frame.y1
    turns = measured.turns
    lv, tv = iter(measured.loose), iter(measured.tight)
    matrix: Any = None
    out: list[_Char] = []
    append = out.append
    for (i, text), (left, top, right, bottom), (tl, tr, tb, tt), angle in zip(
        measured.picked,
        zip(lv, lv, lv, lv, strict=True),
        zip(tv, tv, tv, tv, strict=True),
        measured.angles,
        strict=True,
    ):
        q = turns[angle]
        if q is None:  # skewed (a diagonal watermark): left out, as frame.chars does
            continue
        lw, lh = right - left, top - bottom
        if lw > 3 * (tr - tl) + 2 and lh > 3 * (tt - tb) + 2:  # as _boxes
            if matrix is None:
                matrix = pdfium_c.FS_MATRIX()
            em = _em(measured.textpage.raw, i, matrix)
            if em > 0 and (lh > 2.5 * em or lw > 2.5 * em):
                cx, cy = (tl + tr) / 2, (tb + tt) / 2
                left, bottom, right, top = cx - em / 2, cy - em / 2, cx + em / 2, cy + em / 2
        # the upright frame, as frame.chars computes it
        ax, bx, ay, by = left - x0, right - x0, y1 - bottom, y1 - top
        append(
            _Char(
                text,
                (
                    bx if bx < ax else ax,
                    by if by < ay else ay,
                    bx if bx > ax else ax,
                    by if by > ay else ay,
                ),
                q,
            )
        )
    return out


def _upright_in_bulk(measured: _Measured, frame: _Frame) -> list[_Char]:
    """``_upright_chars`` with the boxes turned in C (pdf_bulk.upright), from the arrays
    PDFium wrote them to: the characters whose loose box is PDFium's box of vertical
    writing are then made again one by one, as _upright_chars makes them."""
    assert measured.arrays is not None
    picked, turns = measured.picked, measured.turns
    m = len(picked)
    flat, odd = pdf_bulk.upright(*measured.arrays, m, frame.x0, frame.y1)
    it = iter(flat)
    boxes: list[Box] = list(zip(it, it, it, it, strict=True))
    k = odd.find(1)
    if k >= 0:
        x0, y1, lv, tv = frame.x0, frame.y1, measured.loose, measured.tight
        matrix = pdfium_c.FS_MATRIX()
        while k >= 0:
            left, top, right, bottom = lv[4 * k : 4 * k + 4]
            tl, tr, tb, tt = tv[4 * k : 4 * k + 4]
            em = _em(measured.textpage.raw, picked[k][0], matrix)
            if em > 0 and (top - bottom > 2.5 * em or right - left > 2.5 * em):
                cx, cy = (tl + tr) / 2, (tb + tt) / 2
                left, bottom, right, top = cx - em / 2, cy - em / 2, cx + em / 2, cy + em / 2
                ax, bx, ay, by = left - x0, right - x0, y1 - bottom, y1 - top
                boxes[k] = (
                    bx if bx < ax else ax,
                    by if by < ay else ay,
                    bx if bx > ax else ax,
                    by if by > ay else ay,
                )
            k = odd.find(1, k + 1)
    quarters: Iterator[int | None] | list[int | None]
    if len(turns) == 1:
        quarters = itertools.repeat(next(iter(turns.values())), m)
    else:
        quarters = [turns[angle] for angle in measured.angles]
    # (a skewed character's turn is None here, until it is left out below)
    chars = list(map(_Char, [text for _, text in picked], boxes, quarters))  # type: ignore[arg-type]
    if None in turns.values():  # skewed (a diagonal watermark): left out, as frame.chars does
        return [c for c in chars if c.turn is not None]
    return chars


_FONT_SIZE = _bare_call(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_CHAR_MATRIX = _bare_call(pdfium_c.FPDFText_GetMatrix, _INT)


def _em(textpage: Any, index: int, matrix: Any) -> float:
    """The font size of a character in page units (font size times the text matrix)."""
    size = _FONT_SIZE(textpage, index)
    if not _CHAR_MATRIX(textpage, index, ctypes.byref(matrix)):
        return 0.0
    scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    em = float(size) * scale
    return em if math.isfinite(em) else 0.0


def _quarter(angle: float) -> int | None:
    """PDFium's clockwise angle -> counter-clockwise quarter turns, None when skewed."""
    if angle < 0 or not math.isfinite(angle):
        return 0  # PDFium could not tell: assume upright
    turns = angle / (math.pi / 2)
    nearest = round(turns)
    if abs(turns - nearest) > 0.12:
        return None
    return (4 - nearest % 4) % 4


def _dominant_quarter(chars: list[RawChar], rotation: int) -> int:
    """The frame in which most characters stand upright; the page /Rotate when no text."""
    return _dominant(Counter(q for _, _, q in chars if q is not None), rotation)


def _dominant(counts: Counter[int], rotation: int) -> int:
    """``_dominant_quarter`` of the characters' quarter turns counted."""
    if not counts:
        return rotation
    best = max(counts.values())
    if counts.get(rotation, 0) == best:
        return rotation
    return max(counts, key=lambda q: (counts[q], q == 0))


class _Frame:
    """Maps PDF user space to a top-left frame turned by ``quarter`` (counter-clockwise)."""

    def __init__(self, crop: Box, quarter: int) -> None:
        self.x0, self.y0, self.x1, self.y1 = crop
        self.quarter = quarter
        w, h = self.x1 - self.x0, self.y1 - self.y0
        self.width, self.height = (w, h) if quarter % 2 == 0 else (h, w)

    def point(self, x: float, y: float) -> tuple[float, float]:
        q = self.quarter
        if q == 0:
            return x - self.x0, self.y1 - y
        if q == 1:
            return y - self.y0, x - self.x0
        if q == 2:
            return self.x1 - x, y - self.y0
        return self.y1 - y, self.x1 - x

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))

    def chars(self, raw: list[RawChar]) -> list[_Char]:
        """The characters in this frame (skewed ones, e.g. a diagonal watermark, left out)."""
        quarter = self.quarter
        if quarter != 0:
            return [
                _Char(text, self.box(*box), (q - quarter) % 4)
                for text, box, q in raw
                if q is not None
            ]
        # the upright frame, as box() computes it (min(a, b) is b if b < a else a)
        x0, y1 = self.x0, self.y1
        out: list[_Char] = []
        for text, (left, bottom, right, top), q in raw:
            if q is None:
                continue
            ax, bx, ay, by = left - x0, right - x0, y1 - bottom, y1 - top
            out.append(
                _Char(
                    text,
                    (
                        bx if bx < ax else ax,
                        by if by < ay else ay,
                        bx if bx > ax else ax,
                        by if by > ay else ay,
                    ),
                    q,  # (0 to 3 already: q % 4)
                )
            )
        return out


# --------------------------------------------------------------------------- rulings


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


class _TooMany(Exception):
    pass


_UINT, _FLOAT = ctypes.c_uint, ctypes.c_float
_FLOAT6, _FLOAT2, _INT2, _UINT4 = _FLOAT * 6, _FLOAT * 2, _INT * 2, _UINT * 4
_COUNT_OBJECTS = _bare_call(pdfium_c.FPDFPage_CountObjects, _INT)
_GET_OBJECT = _bare_call(pdfium_c.FPDFPage_GetObject, _Handle)
_FORM_COUNT_OBJECTS = _bare_call(pdfium_c.FPDFFormObj_CountObjects, _INT)
# (its index is an unsigned long, not an int: typed)
_FORM_GET_OBJECT = _bare_call(
    pdfium_c.FPDFFormObj_GetObject, _Handle, ctypes.c_void_p, ctypes.c_ulong
)
_OBJ_TYPE = _bare_call(pdfium_c.FPDFPageObj_GetType, _INT)
_OBJ_MATRIX = _bare_call(pdfium_c.FPDFPageObj_GetMatrix, _INT)
_DRAW_MODE = _bare_call(pdfium_c.FPDFPath_GetDrawMode, _INT)
_COUNT_SEGMENTS = _bare_call(pdfium_c.FPDFPath_CountSegments, _INT)
_GET_SEGMENT = _bare_call(pdfium_c.FPDFPath_GetPathSegment, _Handle)
_SEGMENT_POINT = _bare_call(pdfium_c.FPDFPathSegment_GetPoint, _INT)
_SEGMENT_TYPE = _bare_call(pdfium_c.FPDFPathSegment_GetType, _INT)
_SEGMENT_CLOSE = _bare_call(pdfium_c.FPDFPathSegment_GetClose, _INT)
_FILL_COLOR = _bare_call(pdfium_c.FPDFPageObj_GetFillColor, _INT)
_PATH, _FORM, _IMAGE = (
    pdfium_c.FPDF_PAGEOBJ_PATH,
    pdfium_c.FPDF_PAGEOBJ_FORM,
    pdfium_c.FPDF_PAGEOBJ_IMAGE,
)
_MATRIX = struct.Struct("=6f")  # an FS_MATRIX's bytes
_WANTED = (_PATH, _FORM, _IMAGE)  # the objects the walk does anything with
_LINETO, _MOVETO = pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_MOVETO


def _page_edges(page: Any, frame: _Frame) -> tuple[list[Edge], int, str]:
    """Axis-parallel drawn segments as rulings, the image count, and why none."""
    edges: list[Edge] = []
    images = 0
    objects_left = MAX_PAGE_OBJECTS
    segments_left = MAX_PAGE_SEGMENTS
    matrix = _FLOAT6()
    modes = _INT2()  # fill mode, stroke
    rgba = _UINT4()
    point = _FLOAT2()
    at = ctypes.byref
    m_at, modes_at, stroke_at = at(matrix), at(modes), at(modes, 4)
    r_at, g_at, b_at, a_at = (at(rgba, 4 * k) for k in range(4))
    point_at = (at(point), at(point, 4))
    upright, fx0, fy1, to_frame = frame.quarter == 0, frame.x0, frame.y1, frame.point
    add_edge, isfinite = edges.append, math.isfinite

    def walk(parent: Any, in_form: bool, ctm: Matrix, depth: int) -> None:
        nonlocal images, objects_left, segments_left
        count = max((_FORM_COUNT_OBJECTS if in_form else _COUNT_OBJECTS)(parent), 0)
        # Every object counts against the budget, in order (a form's objects where the
        # form stands); only paths, forms and images do anything, so the objects between
        # them are counted at once.  Objects past the budget are not even fetched.
        # (a missing object's type is FPDF_PAGEOBJ_UNKNOWN: nothing to do)
        fetched = min(count, objects_left + 1)
        # What is asked of each object comes from PDFium's calls one by one, or, with
        # pdf_bulk, from its C loops, which ask the same of every object at once (pre).
        pre: pdf_bulk.Listing | None = None
        wanted: Iterator[tuple[int, int, Any]]
        if pdf_bulk.available:
            pre = pdf_bulk.Listing(parent, in_form, fetched, _WANTED, bool(_segment_layout[0]))
            wanted = zip(pre.indexes, pre.kinds, map(_Handle, pre.handles), strict=True)
        else:
            get = _FORM_GET_OBJECT if in_form else _GET_OBJECT
            objects = list(map(get, itertools.repeat(parent), range(fetched)))
            kinds = list(map(_OBJ_TYPE, objects))
            wanted = ((i, kind, objects[i]) for i, kind in enumerate(kinds) if kind in _WANTED)
        # (a path standing in the page itself is drawn with its own matrix: pre knows
        # whether it is surely thick)
        top = ctm is _IDENTITY
        last = -1  # the last object counted
        seen = b""  # the last matrix read (its bytes) and what it made, m
        m = ctm
        for k, (i, kind, obj) in enumerate(wanted):
            objects_left -= i - last
            last = i
            if objects_left < 0:
                raise _TooMany("对象过多")
            if kind == _IMAGE:
                images += 1
                continue
            if pre is not None:
                flags = pre.flags[k]
                if not flags & 1:
                    continue
                raw = pre.matrix_bytes[24 * k : 24 * k + 24]
            else:
                flags = 0
                if not _OBJ_MATRIX(obj, m_at):
                    continue
                raw = bytes(matrix)
            if raw != seen:  # (paths mostly share their matrix: multiplied once)
                seen = raw
                a, b, c, d, e, f = _MATRIX.unpack(raw)
                m = _multiply((a, b, c, d, e, f), ctm)
            if kind == _FORM:
                if depth < 8:
                    walk(obj, True, m, depth + 1)
                continue
            if pre is not None:
                if not flags & 2:
                    continue
                fill_mode, stroke = pre.modes[2 * k], pre.modes[2 * k + 1]
            else:
                if not _DRAW_MODE(obj, modes_at, stroke_at):
                    continue
                fill_mode, stroke = modes[:]
            if not stroke and not fill_mode:
                continue
            n = pre.counts[k] if pre is not None else _COUNT_SEGMENTS(obj)
            if n < 2:
                continue
            segments_left -= n
            if segments_left < 0:
                raise _TooMany("线条过多")
            if stroke and n == 2 and _segment_layout[0]:
                # a stroked line (a move and a line: how WeasyPrint draws a cell's
                # border): _path_rulings of its two segments, written out (the second
                # stands after the first: the layout was checked, and PDFium keeps a
                # path's points in one array)
                first = pre.ends[2 * k] if pre is not None else _SEGMENT_AT(obj, 0)
                if first:
                    x, y, _, _, x2, y2, kind2, close = _TWO_SEGMENTS.unpack_from(
                        _TWO_SEGMENTS_BYTES.from_address(first)
                    )
                    if kind2 == _LINETO:
                        a, b, c, d, e, f = m
                        if upright:
                            px, py = a * x + c * y + e - fx0, fy1 - (b * x + d * y + f)
                            qx, qy = a * x2 + c * y2 + e - fx0, fy1 - (b * x2 + d * y2 + f)
                        else:
                            px, py = to_frame(a * x + c * y + e, b * x + d * y + f)
                            qx, qy = to_frame(a * x2 + c * y2 + e, b * x2 + d * y2 + f)
                        _ruling(px, py, qx, qy, add_edge, isfinite)
                        if close:
                            _ruling(qx, qy, px, py, add_edge, isfinite)
                    continue
            if not stroke:
                # A filled, unstroked shape: a ruling only when thin or visibly coloured.
                # An invisible one (white, as Word and WPS put behind text) that is
                # surely not thin is dropped before its points are turned into the page
                # frame (pre measured a path of the page itself in C).
                if pre is not None:
                    ok = flags & 4
                    r, g, bl, al = pre.colors[4 * k : 4 * k + 4]
                else:
                    ok = _FILL_COLOR(obj, r_at, g_at, b_at, a_at)
                    r, g, bl, al = rgba[:]
                invisible = not ok or al == 0 or min(r, g, bl) >= 240
                if invisible and top and flags & 8:
                    continue
            ends = (pre.ends[2 * k], pre.ends[2 * k + 1]) if pre is not None else None
            segments = _segments(obj, n, point, point_at, ends)
            if stroke:
                _path_rulings(segments, m, frame, edges, None)
                continue
            if invisible and _surely_thick(segments, m):
                continue
            found: list[Edge] = []
            xs: list[float] = []
            ys: list[float] = []
            _path_rulings(segments, m, frame, found, (xs, ys))
            if not xs:
                continue
            thin = min(max(xs) - min(xs), max(ys) - min(ys)) <= 2.0
            if not thin and invisible:
                continue
            edges.extend(found)
        objects_left -= count - 1 - last
        if objects_left < 0:
            raise _TooMany("对象过多")

    try:
        walk(page.raw, False, _IDENTITY, 0)
    except _TooMany as exc:
        return [], images, str(exc)
    return edges, images, ""


def _path_rulings(
    segments: Sequence[float],
    m: Matrix,
    frame: _Frame,
    edges: list[Edge],
    points: tuple[list[float], list[float]] | None,
) -> None:
    """A path's axis-parallel straight pieces as rulings (appended to ``edges``), its
    segments turned by ``m`` into the page frame; with ``points``, the x and y of every
    point of its straight runs too (a run: points joined by line segments; a move or a
    curve starts a new one, a close joins its end to its start).

    One pass: each line segment becomes a ruling as it is met, in the order of the runs
    and of their points.
    """
    a, b, c, d, e, f = m
    to_frame = frame.point
    upright = frame.quarter == 0
    x0, y1 = frame.x0, frame.y1
    xs, ys = points if points is not None else ([], [])
    keep = points is not None
    started = False  # a run is open (its first point is sx, sy)
    length = 0  # points in the open run
    sx = sy = px = py = 0.0
    isfinite, append = math.isfinite, edges.append
    it = iter(segments)
    for x, y, kind, close in zip(it, it, it, it, strict=True):
        if upright:  # frame.point, written out
            qx, qy = a * x + c * y + e - x0, y1 - (b * x + d * y + f)
        else:
            qx, qy = to_frame(a * x + c * y + e, b * x + d * y + f)
        if kind == _LINETO and started:
            if keep:
                if length == 1:  # the run's first point counts once the run has two
                    xs.append(px)
                    ys.append(py)
                xs.append(qx)
                ys.append(qy)
            length += 1
            _ruling(px, py, qx, qy, append, isfinite)
        else:  # move, curve or unknown: start a new run here
            started, length, sx, sy = True, 1, qx, qy
        px, py = qx, qy
        if close and length > 1:
            if keep:
                xs.append(sx)
                ys.append(sy)
            _ruling(px, py, sx, sy, append, isfinite)
            started, length = False, 0


def _ruling(x0: float, y0: float, x1: float, y1: float, append: Any, isfinite: Any) -> None:
    """The ruling of one line segment, when it is about horizontal or vertical."""
    if not isfinite(x0 * 0.0 + y0 * 0.0 + x1 * 0.0 + y1 * 0.0):  # all four finite
        return
    dx, dy = abs(x1 - x0), abs(y1 - y0)
    if dx <= 0.5 and dy >= 1:
        x = (x0 + x1) / 2
        top, bottom = (y0, y1) if y0 <= y1 else (y1, y0)
        append(Edge(True, x, top, x, bottom, 0.0, bottom - top))
    elif dy <= 0.5 and dx >= 1:
        y = (y0 + y1) / 2
        left, right = (x0, x1) if x0 <= x1 else (x1, x0)
        append(Edge(False, left, y, right, y, right - left, 0.0))


def _surely_thick(segments: Sequence[float], m: Matrix) -> bool:
    """Whether a path that is one straight run (a move, then lines) is, turned by an
    axis-parallel ``m``, more than 2 points wide and high: measured in its own space
    without turning each point (with a margin for rounding).  False when it cannot
    tell so cheaply."""
    a, b, c, d, _, _ = m
    if b == 0 and c == 0:
        sx, sy = abs(a), abs(d)
    elif a == 0 and d == 0:
        sx, sy = abs(b), abs(c)  # x becomes the frame's y and y its x: both measured
    else:
        return False
    if len(segments) == 20:  # a rectangle (WPS's box behind a line or cell): unpacked
        x0, y0, k0, c0, x1, y1, k1, c1, x2, y2, k2, c2, x3, y3, k3, c3, x4, y4, k4, _ = segments
        if k0 != _MOVETO or k1 != _LINETO or k2 != _LINETO or k3 != _LINETO or k4 != _LINETO:
            return False
        if c0 or c1 or c2 or c3:
            return False
        xs: Sequence[float] = (x0, x1, x2, x3, x4)
        ys: Sequence[float] = (y0, y1, y2, y3, y4)
    else:
        if len(segments) < 8:  # two segments
            return False
        xs, ys, kinds, closes = segments[0::4], segments[1::4], segments[2::4], segments[3::4]
        # lines only after the move, closed at the end if at all
        if kinds[0] != _MOVETO or kinds.count(_LINETO) != len(kinds) - 1 or any(closes[:-1]):
            return False
    if not math.isfinite(sum(xs) * 0.0 + sum(ys) * 0.0 + sx * sy * 0.0 + m[4] * 0.0 + m[5] * 0.0):
        return False  # a value that is not a finite number (min and max would skip it)
    lo_x, hi_x, lo_y, hi_y = min(xs), max(xs), min(ys), max(ys)
    size = abs(lo_x) + abs(hi_x) + abs(lo_y) + abs(hi_y)
    margin = 1e-6 * (1.0 + (abs(a) + abs(b) + abs(c) + abs(d)) * size + abs(m[4]) + abs(m[5]))
    return min(sx * (hi_x - lo_x), sy * (hi_y - lo_y)) > 2.0 + margin


# PDFium keeps a path's segments in one array of {float x, y; uint8 type; bool close}
# (padded to 12 bytes) and FPDFPath_GetPathSegment returns pointers into it.  Reading
# the array at once replaces four calls per segment; it is used only while the array is
# where PDFium's own calls say (first and last segment 12 bytes apart per step) and once
# the values read agreed with the calls on a whole path (else the calls are used).
_SEGMENT = struct.Struct("=ffBBxx")
_segment_layout: list[bool | None] = [None]  # None: not checked yet


_TWO_SEGMENTS = struct.Struct("=" + "ffBBxx" * 2)
_TWO_SEGMENTS_BYTES = ctypes.c_char * _TWO_SEGMENTS.size
_SEGMENTS: dict[int, tuple[struct.Struct, Any]] = {}  # n -> (n segments' format, bytes)
_SEGMENT_AT = _bare_call(pdfium_c.FPDFPath_GetPathSegment, ctypes.c_void_p)  # an address


def _segments(
    obj: Any,
    n: int,
    point: Any,
    point_at: tuple[Any, Any],
    ends: tuple[int | None, int | None] | None = None,
) -> Sequence[float]:
    """A path's segments in path space, flat: x, y, type, close of each in turn
    (``ends``: the addresses of its first and last segment, when known)."""
    if _segment_layout[0] is not False and n > 1:
        first, last = ends if ends is not None else (_SEGMENT_AT(obj, 0), _SEGMENT_AT(obj, n - 1))
        if first and last and last - first == _SEGMENT.size * (n - 1):
            read = _read_segments(first, n)
            if _segment_layout[0]:
                return read
            called = _called_segments(obj, n, point, point_at)
            _segment_layout[0] = list(read) == called
            return called
    return _called_segments(obj, n, point, point_at)


def _read_segments(address: int, n: int) -> Sequence[float]:
    """``n`` segments read from PDFium's array at ``address`` (one format per count,
    made once for paths of up to 64 segments)."""
    found = _SEGMENTS.get(n)
    if found is None:
        if n > 64:
            data = ctypes.string_at(address, _SEGMENT.size * n)
            return [v for segment in _SEGMENT.iter_unpack(data) for v in segment]
        found = _SEGMENTS[n] = (
            struct.Struct("=" + "ffBBxx" * n),
            ctypes.c_char * (_SEGMENT.size * n),
        )
    layout, chars = found
    values: tuple[float, ...] = layout.unpack_from(chars.from_address(address))
    return values


def _called_segments(obj: Any, n: int, point: Any, point_at: tuple[Any, Any]) -> list[float]:
    """A path's segments through one PDFium call per value (missing ones left out)."""
    get_segment, get_point = _GET_SEGMENT, _SEGMENT_POINT
    get_type, get_close = _SEGMENT_TYPE, _SEGMENT_CLOSE
    x_at, y_at = point_at
    out: list[float] = []
    for i in range(n):
        seg = get_segment(obj, i)
        if not seg or not get_point(seg, x_at, y_at):
            continue
        x, y = point[:]
        out += (x, y, get_type(seg), get_close(seg))
    return out


def _made_borders(hs: list[Edge], vs: list[Edge]) -> list[Edge]:
    """Made-up borders where several rulings stop in the open, e.g. at a page break."""
    made: list[Edge] = []
    # Vertical rulings whose top or bottom ends meet no horizontal one -> horizontal border.
    by_top = _ByPosition(hs, vertical=False)
    for end in ("top", "bottom"):
        ends = [(getattr(v, end), v.x0, _meets(v, end, by_top)) for v in vs]
        for y, x0, x1 in _group_ends(ends):
            made.append(make_edge(False, x0, y, x1, y, made=True))
    by_x = _ByPosition(vs, vertical=True)
    for end in ("x0", "x1"):
        ends = [(getattr(h, end), h.top, _meets(h, end, by_x)) for h in hs]
        for x, top, bottom in _group_ends(ends):
            made.append(make_edge(True, x, top, x, bottom, made=True))
    return made


class _ByPosition:
    """Rulings of one direction sorted by where they stand (y of a horizontal one, x of
    a vertical one), for the lookups of :func:`_meets`."""

    def __init__(self, edges: list[Edge], vertical: bool) -> None:
        self.edges = sorted(edges, key=(lambda e: e.x0) if vertical else (lambda e: e.top))
        self.at = [e.x0 if vertical else e.top for e in self.edges]

    def near(self, lo: float, hi: float) -> list[Edge]:
        """The rulings standing within lo..hi (and a hair more: the caller tests exactly)."""
        slack = 1e-6 * (1.0 + abs(lo) + abs(hi))
        return self.edges[
            bisect.bisect_left(self.at, lo - slack) : bisect.bisect_right(self.at, hi + slack)
        ]


def _meets(edge: Edge, end: str, others: _ByPosition) -> bool:
    """Whether the ``end`` (top, bottom, x0 or x1) of a ruling stops at a perpendicular one:
    at most _SNAP short of it or _OVERSHOOT past it."""
    vertical = edge.vertical
    at = getattr(edge, end)
    across = edge.x0 if vertical else edge.top
    inward = 1 if end in ("top", "x0") else -1
    # d = (position - at) * inward in -_SNAP.._OVERSHOOT: candidates by position first
    window = (at - _SNAP, at + _OVERSHOOT) if inward == 1 else (at - _OVERSHOOT, at + _SNAP)
    for o in others.near(*window):
        lo, hi = (o.x0, o.x1) if vertical else (o.top, o.bottom)
        if lo - _SNAP <= across <= hi + _SNAP:
            d = ((o.top if vertical else o.x0) - at) * inward
            if -_SNAP <= d <= _OVERSHOOT:
                return True
    return False


def _group_ends(ends: list[tuple[float, float, bool]]) -> list[tuple[float, float, float]]:
    """Ends (position, across, touching) of rulings -> made-up borders (position, from, to).

    Where at least two rulings end at about the same position and some of them in the
    open, the border runs from the open end furthest to one side to the furthest on the
    other, and on to the next ruling ending there on each side (so it meets a real border).
    """
    out: list[tuple[float, float, float]] = []
    ends = sorted(ends)
    i = 0
    while i < len(ends):
        j = i + 1
        while j < len(ends) and ends[j][0] - ends[i][0] <= 2.0:
            j += 1
        group = sorted(ends[i:j], key=lambda e: e[1])
        open_at = [k for k, (_, _, touching) in enumerate(group) if not touching]
        if len(group) >= 2 and open_at:
            first, last = max(open_at[0] - 1, 0), min(open_at[-1] + 1, len(group) - 1)
            if last > first:
                where = sum(p for p, _, _ in group) / len(group)
                out.append((where, group[first][1], group[last][1]))
        i = j
    return out


class _Horizontals:
    """The horizontal rulings of a page, looked up by position."""

    def __init__(self, hs: list[Edge]) -> None:
        self.hs = sorted(hs, key=lambda h: h.top)
        self.tops = [h.top for h in self.hs]

    def covered(self, x0: float, x1: float, y: float) -> bool:
        """Whether a ruling runs along y (within _SNAP) over the middle of x0..x1."""
        mid = (x0 + x1) / 2
        return any(lo <= mid <= hi for lo, hi in self.along(y))

    def along(self, y: float) -> list[tuple[float, float]]:
        """The x-extents (widened by _SNAP) of the rulings along y, within _SNAP."""
        slack = _SNAP + 1e-6  # candidates by position; the exact test below
        lo = bisect.bisect_left(self.tops, y - slack)
        hi = bisect.bisect_right(self.tops, y + slack)
        return [(h.x0 - _SNAP, h.x1 + _SNAP) for h in self.hs[lo:hi] if abs(h.top - y) <= _SNAP]


def _find_tables(page: _Page, edges: list[Edge], chars: list[_Char]) -> list[_Char]:
    """Put the page's ruled tables into ``page.fragments``; return the characters outside.

    pdfplumber's "lines" strategy, step by step (as its TableFinder runs it; see
    :mod:`.pdf_grid`), with the made-up borders added and a bound on the intersections.
    """
    real = [e for e in merge_edges(edges, _SNAP, _SNAP) if max(e.width, e.height) >= 3]
    hs = [e for e in real if not e.vertical]
    vs = [e for e in real if e.vertical]
    if not hs or not vs:
        return chars
    if len(hs) * len(vs) > MAX_RULING_PAIRS:
        page.notes.append(f"第 {page.number} 页表格线过多，未识别表格")
        return chars
    made = _made_borders(hs, vs)
    merged = merge_edges(real + made, _SNAP, _SNAP)
    points = edges_to_intersections(merged, _SNAP, _SNAP)
    if len(points) > MAX_INTERSECTIONS:
        page.notes.append(f"第 {page.number} 页表格线过多，未识别表格")
        return chars
    fragments: list[_Fragment] = []
    horizontals = _Horizontals(hs)
    for boxes in cells_to_tables(intersections_to_cells(points)):
        fragment = _fragment(page.number, boxes, horizontals)
        if fragment is not None:
            fragments.append(fragment)
    if not fragments:
        return chars
    fragments.sort(key=lambda f: (f.box[1], f.box[0]))
    rest = _assign_chars(fragments, chars)
    rest += _page_numbers_out(page, fragments)
    for fragment in fragments:
        two = _two_numbers(fragment)
        for cell in fragment.cells:
            cell.text = _block_text(cell.chars)
            cell.chars = []
        for r in two:
            _row_in_doubt(fragment, r)
    _numbers_past(fragments, rest)
    page.fragments = fragments
    return rest


def _page_numbers_out(page: _Page, fragments: list[_Fragment]) -> list[_Char]:
    """The page number standing inside a table's last row where the row breaks over the
    page (no ruling under it): Chromium draws the broken row's borders down into the
    page's foot, round the page's number ("— 2 —" read into that row's cells as "— 2 3"
    and "— 24").  Its characters leave the cells (returned, for the page's text)."""
    out: list[_Char] = []
    for f in fragments:
        last = len(f.ys) - 2
        owners = dict.fromkeys(f.owner[last])  # (a cell over several columns once)
        cells = [c for c in (f.cells[k] for k in owners) if c.open_bottom and c.chars]
        if not cells:
            continue
        chars = [ch for c in cells for ch in c.chars if ch.turn == 0]
        for line, box in _group_lines(chars):
            text = "".join(ch.text for ch in line)
            if _PAGE_NUMBER.match(text) and box[3] >= page.height * 0.85:
                gone = set(map(id, line))
                for c in cells:
                    c.chars = [ch for ch in c.chars if id(ch) not in gone]
                out.extend(line)
    return out


def _struck_out(
    page: _Page, chars: list[_Char], edges: list[Edge]
) -> tuple[list[_Char], list[Edge]]:
    """The characters not struck out, and the rulings that are not lines drawn with text.

    A line drawn with text is a horizontal line that runs from the first to the last of
    some upright characters (0.3 of their height either way; an underline may run on
    under a space after them) through their box or just under it, not between two
    vertical rulings (a cell's border): through their middle half it strikes them out, lower down it
    underlines them.  A line drawn as a thin filled box is two rulings: both go.  Tracked changes shown (Word's and WPS's 显示标记, LibreOffice's) draw both,
    the deleted text struck out and the inserted text underlined; text is also struck
    through by hand.  Struck-out text is read as deleted, and the page says what was
    (``page.struck``, for the finding).  Neither line is a table ruling (their ends
    would make up borders between a cell's characters).  A ruling through a line of
    text runs on past it and is kept, as is a cell's border under characters that fill
    it (the cell's sides meet it)."""
    hs = [e for e in edges if not e.vertical]
    if not hs:
        return chars, edges
    chains = _chains(hs)  # (a border drawn cell by cell is one line)
    ys = [chain[0] for chain in chains]
    n = len(ys)
    near: dict[int, list[_Char]] = {}  # chain -> the upright characters it passes through
    left = bisect.bisect_left
    for c in chars:
        b = c.box
        q = 0.25 * (b[3] - b[1])
        k = left(ys, b[1] + q)
        low = b[3] + 0.6 * q  # (an underline drawn at the box's foot, or just under it)
        if k < n and ys[k] < low and not c.turn:
            cx = (b[0] + b[2]) / 2
            while k < n and ys[k] < low:
                _, x0, x1, _ = chains[k]
                if x0 <= cx <= x1:
                    near.setdefault(k, []).append(c)
                k += 1
    if not near:
        return chars, edges
    vs = [e for e in edges if e.vertical]
    struck: set[int] = set()
    drawn: set[int] = set()  # the lines drawn with text
    pieces: list[tuple[float, float, float, float, str]] = []  # mid, left, right, height, text
    for k, near_line in near.items():
        y, x0, x1, members = chains[k]
        # the characters of one line it is drawn with: of the lines it passes through
        # (a tall box of the line above may reach down to it), one it runs from the
        # first to the last of (0.3 of their height either way; an underline may run on
        # under a space after them); one whose boxes it crosses before one it runs just
        # under, and the closest such
        best: tuple[tuple[bool, float], list[_Char], float, float, float] | None = None
        for crossed in _by_line(near_line):
            h = max(c.box[3] - c.box[1] for c in crossed)
            first, last = min(c.box[0] for c in crossed), max(c.box[2] for c in crossed)
            if abs(first - x0) > 0.3 * h or not -0.3 * h <= x1 - last <= 0.6 * h:
                continue  # runs on past the text (a ruling), or covers only part of it
            rank = (y >= max(c.box[3] for c in crossed), abs(first - x0) + abs(x1 - last))
            if best is None or rank < best[0]:
                best = (rank, crossed, h, first, last)
        if best is None:
            continue
        _, crossed, h, first, last = best
        # and characters of another font between them, which it passes through the
        # middle of (digits among ideographs stand higher in their shorter boxes)
        chosen = set(map(id, crossed))
        crossed = crossed + [
            c
            for c in near_line
            if id(c) not in chosen
            and first < (c.box[0] + c.box[2]) / 2 < last
            and 0.25 <= (y - c.box[1]) / max(c.box[3] - c.box[1], 0.01) <= 0.75
        ]
        if any(_side_at(y, x0, v) for v in vs) and any(_side_at(y, x1, v) for v in vs):
            continue  # vertical rulings stop at or cross both its ends: a cell's border
        drawn.update(map(id, members))
        # its twin: a line drawn as a thin filled box has a ruling on each side
        at = left(ys, y - 1.5)
        while at < n and ys[at] <= y + 1.5:
            _, tx0, tx1, twins = chains[at]
            if abs(tx0 - x0) <= 0.5 and abs(tx1 - x1) <= 0.5:
                drawn.update(map(id, twins))
            at += 1
        through = [c for c in crossed if y <= c.box[1] + 0.75 * (c.box[3] - c.box[1])]
        if len(through) == len(crossed):  # through their middle: struck out
            if all(id(c) in struck for c in crossed):
                continue  # (struck by the line's twin already)
            struck.update(map(id, crossed))
            text = _join_all(sorted(crossed, key=_left))
            mids = [(c.box[1] + c.box[3]) / 2 for c in crossed]
            pieces.append((sum(mids) / len(mids), first, last, h, text))
    if not drawn:
        return chars, edges
    # what was struck, a piece per run of struck text (LibreOffice strikes a sentence a
    # part at a time), in reading order
    pieces.sort()
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for piece in pieces:
        if lines and piece[0] - lines[-1][0][0] <= 0.3 * piece[3]:
            lines[-1].append(piece)
        else:
            lines.append([piece])
    for line in lines:
        line.sort(key=lambda p: p[1])
        run_text, run_right = line[0][4], line[0][2]
        for _, first, last, h, text in line[1:]:
            if first - run_right <= 0.5 * h:  # the next part of one struck run
                run_text += text
            else:
                page.struck.append(run_text)
                run_text = text
            run_right = last
        page.struck.append(run_text)
    kept = [e for e in edges if id(e) not in drawn]
    if not struck:
        return chars, kept
    return [c for c in chars if id(c) not in struck], kept


def _chains(hs: list[Edge]) -> list[tuple[float, float, float, list[Edge]]]:
    """Horizontal rulings joined where one continues another on its line (a border
    drawn cell by cell, a strike line drawn a word at a time): (height, left, right, the
    rulings) of each, by height.  A line is the rulings within 0.2 of the first's
    height (its parts stand a rounding apart)."""
    hs = sorted(hs, key=_top)
    out: list[tuple[float, float, float, list[Edge]]] = []
    i, n = 0, len(hs)
    while i < n:
        j = i + 1
        while j < n and hs[j].top - hs[i].top <= 0.2:
            j += 1
        y = hs[i].top
        row = sorted(hs[i:j], key=_x0) if j - i > 1 else hs[i:j]
        members = [row[0]]
        x0, x1 = row[0].x0, row[0].x1
        for e in row[1:]:
            if e.x0 <= x1 + 0.5:
                members.append(e)
                if e.x1 > x1:
                    x1 = e.x1
                continue
            out.append((y, x0, x1, members))
            members, x0, x1 = [e], e.x0, e.x1
        out.append((y, x0, x1, members))
        i = j
    return out


def _top(e: Edge) -> float:
    return e.top


def _x0(e: Edge) -> float:
    return e.x0


def _by_line(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped by line: centres within 0.3 of the smaller height."""
    if len(chars) == 1:
        return [chars]
    ordered = sorted(chars, key=lambda c: c.box[1] + c.box[3])
    lines: list[list[_Char]] = [[ordered[0]]]
    for c in ordered[1:]:
        ref = lines[-1][0]
        h = min(c.box[3] - c.box[1], ref.box[3] - ref.box[1])
        if (c.box[1] + c.box[3]) / 2 - (ref.box[1] + ref.box[3]) / 2 <= 0.3 * h:
            lines[-1].append(c)
        else:
            lines.append([c])
    return lines


def _side_at(y: float, x: float, v: Edge) -> bool:
    """Whether vertical ruling ``v`` reaches height ``y`` within a point of ``x`` (as a
    cell's side meets its border)."""
    return v.top - 1.0 <= y <= v.bottom + 1.0 and abs(v.x0 - x) <= 1.0


def _join_all(chars: list[_Char]) -> str:
    return "".join(c.text for c in chars)


def _cluster(values: Sequence[float], tol: float) -> list[float]:
    """Sorted values with those closer than ``tol`` to the previous one merged (mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _nearest(points: list[float], v: float) -> int:
    i = bisect.bisect_left(points, v)
    if i == 0:
        return 0
    if i == len(points):
        return len(points) - 1
    return i if points[i] - v < v - points[i - 1] else i - 1


def _fragment(number: int, boxes: list[Box], hs: _Horizontals) -> _Fragment | None:
    """A table of pdfplumber cell boxes -> fragment with every grid position owned."""
    xs = _cluster([v for b in boxes for v in (b[0], b[2])], 1.5)
    ys = _cluster([v for b in boxes for v in (b[1], b[3])], 1.5)
    if len(xs) < 3 or len(ys) < 2:
        return None  # a single column (a framed paragraph) is not a table
    owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    cells: list[_RawCell] = []
    along: dict[int, list[tuple[float, float]]] = {}  # row line -> the rulings along it

    def ruled(c0: int, c1: int, r: int) -> bool:
        """hs.covered(xs[c0], xs[c1], ys[r]), the rulings of each row line found once."""
        spans = along.get(r)
        if spans is None:
            spans = along[r] = hs.along(ys[r])
        mid = (xs[c0] + xs[c1]) / 2
        for lo, hi in spans:  # noqa: SIM110 (any() would make a generator per cell)
            if lo <= mid <= hi:
                return True
        return False

    # cells share their edges: each position is looked up once
    col_at = {v: _nearest(xs, v) for v in {v for b in boxes for v in (b[0], b[2])}}
    row_at = {v: _nearest(ys, v) for v in {v for b in boxes for v in (b[1], b[3])}}
    for x0, top, x1, bottom in boxes:
        c0, c1 = col_at[x0], col_at[x1]
        r0, r1 = row_at[top], row_at[bottom]
        if c1 - c0 == 1 and r1 - r0 == 1:  # the common case: one position
            if owner[r0][c0] >= 0:
                continue
            owner[r0][c0] = len(cells)
        else:
            span = [(r, c) for r in range(r0, r1) for c in range(c0, c1)]
            if not span or any(owner[r][c] >= 0 for r, c in span):
                continue
            for r, c in span:
                owner[r][c] = len(cells)
        cell = _RawCell((xs[c0], ys[r0], xs[c1], ys[r1]), number)
        cell.open_top = not ruled(c0, c1, r0)
        cell.open_bottom = not ruled(c0, c1, r1)
        cells.append(cell)
    for r, row in enumerate(owner):
        for c, taken in enumerate(row):
            if taken < 0:  # a hole no cell covers: an empty cell of its own
                row[c] = len(cells)
                cells.append(_RawCell((xs[c], ys[r], xs[c + 1], ys[r + 1]), number))
    return _Fragment(number, (xs[0], ys[0], xs[-1], ys[-1]), cells, xs, ys, owner)


def _assign_chars(fragments: list[_Fragment], chars: list[_Char]) -> list[_Char]:
    """Give each character inside a table to its cell (the first table, in order, whose
    box holds the character's centre); return the others.  A character that starts
    inside a table's right or left side and stands past it (a number too wide for the
    last or the first column, run out over the border: a table wider than the page's
    text) belongs to that column's cell on its line; so does what goes on, past the
    table's right side, a character of its last column that stands across it."""
    rest: list[_Char] = []
    # The tables that stand at each height: per band between two table edges, and per
    # edge itself (a centre exactly on an edge), in table order.
    edges = sorted({y for f in fragments for y in (f.box[1], f.box[3])})
    entries = [(*f.box, f.xs, f.ys, len(f.xs) - 2, len(f.ys) - 2, f) for f in fragments]
    on_edge = [[t for t in entries if t[1] <= y <= t[3]] for y in edges]
    in_band: list[list[tuple[Any, ...]]] = [[]] + [
        [t for t in entries if t[1] <= above and t[3] >= below]
        for above, below in itertools.pairwise(edges)
    ]
    before, after = bisect.bisect_left, bisect.bisect_right
    last = len(edges)
    run_out: list[tuple[_Char, _RawCell]] = []  # past a table's side, and their cells
    across: list[tuple[_Char, _Fragment, int, int]] = []  # (char, table, row, next column)
    back: list[tuple[_Char, _Fragment, int, int]] = []  # (char, table, row, its column)
    past: list[tuple[_Char, _Fragment, int, _RawCell]] = []  # run out past the right side
    for ch in chars:
        box = ch.box
        cy = (box[1] + box[3]) / 2
        k = before(edges, cy)
        if k < last and edges[k] == cy:
            standing = on_edge[k]
        elif 0 < k < last:
            standing = in_band[k]
        else:
            rest.append(ch)
            continue
        cx = (box[0] + box[2]) / 2
        for x0, _, x1, _, xs, ys, last_col, last_row, f in standing:
            if x0 <= cx <= x1:
                c = after(xs, cx) - 1  # clamped to the grid, as min(max(c, 0), last)
                c = 0 if c < 0 else last_col if c > last_col else c
                r = after(ys, cy) - 1
                r = 0 if r < 0 else last_row if r > last_row else r
                cell = f.cells[f.owner[r][c]]
                cell.chars.append(ch)
                if box[2] - 0.05 > xs[c + 1]:  # across the column's border
                    if c < last_col:
                        across.append((ch, f, r, c + 1))
                    else:  # across the table's right side: what goes on past it is its
                        run_out.append((ch, cell))
                elif box[0] - 0.05 < xs[c] and c > 0:  # across it (or on it) from the right
                    back.append((ch, f, r, c))
                break
        else:
            for x0, _, x1, _, _, ys, last_col, last_row, f in standing:
                if box[0] < x1 < cx:  # run out over the right side
                    c = last_col
                elif box[2] > x0 > cx:  # over the left side
                    c = 0
                else:
                    continue
                r = after(ys, cy) - 1
                r = 0 if r < 0 else last_row if r > last_row else r
                cell = f.cells[f.owner[r][c]]
                cell.chars.append(ch)
                run_out.append((ch, cell))
                if c == last_col and c > 0:
                    past.append((ch, f, r, cell))
                break
            else:
                rest.append(ch)
    if back:
        _run_back(back)
    if across:
        _run_over(across)
    if not run_out:
        return rest
    rest = _run_on(run_out, rest)
    for ch, f, r, cell in past:
        _shifted(ch, f, r, cell)
    return rest


_NUMERIC = re.compile(r"[-+]?\d[\d,.\s]*(?:%|[件项个条次元]|万元)?")


def _two_numbers(f: _Fragment) -> list[int]:
    """The grid rows with a cell that holds two numbers apart on one line ("43 19"): its
    numbers do not stand in their columns (a web page's ``p {text-indent: 2em}`` pushes
    each number of a narrow column into the next one, beside that one's own), so every
    number of the row is to be in doubt ("shifted").  A number wrapped over two lines
    of its cell is one number."""
    rows: list[int] = []
    for r, owners in enumerate(f.owner):
        for k in dict.fromkeys(owners):
            digits = [
                ch
                for ch in f.cells[k].chars
                if (ch.text.isdigit() or ch.text in ".,，．") and ch.turn == 0
            ]
            if len(digits) > 1 and any(_numbers_on(line) > 1 for line, _ in _group_lines(digits)):
                rows.append(r)
                break
    return rows


def _numbers_on(line: list[_Char]) -> int:
    """How many numbers a line of digits and separators (left to right) holds: its runs
    apart by more than a quarter of a character's height that have a digit."""
    count, digit = 0, False
    for i, ch in enumerate(line):
        if i and ch.box[0] - line[i - 1].box[2] > 0.25 * (ch.box[3] - ch.box[1]):
            count += digit
            digit = False
        digit = digit or ch.text.isdigit()
    return count + digit


def _numbers_past(fragments: list[_Fragment], rest: list[_Char]) -> None:
    """A row with a digit standing past the table's right side, on its line, within two
    characters of it: the row's numbers run out of their columns (the last of them
    pushed past the table), so every number of the row is in doubt ("shifted")."""
    for ch in rest:
        if not ch.text.isdigit() or ch.turn:
            continue
        h = ch.box[3] - ch.box[1]
        cy = (ch.box[1] + ch.box[3]) / 2
        for f in fragments:
            x1 = f.box[2]
            if not (f.box[1] < cy < f.box[3] and x1 - 0.05 <= ch.box[0] <= x1 + 2 * h):
                continue
            r = bisect.bisect_right(f.ys, cy) - 1
            if 0 <= r < len(f.ys) - 1:
                _row_in_doubt(f, r)


def _row_in_doubt(f: _Fragment, r: int) -> None:
    """Every number of grid row ``r`` in doubt ("shifted"): its cells with number text."""
    for k in dict.fromkeys(f.owner[r]):
        c = f.cells[k]
        if c.doubt is None and _NUMERIC.fullmatch(c.text):
            c.doubt = "shifted"


def _shifted(ch: _Char, f: _Fragment, r: int, cell: _RawCell) -> None:
    """A row whose text runs out past the table's right side beside the last column's
    own number (two numbers on one line of that cell): the row's text stands right of
    its columns (a web page's ``p {text-indent: 2em}`` pushes each number of a narrow
    column into the next one, the last past the table), so which column each number
    is in is not known: every cell of the row with a digit is in doubt ("shifted")."""
    h = ch.box[3] - ch.box[1]
    cy = (ch.box[1] + ch.box[3]) / 2
    line = sorted((x for x in cell.chars if _on_line(x, cy, h)), key=_left)
    if not any(b.box[0] - a.box[2] > 0.25 * h for a, b in itertools.pairwise(line)):
        return  # one number run out of its column: it is that cell's
    for c in range(len(f.xs) - 1):
        other = f.cells[f.owner[r][c]]
        text = "".join(x.text for x in other.chars)
        if other.doubt is None and _NUMERIC.fullmatch(text):
            other.doubt = "shifted"


def _run_back(back: list[tuple[_Char, _Fragment, int, int]]) -> None:
    """A number run out over a column's right border with the border between two of its
    characters: the first character past the border (``back``: the character, its table,
    row and column, its centre in that column) starts across the border, or on it, right
    after the last character of the run in the cell before.  It and what continues it
    without a gap go back to that cell (Chromium prints a number too wide for its cell
    past the border: "1|208" with 6 in the next cell's own "60024" read 1 and 2086).  A
    digit that starts on the border, its box meeting a digit's of the cell before
    (within 0.05 pt), may continue that cell's number or begin its own, printed without
    padding: both cells' numbers are left in doubt (``doubt`` "border"; null unless the
    table's arithmetic decides, OCR-001/002)."""
    for ch, f, r, c in sorted(back, key=lambda t: _left(t[0])):
        left, right = f.cells[f.owner[r][c - 1]], f.cells[f.owner[r][c]]
        if left is right or not any(x is ch for x in right.chars):
            continue  # one merged cell, or moved with the run before it
        h = ch.box[3] - ch.box[1]
        cy = (ch.box[1] + ch.box[3]) / 2
        if ch.box[0] + 0.05 >= f.xs[c]:  # on the border: a run across it, or two numbers
            if ch.text.isdigit() and any(
                _on_line(x, cy, h) and x.text.isdigit() and abs(ch.box[0] - x.box[2]) <= 0.05
                for x in left.chars
            ):
                left.doubt = right.doubt = "border"
            continue
        if not any(
            _on_line(x, cy, h) and -OVERLAP <= ch.box[0] - x.box[2] <= 0.1 * h for x in left.chars
        ):
            continue  # nothing of a run before it: text that only touches the border
        moved = [ch, *_continuation(ch, [x for x in right.chars if x is not ch], h)]
        gone = set(map(id, moved))
        right.chars = [x for x in right.chars if id(x) not in gone]
        left.chars.extend(moved)


OVERLAP = 0.1  # points one character of a run may stand over the one before


def _continuation(start: _Char, pool: list[_Char], h: float) -> list[_Char]:
    """The characters of ``pool`` that continue the run ``start`` ends, in order: each
    one starts where the one before ends (from OVERLAP points over it to 0.1 of the
    height ``h`` after) on its baseline (within 0.1 of ``h``).  The next cell's own text
    stops it, printed apart or over it: a number run over the next cell's own number is
    told apart by its baseline (Chromium prints them one a little higher: 172468 over
    499742) and by where each digit starts (the digits of one run meet; WeasyPrint's
    169004 run on to 0.23 pt over the 6 of the next cell's 60070)."""
    out: list[_Char] = []
    last = start
    left = list(pool)
    while left:
        end, base = last.box[2], last.box[3]
        found: _Char | None = None
        best = 0.0
        for x in left:
            gap = x.box[0] - end
            on = -OVERLAP <= gap <= 0.1 * h and abs(x.box[3] - base) <= 0.1 * h
            if on and (found is None or abs(gap) < best):
                found, best = x, abs(gap)
        if found is None:
            break
        out.append(found)
        left = [x for x in left if x is not found]
        last = found
    return out


def _on_line(x: _Char, cy: float, h: float) -> bool:
    """Whether ``x`` stands on the line whose middle is ``cy`` (characters ``h`` high)."""
    return abs((x.box[1] + x.box[3]) / 2 - cy) <= 0.3 * h


def _run_over(across: list[tuple[_Char, _Fragment, int, int]]) -> None:
    """A number run out over a column's right border into the next cell: what continues
    it there, without a gap, goes back to its cell.  It is run out when one of its
    characters stands across the border (``across``: the character, its table, row and
    the next column; HTML typeset to PDF does not wrap a number too wide for its column,
    and a deleted number printed struck out beside the new one widens it).  What
    continues it stops where the next cell's own text begins, printed over it or apart
    from it.  Text that only touches the border (a table printed without padding) is
    left where it stands (see _continuation)."""
    for ch, f, r, c in across:
        left, right = f.cells[f.owner[r][c - 1]], f.cells[f.owner[r][c]]
        if left is right or not right.chars:
            continue  # one merged cell, or nothing there
        moved = _continuation(ch, right.chars, ch.box[3] - ch.box[1])
        if moved:
            gone = set(map(id, moved))
            right.chars = [x for x in right.chars if id(x) not in gone]
            left.chars.extend(moved)


def _run_on(run_out: list[tuple[_Char, _RawCell]], rest: list[_Char]) -> list[_Char]:
    """The characters outside the tables that continue, on the same line and without a
    gap, one run out over a table's side: given to its cell too; the others returned."""
    taken: set[int] = set()
    ordered = sorted(rest, key=_left)
    for ch, cell in run_out:
        cy, h = (ch.box[1] + ch.box[3]) / 2, ch.box[3] - ch.box[1]
        right = cx = (ch.box[0] + ch.box[2]) / 2
        left = right
        out_right = ch.box[2] > cell.box[2]
        for other in ordered if out_right else reversed(ordered):
            b = other.box
            if id(other) in taken or abs((b[1] + b[3]) / 2 - cy) > 0.4 * h:
                continue
            if out_right and b[0] >= ch.box[0]:
                if b[0] - (ch.box[2] if right == cx else right) > 0.25 * h:
                    break
                right = b[2]
            elif not out_right and b[2] <= ch.box[2]:
                if (ch.box[0] if left == cx else left) - b[2] > 0.25 * h:
                    break
                left = b[0]
            else:
                continue
            cell.chars.append(other)
            taken.add(id(other))
    return [c for c in rest if id(c) not in taken]


def _unruled_tables(
    page: _Page, chars: list[_Char]
) -> tuple[list[_Char], list[tuple[list[_Char], Box]] | None]:
    """Add the page's unruled tables (see :mod:`.pdf_columns`) to ``page.fragments``;
    return the characters outside them, and when there are none (the characters are
    those given) their upright lines as ``_group_lines`` made them."""
    upright = [c for c in chars if c.turn == 0]
    upright_lines = _group_lines(upright)
    widest = pdf_columns.widest_gap
    if not any(widest([c.box for c in ln]) > _TABULAR_GAP for ln, _ in upright_lines):
        return chars, upright_lines  # no tabular line: find_grids would find no grid
    grouped = sorted(upright_lines, key=lambda t: (t[1][1], t[1][0]))
    lines = [
        pdf_columns.Line([c.text for c in ln], [c.box for c in ln], box) for ln, box in grouped
    ]
    try:
        grids = pdf_columns.find_grids(lines, _TABULAR_GAP)
    except Exception:  # a layout the finder did not foresee: the lines stay paragraphs
        grids = []
    if not grids:
        return chars, upright_lines
    used: set[int] = set()
    for grid in grids:
        xs, ys = grid.xs, grid.ys
        owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        cells: list[_RawCell] = []
        for gc in grid.cells:
            box = (xs[gc.c0], ys[gc.row], xs[gc.c1], ys[gc.row + 1])
            raw = _RawCell(box, page.number)
            raw.text = _block_text([grouped[k][0][n] for k, n in gc.chars])
            raw.alts = gc.alts
            for c in range(gc.c0, gc.c1):
                owner[gc.row][c] = len(cells)
            cells.append(raw)
        for r, row in enumerate(owner):
            for c, taken in enumerate(row):
                if taken < 0:  # nothing printed in this column: an empty cell
                    row[c] = len(cells)
                    cells.append(_RawCell((xs[c], ys[r], xs[c + 1], ys[r + 1]), page.number))
        box = (xs[0], ys[0], xs[-1], ys[-1])
        page.fragments.append(_Fragment(page.number, box, cells, list(xs), list(ys), owner))
        for k in grid.lines:
            used.update(map(id, grouped[k][0]))
    page.fragments.sort(key=lambda f: (f.box[1], f.box[0]))
    return [c for c in chars if id(c) not in used], None


# --------------------------------------------------------------------------- text


def _is_wide(ch: str) -> bool:
    """CJK ideographs, kana, CJK and fullwidth punctuation, Chinese quotes and dashes."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3FFFF
        or o in (0x2014, 0x2015, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x00B7, 0x203B)
    )


_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    """Collapse whitespace; drop it where both neighbours are CJK."""
    parts = _SPACES.split(text.strip())
    if not parts or parts == [""]:
        return ""
    out = parts[0]
    for part in parts[1:]:
        out = _join(out, part)
    return out


def _join(left: str, right: str) -> str:
    """Join two pieces of one text: no space between two CJK characters, else one space."""
    if not left:
        return right
    if not right:
        return left
    if _is_wide(left[-1]) and _is_wide(right[0]):
        return left + right
    return left + " " + right


def _turned(box: Box, turn: int) -> Box:
    """A frame box seen from a glyph turned ``turn`` quarters: its own upright frame."""
    x0, top, x1, bottom = box
    if turn == 0:
        return box
    if turn == 1:
        return (-bottom, x0, -top, x1)
    if turn == 2:
        return (-x1, -bottom, -x0, -top)
    return (top, -x1, bottom, -x0)


_THIN = 2.0  # points: a character box this low may be a glyph's own (一, —), not a line's


def _thick(heights: list[float]) -> None:
    """Heights under a third of the characters' median, as their median: PDFium gives
    a glyph of a font without ascent and descent its ink box for its loose box (一 1.1
    pt high among 10 pt boxes, its centre 1 pt off the line's), which would stand as a
    line of its own (（一）予以公开 read 一（）予以公开)."""
    ordered = sorted(heights)
    median = ordered[len(ordered) // 2]
    low = median / 3
    for i, h in enumerate(heights):
        if h < low:
            heights[i] = median


def _group_lines(chars: list[_Char]) -> list[tuple[list[_Char], Box]]:
    """Characters of one direction -> lines (chars left to right, box in that direction)."""
    boxes = [c.box if c.turn == 0 else _turned(c.box, c.turn) for c in chars]
    centres = [(b[1] + b[3]) / 2 for b in boxes]
    heights = [b[3] - b[1] for b in boxes]
    if len(heights) > 2 and min(heights) < _THIN:
        _thick(heights)
    lines: list[list[int]] = []
    line: list[int] = []
    centre = height = 0.0
    for i in sorted(range(len(chars)), key=centres.__getitem__):
        c = centres[i]
        h = heights[i]
        if h < 0.1:
            h = 0.1  # max(h, 0.1)
        # abs(c - centre) <= 0.4 * min(h, height), written out
        if line and (c - centre if c >= centre else centre - c) <= 0.4 * (
            height if height < h else h
        ):
            line.append(i)
            centre += (c - centre) / len(line)
            if h > height:
                height = h
        else:
            line = [i]
            lines.append(line)
            centre, height = c, h
    out: list[tuple[list[_Char], Box]] = []
    lefts = [b[0] for b in boxes]
    for line in lines:
        if len(line) == 1:
            i = line[0]
            out.append(([chars[i]], boxes[i]))
            continue
        line.sort(key=lefts.__getitem__)
        x0s, tops, x1s, bottoms = zip(*[boxes[i] for i in line], strict=True)
        out.append(([chars[i] for i in line], (min(x0s), min(tops), max(x1s), max(bottoms))))
    return out


def _line_text(chars: list[_Char]) -> tuple[str, float]:
    """One line's characters (left to right in their direction) -> text with spaces at gaps,
    and its widest gap in character heights (wide gaps separate the columns of a table)."""
    pieces: list[str] = []
    last = ""  # the text of the last character taken
    x0 = x1 = height = 0.0  # its box's left and right, and its height
    widest = 0.0
    spaced = False
    for ch in chars:
        box = ch.box if ch.turn == 0 else _turned(ch.box, ch.turn)
        text = ch.text
        h = box[3] - box[1]
        if pieces:
            size = h if h > height else height  # max(h, height, 1.0)
            if size < 1.0:
                size = 1.0
            if text == last and box[0] - x0 < 0.3 * size:
                continue  # the same glyph drawn twice (fake bold)
            gap = box[0] - x1
            if gap > 0.15 * size:
                pieces.append(" ")
                spaced = True
                widest = max(widest, gap / size)
        pieces.append(text)
        last, x0, x1, height = text, box[0], box[2], h
    # characters are never whitespace: without a gap there is nothing to clean
    return (_clean("".join(pieces)) if spaced else "".join(pieces)), widest


def _left(c: _Char) -> float:
    return c.box[0]


def _block_text(chars: list[_Char]) -> str:
    """The text of a cell: its lines top to bottom, joined (CJK without a space)."""
    if not chars:
        return ""
    if len(chars) == 1:  # one line of one character: its text (a digit, most often)
        return chars[0].text
    first = chars[0].box
    top, bottom = first[1], first[3]
    for c in chars:
        if c.turn or c.box[1] != top or c.box[3] != bottom:
            break
    else:
        # upright characters of one height on one baseline (a label or a number, most
        # often): the one line _group_lines makes of them, left to right
        return _line_text(sorted(chars, key=_left))[0]
    out = ""
    turns = {c.turn for c in chars}
    for turn in sorted(turns):
        same = chars if len(turns) == 1 else [c for c in chars if c.turn == turn]
        for line, _ in _group_lines(same):
            out = _join(out, _line_text(line)[0])
    return out


def _text_lines(
    chars: list[_Char], upright: list[tuple[list[_Char], Box]] | None = None
) -> list[_Line]:
    """Characters outside tables -> text lines in the page frame, top to bottom
    (``upright``: the upright characters' lines when already grouped)."""
    out: list[_Line] = []
    turns = {c.turn for c in chars}
    for turn in sorted(turns):
        same = chars if len(turns) == 1 else [c for c in chars if c.turn == turn]
        grouped = upright if turn == 0 and upright is not None else _group_lines(same)
        for line, seen in grouped:
            text, gap = _line_text(line)
            if not text:
                continue
            if turn == 0:  # the box _group_lines made: the same, in the same frame
                box = seen
            else:
                x0s, tops, x1s, bottoms = zip(*[c.box for c in line], strict=True)
                box = (min(x0s), min(tops), max(x1s), max(bottoms))
            height = box[3] - box[1] if turn % 2 == 0 else box[2] - box[0]
            out.append(_Line(text, box, height, turn, gap))
    out.sort(key=lambda ln: (ln.box[1], ln.box[0]))
    return out


_PAGE_NUMBER = re.compile(
    r"""^(?:
        [-—–－~・·\s]*\d{1,4}[-—–－~・·\s]*
      | 第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?
      | 共\s*\d{1,4}\s*页\s*[,，/、]?\s*第\s*\d{1,4}\s*页
      | \d{1,4}\s*/\s*\d{1,4}
      | (?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?
    )$""",
    re.VERBOSE,
)


def _is_page_number(line: _Line, page: _Page) -> bool:
    if not _PAGE_NUMBER.match(line.text):
        return False
    if line.height == 0:  # plain-text page: no position known
        return True
    return line.box[3] >= page.height * 0.85 or line.box[1] <= page.height * 0.12


# --------------------------------------------------------------------------- whole document


@dataclass(slots=True)
class _Joined:
    """A logical table: fragments on consecutive pages."""

    parts: list[_Fragment]
    xs: list[float]


Item = _Line | _Joined


def _assemble(pages: list[_Page]) -> list[Block]:
    """The pages' lines and table fragments -> the document's blocks (the collector held
    off, as while reading a page)."""
    with _uncollected():
        return _assembled(pages)


def _assembled(pages: list[_Page]) -> list[Block]:
    items: list[tuple[int, Item]] = []  # (page number, item) in reading order
    last_table: _Joined | None = None  # the table that ends the previous page
    for page in pages:
        lines = [ln for ln in page.lines if not _is_page_number(ln, page)]
        page_items: list[tuple[float, int, Item | _Fragment]] = [(ln.box[1], 1, ln) for ln in lines]
        page_items += [(f.box[1], 0, f) for f in page.fragments]
        page_items.sort(key=lambda t: (t[0], t[1]))
        ending: _Joined | None = None
        for pos, (_, _, item) in enumerate(page_items):
            if isinstance(item, _Fragment):
                if pos == 0 and last_table is not None and _continues(last_table, item, pages):
                    last_table.parts.append(item)
                    last_table.xs = _cluster([*last_table.xs, *item.xs], _SNAP)
                    ending = last_table
                else:
                    ending = _Joined([item], list(item.xs))
                    items.append((page.number, ending))
            else:
                ending = None
                items.append((page.number, item))
        last_table = ending
    return _blocks(items, pages)


def _continues(table: _Joined, nxt: _Fragment, pages: list[_Page]) -> bool:
    """Whether ``nxt`` (first on its page) continues ``table`` (last on the page before)."""
    prev = table.parts[-1]
    if nxt.page != prev.page + 1:
        return False
    prev_page, next_page = pages[prev.page - 1], pages[nxt.page - 1]
    if prev.box[3] < prev_page.height * 0.6 or nxt.box[1] > next_page.height * 0.4:
        return False
    if abs(prev.box[0] - nxt.box[0]) > 4 or abs(prev.box[2] - nxt.box[2]) > 4:
        return False
    return _subset(nxt.xs, table.xs) or _subset(prev.xs, nxt.xs)


def _subset(a: list[float], b: list[float]) -> bool:
    return all(any(abs(x - y) <= _SNAP for y in b) for x in a)


def _blocks(items: list[tuple[int, Item]], pages: list[_Page]) -> list[Block]:
    blocks: list[Block] = []
    para: list[tuple[int, _Line]] = []

    def flush() -> None:
        if not para:
            return
        text = ""
        for _, ln in para:
            text = _join(text, ln.text)
        page = para[0][0]
        same = [ln.box for p, ln in para if p == page]
        bbox = None
        if para[0][1].height > 0:
            bbox = _round_box(
                (
                    min(b[0] for b in same),
                    min(b[1] for b in same),
                    max(b[2] for b in same),
                    max(b[3] for b in same),
                )
            )
        blocks.append(Paragraph(text, Where(page=page, bbox=bbox)))
        para.clear()

    margins = _margins(pages)
    n_tables = 0
    for number, item in items:
        if isinstance(item, _Joined):
            flush()
            blocks.append(_table(item, n_tables))
            n_tables += 1
            continue
        if para and not _wraps(para[-1], (number, item), margins):
            flush()
        para.append((number, item))
    flush()
    return blocks


def _margins(pages: list[_Page]) -> dict[int, tuple[float, float]]:
    """Left and right edges of the body text, per page: over all pages of the same width,
    the leftmost line start and the line end most lines share (justified text); no right
    edge (infinity) when fewer than three lines share one."""
    groups: dict[int, list[_Line]] = {}
    for page in pages:
        lines = [ln for ln in page.lines if ln.height > 0 and not ln.turn]
        groups.setdefault(round(page.width), []).extend(lines)
    edges: dict[int, tuple[float, float]] = {}
    for width, lines in groups.items():
        left, right = 0.0, math.inf
        if lines:
            left = min(ln.box[0] for ln in lines)
            ends = Counter(round(ln.box[2] / 2) for ln in lines)
            end, count = ends.most_common(1)[0]
            if count >= 3:
                right = end * 2 + 1.0
        edges[width] = (left, right)
    return {p.number: edges[round(p.width)] for p in pages}


def _wraps(
    prev: tuple[int, _Line], nxt: tuple[int, _Line], margins: dict[int, tuple[float, float]]
) -> bool:
    """Whether line ``nxt`` continues the paragraph that line ``prev`` ends."""
    (p1, a), (p2, b) = prev, nxt
    if a.height <= 0 or b.height <= 0 or a.turn or b.turn:
        return False
    if max(a.gap, b.gap) > _TABULAR_GAP:  # a row of an unruled table, not running text
        return False
    if abs(a.height - b.height) > 0.2 * max(a.height, b.height):
        return False
    h = max(a.height, b.height)
    if p2 == p1:
        if not 0 <= b.box[1] - a.box[3] <= 1.0 * h:
            return False
    elif p2 != p1 + 1:
        return False
    right1 = margins[p1][1]
    left2 = margins[p2][0]
    return a.box[2] >= right1 - 1.5 * h and b.box[0] <= left2 + 0.5 * h


def _where(raw: _RawCell, table: int, row: int, col: int, bbox: Box) -> Where:
    """A ruled cell's Where; a number in doubt (``raw.doubt``) has its text as its only
    candidate, for the table's arithmetic to confirm."""
    if raw.doubt is None or raw.alts is not None:
        return Where(raw.page, None, None, None, table, row, col, bbox, alts=raw.alts)
    return Where(
        raw.page, None, None, None, table, row, col, bbox, alts=(raw.text,), doubt=raw.doubt
    )


def _round_box(box: Box) -> Box:
    return (round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))


def _table(joined: _Joined, index: int) -> Table:
    """A logical table -> grid Table with merged cells expanded."""
    # Lay the parts one under another: virtual y = y + offset of the part.
    offsets: list[float] = []
    y = 0.0
    for part in joined.parts:
        offsets.append(y - part.box[1])
        y += part.box[3] - part.box[1]
    placed: list[tuple[Box, _RawCell]] = []
    for part, off in zip(joined.parts, offsets, strict=True):
        for raw in part.cells:
            b = raw.box
            placed.append(((b[0], b[1] + off, b[2], b[3] + off), raw))
    if len(joined.parts) > 1:
        placed = _merge_breaks(placed, joined, offsets)
    xs = _cluster([v for b, _ in placed for v in (b[0], b[2])], _SNAP)
    ys = _cluster([v for b, _ in placed for v in (b[1], b[3])], 1.0)
    n_rows, n_cols = max(len(ys) - 1, 1), max(len(xs) - 1, 1)
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    col_at = {v: _nearest(xs, v) for v in {v for b, _ in placed for v in (b[0], b[2])}}
    row_at = {v: _nearest(ys, v) for v in {v for b, _ in placed for v in (b[1], b[3])}}
    for (x0, top, x1, bottom), raw in sorted(placed, key=_top_left):
        c0, c1 = col_at[x0], col_at[x1]
        r0, r1 = row_at[top], row_at[bottom]
        if c1 <= c0 or r1 <= r0:
            continue
        if c1 - c0 == 1 and r1 - r0 == 1:  # the common case: a cell of one position
            if grid[r0][c0] is None:
                b = raw.box  # (Where's fields in order: page, line, start, end, table ...)
                bbox = (round(b[0], 2), round(b[1], 2), round(b[2], 2), round(b[3], 2))
                grid[r0][c0] = Cell(raw.text, _where(raw, index, r0, c0, bbox))
            continue
        if any(grid[r][c] is not None for r in range(r0, r1) for c in range(c0, c1)):
            continue
        where = _where(raw, index, r0, c0, _round_box(raw.box))
        top_left = Cell(raw.text, where, merged=False, colspan=c1 - c0, rowspan=r1 - r0)
        copy = Cell(raw.text, where, merged=True, colspan=c1 - c0, rowspan=r1 - r0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid[r][c] = top_left if (r, c) == (r0, c0) else copy
    rows: list[list[Cell]] = []
    for r, row in enumerate(grid):
        out: list[Cell] = []
        for c, found in enumerate(row):
            if found is None:  # a hole no cell covers: an empty cell
                page, box = _locate(joined, offsets, (xs[c], ys[r], xs[c + 1], ys[r + 1]))
                found = Cell("", Where(page=page, table=index, row=r, col=c, bbox=_round_box(box)))
            out.append(found)
        rows.append(out)
    first = joined.parts[0]
    return Table(rows, Where(page=first.page, table=index, bbox=_round_box(first.box)), grid=True)


def _top_left(t: tuple[Box, _RawCell]) -> tuple[float, float]:
    return (t[0][1], t[0][0])


def _locate(joined: _Joined, offsets: list[float], vbox: Box) -> tuple[int, Box]:
    """The page and page box of a virtual box."""
    mid = (vbox[1] + vbox[3]) / 2
    for part, off in zip(joined.parts, offsets, strict=True):
        if part.box[1] + off <= mid <= part.box[3] + off:
            return part.page, (vbox[0], vbox[1] - off, vbox[2], vbox[3] - off)
    part, off = joined.parts[-1], offsets[-1]
    return part.page, (vbox[0], vbox[1] - off, vbox[2], vbox[3] - off)


def _merge_breaks(
    placed: list[tuple[Box, _RawCell]], joined: _Joined, offsets: list[float]
) -> list[tuple[Box, _RawCell]]:
    """Join a cell left open at a page break with its open continuation on the next page."""
    out = list(placed)
    for k in range(1, len(joined.parts)):
        seam = joined.parts[k].box[1] + offsets[k]
        uppers = [i for i, (b, c) in enumerate(out) if c.open_bottom and abs(b[3] - seam) <= 1]
        lowers = [i for i, (b, c) in enumerate(out) if c.open_top and abs(b[1] - seam) <= 1]
        drop: set[int] = set()
        for i in uppers:
            bi, ci = out[i]
            for j in lowers:
                bj, cj = out[j]
                if j in drop or abs(bi[0] - bj[0]) > _SNAP or abs(bi[2] - bj[2]) > _SNAP:
                    continue
                merged = _RawCell(
                    ci.box, ci.page, _join(ci.text, cj.text), ci.open_top, cj.open_bottom
                )
                out[i] = ((bi[0], bi[1], bi[2], bj[3]), merged)
                drop.add(j)
                break
        out = [t for i, t in enumerate(out) if i not in drop]
    return out
