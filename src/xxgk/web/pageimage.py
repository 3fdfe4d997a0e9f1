"""Page images of a stored PDF for the report page: rendered by PDFium (pypdfium2) to
PNG, cached under ``XXGK_DATA/pages/`` by file hash, page and scale, and optionally
with cell boxes drawn (Pillow) — boxes in PDF points, top-left origin, as the PDF
reader stores them in a cell's ``bbox``."""

from __future__ import annotations

import io
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

SCALES = (1.0, 1.5, 2.0)  # the scales a page may be asked for
DEFAULT_SCALE = 1.5
BOX_COLOUR = (200, 30, 30)
_LOCK = threading.Lock()  # PDFium is not thread-safe


class PageError(ValueError):
    """A page that cannot be shown, in Chinese."""


def cache_path(data: Path, sha256: str, page: int, scale: float) -> Path:
    return data / "pages" / sha256[:2] / f"{sha256}-p{page}-x{scale:g}.png"


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of each page (as shown: rotation applied)."""
    import pypdfium2 as pdfium

    with _LOCK:
        doc = pdfium.PdfDocument(str(pdf))
        try:
            sizes = []
            for i in range(len(doc)):
                w, h = doc[i].get_size()
                sizes.append((float(w), float(h)))
            return sizes
        finally:
            doc.close()


def page_png(data: Path, sha256: str, pdf: Path, page: int, scale: float = DEFAULT_SCALE) -> Path:
    """The PNG of page ``page`` (1-based) of ``pdf``, rendered once and kept."""
    if scale not in SCALES:
        raise PageError(f"缩放比例只能是 {'、'.join(f'{s:g}' for s in SCALES)}")
    out = cache_path(data, sha256, page, scale)
    if out.exists():
        return out
    import pypdfium2 as pdfium

    with _LOCK:
        try:
            doc = pdfium.PdfDocument(str(pdf))
        except pdfium.PdfiumError as exc:
            raise PageError("这个文件不是可以显示的 PDF") from exc
        try:
            if not 1 <= page <= len(doc):
                raise PageError(f"没有第 {page} 页（共 {len(doc)} 页）")
            image = doc[page - 1].render(scale=scale).to_pil()
        finally:
            doc.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".page-", suffix=".png")
    with os.fdopen(fd, "wb") as f:
        image.save(f, format="PNG", optimize=False)
    os.replace(tmp, out)
    return out


def with_boxes(png: Path, boxes: Sequence[Sequence[float]], scale: float) -> bytes:
    """The page image with each box (x0, top, x1, bottom in points) outlined."""
    from PIL import Image, ImageDraw

    with Image.open(png) as source:
        image = source.convert("RGB")
    draw = ImageDraw.Draw(image)
    width = max(2, round(2 * scale))
    for box in boxes:
        x0, top, x1, bottom = (float(v) * scale for v in box[:4])
        pad = width
        draw.rectangle(
            [x0 - pad, top - pad, x1 + pad, bottom + pad], outline=BOX_COLOUR, width=width
        )
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
