"""DOCX reader: Word files, and legacy .doc/.wps converted by LibreOffice.

The zip package is checked first (size, compression ratio, DOCTYPE/ENTITY
declarations), then python-docx loads it and the body is walked in order: each
paragraph (split at line breaks) becomes a Paragraph, each table a grid Table with
gridSpan/vMerge expanded.  Text of a table nested in a cell is appended to that cell.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx

from .document import Block, Document, Paragraph, ReadError, Table, Where
from .html import MAX_COLSPAN, GridBuilder, clean_text, page_meta, too_large
from .limits import DEFAULT_LIMITS, Limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R = W + "p", W + "tbl", W + "tr", W + "tc", W + "r"
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"}
_SKIP_IN_P = {W + "pPr", W + "rPr", W + "del", W + "moveFrom"}
_RUN_TEXT = {
    W + "t": None,
    W + "tab": "\t",
    W + "br": "\n",
    W + "cr": "\n",
    W + "noBreakHyphen": "-",
}

MAX_MEMBERS = 10_000
MAX_BODY = 200_000  # body paragraphs and tables; far above any real report
_RATIO_FLOOR = 1024 * 1024  # parts smaller than this may compress as well as they like
_MARKERS = tuple(
    m.encode(enc)
    for m in ("<!DOCTYPE", "<!ENTITY")
    for enc in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_OVERLAP = max(len(m) for m in _MARKERS)
# RuntimeError: encrypted member; NotImplementedError: unsupported compression method
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError)

LEGACY_SUFFIXES = (".doc", ".wps", ".et")
_NEED_SOFFICE = (
    "这是旧版 Word/WPS 文件，需要 LibreOffice 转换：请安装 LibreOffice"
    "（Debian: apt-get install libreoffice-writer）后重试，或另存为 .docx"
)


# --------------------------------------------------------------------------- package


def _check_package(data: bytes, source: str, limits: Limits) -> None:
    """Reject what is not a DOCX, zip bombs and parts declaring a DTD or entities."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(source, "这是旧版 Word/WPS 文件或加密的 DOCX，不是 DOCX：请另存为 .docx")
    if not data.startswith(b"PK"):
        raise ReadError(source, "不是有效的 DOCX 文件（不是 ZIP 压缩包）")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            _check_members(infos, source, limits)
            for info in infos:
                _scan(zf, info, source)
    except _ZIP_ERRORS as exc:
        raise ReadError(source, "不是有效的 DOCX 文件（压缩包损坏）") from exc


def _check_members(infos: list[zipfile.ZipInfo], source: str, limits: Limits) -> None:
    names = {i.filename for i in infos}
    if len(infos) > MAX_MEMBERS:
        raise ReadError(source, f"疑似压缩炸弹（压缩包内有 {len(infos)} 个文件）")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped:
        mb = 1024 * 1024
        raise ReadError(
            source,
            f"疑似压缩炸弹（解压后 {total / mb:.0f} MB，上限 {limits.max_unzipped // mb} MB）",
        )
    for i in infos:
        if i.file_size > _RATIO_FLOOR and i.file_size > limits.max_ratio * max(i.compress_size, 1):
            raise ReadError(source, f"疑似压缩炸弹（{i.filename} 压缩比过高）")
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise ReadError(source, "这是 Excel 文件，不是 Word 文件")
        if "ppt/presentation.xml" in names:
            raise ReadError(source, "这是 PowerPoint 文件，不是 Word 文件")
        raise ReadError(source, "不是有效的 DOCX 文件（缺少 word/document.xml）")


def _scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str) -> None:
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            if any(m in window for m in _MARKERS):
                raise ReadError(source, f"含有不允许的 XML 实体声明（{info.filename}）")
            tail = window[-_OVERLAP:]


# --------------------------------------------------------------------------- text


def _children(el: Any, tag: str) -> Iterator[Any]:
    """Children with ``tag``, looking through content controls and custom XML."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _para_text(p: Any) -> str:
    out: list[str] = []
    _collect(p, out)
    return "".join(out)


def _collect(el: Any, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag == _R:
            for part in child:
                if part.tag in _RUN_TEXT:
                    out.append(_RUN_TEXT[part.tag] or part.text or "")
        elif isinstance(tag, str) and tag not in _SKIP_IN_P:
            _collect(child, out)  # hyperlink, ins, fldSimple, sdt, smartTag ...


def _cell_text(tc: Any) -> str:
    """Paragraphs of a cell, and the text of tables nested in it, in order."""
    out: list[str] = []
    for child in tc:
        if child.tag == _P:
            out.append(_para_text(child))
        elif child.tag == _TBL:
            out.extend(_cell_text(c) for tr in _children(child, _TR) for c in _children(tr, _TC))
        elif child.tag in _WRAPPERS:
            out.append(_cell_text(child))
    return clean_text(" ".join(out))


# --------------------------------------------------------------------------- tables


def _val(el: Any, path: str) -> str | None:
    found = el.find(path)
    if found is None:
        return None
    value = found.get(W + "val")
    return "continue" if value is None else str(value)


def _int(value: str | None, cap: int) -> int:
    try:
        n = int(value or "1")
    except ValueError:
        return 1
    return min(max(n, 1), cap)


def _table(tbl: Any, index: int, source: str, budget: list[int], limits: Limits) -> Table:
    grid = GridBuilder(index, source, budget, limits.max_cells)
    for r, tr in enumerate(_children(tbl, _TR)):
        grid.add_row()
        col = 0
        before = _val(tr, f"{W}trPr/{W}gridBefore")
        if before is not None:
            col = _int(before, MAX_COLSPAN)
        for tc in _children(tr, _TC):
            cs = _int(_val(tc, f"{W}tcPr/{W}gridSpan"), MAX_COLSPAN)
            vmerge = _val(tc, f"{W}tcPr/{W}vMerge")
            hmerge = _val(tc, f"{W}tcPr/{W}hMerge")
            done = (vmerge == "continue" and grid.extend_down(r, col, cs)) or (
                hmerge == "continue" and grid.extend_right(r, col, cs)
            )
            if not done:
                grid.place(_cell_text(tc), None, r, col, cs, 1)
            col += cs
    return grid.table()


# --------------------------------------------------------------------------- reading


def read_docx(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a .docx file into paragraphs and grid tables (see the module docstring)."""
    if len(data) > limits.max_bytes:
        raise too_large(source, len(data), limits)
    if not data:
        raise ReadError(source, "文件为空")
    _check_package(data, source, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        title = clean_text(document.core_properties.title or "")
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise ReadError(source, "不是有效的 DOCX 文件（无法解析其内容）") from exc
    if len(body) > MAX_BODY:
        raise ReadError(source, f"文件过大（正文段落超过 {MAX_BODY} 个）")
    blocks: list[Block] = []
    budget = [limits.max_cells]
    n_tables = 0
    for el in _children_any(body):
        if el.tag == _P:
            for line in _para_text(el).split("\n"):
                text = clean_text(line)
                if text:
                    blocks.append(Paragraph(text, Where()))
        elif el.tag == _TBL:
            table = _table(el, n_tables, source, budget, limits)
            if table.rows:
                blocks.append(table)
                n_tables += 1
    meta = page_meta(blocks)
    if title:  # often stale (copied templates, converted web pages): not "title"
        meta["core_title"] = title
    return Document(source=source, kind="docx", blocks=blocks, meta=meta)


def _children_any(body: Any) -> Iterator[Any]:
    for child in body:
        if child.tag in _WRAPPERS:
            yield from _children_any(child)
        elif child.tag in (_P, _TBL):
            yield child


# --------------------------------------------------------------------------- legacy


def convert_legacy(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Convert a .doc/.wps/.et file to DOCX bytes with LibreOffice (soffice --headless)."""
    source = str(path)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ReadError(source, _NEED_SOFFICE)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(source, "无法读取文件") from exc
    if size > limits.max_bytes:
        raise too_large(source, size, limits)
    with tempfile.TemporaryDirectory(prefix="xxgk-soffice-") as tmp:
        out_dir = Path(tmp) / "out"
        profile = Path(tmp) / "profile"  # own profile: works while LibreOffice is open
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            str(out_dir),
            str(path.resolve()),
        ]
        _run(cmd, source)
        produced = sorted(out_dir.glob("*.docx"))
        if not produced:
            raise ReadError(source, "LibreOffice 无法把这个文件转换为 DOCX")
        data = produced[0].read_bytes()
    if len(data) > limits.max_bytes:
        raise too_large(source, len(data), limits)
    return data


def _run(cmd: list[str], source: str, timeout: float = 120) -> None:
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise ReadError(source, "无法启动 LibreOffice") from exc
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice starts helpers: end the whole group
        proc.wait()
        raise ReadError(source, f"LibreOffice 转换超时（{timeout:.0f} 秒）") from exc
