"""``xxgk check`` without Typer: the command's work, called by the Typer command and,
for ``xxgk check FILE… [--json] [--no-tables]``, straight from :mod:`xxgk.entry` (Typer
costs a third of the start-up of checking one file).  Returns the exit status."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_out import dump as _dump
from .cli_out import out
from .cli_out import say as _say
from .cli_out import utf8_stdout as _utf8_stdout

if TYPE_CHECKING:
    from .batch import Outcome


def run_check(
    files: list[Path],
    *,
    as_json: bool = False,
    as_jsonl: bool = False,
    xlsx: Path | None = None,
    details: bool = False,
    previous: Path | None = None,
    no_tables: bool = False,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
) -> int:
    """Check ``files`` as ``xxgk check`` does; the exit status."""
    from . import api
    from .batch import EngineError

    if jobs is not None and jobs < 1:
        _say(f"xxgk check：--jobs 应为正整数（进程数），而不是 {jobs}")
        return 2
    many = len(files) > 1 or any(f.is_dir() or f.suffix.lower() == ".zip" for f in files)
    skip = [xlsx] if xlsx is not None else []
    keep = as_json or xlsx is not None or not as_jsonl  # what is shown after the last file
    try:
        batch = api.check_many(
            files,
            jobs=jobs,
            scheduler=scheduler,
            previous=previous,
            pair=True,
            skip=skip,
            lines=as_jsonl,
            objects=keep,  # JSON lines only: the workers send back the lines, not objects
        )
    except EngineError as exc:
        _say(f"xxgk: {exc}")
        return 2
    show = progress if progress is not None else many and sys.stderr.isatty()
    bar = CheckBar(batch.total) if show else None
    say = bar.say if bar is not None else _say
    kept: dict[int, Outcome] = {}
    code = 0
    try:
        for o in batch:
            code = max(code, o.status)
            if as_jsonl:  # told as it happens; otherwise in input order at the end
                tell(o, say)
                _utf8_stdout()
                _write_line(o)
            if keep and (o.replaces or o.order not in kept):
                kept[o.order] = o
            if bar is not None:
                bar.update(batch.done, batch.errors, batch.pairs)
    except KeyboardInterrupt:
        batch.close()
        if bar is not None:
            bar.stop()
            bar = None
        _say(f"xxgk: 已中断：{batch.total} 个文件中已核查 {batch.done} 个")
        return 130
    finally:
        if bar is not None:
            bar.stop()
    outcomes = [kept[k] for k in sorted(kept)]
    if not as_jsonl:
        for o in outcomes:
            tell(o, _say)
    if as_json:
        data = [o.as_dict() for o in outcomes]
        _dump(data[0] if not many and len(data) == 1 else data)
    elif not as_jsonl:
        from .show import print_check, summary

        if many:
            out.print(summary(outcomes))
        for o in outcomes:
            if o.result is not None and (details or not many):
                if many:
                    out.print()
                print_check(out.get(), o.result, show_tables=not no_tables)
    if xlsx is not None:
        from .batch import os_problem

        try:
            xlsx.write_bytes(api.summary_xlsx(outcomes))
        except OSError as exc:
            _say(f"xxgk: 无法写入 {xlsx}：{os_problem(exc, writing=True)}")
            return 2
        _say(f"已写出汇总：{xlsx}")
    return code


def _write_line(o: Outcome) -> None:
    """A JSON line on standard output, as the bytes the worker made where the stream
    takes bytes (not on Windows, whose text stream writes line ends of its own)."""
    raw = getattr(sys.stdout, "buffer", None)
    if raw is None or os.name == "nt":
        sys.stdout.write(o.json_line() + "\n")
        sys.stdout.flush()
        return
    sys.stdout.flush()  # what the text layer holds goes first
    raw.write(o.json_bytes() + b"\n")
    raw.flush()


def tell(o: Outcome, say: Callable[[str], None]) -> None:
    """The line of a file that failed, or the note of a --previous not compared."""
    if o.error is not None:
        say(o.line())
        if o.trace and os.environ.get("XXGK_DEBUG"):
            say(o.trace.rstrip("\n"))
    elif o.note and not o.replaces:
        say(f"xxgk: {o.source}：{o.note}")


class CheckBar:
    """A Rich progress bar on standard error: files done/total, rate, time left, errors."""

    def __init__(self, total: int) -> None:
        import time

        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True, emoji=False, highlight=False)
        self.start = time.monotonic()
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            TextColumn("错误 {task.fields[errors]}"),
            console=self.console,
            redirect_stdout=False,  # results stay on standard output, whatever it is
            redirect_stderr=False,
        )
        self.task = self.progress.add_task("核查", total=total, rate="", errors=0)
        self.progress.start()

    def update(self, done: int, errors: int, pairs: int) -> None:
        import time

        rate = done / max(time.monotonic() - self.start, 1e-6)
        what = f"跨年核对 {pairs}" if pairs else "核查"
        self.progress.update(
            self.task, completed=done, description=what, rate=f"{rate:.1f} 份/秒", errors=errors
        )

    def say(self, message: str) -> None:
        self.console.print(message, markup=False, highlight=False, soft_wrap=True)

    def stop(self) -> None:
        self.progress.stop()
