"""xxgk's own data form of a report: commented YAML for data entry, or JSON."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..anomalies import Normalized
from ..extract.values import parse_value
from ..format import NUMERALS, REPORT_TITLE, SECTIONS, VERSIONS, Version
from ..model import CellSource, Report, fmt

PLACEHOLDER = {
    1: "（总体情况：主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等情况。）",
    5: "（存在的主要问题及改进情况。）",
    6: "（其他需要报告的事项；收取信息处理费的情况在此报告，没有则写“无”。）",
}


def _scalar(v: object) -> str:
    if v is None:
        return "null"
    if isinstance(v, int | float):
        return fmt(v)
    return json.dumps(v, ensure_ascii=False)


def render_yaml(report: Report) -> str:
    """The report as commented YAML: every cell with its label as a comment."""
    v = VERSIONS[report.format or "2021"]
    title = f"{report.agency or '（机关名称）'}{report.year or ''}年{REPORT_TITLE}"
    lines = [
        f"# {title}",
        f"# xxgk 数据录入文件（{v.document}格式）。填好后运行：xxgk check 本文件；",
        "# 生成正式文本：xxgk render 本文件 --to docx -o 报告.docx",
        "# 每个单元格填数字，没有发生的填 0；收费金额单位为万元，可以有小数。",
        f'format: "{v.key}"',
        f"agency: {_scalar(report.agency)}",
        f"year: {_scalar(report.year)}",
        f"published: {_scalar(report.published)}  # 发布日期，如 {(report.year or 2024) + 1}-01-20",
        "sections:",
    ]
    for s in SECTIONS:
        text = report.sections.get(s.number) or (
            "" if s.number in (2, 3, 4) else PLACEHOLDER[s.number]
        )
        lines.append(f"  # {s.heading}")
        if text:
            lines.append(f"  {s.number}: |-")
            lines += [f"    {t}" for t in text.splitlines() or [""]]
        else:
            lines.append(f'  {s.number}: ""')
    lines.append("tables:")
    for table in v.tables:
        lines.append(f"  {table.key}:  # {NUMERALS[table.section - 1]}、{table.title}")
        caption = None
        for row in table.rows:
            if row.caption and row.caption != caption:
                caption = row.caption
                lines.append(f"    # {caption}")
            group = f"{row.group} " if row.group and table.key == "t3" else ""
            lines.append(f"    {row.key}:  # {group}{row.label}")
            for col in row.columns:
                value = report.value(f"{table.key}.{row.key}.{col.key}")
                lines.append(f"      {col.key}: {_scalar(value)}  # {col.label}")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    return json.dumps(report.contract_dict(), ensure_ascii=False, indent=2) + "\n"


def entry_problem(version_key: str, year: int, today: date | None = None) -> str | None:
    """Why ``xxgk new`` should not write a form for this year and format (or None)."""
    from ..checks.meta import year_problem

    if year < 100:
        return f"--year 应写四位数的年度，如 {2000 + year}（而不是 {year}）"
    why = year_problem(year, today)
    if why is not None:
        return f"--year {year} 不是可以报告的年度：{why}"
    if version_key == "2019" and year >= 2021:
        return (
            f"{year}年度报告应使用2021年格式（国办公开办函〔2021〕30号），"
            "2019年试行格式只用于2019、2020年度；去掉 --format 2019"
        )
    if version_key == "2021" and year <= 2020:
        return f"{year}年度报告应使用2019年试行格式：加 --format 2019"
    return None


def blank(version_key: str, agency: str | None, year: int | None) -> Report:
    """A new report with every cell 0 and placeholder narrative, for data entry."""
    v = VERSIONS[version_key]
    return Report(
        source="<new>",
        format=version_key,
        agency=agency,
        year=year,
        tables={t.key: {r.key: {c.key: 0 for c in r.columns} for r in t.rows} for t in v.tables},
        sections=dict(PLACEHOLDER),
    )


def typed_numbers(version: Version, tables: Any) -> list[Normalized]:
    """Values of a data file typed as offices type numbers: full-width digits (１０),
    thousands separators (1,200), an ideographic space.  They are accepted (the loader
    reads them as numbers); each is listed so the clerk sees how it was read."""
    from ..structured import table_entries

    out: list[Normalized] = []
    for key, c, cols in table_entries(version, tables):
        raw = cols[c.key]
        if not isinstance(raw, str):
            continue
        v = parse_value(raw)
        if v.number is None or v.unit:
            continue
        if raw.isascii() and "," not in raw:
            continue  # a plain number in quotes
        out.append(Normalized(cells=[key], raw=raw, value=v.number))
    return out


def locate(report: Report, raw: bytes) -> None:
    """Set the lines of a YAML data file on its report: each cell's (``cells``), each
    section heading's, and those of agency, year and published (``field_lines``), so
    that a finding names the line the clerk edits."""
    report.cells, sections, report.field_lines = data_lines(raw)
    for h in report.headings:
        h.line = sections.get(h.number)


def data_lines(raw: bytes) -> tuple[dict[str, CellSource], dict[int, int], dict[str, int]]:
    """Where each table cell, each section and each top-level field stands in a YAML
    data file: ({t3.new.natural: its value and line}, {section number: line},
    {published: line}).  Empty for text YAML cannot compose (the loader has already
    said why)."""
    import yaml

    try:
        text = raw.decode("utf-8-sig")
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return {}, {}, {}
    cells: dict[str, CellSource] = {}
    sections: dict[int, int] = {}
    fields: dict[str, int] = {}

    def pairs(node: object) -> list[tuple[str, object]]:
        if not isinstance(node, yaml.MappingNode):
            return []
        return [(str(k.value), v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]

    for key, part in pairs(root):
        if isinstance(part, yaml.ScalarNode):
            fields[key] = part.start_mark.line + 1
        if key == "sections" and isinstance(part, yaml.MappingNode):
            for k, v in part.value:
                if isinstance(k, yaml.ScalarNode) and str(k.value).isdigit():
                    sections[int(k.value)] = v.start_mark.line + 1
        if key != "tables":
            continue
        for t, rows in pairs(part):
            for r, cols in pairs(rows):
                for c, value in pairs(cols):
                    if isinstance(value, yaml.ScalarNode):
                        cells[f"{t}.{r}.{c}"] = CellSource(
                            raw=value.value, line=value.start_mark.line + 1
                        )
    return cells, sections, fields
