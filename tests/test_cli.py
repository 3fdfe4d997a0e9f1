"""The command line as a user meets it: output, JSON shape, exit codes, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli import app, rules_markdown
from xxgk.examples import example_paths
from xxgk.format import V2021

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
GOOD = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")
BAD = next(p for p in example_paths() if p.name == "township-2023-errors.txt")


def _xxgk(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("xxgk")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)


def test_parse_json_follows_the_contract() -> None:
    res = runner.invoke(app, ["parse", str(GOOD), "--json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["format"] == "2021" and data["year"] == 2023
    assert data["agency"] == "某某县发展和改革局" and data["published"] == "2024-01-18"
    for key in V2021.cell_keys():
        t, r, c = key.split(".")
        assert c in data["tables"][t][r]
    assert data["tables"]["t3"]["new"]["total"] == 6
    assert data["tables"]["t2"]["permit"]["decisions"] == 1325
    src = data["cells"]["t3.new.total"]
    assert src["raw"] == "6" and isinstance(src["line"], int)


def test_check_exit_codes_and_json_shape() -> None:
    good = runner.invoke(app, ["check", str(GOOD), "--json"])
    assert good.exit_code == 0
    assert json.loads(good.stdout)["findings"] == []
    bad = runner.invoke(app, ["check", str(BAD), "--json"])
    assert bad.exit_code == 1
    data = json.loads(bad.stdout)
    assert {"source", "report", "findings"} <= set(data)
    f = next(f for f in data["findings"] if f["code"] == "SUM-001")
    assert f["severity"] == "error" and "本年新收 1" in f["message"]
    assert set(f) == {"code", "severity", "message", "cells", "location", "suggestion"}
    assert "t3.new.natural" in f["cells"] and f["location"]["line"]


def test_check_several_files_prints_an_array() -> None:
    res = runner.invoke(app, ["check", str(GOOD), str(BAD), "--json"])
    assert res.exit_code == 1
    assert [d["report"]["agency"] for d in json.loads(res.stdout)] == [
        "某某县发展和改革局",
        "某某县某某镇人民政府",
    ]


def test_check_human_output_shows_tables_and_findings() -> None:
    res = runner.invoke(app, ["check", str(BAD)])
    assert res.exit_code == 1
    assert "收到和处理政府信息公开申请情况" in res.stdout
    assert "SUM-001" in res.stdout and "错误" in res.stdout


def test_previous_year_is_compared(tmp_path: Path) -> None:
    # last year's report of the same agency carried 1 forward; this year says 0 carried over
    last = tmp_path / "2022.txt"
    last.write_text(
        BAD.read_text(encoding="utf-8").replace("2023年", "2022年").replace("2024年", "2023年"),
        encoding="utf-8",
    )
    res = runner.invoke(app, ["check", str(BAD), "--previous", str(last), "--json"])
    assert json.loads(res.stdout)["previous"] == str(last)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "文件为空"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "图片"),
        (bytes(range(256)) * 40, "不是文本文件"),
        (b"PK\x03\x04" + b"\x00" * 200, ""),
    ],
    ids=["empty", "png", "binary", "broken-zip"],
)
def test_unreadable_input_is_one_clear_line(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    for cmd in (["parse", str(path), "--json"], ["check", str(path)]):
        proc = _xxgk(*cmd)
        assert proc.returncode == 2
        assert proc.stdout == ""
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in proc.stderr
        assert str(path) in lines[0] and problem in lines[0]


def test_missing_file(tmp_path: Path) -> None:
    proc = _xxgk("check", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2 and "文件不存在" in proc.stderr


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_other_encodings_read_the_same(tmp_path: Path, encoding: str) -> None:
    text = GOOD.read_text(encoding="utf-8")
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    a = json.loads(runner.invoke(app, ["parse", str(GOOD), "--json"]).stdout)
    b = json.loads(runner.invoke(app, ["parse", str(path), "--json"]).stdout)
    assert a["tables"] == b["tables"] and a["agency"] == b["agency"]


def test_rules_lists_the_catalogue() -> None:
    res = runner.invoke(app, ["rules"])
    assert res.exit_code == 0 and "SUM-001" in res.stdout and "TXT-006" in res.stdout


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `make docs`"
    )


def test_schema_describes_the_tables() -> None:
    res = runner.invoke(app, ["schema"])
    schema = json.loads(res.stdout)
    t3 = schema["properties"]["tables"]["properties"]["t3"]
    assert res.exit_code == 0
    assert "$ref" in t3 or "properties" in t3
    res19 = runner.invoke(app, ["schema", "--format", "2019"])
    assert "procurement" in res19.stdout and "procurement" not in res.stdout


def test_demo_summarises_the_examples() -> None:
    res = runner.invoke(app, ["demo"])
    assert res.exit_code == 0
    assert "township-2023-errors.txt" in res.stdout and "SUM-001" in res.stdout


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("tables:\n  t3:\n    new:\n      nature: 1\n", "t3.new.nature 不是本版格式的栏目"),
        ("tables: [1, 2\n", "不是有效的 YAML（第 2 行"),
        ('format: "2020"\n', "format 应为 2021 或 2019"),
    ],
    ids=["unknown-column", "broken-yaml", "unknown-format"],  # text in a cell: NUM-001
)
def test_data_entry_file_errors_name_the_place(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "report.yaml"
    path.write_text(content, encoding="utf-8")
    proc = _xxgk("check", str(path))
    assert proc.returncode == 2 and problem in proc.stderr and "Traceback" not in proc.stderr


def test_a_partial_data_file_is_read_with_nulls(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_text(
        "tables:\n  t3:\n    new:\n      natural: 2\n      total: 2\n", encoding="utf-8"
    )
    res = runner.invoke(app, ["parse", str(path), "--json"])
    data = json.loads(res.stdout)
    assert data["tables"]["t3"]["new"]["natural"] == 2
    assert data["tables"]["t2"]["permit"]["decisions"] is None
