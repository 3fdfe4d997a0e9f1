"""`xxgk check` over many files: JSON lines as files complete, a progress bar on
standard error only, Ctrl-C that stops cleanly, the summary fed by the engine."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from xxgk.cli import app
from xxgk.examples import example_paths
from xxgk.render.text import render_text
from xxgk.synth import consistent_report

runner = CliRunner()
XXGK = Path(sys.executable).with_name("xxgk")


def _folder(tmp: Path, copies: int = 1) -> Path:
    folder = tmp / "in"
    folder.mkdir()
    for n in range(copies):
        for p in example_paths():
            (folder / f"{n:04d}-{p.name}").write_bytes(p.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    for year, over, forward in ((2022, 0, 3), (2023, 1, 0)):  # 2023 carried 1, not 3
        report = consistent_report(
            agency="某某县水利局",
            year=year,
            published=f"{year + 1}-01-20",
            leaves={"granted": {"natural": 4}},
            carried_over={"natural": over},
            carried_forward={"natural": forward},
        )
        (folder / f"water-{year}.txt").write_text(render_text(report), encoding="utf-8")
    return folder


def test_jsonl_gives_the_json_objects_plus_error_objects(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    lines = runner.invoke(app, ["check", str(folder), "--jsonl", "--jobs", "2"])
    whole = runner.invoke(app, ["check", str(folder), "--json", "--jobs", "2"])
    assert lines.exit_code == whole.exit_code == 2
    objects = [json.loads(line) for line in lines.stdout.splitlines()]
    last = {d["source"]: d for d in objects}  # a later line of a source supersedes
    assert list(last.values()) != [] and len(objects) == len(last) + 1  # 2023 twice
    assert sorted(last.values(), key=lambda d: d["source"]) == sorted(
        json.loads(whole.stdout), key=lambda d: d["source"]
    )
    water = [d for d in objects if d["source"].endswith("water-2023.txt")]
    assert "previous" not in water[0] and water[1]["previous"].endswith("water-2022.txt")
    assert "XYR-001" in {f["code"] for f in water[1]["findings"]}
    assert last[str(folder / "empty.txt")] == {
        "source": str(folder / "empty.txt"),
        "error": "文件为空",
    }
    assert lines.stderr.strip() == f"xxgk: 无法读取 {folder / 'empty.txt'}：文件为空"


def test_json_lines_made_by_the_workers_are_strict_json(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "nan.yaml").write_text("tables:\n  t3:\n    new:\n      natural: .nan\n", "utf-8")

    def refuse(name: str) -> None:
        raise AssertionError(f"not JSON: {name}")

    for jobs in ("1", "2"):
        res = runner.invoke(app, ["check", str(folder), "--jsonl", "--jobs", jobs])
        objects = [json.loads(line, parse_constant=refuse) for line in res.stdout.splitlines()]
        nan = next(d for d in objects if d["source"].endswith("nan.yaml"))
        assert nan["report"]["tables"]["t3"]["new"]["natural"] is None


def test_progress_goes_to_standard_error_only(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    res = runner.invoke(app, ["check", str(folder), "--json", "--progress", "--jobs", "2"])
    data = json.loads(res.stdout)  # standard output is untouched JSON
    assert len(data) == 7
    assert "7/7" in res.stderr and "份/秒" in res.stderr and "错误 1" in res.stderr
    quiet = runner.invoke(app, ["check", str(folder), "--json", "--no-progress"])
    assert "份/秒" not in quiet.stderr and json.loads(quiet.stdout) == data


def test_a_zip_is_summarised_like_a_folder(tmp_path: Path) -> None:
    archive = tmp_path / "reports.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in example_paths():
            zf.writestr(f"县/{p.name}", p.read_bytes())
    res = runner.invoke(app, ["check", str(archive), "--jobs", "2"], env={"COLUMNS": "200"})
    assert res.exit_code == 1, res.stderr
    for p in example_paths():
        assert p.name in res.stdout
    assert "某某县发展和改革局" in res.stdout


def test_ctrl_c_stops_cleanly_and_says_how_far_it_got(tmp_path: Path) -> None:
    folder = _folder(tmp_path, copies=150)  # 600 reports: far more than a second's work
    proc = subprocess.Popen(
        [str(XXGK), "check", str(folder), "--jsonl", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # written and flushed as the first file completes
    assert json.loads(first)["source"].startswith(str(folder))
    time.sleep(0.3)
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 10
    assert proc.returncode == 130
    done = 1 + len(out.splitlines())
    assert "Traceback" not in err
    (line,) = [x for x in err.splitlines() if "已中断" in x]
    total, checked = (
        int(n) for n in line.split("：")[1].replace("个文件中已核查", " ").split()[:2]
    )
    assert total == 603 and done - 1 <= checked < total


def test_bad_jobs_or_scheduler_is_one_chinese_line_and_exit_2(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    res = runner.invoke(app, ["check", str(folder), "--jobs", "0"])
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr == "xxgk check：--jobs 应为正整数（进程数），而不是 0\n"
    res = runner.invoke(app, ["check", str(folder), "--scheduler", "8786", "--json"])
    assert res.exit_code == 2 and res.stdout == "" and "Traceback" not in res.stderr
    assert res.stderr.startswith("xxgk: Dask 调度器地址 8786 格式不对：应形如 tcp://主机:8786")


def test_the_bar_on_a_terminal_leaves_standard_output_to_the_results(tmp_path: Path) -> None:
    import os
    import pty

    folder = _folder(tmp_path)
    master, slave = pty.openpty()  # standard error is a terminal: the bar is shown
    try:
        proc = subprocess.run(
            [str(XXGK), "check", str(folder), "--jsonl", "--jobs", "2"],
            stdout=subprocess.PIPE,
            stderr=slave,
            timeout=120,
            env={**os.environ, "COLUMNS": "100"},
        )
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 8 and all(json.loads(line)["source"] for line in lines)
    shown = seen.decode("utf-8", "replace")
    assert "7/7" in shown and "份/秒" in shown and "错误 1" in shown
