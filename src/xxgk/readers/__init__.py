"""Readers: a file in, a :class:`Document` out.  The input type is told by content."""

from __future__ import annotations

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
    """The kind of input: pdf, docx, legacy, html, md, txt, image, zip, binary."""
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] or name.lower().endswith(".docx") else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "legacy"
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


def read(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a report file into a Document; raises ReadError with one clear line."""
    p = Path(path)
    source = str(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ReadError(source, "文件不存在") from None
    except OSError as exc:
        raise ReadError(source, f"无法打开文件（{exc.strerror or exc}）") from None
    if p.is_dir():
        raise ReadError(source, "这是一个目录，不是文件")
    if size > limits.max_bytes:
        raise ReadError(
            source, f"文件过大（{size // 1_000_000} MB，上限 {limits.max_bytes // 1_000_000} MB）"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(source, f"无法读取文件（{exc.strerror or exc}）") from None
    return read_bytes(data, source, limits)


def read_bytes(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    if not data.strip():
        raise ReadError(source, "文件为空")
    kind = detect(data, source)
    if kind == "image":
        raise ReadError(source, "这是图片文件，不是报告文本（扫描件需先做文字识别，暂不支持）")
    if kind == "zip":
        raise ReadError(source, "这是一个压缩包，不是 Word 文档；请解压后再读取其中的报告")
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, source, limits)
    if kind in ("docx", "legacy"):
        from .docx import convert_legacy, read_docx

        if kind == "legacy":
            data = convert_legacy(Path(source), limits)
        return read_docx(data, source, limits)
    if kind == "html":
        from .html import read_html

        return read_html(data, source, limits)
    from .text import read_text

    return read_text(data, source, limits, kind=kind)
