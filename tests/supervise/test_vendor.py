"""ECharts for the dashboard: pinned by web/package-lock.json, built by ``make static``
into the app's static folder and served from there (never from the internet)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.web.conftest import Site

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "xxgk" / "web" / "static" / "vendor" / "echarts.min.js"


def test_the_lock_pins_echarts_5_with_its_hash() -> None:
    wanted = json.loads((ROOT / "web" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "web" / "package-lock.json").read_text(encoding="utf-8"))
    version = wanted["dependencies"]["echarts"]
    assert version.split(".")[0] == "5" and version[0].isdigit()  # an exact version
    pinned = lock["packages"]["node_modules/echarts"]
    assert pinned["version"] == version and pinned["integrity"].startswith("sha512-")
    assert lock["packages"][""]["dependencies"] == wanted["dependencies"]
    for name, entry in lock["packages"].items():
        assert not name or entry.get("integrity"), name


def test_the_app_serves_echarts_when_make_static_has_run(site: Site) -> None:
    if not VENDOR.is_file():
        pytest.skip(f"{VENDOR} not built (make static needs npm)")
    answer = site.client.get("/static/vendor/echarts.min.js")
    assert answer.status_code == 200
    assert answer.content == VENDOR.read_bytes()
    assert b"echarts" in answer.content[:2000].lower()
