"""Reports as publishers' habits make them, for the OCR tests: text drawn as outlines,
text layers whose ToUnicode map is gone or garbled, tables pasted as pictures (PDF and
DOCX), pages scanned sideways.

Every file starts from a report the renderer typesets (WeasyPrint, text layer), so the
all-text PDF is the reference; the habit is then applied to it honestly:

* :func:`outlined` prints the PDF again through a "text to curves" driver of our own:
  each character PDFium finds is drawn as its glyph's outline (fontTools, the machine's
  CJK font) at its origin and size, each path (the rulings) as it was, no text left;
* :func:`garbled` rewrites the font's ToUnicode map in place (same byte length, so the
  cross-reference table stays right): private-use code points, the glyph numbers
  themselves, Latin letters, other ideographs, or no map at all;
* :func:`pictured_html` puts each table as a PNG of its own typesetting (``data:`` URI)
  where the table stood; :func:`pictured_docx` writes the narrative as Word paragraphs
  and each table as an inline picture (python-docx ``add_picture``).
"""

from __future__ import annotations

import base64
import ctypes
import io
import re
import zlib
from functools import lru_cache
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from xxgk import api
from xxgk.examples import example_paths
from xxgk.render.html import render_html

from .drawing import font_path

GARBLES = ("pua", "cid", "latin", "hanzi", "removed")
_TABLE = re.compile(r"<table\b.*?</table>", re.S)


def report_html(name: str) -> str:
    path = next(p for p in example_paths() if p.name == name)
    return render_html(api.parse(path))


def weasy(html: str, uncompressed: bool = False) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    data = HTML(string=html).write_pdf(uncompressed_pdf=uncompressed)
    assert isinstance(data, bytes)
    return data


# ---------------------------------------------------------------- garbled ToUnicode


def garbled(pdf: bytes, how: str) -> bytes:
    """``pdf`` (WeasyPrint's, uncompressed) with every font's ToUnicode map garbled."""
    if how == "removed":
        out = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), pdf)
    else:

        def pair(m: re.Match[bytes]) -> bytes:
            code, uni = int(m.group(1), 16), int(m.group(2), 16)
            if how == "pua":
                uni = 0xE000 + code % 0x1800
            elif how == "cid":  # the glyph number taken for the character
                uni = code
            elif how == "latin":
                uni = 0x21 + code % 94
            else:  # other ideographs, common ones among them
                uni = 0x4E00 + (uni * 7919 + 13) % 0x5000
            return b"<%s> <%04x>" % (m.group(1), uni)

        def cmap(m: re.Match[bytes]) -> bytes:
            return re.sub(rb"<([0-9a-f]{4})> <([0-9a-f]{4})>", pair, m.group(0))

        out = re.sub(rb"beginbfchar.*?endbfchar", cmap, pdf, flags=re.S)
    assert len(out) == len(pdf) and out != pdf
    return out


MIXED_CSS = "td { font-family: 'Liberation Sans', 'Noto Sans CJK SC'; }"


def mixed_html(html: str) -> str:
    """``html`` with the tables' digits (and Latin marks) set in a Latin font of their
    own, as Word sets them in Times New Roman: a PDF with one more font."""
    return html.replace("</style>", MIXED_CSS + "</style>", 1)


def garbled_font(pdf: bytes, font: str, how: str) -> bytes:
    """``pdf`` (WeasyPrint's, uncompressed) with only ``font``'s ToUnicode map garbled
    ("removed": no map, so PDFium gives the glyph numbers, control characters; "pua";
    "hanzi": other ideographs), the other fonts left as they are."""
    name = re.escape(font.replace(" ", "-").encode())
    m = re.search(rb"/BaseFont /[A-Z]{6}\+" + name + rb"[^>]*?/ToUnicode (\d+) 0 R", pdf)
    assert m is not None, font
    if how == "removed":
        start, end = m.span()
        head = re.sub(rb"/ToUnicode \d+ 0 R", lambda k: b" " * len(k.group(0)), pdf[start:end])
        out = pdf[:start] + head + pdf[end:]
    else:
        obj = re.search(rb"\n" + m.group(1) + rb" 0 obj.*?endobj", pdf, re.S)
        assert obj is not None
        start, end = obj.span()

        def pair(k: re.Match[bytes]) -> bytes:
            code, uni = int(k.group(1), 16), int(k.group(2), 16)
            pua = 0xE000 + code % 0x1000
            hanzi = 0x4E00 + (uni * 7919 + 13) % 0x5000  # other ideographs
            return b"<%s> <%04x>" % (k.group(1), pua if how == "pua" else hanzi)

        body = re.sub(rb"<([0-9a-f]{4})> <([0-9a-f]{4})>", pair, pdf[start:end])
        out = pdf[:start] + body + pdf[end:]
    assert len(out) == len(pdf) and out != pdf
    return out


def spliced(good: bytes, bad: bytes, pages: set[int]) -> bytes:
    """``good`` with its pages ``pages`` (1-based) taken from ``bad`` instead."""
    a, b = pdfium.PdfDocument(good), pdfium.PdfDocument(bad)
    out = pdfium.PdfDocument.new()
    try:
        for i in range(len(a)):
            out.import_pages(b if i + 1 in pages else a, [i])
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        out.close()
        a.close()
        b.close()


# ---------------------------------------------------------------- outlines


class _Glyphs:
    """The machine's CJK font: each character's outline as PDF path operators, in font
    units (fontTools pens)."""

    def __init__(self, path: str) -> None:
        from fontTools.ttLib import TTFont

        self.font = TTFont(path, fontNumber=0, lazy=True)
        self.cmap = self.font.getBestCmap()
        self.glyphs = self.font.getGlyphSet()
        self.upem = self.font["head"].unitsPerEm

    @lru_cache(maxsize=4096)  # noqa: B019 - one instance per test session
    def bounds(self, ch: str) -> tuple[float, float, float, float] | None:
        from fontTools.pens.boundsPen import BoundsPen

        name = self.cmap.get(ord(ch))
        if name is None:
            return None
        pen = BoundsPen(self.glyphs)
        self.glyphs[name].draw(pen)
        b = pen.bounds
        return None if b is None or b[2] - b[0] < 1 or b[3] - b[1] < 1 else b

    @lru_cache(maxsize=4096)  # noqa: B019 - one instance per test session
    def ops(self, ch: str) -> bytes:
        from fontTools.pens.basePen import BasePen

        name = self.cmap.get(ord(ch))
        if name is None:
            return b""
        out: list[str] = []

        class Pen(BasePen):  # type: ignore[misc]
            def _moveTo(self, p: tuple[float, float]) -> None:
                out.append(f"{p[0]:.0f} {p[1]:.0f} m")

            def _lineTo(self, p: tuple[float, float]) -> None:
                out.append(f"{p[0]:.0f} {p[1]:.0f} l")

            def _curveToOne(self, a: Any, b: Any, c: Any) -> None:
                out.append(f"{a[0]:.0f} {a[1]:.0f} {b[0]:.0f} {b[1]:.0f} {c[0]:.0f} {c[1]:.0f} c")

            def _closePath(self) -> None:
                out.append("h")

        self.glyphs[name].draw(Pen(self.glyphs))
        return " ".join(out).encode()


@lru_cache(maxsize=1)
def _glyphs() -> _Glyphs:
    return _Glyphs(font_path())


def outlined(pdf: bytes, header: str = "") -> bytes:
    """``pdf`` printed again with its text as filled glyph outlines (no text layer but
    ``header``, ASCII in Helvetica, over each page: a line the driver left as text)."""
    glyphs = _glyphs()
    doc = pdfium.PdfDocument(pdf)
    pages: list[tuple[float, float, bytes]] = []
    try:
        for page in doc:
            w, h = page.get_size()
            ops: list[bytes] = [b"0 g 0 G"]
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=8):
                ops.append(_path_ops(obj))
            text = page.get_textpage()
            x, y = ctypes.c_double(), ctypes.c_double()
            for i in range(text.count_chars()):
                ch = chr(pdfium_c.FPDFText_GetUnicode(text.raw, i))
                if ch.isspace() or not pdfium_c.FPDFText_GetCharOrigin(
                    text.raw, i, ctypes.byref(x), ctypes.byref(y)
                ):
                    continue
                body = glyphs.ops(ch)
                bounds = glyphs.bounds(ch)
                if body and bounds is not None:
                    # the scale from the character's printed box (PDFium's font size is
                    # not the size in points for every producer)
                    left, bottom, right, top = text.get_charbox(i)
                    gw, gh = bounds[2] - bounds[0], bounds[3] - bounds[1]
                    k = (top - bottom) / gh if gh >= gw / 4 else (right - left) / gw
                    ops.append(
                        b"q 0 g %.4f 0 0 %.4f %.2f %.2f cm %s f Q" % (k, k, x.value, y.value, body)
                    )
            text.close()
            if header:
                line = f"{header} {len(pages) + 1}".encode("ascii")
                ops.append(b"BT /F1 9 Tf 56 %.2f Td (%s) Tj ET" % (h - 28, line))
            pages.append((w, h, b"\n".join(ops)))
    finally:
        doc.close()
    return write_pdf(pages)


def _path_ops(obj: Any) -> bytes:
    raw = obj.raw
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(raw, ctypes.byref(fill), ctypes.byref(stroke))
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(raw, ctypes.byref(m))
    width = ctypes.c_float()
    pdfium_c.FPDFPageObj_GetStrokeWidth(raw, ctypes.byref(width))
    parts = [b"q %f %f %f %f %f %f cm %.2f w" % (m.a, m.b, m.c, m.d, m.e, m.f, width.value)]
    rgba = [ctypes.c_uint() for _ in range(4)]
    for getter, op in (
        (pdfium_c.FPDFPageObj_GetFillColor, b"rg"),
        (pdfium_c.FPDFPageObj_GetStrokeColor, b"RG"),
    ):
        if getter(raw, *(ctypes.byref(c) for c in rgba)):
            parts.append(b"%.3f %.3f %.3f %s" % (*(c.value / 255 for c in rgba[:3]), op))
    px, py = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(px), ctypes.byref(py))
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        op = b"m" if kind == pdfium_c.FPDF_SEGMENT_MOVETO else b"l"
        parts.append(b"%.2f %.2f %s" % (px.value, py.value, op))
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            parts.append(b"h")
    paint = (
        b"B"
        if fill.value and stroke.value
        else b"f"
        if fill.value
        else b"S"
        if stroke.value
        else b"n"
    )
    parts.append(paint + b" Q")
    return b" ".join(parts)


def write_pdf(pages: list[tuple[float, float, bytes]]) -> bytes:
    """A PDF of the pages (width, height, content stream), no fonts, no images."""
    objects: list[bytes] = []
    kids = []
    for w, h, content in pages:
        data = zlib.compress(content)
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
        )
        n = len(objects) + 2  # the page object's number (1: catalog, 2: pages)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
            b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
            % (w, h, n)
        )
        kids.append(b"%d 0 R" % (n + 1))
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids)),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(head + objects):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (i + 1, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    )
    return out.getvalue()


# ---------------------------------------------------------------- tables as pictures


def _style(html: str) -> str:
    m = re.search(r"<style>.*?</style>", html, re.S)
    return m.group(0) if m else ""


def table_png(table: str, style: str, dpi: int = 200) -> tuple[bytes, float]:
    """One table typeset alone and rendered: PNG bytes and its width in millimetres."""
    bare = "<style>@page { @bottom-center { content: none } }</style>"  # no page number
    page = f"<html><head>{style}{bare}</head><body>{table}</body></html>"  # the report's width
    doc = pdfium.PdfDocument(weasy(page))
    try:
        img = doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    grey = img.convert("L").point(lambda v: 255 if v > 200 else 0)
    box = Image.eval(grey, lambda v: 255 - v).getbbox()
    assert box is not None
    x0, y0, x1, y1 = box
    pad = round(dpi / 25.4 * 1.5)
    img = img.crop((max(x0 - pad, 0), max(y0 - pad, 0), x1 + pad, y1 + pad))
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(dpi, dpi))
    return buf.getvalue(), img.width / dpi * 25.4


UNRULED_CSS = "<style>table, th, td { border: none !important; }</style>"


def pictured_html(html: str, unruled: bool = False) -> str:
    """``html`` with each table replaced by a picture of it (``unruled``: typeset without
    borders, as a screenshot of an Excel range without them)."""
    style = _style(html) + (UNRULED_CSS if unruled else "")

    def picture(m: re.Match[str]) -> str:
        png, width = table_png(m.group(0), style)
        uri = "data:image/png;base64," + base64.b64encode(png).decode()
        size = f"max-width:{width:.1f}mm;max-height:240mm"
        return f'<p style="text-indent:0;margin:0"><img src="{uri}" style="{size}"></p>'

    return _TABLE.sub(picture, html)


def turned(pdf: bytes, degrees: int, stored_turned: bool = False) -> bytes:
    """``pdf`` with every page given /Rotate ``degrees`` (90 or 270): shown turned (a page
    rotated in a viewer and saved), or, ``stored_turned``, its content stored turned in
    a landscape box so that the page is shown upright (some printers' and scanners'
    portrait pages)."""
    src = pdfium.PdfDocument(pdf)
    out = pdfium.PdfDocument.new()
    try:
        for i in range(len(src)):
            if not stored_turned:
                out.import_pages(src, [i])
                out[i].set_rotation(degrees)
                continue
            w, h = src[i].get_size()
            xobject = src.page_as_xobject(i, out)
            obj = xobject.as_pageobject()
            if degrees == 90:  # shown (x, y) = (y, x) from the top left: content (h - v, u)
                obj.transform(pdfium.PdfMatrix(0, 1, -1, 0, h, 0))
            else:  # 270: content (v, w - u)
                obj.transform(pdfium.PdfMatrix(0, -1, 1, 0, 0, w))
            page = out.new_page(h, w)
            page.insert_obj(obj)
            page.gen_content()
            page.set_rotation(degrees)
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        out.close()
        src.close()


def pictured_docx(html: str, unruled: bool = False) -> bytes:
    """A Word report: ``html``'s headings and paragraphs as paragraphs, each table as an
    inline picture where it stood (``unruled``: typeset without borders)."""
    import docx
    from docx.shared import Mm

    style = _style(html) + (UNRULED_CSS if unruled else "")
    body = html[html.index("<body") :]
    document = docx.Document()
    for m in re.finditer(r"<(h1|h2|p)\b[^>]*>(.*?)</\1>|(<table\b.*?</table>)", body, re.S):
        if m.group(3):
            png, width = table_png(m.group(3), style)
            document.add_picture(io.BytesIO(png), width=Mm(min(width, 165)))
        else:
            text = re.sub(r"<[^>]+>", "", m.group(2)).strip()
            if text:
                document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
