"""The command line's help and usage errors, in Chinese.

Typer (and the Click it vendors) prints "Usage:", "Options:", "Show this message and
exit." and English error boxes.  ``Group`` and ``Command`` replace that: help is
written here from the parameters' own (Chinese) help texts, and every usage error
becomes one Chinese line on standard error.
"""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, get_args

from typer._click import exceptions as click_exc
from typer._click.core import Context, Parameter
from typer._click.formatting import HelpFormatter
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.exceptions import Abort

HELP = "显示本帮助并退出"
_TYPE = {Path: "文件", int: "整数", float: "数字", str: "文本", bool: ""}


def width(text: str) -> int:
    """Columns a terminal gives the text (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, limit: int) -> list[str]:
    """Lines of at most ``limit`` columns, broken between characters (CJK has no
    spaces) but never inside a run of ASCII letters, digits or option names."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line = ""
        tokens: list[str] = []
        word = ""
        for ch in para:
            if ch.isascii() and not ch.isspace():
                word += ch
                continue
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        if word:
            tokens.append(word)
        for tok in tokens:
            if line and width(line) + width(tok) > limit:
                lines.append(line.rstrip())
                line = "" if tok == " " else tok
            else:
                line += tok
        lines.append(line.rstrip())
    return lines


def _columns() -> int:
    cols = shutil.get_terminal_size((100, 24)).columns
    return max(40, min(cols, 120))


def type_name(param: Parameter) -> str:
    """The Chinese hint of a parameter's value: 文件, 整数, 文本 (or its metavar)."""
    metavar = getattr(param, "metavar", None)
    if metavar:
        return str(metavar)
    desc = getattr(param, "type_descriptor", None)
    ann = getattr(desc, "annotation", None)
    for t in (ann, *get_args(ann)):
        if t in _TYPE:
            return _TYPE[t]
        for inner in get_args(t):
            if inner in _TYPE:
                return _TYPE[inner]
    return "值"


def _is_flag(param: Parameter) -> bool:
    return bool(getattr(param, "is_flag", False))


def _arg_name(param: Parameter) -> str:
    name = type_name(param)
    return f"{name}..." if param.nargs == -1 else name


def _opts(param: Parameter) -> str:
    names = sorted(param.opts, key=lambda o: (o.startswith("--"), o))
    text = ", ".join(names)
    if not _is_flag(param):
        text += f" {type_name(param)}"
    return text


def _help_option_names(cmd: Any, ctx: Context) -> list[str]:
    names: list[str] = cmd.get_help_option_names(ctx)
    return sorted(names, key=lambda o: (o.startswith("--"), o))


def _rows(rows: list[tuple[str, str]], formatter: HelpFormatter) -> None:
    cols = _columns()
    first = min(max((width(a) for a, _ in rows), default=0), 28) + 2
    for a, b in rows:
        room = max(20, cols - first - 4)
        text = wrap(b, room)
        if width(a) > first - 2:
            formatter.write(f"  {a}\n")
            pad = " " * (first + 2)
            for line in text:
                formatter.write(f"{pad}{line}\n")
            continue
        pad = " " * (first - width(a))
        formatter.write(f"  {a}{pad}{text[0] if text else ''}\n")
        for line in text[1:]:
            formatter.write(" " * (first + 2) + line + "\n")


def _param_help(param: Parameter) -> str:
    text = str(getattr(param, "help", "") or "")
    default = getattr(param, "default", None)
    if param.required:
        text += "  [必填]"
    elif not _is_flag(param) and default not in (None, (), []) and param.nargs != -1:
        text += f"  [默认：{default}]"
    return text


def usage(cmd: Any, ctx: Context) -> str:
    """用法：xxgk check [选项] 文件..."""
    path = ctx.command_path
    if isinstance(cmd, TyperGroup):
        return f"用法：{path} [选项] 命令 [参数]..."
    args = []
    for p in cmd.params:
        if isinstance(p, TyperArgument):
            name = _arg_name(p)
            args.append(name if p.required else f"[{name}]")
    return " ".join([f"用法：{path} [选项]", *args])


def format_help(cmd: Any, ctx: Context, formatter: HelpFormatter) -> None:
    """The whole help page of a command or of the group, in Chinese."""
    formatter.write(usage(cmd, ctx) + "\n")
    if cmd.help:
        formatter.write("\n")
        for para in cmd.help.strip().split("\n\n"):
            joined = "".join(line.strip() for line in para.splitlines())
            for line in wrap(joined, _columns() - 4):
                formatter.write(f"  {line}\n")
            formatter.write("\n")
    else:
        formatter.write("\n")
    arguments = [p for p in cmd.params if isinstance(p, TyperArgument)]
    options = [p for p in cmd.params if not isinstance(p, TyperArgument)]
    if arguments:
        formatter.write("参数：\n")
        _rows([(_arg_name(p), _param_help(p)) for p in arguments], formatter)
        formatter.write("\n")
    rows = [(_opts(p), _param_help(p)) for p in options if not getattr(p, "hidden", False)]
    rows.append((", ".join(_help_option_names(cmd, ctx)), HELP))
    formatter.write("选项：\n")
    _rows(rows, formatter)
    if isinstance(cmd, TyperGroup):
        formatter.write("\n命令：\n")
        found = [(n, cmd.get_command(ctx, n)) for n in cmd.list_commands(ctx)]
        commands = [(n, c) for n, c in found if c is not None and not c.hidden]
        _rows(
            [(n, (c.help or "").strip().splitlines()[0]) for n, c in commands],
            formatter,
        )
        formatter.write(f"\n每个命令的用法：{ctx.command_path} 命令 -h\n")


def explain(exc: click_exc.ClickException) -> str:
    """A usage error as one Chinese sentence."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click_exc.NoSuchOption):
        msg = f"没有 {exc.option_name} 这个选项"
        if exc.possibilities:
            msg += f"（是否要用 {'、'.join(sorted(exc.possibilities))}？）"
        return msg
    if isinstance(exc, click_exc.MissingParameter):
        p = exc.param
        if p is None:
            return "缺少参数"
        if isinstance(p, TyperArgument):
            return f"缺少参数 {_arg_name(p)}（{getattr(p, 'help', '') or ''}）".replace("（）", "")
        return f"缺少选项 {', '.join(p.opts)}（{getattr(p, 'help', '') or ''}）".replace("（）", "")
    if isinstance(exc, click_exc.BadParameter):
        p = exc.param
        hint = _arg_name(p) if isinstance(p, TyperArgument) else ", ".join(p.opts) if p else "参数"
        want = type_name(p) if p is not None else ""
        return f"{hint} 的值无效" + (f"（应为{want}）" if want and want != "值" else "")
    if isinstance(exc, click_exc.BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"选项 {exc.option_name} 不带值"
        return f"选项 {exc.option_name} 后面缺少值"
    message = exc.format_message()
    if message.startswith("Got unexpected extra argument"):
        extra = message.partition("(")[2].rstrip(")")
        return f"多余的参数：{extra}"
    if message.startswith("No such command"):
        name = message.partition("'")[2].partition("'")[0]
        group = ctx.command if ctx is not None else None
        names = ""
        if ctx is not None and isinstance(group, TyperGroup):
            names = "、".join(group.list_commands(ctx))
        return f"没有 {name} 这个命令" + (f"（可用命令：{names}）" if names else "")
    if message.startswith("Missing command"):
        return "缺少命令"
    return f"命令行有误（{message}）"


def _fail(exc: click_exc.ClickException, cmd: Any, args: Sequence[str] | None) -> NoReturn:
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        path = ctx.command_path
    else:  # the parser did not say which command: the first word that is one
        words = list(sys.argv[1:] if args is None else args)
        names = getattr(cmd, "commands", {})
        sub = next((w for w in words if w in names), None)
        path = f"xxgk {sub}" if sub else "xxgk"
    sys.stderr.write(f"{path}：{explain(exc)}。用 {path} -h 查看用法。\n")
    raise SystemExit(exc.exit_code)


def run(cmd: Any, super_main: Any, args: Sequence[str] | None, kwargs: dict[str, Any]) -> Any:
    """Run a command with Chinese usage errors; exit with its status."""
    standalone = kwargs.pop("standalone_mode", True)
    kwargs["prog_name"] = "xxgk"  # also under ``python -m xxgk`` and in tests
    try:
        rv = super_main(args=args, standalone_mode=False, **kwargs)
    except click_exc.NoArgsIsHelpError as exc:
        sys.stdout.write(exc.ctx.get_help() + "\n")
        rv = 0
    except click_exc.ClickException as exc:
        if not standalone:
            raise
        _fail(exc, cmd, args)
    except Abort:
        if not standalone:
            raise
        sys.stderr.write("xxgk：已中止。\n")
        raise SystemExit(1) from None
    if not standalone:
        return rv
    raise SystemExit(rv if isinstance(rv, int) else 0)


def _fast_coercion(params: Sequence[Parameter]) -> None:
    """Convert str, int and Path values (and lists and optionals of them) directly.

    Typer builds a pydantic TypeAdapter for every parameter, which costs more start-up
    time than checking a report; these simple types need none.  Anything else (or a
    Typer without this hook) keeps Typer's own conversion."""
    try:
        from typer._coercion import RuntimeParam
    except ImportError:  # another Typer: its own conversion
        return

    class Simple(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Context) -> Any:
            convert = _simple_type(self.annotation)[0]
            try:
                if isinstance(value, list | tuple):
                    return [convert(v) for v in value]
                return convert(value)
            except (TypeError, ValueError):
                raise click_exc.BadParameter(str(value), ctx=ctx, param=param) from None

    for p in params:
        desc = getattr(p, "type_descriptor", None)
        if desc is None or desc.file_annotation is not None:
            continue
        if getattr(p, "_runtime_param", "missing") is not None:
            continue
        convert = _simple_type(desc.annotation)
        if convert is not None:
            p._runtime_param = Simple(  # type: ignore[attr-defined]
                parameter_info=desc.parameter_info, annotation=desc.annotation
            )


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on", "y", "t")


_SIMPLE: dict[Any, Any] = {str: str, int: int, Path: Path, bool: _flag}


def _simple_type(annotation: Any) -> Any:
    """(converter,) for str/int/Path, their lists and optionals; None otherwise."""
    if annotation in _SIMPLE:
        return (_SIMPLE[annotation],)
    args = [a for a in get_args(annotation) if a is not type(None)]
    origin = getattr(annotation, "__origin__", None)
    if len(args) == 1 and args[0] in _SIMPLE and origin in (list, None):
        return (_SIMPLE[args[0]],)
    if len(args) == 1 and args[0] in _SIMPLE:  # X | None
        return (_SIMPLE[args[0]],)
    return None


if TYPE_CHECKING:
    _Base = TyperCommand
else:
    _Base = object


class _Chinese(_Base):
    """Chinese help and usage errors, for the group and every subcommand alike."""

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            _fast_coercion([option])
        return option

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _fast_coercion(self.params)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        format_help(self, ctx, formatter)

    def main(self, args: Sequence[str] | None = None, *a: Any, **kw: Any) -> Any:
        return run(self, super().main, args, _kwargs(a, kw))


class Command(_Chinese, TyperCommand):
    """A subcommand whose help is in Chinese."""


class Group(_Chinese, TyperGroup):
    """The ``xxgk`` group: Chinese help, Chinese usage errors."""


# Command groups built only when named (``xxgk ledger …``) or listed (``xxgk -h``):
# building a group of many commands costs start-up time every other command would pay.
# name -> (module, attribute holding its Typer app)
LAZY: dict[str, tuple[str, str]] = {}


class TopGroup(Group):
    """The ``xxgk`` command itself: its big groups (``LAZY``) are built on first use."""

    def list_commands(self, ctx: Context) -> list[str]:
        names = list(super().list_commands(ctx))
        return names + [n for n in LAZY if n not in names]

    def get_command(self, ctx: Context, cmd_name: str) -> Any:
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in LAZY:
            import importlib

            from typer.main import get_command

            module, attribute = LAZY[cmd_name]
            found = get_command(getattr(importlib.import_module(module), attribute))
            found.name = cmd_name
            self.add_command(found, cmd_name)
        return found


def _kwargs(a: tuple[Any, ...], kw: dict[str, Any]) -> dict[str, Any]:
    names = ("prog_name", "complete_var", "standalone_mode", "windows_expand_args")
    kw.update(zip(names, a, strict=False))
    return kw


def debug() -> bool:
    return bool(os.environ.get("XXGK_DEBUG"))
