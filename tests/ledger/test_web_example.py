"""``make run``'s example data (``xxgk init-example``) fills one agency's request
ledger through the ledger's simulation, once, so the ledger's pages are not empty."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.web.conftest import login
from xxgk.cli import app
from xxgk.store.base import Store
from xxgk.store.ledger_models import LedgerRequest
from xxgk.supervise.demo import LEDGER_AGENCY, LEDGER_YEARS
from xxgk.web.app import create_app

runner = CliRunner()


def test_init_example_fills_the_ledger_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XXGK_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    first = runner.invoke(app, ["init-example"])
    assert first.exit_code == 0, first.output
    added = sum(n for _, n in LEDGER_YEARS)
    assert f"依申请台账：已为{LEDGER_AGENCY}模拟登记 {added} 件申请" in first.stderr
    second = runner.invoke(app, ["init-example"])
    assert second.exit_code == 0 and "依申请台账" not in second.stderr
    found = re.search(r"用户名 (\S+)\s+密码 (\S+)", first.stderr)
    assert found, first.stderr
    store = Store()
    store.upgrade()
    try:
        with store.session() as s:
            assert s.scalar(select(func.count()).select_from(LedgerRequest)) == added
        with TestClient(create_app(store, worker=False)) as client:
            login(client, *found.groups())
            listed = client.get(f"/ledger?year=2025&agency={LEDGER_AGENCY}")
            assert listed.status_code == 200
            assert f"全部申请（{dict(LEDGER_YEARS)[2025]}）" in listed.text
            report = client.get(f"/ledger/report?year=2025&agency={LEDGER_AGENCY}").text
            assert "按年报规则核查：未发现问题" in report
    finally:
        store.dispose()
