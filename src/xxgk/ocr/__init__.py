"""Reading scans offline: page images -> the same grid Document the PDF reader returns.

The recognition model (PP-OCRv4, inside the rapidocr-onnxruntime wheel) is loaded once
per process, on first use; nothing is downloaded.  Part of the core: never imports
batch, store or web; numpy, OpenCV and onnxruntime are imported only when a scan is read.

:func:`read_image` reads a PNG, JPEG or TIFF (every page of a multi-page TIFF);
:mod:`.scans` reads the pages of a PDF that have no text layer.
"""

from __future__ import annotations

from ..readers.document import Document, ReadError
from ..readers.limits import DEFAULT_LIMITS, Limits

__all__ = ["MAX_OCR_PAGES", "read_image", "ready"]

MAX_OCR_PAGES = 60  # pages read by OCR in one file (a few seconds each)


def ready(source: str) -> None:
    """Load the recogniser now; ReadError naming ``source`` and how to install it."""
    from .engine import recognizer

    try:
        recognizer()
    except ReadError as exc:
        raise ReadError(source, exc.problem) from None


def read_image(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """A page image file (PNG, JPEG, TIFF) read by OCR into a Document."""
    ready(source)
    from .assemble import blocks
    from .image import frames, prepare
    from .page import read_page

    pages = frames(data, source)
    if len(pages) > min(limits.max_pages, MAX_OCR_PAGES):
        cap = min(limits.max_pages, MAX_OCR_PAGES)
        raise ReadError(source, f"图片页数过多（{len(pages)} 页，文字识别上限 {cap} 页）")
    read = [read_page(prepare(img, i + 1, dpi)) for i, (img, dpi) in enumerate(pages)]
    found = blocks(read)
    if not found:
        raise ReadError(source, "图片中没有识别出文字（扫描件过于模糊，或不是文字页面）")
    note = "扫描件：文字由 OCR 识别" + ("" if len(read) == 1 else f"（共 {len(read)} 页）")
    return Document(source=source, kind="image", blocks=found, pages=len(read), meta={"note": note})
