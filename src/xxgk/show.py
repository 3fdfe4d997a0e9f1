"""Human output for the terminal (Rich): the three tables and the findings."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from .format import CONTENT, Version
from .model import CheckResult, Finding, Report, Severity, fmt

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_NAME = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


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
            t = RichTable(title=f"{numeral}、{table.title}", title_justify="left")
            t.add_column("")
            for col in table.rows[0].columns:
                t.add_column(col.label, justify="right")
            for row in table.rows:
                keys = (f"{table.key}.{row.key}.{c.key}" for c in row.columns)
                t.add_row(row.label, *(_cell(report, k, bad) for k in keys))
        else:
            t = RichTable(title=f"{numeral}、{table.title}", title_justify="left")
            t.add_column(CONTENT)
            t.add_column("栏目")
            t.add_column("数值", justify="right")
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
            where = []
            if f.location.page:
                where.append(f"第{f.location.page}页")
            if f.location.line:
                where.append(f"第{f.location.line}行")
            line = Text("  ")
            line.append(f.code, style=_STYLE[sev])
            line.append(f" {f.message}")
            if where:
                line.append(f"  [{' '.join(where)}]", style="dim")
            lines.append(line)
            if f.suggestion:
                lines.append(Text(f"      建议：{f.suggestion}", style="dim"))
    e = len(result.errors)
    w = sum(1 for f in result.findings if f.severity is Severity.WARNING)
    return Panel(
        Group(*lines), title=f"{result.source}：{e} 个错误，{w} 个警告", title_align="left"
    )


def print_check(console: Console, result: CheckResult, show_tables: bool = True) -> None:
    console.print(header(result.report))
    if show_tables:
        console.print(tables(result.report, result.findings))
    console.print(findings_panel(result))
