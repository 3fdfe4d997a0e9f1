"""The library's face: read, parse, check.  The CLI and the web app call only this."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from . import checks
from .anomalies import BadValue, Blank, Problem
from .extract import extract
from .extract.values import parse_value
from .format import SECTIONS, VERSIONS, Kind, Version
from .model import CheckResult, Heading, Number, Report, tables_model
from .readers import Document, Limits, ReadError, read, read_file
from .readers.limits import DEFAULT_LIMITS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from concurrent.futures import Executor

    from .batch import Batch, Outcome
    from .repair import Repair

__all__ = [
    "ReadError",
    "check",
    "check_many",
    "check_report",
    "load_structured",
    "parse",
    "parse_bytes",
    "read",
]

_STRUCTURED = (".yaml", ".yml", ".json")
_WHY = {
    "int_parsing": "应为整数",
    "int_from_float": "应为整数（件数不能有小数）",
    "float_parsing": "应为数字",
    "int_type": "应为整数",
    "float_type": "应为数字",
    "extra_forbidden": "不是本版格式的栏目",
    "model_type": "应为一组栏目（键: 值）",
}


def parse(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Report:
    """Read a report file (any supported type, or xxgk's YAML/JSON form) into a Report."""
    p = Path(path)
    if p.suffix.lower() in _STRUCTURED:
        return load_structured(p, limits)
    return parse_document(read(p, limits))


def parse_document(doc: Document) -> Report:
    report = extract(doc)
    from .checks.fmt import not_a_report

    why = not_a_report(report)
    if why is not None:
        raise ReadError(report.source, why)
    return report


def check(path: str | Path, previous: str | Path | None = None) -> CheckResult:
    report = parse(path)
    prev = parse(previous) if previous is not None else None
    return check_report(report, prev)


def check_report(
    report: Report,
    previous: Report | None = None,
    *,
    peers: Sequence[Report] = (),
    approved: Report | None = None,
) -> CheckResult:
    """Every rule on ``report``; ``previous``: the same agency's report of the year
    before (XYR-*, TXT-004); ``peers``: other agencies' reports of the same year
    (TXT-004); ``approved``: the approved draft of which ``report`` is the published
    file (FIL-001)."""
    findings = checks.run(report, previous, peers=peers, approved=approved)
    return CheckResult(source=report.source, report=report, findings=findings)


def load_structured(
    path: Path, limits: Limits = DEFAULT_LIMITS, data: bytes | None = None
) -> Report:
    """A report written as data (``xxgk new`` YAML, or ``xxgk parse --json`` output).

    Bounded like every reader: the file's size, its nesting and (YAML aliases
    expanded) its number of values are limited (``readers.limits``); a value that is
    not a finite number of at most ``max_digits`` digits is NUM-001, never output.
    """
    from pydantic import ValidationError

    from .structured import load_data, meta_fields

    source = str(path)
    raw_bytes = read_file(path, limits.max_structured_bytes) if data is None else data
    data = load_data(raw_bytes, source, path.suffix.lower(), limits)
    if isinstance(data, dict) and "report" in data and "findings" in data:
        data = data["report"]  # the output of `xxgk check --json`
    if not isinstance(data, dict):
        raise ReadError(source, "内容应为一个对象（format、agency、year、tables …）")
    agency, year, published, sections = meta_fields(data, source)
    fmt = str(data.get("format") or "2021")
    if fmt not in VERSIONS:
        raise ReadError(source, f"format 应为 2021 或 2019，而不是 {fmt!r}")
    raw_tables = data.get("tables") or {}
    from .render.data import typed_numbers

    typed = typed_numbers(VERSIONS[fmt], raw_tables)
    bad, kept = _bad_values(VERSIONS[fmt], raw_tables)
    try:
        tables = tables_model(VERSIONS[fmt]).model_validate(raw_tables)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        why = _WHY.get(first["type"], first["msg"])
        raise ReadError(
            source, f"表格数据有误：{loc} {why}（值：{repr(first.get('input'))[:60]}）"
        ) from None
    values = tables.model_dump()
    for key, number in kept.items():
        tk, rk, ck = key.split(".")
        values[tk][rk][ck] = number
    report = Report(
        source=source,
        format=fmt,
        agency=agency,
        year=year,
        year_from="data",
        published=published,
        tables=values,
        headings=[
            Heading(number=s.number, text=s.title, standard=True, order=s.number - 1)
            for s in SECTIONS
        ],
        sections=sections,
        text="\n".join(sections.values()),
    )
    report.anomalies.extend(bad)
    report.anomalies.extend(typed)
    if path.suffix.lower() != ".json":
        from .render.data import locate

        locate(report, raw_bytes)  # a finding names the line to edit
    refused = {a.cells[0] for a in bad if a.problem == "text"}
    for t in VERSIONS[fmt].tables:
        for r in t.rows:
            for c in r.columns:
                if (
                    values[t.key][r.key][c.key] is None
                    and f"{t.key}.{r.key}.{c.key}" not in refused
                ):
                    report.anomalies.append(Blank(cells=[f"{t.key}.{r.key}.{c.key}"]))
    return report


def _bad_values(version: Version, tables: Any) -> tuple[list[BadValue], dict[str, Number]]:
    """Values of a data file that a report's table could not hold, as the text path sees
    them (NUM-001): text (left null), and negative or decimal counts (kept, as printed).

    The cells are set to null in ``tables`` so that the model validates the rest;
    the returned numbers go back in afterwards.  Unknown rows and columns are left for
    the model to refuse.
    """
    from .structured import table_entries

    bad: list[BadValue] = []
    kept: dict[str, Number] = {}
    for key, c, cols in table_entries(version, tables):
        value = cols[c.key]
        problem, number = _value_problem(value, c.kind)
        if number is not None and not problem:
            cols[c.key] = number
            continue
        if problem is None:  # a blank marker such as "/": null, NUM-002
            cols[c.key] = None
            continue
        raw = str(value).lower() if isinstance(value, bool) else str(value)
        if len(raw) > 40:
            raw = raw[:40] + "…"
        bad.append(BadValue(cells=[key], raw=raw, problem=problem or "text"))
        cols[c.key] = None
        if number is not None:
            kept[key] = number
    return bad, kept


def _value_problem(value: object, kind: Kind) -> tuple[Problem | Literal[""] | None, Number | None]:
    """("", n) for a valid number, (problem, n or None) for a bad one, (None, None) for
    a blank marker."""
    decimal = False
    number: Number
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return "text", None
    if isinstance(value, str):
        v = parse_value(value)
        if v.blank:
            return None, None
        if v.number is None:
            return "text", None
        number, decimal = v.number, v.decimal
    else:
        number = value
    if isinstance(number, float) and not math.isfinite(number):
        return "text", None  # NaN, Infinity, 1e400: not a figure (and not valid JSON)
    if abs(number) >= 10**DEFAULT_LIMITS.max_digits:
        return "text", None  # more digits than any count or amount has
    if kind is Kind.AMOUNT:
        return ("negative" if number < 0 else ""), number
    if decimal or isinstance(number, float):
        return "decimal", number
    if kind is Kind.COUNT and number < 0:
        return "negative", number
    return "", number


# --- what the command line (and the web app) need beyond parse/check --------------


def parse_bytes(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Report:
    """``parse`` of a file's contents already read (a batch worker, an upload): the
    same Report and the same errors as ``parse`` of a file named ``source``."""
    from .readers import detect, read_bytes

    p = Path(source)
    structured = p.suffix.lower() in _STRUCTURED
    limit = limits.max_structured_bytes if structured else limits.max_bytes
    if len(data) > limit:
        mb = 1024 * 1024
        raise ReadError(source, f"文件过大（{len(data) / mb:.0f} MB，上限 {limit // mb} MB）")
    if structured:
        return load_structured(p, limits, data=data)
    if detect(data, source) == "legacy":  # LibreOffice converts a file: give it one
        import tempfile

        from .readers import bounded
        from .readers.docx import convert_legacy, read_docx

        with tempfile.TemporaryDirectory(prefix="xxgk-doc-") as tmp:
            copy = Path(tmp) / ("report" + p.suffix)
            copy.write_bytes(data)
            try:
                docx = convert_legacy(copy, limits)
            except ReadError as exc:
                raise ReadError(source, exc.problem) from None
        return parse_document(bounded(read_docx(docx, source, limits), limits))
    return parse_document(read_bytes(data, source, limits))


def check_paths(
    paths: list[Path],
    previous: Path | None = None,
    pair: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
    skip: list[Path] | None = None,
) -> Iterator[Outcome]:
    """Check files and folders (recursively), one ``batch.Outcome`` per file in input
    order, in this process, never raising: unreadable files are outcomes with an
    ``error``; reports of one agency for consecutive years are compared (XYR-*)
    without ``previous``; ``progress(done, total, source)`` is called before each file
    is read; folders are not searched for the files in ``skip`` (the summary being
    written).  The whole batch is held: for many files use :func:`check_many`."""
    from .batch import check_paths as run

    return run(paths, previous, pair, progress, skip or [])


def check_many(
    inputs: str | Path | Iterable[str | Path],
    *,
    jobs: int | None = None,
    scheduler: str | Executor | None = None,
    previous: str | Path | None = None,
    pair: bool = False,
    skip: Iterable[str | Path] = (),
    progress: Callable[[int, int, str], None] | None = None,
    lines: bool = False,
    objects: bool = True,
) -> Batch:
    """Many files checked at once: a ``batch.Batch``, an iterator of ``batch.Outcome``
    in completion order (``Outcome.order`` is the input order) that never raises for
    one file; ``total``/``done``/``errors`` feed a progress bar, ``close()`` stops it.

    ``inputs``: a folder (searched recursively), a file, a ``.zip`` (its members,
    named ``a.zip!member``), or a list of them.  ``jobs``: local worker processes
    (default the number of cores; 1 = this process).  ``scheduler``: a Dask address
    (``tcp://host:8786``) or any ``concurrent.futures.Executor``.  ``pair``: also
    compare consecutive years of one agency (XYR-*); those Outcomes come last, with
    ``replaces=True`` (``batch.latest`` keeps one per file).  ``lines``: the workers
    also make each result's JSON line (``Outcome.json_line()``), so that writing JSON
    lines costs the caller nothing but the write; with ``objects=False`` too, an
    Outcome carries that line, its status, counts and pairing key but no Report or
    CheckResult (``batch.Outcome.slim``: less to send back).  Raises
    ``batch.EngineError`` (one Chinese line) when a scheduler cannot be reached.
    """
    from .batch import check_many as run

    return run(
        inputs,
        previous=previous,
        jobs=jobs,
        scheduler=scheduler,
        pair=pair,
        skip=skip,
        progress=progress,
        lines=lines,
        objects=objects,
    )


def summary_xlsx(outcomes: list[Outcome]) -> bytes:
    """A workbook of the summary (one row per file) and of every finding."""
    from .summary import summary_xlsx as write

    return write(outcomes)


def render_report(report: Report, to: str) -> bytes:
    """The report in one output format (docx, html, pdf, md, xlsx, txt, yaml, json);
    raises ``render.RenderError`` with one clear line."""
    from .render import render

    return render(report, to)


def repair_report(report: Report, apply: int | None = None) -> Repair:
    """The smallest corrections (and the 2019→2021 conversion) of a report."""
    from .repair import repair

    return repair(report, apply=apply)


def new_report(version: str, agency: str, year: int) -> str:
    """A data-entry file (commented YAML) for a new report; raises ValueError with one
    Chinese line when the format or the year cannot be reported."""
    from .render.data import blank, entry_problem, render_yaml

    if version not in VERSIONS:
        raise ValueError("--format 只能是 2021 或 2019")
    problem = entry_problem(version, year)
    if problem is not None:
        raise ValueError(problem)
    return render_yaml(blank(version, agency, year))


def rule_catalogue() -> tuple[Any, ...]:
    """The rules, in catalogue order (code, severity, title, doc())."""
    return tuple(checks.RULES)


def report_schema(version: str = "2021") -> dict[str, Any]:
    """JSON Schema of ``parse`` output with the tables of one format version."""
    from .model import json_schema

    if version not in VERSIONS:
        raise ValueError("--format 只能是 2021 或 2019")
    return json_schema(version)


# --- the dataset: checked reports as Parquet + DuckDB (docs/dataset.md) -------------


def write_dataset(
    inputs: Path | str | Iterable[Path | str],
    out: Path,
    *,
    jobs: int | None = None,
    scheduler: str | Executor | None = None,
    failed: Callable[[Outcome], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """Add the report files of ``inputs`` (folders, files, zips: as ``check_many``) to
    the dataset folder ``out``: every file is hashed (SHA-256) first and one already
    there is skipped before it is parsed; the new ones are checked by the engine
    (``jobs`` processes or a Dask ``scheduler``, each report on its own, no XYR
    pairing) and appended as new Parquet parts.  Returns ``dataset.Totals`` (new,
    skipped, failed, reports).  Raises ``dataset.DatasetError`` or
    ``batch.EngineError`` (one Chinese line) when ``out`` or the scheduler cannot be
    used."""
    from .batch import check_many as run
    from .batch import load
    from .dataset import MARKER, build

    out = Path(out)
    skip = [out / MARKER]  # the dataset inside the folder it is made of: not a report
    batch = run(inputs, jobs=jobs, scheduler=scheduler, pair=False, skip=skip)
    return build(out, batch, load, failed, progress)


def query_dataset(out: Path, name: str) -> tuple[Any, list[str], list[tuple[Any, ...]]]:
    """A ready query of the dataset in ``out`` (``dataset_queries.NAMES``): the query,
    its column names and rows.  KeyError for an unknown name; ``DatasetError`` when
    ``out`` is no dataset."""
    from .dataset import query
    from .dataset_queries import by_name

    q = by_name(name)
    columns, rows = query(out, q.name)
    return q, columns, rows


def dataset_queries() -> tuple[Any, ...]:
    """The ready queries of a dataset (``dataset_queries.Query``: name, Chinese title,
    SQL), in the order docs/dataset.md gives them."""
    from .dataset_queries import QUERIES

    return QUERIES
