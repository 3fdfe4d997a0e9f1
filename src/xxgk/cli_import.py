"""``xxgk import DIR``: a folder of reports into the web app's store, as if uploaded
(the same duplicate check, the same agency matching), then checked, with a progress
bar on standard error."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def import_folder(
    folder: Annotated[
        Path, typer.Argument(help="报告所在的文件夹（含子文件夹）", metavar="文件夹")
    ],
    user: Annotated[
        str | None, typer.Option("--user", help="记为上传人的用户（默认第一个管理员）")
    ] = None,
    agency: Annotated[
        str | None, typer.Option("--agency", help="全部报告归属此机关（默认按报告所写机关匹配）")
    ] = None,
    check: Annotated[bool, typer.Option("--check/--no-check", help="导入后立即核查")] = True,
) -> None:
    """把一个文件夹里的报告导入网页版的数据目录（XXGK_DATA），并核查。

    与网页上传相同：相同内容的文件只存一次；所属机关按报告所写名称（及别名）匹配，
    匹配不上的进入“待归属”列表。
    """
    import sys

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .batch import REPORT_SUFFIXES
    from .cli_web import _open_store
    from .store import reports
    from .store.models import StoredReport, User
    from .web import service, worker
    from .web.errors import ApiError

    err = Console(stderr=True)
    if not folder.is_dir():
        err.print(f"xxgk: 找不到文件夹 {folder}", markup=False, highlight=False)
        raise typer.Exit(2)
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in REPORT_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    if not files:
        err.print(f"xxgk: {folder} 里没有报告文件", markup=False, highlight=False)
        raise typer.Exit(2)
    from sqlalchemy import func, select

    store = _open_store()
    added = duplicates = refused = checked = 0
    ids: list[int] = []
    try:
        with store.session() as s:
            if user:
                uploader = s.scalar(select(User).where(User.name == user))
            else:
                uploader = s.scalar(select(User).where(User.role == "admin").order_by(User.id))
            if uploader is None:
                err.print(
                    f"xxgk: 没有用户 {user}"
                    if user
                    else "xxgk: 还没有管理员（先运行 xxgk init-example 或 xxgk users add）",
                    markup=False,
                    highlight=False,
                )
                raise typer.Exit(2)
            uploader_id = uploader.id
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=False,
        ) as bar:
            task = bar.add_task("导入", total=len(files))
            for path in files:
                try:
                    with store.session() as s:
                        who = s.get(User, uploader_id)
                        assert who is not None
                        row, duplicate = service.upload(
                            s, store, who, path.read_bytes(), path.name, agency
                        )
                        ids.append(row.id)
                    duplicates += duplicate
                    added += not duplicate
                except (ApiError, OSError) as exc:
                    refused += 1
                    where = path.relative_to(folder)
                    problem = (
                        str(exc.detail).split("：", 1)[-1]
                        if isinstance(exc, ApiError)
                        else str(exc)
                    )
                    bar.console.print(f"xxgk: {where}：{problem}", markup=False, highlight=False)
                bar.advance(task)
            if check:
                with store.session() as s:
                    todo = s.scalar(
                        select(func.count())
                        .select_from(StoredReport)
                        .where(StoredReport.status == "queued")
                    )
                task = bar.add_task("核查", total=todo or 0)
                while True:
                    with store.session() as s:
                        batch = reports.claim_many(s, worker.BATCH)
                    if not batch:
                        break
                    worker.process(store, batch)
                    checked += len(batch)
                    bar.advance(task, len(batch))
    finally:
        store.dispose()
    line = f"导入 {added} 份，重复 {duplicates} 份"
    if refused:
        line += f"，未能导入 {refused} 份"
    if check:
        line += f"；已核查 {checked} 份"
    print(line, file=sys.stderr)
    raise typer.Exit(1 if refused else 0)
