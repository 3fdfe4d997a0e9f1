"""What the extractor saw that a rule turns into a finding: one type per kind.

Each anomaly names the cells it concerns, the raw text and where it stood; the fields
particular to its kind are named, so a rule reads ``a.got`` rather than parsing a
string back apart.  ``kind`` tells the types apart in JSON and in filters.

Plain dataclasses (not frozen, which costs start-up: ``xxgk check`` of one file is a
new process each time); an anomaly is never changed once made.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Literal


@dataclass(kw_only=True, slots=True)
class Anomaly:
    """Common fields of every anomaly."""

    cells: list[str] = field(default_factory=list)
    raw: str | None = None  # the text as printed
    page: int | None = None
    line: int | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as its values in field order (a batch worker sends them back), not
        # as a dict of slot names each time: about 40 % less work on both sides
        cls = type(self)
        return _anomaly, (cls, _pickling(cls)[0](self))


@dataclass(kw_only=True, slots=True)
class Blank(Anomaly):
    """A cell left blank or filled with "/", "-", "—", "无"."""

    kind: Literal["blank"] = "blank"


Problem = Literal["text", "decimal", "negative"]


@dataclass(kw_only=True, slots=True)
class BadValue(Anomaly):
    """Text, a decimal count or a negative count where a number belongs."""

    kind: Literal["bad_value"] = "bad_value"
    problem: Problem = "text"


@dataclass(kw_only=True, slots=True)
class RowShape(Anomaly):
    """A row with fewer or more values than the format gives it columns."""

    kind: Literal["row_shape"] = "row_shape"
    label: str = ""
    got: int = 0
    want: int = 0


@dataclass(kw_only=True, slots=True)
class Placed(Anomaly):
    """A short row whose numbers the narrative placed; ``cells`` are the ones left null."""

    kind: Literal["placed"] = "placed"
    label: str = ""
    got: int = 0
    want: int = 0
    placed: str = ""  # 本年制发件数 34、…


@dataclass(kw_only=True, slots=True)
class ExtraRow(Anomaly):
    """A row of the other format version (e.g. a single （六）其他处理 in 2021)."""

    kind: Literal["extra_row"] = "extra_row"
    row: str = ""  # the row's key in the other version, e.g. other
    values: list[str] = field(default_factory=list)  # the row's value cells as printed


@dataclass(kw_only=True, slots=True)
class UnknownRow(Anomaly):
    """A row that neither version has (其他主动公开文件, （八）移送其他机关办理)."""

    kind: Literal["unknown_row"] = "unknown_row"
    values: str = ""  # the values printed beside it


@dataclass(kw_only=True, slots=True)
class ExtraColumn(Anomaly):
    """A column the format does not have (法人或其他组织小计)."""

    kind: Literal["extra_column"] = "extra_column"
    name: str = ""


@dataclass(kw_only=True, slots=True)
class MissingTable(Anomaly):
    kind: Literal["missing_table"] = "missing_table"
    title: str = ""


@dataclass(kw_only=True, slots=True)
class MissingRow(Anomaly):
    kind: Literal["missing_row"] = "missing_row"
    label: str = ""


@dataclass(kw_only=True, slots=True)
class GluedSplit(Anomaly):
    """Glued digits split in exactly one way by the table's arithmetic."""

    kind: Literal["split"] = "split"
    values: str = ""  # the split, e.g. 26,48,0


@dataclass(kw_only=True, slots=True)
class GluedAmbiguous(Anomaly):
    """Glued digits with several splits (or none): left null."""

    kind: Literal["ambiguous"] = "ambiguous"
    candidates: str = ""  # the splits that fit, or why none was tried


@dataclass(kw_only=True, slots=True)
class OcrDoubt(Anomaly):
    """A number of a scan the recogniser read with doubt: ``candidates`` are what it may
    be (its own reading first); ``value`` the one the table's arithmetic decided, or
    None (the cell is left null)."""

    kind: Literal["ocr_doubt"] = "ocr_doubt"
    candidates: list[str] = field(default_factory=list)
    value: str | None = None
    # a number of a PDF's text layer wrapped over lines in a narrow column (not read from
    # pixels): which piece goes on it is in doubt, not its digits
    wrapped: bool = False
    # a number of a PDF's text layer in doubt for where it stands ("border": it meets the
    # next cell's number on the ruling between them; "clipped": cut by its clip path;
    # "shifted": its row's text stands right of its columns; Where.doubt)
    layout: str = ""


@dataclass(kw_only=True, slots=True)
class Normalized(Anomaly):
    """A number typed the way offices type it (１０ in full-width digits, 1,200 with a
    thousands separator) in a data file, read as ``value``."""

    kind: Literal["normalized"] = "normalized"
    value: float = 0


@dataclass(kw_only=True, slots=True)
class Traditional(Anomaly):
    """The text was printed in traditional characters and read through OpenCC."""

    kind: Literal["traditional"] = "traditional"


@dataclass(kw_only=True, slots=True)
class Revised(Anomaly):
    """The report as published still shows its revisions: text struck out on a PDF page
    (``how`` "struck", read as deleted; ``raw`` what was struck), or a Word document's
    tracked changes not accepted (``how`` "tracked", read as revised; ``count`` of them)."""

    kind: Literal["revised"] = "revised"
    how: Literal["struck", "tracked"] = "struck"
    count: int = 0


AnyAnomaly = (
    Blank
    | BadValue
    | RowShape
    | Placed
    | ExtraRow
    | UnknownRow
    | ExtraColumn
    | MissingTable
    | MissingRow
    | GluedSplit
    | GluedAmbiguous
    | OcrDoubt
    | Normalized
    | Traditional
    | Revised
)


_PICKLING: dict[type[Anomaly], tuple[Callable[[Any], tuple[Any, ...]], Callable[..., Any]]] = {}


def _pickling(cls: type[Anomaly]) -> tuple[Callable[[Any], tuple[Any, ...]], Callable[..., Any]]:
    """How an anomaly type is pickled: its fields' values read in order, and a function
    taking them positionally that makes the object (set slot by slot, as ``__init__``
    does but without keywords: made once per type on first use, like dataclasses' own
    methods)."""
    got = _PICKLING.get(cls)
    if got is None:
        names = [f.name for f in fields(cls)]  # always several: cells, raw, page …
        body = "".join(f"    o.{n} = {n}\n" for n in names)
        code = f"def make({', '.join(names)}):\n    o = new(cls)\n{body}    return o\n"
        space: dict[str, Any] = {"new": object.__new__, "cls": cls}
        exec(code, space)  # the field names of our own dataclasses
        got = _PICKLING[cls] = (operator.attrgetter(*names), space["make"])
    return got


def _anomaly(cls: type[Anomaly], values: tuple[Any, ...]) -> Anomaly:
    """An anomaly unpickled (``Anomaly.__reduce__``)."""
    made: Anomaly = _pickling(cls)[1](*values)
    return made
