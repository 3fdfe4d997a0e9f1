"""A stored check brought back to the library's objects, and the evidence a finding
points at: the cell boxes on a PDF page, or the passage of the text around a value.

The database keeps ``CheckResult.contract_dict()``; ``result_of`` rebuilds the
dataclasses from it (for the findings workbook and for last year's report), and
``parsed`` reads the stored file again (for the text passage and the corrected
report), kept for a few files in this process."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from ..format import Version
from ..model import CellSource, CheckResult, Finding, Heading, Location, Report, Severity
from ..store.base import Store
from ..store.models import StoredReport

_CACHE: OrderedDict[str, Report] = OrderedDict()
_CACHE_SIZE = 8
_CACHE_LOCK = threading.Lock()
_CONTEXT = 60  # characters of text shown either side of a value
_MARKED = re.compile(r"【([^】]*)】")


def report_of(data: dict[str, Any]) -> Report:
    """A ``Report`` from its stored ``contract_dict()`` (no text: it is not stored)."""
    cells = {k: CellSource(**v) for k, v in (data.get("cells") or {}).items()}
    headings = [Heading(**h) for h in data.get("headings") or []]
    return Report(
        source=data.get("source") or "",
        format=data.get("format"),
        agency=data.get("agency"),
        year=data.get("year"),
        published=data.get("published"),
        year_from=data.get("year_from"),
        tables=data.get("tables") or {},
        cells=cells,
        headings=headings,
        sections={int(k): v for k, v in (data.get("sections") or {}).items()},
        title=data.get("title"),
    )


def finding_of(data: dict[str, Any]) -> Finding:
    return Finding(
        code=data["code"],
        severity=Severity(data["severity"]),
        message=data["message"],
        cells=list(data.get("cells") or []),
        location=Location(**(data.get("location") or {})),
        suggestion=data.get("suggestion") or "",
    )


def result_of(data: dict[str, Any]) -> CheckResult:
    report = report_of(data.get("report") or {})
    findings = [finding_of(f) for f in data.get("findings") or []]
    return CheckResult(source=data.get("source") or report.source, report=report, findings=findings)


def parsed(store: Store, row: StoredReport) -> Report:
    """The stored file read again (``api.parse_bytes``, the same Report the check
    had); raises ``ReadError``."""
    from .. import api

    key = row.file_sha256 + "\0" + row.filename
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    report = api.parse_bytes(store.file_path(row.file_sha256).read_bytes(), row.filename)
    with _CACHE_LOCK:
        _CACHE[key] = report
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return report


def is_pdf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(1024).lstrip().startswith(b"%PDF")


def passage(text: str, start: int, end: int) -> dict[str, str]:
    """The text around ``text[start:end]``: before, the value, after (line breaks
    and tabs shown as one space, so that a table's row reads as a row)."""
    a = max(0, start - _CONTEXT)
    b = min(len(text), end + _CONTEXT)

    def tidy(s: str) -> str:  # a table's cells one per line read better in a row
        return re.sub(r"\s+", " ", s)

    return {
        "before": ("…" if a > 0 else "") + tidy(text[a:start]),
        "value": text[start:end],
        "after": tidy(text[end:b]) + ("…" if b < len(text) else ""),
    }


def row_passage(
    text: str, version: Version, key: str, tables: dict[str, Any], raw: str | None
) -> dict[str, str] | None:
    """The value of a table cell in the text a Word file or a web page was read into,
    where a table row is one line: its label, then its non-blank values in column
    order.  None unless exactly one line has the row's label followed by as many
    values as the row has, the cell's one being its printed text."""
    t, r, c = key.split(".")
    try:
        row = version.table(t).row(r)
    except KeyError:
        return None
    values = (tables.get(t) or {}).get(r) or {}
    present = [col.key for col in row.columns if values.get(col.key) is not None]
    if c not in present or not raw:
        return None
    found: list[tuple[int, int]] = []
    for label in sorted(set(row.labels), key=len, reverse=True):
        for m in re.finditer(re.escape(label), text):
            end_of_line = text.find("\n", m.end())
            rest = text[m.end() : end_of_line if end_of_line >= 0 else len(text)]
            tokens = list(re.finditer(r"\S+", rest))
            if len(tokens) != len(present):
                continue
            token = tokens[present.index(c)]
            if token.group() == raw:
                found.append((m.end() + token.start(), m.end() + token.end()))
        if found:
            break
    if len(set(found)) != 1:
        return None
    start, end = found[0]
    return passage(text, start, end)


def quoted(quote: str) -> dict[str, str]:
    """A finding's quote (the value marked 【…】 by the check) as a passage."""
    m = _MARKED.search(quote)
    if m is None:
        return {"before": quote, "value": "", "after": ""}
    return {"before": quote[: m.start()], "value": m.group(1), "after": quote[m.end() :]}
