"""The web application's commands: ``xxgk serve``, ``xxgk init-example``, ``xxgk
users …`` and ``xxgk agencies …`` (registered on the main ``xxgk`` app by
``register``).  Like ``cli.py`` this module imports only Typer; each command imports
the store and the web app when it runs."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .cli_help import Command, Group
from .cli_import import import_folder

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .store.base import Store

users = typer.Typer(
    cls=Group, help="管理网页版的用户（管理员、监督人员、填报人员）。", no_args_is_help=True
)
agencies = typer.Typer(
    cls=Group, help="管理机关目录（省、市、县、乡及其部门，含别名）。", no_args_is_help=True
)

_ROLE_HELP = (
    "角色：admin（管理员）、supervisor（监督人员，看所辖地区）、clerk（填报人员，一个机关）"
)
_LEVEL_HELP = "级别：省、市、县、乡、部门"
EXAMPLE_ADMIN = "admin"


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def _open_store() -> Store:
    from .store.base import Store
    from .store.db import data_dir

    try:
        store = Store()
        store.upgrade()
    except Exception as exc:
        _say(f"xxgk: 无法打开数据库（数据目录 {data_dir()}）：{type(exc).__name__}：{exc}")
        raise typer.Exit(2) from None
    return store


@contextmanager
def _session() -> Iterator[Session]:
    """A committed store session; a StoreError is one Chinese line and exit 2."""
    from .store.agencies import StoreError

    store = _open_store()
    try:
        with store.session() as s:
            yield s
    except StoreError as exc:
        _say(f"xxgk: {exc}")
        raise typer.Exit(2) from None
    finally:
        store.dispose()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = typer.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")
    else:
        _say("xxgk: 请用 --password-stdin 从标准输入给出密码")
        raise typer.Exit(2)
    if not password:
        _say("xxgk: 密码为空")
        raise typer.Exit(2)
    return password


@users.command("add", cls=Command)
def users_add(
    name: Annotated[str, typer.Argument(help="用户名", metavar="用户名")],
    role: Annotated[str, typer.Option("--role", help=_ROLE_HELP)],
    scope: Annotated[
        str | None,
        typer.Option("--scope", help="所属机关（填报人员）或所辖地区（监督人员）的名称"),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="从标准输入读取密码（一行）")
    ] = False,
) -> None:
    """添加用户。"""
    from .store import accounts

    password = _read_password(password_stdin)
    with _session() as s:
        user = accounts.add_user(s, name, role, password, scope)
        accounts.audit(
            s, None, "user.add", f"命令行添加用户 {user.name}（{role}，{scope or '全部'}）"
        )
    _say(f"已添加用户 {name}（{accounts.ROLE_NAMES[role]}）")


@users.command("password", cls=Command)
def users_password(
    name: Annotated[str, typer.Argument(help="用户名", metavar="用户名")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="从标准输入读取密码（一行）")
    ] = False,
) -> None:
    """重设用户的密码。"""
    from .store import accounts
    from .store.agencies import StoreError

    password = _read_password(password_stdin)
    with _session() as s:
        user = accounts.by_name(s, name)
        if user is None:
            raise StoreError(f"没有用户“{name}”")
        accounts.set_password(user, password)
        accounts.audit(s, None, "user.password", f"命令行重设 {name} 的密码")
    _say(f"已重设 {name} 的密码")


@users.command("token", cls=Command)
def users_token(name: Annotated[str, typer.Argument(help="用户名", metavar="用户名")]) -> None:
    """为用户生成一个新的 API 令牌（只显示这一次）。"""
    from .store import accounts
    from .store.agencies import StoreError

    with _session() as s:
        user = accounts.by_name(s, name)
        if user is None:
            raise StoreError(f"没有用户“{name}”")
        token = accounts.new_token(s, user)
        accounts.audit(s, None, "token.add", f"命令行为 {name} 生成 API 令牌")
    sys.stdout.write(token + "\n")
    _say("请妥善保存此令牌（只显示这一次）；调用 API 时放在 Authorization: Bearer 头中。")


@users.command("list", cls=Command)
def users_list() -> None:
    """列出用户。"""
    from sqlalchemy import select

    from .store.accounts import ROLE_NAMES
    from .store.models import User

    with _session() as s:
        for u in s.scalars(select(User).order_by(User.id)):
            scope = u.scope.name if u.scope is not None else "全部"
            sys.stdout.write(f"{u.name}\t{ROLE_NAMES.get(u.role, u.role)}\t{scope}\n")


@agencies.command("add", cls=Command)
def agencies_add(
    name: Annotated[str, typer.Argument(help="机关或地区名称", metavar="名称")],
    level: Annotated[str, typer.Option("--level", help=_LEVEL_HELP)],
    parent: Annotated[str | None, typer.Option("--parent", help="上级机关或地区的名称")] = None,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="别名（报告中可能的写法），可多次给出")
    ] = None,
) -> None:
    """添加一个机关或地区。"""
    from .store import accounts
    from .store import agencies as tree

    with _session() as s:
        tree.add(s, name, level, parent, alias or [])
        accounts.audit(
            s, None, "agency.add", f"命令行添加 {name}（{level}，上级 {parent or '无'}）"
        )
    _say(f"已添加 {name}（{level}）")


@agencies.command("import", cls=Command)
def agencies_import(
    file: Annotated[
        Path,
        typer.Argument(help="Excel（.xlsx）或 CSV 文件：第一行为 名称、级别、上级、别名"),
    ],
) -> None:
    """从 Excel 或 CSV 表导入机关目录。

    第一行是列名：名称（必填）、级别（必填：省、市、县、乡、部门）、上级（上级的名称，
    顶级留空）、别名（报告中的其他写法，多个用顿号或逗号分开）。行的先后不限；
    已有的机关只补充别名。
    """
    from .store import accounts
    from .store import agencies as tree

    with _session() as s:
        added, updated = tree.import_table(s, file)
        accounts.audit(s, None, "agency.import", f"命令行导入 {file}：新增 {added}，更新 {updated}")
    _say(f"已导入 {file}：新增 {added} 个，已有 {updated} 个")


@agencies.command("list", cls=Command)
def agencies_list() -> None:
    """按层级列出机关目录。"""
    from sqlalchemy import select

    from .store.models import Agency

    with _session() as s:
        rows = list(s.scalars(select(Agency).order_by(Agency.id)))
        kids: dict[int | None, list[Agency]] = {}
        for a in rows:
            kids.setdefault(a.parent_id, []).append(a)

        def show(parent: int | None, depth: int) -> None:
            for a in kids.get(parent, []):
                aliases = "、".join(x.alias for x in a.aliases)
                extra = f"（别名：{aliases}）" if aliases else ""
                sys.stdout.write(f"{'  ' * depth}{a.name}\t{a.level}{extra}\n")
                show(a.id, depth + 1)

        show(None, 0)


# the example jurisdiction of `make run`: (name, level, parent, aliases)
EXAMPLE_TREE = (
    ("某某市", "市", None, ()),
    ("某某市某某局", "部门", "某某市", ("市某某局",)),
    ("某某县", "县", "某某市", ()),
    ("某某县发展和改革局", "部门", "某某县", ("县发改局",)),
    ("某某县某某镇人民政府", "乡", "某某县", ("某某镇",)),
    ("某某区", "县", "某某市", ()),
    ("某某区某某办公室", "部门", "某某区", ()),
    ("某某区卫生健康局", "部门", "某某区", ()),
)


def init_example() -> None:
    """建立示例数据：一个示例地区、xxgk 自带的示例报告和第一个管理员（make run 使用）。

    管理员 admin 的密码随机生成，只在第一次显示；再次运行不会重建。
    """
    import secrets

    from sqlalchemy import select

    from .examples import example_paths
    from .store import accounts
    from .store import agencies as tree
    from .store.models import User
    from .supervise.demo import LEDGER_AGENCY, example_filings, example_ledger, example_reports
    from .web import service
    from .web.worker import run_pending

    store = _open_store()
    password = None
    try:
        with store.session() as s:
            for name, level, parent, aliases in EXAMPLE_TREE:
                if tree.by_name(s, name) is None:
                    tree.add(s, name, level, parent, aliases)
            admin = s.scalar(select(User).where(User.role == "admin").order_by(User.id))
            if admin is None:
                password = secrets.token_urlsafe(12)
                admin = accounts.add_user(s, EXAMPLE_ADMIN, "admin", password)
                accounts.audit(s, None, "user.add", "init-example 创建第一个管理员")
            for path in example_paths():
                service.upload(s, store, admin, path.read_bytes(), path.name, None)
            for name, data in example_reports():  # more years for the dashboard
                service.upload(s, store, admin, data, name, None)
            ledger = example_ledger(s)  # the ledger's pages: simulated requests
            admin_name, admin_id = admin.name, admin.id
        run_pending(store)
        with store.session() as s:  # half of the agencies file their newest report
            year, filed, agencies_with = example_filings(s, admin_id)
    finally:
        store.dispose()
    _say(f"数据目录：{store.data.resolve()}（数据库：{_safe_url(store.url)}）")
    if ledger:
        _say(f"依申请台账：已为{LEDGER_AGENCY}模拟登记 {ledger} 件申请（2024、2025 年）。")
    if filed:
        _say(
            f"报送审核：{agencies_with} 个机关有 {year} 年度报告，其中 {filed} 个已报送审核"
            "（其余显示为未报送）。"
        )
    if password is not None:
        _say(f"已创建管理员：用户名 {admin_name}  密码 {password}")
        _say("（密码只显示这一次，请记下；忘记时：xxgk users password admin --password-stdin）")
    else:
        _say(f"管理员 {admin_name} 已存在（密码在第一次运行时显示过）。")


def _safe_url(url: str) -> str:
    """A database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址（默认只在本机）")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="后台核查用的进程数（默认为 CPU 核数）")
    ] = 0,
) -> None:
    """启动网页版（浏览器打开显示的地址登录）。

    数据保存在 XXGK_DATA 指定的目录（默认 ./xxgk-data/）；XXGK_DATABASE_URL 可改用
    PostgreSQL（postgresql://用户:密码@主机/库名）。
    """
    import os

    import uvicorn

    from .store.base import Store
    from .web.app import create_app

    store = Store()
    if jobs > 0:
        os.environ["XXGK_JOBS"] = str(jobs)
    else:
        os.environ.setdefault("XXGK_JOBS", str(os.cpu_count() or 1))
    app = create_app(store)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    _say(
        f"xxgk 网页版：http://{shown}:{port}/  （用户名和密码见 init-example 的输出，按 Ctrl+C 停止）"
    )
    _say(f"数据目录：{store.data.resolve()}；数据库：{_safe_url(store.url)}")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.add_typer(users, name="users")
    app.add_typer(agencies, name="agencies")
    app.command("serve", cls=Command)(serve)
    app.command("init-example", cls=Command)(init_example)
    app.command("import", cls=Command)(import_folder)
