"""Human output for the terminal (Rich): the three tables and the findings."""

from __future__ import annotations

import os
from collections.abc import Iterable

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from .batch import Outcome
from .format import CONTENT, Version
from .model import CheckResult, Finding, Report, Severity, fmt
from .summary import COLUMNS, SEVERITY, cell_name, row_label, summary_row

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_NAME = SEVERITY
_SHORT_FORMAT = {"2021": "2021年", "2019": "2019年试行"}


def _cell(report: Report, key: str, bad: set[str]) -> Text:
    v = report.value(key)
    text = Text("—" if v is None else fmt(v), style="dim" if v is None else "")
    if key in bad:
        text.stylize("bold red")
    return text


def tables(report: Report, findings: Iterable[Finding] = ()) -> Group:
    v: Version = report.version
    bad = {c for f in findings if f.severity is Severity.ERROR for c in f.cells}
    parts = []
    for table in v.tables:
        numeral = "二三四"[table.section - 2]
        if table.key in ("t3", "t4"):
            t = RichTable(
                title=Text(f"{numeral}、{table.title}"),
                title_justify="left",
                collapse_padding=True,
            )
            t.add_column("", overflow="fold", min_width=10, ratio=3)
            for col in table.rows[0].columns:
                t.add_column(col.label, justify="right", overflow="fold", min_width=4, ratio=1)
            for row in table.rows:
                keys = (f"{table.key}.{row.key}.{c.key}" for c in row.columns)
                label = row_label(v, table.key, row.key)
                t.add_row(label, *(_cell(report, k, bad) for k in keys))
        else:
            t = RichTable(title=Text(f"{numeral}、{table.title}"), title_justify="left")
            t.add_column(CONTENT, overflow="fold")
            t.add_column("栏目", overflow="fold")
            t.add_column("数值", justify="right", overflow="fold")
            for row in table.rows:
                for i, col in enumerate(row.columns):
                    t.add_row(
                        row.label if i == 0 else "",
                        col.label,
                        _cell(report, f"t2.{row.key}.{col.key}", bad),
                    )
        parts.append(t)
    return Group(*parts)


def header(report: Report) -> Text:
    fmt_name = {"2021": "2021年格式", "2019": "2019年试行格式", None: "格式未能识别"}[report.format]
    bits = [
        report.agency or "（机关未识别）",
        f"{report.year}年度" if report.year else "（年度未识别）",
        fmt_name,
        f"发布 {report.published}" if report.published else "发布日期未识别",
    ]
    return Text(" · ".join(bits), style="bold")


def findings_panel(result: CheckResult) -> Panel:
    lines: list[Text] = []
    if not result.findings:
        lines.append(Text("未发现问题。", style="green"))
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in result.findings if f.severity is sev]
        if not group:
            continue
        lines.append(Text(f"{_NAME[sev]}（{len(group)}）", style=_STYLE[sev]))
        for f in group:
            where = f.location.describe()
            line = Text("  ")
            line.append(f.code, style=_STYLE[sev])
            line.append(f" {f.message}")
            if where:
                line.append(f"  [{where}]", style="dim")
            lines.append(line)
            if f.suggestion:
                lines.append(Text(f"      建议：{f.suggestion}", style="dim"))
    e = len(result.errors)
    w = sum(1 for f in result.findings if f.severity is Severity.WARNING)
    return Panel(
        Group(*lines),
        title=Text(f"{result.source}：{e} 个错误，{w} 个警告"),  # a file name is not markup
        title_align="left",
    )


def print_check(console: Console, result: CheckResult, show_tables: bool = True) -> None:
    console.print(header(result.report))
    if show_tables:
        console.print(tables(result.report, result.findings))
    console.print(findings_panel(result))


def where_from(report: Report, key: str) -> str:
    """Where a cell's value stood: 第2页 第57行 · 表1 第5行第3列."""
    src = report.where(key)
    if src is None:
        return "未找到"
    bits = []
    if src.page:
        bits.append(f"第{src.page}页")
    if src.line:
        bits.append(f"第{src.line}行")
    if src.table is not None and src.row is not None and src.col is not None:
        bits.append(f"表格{src.table + 1} 第{src.row + 1}行第{src.col + 1}列")
    return " ".join(bits) or "—"


def provenance(report: Report) -> RichTable:
    """Every cell with its value, the text printed and where it stood."""
    t = RichTable("单元格", "数值", "原文", "出处", title=Text("数值出处"), title_justify="left")
    for col in t.columns:
        col.overflow = "fold"
    t.columns[1].justify = "right"
    v = report.version
    for key in v.cell_keys():
        value = report.value(key)
        src = report.where(key)
        raw = src.raw if src is not None and src.raw is not None else ""
        t.add_row(
            cell_name(v, key),
            Text("—" if value is None else fmt(value), style="dim" if value is None else ""),
            Text(raw.replace("\n", " ")[:40]),
            where_from(report, key),
        )
    return t


def _common_dir(sources: list[str]) -> str:
    dirs = [os.path.dirname(s) for s in sources]
    try:
        common = os.path.commonpath(dirs) if dirs else ""
    except ValueError:  # absolute and relative paths mixed
        return ""
    return common


def summary(outcomes: list[Outcome]) -> RichTable:
    """One row per file: file, agency, year, format, errors, warnings, codes.

    Files are shown relative to the folder they share (named in the title)."""
    common = _common_dir([o.source for o in outcomes])
    where = f"，位于 {common}{os.sep}" if common else ""
    t = RichTable(title=Text(f"核查汇总（{len(outcomes)} 个文件{where}）"), title_justify="left")
    cross = any(o.previous is not None or o.note is not None for o in outcomes)
    shown = [0, 1, 2, 3, 4, 5, 7] + ([8] if cross else [])  # 提示 only in --xlsx and JSON
    for i in shown:
        name = COLUMNS[i]
        number = name in ("错误", "警告")
        t.add_column(name, overflow="fold", justify="right" if number else "left")
    for o in outcomes:
        values = summary_row(o)
        name = os.path.relpath(o.source, common) if common else o.source
        text = {i: Text("" if v is None else str(v)) for i, v in enumerate(values)}
        text[0] = Text(name)
        if o.result is None:
            text[7].stylize("bold red")
        else:
            text[3] = Text(_SHORT_FORMAT.get(o.result.report.format or "", "未能识别"))
            for i in (1, 2):
                if values[i] is None:
                    text[i] = Text("未识别", style="dim")
            if o.result.errors:
                text[4].stylize("bold red")
            if values[5]:
                text[5].stylize("yellow")
        t.add_row(*(text[i] for i in shown))
    return t
