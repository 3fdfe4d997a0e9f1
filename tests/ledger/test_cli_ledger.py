"""``xxgk ledger deadline`` and ``xxgk ledger fee`` print JSON a program can read."""

from __future__ import annotations

import json

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
