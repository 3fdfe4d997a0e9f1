"""Plain-text reader: text dumps of reports as people and crawlers save them.

Layouts it recognises line by line (they may be mixed in one file):

* tab rows — ``label\\t0\\t0\\t0`` (PDF or Word text export);
* one cell per line, indented by a tab, rows separated by blank lines, a cell's text
  sometimes continued on the next unindented line;
* pipe cells — ``text |`` lines with ``|``/``||||`` lines closing a row (web scrapes);
* Markdown pipe rows — ``| a | b | c |`` — and rows with inner separators only,
  ``a | b | c``: a row per line; a line of pipes only (``|``, ``||``) is that many
  empty cells (where empty cells are printed `` |``, a bare ``|`` only marks a row);
* a line holding only a tab inside a one-cell-per-line table is an empty cell; the
  blank lines before each paragraph are counted (``Paragraph.gap``);
* anything else is a paragraph.  Page footers (``- 3 -``, ``第 3 页``) are dropped and
  a form feed starts a new page.
"""

from __future__ import annotations

import re

from ..lazyre import Lazy
from .document import Cell, Document, Paragraph, ReadError, Table, Where
from .limits import DEFAULT_LIMITS, Limits

_FOOTER = re.compile(
    r"^\s*(?:[-—－–]\s*\d{1,3}\s*[-—－–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
_HEADING_START = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MAX_PENDING = 3  # lines of a pipe cell's text printed before its pipe line
_PIPES_ONLY = re.compile(r"^\s*\|+\s*$")
_SPACED_PIPE = re.compile(r"^[ \t]+\|+[ \t]*$", re.M)
_MD_RULE = re.compile(r"^(=+|-{3,}|\*{3,})$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_HEADING_LINE = re.compile(r"^#{1,6}\s+\S", re.M)
_MD_STRONG = re.compile(r"^\*\*(.+)\*\*$")  # a whole line in bold: **一、总体情况**


def decode(data: bytes, source: str) -> str:
    """Decode report text: UTF-8 (with or without BOM), UTF-16 (with a BOM, or told by
    its zero bytes), else GB18030.

    A few damaged bytes do not make a report unreadable: when the rest is clearly
    UTF-8 (or GB18030), they become U+FFFD, which TXT-006 reports with its line.
    """
    if not data.strip():
        raise ReadError(source, "文件为空")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, bad = _decode_counted(data, "utf-16")
        if text is None or bad > _tolerated(len(text)):
            raise ReadError(source, "UTF-16 编码损坏，无法解码")
        return text
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        text, bad = _decode_counted(data, utf16)
        if (
            text is not None
            and bad <= _tolerated(len(text))
            and _plausible(text)
            and _looks_like_text(text)
        ):
            return text
    if b"\x00" in data[:4096]:
        raise ReadError(source, "不是文本文件（含有二进制内容）")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _damaged(data)
        if text is None:
            raise ReadError(source, "无法识别文本编码（既不是 UTF-8 也不是 GBK/GB18030）") from None
    if not _looks_like_text(text):
        raise ReadError(source, "不是文本文件（内容无法识别为文字）")
    return text


def _tolerated(chars: int) -> int:
    """Undecodable places a text may have and still be read (with U+FFFD)."""
    return max(8, chars // 200)


def _decode_counted(data: bytes, encoding: str) -> tuple[str | None, int]:
    """The text decoded with replacement, and how many places were replaced."""
    try:
        text = data.decode(encoding, errors="replace")
        marker = "\ufffd".encode("utf-16-le" if encoding == "utf-16" else encoding)
        before = data.count(marker)  # U+FFFD printed in the file itself is not damage
    except (UnicodeError, LookupError):
        return None, 0
    return text, text.count("\ufffd") - before


def _damaged(data: bytes) -> str | None:
    """Text that is clearly UTF-8, or else GB18030, apart from a few bad bytes."""
    utf8, bad8 = _decode_counted(data.removeprefix(b"\xef\xbb\xbf"), "utf-8")
    if utf8 is not None:
        multibyte = len(utf8) - len(utf8.encode("ascii", "ignore")) - bad8
        if bad8 <= _tolerated(multibyte) and multibyte > 4 * bad8:
            return utf8
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    gb, bad_gb = _decode_counted(data, "gb18030")
    if gb is not None and bad_gb <= _tolerated(len(gb)):
        return gb
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the zero bytes of ASCII characters (digits,
    spaces, line ends) stand at one parity only, as in UTF-16 text without a BOM."""
    head = data[:8192]
    if len(head) < 16 or b"\x00" not in head:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    if odd >= 8 and odd > 3 * even:
        return "utf-16-le"
    if even >= 8 and even > 3 * odd:
        return "utf-16-be"
    return None


_USUAL = Lazy(r"[\t\n\r\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _plausible(text: str) -> bool:
    """Most characters are ASCII, CJK ideographs or CJK punctuation (not bytes read as
    random code points)."""
    sample = text[:8000]
    return len(_USUAL.findall(sample)) >= 0.9 * len(sample)


_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _looks_like_text(text: str) -> bool:
    sample = text[:20000]
    return len(_BAD_CHARS.findall(sample)) <= max(2, len(sample) // 100)


class _Builder:
    """Collects blocks while walking the lines."""

    def __init__(self) -> None:
        self.blocks: list[Paragraph | Table] = []
        self.table: Table | None = None
        self.row: list[Cell] | None = None  # the open row of the current table
        # pipe layout: lines without a pipe that may start the next pipe line's first
        # cell (a label broken over lines); paragraphs when the table ends instead
        self.pending: list[Paragraph] = []
        self.n_tables = 0

    def cell_where(self, page: int | None, line: int, start: int, end: int) -> Where:
        assert self.table is not None
        return Where(
            page=page,
            line=line,
            start=start,
            end=end,
            table=self.n_tables - 1,
            row=len(self.table.rows) - (0 if self.row is None else 1),
            col=0 if self.row is None else len(self.row),
        )

    def ensure_table(self, page: int | None, line: int) -> Table:
        if self.table is None:
            self.table = Table(rows=[], where=Where(page=page, line=line, table=self.n_tables))
            self.n_tables += 1
            self.blocks.append(self.table)
        return self.table

    def open_row(self, page: int | None, line: int) -> list[Cell]:
        table = self.ensure_table(page, line)
        if self.row is None:
            self.row = []
            table.rows.append(self.row)
        return self.row

    def close_row(self) -> None:
        if self.row is not None and not self.row and self.table is not None:
            self.table.rows.pop()
        self.row = None

    def close_table(self) -> None:
        self.close_row()
        if self.table is not None and not self.table.rows:
            self.blocks.remove(self.table)
            self.n_tables -= 1
        self.table = None
        self.blocks.extend(self.pending)
        self.pending.clear()

    def add_cell(self, text: str, page: int | None, line: int, start: int, end: int) -> None:
        row = self.open_row(page, line)
        row.append(Cell(text, self.cell_where(page, line, start, end)))

    def extend_last_cell(self, text: str, end: int) -> None:
        assert self.row
        last = self.row[-1]
        joined = _join(last.text, text)
        where = Where(
            page=last.where.page,
            line=last.where.line,
            start=last.where.start,
            end=end,
            table=last.where.table,
            row=last.where.row,
            col=last.where.col,
        )
        self.row[-1] = Cell(joined, where)


def _join(a: str, b: str) -> str:
    if a and b and _is_cjk(a[-1]) and _is_cjk(b[0]):
        return a + b
    return f"{a} {b}".strip() if a else b


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _clean(text: str) -> str:
    return " ".join(text.replace("\u3000", " ").replace("\xa0", " ").split())


def _pipe_style(text: str) -> str:
    """How the file's rows with several pipe-separated cells are written: ``outer``
    (``| a | b |``), ``trailing`` (``a | b |``) or ``inline`` (``a | b``)."""
    counts = {"outer": 0, "trailing": 0, "inline": 0}
    for line in text.split("\n", 20000)[:20000]:
        s = line.strip()
        if s.count("|") < 2 or not s.strip("| "):
            continue
        if s.startswith("|"):
            counts["outer" if s.endswith("|") else "inline"] += 1
        else:
            counts["trailing" if s.endswith("|") else "inline"] += 1
    return max(counts, key=lambda k: counts[k])


def read_text(
    data: bytes, source: str, limits: Limits = DEFAULT_LIMITS, kind: str = "txt"
) -> Document:
    if len(data) > limits.max_bytes:
        raise ReadError(
            source,
            f"文件过大（{len(data) // 1_000_000} MB，上限 {limits.max_bytes // 1_000_000} MB）",
        )
    if len(data) > 4 * limits.max_text_chars:  # more characters than allowed, whatever the code
        raise ReadError(
            source,
            f"文本过长（{len(data) // 1_000_000} MB，上限 {limits.max_text_chars:,} 个字符）",
        )
    text = decode(data, source)
    check_size(text, source, limits)
    return parse_text(text, source, kind)


def check_size(text: str, source: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a text longer than a report can be (characters, lines, table cells), so
    that reading and checking it stay bounded in time and memory."""
    lines = text.count("\n") + 1
    if lines > limits.max_lines:
        raise ReadError(source, f"文本行数过多（{lines:,} 行，上限 {limits.max_lines:,} 行）")
    if len(text) > limits.max_text_chars:
        raise ReadError(
            source, f"文本过长（{len(text):,} 个字符，上限 {limits.max_text_chars:,} 个）"
        )
    cells = text.count("\t") + text.count("|")  # every table cell needs a tab or a pipe
    if cells > limits.max_cells:
        raise ReadError(source, f"表格单元格过多（约 {cells:,} 个，上限 {limits.max_cells:,} 个）")


def parse_text(text: str, source: str, kind: str = "txt") -> Document:
    """Split decoded text into paragraphs and tables (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    b = _Builder()
    paged = "\f" in text
    page: int | None = 1 if paged else None
    offset = 0
    mode = ""  # "cells" (one cell per line), "tabs", "pipe", "md" while inside a table
    after_cell = False  # the previous line was a one-cell-per-line cell
    pending = b.pending
    pages_seen = 1
    blanks = 0  # blank lines since the last line with text
    spaced_blanks = _SPACED_PIPE.search(text) is not None
    style = _pipe_style(text)
    markdown = kind == "md" or bool(_MD_HEADING_LINE.search(text))
    for lineno, raw in enumerate(text.split("\n"), start=1):
        start = offset
        offset += len(raw) + 1
        if "\f" in raw:
            page = (page or 1) + raw.count("\f")
            pages_seen = page
            raw = raw.replace("\f", "")
        stripped = raw.strip()
        end = start + len(raw)
        if not stripped and mode == "cells" and "\t" in raw:
            b.add_cell("", page, lineno, start + raw.index("\t") + 1, end)  # a blank cell
            continue
        if not stripped:
            if mode in ("cells", "md", "tabs"):
                b.close_row()
            after_cell = False
            blanks += 1
            continue
        if _FOOTER.match(stripped):
            continue
        gap, blanks = blanks, 0
        # --- pipe cells: "text |" and "|||" lines
        if _PIPES_ONLY.match(raw):
            # "|", "||": that many empty cells (a blank cell, or fillers of merged ones);
            # where empty cells are printed " |", a bare "|" only marks a row
            if mode != "pipe":
                b.close_table()
                mode = "pipe"
            if not spaced_blanks or raw[0].isspace():
                for _ in range(stripped.count("|")):
                    b.add_cell("", page, lineno, start, end)
            after_cell = False
            continue
        outer = stripped.startswith("|") and stripped.count("|") >= 2
        if style == "trailing" and outer and stripped.endswith("|"):
            outer = False  # "| 165 | 9 |" among "a | b |" rows: its first cell is empty
        if style == "inline":
            outer = False  # among "a | b" rows, a pipe at either end closes an empty cell
        inline = "|" in stripped[1:-1] and (style == "inline" or not stripped.endswith("|"))
        if (outer and style != "inline") or inline:
            # a row per line: "| a | b |" (Markdown) or "a | b | c" (inner separators only)
            if _MD_SEPARATOR.match(stripped):
                continue
            if mode != "md":
                b.close_table()
                mode = "md"
            b.close_row()
            b.open_row(page, lineno)
            pos = raw.index("|") + 1 if outer else len(raw) - len(raw.lstrip())
            # without outer pipes, a pipe at either end closes an empty cell
            for part in (stripped.strip("|") if outer else stripped).split("|"):
                cstart = start + raw.find(part, pos) if part else start + pos
                b.add_cell(_clean(part), page, lineno, cstart, cstart + len(part))
                pos = max(pos, cstart - start + len(part) + 1)
            b.close_row()
            after_cell = False
            continue
        if stripped.endswith("|") and (
            mode == "pipe" or b.row is not None or raw.rstrip().endswith(" |")
        ):
            if mode != "pipe":
                b.close_table()
                mode = "pipe"
            body = stripped[:-1].rstrip()
            # "a | b |" on one line: several cells
            parts = [p.strip() for p in body.split("|")]
            for p in reversed(pending):
                parts[0] = _join(p.text, parts[0])
            pending.clear()
            for part in parts:
                b.add_cell(_clean(part), page, lineno, start, end)
            after_cell = False
            continue
        if mode == "pipe" and b.row is not None and not _HEADING_START.match(stripped):
            if len(pending) >= _MAX_PENDING:
                b.close_table()
                mode = ""
            else:
                where = Where(page=page, line=lineno, start=start, end=end)
                pending.append(Paragraph(_clean(stripped), where, gap))
                continue
        # --- tab layouts
        if "\t" in raw:
            fields = raw.split("\t")
            if raw.startswith("\t") and len(fields) == 2:
                # one cell per line
                if mode != "cells":
                    b.close_table()
                    mode = "cells"
                cstart = start + 1
                b.add_cell(_clean(fields[1]), page, lineno, cstart, end)
                after_cell = True
                continue
            if mode != "tabs":
                b.close_table()
                mode = "tabs"
            b.close_row()
            while fields and not fields[-1].strip():
                fields.pop()
            pos = start
            b.open_row(page, lineno)
            for field in fields:
                b.add_cell(_clean(field), page, lineno, pos, pos + len(field))
                pos += len(field) + 1
            b.close_row()
            after_cell = False
            continue
        if mode == "cells" and after_cell and b.row and not _HEADING_START.match(stripped):
            b.extend_last_cell(_clean(stripped), end)
            continue
        # Markdown marks, also in a .txt that a converter wrote as Markdown
        if kind == "md" or markdown:
            if _MD_RULE.match(stripped):
                continue  # a setext underline (=== / ---) or a thematic break
            stripped = _MD_STRONG.sub(r"\1", _MD_HEADING.sub("", stripped))
        # --- a paragraph
        b.close_table()
        mode = ""
        after_cell = False
        b.blocks.append(
            Paragraph(_clean(stripped), Where(page=page, line=lineno, start=start, end=end), gap)
        )
    b.close_table()
    return Document(source=source, kind=kind, blocks=b.blocks, pages=pages_seen, text=text)
