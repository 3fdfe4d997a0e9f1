"""HTML reader: saved or crawled web pages of reports.

The page is decoded (byte-order mark, then the declared ``<meta>`` charset, then strict
UTF-8, then GB18030), parsed with lxml (no network, no huge trees) and walked in
document order.  Block-level text becomes Paragraphs (one per visual line); a data
table becomes a grid Table with its colspan/rowspan expanded; a layout table (one whose
cells hold other tables) is walked as ordinary content.  Script, style and page chrome
such as ``<nav>`` are dropped.  Page metadata (``<title>``, 发布时间/公开日期) goes to
``Document.meta``.

The small helpers :func:`clean_text`, :class:`GridBuilder` and :func:`page_meta` are
shared with the DOCX reader.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from lxml import etree

from .document import Block, Cell, Document, Paragraph, ReadError, Table, Where
from .limits import DEFAULT_LIMITS, Limits

MAX_COLSPAN = 100
MAX_ROWSPAN = 1000
MAX_ELEMENTS = 200_000  # 100 times a real report page; bounds the walking time

# --------------------------------------------------------------------------- text


_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x7f\u200b-\u200d\u2060\ufeff]+")


def clean_text(text: str) -> str:
    """Collapse whitespace (incl. NBSP, U+3000, newlines) to one space and strip.

    Control and zero-width characters are removed; nothing else is changed.
    """
    return " ".join(_INVISIBLE.sub("", text).split())


def too_large(source: str, size: int, limits: Limits) -> ReadError:
    mb = 1024 * 1024
    return ReadError(source, f"文件过大（{size / mb:.0f} MB，上限 {limits.max_bytes // mb} MB）")


# --------------------------------------------------------------------------- grids


class _Span:
    """One cell as written in the source, before it is expanded over the grid."""

    __slots__ = ("colspan", "rowspan", "text", "where")

    def __init__(self, text: str, where: Where, colspan: int, rowspan: int) -> None:
        self.text = text
        self.where = where
        self.colspan = colspan
        self.rowspan = rowspan


class GridBuilder:
    """Expands spanning cells into a rectangular grid of :class:`Cell`.

    ``budget`` is a one-item list holding the number of grid positions still allowed
    over the whole document (``Limits.max_cells``); it is shared by all tables.
    """

    def __init__(self, index: int, source: str, budget: list[int], limit: int) -> None:
        self.index = index
        self.source = source
        self.budget = budget
        self.limit = limit
        self.rows: list[list[_Span | None]] = []

    def _take(self, n: int) -> None:
        self.budget[0] -= n
        if self.budget[0] < 0:
            raise ReadError(self.source, f"表格过大（单元格超过 {self.limit} 个）")

    def at(self, row: int, col: int) -> _Span | None:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def add_row(self) -> None:
        self.rows.append([])

    def free_col(self, row: int, col: int) -> int:
        """The first column at or after ``col`` not yet covered in ``row``."""
        while self.at(row, col) is not None:
            col += 1
        return col

    def place(self, text: str, line: int | None, row: int, col: int, cs: int, rs: int) -> None:
        """A new cell whose top-left corner is (row, col); rows it covers must exist."""
        span = _Span(text, Where(line=line, table=self.index, row=row, col=col), cs, rs)
        self.cover(span, row, col, cs)
        for r in range(row + 1, row + rs):
            self.cover(span, r, col, cs)

    def cover(self, span: _Span, row: int, col: int, cs: int) -> None:
        self._take(cs)
        cells = self.rows[row]
        if len(cells) < col + cs:
            cells.extend([None] * (col + cs - len(cells)))
        for c in range(col, col + cs):
            if cells[c] is None:  # overlapping spans (a table model error): first one wins
                cells[c] = span

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
        width = max((len(r) for r in self.rows), default=0)
        self._take(sum(width - len(r) for r in self.rows))
        out: list[list[Cell]] = []
        for r, spans in enumerate(self.rows):
            row: list[Cell] = []
            for c in range(width):
                s = spans[c] if c < len(spans) else None
                if s is None:
                    row.append(Cell("", Where(table=self.index, row=r, col=c)))
                else:
                    origin = s.where.row == r and s.where.col == c
                    row.append(Cell(s.text, s.where, not origin, s.colspan, s.rowspan))
            out.append(row)
        return Table(rows=out, where=Where(line=line, table=self.index), grid=True)


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
_END_OF_PAGE = re.compile(r"</[ \t]*(?:html|body)[ \t]*>", re.IGNORECASE)
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
_MAYBE_CHROME = _ALWAYS_DROP | _CHROME | {"form"}
_SMALL_FORM = 500  # a <form> with less text and no table is a search box, not a page


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


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if tr.tag == "tr")


def _span(value: str | None, cap: int) -> int:
    m = re.match(r"\s*(\d{1,6})", value or "")
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), cap) if n else 0


def _line(el: etree._Element) -> int | None:
    line = el.sourceline  # lxml-stubs mistype it
    return line if isinstance(line, int) else None


def _cell_text(el: etree._Element) -> str:
    out: list[str] = []
    _collect(el, out)
    return clean_text("".join(out))


def _collect(el: etree._Element, out: list[str]) -> None:
    tag = el.tag
    if not isinstance(tag, str) or tag in _ALWAYS_DROP:
        return
    sep = tag in _BLOCK or tag == "br"
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


class _Walker:
    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.line: int | None = None
        self.n_tables = 0
        self.budget = [limits.max_cells]

    def text(self, text: str, line: int | None) -> None:
        if self.line is None and not text.isspace():
            self.line = line
        self.buf.append(text)

    def flush(self) -> None:
        text = clean_text("".join(self.buf))
        if text:
            self.blocks.append(Paragraph(text, Where(line=self.line)))
        self.buf = []
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
        if block and self.buf:
            self.flush()
        if tag in _CONTENT:
            in_content = True
        text = el.text
        if text:
            self.text(text, _line(el))
        for child in el:
            self.walk(child, in_content)
            text = child.tail
            if text:
                self.text(text, _line(child))
        if block and self.buf:
            self.flush()

    def table(self, el: etree._Element) -> None:
        for caption in el.iterchildren("caption"):
            self.walk(caption)
        rows = list(_rows(el))
        if not rows:
            return
        grid = GridBuilder(self.n_tables, self.source, self.budget, self.limits.max_cells)
        for _ in rows:
            grid.add_row()
        for r, tr in enumerate(rows):
            col = 0
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                col = grid.free_col(r, col)
                cs = _span(td.get("colspan"), MAX_COLSPAN) or 1
                rs = _span(td.get("rowspan"), MAX_ROWSPAN) or len(rows) - r  # 0: to the end
                rs = min(rs, len(rows) - r)
                grid.place(_cell_text(td), _line(td), r, col, cs, rs)
                col += cs
        self.blocks.append(grid.table(_line(el)))
        self.n_tables += 1


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
            if name in ("pubdate", "publishdate", "firstpublishedtime", "article:published_time"):
                m = re.match(
                    r"\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", tag.get("content") or ""
                )
                if m and (d := _date(m)):
                    meta["published"] = d
                    break
    return meta


def read_html(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read an HTML page into paragraphs and grid tables (see the module docstring)."""
    if len(data) > limits.max_bytes:
        raise too_large(source, len(data), limits)
    if not data.strip():
        raise ReadError(source, "文件为空")
    text = decode_html(data, source)
    if len(text) > limits.max_chars:
        raise ReadError(source, f"文件过大（超过 {limits.max_chars} 个字符）")
    if "\x00" in text:
        if "\x00" in text[:4096] or text.count("\x00") > len(text) // 1000:
            raise ReadError(source, "不是网页文件（含有二进制内容）")
        text = text.replace("\x00", "")
    parser = etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
    )
    if text.count("<") > 4 * MAX_ELEMENTS:  # cheap bound before parsing
        raise ReadError(source, f"文件过大（网页标签超过 {4 * MAX_ELEMENTS} 个）")
    # libxml2 drops whatever follows </html>; browsers keep it in the body
    text = _END_OF_PAGE.sub("", text)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReadError(source, "网页为空或无法解析") from exc
    if root is None:
        raise ReadError(source, "网页为空或无法解析")
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            if "depth" in error.message:
                raise ReadError(source, "网页结构嵌套过深（超过 256 层），无法读取")
            raise ReadError(source, "文件过大（网页中有超长的文本或标签）")
    for n, _ in enumerate(root.iter(), start=1):
        if n > MAX_ELEMENTS:
            raise ReadError(source, f"文件过大（网页元素超过 {MAX_ELEMENTS} 个）")
    walker = _Walker(source, limits)
    body = root.find("body")
    try:
        walker.walk(body if body is not None else root)
    except RecursionError as exc:
        raise ReadError(source, "网页结构嵌套过深，无法读取") from exc
    walker.flush()
    return Document(
        source=source, kind="html", blocks=walker.blocks, meta=_meta(root, walker.blocks)
    )
