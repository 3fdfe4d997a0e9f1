"""A supervisor's command line: folders, many files, a summary, JSON that keeps every
file, an Excel summary, years paired by themselves, failures that stop nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk import api
from xxgk.cli import app
from xxgk.examples import example_paths
from xxgk.render.text import render_text
from xxgk.synth import consistent_report

runner = CliRunner()
GOOD = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")
BAD = next(p for p in example_paths() if p.name == "township-2023-errors.txt")


def _xxgk(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("xxgk")
    return subprocess.run(
        [str(exe), *args],
        capture_output=True,
        text=True,
        timeout=120,
        **kw,  # type: ignore[call-overload]
    )


def _year(
    folder: Path, agency: str, year: int, over: int, forward: int, name: str | None = None
) -> Path:
    """A consistent report of one agency and year, written as a text report."""
    report = consistent_report(
        agency=agency,
        year=year,
        published=f"{year + 1}-01-20",
        leaves={"granted": {"natural": 4}},
        carried_over={"natural": over},
        carried_forward={"natural": forward},
    )
    path = folder / (name or f"{agency}-{year}.txt")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_text(report), encoding="utf-8")
    return path


def test_a_folder_is_searched_and_summarised_first(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "bad.txt").write_bytes(BAD.read_bytes())
    (tmp_path / "good.txt").write_bytes(GOOD.read_bytes())
    (tmp_path / "notes.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not a report suffix: skipped
    (tmp_path / "~$lock.docx").write_bytes(b"x")  # Word's lock file: skipped
    res = runner.invoke(app, ["check", str(tmp_path)])
    assert res.exit_code == 1
    out = res.stdout
    assert "核查汇总（2 个文件" in out
    for text in ("good.txt", "bad.txt", "某某县发展和改革局", "2023", "SUM-001", "DATE-001"):
        assert text in out
    head = out.splitlines()[0]
    assert "文件" in out and "机关" in out and "问题编号" in out and "核查汇总" in head
    assert "建议" not in out  # details only on request
    assert "notes.png" not in out and "lock" not in out

    detailed = runner.invoke(app, ["check", str(tmp_path), "--details", "--no-tables"])
    assert detailed.stdout.index("核查汇总") < detailed.stdout.index("建议：")
    assert "3 个错误" in detailed.stdout


def test_json_keeps_unreadable_files_as_error_objects(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    proc = _xxgk("check", str(GOOD), str(empty), str(missing), str(BAD), "--json")
    assert proc.returncode == 2  # the worst of 0, 2, 2, 1
    data = json.loads(proc.stdout)
    assert [d["source"] for d in data] == [str(GOOD), str(empty), str(missing), str(BAD)]
    assert data[1] == {"source": str(empty), "error": "文件为空"}
    assert data[2] == {"source": str(missing), "error": "文件不存在"}
    assert data[0]["findings"] == [] and data[3]["findings"]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2 and str(empty) in lines[0] and str(missing) in lines[1]
    assert "Traceback" not in proc.stderr


def test_jsonl_is_one_valid_object_per_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = runner.invoke(app, ["check", str(GOOD), str(empty), "--jsonl"])
    lines = res.stdout.strip().splitlines()
    assert res.exit_code == 2 and len(lines) == 2
    by = {d["source"]: d for d in map(json.loads, lines)}  # in completion order
    assert by[str(GOOD)]["report"]["year"] == 2023
    assert by[str(empty)] == {"source": str(empty), "error": "文件为空"}


def test_xlsx_summary_holds_every_file_and_finding(tmp_path: Path) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    target = tmp_path / "汇总.xlsx"
    res = runner.invoke(app, ["check", str(GOOD), str(BAD), str(empty), "--xlsx", str(target)])
    assert res.exit_code == 2
    assert f"已写出汇总：{target}" in res.stderr
    wb = load_workbook(target)
    summary = [[c.value for c in row] for row in wb["汇总"].iter_rows()]
    assert summary[0][:8] == ["文件", "机关", "年度", "格式", "错误", "警告", "提示", "问题编号"]
    assert summary[1][:5] == [str(GOOD), "某某县发展和改革局", 2023, "2021年格式", 0]
    assert summary[2][1] == "某某县某某镇人民政府" and summary[2][4] == 3
    assert summary[3][0] == str(empty) and "无法读取：文件为空" in summary[3][7]
    findings = [[c.value for c in row] for row in wb["问题"].iter_rows()]
    expected = len(api.check(BAD).findings) + 1  # + the unreadable file
    assert len(findings) == 1 + expected
    sum1 = next(r for r in findings if r[3] == "SUM-001")
    assert sum1[4] == "错误" and "第三部分" in sum1[6] and "t3." not in sum1[6]


def test_one_failing_file_does_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boom = tmp_path / "boom.txt"
    boom.write_bytes(GOOD.read_bytes())
    real = api.parse_bytes  # what a batch worker calls with a file's contents

    def parse(data: bytes, source: str, *args: object) -> object:
        if Path(source).name == "boom.txt":
            raise ZeroDivisionError("division by zero")
        return real(data, source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "parse_bytes", parse)
    monkeypatch.delenv("XXGK_DEBUG", raising=False)
    res = runner.invoke(app, ["check", str(GOOD), str(boom), str(BAD), "--json"])
    data = json.loads(res.stdout)
    assert res.exit_code == 2 and len(data) == 3
    assert data[0]["report"]["agency"] == "某某县发展和改革局"
    assert data[1]["source"] == str(boom) and "ZeroDivisionError" in data[1]["error"]
    assert data[2]["report"]["agency"] == "某某县某某镇人民政府"
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and str(boom) in err[0] and "ZeroDivisionError" in err[0]
    assert "Traceback" not in res.stderr

    monkeypatch.setenv("XXGK_DEBUG", "1")
    debug = runner.invoke(app, ["check", str(boom), str(GOOD)])
    assert "Traceback" in debug.stderr and debug.exit_code == 2


def test_permission_denied_is_one_chinese_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(GOOD.read_bytes())
    secret.chmod(0o000)
    if os.geteuid() == 0:  # root reads everything: the system refuses as it would a clerk
        real = os.open

        def deny(path: object, *args: object, **kw: object) -> int:
            if str(path) == str(secret):
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *args, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", deny)
    try:
        for cmd in (["check", str(secret)], ["parse", str(secret)], ["render", str(secret)]):
            res = runner.invoke(app, cmd)
            assert res.exit_code == 2 and res.stdout == ""
            assert res.stderr == f"xxgk: 无法读取 {secret}：没有读取权限\n"
    finally:
        secret.chmod(0o644)


def test_consecutive_years_of_one_agency_are_compared_without_previous(tmp_path: Path) -> None:
    _year(tmp_path, "某某县水利局", 2021, over=0, forward=2)
    _year(tmp_path, "某某县水利局", 2022, over=2, forward=3)
    _year(tmp_path, "某某县水利局", 2023, over=1, forward=0)  # last year carried 3 forward
    _year(tmp_path, "某某县教育局", 2022, over=5, forward=0)  # another agency: no pair
    res = runner.invoke(app, ["check", str(tmp_path), "--json"])
    data = {(d["report"]["agency"], d["report"]["year"]): d for d in json.loads(res.stdout)}
    w2023 = data[("某某县水利局", 2023)]
    assert w2023["previous"].endswith("某某县水利局-2022.txt")
    xyr = [f for f in w2023["findings"] if f["code"] == "XYR-001"]
    assert xyr and "结转下年度继续办理为 3" in xyr[0]["message"]
    w2022 = data[("某某县水利局", 2022)]
    assert w2022["previous"].endswith("-2021.txt")
    assert not [f for f in w2022["findings"] if f["code"].startswith("XYR")]
    assert "previous" not in data[("某某县水利局", 2021)]
    assert "previous" not in data[("某某县教育局", 2022)]

    table = runner.invoke(app, ["check", str(tmp_path)])
    assert "跨年核对" in table.stdout and "对照2022年度" in table.stdout


def test_previous_of_another_agency_or_year_says_so(tmp_path: Path) -> None:
    this = _year(tmp_path, "某某县水利局", 2023, over=1, forward=0)
    other = _year(tmp_path, "某某县教育局", 2022, over=0, forward=3)
    old = _year(tmp_path, "某某县水利局", 2020, over=0, forward=3)
    res = runner.invoke(app, ["check", str(this), "--previous", str(other), "--json"])
    assert "XYR-001" not in {f["code"] for f in json.loads(res.stdout)["findings"]}
    assert "机关是“某某县教育局”，不是“某某县水利局”" in res.stderr
    assert str(this) in res.stderr and "未作跨年核对" in res.stderr
    res = runner.invoke(app, ["check", str(this), "-p", str(old)])
    assert "年度是2020年，不是2022年" in res.stderr
    right = _year(tmp_path / "x", "某某县水利局", 2022, over=0, forward=3)
    res = runner.invoke(app, ["check", str(this), "-p", str(right), "--json"])
    assert "XYR-001" in {f["code"] for f in json.loads(res.stdout)["findings"]}
    assert res.stderr == ""


def test_previous_that_cannot_be_read_still_checks_the_report(tmp_path: Path) -> None:
    res = runner.invoke(app, ["check", str(GOOD), "-p", str(tmp_path / "none.txt"), "--json"])
    assert res.exit_code == 2
    assert "（--previous）文件不存在" in res.stderr and str(tmp_path / "none.txt") in res.stderr
    data = json.loads(res.stdout)
    assert data[1]["report"]["agency"] == "某某县发展和改革局"


def test_not_a_regular_file_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    proc = _xxgk("check", str(fifo), str(GOOD), "--json")
    data = json.loads(proc.stdout)
    assert proc.returncode == 2 and "不是普通文件" in data[0]["error"]
    assert data[1]["findings"] == []


def test_json_is_strict_even_for_nan_values(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("tables:\n  t3:\n    new:\n      natural: .nan\n", encoding="utf-8")
    res = runner.invoke(app, ["check", str(path), "--json"])

    def refuse(name: str) -> None:
        raise AssertionError(f"not JSON: {name}")

    json.loads(res.stdout, parse_constant=refuse)


def test_an_empty_folder_is_reported(tmp_path: Path) -> None:
    res = runner.invoke(app, ["check", str(tmp_path), "--json"])
    assert res.exit_code == 2
    assert json.loads(res.stdout)[0]["error"].startswith("目录中没有报告文件")


def test_progress_is_told_before_each_file(tmp_path: Path) -> None:
    _year(tmp_path, "某某县水利局", 2022, over=0, forward=1)
    _year(tmp_path, "某某县水利局", 2023, over=1, forward=0)
    seen: list[tuple[int, int, str]] = []
    outcomes = list(api.check_paths([tmp_path], progress=lambda *a: seen.append(a)))
    assert [(d, t) for d, t, _ in seen] == [(0, 2), (1, 2)]
    assert [Path(s).name for *_, s in seen] == [Path(o.source).name for o in outcomes]


def test_the_summary_being_written_is_not_checked_again(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(GOOD.read_bytes())
    target = tmp_path / "汇总.xlsx"
    for _ in range(2):  # the second run finds the first run's workbook in the folder
        res = runner.invoke(app, ["check", str(tmp_path), "--xlsx", str(target), "--json"])
        assert res.exit_code == 0, res.stderr
        assert [Path(d["source"]).name for d in json.loads(res.stdout)] == ["good.txt"]
