"""The ``xxgk`` command: a thin shell over :mod:`xxgk.api`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from . import api
from .checks import RULES
from .model import json_schema
from .readers import ReadError

if TYPE_CHECKING:
    from .repair import Repair

app = typer.Typer(
    help="xxgk：政府信息公开工作年度报告的读取、核查与生成工具。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 120)


def _say(message: str) -> None:
    """One plain line on standard error (no wrapping, no markup)."""
    sys.stderr.write(message.replace("\n", " ") + "\n")


def _fail(exc: ReadError) -> None:
    _say(f"xxgk: 无法读取 {exc.source}：{exc.problem}")


def _dump(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def parse(
    file: Annotated[
        Path, typer.Argument(help="报告文件：TXT、HTML、DOCX、PDF、Markdown，或 xxgk 的 YAML/JSON")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="输出 JSON（格式见 docs/contract）")
    ] = False,
) -> None:
    """读取一份报告，输出三张表格的数值和每个数值的出处。"""
    try:
        report = api.parse(file)
    except ReadError as exc:
        _fail(exc)
        raise typer.Exit(2) from None
    if as_json:
        _dump(report.contract_dict())
        return
    from .show import header, tables

    out.print(header(report))
    out.print(tables(report))


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="一个或多个报告文件")],
    as_json: Annotated[
        bool, typer.Option("--json", help="输出 JSON（一个文件一个对象，多个文件为数组）")
    ] = False,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", "-p", help="同一机关上一年度的报告，用于跨年核对（XYR-*）"),
    ] = None,
    no_tables: Annotated[bool, typer.Option("--no-tables", help="只列问题，不显示表格")] = False,
) -> None:
    """核查报告：算术勾稽、完整性、格式版本、标题、时限、正文与表格一致性。

    退出码：0 无错误；1 至少一个错误；2 有文件无法读取。
    """
    code = 0
    prev = None
    if previous is not None:
        try:
            prev = api.parse(previous)
        except ReadError as exc:
            _fail(exc)
            raise typer.Exit(2) from None
    results = []
    for f in files:
        try:
            result = api.check_report(api.parse(f), prev)
        except ReadError as exc:
            _fail(exc)
            code = 2
            continue
        results.append(result)
        if result.errors and code == 0:
            code = 1
        if not as_json:
            from .show import print_check

            print_check(out, result, show_tables=not no_tables)
    if as_json:
        data = [r.contract_dict() for r in results]
        _dump(data[0] if len(files) == 1 and data else data)
    raise typer.Exit(code)


@app.command()
def new(
    year: Annotated[int, typer.Option("--year", help="报告年度，如 2024")],
    agency: Annotated[str, typer.Option("--agency", help="机关名称，如 某某县某某局")],
    version: Annotated[
        str, typer.Option("--format", help="格式版本：2021（默认）或 2019")
    ] = "2021",
) -> None:
    """生成数据录入文件（YAML）：每个单元格为 0 并注明栏目名称，输出到标准输出。"""
    from .render.data import blank, render_yaml

    if version not in ("2021", "2019"):
        _say("xxgk: --format 只能是 2021 或 2019")
        raise typer.Exit(2)
    from .render.data import entry_problem

    problem = entry_problem(version, year)
    if problem is not None:
        _say(f"xxgk: {problem}")
        raise typer.Exit(2)
    sys.stdout.write(render_yaml(blank(version, agency, year)))


def _write(data: bytes, output: Path | None) -> None:
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)


def _format_of(output: Path | None, to: str | None) -> str:
    from .render import FORMATS

    if to:
        return to
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    suffix = {"markdown": "md", "yml": "yaml", "htm": "html"}.get(suffix, suffix)
    return suffix if suffix in FORMATS else "yaml"


@app.command()
def render(
    file: Annotated[Path, typer.Argument(help="报告：xxgk 的 YAML/JSON，或任何可读取的报告文件")],
    to: Annotated[
        str | None,
        typer.Option("--to", help="输出格式：docx、html、pdf、md、xlsx、txt、yaml、json"),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件（缺省为标准输出）")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="报告有错误时也生成")] = False,
) -> None:
    """按法定格式生成报告（Word、网页、PDF、Markdown、Excel）。

    报告有错误（如勾稽关系不成立）时拒绝生成并列出错误，除非加 --force。
    """
    from .render import RenderError
    from .render import render as do_render

    try:
        report = api.parse(file)
    except ReadError as exc:
        _fail(exc)
        raise typer.Exit(2) from None
    result = api.check_report(report)
    if result.errors and not force:
        _say(f"xxgk: {file} 有 {len(result.errors)} 个错误，未生成（改正后重试，或加 --force）：")
        for f in result.errors:
            _say(f"  {f.code} {f.message}")
        raise typer.Exit(1)
    fmt_ = _format_of(output, to)
    try:
        data = do_render(report, fmt_)
    except RenderError as exc:
        _say(f"xxgk: 无法生成 {fmt_}：{exc}")
        raise typer.Exit(2) from None
    _write(data, output)
    if output is not None and str(output) != "-":
        _say(f"已生成 {output}")


@app.command()
def fix(
    file: Annotated[Path, typer.Argument(help="要修正的报告")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写出修正后的报告")] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="输出格式（缺省按 -o 的扩展名，否则 yaml）")
    ] = None,
    apply: Annotated[
        int | None, typer.Option("--apply", help="采用第 N 个候选修改（并列时必须指定）")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """提出最小修正：使勾稽关系和合计成立的最少改动、旧格式转新格式、正文数字更正。

    候选修改按以下顺序排列：改动单元格最少；与正文所述数字一致；先改合计再改分项；
    改动幅度最小。排名第一且不并列时自动采用；并列时只列出，需用 --apply N 指定。
    """
    from .render import RenderError
    from .render import render as do_render
    from .repair import repair

    try:
        report = api.parse(file)
    except ReadError as exc:
        _fail(exc)
        raise typer.Exit(2) from None
    try:
        result = repair(report, apply=apply)
    except ValueError as exc:
        _say(f"xxgk: {exc}")
        raise typer.Exit(2) from None
    if as_json:
        _dump(result.as_dict())
    else:
        _print_fix(result, written=output is not None)
    if output is not None:
        try:
            _write(do_render(result.report, _format_of(output, to)), output)
        except RenderError as exc:
            _say(f"xxgk: 无法生成：{exc}")
            raise typer.Exit(2) from None
        if not as_json:
            out.print(f"已写出修正后的报告：{output}")
    if result.tied and result.applied is None:
        raise typer.Exit(1)


def _print_fix(result: Repair, written: bool = False) -> None:
    from .format import display
    from .model import fmt as num
    from .repair import evidence

    if result.conversion is not None:
        c = result.conversion
        out.print(
            f"[bold]格式转换[/bold]：2019年试行格式 → 2021年格式，转换 {len(c.mapped)} 个单元格。"
        )
        for cell, why in c.unmapped[:12]:
            out.print(f"  未能转换 {display(cell, '2019')}：{why}", markup=False)
        if len(c.unmapped) > 12:
            out.print(f"  …… 另有 {len(c.unmapped) - 12} 项")
    for note in result.notes():
        out.print(note, markup=False)
    if not result.candidates:
        out.print("算术关系均成立，无需修改。" if result.conversion is None else "")
    for cand in result.candidates:
        mark = ("  ← 已采用" if written else "  ← 将采用") if cand.rank == result.applied else ""
        out.print(f"[bold]候选 {cand.rank}[/bold]{mark}")
        for ch in cand.changes:
            name = display(ch.cell, result.report.format)
            out.print(f"  {name}：{num(ch.old)} → {num(ch.new)}", markup=False)
        out.print(f"  依据：{evidence(cand)}", markup=False)
    if result.tied and result.applied is None:
        out.print("[yellow]前几个候选并列，未作修改；请核对后用 --apply N 指定。[/yellow]")
    elif result.applied is not None and not written:
        out.print(f"将采用第 {result.applied} 种；加 -o 文件 写出修正后的报告（未写出任何文件）。")
    for s in result.sentences:
        out.print(f"正文第{s.section}部分：“{s.old}” → “{s.new}”（{s.why}）", markup=False)


@app.command()
def rules(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="输出 Markdown（docs/rules.md 即由此生成）")
    ] = False,
) -> None:
    """列出核查规则目录：编号、级别、名称和说明。"""
    if markdown:
        sys.stdout.write(rules_markdown())
        return
    from rich.table import Table

    t = Table("编号", "级别", "名称", "说明")
    for r in RULES:
        first = r.doc().splitlines()[0] if r.doc() else ""
        t.add_row(r.code, r.severity.value, r.title, first)
    out.print(t)


def rules_markdown() -> str:
    lines = [
        "# 核查规则目录 (rule catalogue)",
        "",
        "Generated by `xxgk rules --markdown` from the rule registry; do not edit by hand.",
        "",
        "| 编号 code | 级别 severity | 名称 |",
        "|---|---|---|",
    ]
    lines += [f"| [{r.code}](#{r.code.lower()}) | {r.severity.value} | {r.title} |" for r in RULES]
    for r in RULES:
        lines += ["", f"## {r.code}", "", f"**{r.title}** · {r.severity.value}", "", r.doc()]
    return "\n".join(lines) + "\n"


@app.command()
def schema(
    version: Annotated[str, typer.Option("--format", help="表格的格式版本：2021 或 2019")] = "2021",
) -> None:
    """输出 `xxgk parse --json` 结果的 JSON Schema。"""
    if version not in ("2021", "2019"):
        _say("xxgk: --format 只能是 2021 或 2019")
        raise typer.Exit(2)
    _dump(json_schema(version))


@app.command()
def demo() -> None:
    """核查 xxgk 自带的示例报告并显示汇总（make run 运行的就是它）。"""
    from rich.table import Table

    from .examples import example_paths

    t = Table(
        "示例报告",
        "格式",
        "机关",
        "年度",
        "错误",
        "警告",
        "问题编号",
        title="xxgk 示例报告核查汇总",
    )
    for path in example_paths():
        result = api.check(path)
        r = result.report
        codes = sorted({f.code for f in result.findings})
        t.add_row(
            path.name,
            r.format or "?",
            r.agency or "?",
            str(r.year or "?"),
            str(len(result.errors)),
            str(sum(1 for f in result.findings if f.severity.value == "warning")),
            " ".join(codes) or "无",
        )
    out.print(t)
    worst = max(example_paths(), key=lambda p: len(api.check(p).errors))
    from .show import print_check

    out.print()
    print_check(out, api.check(worst), show_tables=False)
    out.print(f"\n再试：.venv/bin/xxgk check {worst}  （或 xxgk check 你的报告.pdf）")


def main() -> None:
    """Entry point: never a traceback for the user (set XXGK_DEBUG=1 to see one)."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as exc:  # the last line of defence
        if os.environ.get("XXGK_DEBUG"):
            raise
        _say(f"xxgk: 内部错误：{type(exc).__name__}: {exc}（设置 XXGK_DEBUG=1 查看详情）")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
