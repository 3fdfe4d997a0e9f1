"""The store on SQLite and PostgreSQL: migrations up and down, the agency tree and
its matching, users and tokens, uploads, duplicates, versions and the queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from xxgk.store import accounts, agencies, db, reports
from xxgk.store.agencies import StoreError
from xxgk.store.base import Store
from xxgk.store.models import AuditEntry, StoredReport

TABLES = {
    "agencies",
    "agency_aliases",
    "users",
    "api_tokens",
    "sessions",
    "login_attempts",
    "report_files",
    "reports",
    "audit_log",
}


def test_every_migration_runs_up_and_down(store: Store) -> None:
    assert set(inspect(store.engine).get_table_names()) >= TABLES
    assert db.current_revision(store.engine) is not None
    db.downgrade(store.engine, "base")
    assert not TABLES & set(inspect(store.engine).get_table_names())
    assert db.current_revision(store.engine) is None
    store.upgrade()
    assert set(inspect(store.engine).get_table_names()) >= TABLES


def _tree(store: Store) -> None:
    with store.session() as s:
        agencies.add(s, "某某市", "市")
        agencies.add(s, "某某县", "县", parent="某某市")
        agencies.add(s, "某某县发展和改革局", "部门", parent="某某县", aliases=["县发改局"])
        agencies.add(s, "某某市某某局", "部门", parent="某某市")


def test_the_tree_and_its_subtrees(store: Store) -> None:
    _tree(store)
    with store.session() as s:
        city = agencies.require(s, "某某市")
        county = agencies.require(s, "某某县")
        below = {
            a.name
            for a in s.scalars(select(agencies.Agency))
            if a.id in agencies.subtree(s, city.id)
        }
        assert below == {"某某市", "某某县", "某某县发展和改革局", "某某市某某局"}
        assert {
            a.name
            for a in s.scalars(select(agencies.Agency))
            if a.id in agencies.subtree(s, county.id)
        } == {"某某县", "某某县发展和改革局"}


def test_a_report_names_its_agency_loosely(store: Store) -> None:
    _tree(store)
    with store.session() as s:
        dev = agencies.require(s, "某某县发展和改革局")
        assert agencies.match(s, "某某县 发展和改革局", None) == dev  # spaces
        assert agencies.match(s, "县发改局", None) == dev  # an alias
        assert agencies.match(s, "（某某县发展和改革局）", None) == dev  # brackets
        assert agencies.match(s, "某某省某某县发展和改革局", None) == dev  # a longer name
        assert agencies.match(s, "某某区卫生健康委员会", None) is None
        city_only = agencies.subtree(s, agencies.require(s, "某某市某某局").id)
        assert agencies.match(s, "某某县发展和改革局", city_only) is None  # outside


def test_bad_agencies_are_refused_in_chinese(store: Store) -> None:
    _tree(store)
    with store.session() as s:
        with pytest.raises(StoreError, match="级别"):
            agencies.add(s, "某某乡", "村")
        with pytest.raises(StoreError, match="已存在"):
            agencies.add(s, "某某 县", "县")
        with pytest.raises(StoreError, match="没有名为"):
            agencies.add(s, "某某镇", "乡", parent="不存在的县")


def test_import_a_region_table(store: Store, tmp_path: Path) -> None:
    table = tmp_path / "机关.csv"
    table.write_text(
        "名称,级别,上级,别名\n"
        "某某县财政局,部门,某某县,县财政局、财政局\n"  # a child before its parent
        "某某市,市,,\n"
        "某某县,县,某某市,\n",
        encoding="utf-8",
    )
    with store.session() as s:
        assert agencies.import_table(s, table) == (3, 0)
    with store.session() as s:
        fin = agencies.require(s, "县财政局")
        assert fin.name == "某某县财政局"
        assert fin.parent is not None and fin.parent.name == "某某县"
    bad = tmp_path / "坏.csv"
    bad.write_text("名称,级别\n某某镇,村\n", encoding="utf-8")
    with store.session() as s, pytest.raises(StoreError, match="第2行"):
        agencies.import_table(s, bad)


def test_passwords_tokens_and_sessions(store: Store) -> None:
    _tree(store)
    with store.session() as s:
        user = accounts.add_user(s, "张三", "clerk", "一二三四五六七八", scope="县发改局")
        assert user.password_hash.startswith("$argon2")
        token = accounts.new_token(s, user)
        cookie, csrf = accounts.open_session(s, user)
    with store.session() as s:
        user2 = accounts.by_name(s, "张三")
        assert user2 is not None and accounts.verify(user2, "一二三四五六七八")
        assert not accounts.verify(user2, "wrong password")
        assert accounts.token_user(s, token) == user2
        assert accounts.token_user(s, token + "x") is None
        found = accounts.find_session(s, cookie)
        assert found is not None and found.csrf == csrf
        stored = {t.token_hash for t in s.scalars(select(accounts.ApiToken))}
        assert token not in stored and accounts.digest(token) in stored
        with pytest.raises(StoreError, match="--scope"):
            accounts.add_user(s, "李四", "supervisor", "一二三四五六七八")


def test_failed_logins_are_limited_per_user_and_per_address(store: Store) -> None:
    with store.session() as s:
        for _ in range(accounts.MAX_FAILS_USER):
            assert not accounts.login_blocked(s, "张三", "10.0.0.1")
            accounts.record_login(s, "张三", "10.0.0.1", False)
    with store.session() as s:
        assert accounts.login_blocked(s, "张三", "10.0.0.2")
        assert not accounts.login_blocked(s, "李四", "10.0.0.2")
        for i in range(accounts.MAX_FAILS_CLIENT):
            accounts.record_login(s, f"用户{i % 3}", "10.0.0.9", False)
        assert accounts.login_blocked(s, "王五", "10.0.0.9")


def _upload(
    store: Store, data: bytes, name: str, agency_id: int | None
) -> tuple[StoredReport, bool]:
    sha = store.put_file(data)
    with store.session() as s:
        return reports.add_upload(s, sha, len(data), name, None, agency_id)


def test_uploads_versions_duplicates_and_the_queue(store: Store) -> None:
    _tree(store)
    with store.session() as s:
        dev = agencies.require(s, "某某县发展和改革局").id
    first, dup = _upload(store, b"report one", "a.txt", dev)
    assert not dup
    again, dup = _upload(store, b"report one", "copy.txt", dev)
    assert dup and again.id == first.id
    second, dup = _upload(store, b"report one, corrected", "a.txt", dev)
    assert not dup and second.id != first.id
    assert store.file_path(first.file_sha256).read_bytes() == b"report one"
    result = {"report": {"agency": "某某县发展和改革局", "year": 2023, "format": "2021"}}
    with store.session() as s:
        ids = [reports.claim(s), reports.claim(s), reports.claim(s)]
        assert ids == [first.id, second.id, None]
        for rid in ids[:2]:
            row = s.get(StoredReport, rid)
            assert row is not None
            reports.finish(s, row, result, None, None)
    with store.session() as s:
        rows = [s.get(StoredReport, first.id), s.get(StoredReport, second.id)]
        assert [(r.status, r.year, r.version) for r in rows if r] == [
            ("done", 2023, 1),
            ("done", 2023, 2),
        ]
        # the first version is kept unchanged beside the second
        assert rows[0] and store.file_path(rows[0].file_sha256).read_bytes() == b"report one"


def test_an_interrupted_report_is_queued_again(store: Store) -> None:
    rep, _ = _upload(store, b"x", "x.txt", None)
    with store.session() as s:
        assert reports.claim(s) == rep.id
    with store.session() as s:
        assert reports.claim(s) is None
        assert reports.requeue_interrupted(s) == 0  # still within its lease
        assert reports.requeue_interrupted(s, everything=True) == 1
    with store.session() as s:
        assert reports.claim(s) == rep.id


def test_matching_after_processing_and_the_unassigned(store: Store) -> None:
    _tree(store)
    named, _ = _upload(store, b"1", "1.txt", None)
    stray, _ = _upload(store, b"2", "2.txt", None)
    with store.session() as s:
        for rid, agency in ((named.id, "县发改局"), (stray.id, "某某区卫生健康委员会")):
            row = s.get(StoredReport, rid)
            assert row is not None
            reports.finish(s, row, {"report": {"agency": agency, "year": 2023}}, None, None)
    with store.session() as s:
        a, b = s.get(StoredReport, named.id), s.get(StoredReport, stray.id)
        assert a and a.agency and a.agency.name == "某某县发展和改革局"
        assert b and b.agency_id is None and b.agency_name == "某某区卫生健康委员会"
        accounts.audit(s, None, "test", "detail")
    with store.session() as s:
        assert s.scalars(select(AuditEntry.action)).all() == ["test"]
