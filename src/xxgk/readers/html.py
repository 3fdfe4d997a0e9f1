"""HTML reader: saved or crawled web pages of reports.

The page is decoded (byte-order mark, then the declared ``<meta>`` charset, then strict
UTF-8, then GB18030), parsed with lxml (no network, no huge trees) and walked in
document order.  Block-level text becomes Paragraphs (one per visual line); a data
table becomes a grid Table with its colspan/rowspan expanded; a layout table (one whose
cells hold other tables) is walked as ordinary content.  Script, style and page chrome
such as ``<nav>`` are dropped.  Page metadata (``<title>``, 发布时间/公开日期) goes to
``Document.meta``.

Python visits only the elements outside data tables (a few hundred on a crawled
page); a data table's cells, most of a report's elements, are serialised by libxml2
(``tostring(method="text")``) once block and ``<br>`` boundaries inside them hold a
space (:func:`_separate`), which reads the same text as the element-by-element
:func:`_cell_text`.  The page is handed to libxml2 as UTF-8 without a decode/encode
round trip when it already is UTF-8.

The small helpers :func:`clean_text`, :class:`GridBuilder` and :func:`page_meta` are
shared with the DOCX reader.
"""

from __future__ import annotations

import codecs
import re
from functools import partial

from lxml import etree

from .document import Block, Cell, Document, Paragraph, ReadError, Table, Where
from .limits import DEFAULT_LIMITS, Limits

MAX_COLSPAN = 100
MAX_ROWSPAN = 1000
MAX_ELEMENTS = 200_000  # 100 times a real report page; bounds the walking time

# --------------------------------------------------------------------------- text


_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x7f\u200b-\u200d\u2060\ufeff\ufffe\uffff]+")


def clean_text(text: str) -> str:
    """Collapse whitespace (incl. NBSP, U+3000, newlines) to one space and strip.

    Control and zero-width characters are removed; nothing else is changed.
    """
    return " ".join(_INVISIBLE.sub("", text).split())


def too_large(source: str, size: int, limits: Limits) -> ReadError:
    mb = 1024 * 1024
    return ReadError(source, f"文件过大（{size / mb:.0f} MB，上限 {limits.max_bytes // mb} MB）")


# --------------------------------------------------------------------------- grids


class GridBuilder:
    """Expands spanning cells into a rectangular grid of :class:`Cell`.

    Each position holds the top-left :class:`Cell` of the span covering it (its spans
    may still grow: DOCX vMerge/hMerge); :meth:`table` turns the other positions into
    ``merged=True`` copies.  ``budget`` is a one-item list holding the number of grid
    positions still allowed over the whole document (``Limits.max_cells``); it is shared
    by all tables.
    """

    __slots__ = ("budget", "index", "limit", "rows", "source")

    def __init__(self, index: int, source: str, budget: list[int], limit: int) -> None:
        self.index = index
        self.source = source
        self.budget = budget
        self.limit = limit
        self.rows: list[list[Cell | None]] = []

    def _take(self, n: int) -> None:
        self.budget[0] -= n
        if self.budget[0] < 0:
            raise ReadError(self.source, f"表格过大（单元格超过 {self.limit} 个）")

    def at(self, row: int, col: int) -> Cell | None:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def add_row(self) -> None:
        self.rows.append([])

    def free_col(self, row: int, col: int) -> int:
        """The first column at or after ``col`` not yet covered in ``row``."""
        cells = self.rows[row] if row < len(self.rows) else []
        n = len(cells)
        while col < n and cells[col] is not None:
            col += 1
        return col

    def place(self, text: str, line: int | None, row: int, col: int, cs: int, rs: int) -> None:
        """A new cell whose top-left corner is (row, col); rows it covers must exist."""
        cell = Cell(text, Where(line=line, table=self.index, row=row, col=col), False, cs, rs)
        if cs == 1 and rs == 1:  # the common case of cover(), inlined
            self._take(1)
            cells = self.rows[row]
            n = len(cells)
            if n == col:
                cells.append(cell)
            elif n < col:
                cells.extend([None] * (col - n))
                cells.append(cell)
            elif cells[col] is None:  # overlapping spans (a table model error): first wins
                cells[col] = cell
            return
        for r in range(row, row + rs):
            self.cover(cell, r, col, cs)

    def cover(self, cell: Cell, row: int, col: int, cs: int) -> None:
        self._take(cs)
        cells = self.rows[row]
        if len(cells) < col + cs:
            cells.extend([None] * (col + cs - len(cells)))
        for c in range(col, col + cs):
            if cells[c] is None:  # overlapping spans (a table model error): first one wins
                cells[c] = cell

    def extend_down(self, row: int, col: int, cs: int) -> bool:
        """DOCX vMerge continue: extend the cell above (row-1, col) over this row."""
        above = self.at(row - 1, col) if row > 0 else None
        if above is None:
            return False
        above.rowspan = max(above.rowspan, row - (above.where.row or 0) + 1)
        self.cover(above, row, col, cs)
        return True

    def extend_right(self, row: int, col: int, cs: int) -> bool:
        """DOCX hMerge continue: extend the cell to the left over these columns."""
        left = self.at(row, col - 1) if col > 0 else None
        if left is None:
            return False
        left.colspan = max(left.colspan, col + cs - (left.where.col or 0))
        self.cover(left, row, col, cs)
        return True

    def table(self, line: int | None = None) -> Table:
        rows = self.rows
        width = max((len(r) for r in rows), default=0)
        self._take(sum(width - len(r) for r in rows))
        index = self.index
        out: list[list[Cell]] = []
        for r, cells in enumerate(rows):
            row: list[Cell] = []
            append = row.append
            for c, cell in enumerate(cells):
                if cell is None:
                    append(Cell("", Where(table=index, row=r, col=c)))
                elif cell.where.row == r and cell.where.col == c:
                    append(cell)
                else:
                    append(Cell(cell.text, cell.where, True, cell.colspan, cell.rowspan))
            for c in range(len(cells), width):
                append(Cell("", Where(table=index, row=r, col=c)))
            out.append(row)
        return Table(rows=out, where=Where(line=line, table=index), grid=True)


# --------------------------------------------------------------------------- metadata


_PUBLISHED = re.compile(
    r"(?:发布时间|发布日期|公开时间|公开日期|发文日期)\s*[:：]?\s*"
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
_SOURCE_URL = re.compile(r"^(?:来源|原文链接|原文地址|网址)\s*[:：]\s*(https?://\S+)")


_META_BLOCKS = 2000  # metadata stands near the top of a page


def _date(m: re.Match[str]) -> str | None:
    y, mo, d = (int(g) for g in m.groups())
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def page_meta(blocks: list[Block]) -> dict[str, str]:
    """``published`` and ``url`` from crawler header lines and page info tables."""
    meta: dict[str, str] = {}
    for block in blocks[:_META_BLOCKS]:
        if isinstance(block, Paragraph):
            lines = [block.text]
        else:
            lines = [" ".join(c.text for c in row if not c.merged) for row in block.rows]
        for line in lines:
            if "published" not in meta and (m := _PUBLISHED.search(line)) and (d := _date(m)):
                meta["published"] = d
            if "url" not in meta and (u := _SOURCE_URL.match(line)):
                meta["url"] = u.group(1)
        if len(meta) == 2:
            break
    return meta


# --------------------------------------------------------------------------- decoding


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_MAGIC = (
    (b"%PDF", "这是 PDF 文件，不是网页"),
    (b"PK\x03\x04", "这是压缩包（可能是 DOCX），不是网页"),
    (b"\xd0\xcf\x11\xe0", "这是旧版 Word/WPS 文件，不是网页"),
    (b"\x89PNG", "这是图片文件，不是网页"),
    (b"\xff\xd8\xff", "这是图片文件，不是网页"),
    (b"GIF8", "这是图片文件，不是网页"),
)
_SINGLE_BYTE = {"latin_1", "iso8859_1", "cp1252", "ascii"}


def _declared(head: bytes) -> str | None:
    m = _CHARSET.search(head)
    if m is None:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii", "replace").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk", "gb18030"):
        return "gb18030"
    if name.startswith(("utf-16", "utf-32")):  # a byte stream without BOM: as browsers do
        return "utf-8"
    return name


def decode_html(data: bytes, source: str) -> str:
    """Decode page bytes; never fails on undecodable bytes (they become U+FFFD)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    for magic, problem in _MAGIC:
        if data.startswith(magic):
            raise ReadError(source, problem)
    declared = _declared(data[:4096])
    order = ["utf-8", "gb18030"]
    if declared and declared not in _SINGLE_BYTE:
        order.insert(0, declared)
    elif declared:
        order.append(declared)  # Western single-byte labels on Chinese pages are often wrong
    for encoding in order:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode(order[0], errors="replace")


# --------------------------------------------------------------------------- walking


def _tags(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


_ALWAYS_DROP = _tags(
    "script style noscript template head title meta link nav select button textarea",
    "iframe object embed svg math",
)
_CHROME = _tags("header footer")  # dropped outside <article>/<main>
_CONTENT = _tags("article main")
_BLOCK = _tags(
    "address article aside blockquote body caption center dd details dialog div dl dt",
    "fieldset figcaption figure form h1 h2 h3 h4 h5 h6 header footer hgroup hr html li",
    "main ol p pre section summary table tbody thead tfoot tr td th ul legend",
)
_SEPARATE = _BLOCK | {"br"}  # cell text: a space on each side of these
_MAYBE_CHROME = _ALWAYS_DROP | _CHROME | {"form"}
_SMALL_FORM = 500  # a <form> with less text and no table is a search box, not a page
_CELL_TAGS = ("td", "th")
# A childless element not among these adds only its text and tail to the paragraph.
_NOT_INLINE_LEAF = _MAYBE_CHROME | _BLOCK | _CONTENT | {"br", "table"}
_ROW_GROUPS = ("thead", "tbody", "tfoot")


def _is_chrome(el: etree._Element, tag: str, in_content: bool) -> bool:
    if tag in _ALWAYS_DROP:
        return True
    if tag in _CHROME:
        return not in_content
    if tag == "form":
        if next(el.iterdescendants("table"), None) is not None:
            return False
        return len(_cell_text(el)) < _SMALL_FORM
    return False


def _rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        tag = child.tag
        if tag == "tr":
            rows.append(child)
        elif tag in _ROW_GROUPS:
            rows.extend(tr for tr in child if tr.tag == "tr")
    return rows


_SPAN = re.compile(r"\s*(\d{1,6})")


def _span(value: str | None, cap: int) -> int:
    if value is None:
        return 1
    m = _SPAN.match(value)
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), cap) if n else 0


def _line(el: etree._Element) -> int | None:
    line = el.sourceline  # lxml-stubs mistype it
    return line if isinstance(line, int) else None


def _cell_text(el: etree._Element) -> str:
    """The text of ``el``: block and ``<br>`` boundaries count as spaces, script and the
    like are left out (their tails are kept)."""
    out: list[str] = []
    _collect(el, out)
    return clean_text("".join(out))


def _collect(el: etree._Element, out: list[str]) -> None:
    tag = el.tag
    if not isinstance(tag, str) or tag in _ALWAYS_DROP:
        return
    sep = tag in _SEPARATE
    if sep:
        out.append(" ")
    if el.text:
        out.append(el.text)
    for child in el:
        _collect(child, out)
        if child.tail:
            out.append(child.tail)
    if sep:
        out.append(" ")


_SEPARATE_OR_DROP = tuple(sorted(_SEPARATE | _ALWAYS_DROP))
_text_content = partial(etree.tostring, method="text", encoding="unicode", with_tail=False)


def _separate(table: etree._Element) -> bool:
    """Make the text of every cell of ``table`` what :func:`_cell_text` reads, so that
    libxml2 can serialise it (``tostring(method="text")``) in one C call per cell.

    A space is put at each block and ``<br>`` boundary that has no whitespace yet: at the
    start of the element's text and of its tail.  Only the data table's own copy of the
    tree changes, and only by whitespace where a boundary already separates words.
    Returns False, leaving the rest to :func:`_cell_text`, when the table holds elements
    whose text is dropped (script, style ...), or text lxml refuses to store back:
    control characters (form feed, \\x01 …) are legal in an HTML text node but not in a
    string assigned to one.  The spaces already put in change nothing for
    :func:`_cell_text`, which puts a space at the same boundaries.
    """
    for el in table.iterdescendants(*_SEPARATE_OR_DROP):
        if el.tag in _ALWAYS_DROP:
            return False
        text = el.text
        tail = el.tail
        if (text and _NOT_XML.search(text)) or (tail and _NOT_XML.search(tail)):
            return False  # checked first: a refused assignment has already cleared the text
        if not text or not text[0].isspace():
            el.text = " " + text if text else " "
        if not tail or not tail[0].isspace():
            el.tail = " " + tail if tail else " "
    return True


# What lxml refuses in an assigned string ("All strings must be XML compatible").
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class _Walker:
    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.blocks: list[Block] = []
        self.buf: list[str] = []  # text of the paragraph being read; cleared in place
        self.line: int | None = None
        self.n_tables = 0
        self.budget = [limits.max_cells]

    def flush(self) -> None:
        buf = self.buf
        if buf:
            text = clean_text("".join(buf))
            if text:
                self.blocks.append(Paragraph(text, Where(line=self.line)))
            buf.clear()
        self.line = None

    def walk(self, el: etree._Element, in_content: bool = False) -> None:
        tag = el.tag
        if not isinstance(tag, str) or (tag in _MAYBE_CHROME and _is_chrome(el, tag, in_content)):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table" and next(el.iterdescendants("table"), None) is None:
            self.flush()
            self.table(el)
            return
        block = tag in _BLOCK
        buf = self.buf
        if block and buf:
            self.flush()
        if tag in _CONTENT:
            in_content = True
        text = el.text
        if text:
            if self.line is None and not text.isspace():
                self.line = _line(el)
            buf.append(text)
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and tag not in _NOT_INLINE_LEAF and not len(child):
                text = child.text  # a leaf <span>, <a> ...: what walk(child) would do
                if text:
                    if self.line is None and not text.isspace():
                        self.line = _line(child)
                    buf.append(text)
            else:
                self.walk(child, in_content)
            text = child.tail
            if text:
                if self.line is None and not text.isspace():
                    self.line = _line(child)
                buf.append(text)
        if block and buf:
            self.flush()

    def table(self, el: etree._Element) -> None:
        for caption in el.iterchildren("caption"):
            self.walk(caption)
        rows = _rows(el)
        if not rows:
            return
        n_rows = len(rows)
        fast = _separate(el)
        grid = GridBuilder(self.n_tables, self.source, self.budget, self.limits.max_cells)
        grid.rows = [[] for _ in rows]
        place = grid.place
        for r, tr in enumerate(rows):
            cells = grid.rows[r]
            col = 0
            for td in tr:
                if td.tag not in _CELL_TAGS:
                    continue
                n = len(cells)
                while col < n and cells[col] is not None:  # grid.free_col
                    col += 1
                value = td.get("colspan")
                cs = 1 if value is None else _span(value, MAX_COLSPAN) or 1
                value = td.get("rowspan")
                rs = 1 if value is None else _span(value, MAX_ROWSPAN) or n_rows - r  # 0: to end
                if rs > n_rows - r:
                    rs = n_rows - r
                text = clean_text(_text_content(td)) if fast else _cell_text(td)
                place(text, _line(td), r, col, cs, rs)
                col += cs
        self.blocks.append(grid.table(_line(el)))
        self.n_tables += 1


_PUBDATE_NAMES = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time")
_PUBDATE = re.compile(r"\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")


def _meta(root: etree._Element, blocks: list[Block]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for title in root.iter("title"):
        text = clean_text("".join(t for t in title.itertext() if isinstance(t, str)))
        if text:
            meta["title"] = text
            break
    meta.update(page_meta(blocks))
    if "published" not in meta:
        for tag in root.iter("meta"):
            name = (tag.get("name") or tag.get("property") or "").lower()
            if name in _PUBDATE_NAMES:
                m = _PUBDATE.match(tag.get("content") or "")
                if m and (d := _date(m)):
                    meta["published"] = d
                    break
    return meta


# --------------------------------------------------------------------------- reading


# libxml2 drops whatever follows </html>; browsers keep it in the body.  Matched on the
# UTF-8 bytes: the pattern is ASCII and no non-ASCII character folds to its letters.
_END_OF_PAGE_BYTES = re.compile(rb"</[ \t]*(?:html|body)[ \t]*>", re.IGNORECASE)


def _page_bytes(data: bytes, source: str, limits: Limits) -> bytes:
    """The page as UTF-8 bytes for libxml2, after the size and binary checks."""
    text: str | None = None
    utf8: bytes | None = None
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        for magic, problem in _MAGIC:
            if data.startswith(magic):
                raise ReadError(source, problem)
        declared = _declared(data[:4096])
        if declared is None or declared == "utf-8" or declared in _SINGLE_BYTE:
            try:  # the first encoding decode_html tries: the bytes are already UTF-8
                text = data.decode("utf-8")
                utf8 = data
            except UnicodeDecodeError:
                pass
    if text is None:
        text = decode_html(data, source)
    if len(text) > limits.max_chars:
        raise ReadError(source, f"文件过大（超过 {limits.max_chars} 个字符）")
    if (b"\x00" in utf8) if utf8 is not None else ("\x00" in text):
        if "\x00" in text[:4096] or text.count("\x00") > len(text) // 1000:
            raise ReadError(source, "不是网页文件（含有二进制内容）")
        text = text.replace("\x00", "")
        utf8 = None
    if len(text) > 4 * MAX_ELEMENTS and text.count("<") > 4 * MAX_ELEMENTS:  # cheap bound
        raise ReadError(source, f"文件过大（网页标签超过 {4 * MAX_ELEMENTS} 个）")
    return _END_OF_PAGE_BYTES.sub(b"", utf8 if utf8 is not None else text.encode("utf-8"))


_COUNT_NODES = etree.XPath(
    "count(descendant-or-self::*) + count(descendant::comment())"
    " + count(descendant::processing-instruction())"
)


_STRUCK_TAGS = ("del", "s", "strike")  # deleted (tracked changes), struck through
_LINE_THROUGH = etree.XPath(
    "//*[@style and contains(translate(@style, 'LINE-THROUGH', 'line-through'), 'line-through')]"
)


def _strike_out(root: etree._Element, page: bytes) -> list[str]:
    """Remove the text struck out (``<del>``, ``<s>``, ``<strike>``, an inline style
    ``text-decoration: line-through``: Word's 另存为网页 with tracked changes shown, a
    correction struck through by hand) from the tree, its tail kept; returns the texts
    removed, in document order.  (The styles are looked through only when the page's
    bytes name line-through at all: the look costs a tenth of a page's read.)"""
    found: list[etree._Element] = list(root.iter(*_STRUCK_TAGS))
    if b"line-through" in page or b"LINE-THROUGH" in page or b"Line-Through" in page:
        styled = _LINE_THROUGH(root)
        if isinstance(styled, list):
            found += [el for el in styled if isinstance(el, etree._Element)]
    if not found:
        return []
    if len(found) > 1:
        order = {el: i for i, el in enumerate(root.iter())}
        found.sort(key=order.__getitem__)
    out: list[str] = []
    removed: set[etree._Element] = set()
    for el in found:
        parent = el.getparent()
        if parent is None or any(a in removed for a in el.iterancestors()):
            continue  # (removed with what holds it)
        removed.add(el)
        text = _cell_text(el)
        if text:
            out.append(text)
        tail = el.tail
        if tail:
            before = el.getprevious()
            if before is not None:
                before.tail = (before.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)
    return out


def read_html(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read an HTML page into paragraphs and grid tables (see the module docstring)."""
    if len(data) > limits.max_bytes:
        raise too_large(source, len(data), limits)
    if not data.strip():
        raise ReadError(source, "文件为空")
    page = _page_bytes(data, source, limits)
    parser = etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(page, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReadError(source, "网页为空或无法解析") from exc
    if root is None:
        raise ReadError(source, "网页为空或无法解析")
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            if "depth" in error.message:
                raise ReadError(source, "网页结构嵌套过深（超过 256 层），无法读取")
            raise ReadError(source, "文件过大（网页中有超长的文本或标签）")
    count = _COUNT_NODES(root)
    if isinstance(count, float) and count > MAX_ELEMENTS:
        raise ReadError(source, f"文件过大（网页元素超过 {MAX_ELEMENTS} 个）")
    struck = _strike_out(root, page)
    walker = _Walker(source, limits)
    body = root.find("body")
    try:
        walker.walk(body if body is not None else root)
    except RecursionError as exc:
        raise ReadError(source, "网页结构嵌套过深，无法读取") from exc
    walker.flush()
    meta = _meta(root, walker.blocks)
    if struck:  # (text read as deleted: extract tells it, TXT-009)
        meta["struck"] = "、".join(struck)
    tail = page.rstrip().rsplit(b">", 1)[-1].decode("utf-8", "replace").strip()
    if tail:
        meta["ends_inside_text"] = tail  # the file stops inside this text (a cut page)
    return Document(source=source, kind="html", blocks=walker.blocks, meta=meta)
