"""``xxgk dataset``: what a supervisor types and reads."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from xxgk.cli import app

from .corpus import extras, make

runner = CliRunner()


def test_a_run_says_how_many_were_new_skipped_and_failed(tmp_path: Path) -> None:
    made = make(tmp_path / "in")
    extras(tmp_path / "in", made)
    out = tmp_path / "数据集"
    first = runner.invoke(app, ["dataset", str(tmp_path / "in"), "-o", str(out), "-j", "1"])
    assert first.exit_code == 2  # scan.pdf could not be read (and is recorded)
    assert f"新增 {len(made)} 份，跳过 1 份（已在数据集中），失败 1 份" in first.stdout
    assert "scan.pdf" in first.stderr and "无法读取" in first.stderr
    again = runner.invoke(app, ["dataset", str(tmp_path / "in"), "-o", str(out), "-j", "1"])
    assert again.exit_code == 0
    assert f"新增 0 份，跳过 {len(made) + 2} 份" in again.stdout
    assert f"共 {len(made) + 1} 份报告" in again.stdout


def test_usage_mistakes_are_one_chinese_line(tmp_path: Path) -> None:
    make(tmp_path / "in")
    no_out = runner.invoke(app, ["dataset", str(tmp_path / "in")])
    assert no_out.exit_code == 2 and "缺少选项 -o" in no_out.stderr
    no_dataset = runner.invoke(app, ["dataset", "--query", "carry-over", str(tmp_path / "in")])
    assert no_dataset.exit_code == 2 and "不是 xxgk 数据集目录" in no_dataset.stderr
    two = runner.invoke(app, ["dataset", "--query", "carry-over", "a", "b"])
    assert two.exit_code == 2 and "只需要一个数据集目录" in two.stderr
    (tmp_path / "occupied").mkdir()
    (tmp_path / "occupied" / "notes.docx").write_bytes(b"x")
    taken = runner.invoke(app, ["dataset", str(tmp_path / "in"), "-o", str(tmp_path / "occupied")])
    assert taken.exit_code == 2 and "不是 xxgk 数据集目录" in taken.stderr
    assert "Traceback" not in no_out.output + no_dataset.output + two.output + taken.output


def test_the_help_is_chinese_and_names_the_queries() -> None:
    result = runner.invoke(app, ["dataset", "-h"])
    assert result.exit_code == 0
    assert "用法：xxgk dataset [选项] [目录...]" in result.stdout
    for name in (
        "sum-errors-by-year",
        "most-denied",
        "carry-over",
        "late-by-level",
        "disclosure-rate",
    ):
        assert name in result.stdout
    assert "Usage" not in result.stdout


def _documented_flags(path: Path) -> list[str]:
    """The options written after ``xxgk dataset`` in a document's command lines."""
    flags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for m in re.finditer(r"xxgk dataset((?: +[^\s#`,]+)*)", line):
            flags += re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", m.group(1))
    return flags


def test_the_options_the_docs_show_exist() -> None:
    help_text = runner.invoke(app, ["dataset", "-h"]).stdout
    root = Path(__file__).resolve().parents[2]
    for doc in ("README.md", "docs/用户指南.md", "docs/dataset.md"):
        flags = _documented_flags(root / doc)
        assert flags or doc == "README.md", doc
        for flag in flags:
            assert re.search(rf"(?<![\w-]){re.escape(flag)}\b", help_text), (doc, flag)


def test_the_help_has_no_english_words_of_click() -> None:
    text = runner.invoke(app, ["dataset", "--help"]).stdout
    for english in ("Usage", "Options", "Arguments", "Show this message", "[required]"):
        assert english not in text
    assert re.search(r"\b(TEXT|INTEGER|PATH|FILE)\b", text) is None
    assert "-j, --jobs N" in text and "--scheduler 地址" in text and "-q, --query 名称" in text


def test_a_damaged_part_is_one_chinese_line_not_a_traceback(tmp_path: Path) -> None:
    make(tmp_path / "in")
    out = tmp_path / "out"
    assert (
        runner.invoke(app, ["dataset", str(tmp_path / "in"), "-o", str(out), "-j", "1"]).exit_code
        == 0
    )
    (out / "cells.parquet" / "part-000001.parquet").write_bytes(b"PAR1 damaged")
    result = runner.invoke(app, ["dataset", "--query", "disclosure-rate", str(out)])
    assert result.exit_code == 2
    assert "无法读取数据集" in result.stderr and "Traceback" not in result.output


def test_the_progress_bar_stays_on_standard_error(tmp_path: Path) -> None:
    made = make(tmp_path / "in")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["dataset", str(tmp_path / "in"), "-o", str(out), "-j", "1", "--progress"]
    )
    assert result.exit_code == 0, result.output
    assert f"{len(made)}/{len(made)}" in result.stderr and "份/秒" in result.stderr
    assert result.stdout.splitlines() == [
        f"新增 {len(made)} 份，跳过 0 份（已在数据集中），失败 0 份；数据集 {out} 共 {len(made)} 份报告"
    ]
