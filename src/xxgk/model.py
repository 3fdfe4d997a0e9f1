"""The typed report model: what a report says, where each value stood, and findings.

``Report`` is what ``xxgk parse`` prints (contract §2).  Readers never build it; the
extractor does, and checks only read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from .anomalies import AnyAnomaly
from .format import VERSIONS, Kind, Version

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
    offsets in the decoded text; table/row/col: the grid position (0-based).
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


class Heading(BaseModel):
    """A section heading as found in the text."""

    number: int  # 1..6, the section it opens
    text: str
    line: int | None = None
    page: int | None = None
    standard: bool = True  # printed as 一、… (Chinese numeral and 、)
    order: int = 0  # position among the headings found


@lru_cache(maxsize=4096)
def _split_key(key: str) -> tuple[str, str, str]:
    t, r, c = key.split(".")
    return t, r, c


class Report(BaseModel):
    """One annual report as read (contract §2)."""

    source: str
    format: str | None = Field(None, description='"2021", "2019" or null')
    agency: str | None = None
    year: int | None = None
    published: str | None = Field(None, description="ISO date YYYY-MM-DD")
    year_from: str | None = Field(
        None, description="where the year was read: title, period, text (a guess) or data"
    )
    tables: dict[str, dict[str, dict[str, Number | None]]] = Field(default_factory=dict)
    cells: dict[str, CellSource] = Field(default_factory=dict)
    headings: list[Heading] = Field(default_factory=list)
    sections: dict[int, str] = Field(
        default_factory=dict, description="narrative text of each section found, by number"
    )
    text: str = Field("", description="the report's full text as read")
    title: str | None = None
    signals: dict[str, list[str]] = Field(
        default_factory=dict, description="format-version phrases found, by version"
    )
    anomalies: list[AnyAnomaly] = Field(default_factory=list)

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
        data = self.model_dump(mode="json", exclude={"text", "anomalies", "signals"})
        data["cells"] = {
            k: {f: v for f, v in c.items() if v is not None} for k, c in data["cells"].items()
        }
        data["sections"] = {str(k): v for k, v in self.sections.items()}
        return data


class Location(BaseModel):
    """Where a finding stands, in terms a person can find: the page and line of the
    file (the line of a YAML data file), the table's place as counted in the document
    (the n-th table, its row and column, 1-based), the cell as the report prints it,
    and the words printed around the value (a crawler dump's one long line)."""

    page: int | None = None
    line: int | None = None
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
        if self.table is not None and self.row is not None:
            col = f"第{self.col}列" if self.col is not None else ""
            bits.append(f"第{self.table}个表格第{self.row}行{col}")
        if self.quote:
            bits.append(f"原文“{self.quote}”")
        return " ".join(bits)


class Finding(BaseModel):
    """One problem a rule found (contract §3)."""

    code: str
    severity: Severity
    message: str
    cells: list[str] = Field(default_factory=list)
    location: Location = Field(default_factory=Location)
    suggestion: str = ""

    def key(self) -> tuple[str, tuple[str, ...]]:
        """A compact tuple for tests: (code, cells)."""
        return self.code, tuple(self.cells)


class CheckResult(BaseModel):
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
            "findings": [f.model_dump(mode="json") for f in self.findings],
        }


def tables_model(version: Version) -> type[BaseModel]:
    """A pydantic model of one version's tables, derived from the format data.

    Every table, row and cell may be left out (it is then null); unknown keys and values
    that are not numbers are refused.
    """
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
    schema = Report.model_json_schema()
    schema["properties"]["tables"] = tables_model(VERSIONS[version_key]).model_json_schema()
    schema["title"] = f"xxgk report (format {version_key})"
    return schema
