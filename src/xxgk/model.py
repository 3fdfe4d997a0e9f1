"""The typed report model: what a report says, where each value stood, and findings.

``Report`` is what ``xxgk parse`` prints (contract §2).  Readers never build it; the
extractor does, and checks only read it.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import lru_cache
from itertools import starmap
from typing import TYPE_CHECKING, Any

from .anomalies import AnyAnomaly
from .format import VERSIONS, Kind, Version

if TYPE_CHECKING:
    from pydantic import BaseModel

Number = int | float


def fmt(n: Number | None) -> str:
    """A number as a clerk would write it: 3, 7730.28 (never 3.0)."""
    if n is None:
        return "空"
    if isinstance(n, float):
        if n.is_integer():
            return str(int(n))
        return f"{n:.6f}".rstrip("0").rstrip(".")
    return str(n)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(slots=True)
class CellSource:
    """Where one cell's value came from (fields the input cannot tell are None).

    raw: the text as printed (None when the cell was not found); start/end: character
    offsets in the decoded text; table/row/col: the grid position (0-based); bbox: the
    box on a PDF page (points); pixels: the box in a scan's page image (OCR).
    """

    raw: str | None = None
    page: int | None = None
    line: int | None = None
    start: int | None = None
    end: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    bbox: list[float] | None = None
    pixels: list[int] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as its values in order, rebuilt by __init__: a third of the default
        # (slots as a dict of names each time); a Report packs its cells further
        return CellSource, _cell_values(self)


_cell_values = operator.attrgetter(*(f.name for f in fields(CellSource)))


@dataclass
class Heading:
    """A section heading as found in the text."""

    number: int  # 1..6, the section it opens
    text: str
    line: int | None = None
    page: int | None = None
    paragraph: int | None = None  # the DOCX body paragraph
    standard: bool = True  # printed as 一、… (Chinese numeral and 、)
    order: int = 0  # position among the headings found


@lru_cache(maxsize=4096)
def _split_key(key: str) -> tuple[str, str, str]:
    t, r, c = key.split(".")
    return t, r, c


# descriptions of Report's fields in the JSON Schema (``xxgk schema``)
_DESCRIBE = {
    "format": '"2021", "2019" or null',
    "published": "ISO date YYYY-MM-DD",
    "year_from": "where the year was read: title, period, text (a guess) or data",
    "sections": "narrative text of each section found, by number",
    "text": "the report's full text as read",
    "signals": "format-version phrases found, by version",
}


@dataclass(kw_only=True)
class Report:
    """One annual report as read (contract §2).

    A plain dataclass: reading one report must not pay for a validation library's
    start-up.  Data files are validated where they are loaded (``api.load_structured``).
    """

    source: str
    format: str | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    year_from: str | None = None
    tables: dict[str, dict[str, dict[str, Number | None]]] = field(default_factory=dict)
    cells: dict[str, CellSource] = field(default_factory=dict)
    headings: list[Heading] = field(default_factory=list)
    sections: dict[int, str] = field(default_factory=dict)
    text: str = ""
    title: str | None = None
    signals: dict[str, list[str]] = field(default_factory=dict)
    anomalies: list[AnyAnomaly] = field(default_factory=list)
    # where each line of ``text`` stood, when ``text`` was joined from a document's
    # blocks (PDF, DOCX, HTML) rather than decoded from the file: (page, paragraph)
    places: list[tuple[int | None, int | None]] | None = None
    # the line of each top-level field (agency, year, published …) of a YAML data file
    field_lines: dict[str, int] = field(default_factory=dict)

    def value(self, key: str) -> Number | None:
        t, r, c = _split_key(key)
        return self.tables.get(t, {}).get(r, {}).get(c)

    def where(self, key: str) -> CellSource | None:
        return self.cells.get(key)

    @property
    def version(self) -> Version:
        return VERSIONS.get(self.format or "2021", VERSIONS["2021"])

    def contract_dict(self) -> dict[str, Any]:
        """The JSON object of ``xxgk parse --json`` (contract §2), plus extra fields."""
        return {
            "source": self.source,
            "format": self.format,
            "agency": self.agency,
            "year": self.year,
            "published": self.published,
            "year_from": self.year_from,
            "tables": {
                t: {r: dict(cs) for r, cs in rows.items()} for t, rows in self.tables.items()
            },
            "cells": {k: _set_fields(c) for k, c in self.cells.items()},
            "headings": [_all_fields(h) for h in self.headings],
            "sections": {str(k): v for k, v in self.sections.items()},
            "title": self.title,
        }

    # Pickling (a batch worker sends its Reports back to the caller's process): the
    # fields as they are, but the cells packed as their keys and one tuple of values
    # per cell (rebuilt by CellSource's __init__), a fifth of the default's work on
    # each side.  Copies are the default's (the same objects shared or copied).

    def __reduce__(self) -> tuple[Any, ...]:
        state = self.__dict__.copy()
        cells = state.get("cells")
        if (  # CellSources only, none under two keys (pickle would keep them one)
            type(cells) is dict
            and set(map(type, cells.values())) <= {CellSource}
            and len(set(map(id, cells.values()))) == len(cells)
        ):
            state["cells"] = (tuple(cells), tuple(map(_cell_values, cells.values())))
        return _report, (type(self), state)

    def __copy__(self) -> Report:
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def __deepcopy__(self, memo: dict[int, Any]) -> Report:
        import copy

        new = object.__new__(type(self))
        memo[id(self)] = new
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new


def _report(cls: type[Report], state: dict[str, Any]) -> Report:
    """A Report unpickled (``Report.__reduce__``)."""
    cells = state.get("cells")
    if type(cells) is tuple:
        keys, values = cells
        state["cells"] = dict(zip(keys, starmap(CellSource, values), strict=True))
    report = object.__new__(cls)
    report.__dict__.update(state)
    return report


def _all_fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _set_fields(obj: Any) -> dict[str, Any]:
    """A dataclass's fields that hold a value (lists copied)."""
    out = {}
    for f in fields(obj):
        v = getattr(obj, f.name)
        if v is not None:
            out[f.name] = list(v) if isinstance(v, list) else v
    return out


@dataclass
class Location:
    """Where a finding stands, in terms a person can find: the page and line of the
    file (the line of a YAML data file), the table's place as counted in the document
    (the n-th table, its row and column, 1-based), the cell as the report prints it,
    and the words printed around the value (a crawler dump's one long line)."""

    page: int | None = None
    line: int | None = None
    paragraph: int | None = None  # the DOCX body paragraph (第N段)
    table: int | None = None
    row: int | None = None
    col: int | None = None
    cell: str | None = None
    quote: str | None = None

    def describe(self) -> str:
        """The location in words: 第3页 第12行 第2个表格第5行第3列 原文“…”; "" when
        unknown (``line`` is left out where it is not a line a reader sees, e.g. the
        source line of a web page)."""
        bits = []
        if self.page:
            bits.append(f"第{self.page}页")
        if self.line:
            bits.append(f"第{self.line}行")
        if self.paragraph:
            bits.append(f"正文第{self.paragraph}段")
        if self.table is not None and self.row is not None:
            col = f"第{self.col}列" if self.col is not None else ""
            bits.append(f"第{self.table}个表格第{self.row}行{col}")
        if self.quote:
            bits.append(f"原文“{self.quote}”")
        return " ".join(bits)

    def __reduce__(self) -> Any:
        # pickled as its values in order (rebuilt by __init__), unless it holds more
        # than its fields
        if len(self.__dict__) != _LOCATION_FIELDS:
            return object.__reduce__(self)
        return Location, _location_values(self)


@dataclass
class Finding:
    """One problem a rule found (contract §3)."""

    code: str
    severity: Severity
    message: str
    cells: list[str] = field(default_factory=list)
    location: Location = field(default_factory=Location)
    suggestion: str = ""

    def contract_dict(self) -> dict[str, Any]:
        """The finding as ``xxgk check --json`` prints it (contract §3)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "cells": list(self.cells),
            "location": _all_fields(self.location),
            "suggestion": self.suggestion,
        }

    def key(self) -> tuple[str, tuple[str, ...]]:
        """A compact tuple for tests: (code, cells)."""
        return self.code, tuple(self.cells)

    def __reduce__(self) -> Any:
        # as Location's
        if len(self.__dict__) != _FINDING_FIELDS:
            return object.__reduce__(self)
        return Finding, _finding_values(self)


_LOCATION_FIELDS = len(fields(Location))
_location_values = operator.attrgetter(*(f.name for f in fields(Location)))
_FINDING_FIELDS = len(fields(Finding))
_finding_values = operator.attrgetter(*(f.name for f in fields(Finding)))


@dataclass
class CheckResult:
    source: str
    report: Report
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def contract_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "report": self.report.contract_dict(),
            "findings": [f.contract_dict() for f in self.findings],
        }


def tables_model(version: Version) -> type[BaseModel]:
    """A pydantic model of one version's tables, derived from the format data.

    Every table, row and cell may be left out (it is then null); unknown keys and values
    that are not numbers are refused.  Pydantic is imported here, when a data file is
    validated or a schema written, not when a report is read.
    """
    from pydantic import ConfigDict, Field, create_model

    py: dict[Kind, Any] = {Kind.COUNT: int, Kind.SIGNED: int, Kind.AMOUNT: float}
    table_models: dict[str, Any] = {}
    for table in version.tables:
        row_models: dict[str, Any] = {}
        for row in table.rows:
            fields: dict[str, Any] = {
                c.key: (py[c.kind] | None, Field(None, description=c.label)) for c in row.columns
            }
            model = create_model(
                f"T{version.key}_{table.key}_{row.key}",
                __config__=ConfigDict(extra="forbid"),
                **fields,
            )
            row_models[row.key] = (model, Field(default_factory=model, description=row.label))
        tm = create_model(
            f"T{version.key}_{table.key}", __config__=ConfigDict(extra="forbid"), **row_models
        )
        table_models[table.key] = (tm, Field(default_factory=tm, description=table.title))
    result: type[BaseModel] = create_model(
        f"Tables{version.key}", __config__=ConfigDict(extra="forbid"), **table_models
    )
    return result


def json_schema(version_key: str = "2021") -> dict[str, Any]:
    """JSON Schema of ``xxgk parse --json`` output with the tables of one version."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(Report).json_schema()
    for name, text in _DESCRIBE.items():
        schema["properties"][name]["description"] = text
    schema["properties"]["tables"] = tables_model(VERSIONS[version_key]).model_json_schema()
    schema["title"] = f"xxgk report (format {version_key})"
    return schema
