"""What every command writes, without Typer: the Rich console made on first use, one
plain line on standard error, strict JSON on standard output, and the last line of
defence that turns an unexpected failure into one Chinese line.

The ``check`` of one file runs on these alone (see :mod:`xxgk.entry`), so nothing here
imports Typer or, before it is used, Rich.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class _LazyConsole:
    """The Rich console, made on first use (importing Rich costs start-up time)."""

    _console: Console | None = None

    def get(self) -> Console:
        if self._console is None:
            from rich.console import Console

            fixed = sys.stdout.isatty() or "COLUMNS" in os.environ
            width = None if fixed else 120
            # emoji=False: no :name: codes in reports, and their table costs start-up time
            self._console = Console(soft_wrap=False, width=width, emoji=False)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


out: Any = _LazyConsole()


def say(message: str) -> None:
    """One plain line on standard error (no wrapping, no markup)."""
    sys.stderr.write(message.replace("\n", " ") + "\n")


def json_text(data: Any, indent: int | None = 2) -> str:
    """Strict JSON (never NaN or Infinity: such a number is written as null), in text
    that UTF-8 can hold (a stray surrogate is written as an escape)."""
    import json

    try:
        text = json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    except ValueError:
        data = finite(data)
        text = json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True, indent=indent, allow_nan=False)
    return text


def utf8_stdout() -> None:
    """JSON is UTF-8: also when Windows redirects standard output to a file (GBK)."""
    if os.name == "nt" and not sys.stdout.isatty():
        reconfigure = getattr(sys.stdout, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")


def finite(data: Any) -> Any:
    if isinstance(data, float):
        return data if data == data and data not in (float("inf"), float("-inf")) else None
    if isinstance(data, dict):
        return {k: finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [finite(v) for v in data]
    return data


def dump(data: Any) -> None:
    utf8_stdout()
    sys.stdout.write(json_text(data) + "\n")


def guarded(run: Callable[[], object]) -> None:
    """Run a command: never a traceback for the user (set XXGK_DEBUG=1 to see one);
    Ctrl-C is exit status 130."""
    try:
        run()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except BrokenPipeError:  # the reader of the output went away (`| head`), as click says
        raise SystemExit(1) from None
    except Exception as exc:  # the last line of defence
        if os.environ.get("XXGK_DEBUG"):
            raise
        files = " ".join(a for a in sys.argv[2:] if not a.startswith("-")) or "命令"
        say(
            f"xxgk: 处理 {files} 时内部出错（{type(exc).__name__}：{exc}）（设置 XXGK_DEBUG=1 查看详情）"
        )
        raise SystemExit(2) from None
