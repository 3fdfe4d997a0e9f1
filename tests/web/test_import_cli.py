"""``xxgk import DIR``: a folder into the store like uploads (duplicates, agency
matching, the 待归属 list), checked, with a summary line; bad input is one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.web.conftest import populate
from xxgk.cli import app as cli_app
from xxgk.examples import example_paths
from xxgk.store.base import Store
from xxgk.store.models import StoredReport


def test_import_a_folder_then_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    store = Store(data)
    store.upgrade()
    populate(store)
    store.dispose()
    folder = tmp_path / "报告"
    (folder / "子目录").mkdir(parents=True)
    paths = example_paths()
    for p in paths[:-1]:
        shutil.copy(p, folder / p.name)
    shutil.copy(paths[-1], folder / "子目录" / paths[-1].name)
    (folder / "说明.xyz").write_text("不是报告")
    (folder / "空白.txt").write_text("")
    monkeypatch.setenv("XXGK_DATA", str(data))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    first = CliRunner().invoke(cli_app, ["import", str(folder)])
    assert first.exit_code == 1, first.output  # one file refused
    assert f"导入 {len(paths)} 份，重复 0 份，未能导入 1 份；已核查 {len(paths)} 份" in first.output
    assert "空白.txt：文件为空" in first.output
    store = Store(data)
    with store.session() as s:
        rows = list(s.scalars(select(StoredReport)))
        assert sorted(r.filename for r in rows) == sorted(p.name for p in paths)
        assert {r.status for r in rows} == {"done"}
        bureau = [r for r in rows if r.filename == "bureau-2023-tabs.txt"]
        assert bureau[0].agency is not None and bureau[0].agency.name == "某某县发展和改革局"
    store.dispose()
    (folder / "空白.txt").unlink()
    again = CliRunner().invoke(cli_app, ["import", str(folder)])
    assert again.exit_code == 0, again.output
    assert f"导入 0 份，重复 {len(paths)} 份；已核查 0 份" in again.output
    missing = CliRunner().invoke(cli_app, ["import", str(tmp_path / "没有")])
    assert missing.exit_code == 2 and "找不到文件夹" in missing.output
