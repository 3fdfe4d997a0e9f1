"""The ``xxgk`` command: a thin shell over :mod:`xxgk.api`.

Start-up matters (a supervisor runs it over hundreds of files, a clerk waits for it):
this module imports only Typer; each command imports what it needs when it runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

# shared with the dataset command (the check command's work is in cli_check)
from .cli_check import CheckBar as _CheckBar
from .cli_check import tell as _tell
from .cli_help import LAZY, Command, TopGroup
from .cli_out import dump as _dump
from .cli_out import guarded, out
from .cli_out import say as _say
from .cli_out import utf8_stdout as _utf8_stdout

if TYPE_CHECKING:
    from .batch import Outcome
    from .readers import ReadError
    from .repair import Repair

app = typer.Typer(
    cls=TopGroup,
    help="xxgk：政府信息公开工作年度报告的读取、核查与生成工具。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# the options of the commands that check many files (check, dataset), declared once
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        help="同时核查的进程数（缺省为 CPU 核数；1 为不另起进程）",
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="地址",
        help="在 Dask 分布式集群上核查，如 tcp://主机:8786（文件内容发给各工作节点）",
    ),
]
ShowProgress = Annotated[
    bool | None,
    typer.Option(
        "--progress/--no-progress",
        help="在标准错误上显示进度条（缺省：标准错误是终端时显示）",
    ),
]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xxgk")
    except PackageNotFoundError:
        return "未安装"


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"xxgk {_version()}\n")
        raise typer.Exit(0)


@app.callback()
def _main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="显示版本并退出", is_eager=True, callback=_show_version
        ),
    ] = False,
) -> None:
    """xxgk：政府信息公开工作年度报告的读取、核查与生成工具。"""


def _fail(exc: ReadError) -> None:
    _say(f"xxgk: 无法读取 {exc.source}：{exc.problem}")


def _parse_one(file: Path) -> Any:
    """api.parse, or exit 2 with one Chinese line naming the file."""
    from . import api
    from .batch import read_report

    report, failed = read_report(file, api.parse)
    if failed is not None:
        _report_failure(failed)
        raise typer.Exit(2)
    return report


def _report_failure(o: Outcome) -> None:
    _say(o.line())
    if o.trace and os.environ.get("XXGK_DEBUG"):
        sys.stderr.write(o.trace)


@app.command(cls=Command)
def parse(
    file: Annotated[
        Path, typer.Argument(help="报告文件：TXT、HTML、DOCX、PDF、Markdown，或 xxgk 的 YAML/JSON")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="输出 JSON（格式见 docs/contract）")
    ] = False,
) -> None:
    """读取一份报告，输出三张表格的数值和每个数值的出处。"""
    report = _parse_one(file)
    if as_json:
        _dump(report.contract_dict())
        return
    from .show import header, provenance, tables

    out.print(header(report))
    out.print(tables(report))
    out.print(provenance(report))


@app.command(cls=Command)
def check(
    files: Annotated[
        list[Path],
        typer.Argument(help="一个或多个报告文件、目录（其中的报告逐级查找）或 ZIP 压缩包"),
    ],
    as_json: Annotated[
        bool,
        typer.Option("--json", help="输出 JSON（一个文件一个对象，多个文件为数组）"),
    ] = False,
    as_jsonl: Annotated[
        bool, typer.Option("--jsonl", help="每个文件一行 JSON，边核查边输出（按完成顺序）")
    ] = False,
    xlsx: Annotated[
        Path | None,
        typer.Option("--xlsx", metavar="文件", help="把汇总和全部问题写入 Excel 文件"),
    ] = None,
    details: Annotated[
        bool, typer.Option("--details", help="多个文件时，在汇总之后逐个显示问题")
    ] = False,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            "-p",
            help="同一机关上一年度的报告，用于跨年核对（XYR-*）；"
            "同时核查的文件中有同一机关上一年度的报告时自动核对",
        ),
    ] = None,
    no_tables: Annotated[bool, typer.Option("--no-tables", help="只列问题，不显示表格")] = False,
    jobs: Jobs = None,
    scheduler: Scheduler = None,
    progress: ShowProgress = None,
) -> None:
    """核查报告：算术勾稽、完整性、格式版本、标题、时限、正文与表格一致性。

    可以给多个文件、目录或 ZIP 压缩包：先显示汇总表（文件、机关、年度、格式、错误、
    警告、问题编号），加 --details 再逐个显示问题。同一机关相邻年度的报告自动做跨年核对。
    多个文件由多个进程同时核查（--jobs），或交给 Dask 集群（--scheduler）。

    退出码：0 无错误；1 至少一个错误；2 有文件无法读取（取所有文件中最严重的）；
    130 被 Ctrl-C 中断。
    """
    from .cli_check import run_check

    raise typer.Exit(
        run_check(
            files,
            as_json=as_json,
            as_jsonl=as_jsonl,
            xlsx=xlsx,
            details=details,
            previous=previous,
            no_tables=no_tables,
            jobs=jobs,
            scheduler=scheduler,
            progress=progress,
        )
    )


class _Progress:
    """``读取 12/400：文件名`` on one line of a terminal's standard error."""

    def __init__(self) -> None:
        import shutil

        self.width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)

    def __call__(self, done: int, total: int, source: str) -> None:
        from .cli_help import width

        line = f"读取 {done + 1}/{total}：{source}"
        while width(line) > self.width:
            line = line[:-2] + "…"
        sys.stderr.write("\r" + line + " " * (self.width - width(line)))
        sys.stderr.flush()

    def clear(self) -> None:
        sys.stderr.write("\r" + " " * self.width + "\r")
        sys.stderr.flush()


def _write_file(data: bytes, output: Path) -> None:
    """Write an output file, or exit 2 with one Chinese line."""
    from .batch import os_problem

    try:
        output.write_bytes(data)
    except OSError as exc:
        _say(f"xxgk: 无法写入 {output}：{os_problem(exc, writing=True)}")
        raise typer.Exit(2) from None


@app.command(cls=Command)
def new(
    year: Annotated[int, typer.Option("--year", help="报告年度，如 2024")],
    agency: Annotated[str, typer.Option("--agency", help="机关名称，如 某某县某某局")],
    version: Annotated[
        str, typer.Option("--format", metavar="版本", help="格式版本：2021（默认）或 2019")
    ] = "2021",
) -> None:
    """生成数据录入文件（YAML）：每个单元格为 0 并注明栏目名称，输出到标准输出。"""
    from . import api

    try:
        text = api.new_report(version, agency, year)
    except ValueError as exc:
        _say(f"xxgk: {exc}")
        raise typer.Exit(2) from None
    sys.stdout.write(text)


_BINARY = ("docx", "xlsx", "pdf")


def _write(data: bytes, output: Path | None) -> None:
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _write_file(data, output)


def _format_of(output: Path | None, to: str | None) -> str:
    from .render import FORMATS

    if to:
        return to
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    suffix = {"markdown": "md", "yml": "yaml", "htm": "html"}.get(suffix, suffix)
    return suffix if suffix in FORMATS else "yaml"


@app.command(cls=Command)
def render(
    file: Annotated[Path, typer.Argument(help="报告：xxgk 的 YAML/JSON，或任何可读取的报告文件")],
    to: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="格式", help="输出格式：docx、html、pdf、md、xlsx、txt、yaml、json"
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件（缺省为标准输出）")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="报告有错误时也生成")] = False,
) -> None:
    """按法定格式生成报告（Word、网页、PDF、Markdown、Excel）。

    报告有错误（如勾稽关系不成立）时拒绝生成并列出错误，除非加 --force。
    """
    from . import api
    from .render import RenderError

    fmt_ = _format_of(output, to)
    if fmt_ in _BINARY and (output is None or str(output) == "-") and sys.stdout.isatty():
        _say(
            f"xxgk: {fmt_.upper()} 是二进制文件，不能显示在终端上；"
            f"请用 -o 指定输出文件，如 -o 报告.{fmt_}"
        )
        raise typer.Exit(2)
    report = _parse_one(file)
    result = api.check_report(report)
    if result.errors and not force:
        _say(f"xxgk: {file} 有 {len(result.errors)} 个错误，未生成（改正后重试，或加 --force）：")
        for f in result.errors:
            _say(f"  {f.code} {f.message}")
        raise typer.Exit(1)
    try:
        data = api.render_report(report, fmt_)
    except RenderError as exc:
        _say(f"xxgk: 无法生成 {fmt_}：{exc}")
        raise typer.Exit(2) from None
    _write(data, output)
    if output is not None and str(output) != "-":
        _say(f"已生成 {output}")


@app.command(cls=Command)
def fix(
    file: Annotated[Path, typer.Argument(help="要修正的报告")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写出修正后的报告")] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="格式", help="输出格式（缺省按 -o 的扩展名，否则 yaml）"),
    ] = None,
    apply: Annotated[
        int | None,
        typer.Option("--apply", metavar="N", help="采用第 N 个候选修改（并列时必须指定）"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """提出最小修正：使勾稽关系和合计成立的最少改动、旧格式转新格式、正文数字更正。

    候选修改按以下顺序排列：改动单元格最少；与正文所述数字一致；先改合计再改分项；
    改动幅度最小。排名第一且不并列时自动采用；并列时只列出，需用 --apply N 指定。
    """
    from . import api
    from .render import RenderError

    report = _parse_one(file)
    try:
        result = api.repair_report(report, apply=apply)
    except ValueError as exc:
        _say(f"xxgk: {exc}")
        raise typer.Exit(2) from None
    if as_json:
        _dump(result.as_dict())
    else:
        _print_fix(result, written=output is not None)
    if output is not None:
        try:
            _write(api.render_report(result.report, _format_of(output, to)), output)
        except RenderError as exc:
            _say(f"xxgk: 无法生成：{exc}")
            raise typer.Exit(2) from None
        if not as_json:
            out.print(f"已写出修正后的报告：{output}", markup=False)
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


@app.command(cls=Command)
def rules(
    code: Annotated[
        str | None,
        typer.Argument(metavar="编号", help="只显示这条规则的完整说明，如 SUM-001（或 SUM 一族）"),
    ] = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="输出 Markdown（docs/rules.md 即由此生成）")
    ] = False,
) -> None:
    """列出核查规则目录：编号、级别、名称和说明；给出编号时显示这条规则的完整说明。"""
    from .api import rule_catalogue
    from .summary import SEVERITY

    RULES = rule_catalogue()
    if markdown:
        sys.stdout.write(rules_markdown())
        return
    chosen = list(RULES)
    if code is not None:
        want = code.strip().upper()
        exact = [r for r in RULES if r.code == want]
        chosen = exact or [r for r in RULES if r.code.startswith(want.rstrip("-") + "-")]
        if not chosen:
            _say(f"xxgk: 没有编号为 {code} 的规则；xxgk rules 列出全部规则")
            raise typer.Exit(2)
        if len(chosen) == 1:
            r = chosen[0]
            sys.stdout.write(f"{r.code} {r.title}（{SEVERITY[r.severity]}）\n\n{r.doc()}\n")
            return
    from rich.table import Table

    t = Table("编号", "级别", "名称", "说明")
    for col in t.columns:
        col.overflow = "fold"
    t.columns[0].no_wrap = True
    t.columns[1].no_wrap = True
    for r in chosen:
        first = r.doc().splitlines()[0] if r.doc() else ""
        t.add_row(r.code, SEVERITY[r.severity], r.title, first)
    out.print(t)
    out.print("完整说明：xxgk rules 编号（如 xxgk rules SUM-001）；提示级别只供参考，不算错误。")


def rules_markdown() -> str:
    from .api import rule_catalogue
    from .summary import SEVERITY

    RULES = rule_catalogue()
    lines = [
        "# 核查规则目录 (rule catalogue)",
        "",
        "Generated by `xxgk rules --markdown` from the rule registry; do not edit by hand.",
        "",
        "级别：错误（不符合法定格式或条例，须改正）、警告（推算、合理性或惯例，须核对）、"
        "提示（仅供参考）。",
        "",
        "| 编号 code | 级别 severity | 名称 |",
        "|---|---|---|",
    ]
    lines += [
        f"| [{r.code}](#{r.code.lower()}) | {SEVERITY[r.severity]} | {r.title} |" for r in RULES
    ]
    for r in RULES:
        lines += ["", f"## {r.code}", "", f"**{r.title}** · {SEVERITY[r.severity]}", "", r.doc()]
    return "\n".join(lines) + "\n"


@app.command(cls=Command)
def schema(
    version: Annotated[
        str, typer.Option("--format", metavar="版本", help="表格的格式版本：2021 或 2019")
    ] = "2021",
) -> None:
    """输出 `xxgk parse --json` 结果的 JSON Schema。"""
    from . import api

    try:
        _dump(api.report_schema(version))
    except ValueError as exc:
        _say(f"xxgk: {exc}")
        raise typer.Exit(2) from None


@app.command(cls=Command)
def demo() -> None:
    """核查 xxgk 自带的示例报告并在终端显示汇总。"""
    from rich.table import Table

    from . import api
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
    print_check(out.get(), api.check(worst), show_tables=False)
    out.print(f"\n再试：.venv/bin/xxgk check {worst}  （或 xxgk check 你的报告.pdf）", markup=False)


@app.command(cls=Command)
def dataset(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="目录",
            help="报告所在的目录、文件或 ZIP 压缩包（逐级查找）；用 --query 时为数据集目录",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="目录",
            help="数据集目录：写入 Parquet 文件和 xxgk.duckdb；已有数据集时只追加新文件",
        ),
    ] = None,
    query: Annotated[
        str | None,
        typer.Option(
            "--query",
            "-q",
            metavar="名称",
            help="对数据集运行一个现成查询（名称见上）并显示结果",
        ),
    ] = None,
    jobs: Jobs = None,
    scheduler: Scheduler = None,
    progress: ShowProgress = None,
    as_csv: Annotated[
        bool,
        typer.Option("--csv", help="与 --query 同用：以 CSV 输出查询结果（可用 Excel 打开）"),
    ] = False,
) -> None:
    """把一批报告的核查结果写成可查询的数据集（Parquet 文件 + DuckDB 数据库）。

    xxgk dataset 各单位年报/ -o 数据集/ ：核查目录中的报告，写出 reports（每份报告一行）、
    cells（每个单元格一行：数值和出处）、findings（每个问题一行）三张表和
    数据集/xxgk.duckdb。再次运行时按文件内容（SHA-256）跳过已有的报告，只核查、追加新报告。

    xxgk dataset --query 名称 数据集/ ：运行现成查询。sum-errors-by-year 各年度有勾稽
    错误的报告占比；most-denied 不予公开最多的机关；carry-over 本年“上年结转”与同一机关
    上年“结转下年度”不一致；late-by-level 按年度和层级的逾期发布；disclosure-rate
    各机关实质公开率。

    退出码：0 完成；2 有文件无法读取（逐个写在标准错误上）或数据集目录无法使用；
    130 被 Ctrl-C 中断（已核查的报告已保存）。
    """
    if query is not None:
        _dataset_query(query, paths or [], output, as_csv)
        return
    if output is None:
        _say("xxgk dataset：缺少选项 -o（数据集目录）。用 xxgk dataset -h 查看用法。")
        raise typer.Exit(2)
    if not paths:
        _say("xxgk dataset：缺少参数 目录（报告所在的目录或文件）。用 xxgk dataset -h 查看用法。")
        raise typer.Exit(2)
    from . import api
    from .batch import EngineError
    from .dataset import DatasetError

    show = progress if progress is not None else sys.stderr.isatty()
    bar: _CheckBar | None = None
    failures = 0

    def failed(o: Outcome) -> None:
        nonlocal failures
        failures += 1
        _tell(o, bar.say if bar is not None else _say)

    def step(done: int, total: int) -> None:
        nonlocal bar
        if show and bar is None:
            bar = _CheckBar(total)
        if bar is not None:
            bar.update(done, failures, 0)

    try:
        totals = api.write_dataset(
            paths, output, jobs=jobs, scheduler=scheduler, failed=failed, progress=step
        )
    except (DatasetError, EngineError) as exc:
        _say(f"xxgk: {exc}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        if bar is not None:
            bar.stop()
            bar = None
        _say(f"xxgk: 已中断；已核查的报告已写入 {output}，再次运行会跳过它们、继续其余文件。")
        raise typer.Exit(130) from None
    finally:
        if bar is not None:
            bar.stop()
    sys.stdout.write(
        f"新增 {totals.new} 份，跳过 {totals.skipped} 份（已在数据集中），"
        f"失败 {totals.failed} 份；数据集 {output} 共 {totals.reports} 份报告\n"
    )
    raise typer.Exit(2 if totals.failed else 0)


def _dataset_query(name: str, paths: list[Path], output: Path | None, as_csv: bool) -> None:
    """``xxgk dataset --query NAME DIR``: the result as a Rich table (or CSV)."""
    from rich.table import Table

    from . import api
    from .dataset import DatasetError

    folders = [*paths, *([output] if output is not None else [])]
    if len(folders) != 1:
        _say("xxgk dataset：--query 需要且只需要一个数据集目录。用 xxgk dataset -h 查看用法。")
        raise typer.Exit(2)
    try:
        q, columns, rows = api.query_dataset(folders[0], name)
    except KeyError:
        names = "；".join(f"{q.name}（{q.title}）" for q in api.dataset_queries())
        _say(f"xxgk dataset：没有名为 {name} 的查询。可用的查询：{names}")
        raise typer.Exit(2) from None
    except DatasetError as exc:
        _say(f"xxgk: {exc}")
        raise typer.Exit(2) from None
    if as_csv:
        import csv

        _utf8_stdout()
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([q.headers.get(c, c) for c in columns])
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return
    t = Table(*(q.headers.get(c, c) for c in columns), title=q.title)
    for col in t.columns:
        col.overflow = "fold"
    for row in rows:
        t.add_row(*(_cell_text(v, c in q.percent) for c, v in zip(columns, row, strict=True)))
    out.print(t)
    out.print(f"共 {len(rows)} 行。", markup=False)


def _cell_text(value: Any, percent: bool) -> str:
    import datetime as dt

    if value is None:
        return "—"
    if isinstance(value, float):
        if percent:
            return f"{value * 100:.1f}%"
        return str(int(value)) if value.is_integer() else f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


from .cli_web import register as _register_web  # noqa: E402  (serve, users, agencies)

_register_web(app)

from .cli_supervise import register as _register_supervise  # noqa: E402  (notice)

_register_supervise(app)

LAZY["ledger"] = ("xxgk.cli_ledger", "ledger")  # xxgk ledger …: built when named


def main() -> None:
    """Entry point: never a traceback for the user (set XXGK_DEBUG=1 to see one)."""
    guarded(app)


if __name__ == "__main__":
    main()
