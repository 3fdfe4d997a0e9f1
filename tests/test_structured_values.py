"""Values in data-entry files (YAML/JSON) are checked like values in a report's tables.

A negative or decimal count, or text where a number belongs, is NUM-001 (an error), the
same as when a report prints it; ``xxgk render`` then refuses the file without --force.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from xxgk import api
from xxgk.synth import consistent_report


def _data(fmt: str = "2021") -> dict[str, Any]:
    report = consistent_report(fmt, agency="某某县某某局", year=2023, published="2024-01-20")
    data = report.contract_dict()
    return {k: data[k] for k in ("format", "agency", "year", "published", "tables", "sections")}


def _write(tmp_path: Path, data: dict[str, Any], suffix: str) -> Path:
    path = tmp_path / f"report{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _num001(path: Path) -> list[tuple[list[str], str]]:
    result = api.check(path)
    return [(f.cells, f.message) for f in result.findings if f.code == "NUM-001"]


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize(
    ("cell", "value", "why", "kept"),
    [
        ("t2.permit.decisions", -5, "不能是负数", -5),
        ("t2.penalty.decisions", 1.5, "件数不能是小数", 1.5),
        ("t3.new.natural", "若干", "不是数字", None),
        ("t3.new.natural", "abc", "不是数字", None),
        ("t4.review.upheld", True, "不是数字", None),
        ("t2.fee.amount", -0.5, "不能是负数", -0.5),
        ("t2.permit.decisions", "-3", "不能是负数", -3),
    ],
)
def test_bad_value_in_a_data_file_is_num001(
    tmp_path: Path, suffix: str, cell: str, value: object, why: str, kept: object
) -> None:
    data = _data()
    t, r, c = cell.split(".")
    data["tables"][t][r][c] = value
    path = _write(tmp_path, data, suffix)
    found = _num001(path)
    assert len(found) == 1, found
    cells, message = found[0]
    assert cells == [cell]
    assert why in message and (str(value) if value is not True else "true") in message
    assert api.parse(path).value(cell) == kept


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_valid_values_in_a_data_file_pass(tmp_path: Path, suffix: str) -> None:
    data = _data()
    data["tables"]["t2"]["fee"]["amount"] = 0.35
    data["tables"]["t2"]["permit"]["decisions"] = "12"  # a number written as a string
    path = _write(tmp_path, data, suffix)
    assert _num001(path) == []
    assert api.parse(path).value("t2.permit.decisions") == 12


def test_the_2019_delta_may_be_negative_in_a_data_file(tmp_path: Path) -> None:
    data = _data("2019")
    data["tables"]["t2"]["permit"]["delta"] = -8
    data["tables"]["t2"]["permit"]["prev_items"] = 10
    path = _write(tmp_path, data, ".yaml")
    assert _num001(path) == []
    data["tables"]["t2"]["permit"]["delta"] = 1.5
    path = _write(tmp_path, data, ".yaml")
    assert [cells for cells, _ in _num001(path)] == [["t2.permit.delta"]]


def _xxgk(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("xxgk")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)


def test_render_refuses_a_data_file_with_a_negative_count(tmp_path: Path) -> None:
    data = _data()
    data["tables"]["t2"]["permit"]["decisions"] = -5
    path = _write(tmp_path, data, ".yaml")
    out = tmp_path / "report.html"
    proc = _xxgk("render", str(path), "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    assert "NUM-001" in proc.stderr + proc.stdout and not out.exists()
    forced = _xxgk("render", str(path), "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert out.exists()
