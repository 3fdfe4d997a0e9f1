"""Reading scans offline: page images -> the same grid Document the PDF reader returns.

The recognition model (PP-OCRv4, inside the rapidocr-onnxruntime wheel) is loaded once
per process, on first use; nothing is downloaded.  Part of the core: never imports
batch, store or web; numpy, OpenCV and onnxruntime are imported only when a scan is read.

:func:`read_image` reads a PNG, JPEG or TIFF (every page of a multi-page TIFF);
:func:`read_folder` a folder of page images as one report; :mod:`.scans` reads the
pages of a PDF that have no text layer.  An unforeseen failure on one page costs that
page (the note names it), never the file.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from ..readers.document import Document, ReadError
from ..readers.limits import DEFAULT_LIMITS, Limits

__all__ = ["MAX_OCR_PAGES", "read_folder", "read_image", "read_images", "ready"]

MAX_OCR_PAGES = 60  # pages read by OCR in one file (a few seconds each)
T = TypeVar("T")


def read_folder(folder: str | Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """A folder of page images (one report scanned page by page) read into one Document."""
    from .folder import read_folder as read

    return read(folder, limits)


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
    from .image import frames

    pages = frames(data, source)
    if len(pages) > min(limits.max_pages, MAX_OCR_PAGES):
        cap = min(limits.max_pages, MAX_OCR_PAGES)
        raise ReadError(source, f"图片页数过多（{len(pages)} 页，文字识别上限 {cap} 页）")
    return read_images([(i + 1, img, dpi) for i, (img, dpi) in enumerate(pages)], source)


def read_images(pages: Iterable[tuple[int, Any, float | None]], source: str) -> Document:
    """Page images (number, PIL image, dpi or None) read by OCR into one Document."""
    from .assemble import blocks
    from .page import failed_note, read_pages

    read, failed = read_pages(pages)
    count = len(read) + len(failed)
    if failed and not read:
        raise ReadError(source, "图片识别时出错，未能读取（请把这个文件报告给维护者）")
    found = guarded(source, lambda: blocks(read))
    if not found:
        raise ReadError(source, "图片中没有识别出文字（扫描件过于模糊，或不是文字页面）")
    note = "扫描件：文字由 OCR 识别" + ("" if count == 1 else f"（共 {count} 页）")
    if failed:
        note += "；" + failed_note(failed)
    return Document(source=source, kind="image", blocks=found, pages=count, meta={"note": note})


def guarded(source: str, step: Callable[[], T]) -> T:
    """``step()``; an unforeseen failure in it a ReadError naming ``source``."""
    try:
        return step()
    except ReadError:
        raise
    except Exception as exc:
        if os.environ.get("XXGK_DEBUG"):
            traceback.print_exc(file=sys.stderr)
        raise ReadError(
            source, f"扫描件的版面无法还原（{type(exc).__name__}），请把这个文件报告给维护者"
        ) from None
