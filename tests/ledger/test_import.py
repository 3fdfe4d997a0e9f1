"""An office's Excel register imports with a mapping report; no row is dropped."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from xxgk.cli import app
from xxgk.ledger.importer import RegisterImportError, import_register
from xxgk.store.base import Store

HEADER = [
    "序号",
    "申请日期",
    "申请人",
    "申请人类型",
    "申请方式",
    "申请内容",
    "承办人",
    "办理结果",
    "答复日期",
    "备注",
]
ROWS = [
    [
        1,
        datetime(2024, 3, 4),
        "张三",
        "公民",
        "网上申请",
        "某项目批复",
        "甲",
        "予以公开",
        "2024-03-20",
        "",
    ],
    [
        2,
        "2024年3月5日",
        "某某律师事务所",
        "律所",
        "挂号信",
        "某处罚决定",
        "乙",
        "部分公开",
        "2024/3/25",
        "区分处理",
    ],
    [3, "2024.3.6", "李四", "个人", "当面", "某规划", "甲", "", "", "办理中"],
    [4, "", "王五", "公民", "网络", "缺日期", "甲", "", "", ""],
    [5, "2024-03-07", "赵六", "外星人", "网络", "类型不明", "甲", "", "", ""],
    [6, "2024-03-08", "某公司", "企业", "传真", "结果不明", "甲", "待定", "2024-03-28", ""],
    [7, "2024-03-09", "孙七", "公民", "网络", "只有结果", "甲", "予以公开", "", ""],
]


def _workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["某某县某某局政府信息公开申请登记台账（2024年）"])
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    wb.save(path)
    return path


def test_import_places_rows_and_lists_the_rest(sqlite_store: Store, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "台账.xlsx")
    with sqlite_store.session() as s:
        result = import_register(s, path, "某某县某某局", "李四")
    assert result.header_row == 2
    assert result.mapping["申请日期"] == "received" and result.mapping["申请方式"] == "channel"
    assert result.unused == ["备注"]
    assert [r for r, _ in result.imported] == [3, 4, 5]
    reasons = {row: why for row, why, _ in result.unplaced}
    assert sorted(reasons) == [6, 7, 8, 9]  # every row is either imported or listed
    assert reasons[6] == "缺少收到日期"
    assert "申请人类型“外星人”无法对应" in reasons[7]
    assert "办理结果“待定”无法对应" in reasons[8]
    assert "须同时填写" in reasons[9]
    from xxgk.ledger.service import get_request

    with sqlite_store.session() as s:
        lawyer = get_request(s, "2", "某某县某某局")
        assert (lawyer.applicant_type, lawyer.channel, lawyer.result) == (
            "legal_service",
            "registered_mail",
            "partial",
        )
        assert lawyer.received == date(2024, 3, 5)
        assert get_request(s, "3", "某某县某某局").state == "open"
        # the unplaced rows left nothing behind
        with pytest.raises(ValueError, match="没有申请 6"):
            get_request(s, "6", "某某县某某局")


def test_import_without_a_header_is_refused(sqlite_store: Store, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["a", "b", "c"])
    wb.save(tmp_path / "x.xlsx")
    with sqlite_store.session() as s, pytest.raises(RegisterImportError, match="没有找到表头"):
        import_register(s, tmp_path / "x.xlsx", "某某县某某局", "李四")
    (tmp_path / "bad.xlsx").write_bytes(b"no")
    with sqlite_store.session() as s, pytest.raises(RegisterImportError, match="无法读取 Excel"):
        import_register(s, tmp_path / "bad.xlsx", "某某县某某局", "李四")


def test_import_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    path = _workbook(tmp_path / "台账.xlsx")
    out = CliRunner().invoke(app, ["ledger", "import", str(path), "--agency", "某某县某某局"])
    assert out.exit_code == 0, out.output
    assert "已导入 3 行。" in out.stdout and "第 6 行：缺少收到日期" in out.stdout
    out = CliRunner().invoke(
        app, ["ledger", "import", str(path), "--agency", "某某县某某局", "--json"]
    )
    data = json.loads(out.stdout)  # a second import: the numbers are taken
    assert data["imported"] == [] and len(data["unplaced"]) == 7
    assert "编号 1 已在 某某县某某局 的台账中" in data["unplaced"][0]["reason"]


def test_an_imported_row_5_4_says_its_reasons_dates_are_not_known(
    sqlite_store: Store, tmp_path: Path
) -> None:
    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(
        [1, "2024-03-04", "张三", "公民", "当面", "某批复", "甲", "大量反复申请", "2024-03-20", ""]
    )
    wb.save(tmp_path / "五4.xlsx")
    with sqlite_store.session() as s:
        result = import_register(s, tmp_path / "五4.xlsx", "某某县某某局", "李四")
    assert [r for r, _ in result.imported] == [2] and not result.unplaced
    from xxgk.ledger.service import get_request

    with sqlite_store.session() as s:
        req = get_request(s, "1", "某某县某某局")
        assert (req.state, req.result, req.closed) == (
            "closed",
            "rejected_excessive",
            date(2024, 3, 20),
        )
        events = [(e.kind, e.on, e.note) for e in req.events]
        assert events[:2] == [
            (
                "reasons_asked",
                date(2024, 3, 20),
                "由原台账导入：原台账未记录要求说明理由和申请人说明理由的日期",
            ),
            (
                "reasons_given",
                date(2024, 3, 20),
                "由原台账导入：原台账未记录要求说明理由和申请人说明理由的日期",
            ),
        ]
