"""The web app's commands: users, tokens, agencies (added and imported from CSV and
Excel), the example set-up of `make run` (a generated admin password, once)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.pgcluster import database_url
from tests.web.conftest import login
from xxgk.cli import app
from xxgk.store import accounts, agencies
from xxgk.store.base import Store
from xxgk.web.app import create_app

runner = CliRunner()


@pytest.fixture(params=["sqlite", "postgresql"])
def data(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    url = database_url(request.param, tmp_path)
    monkeypatch.setenv("XXGK_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("XXGK_DATABASE_URL", url)
    return tmp_path / "data"


def _store() -> Store:
    store = Store()
    store.upgrade()
    return store


def test_users_agencies_and_tokens_from_the_command_line(data: Path) -> None:
    ok = runner.invoke(app, ["agencies", "add", "某某市", "--level", "市"])
    assert ok.exit_code == 0, ok.output
    ok = runner.invoke(
        app,
        [
            "agencies",
            "add",
            "某某市财政局",
            "--level",
            "部门",
            "--parent",
            "某某市",
            "--alias",
            "市财政局",
        ],
    )
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["agencies", "add", "某某村", "--level", "村"])
    assert bad.exit_code == 2 and "级别“村”不对" in bad.stderr
    add = runner.invoke(
        app,
        ["users", "add", "财政填报", "--role", "clerk", "--scope", "市财政局", "--password-stdin"],
        input="一个足够长的密码\n",
    )
    assert add.exit_code == 0, add.output
    no_scope = runner.invoke(
        app,
        ["users", "add", "某人", "--role", "supervisor", "--password-stdin"],
        input="一个足够长的密码\n",
    )
    assert no_scope.exit_code == 2 and "--scope" in no_scope.stderr
    token = runner.invoke(app, ["users", "token", "财政填报"])
    assert token.exit_code == 0
    value = token.stdout.strip()
    assert value.startswith("xxgk_") and len(value) > 30
    store = _store()
    with store.session() as s:
        user = accounts.by_name(s, "财政填报")
        assert user is not None and user.scope is not None and user.scope.name == "某某市财政局"
        assert accounts.verify(user, "一个足够长的密码")
        assert accounts.token_user(s, value) == user
    client = TestClient(create_app(store, worker=False))
    listed = client.get("/api/v1/reports", headers={"Authorization": f"Bearer {value}"})
    assert listed.status_code == 200
    assert listed.json() == {"total": 0, "offset": 0, "limit": 500, "reports": []}
    store.dispose()
    users = runner.invoke(app, ["users", "list"]).stdout
    assert "财政填报\t填报人员\t某某市财政局" in users


def test_import_an_agency_table_from_excel(data: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    wb = Workbook()
    ws = wb.active
    ws.append(["名称", "级别", "上级", "别名"])
    ws.append(["某某县教育局", "部门", "某某县", "县教育局；教育局"])
    ws.append(["某某市", "市", None, None])
    ws.append(["某某县", "县", "某某市", None])
    path = tmp_path / "机关目录.xlsx"
    wb.save(path)
    done = runner.invoke(app, ["agencies", "import", str(path)])
    assert done.exit_code == 0, done.output
    assert "新增 3 个" in done.stderr
    tree = runner.invoke(app, ["agencies", "list"]).stdout
    assert tree.splitlines() == [
        "某某市\t市",
        "  某某县\t县",
        "    某某县教育局\t部门（别名：县教育局、教育局）",
    ]
    again = runner.invoke(app, ["agencies", "import", str(path)])
    assert "新增 0 个，已有 3 个" in again.stderr
    broken = tmp_path / "坏.csv"
    broken.write_text("单位,类别\n某某县,县\n", encoding="utf-8")
    refused = runner.invoke(app, ["agencies", "import", str(broken)])
    assert refused.exit_code == 2 and "第一行应有“名称”和“级别”" in refused.stderr


def test_init_example_makes_an_admin_once_with_a_generated_password(data: Path) -> None:
    first = runner.invoke(app, ["init-example"])
    assert first.exit_code == 0, first.output
    found = re.search(r"用户名 (\S+)\s+密码 (\S+)", first.stderr)
    assert found, first.stderr
    name, password = found.groups()
    assert len(password) >= 12
    second = runner.invoke(app, ["init-example"])
    assert second.exit_code == 0
    assert password not in second.stderr and "已存在" in second.stderr
    store = _store()
    with store.session() as s:
        assert agencies.by_name(s, "某某县发展和改革局") is not None
    with TestClient(create_app(store, worker=False)) as client:
        login(client, name, password)
        home = client.get("/").text
        from xxgk.supervise.demo import example_reports

        # the shipped examples (and the dashboard's other years) were imported once (not again on the second run), checked
        assert home.count('href="/reports/') == 4 + len(example_reports()) and "已核查" in home
        assert "排队中" not in home
        # half of the agencies filed their newest report for review, once (not again on
        # the second run): /filings shows both kinds
        said = re.search(r"(\d+) 个机关有 (\d+) 年度报告，其中 (\d+) 个已报送审核", first.stderr)
        assert said, first.stderr
        agencies_with, year, filed = map(int, said.groups())
        assert 0 < filed < agencies_with and "已报送审核" not in second.stderr
        page = client.get(f"/filings?year={year}").text
        assert f"报送（{filed}）" in page
        missing = re.search(r"未报送（(\d+)", page)
        assert missing and int(missing.group(1)) >= agencies_with - filed
        # dated as offices would have filed them: most by the deadline, one after it
        table = page.split('id="filings-submitted"', 1)[1].split("</table>", 1)[0]
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", row.split("<td>")[4].split("</td>")[0]).split())
            for row in table.split("<tr id=")[1:]
        ]
        assert len(cells) == filed
        when = [re.match(r"(\S+) .*? (\S+) 报送 (按期报送|逾期报送)$", c) for c in cells]
        assert all(when), cells
        kinds = sorted(m.group(3) for m in when if m)
        assert kinds == ["按期报送"] * (filed - 1) + ["逾期报送"], cells
        for m in when:
            assert m is not None and m.group(2).startswith(f"{year + 1}-0")  # not today
            assert (m.group(2) > m.group(1)) == (m.group(3) == "逾期报送")
    store.dispose()


def test_another_data_folder_gets_another_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = set()
    for n in range(2):
        monkeypatch.setenv("XXGK_DATA", str(tmp_path / f"d{n}"))
        monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
        out = runner.invoke(app, ["init-example"]).stderr
        found = re.search(r"密码 (\S+)", out)
        assert found
        seen.add(found.group(1))
    assert len(seen) == 2


@pytest.mark.parametrize(
    "command",
    [
        ["serve"],
        ["init-example"],
        ["users"],
        ["users", "add"],
        ["users", "token"],
        ["agencies", "import"],
    ],
)
def test_the_web_commands_help_in_chinese(command: list[str]) -> None:
    text = runner.invoke(app, [*command, "-h"]).stdout
    assert text.startswith("用法：xxgk " + " ".join(command))
    assert "显示本帮助并退出" in text and "Usage" not in text and "Options" not in text


def test_xxgk_serve_answers_healthz(tmp_path: Path) -> None:
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "XXGK_DATA": str(tmp_path / "served")}
    env.pop("XXGK_DATABASE_URL", None)
    exe = Path(sys.executable).with_name("xxgk")
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        answer = None
        while time.monotonic() < deadline:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert answer is not None and answer.json() == {"status": "ok"}
        login_page = httpx.get(f"http://127.0.0.1:{port}/")
        assert login_page.status_code == 303
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in err
    assert (tmp_path / "served" / "xxgk.sqlite3").exists()
