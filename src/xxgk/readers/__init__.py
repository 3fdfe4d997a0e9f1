"""Readers: a file in, a :class:`Document` out.  The input type is told by content."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .document import Cell, Document, Paragraph, ReadError, Table, Where
from .limits import DEFAULT_LIMITS, Limits

__all__ = [
    "Cell",
    "Document",
    "Limits",
    "Paragraph",
    "ReadError",
    "Table",
    "Where",
    "detect",
    "read",
    "read_file",
]

_IMAGES = {
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
    b"BM": "BMP 图片",
    b"II*\x00": "TIFF 图片",
    b"MM\x00*": "TIFF 图片",
}


def detect(data: bytes, name: str = "") -> str:
    """The kind of input: pdf, docx, xlsx, legacy, xls, html, md, txt, image, zip, binary."""
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        from .xlsx import is_xlsx

        if is_xlsx(data):
            return "xlsx"
        return "docx" if b"word/" in data[:65536] or name.lower().endswith(".docx") else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        from .xlsx import is_xls

        return "xls" if is_xls(data) else "legacy"
    for magic in _IMAGES:
        if head.startswith(magic) and (magic != b"BM" or (len(data) > 26 and b"\x00" in head[:26])):
            return "image"
    low = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        b"<" in low
        and any(t in low for t in (b"<html", b"<body", b"<table", b"<div", b"<p>", b"<meta"))
    ):
        return "html"
    if name.lower().endswith((".md", ".markdown")):
        return "md"
    return "txt"


def _too_large(source: str, size: int, limit: int) -> ReadError:
    mb = 1024 * 1024
    return ReadError(source, f"文件过大（{size / mb:.0f} MB，上限 {limit // mb} MB）")


def read_file(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file, never more than ``limit``; ReadError otherwise.

    Devices, FIFOs and sockets (a symlink to ``/dev/zero``, a named pipe) are refused
    before they are read: they could be endless or block forever.
    """
    source = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadError(source, "文件不存在") from None
    except OSError as exc:
        raise ReadError(source, f"无法打开文件（{_why(exc)}）") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(source, "这是一个目录，不是文件")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(source, "不是普通文件（设备、管道或套接字），不读取")
    if st.st_size > limit:
        raise _too_large(source, st.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReadError(source, f"无法打开文件（{_why(exc)}）") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the check above
            raise ReadError(source, "不是普通文件（设备、管道或套接字），不读取")
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise ReadError(source, f"无法读取文件（{_why(exc)}）") from None
    finally:
        os.close(fd)
    if got > limit:
        raise _too_large(source, got, limit)
    return b"".join(chunks)


def _why(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录"
    return exc.strerror or type(exc).__name__


def read(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a report file into a Document; raises ReadError with one clear line.  A
    folder holding page images only is one scanned report (``ocr.read_folder``)."""
    if os.path.isdir(path):
        from ..ocr import read_folder

        return bounded(read_folder(path, limits), limits)
    data = read_file(path, limits.max_bytes)
    return read_bytes(data, str(path), limits)


def read_bytes(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    if not data.strip():
        raise ReadError(source, "文件为空")
    kind = detect(data, source)
    if kind == "image":
        from ..ocr import read_image  # a scanned page: OCR

        return bounded(read_image(data, source, limits), limits)
    if kind == "zip":
        raise ReadError(source, "这是一个压缩包，不是 Word 文档；请解压后再读取其中的报告")
    if kind in ("xlsx", "xls"):
        from .xlsx import LEGACY, read_xlsx

        if kind == "xls":
            raise ReadError(source, LEGACY)
        return read_xlsx(data, source, limits)
    if kind == "pdf":
        from .pdf import read_pdf

        return bounded(read_pdf(data, source, limits), limits)
    if kind in ("docx", "legacy"):
        from .docx import convert_legacy, read_docx

        if kind == "legacy":
            data = convert_legacy(Path(source), limits)
        return bounded(read_docx(data, source, limits), limits)
    if kind == "html":
        from .html import read_html

        return bounded(read_html(data, source, limits), limits)
    from .text import read_text

    return bounded(read_text(data, source, limits, kind=kind), limits)


def bounded(doc: Document, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The document, if extraction and the rules can read it in bounded time: at most
    ``max_lines`` paragraphs and table rows and ``max_text_chars`` characters of text,
    whatever the input type (a 20 MB page of paragraphs is refused like a text file)."""
    lines = 0
    chars = 0
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            lines += 1
            chars += len(block.text)
        else:
            lines += len(block.rows)
            chars += sum(len(c.text) for row in block.rows for c in row if not c.merged)
    if lines > limits.max_lines:
        raise ReadError(
            doc.source, f"段落和表格行过多（{lines:,} 个，上限 {limits.max_lines:,} 个）"
        )
    if chars > limits.max_text_chars:
        raise ReadError(
            doc.source, f"文字过多（{chars:,} 个字符，上限 {limits.max_text_chars:,} 个）"
        )
    return doc
