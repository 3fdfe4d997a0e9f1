"""The Document every reader returns: paragraphs and table grids in document order.

A reader knows nothing of the statutory format.  It only says what text stood where:
each paragraph and each table cell carries a :class:`Where` (page, line, character
offsets, table/row/column, box) so that every value xxgk reports can be traced back.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Where:
    """Where a piece of text stood in the source. Fields the input cannot tell are None."""

    page: int | None = None  # 1-based page (PDF, or form feeds in text)
    line: int | None = None  # 1-based line in the decoded text
    start: int | None = None  # character offset of the first character in the decoded text
    end: int | None = None  # character offset after the last character
    table: int | None = None  # 0-based index of the table in the document
    row: int | None = None  # 0-based row in that table's grid
    col: int | None = None  # 0-based column in that table's grid
    bbox: tuple[float, float, float, float] | None = None  # PDF box x0, top, x1, bottom
    para: int | None = None  # 1-based paragraph of the body text outside tables (DOCX)
    # scans read by OCR: the box in the page image (pixels x0, top, x1, bottom), the
    # recogniser's confidence in a number (0-1) and, read with doubt, what it may be
    pixels: tuple[int, int, int, int] | None = None
    conf: float | None = None
    alts: tuple[str, ...] | None = None
    # a text layer's number in doubt for its layout ("border": it meets the next cell's
    # number on the ruling between them; "clipped": a glyph of it is cut by its clip path;
    # "shifted": its row's text runs out past the table's right side beside another number)
    doubt: str | None = None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name in self.__slots__:
            value = getattr(self, name)
            if value is not None:
                out[name] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass(slots=True)
class Cell:
    """One grid position of a table.

    A merged cell is expanded over every position it covers; the copies other than the
    top-left one have ``merged=True`` and the same text and ``where`` as the original,
    so a consumer can tell a span from a repeated value.
    """

    text: str
    where: Where
    merged: bool = False
    colspan: int = 1
    rowspan: int = 1


@dataclass(slots=True)
class Paragraph:
    """A paragraph; ``gap`` counts the blank lines before it in a text dump (where a
    table printed one cell per paragraph, an extra blank line is an empty cell)."""

    text: str
    where: Where
    gap: int = 0


@dataclass(slots=True)
class Table:
    """A table as rows of cells.

    ``grid`` is True when column positions are reliable (HTML, DOCX, ruled PDF tables):
    every row then has the same number of positions.  Text dumps give ``grid=False``:
    a row is the cells in reading order, and blank cells may be missing.
    """

    rows: list[list[Cell]]
    where: Where
    grid: bool = False

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Paragraph | Table


def placed(blocks: list[Block], inserts: dict[int, list[Block]]) -> list[Block]:
    """``blocks`` with ``inserts[i]`` put before ``blocks[i]`` (``inserts[len(blocks)]``
    at the end), and the tables numbered again in document order (``where.table`` of
    each table and its cells)."""
    out: list[Block] = []
    for i in range(len(blocks) + 1):
        out += inserts.get(i, [])
        if i < len(blocks):
            out.append(blocks[i])
    for n, table in enumerate(b for b in out if isinstance(b, Table)):
        table.where.table = n
        for row in table.rows:
            for cell in row:
                cell.where.table = n
    return out


@dataclass(slots=True, frozen=True)
class Document:
    source: str  # the path or name given by the user
    kind: str  # txt, html, docx, pdf, md, image
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    text: str = ""  # the decoded full text that line/start/end refer to (text inputs)
    meta: dict[str, str] = field(default_factory=dict)  # e.g. page metadata 发布时间

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


class ReadError(Exception):
    """The input cannot be read at all. The message is one clear line for the user."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
