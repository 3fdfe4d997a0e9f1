"""PDFium's per-character and per-object calls made in bulk, from C (``_bulk.c``).

The PDF reader asks PDFium for every character's boxes and angle and for every page
object's type: a few thousand ctypes calls a page, each of 0.1–0.25 µs.  ``_bulk.c``
makes the same calls in a C loop, one ctypes call a page.  It is an optional compiled
part of the build (setup.py): where it was not built (no C compiler), or was built from
another version of the file, or PDFium is not called the plain C way, ``available`` is
False and the reader makes the calls one by one; what it reads is the same either way
(tests/readers/test_pdf_bulk_calls.py).
"""

from __future__ import annotations

import array as _stdarray
import ctypes
import importlib.machinery
import importlib.util
from typing import Any

import pypdfium2.raw as pdfium_c

VERSION = 4  # xxgk_bulk_version() of the _bulk.c this module was written for


def _address(fn: Any) -> ctypes.c_void_p:
    return ctypes.c_void_p(ctypes.cast(fn, ctypes.c_void_p).value)


def _load() -> Any:
    """The built helper library, or None."""
    flags = type(pdfium_c.FPDF_LoadPage)._flags_
    if flags != ctypes._FUNCFLAG_CDECL:  # type: ignore[attr-defined]
        return None  # (32-bit Windows: PDFium's own calling convention)
    try:
        spec = importlib.util.find_spec(f"{__package__}._bulk")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(tuple(_SUFFIXES)):
        return None
    try:
        lib = ctypes.CDLL(spec.origin)
        if lib.xxgk_bulk_version() != VERSION:
            return None
        lib.xxgk_objects, lib.xxgk_char_boxes, lib.xxgk_upright, lib.xxgk_paths  # noqa: B018
        lib.xxgk_clipped  # noqa: B018
    except (OSError, AttributeError):
        return None
    return lib


_SUFFIXES = importlib.machinery.EXTENSION_SUFFIXES
_LIB = _load()
available = _LIB is not None

if _LIB is not None:
    _OBJECTS = _LIB.xxgk_objects
    _CHAR_BOXES = _LIB.xxgk_char_boxes
    _UPRIGHT = _LIB.xxgk_upright
    _PATHS = _LIB.xxgk_paths
    _PATH_CALLS = tuple(
        _address(fn)
        for fn in (
            pdfium_c.FPDFPageObj_GetMatrix,
            pdfium_c.FPDFPath_GetDrawMode,
            pdfium_c.FPDFPath_CountSegments,
            pdfium_c.FPDFPath_GetPathSegment,
            pdfium_c.FPDFPageObj_GetFillColor,
        )
    )
    _GET_OBJECT = _address(pdfium_c.FPDFPage_GetObject)
    _FORM_GET_OBJECT = _address(pdfium_c.FPDFFormObj_GetObject)
    _OBJ_TYPE = _address(pdfium_c.FPDFPageObj_GetType)
    _LOOSE = _address(pdfium_c.FPDFText_GetLooseCharBox)
    _TIGHT = _address(pdfium_c.FPDFText_GetCharBox)
    _ANGLE = _address(pdfium_c.FPDFText_GetCharAngle)
    _CLIPPED = _LIB.xxgk_clipped
    _CLIPPED.restype = ctypes.c_int
    _CLIP_CALLS = tuple(
        _address(fn)
        for fn in (
            pdfium_c.FPDFText_GetTextObject,
            pdfium_c.FPDFPageObj_GetClipPath,
            pdfium_c.FPDFClipPath_CountPaths,
            pdfium_c.FPDFClipPath_CountPathSegments,
            pdfium_c.FPDFClipPath_GetPathSegment,
            pdfium_c.FPDFPathSegment_GetPoint,
        )
    )

_ARRAYS: dict[tuple[Any, int], Any] = {}


def array(kind: Any, n: int, least: int = 256) -> Any:
    """A new zeroed ctypes array of at least ``n`` (and ``least``) ``kind`` values.  Its
    type is one of a few sizes made once (making an array type costs ~10 µs, filling one
    much less)."""
    size = least
    while size < n:
        size *= 2
    made = _ARRAYS.get((kind, size))
    if made is None:
        made = _ARRAYS[(kind, size)] = kind * size
    return made()


def _objects(
    parent: Any, in_form: bool, count: int, wanted: tuple[int, int, int]
) -> tuple[int, Any, Any, Any] | None:
    """The objects 0..count-1 of a page (``parent`` its handle) or of a form object
    (``in_form``) whose type is in ``wanted``: how many, and their indexes, types and
    handles in order (FPDFPage_GetObject or FPDFFormObj_GetObject, then
    FPDFPageObj_GetType, of each)."""
    if count <= 0:
        return None
    handles = array(ctypes.c_void_p, count)
    kinds = array(ctypes.c_int, count)
    indexes = array(ctypes.c_int, count)
    found = _OBJECTS(
        _GET_OBJECT, _FORM_GET_OBJECT, _OBJ_TYPE, parent, int(in_form), count, *wanted,
        handles, kinds, indexes,
    )  # fmt: skip
    return found, indexes, kinds, handles


class Listing:
    """A page's or a form's wanted objects with what the rulings walk asks of each, as
    one call per object and value gives it (xxgk_paths): per object k, ``indexes[k]``,
    ``kinds[k]`` and ``handles[k]`` (an address); ``flags[k]``: 1 its matrix came (its 24
    bytes ``matrix_bytes[24k:24k+24]``, its values ``matrices[6k:6k+6]``), 2 its draw
    mode came (``modes[2k]`` fill mode, ``modes[2k+1]`` stroke), 4 its fill colour came
    (``colors[4k:4k+4]``), 8 it is surely thick as the reader's _surely_thick measures a
    path of the page itself (asked only with ``layout_ok``); ``counts[k]`` its segments
    (-1: not a path), ``ends[2k]``, ``ends[2k+1]`` the addresses of its first and last
    segment (None: none)."""

    __slots__ = (
        "colors", "counts", "ends", "flags", "handles", "indexes", "kinds", "matrices",
        "matrix_bytes", "modes",
    )  # fmt: skip

    def __init__(
        self, parent: Any, in_form: bool, count: int, wanted: tuple[int, int, int], layout_ok: bool
    ) -> None:
        listed = _objects(parent, in_form, count, wanted)
        found, indexes, kinds, handles = listed if listed is not None else (0, [], [], [])
        self.indexes: list[int] = indexes[:found]
        self.kinds: list[int] = kinds[:found]
        self.handles: list[int] = handles[:found]
        flags = array(ctypes.c_int, found)
        matrices = array(ctypes.c_float, 6 * found)
        modes = array(ctypes.c_int, 2 * found)
        counts = array(ctypes.c_int, found)
        ends = array(ctypes.c_void_p, 2 * found)
        colors = array(ctypes.c_uint, 4 * found)
        if found:
            _PATHS(
                *_PATH_CALLS, handles, found, int(layout_ok), flags, matrices, modes, counts,
                ends, colors,
            )  # fmt: skip
        self.flags: list[int] = flags[:found]
        self.matrix_bytes = bytes(matrices)[: 24 * found]
        self.matrices: list[float] = matrices[: 6 * found]
        self.modes: list[int] = modes[: 2 * found]
        self.counts: list[int] = counts[:found]
        self.ends: list[int | None] = ends[: 2 * found]
        self.colors: list[int] = colors[: 4 * found]


def char_boxes(text_page: Any, index: list[int], loose: Any, tight: Any, angles: Any) -> bool:
    """Every character ``index[k]``'s loose box (4 floats from ``loose[4k]``), tight box
    (4 doubles from ``tight[4k]``) and angle (``angles[k]``) written; False when PDFium
    gave no box for one of them (what is written then is not to be used).
    (FPDFText_GetLooseCharBox, FPDFText_GetCharBox and FPDFText_GetCharAngle of each.)"""
    m = len(index)
    if m == 0:
        return True
    at = _stdarray.array("i", index)
    address = ctypes.c_void_p(at.buffer_info()[0])
    done: int = _CHAR_BOXES(_LOOSE, _TIGHT, _ANGLE, text_page, address, m, loose, tight, angles)
    return done == m


def upright(loose: Any, tight: Any, m: int, x0: float, y1: float) -> tuple[list[float], bytes]:
    """The loose boxes of the first ``m`` characters in ``loose`` (as char_boxes wrote
    them) turned into the upright page frame (left ``x0``, top ``y1``): left, top, right,
    bottom of each, flat; and per character 1 where the loose box is over three times
    the tight one and 2 points wider and higher (PDFium's loose box of vertical writing),
    else 0."""
    boxes = array(ctypes.c_double, 4 * m)
    odd = array(ctypes.c_ubyte, m)
    _UPRIGHT(loose, tight, m, ctypes.c_double(x0), ctypes.c_double(y1), boxes, odd)
    return boxes[: 4 * m], bytes(odd)[:m]


def clipped(text_page: Any, index: list[int], tight: Any, margin: float) -> list[int]:
    """The places k of the characters ``index[k]`` (tight boxes in ``tight`` from
    ``4k``: left, right, bottom, top, as char_boxes wrote them) that their text object's
    clip path cuts: partly inside its box and past one of its sides by more than
    ``margin`` points.  (FPDFText_GetTextObject of each, and FPDFPageObj_GetClipPath and
    the clip path's points of each new object.)"""
    m = len(index)
    if m == 0:
        return []
    at = _stdarray.array("i", index)
    cap = 64
    while True:
        out = array(ctypes.c_int, cap)
        found: int = _CLIPPED(
            *_CLIP_CALLS, text_page, ctypes.c_void_p(at.buffer_info()[0]), m, tight,
            ctypes.c_double(margin), out, cap,
        )  # fmt: skip
        if found <= cap:
            places: list[int] = out[:found]
            return places
        cap = found
