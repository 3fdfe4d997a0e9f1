"""DOCX reader: Word files, and legacy .doc/.wps converted by LibreOffice.

The zip package is checked first (size, compression ratio, DOCTYPE/ENTITY
declarations), then the main document part (found as python-docx finds it: the
officeDocument relationship of ``_rels/.rels``, with the Word content type) is parsed
with lxml and its body walked in order: each paragraph (split at line breaks) becomes
a Paragraph, each table a grid Table with gridSpan/vMerge expanded.  Text of a table
nested in a cell is appended to that cell, except in a frame (a table of at most two
cells a row holding a table: a CMS page made into Word), whose cells' content is read
as body content.  A text box (``w:txbxContent``: a title, a table) is read after the
paragraph that anchors it, once (not Word's ``mc:Fallback`` copy of it).

The XML is read with lxml directly, not through python-docx's proxy objects: only the
document part, the package relationships, the content types and the core properties are
parsed, and the walk touches paragraphs, runs and cell properties, never the formatting
below them.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from .document import Block, Document, Paragraph, ReadError, Table, Where
from .html import MAX_COLSPAN, GridBuilder, clean_text, page_meta, too_large
from .limits import DEFAULT_LIMITS, Limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R = W + "p", W + "tbl", W + "tr", W + "tc", W + "r"
_BODY, _DOCUMENT = W + "body", W + "document"
_TRPR, _TCPR, _VAL = W + "trPr", W + "tcPr", W + "val"
_GRID_BEFORE, _GRID_SPAN, _VMERGE, _HMERGE = (
    W + "gridBefore",
    W + "gridSpan",
    W + "vMerge",
    W + "hMerge",
)
_TXBX = W + "txbxContent"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"})
_SKIP_IN_P = frozenset({W + "pPr", W + "rPr", W + "del", W + "moveFrom"})
_REVISION_TAGS = (W + "ins", W + "del", W + "moveFrom", W + "moveTo")
_RUN_TEXT = {
    W + "t": None,
    W + "tab": "\t",
    W + "br": "\n",
    W + "cr": "\n",
    W + "noBreakHyphen": "-",
}

# The package parts python-docx would read to get the body and the core title.
_CONTENT_TYPES, _PACKAGE_RELS = "[Content_Types].xml", "_rels/.rels"
_MAIN_PART, _CORE_PART = "word/document.xml", "docProps/core.xml"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RT_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_WML_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_CORE_ROOT = (
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}coreProperties"
)
_DEFAULT_TITLE = "Word Document"  # python-docx's title when a package has no core part

MAX_MEMBERS = 10_000
MAX_BODY = 200_000  # body paragraphs and tables; far above any real report
_RATIO_FLOOR = 1024 * 1024  # parts smaller than this may compress as well as they like
_MARKERS = tuple(
    m.encode(enc)
    for m in ("<!DOCTYPE", "<!ENTITY")
    for enc in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_BANG = b"!"  # every marker holds this byte: one memchr clears most parts
assert all(_BANG in m for m in _MARKERS)
_OVERLAP = max(len(m) for m in _MARKERS)
# RuntimeError: encrypted member; NotImplementedError: unsupported compression method
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError)
_BROKEN = "不是有效的 DOCX 文件（无法解析其内容）"

LEGACY_SUFFIXES = (".doc", ".wps", ".et")
_NEED_SOFFICE = (
    "这是旧版 Word/WPS 文件，需要 LibreOffice 转换：请安装 LibreOffice"
    "（Debian: apt-get install libreoffice-writer）后重试，或另存为 .docx"
)


# --------------------------------------------------------------------------- package


def _check_package(data: bytes, source: str, limits: Limits) -> dict[str, bytes]:
    """Reject what is not a DOCX, zip bombs and parts declaring a DTD or entities.

    Returns the parts the reader needs (content types, package relationships, the main
    document and core properties under their usual names) as read during the scan.
    """
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(source, "这是旧版 Word/WPS 文件或加密的 DOCX，不是 DOCX：请另存为 .docx")
    if not data.startswith(b"PK"):
        raise ReadError(source, "不是有效的 DOCX 文件（不是 ZIP 压缩包）")
    wanted = (_CONTENT_TYPES, _PACKAGE_RELS, _MAIN_PART, _CORE_PART)
    parts: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            _check_members(infos, source, limits)
            for info in infos:
                kept = _scan(zf, info, source, info.filename in wanted)
                if kept is not None:
                    parts.setdefault(info.filename, kept)
    except _ZIP_ERRORS as exc:
        raise ReadError(source, "不是有效的 DOCX 文件（压缩包损坏）") from exc
    return parts


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
    if _MAIN_PART not in names:
        if "xl/workbook.xml" in names:
            raise ReadError(source, "这是 Excel 文件，不是 Word 文件")
        if "ppt/presentation.xml" in names:
            raise ReadError(source, "这是 PowerPoint 文件，不是 Word 文件")
        raise ReadError(source, "不是有效的 DOCX 文件（缺少 word/document.xml）")


def _scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, keep: bool) -> bytes | None:
    """Look for DOCTYPE/ENTITY markers in one part; its bytes when ``keep``."""
    tail = b""
    chunks: list[bytes] = []
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            if _BANG in window and any(m in window for m in _MARKERS):
                raise ReadError(source, f"含有不允许的 XML 实体声明（{info.filename}）")
            tail = window[-_OVERLAP:]
            if keep:
                chunks.append(chunk)
    return b"".join(chunks) if keep else None


# python-docx's parser: blank text between elements dropped, entities never expanded
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def _related(rels: etree._Element, reltype: str) -> str | None:
    """The part name (zip member) of the one relationship of ``reltype``, if any."""
    if rels.tag != _RELS + "s":
        raise ValueError("not a relationships part")
    found = [r for r in rels.iterchildren(_RELS) if r.get("Type") == reltype]
    if not found:
        return None
    if len(found) > 1:
        raise ValueError(f"more than one {reltype} relationship")
    target = found[0].get("Target")
    if target is None or found[0].get("TargetMode") == "External":
        raise ValueError("external or empty target")
    return posixpath.abspath(posixpath.join("/", target))[1:]


def _content_type(types: etree._Element, name: str) -> str | None:
    """The content type of part ``name``, looked up as python-docx does: overrides by
    part name, then defaults by extension, case-insensitive, the last entry winning."""
    if types.tag != _CT + "Types":
        raise ValueError("not a content types part")
    partname = "/" + name.lower()
    found = None
    for override in types.iterchildren(_CT + "Override"):
        if (override.get("PartName") or "").lower() == partname:
            found = override.get("ContentType")
    if found is not None:
        return found
    ext = posixpath.splitext(name)[1][1:].lower()
    for default in types.iterchildren(_CT + "Default"):
        if (default.get("Extension") or "").lower() == ext:
            found = default.get("ContentType")
    return found


def _open_body(data: bytes, source: str, limits: Limits) -> tuple[etree._Element, str, int]:
    """The ``w:body`` of the main document part, the core properties title and how many
    tracked changes it holds (``_revisions``)."""
    parts = _check_package(data, source, limits)

    def part(name: str) -> bytes:
        if name not in parts:  # not under its usual name: read it now (rare)
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                parts[name] = zf.read(name)
        return parts[name]

    try:
        types = _xml(part(_CONTENT_TYPES))
        rels = _xml(part(_PACKAGE_RELS)) if _PACKAGE_RELS in parts else None
        main = _related(rels, _RT_OFFICE_DOCUMENT) if rels is not None else None
        if main is None or _content_type(types, main) != _WML_MAIN:
            raise ValueError("no Word main document part")
        core = _related(rels, _RT_CORE) if rels is not None else None
        title = _DEFAULT_TITLE
        if core is not None:
            props = _xml(part(core))
            if props.tag != _CORE_ROOT:
                raise ValueError("not a core properties part")
            found = props.find(_DC_TITLE)
            title = (found.text if found is not None else None) or ""
        root = _xml(part(main))
    except (*_ZIP_ERRORS, KeyError, etree.LxmlError) as exc:
        raise ReadError(source, _BROKEN) from exc
    body = root.find(_BODY) if root.tag == _DOCUMENT else None
    if body is None:
        raise ReadError(source, _BROKEN)
    return body, title, _revisions(root)


def _revisions(root: etree._Element) -> int:
    """The tracked changes of the main part not accepted: insertions, deletions and moves
    (w:ins, w:del, w:moveFrom, w:moveTo; formatting changes are not counted)."""
    return sum(1 for _ in root.iter(*_REVISION_TAGS))


# --------------------------------------------------------------------------- body
#
# The body is read in passes, so that Python never visits the formatting (w:pPr,
# w:rPr, w:tcBorders ...) that makes up most of a Word document's elements:
#
# 1. the structure: body paragraphs and tables, their rows and cells, and the paragraphs
#    of each cell (nested tables included) in order;
# 2. the cell and row properties (gridSpan, vMerge, hMerge, gridBefore), found by one
#    tag-filtered lxml iteration over the body;
# 3. the run text (w:t, w:tab, w:br, w:cr, w:noBreakHyphen), likewise: each piece goes to
#    the paragraph of step 1 it belongs to, going up from its run through hyperlinks,
#    insertions, fields, content controls ... but never through another run (a text box
#    inside a drawing) nor a w:pPr, w:rPr, w:del or w:moveFrom;
# 4. the blocks, in body order, with merged cells expanded by GridBuilder.

_PART_TAGS = tuple(_RUN_TEXT)
_PROP_TAGS = (_GRID_SPAN, _VMERGE, _HMERGE, _GRID_BEFORE)
_PROP_SLOT = {_GRID_SPAN: 0, _VMERGE: 1, _HMERGE: 2, _GRID_BEFORE: 0}
_PROP_OWNER = {_TCPR: _TC, _TRPR: _TR}

_Cell = tuple[etree._Element, list[etree._Element]]  # w:tc and the paragraphs it holds
_Row = tuple[etree._Element, list[_Cell]]  # w:tr and its cells
_Item = etree._Element | list[_Row]  # a body paragraph, or a table as its rows


def _children(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with ``tag``, looking through content controls and custom XML."""
    for child in el:
        ctag = child.tag
        if ctag == tag:
            yield child
        elif ctag in _WRAPPERS:
            yield from _children(child, tag)


def _children_any(body: etree._Element) -> Iterator[etree._Element]:
    for child in body:
        tag = child.tag
        if tag in _WRAPPERS:
            yield from _children_any(child)
        elif tag in (_P, _TBL):
            yield child


def _layout(tbl: etree._Element) -> bool:
    """A frame, not a data table: at most two cells a row, and a table inside a cell
    (a CMS page turned into Word; the whole body in one cell)."""
    rows = list(_children(tbl, _TR))
    if not rows or any(sum(1 for _ in _children(tr, _TC)) > 2 for tr in rows):
        return False
    return any(
        next(_children(tc, _TBL), None) is not None for tr in rows for tc in _children(tr, _TC)
    )


class _BodyReader:
    def __init__(self, body: etree._Element) -> None:
        self.body = body
        self.pieces: dict[etree._Element, list[str]] = {}  # paragraph -> its run text
        self.boxes = self._boxes()

    def _boxes(self) -> dict[etree._Element, list[etree._Element]]:
        """Text boxes (``w:txbxContent``) by the paragraph anchoring them, leaving out
        the copy Word writes for older readers (``mc:Fallback``)."""
        out: dict[etree._Element, list[etree._Element]] = {}
        for box in self.body.iter(_TXBX):
            anchor = None
            for up in box.iterancestors():
                if up.tag == _FALLBACK:
                    anchor = None
                    break
                if up.tag == _P and anchor is None:
                    anchor = up
                if up.tag == _TXBX or up is self.body:
                    break
            if anchor is not None:
                out.setdefault(anchor, []).append(box)
        return out

    def items(self) -> list[_Item]:
        """Step 1: body paragraphs and tables in order; the content of frames and of
        text boxes in its place."""
        return self._content(self.body)

    def _content(self, parent: etree._Element) -> list[_Item]:
        items: list[_Item] = []
        pieces = self.pieces
        for el in _children_any(parent):
            if el.tag == _P:
                pieces[el] = []
                items.append(el)
                for box in self.boxes.get(el, ()):
                    items.extend(self._content(box))
            elif _layout(el):
                for tr in _children(el, _TR):
                    for tc in _children(tr, _TC):
                        items.extend(self._content(tc))
            else:
                items.append(self._rows(el))
        return items

    def _rows(self, tbl: etree._Element) -> list[_Row]:
        rows: list[_Row] = []
        for tr in _children(tbl, _TR):
            cells: list[_Cell] = []
            for tc in _children(tr, _TC):
                paragraphs: list[etree._Element] = []
                self._cell_paragraphs(tc, paragraphs)
                cells.append((tc, paragraphs))
            rows.append((tr, cells))
        return rows

    def _cell_paragraphs(self, el: etree._Element, out: list[etree._Element]) -> None:
        """Paragraphs of a cell, and of the tables nested in it, in order."""
        for child in el:
            tag = child.tag
            if tag == _P:
                self.pieces[child] = []
                out.append(child)
                for box in self.boxes.get(child, ()):
                    self._cell_paragraphs(box, out)
            elif tag == _TBL:
                for tr in _children(child, _TR):
                    for tc in _children(tr, _TC):
                        self._cell_paragraphs(tc, out)
            elif tag in _WRAPPERS:
                self._cell_paragraphs(child, out)

    def props(self) -> dict[etree._Element, list[str | None]]:
        """Step 2: [gridSpan, vMerge, hMerge] of each w:tc, [gridBefore] of each w:tr.

        Each is the first in document order (as ``tc.find("w:tcPr/w:gridSpan")``); a
        property without ``w:val`` reads "continue".
        """
        found: dict[etree._Element, list[str | None]] = {}
        for prop in self.body.iter(*_PROP_TAGS):
            pr = prop.getparent()
            owner = pr.getparent() if pr is not None else None
            if pr is None or owner is None or _PROP_OWNER.get(pr.tag) != owner.tag:
                continue
            if (owner.tag == _TR) != (prop.tag == _GRID_BEFORE):
                continue
            values = found.get(owner)
            if values is None:
                values = found[owner] = [None, None, None]
            slot = _PROP_SLOT[prop.tag]
            if values[slot] is None:
                values[slot] = prop.get(_VAL, "continue")
        return found

    def text(self) -> None:
        """Step 3: run text to the paragraphs of step 1."""
        body = self.body
        pieces = self.pieces
        for part in body.iter(*_PART_TAGS):
            run = part.getparent()
            if run is None or run.tag != _R:
                continue
            up = run.getparent()
            while up is not None and up is not body:
                into = pieces.get(up)
                if into is not None:
                    into.append(_RUN_TEXT[part.tag] or part.text or "")
                    break
                tag = up.tag
                if tag == _R or tag in _SKIP_IN_P:
                    break
                up = up.getparent()

    def paragraph(self, p: etree._Element) -> str:
        return "".join(self.pieces[p])


def _int(value: str | None, cap: int) -> int:
    try:
        n = int(value or "1")
    except ValueError:
        return 1
    return min(max(n, 1), cap)


def _table(
    rows: list[_Row],
    reader: _BodyReader,
    props: dict[etree._Element, list[str | None]],
    grid: GridBuilder,
) -> Table:
    paragraph = reader.paragraph
    for r, (tr, cells) in enumerate(rows):
        grid.add_row()
        before = props.get(tr)
        col = 0 if before is None else _int(before[0], MAX_COLSPAN)
        for tc, paragraphs in cells:
            span, vmerge, hmerge = props.get(tc) or (None, None, None)
            cs = 1 if span is None else _int(span, MAX_COLSPAN)
            done = (vmerge == "continue" and grid.extend_down(r, col, cs)) or (
                hmerge == "continue" and grid.extend_right(r, col, cs)
            )
            if not done:
                text = clean_text(" ".join([paragraph(p) for p in paragraphs]))
                grid.place(text, None, r, col, cs, 1)
            col += cs
    return grid.table()


# --------------------------------------------------------------------------- reading


def read_docx(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a .docx file into paragraphs and grid tables (see the module docstring)."""
    if len(data) > limits.max_bytes:
        raise too_large(source, len(data), limits)
    if not data:
        raise ReadError(source, "文件为空")
    body, core_title, revisions = _open_body(data, source, limits)
    if len(body) > MAX_BODY:
        raise ReadError(source, f"文件过大（正文段落超过 {MAX_BODY} 个）")
    reader = _BodyReader(body)
    items = reader.items()
    props = reader.props() if any(isinstance(item, list) for item in items) else {}
    reader.text()
    from ..ocr.pictures import docx_pictures  # (lxml only: no OCR package unless needed)

    pictures = docx_pictures(body)  # paragraphs holding a picture as large as a table
    at: list[tuple[int, list[str]]] = []  # (blocks before it, its pictures)
    blocks: list[Block] = []
    budget = [limits.max_cells]
    n_tables = 0
    n_paras = 0  # paragraphs with text outside tables, as a reader counts them in Word
    for item in items:
        if isinstance(item, list):
            grid = GridBuilder(n_tables, source, budget, limits.max_cells)
            table = _table(item, reader, props, grid)
            if table.rows:
                blocks.append(table)
                n_tables += 1
            continue
        text = reader.paragraph(item)
        if text.strip():
            n_paras += 1
        for line in text.split("\n") if "\n" in text else (text,):
            line = clean_text(line)
            if line:
                blocks.append(Paragraph(line, Where(para=n_paras)))
        if item in pictures:
            at.append((len(blocks), pictures[item]))
    note = ""
    if at:  # tables pasted as pictures: read by OCR where a ruled table is found
        from ..ocr.pictures import with_pictures

        blocks, note = with_pictures(data, source, blocks, at)
    meta = page_meta(blocks)
    if revisions:  # (read as revised: extract tells it, TXT-009)
        meta["tracked"] = str(revisions)
    if note:
        meta["note"] = "；".join(x for x in (meta.get("note"), note) if x)
    title = clean_text(core_title)
    if title:  # often stale (copied templates, converted web pages): not "title"
        meta["core_title"] = title
    return Document(source=source, kind="docx", blocks=blocks, meta=meta)


# --------------------------------------------------------------------------- legacy


def convert_legacy(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Convert a .doc/.wps/.et file to DOCX bytes with LibreOffice (soffice --headless)."""
    from ..office import OfficeError, convert

    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(source, "无法读取文件") from exc
    if size > limits.max_bytes:
        raise too_large(source, size, limits)
    try:
        data = convert(path, "docx")
    except OfficeError as exc:
        problem = {
            "missing": _NEED_SOFFICE,
            "start": "无法启动 LibreOffice",
            "timeout": f"LibreOffice 转换超时（{exc.timeout:.0f} 秒）",
        }.get(exc.reason, "LibreOffice 无法把这个文件转换为 DOCX")
        raise ReadError(source, problem) from None
    if len(data) > limits.max_bytes:
        raise too_large(source, len(data), limits)
    return data
