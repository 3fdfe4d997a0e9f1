"""``xxgk ledger deadline`` and ``xxgk ledger fee`` print JSON a program can read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli import app

runner = CliRunner()


def test_deadline_json() -> None:
    out = runner.invoke(app, ["ledger", "deadline", "--received", "2024-09-27", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["due"] == "2024-10-30"
    assert data["explanation"].endswith("→ 2024-10-30")


def test_deadline_extended_and_paused() -> None:
    out = runner.invoke(
        app,
        ["ledger", "deadline", "--received", "2024-09-27", "--extended", "--paused-days", "2"],
    )
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("答复期限：2024-11-29")


def test_deadline_bad_date_and_unknown_year() -> None:
    out = runner.invoke(app, ["ledger", "deadline", "--received", "2024-13-01"])
    assert out.exit_code == 2
    assert "不是日期" in out.output
    out = runner.invoke(app, ["ledger", "deadline", "--received", "2031-01-05"])
    assert out.exit_code == 2
    assert "2031 年的节假日安排" in out.output


def test_fee_json() -> None:
    out = runner.invoke(app, ["ledger", "fee", "--per-piece", "--count", "35", "--json"])
    assert json.loads(out.stdout)["fee"] == 3000
    out = runner.invoke(app, ["ledger", "fee", "--per-volume", "--pages", "150", "--json"])
    assert json.loads(out.stdout)["fee"] == 1700
    out = runner.invoke(app, ["ledger", "fee", "--per-piece", "--per-volume", "--count", "3"])
    assert out.exit_code == 2
    assert "中的一种" in out.output


def _run(*args: str) -> dict:  # type: ignore[type-arg]
    out = runner.invoke(app, ["ledger", *args, "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_a_request_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    req = _run(
        "add",
        "--agency",
        "某某县某某局",
        "--channel",
        "挂号",
        "--signed",
        "2024-10-03",
        "--applicant",
        "张三",
        "--type",
        "自然人",
        "--who",
        "李四",
    )
    assert req["received"] == "2024-10-03" and req["due"] == "2024-11-01"
    assert "国庆节假期，仍为收到日" in req["receipt"]
    ext = _run("event", req["number"], "extension", "--on", "2024-10-30", "--approver", "王主任")
    assert ext["due"] == "2024-11-29"
    assert "经王主任批准延长 20 个工作日" in ext["due_explanation"]
    late = _run("list", "--overdue", "--today", "2024-12-02")
    assert [r["number"] for r in late] == [req["number"]]
    soon = _run("list", "--due-soon", "3", "--today", "2024-11-27")
    assert [r["number"] for r in soon] == [req["number"]]
    out = runner.invoke(app, ["ledger", "event", req["number"], "answer", "--on", "2024-11-20"])
    assert out.exit_code == 2 and "须先记录办理决定" in out.output
    done = _run("event", req["number"], "decision", "--on", "2024-11-20", "--result", "予以公开")
    done = _run("event", req["number"], "answer", "--on", "2024-11-21")
    assert done["state"] == "closed" and done["result"] == "granted"
    out = runner.invoke(
        app, ["ledger", "document", req["number"], "answer", "--out", str(tmp_path / "a.docx")]
    )
    assert out.exit_code == 0, out.output
    import docx

    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "a.docx")).paragraphs)
    assert "现予以公开" in text and "2024年11月21日" in text
    out = runner.invoke(app, ["ledger", "templates", str(tmp_path / "tpl")])
    assert out.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "tpl").iterdir()) == [
        "answer.docx",
        "consultation.docx",
        "correction.docx",
        "delay.docx",
        "extension.docx",
        "fee.docx",
        "reasons.docx",
        "receipt.docx",
    ]
    report = _run("report", "2024", "--agency", "某某县某某局")
    assert report["findings"] == []
    assert report["report"]["tables"]["t3"]["granted"]["natural"] == 1


def test_simulate_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    first = _run("simulate", "--year", "2024", "--requests", "80", "--seed", "1")
    assert first["findings"] == [] and first["t3_total"]["new"] == 80
    second = _run("simulate", "--year", "2025", "--requests", "80", "--seed", "1")
    assert second["findings"] == []
    assert second["t3_total"]["carried_over"] == first["t3_total"]["carried_forward"]
    out = runner.invoke(app, ["ledger", "report", "2024", "--agency", "模拟县模拟局", "--to", "md"])
    assert out.exit_code == 0 and "结转下年度继续办理" in out.stdout


def test_cases_and_register_feed_t4_and_t2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)

    def ok(*args: str) -> str:
        out = runner.invoke(app, ["ledger", *args])
        assert out.exit_code == 0, out.output
        return out.stdout

    req = _run(
        "add",
        "--agency",
        "甲局",
        "--channel",
        "网络",
        "--confirmed",
        "2024-03-04",
        "--applicant",
        "张三",
        "--type",
        "自然人",
    )
    _run("event", req["number"], "decision", "--on", "2024-03-10", "--result", "unable_not_held")
    _run("event", req["number"], "answer", "--on", "2024-03-11")
    ok(
        "case",
        "add",
        "--agency",
        "甲局",
        "--kind",
        "review",
        "--filed",
        "2024-04-01",
        "--request",
        req["number"],
    )
    ok("case", "add", "--agency", "甲局", "--kind", "lit_direct", "--filed", "2024-05-01")
    ok("case", "decide", "1", "--result", "upheld", "--on", "2024-06-01")
    ok(
        "register",
        "add",
        "--agency",
        "甲局",
        "--category",
        "1",
        "--kind",
        "normative_doc",
        "--title",
        "某办法",
    )
    out = runner.invoke(
        app,
        [
            "ledger",
            "register",
            "review",
            "1",
            "--step",
            "审批",
            "--by",
            "主任",
            "--on",
            "2024-05-01",
        ],
    )
    assert out.exit_code == 2 and "审批之前须完成初审、审核" in out.output
    for step, day in (("初审", "01"), ("审核", "02"), ("审批", "03")):
        ok("register", "review", "1", "--step", step, "--by", "某人", "--on", f"2024-05-{day}")
    tables = _run("report", "2024", "--agency", "甲局")["report"]["tables"]
    assert tables["t4"]["review"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 0,
        "total": 1,
    }
    assert tables["t4"]["lit_direct"]["pending"] == 1
    assert tables["t2"]["normative_doc"] == {"issued": 1, "repealed": 0, "in_force": 1}


def test_one_correction_notice_and_the_answers_on_time_or_late(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XXGK_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)

    def add(applicant: str, day: str) -> str:
        req = _run(
            "add", "--agency", "甲局", "--channel", "当面", "--submitted", day,
            "--applicant", applicant, "--type", "自然人",
        )  # fmt: skip
        return str(req["number"])

    first = add("张三", "2024-09-03")
    _run("event", first, "correction_notice", "--on", "2024-09-06", "--until", "2024-09-20")
    again = runner.invoke(
        app,
        [
            "ledger",
            "event",
            first,
            "correction_notice",
            "--on",
            "2024-09-09",
            "--until",
            "2024-09-30",
        ],
    )
    assert again.exit_code == 2
    assert again.output.startswith(
        "xxgk ledger：补正告知只能发一次：本申请已于 2024-09-06 告知补正（条例第三十条"
    )
    assert [e["kind"] for e in _run("show", first)["events"]] == ["correction_notice"]
    late_fix = runner.invoke(
        app, ["ledger", "event", first, "correction_received", "--on", "2024-09-23"]
    )
    assert late_fix.exit_code == 2 and "请在备注中写明理由（--note）" in late_fix.output
    _run("event", first, "correction_received", "--on", "2024-09-23", "--note", "申请人出差")
    _run("event", first, "decision", "--on", "2024-10-08", "--result", "granted")
    _run("event", first, "answer", "--on", "2024-10-08")
    # received 2024-09-27: due 2024-10-30; answered 11-04 is 3 working days late
    second = add("李四", "2024-09-27")
    _run("event", second, "decision", "--on", "2024-11-04", "--result", "granted")
    closed = _run("event", second, "answer", "--on", "2024-11-04")
    assert closed["answered"] == {
        "on_time": False,
        "late_workdays": 3,
        "due": "2024-10-30",
        "verdict": "逾期答复（超过期限 3 个工作日）",
        "explanation": (
            "2024-09-27（周五）收到，次日起算 20 个工作日；10-01 至 10-07 放假，"
            "09-29、10-12 调休上班 → 2024-10-30"
        ),
    }
    shown = runner.invoke(app, ["ledger", "show", second])
    assert shown.exit_code == 0
    assert "\n逾期答复（超过期限 3 个工作日）（答复期限 2024-10-30）  2024-09-27（周五）收到" in (
        shown.stdout
    )
    shown = runner.invoke(app, ["ledger", "show", first])
    assert "\n按期答复（答复期限 " in shown.stdout
    listed = runner.invoke(app, ["ledger", "list", "--closed", "--year", "2024"])
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == [first, second]
    assert lines[0].split("\t")[3:6] == ["2024-10-08 答复", "期限 2024-10-24", "按期答复"]
    assert lines[1].split("\t")[3:6] == [
        "2024-11-04 答复",
        "期限 2024-10-30",
        "逾期答复（超过期限 3 个工作日）",
    ]
    assert runner.invoke(app, ["ledger", "list", "--closed", "--year", "2023"]).stdout == (
        "没有符合条件的申请。\n"
    )
    third = add("王五", "2024-09-03")
    _run("event", third, "correction_notice", "--on", "2024-09-06", "--until", "2024-09-20")
    consult = runner.invoke(
        app, ["ledger", "event", third, "consultation_sent", "--on", "2024-09-09"]
    )
    assert consult.exit_code == 2 and "收到补正前不能记录征求意见函发出" in consult.output
    lapsing = runner.invoke(app, ["ledger", "list", "--lapsing", "--today", "2024-09-23"])
    assert lapsing.stdout == (
        f"{third}\t甲局\t王五\t补正期限 2024-09-20 已过，未收到补正：可按逾期不补正办结（（六）1）\n"
    )
    both = runner.invoke(app, ["ledger", "list", "--closed", "--overdue"])
    assert both.exit_code == 2 and "只能选一个" in both.output
    report = runner.invoke(app, ["ledger", "report", "2024", "--agency", "甲局"])
    assert report.exit_code == 0, report.output
    assert (
        "台账：2024 年答复 2 件：按期答复 1 件，逾期答复 1 件（共超过期限 3 个工作日）。\n"
        in report.stdout
    )
