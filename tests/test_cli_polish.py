"""What a user notices: help in Chinese, -h and --version, one rule at a time,
the same severity names everywhere, nothing cut at 80 columns, no binary on a
terminal, group labels in tables, and where each parsed value came from."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli import app
from xxgk.examples import example_paths

runner = CliRunner()
GOOD = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")
BAD = next(p for p in example_paths() if p.name == "township-2023-errors.txt")
COMMANDS = ("parse", "check", "new", "render", "fix", "rules", "schema", "demo")
ENGLISH = ("Usage", "Options", "Arguments", "Commands", "Show this message", "[required]")


def _xxgk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("xxgk")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120, env=env)


def _width(line: str) -> int:
    line = re.sub(r"\x1b\[[0-9;]*m", "", line)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_entirely_chinese(command: str) -> None:
    args = [command, "--help"] if command else ["--help"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0
    text = res.stdout
    assert text.startswith(f"用法：xxgk {command}".rstrip() + " ") or text.startswith("用法：xxgk ")
    assert "选项：" in text and "显示本帮助并退出" in text
    for english in ENGLISH:
        assert english not in text
    assert re.search(r"\b(TEXT|INTEGER|PATH|FILE)\b", text) is None
    assert runner.invoke(app, [*args[:-1], "-h"]).stdout == text


def test_help_names_required_arguments_and_types() -> None:
    text = runner.invoke(app, ["check", "-h"]).stdout
    assert "文件...  " in text and "[必填]" in text
    assert "-p, --previous 文件" in text and "--xlsx 文件" in text
    new = runner.invoke(app, ["new", "-h"]).stdout
    assert "--year 整数" in new and "--agency 文本" in new and "[默认：2021]" in new


def test_top_level_help_lists_the_commands() -> None:
    res = runner.invoke(app, [])
    assert res.exit_code == 0 and "命令：" in res.stdout
    for command in COMMANDS:
        assert f"\n  {command} " in res.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check"], "xxgk check：缺少参数 文件..."),
        (["check", "--nope", str(GOOD)], "xxgk check：没有 --nope 这个选项"),
        (["new", "--year", "abc", "--agency", "x"], "xxgk new：--year 的值无效（应为整数）"),
        (["render", str(GOOD), "--to"], "xxgk render：选项 --to 后面缺少值"),
        (["chek", str(GOOD)], "xxgk：没有 chek 这个命令"),
        (["new", "--agency", "x"], "xxgk new：缺少选项 --year"),
    ],
)
def test_usage_errors_are_one_chinese_line(args: list[str], message: str) -> None:
    proc = _xxgk(*args)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), proc.stderr
    assert "用" in lines[0] and "-h 查看用法" in lines[0]
    for english in ("Error", "Usage", "Try", "Missing", "Invalid"):
        assert english not in proc.stderr


def test_version() -> None:
    from importlib.metadata import version

    for flag in ("--version", "-V"):
        res = runner.invoke(app, [flag])
        assert res.exit_code == 0 and res.stdout == f"xxgk {version('xxgk')}\n"


def test_rules_shows_one_rule_in_full() -> None:
    from xxgk.checks import RULES

    rule = next(r for r in RULES if r.code == "SUM-001")
    res = runner.invoke(app, ["rules", "SUM-001"])
    assert res.exit_code == 0
    assert res.stdout.startswith(f"SUM-001 {rule.title}（错误）")
    assert rule.doc().splitlines()[-1].strip() in res.stdout  # the whole docstring
    assert "SUM-002" not in res.stdout
    assert runner.invoke(app, ["rules", "sum-001"]).stdout == res.stdout
    family = runner.invoke(app, ["rules", "XYR"])
    assert "XYR-001" in family.stdout and "XYR-002" in family.stdout
    assert "│ SUM-001" not in family.stdout
    unknown = runner.invoke(app, ["rules", "ABC-999"])
    assert unknown.exit_code == 2 and "没有编号为 ABC-999 的规则" in unknown.stderr


def test_severities_are_named_the_same_everywhere() -> None:
    listing = runner.invoke(app, ["rules"]).stdout
    assert "错误" in listing and "警告" in listing
    assert re.search(r"│ (error|warning|info) ", listing) is None
    md = runner.invoke(app, ["rules", "--markdown"]).stdout
    assert "| 错误 |" in md and "| error |" not in md and "· warning" not in md
    check = runner.invoke(app, ["check", str(BAD), "--no-tables"]).stdout
    assert "错误（3）" in check and "警告（" in check


def test_nothing_is_cut_at_80_columns() -> None:
    env = {**os.environ, "COLUMNS": "80"}
    for args in (
        ["-h"],
        ["check", "-h"],
        ["fix", "-h"],
        ["check", str(BAD)],
        ["check", str(BAD), str(GOOD)],
        ["rules"],
        ["parse", str(GOOD)],
    ):
        proc = _xxgk(*args, env=env)
        lines = proc.stdout.splitlines()
        assert lines and max(_width(line) for line in lines) <= 80, args
        assert re.search(r"…\s*[│┃]", proc.stdout) is None, args  # no cell cut short
    text = _xxgk("check", str(BAD), env=env).stdout
    first = "".join(
        line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│")
    )
    from xxgk.format import V2021
    from xxgk.summary import row_label

    for table in ("t2", "t3", "t4"):
        for row in V2021.table(table).rows:
            assert row_label(V2021, table, row.key).replace(" ", "") in first.replace(" ", "")


def test_tables_carry_the_group_of_repeated_numbers() -> None:
    res = runner.invoke(app, ["check", str(BAD)], env={"COLUMNS": "140"})
    assert "（三）不予公开 1.属于国家秘密" in res.stdout
    assert "（四）无法提供 1.本机关不掌握相关政府信息" in res.stdout
    assert "（五）不予处理 2.重复申请" in res.stdout


def test_parse_shows_where_each_value_came_from() -> None:
    res = runner.invoke(app, ["parse", str(GOOD)], env={"COLUMNS": "140"})
    assert res.exit_code == 0 and "数值出处" in res.stdout
    data = json.loads(runner.invoke(app, ["parse", str(GOOD), "--json"]).stdout)
    line = data["cells"]["t3.new.total"]["line"]
    row = next(r for r in res.stdout.splitlines() if "一、本年新收" in r and "· 总计" in r)
    assert f"第{line}行" in row and " 6 " in row


def test_docx_is_not_written_to_a_terminal(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("xxgk")
    master, slave = pty.openpty()
    try:
        proc = subprocess.run(
            [str(exe), "render", str(GOOD), "--to", "docx"],
            stdout=slave,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(slave)
        os.close(master)
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "DOCX 是二进制文件，不能显示在终端上" in err and "-o 报告.docx" in err
    target = tmp_path / "r.docx"
    ok = _xxgk("render", str(GOOD), "-o", str(target))
    assert ok.returncode == 0 and target.read_bytes()[:2] == b"PK"


def test_file_names_are_shown_as_they_are(tmp_path: Path) -> None:
    folder = tmp_path / "[bold]各单位"
    folder.mkdir()
    path = folder / "报告:smile:.txt"
    path.write_bytes(GOOD.read_bytes())
    single = runner.invoke(app, ["check", str(path)])
    assert f"{path}：0 个错误" in single.stdout
    (folder / "错例.txt").write_bytes(BAD.read_bytes())
    many = runner.invoke(app, ["check", str(folder)])
    assert "[bold]各单位" in many.stdout.replace("\n", "")
    assert "报告:smile:.txt" in many.stdout
