"""A Document flattened into physical rows of tokens, the extractor's working form."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..readers.document import Document, Paragraph, Where
from .values import is_value, split_trailing_values


@dataclass(slots=True)
class Tok:
    text: str
    where: Where
    col: int | None = None  # grid column, for grid tables
    merged: bool = False  # a copy of a merged cell
    loose: bool = False  # cut from running text: its separators (spaces, none) are unreliable


@dataclass(frozen=True)
class Line:
    """One physical row: a paragraph, or one row of a table.

    ``text`` is computed once, on first use: build ``toks`` before reading it.
    """

    index: int
    toks: list[Tok]
    grid_width: int | None = None  # set for rows of grid tables
    table: int | None = None  # index of the table block (None for paragraphs)
    paragraph: bool = False
    gap: int = 0  # blank lines before a paragraph in a text dump

    @cached_property
    def text(self) -> str:
        return " ".join(t.text for t in self.toks if not t.merged and t.text)

    def split_values(self) -> Line:
        """For a paragraph inside a table region: ``label 0 0 1`` as separate tokens."""
        if not self.paragraph or not self.toks:
            return self
        tok = self.toks[0]
        label, values = split_trailing_values(tok.text)
        if not values:
            return self
        toks = [Tok(label, tok.where)] if label else []
        toks += [Tok(v, tok.where, loose=True) for v in values]
        return Line(self.index, toks, None, None, True, self.gap)

    @property
    def all_values(self) -> bool:
        return bool(self.toks) and all(is_value(t.text) and t.text for t in self.toks)


def flatten(doc: Document) -> list[Line]:
    lines: list[Line] = []
    for bi, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            if block.text.strip():
                lines.append(
                    Line(len(lines), [Tok(block.text, block.where)], paragraph=True, gap=block.gap)
                )
            continue
        width = block.width if block.grid else None
        for row in block.rows:
            toks = [Tok(c.text, c.where, ci, c.merged) for ci, c in enumerate(row)]
            if not any(t.text for t in toks):
                continue
            lines.append(Line(len(lines), toks, width, bi))
    return lines
