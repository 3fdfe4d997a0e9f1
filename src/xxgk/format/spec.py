"""Types that describe the statutory format: tables, rows, columns, identities.

Nothing here knows about files or checks; it only names things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

# the numerals headings and groups print: NUMERALS[n - 1] is n (一 … 十)
NUMERALS = "一二三四五六七八九十"


class Kind(StrEnum):
    """What a cell holds."""

    COUNT = "count"  # a whole number >= 0
    AMOUNT = "amount"  # a decimal >= 0 (万元, 元)
    SIGNED = "signed"  # a whole number that may be negative (2019 本年增/减)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    kind: Kind = Kind.COUNT
    cues: tuple[str, ...] = ()  # words a narrative uses when it states this column's number

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    columns: tuple[Column, ...]
    variants: tuple[str, ...] = ()
    group: str | None = None  # merged group label printed beside the row, e.g. （三）不予公开
    caption: str | None = None  # t2 only: the 第二十条第（x）项 caption of its block
    role: str = "input"  # input | leaf | total
    short: str = ""  # a short name for messages, e.g. 本年新收; the label when empty
    shown: str = ""  # how a person names the row, e.g. 一、本年新收 (see ``display``)

    @property
    def name(self) -> str:
        return self.short or self.label

    @property
    def display(self) -> str:
        """The row as a person finds it in the printed table: its own number and words,
        preceded by its group when the number alone repeats (（三）不予公开 1.属于国家秘密)."""
        own = self.shown or self.short or self.label
        if self.group and not own.startswith(("（", "(")) and self.group[:1] in "（(":
            return f"{self.group} {own}"
        return own

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(f"{self.key} has no column {key}")


@dataclass(frozen=True)
class Table:
    key: str  # t2, t3, t4
    section: int  # the report section (二, 三, 四) that holds it
    title: str
    rows: tuple[Row, ...]
    note: str | None = None  # printed note such as the 勾稽关系 sentence

    @property
    def part(self) -> str:
        """The report part that holds the table: 第三部分."""
        return f"第{NUMERALS[self.section - 1]}部分"

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"{self.key} has no row {key}")

    def cell_keys(self) -> list[str]:
        return [f"{self.key}.{r.key}.{c.key}" for r in self.rows for c in r.columns]


@dataclass(frozen=True)
class Identity:
    """A sum the format prescribes: sum(left) == sum(right)."""

    code: str  # the rule that checks it (SUM-001 …)
    left: tuple[str, ...]
    right: tuple[str, ...]
    about: str  # short Chinese description of the place, e.g. 第三部分表格自然人列

    @cached_property
    def cells(self) -> tuple[str, ...]:
        return (*self.left, *self.right)

    @cached_property
    def cell_set(self) -> frozenset[str]:
        return frozenset(self.cells)


@dataclass(frozen=True)
class Section:
    number: int
    title: str  # the standard heading text without its numeral
    keywords: tuple[str, ...]  # any of them identifies the heading

    @property
    def heading(self) -> str:
        """The standard heading as printed: 一、总体情况."""
        return f"{NUMERALS[self.number - 1]}、{self.title}"


@dataclass(frozen=True)
class Version:
    key: str  # "2021" or "2019"
    name: str
    document: str  # the notice that issued it
    tables: tuple[Table, ...]
    signals: tuple[str, ...]  # phrases that only this version prints
    identities: tuple[Identity, ...] = field(default=())

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(f"format {self.key} has no table {key}")

    def cell_keys(self) -> list[str]:
        return [k for t in self.tables for k in t.cell_keys()]

    def printed_labels(self) -> frozenset[str]:
        """Every label its tables print: rows, captions and columns, with variants."""
        out: set[str] = set()
        for t in self.tables:
            for row in t.rows:
                out.update(row.labels)
                if row.caption:
                    out.add(row.caption)
                for col in row.columns:
                    out.update(col.labels)
        return frozenset(out)

    def kind(self, cell: str) -> Kind:
        t, r, c = cell.split(".")
        return self.table(t).row(r).column(c).kind

    def label(self, cell: str) -> str:
        """A short Chinese name of a cell for messages: 行 + 列."""
        t, r, c = cell.split(".")
        row = self.table(t).row(r)
        col = row.column(c)
        return f"“{row.name}”行“{col.label}”列"

    def display(self, cell: str) -> str:
        """How a person names a cell, as the report prints it: 第三部分 一、本年新收 · 总计.

        Every human message names cells this way; keys (t3.new.total) stay in JSON.
        """
        t, r, c = cell.split(".")
        table = self.table(t)
        row = table.row(r)
        return f"{table.part} {row.display} · {row.column(c).label}"
