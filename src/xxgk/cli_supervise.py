"""The supervision commands: ``xxgk notice`` (年报审查意见 as DOCX / PDF / zip).

Registered on the main ``xxgk`` app by ``register``; like ``cli.py`` this module
imports only Typer, and the command imports the checks and python-docx when it runs."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from .cli_help import Command


def _say(message: str) -> None:
    sys.stderr.write(message.replace("\n", " ") + "\n")


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _say(f"xxgk notice：{option} 应为日期 YYYY-MM-DD（如 2025-03-31），而不是“{text}”。")
        raise typer.Exit(2) from None


def notice(
    reports: Annotated[
        list[Path] | None, typer.Argument(help="报告文件或文件夹（可多个）", show_default=False)
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option("--deadline", metavar="日期", help="整改期限 YYYY-MM-DD（默认 30 天后）"),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "-o", "--out", metavar="文件", help="输出：.docx / .pdf 文件，.zip，或一个文件夹"
        ),
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="同时生成 PDF（需要 LibreOffice）")] = False,
    office: Annotated[
        str | None, typer.Option("--office", metavar="文本", help="落款的发文单位")
    ] = None,
    template: Annotated[
        Path | None, typer.Option("--template", metavar="文件", help="自己的 Word 模板")
    ] = None,
    errors_only: Annotated[bool, typer.Option("--errors-only", help="只列错误，不列警告")] = False,
    template_out: Annotated[
        Path | None,
        typer.Option("--template-out", metavar="文件", help="写出默认模板（在 Word/WPS 中修改）"),
    ] = None,
) -> None:
    """为每份有问题的报告生成年报审查意见（整改通知，Word 文档）。

    每个错误和警告（--errors-only：只有错误）一行：问题、在报告中的位置、整改要求；
    另有整改期限。一份报告写一个 .docx（--pdf 另加 PDF）；多份报告写一个 .zip，
    或 -o 给出的文件夹中的各个文件。模板：--template，或 XXGK_DATA/templates/
    审查意见模板.docx，否则用 xxgk 自带的模板（--template-out 写出，可修改）。
    """
    from .supervise import notice as nt

    if template_out is not None:
        nt.write_template(template_out)
        print(template_out)
        if not reports:
            return
    if not reports:
        _say("xxgk notice：请给出报告文件或文件夹。用 xxgk notice -h 查看用法。")
        raise typer.Exit(2)
    due = _day(deadline, "--deadline")
    from .api import check_paths

    files: list[tuple[str, bytes]] = []
    status = 0
    severities = ("error",) if errors_only else ("error", "warning")
    try:
        for outcome in check_paths(list(reports)):
            if outcome.result is None:
                _say(outcome.line())
                status = 2
                continue
            one = nt.notice_of(outcome.result, severities)
            if not one.items:
                _say(f"xxgk: {outcome.source}：没有需要整改的问题，未生成审查意见")
                continue
            docx = nt.render_docx(one, due, office or nt.DEFAULT_OFFICE, template)
            files.append((one.filename(".docx"), docx))
            if pdf:
                files.append((one.filename(".pdf"), nt.to_pdf(docx)))
    except nt.NoticeError as exc:
        _say(f"xxgk notice：{exc}")
        raise typer.Exit(2) from None
    if files:
        for path in _write(files, out):
            print(path)
    raise typer.Exit(status)


def _write(files: list[tuple[str, bytes]], out: Path | None) -> list[Path]:
    from .supervise.notice import zip_notices

    if out is not None and out.is_dir():
        written = []
        for name, data in files:
            (out / name).write_bytes(data)
            written.append(out / name)
        return written
    single = len(files) == 1 or (len(files) == 2 and files[1][0].endswith(".pdf"))
    if out is None:
        out = Path(files[0][0] if len(files) == 1 else "审查意见.zip")
    if out.suffix.lower() == ".zip" or not single:
        if out.suffix.lower() != ".zip":
            _say(f"xxgk notice：多份文件请用 .zip 文件或已有的文件夹作 -o，而不是 {out}")
            raise typer.Exit(2)
        out.write_bytes(zip_notices(files))
        return [out]
    if len(files) == 2:  # one notice as DOCX and PDF: both, side by side
        docx = out.with_suffix(".docx")
        docx.write_bytes(files[0][1])
        out.with_suffix(".pdf").write_bytes(files[1][1])
        return [docx, out.with_suffix(".pdf")]
    out.write_bytes(files[0][1])
    return [out]


def register(app: typer.Typer) -> None:
    app.command("notice", cls=Command)(notice)
