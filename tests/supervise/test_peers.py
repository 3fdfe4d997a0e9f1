"""TXT-004 against peer agencies (内容雷同 between agencies), on SQLite and PostgreSQL:
the reports of the other agencies of a jurisdiction for the same year are each
stored report's peers; a section copied from one is a finding on both reports, naming
the other; another jurisdiction's copy is not compared; a later version that rewrites
the section clears the finding on the report that copied it; the catalogue counts
it.  And the index that finds the peers: few exact comparisons among many reports."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from tests.supervise.test_pages import BUREAU, OFFICE, TOWN, _report, _upload
from tests.web.conftest import Site, login
from xxgk.checks import copied
from xxgk.store.models import StoredReport
from xxgk.web.worker import run_pending

# every report opens with the same sentence (as real ones do); the rest is its own
OPENING = "本年度，我单位认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。"
HANZI = "公开政务信息申请办理答复主动依法规范制度平台网站栏目解读回应关切监督考核培训队伍保障"


def _text(seed: int, n: int = 8) -> str:
    """The opening and ``n`` sentences of random characters (seeded: the same text for
    the same seed; two seeds share no six-character run but by chance)."""
    rnd = random.Random(seed)
    said = "".join(
        "".join(rnd.choice(HANZI) for _ in range(rnd.randint(14, 24))) + "。" for _ in range(n)
    )
    return OPENING + said


COPIED = _text(1)  # the bureau's own text, which the township copies


def _findings(site: Site, rid: int, code: str = "TXT-004") -> list[dict[str, Any]]:
    with site.store.session() as s:
        row = s.get(StoredReport, rid)
        assert row is not None and row.result is not None, rid
        return [f for f in row.result["findings"] if f["code"] == code]


def _store(site: Site, agency: str, text: str, name: str | None = None) -> int:
    rid = _upload(site, agency, _report(agency, 2023, 10, 2, 1, text), name)
    run_pending(site.store)
    return rid


def test_a_section_copied_between_agencies_of_a_jurisdiction_is_a_finding_on_both(
    site: Site,
) -> None:
    bureau = _store(site, BUREAU, COPIED)
    assert _findings(site, bureau) == []  # alone in its jurisdiction
    town = _store(site, TOWN, COPIED.replace("第1批", "本镇第1批"))
    office = _store(site, OFFICE, COPIED)  # 某某区: another jurisdiction
    got = _findings(site, town)
    assert len(got) == 1 and got[0]["severity"] == "warning"
    assert f"“一、总体情况”与《{BUREAU}2023年度报告》的同一部分有" in got[0]["message"]
    # the bureau, stored first, is checked again and names the township
    back = _findings(site, bureau)
    assert len(back) == 1 and f"《{TOWN}2023年度报告》" in back[0]["message"]
    assert _findings(site, office) == []  # no peer in 某某区
    with site.store.session() as s:
        row = s.get(StoredReport, town)
        assert row is not None and row.result is not None
        assert [p["id"] for p in row.result["peers"]] == [bureau]
    # the report page shows it; the catalogue counts it as a warning
    login(site.client, "县监督")
    page = site.client.get(f"/reports/{town}").text
    assert "TXT-004" in page and f"《{BUREAU}2023年度报告》" in page
    findings = site.client.get("/findings", params={"code": "TXT-004", "year": 2023}).text
    assert findings.count(f'href="/reports/{town}') >= 1
    assert findings.count(f'href="/reports/{bureau}') >= 1


def test_a_rewritten_version_clears_the_finding_on_the_peer(site: Site) -> None:
    bureau = _store(site, BUREAU, COPIED)
    town = _store(site, TOWN, COPIED)
    assert len(_findings(site, bureau)) == 1 and len(_findings(site, town)) == 1
    again = _store(site, TOWN, _text(2), name="镇2023年度报告第二版.txt")
    assert again != town
    assert _findings(site, again) == []
    assert _findings(site, bureau) == []  # its peer is now the township's new version
    with site.store.session() as s:
        row = s.get(StoredReport, bureau)
        assert row is not None and row.result is not None and not row.result.get("peers")


def test_own_texts_are_not_flagged_and_short_sections_are_not_judged(site: Site) -> None:
    bureau = _store(site, BUREAU, _text(3))
    town = _store(site, TOWN, _text(4))
    short = _store(site, "某某县", "本年度工作有序开展。")
    for rid in (bureau, town, short):
        assert _findings(site, rid) == []


def test_the_index_compares_few_pairs_among_many_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """400 reports of one year, three sections copied: the exact (quadratic) measure
    runs for a handful of pairs, not for 400² (what the rule would do given all)."""
    calls = 0
    exact = copied.repeated

    def counted(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return exact(a, b)

    monkeypatch.setattr(copied, "repeated", counted)
    texts = {i: _text(100 + i) for i in range(400)}
    copies = {17: 3, 250: 120, 399: 300}  # report → the report it copies
    for i, j in copies.items():
        texts[i] = texts[j][:60] + "有所改动" + texts[j][64:]
    index = copied.PeerIndex()
    found: dict[int, set[int]] = {}
    for i, text in texts.items():
        sketched = copied.sketches({1: text})
        mine, theirs = index.match(f"机关{i}", 2023, sketched)
        for j in copied.most_similar(mine):
            found.setdefault(i, set()).add(j)
        for j in theirs:
            found.setdefault(j, set()).add(i)
        index.add(i, f"机关{i}", 2023, sketched)
    flagged = set()
    for i, peers in found.items():
        for j in peers:
            if copied.copied_share(texts[i], texts[j]) is not None:
                flagged.add(frozenset((i, j)))
    assert flagged == {frozenset(p) for p in copies.items()}
    assert calls <= 4 * len(copies), calls  # each copied pair, both ways, and little else


def test_the_sketch_estimate_keeps_every_copy_of_up_to_a_third_changed() -> None:
    """Copies of a section with up to 30 % of their characters changed and text added
    before or after (``repeated`` ≥ THRESHOLD) are all estimated at PREFILTER or more,
    so the index never hides one; unrelated sections mostly fall below it."""
    rnd = random.Random(5)
    kept = unrelated = copies = 0
    for trial in range(300):
        base = _text(1000 + trial, rnd.randint(4, 14))
        chars = list(base)
        rate = rnd.uniform(0, 0.3)
        for i in range(len(chars)):
            if rnd.random() < rate / 6:
                chars[i] = rnd.choice(HANZI)
        extra = _text(5000 + trial, rnd.choice([0, 1, 3]))[len(OPENING) :]
        text = "".join(chars) + extra if trial % 2 else extra + "".join(chars)
        share, _ = copied.estimate(copied.sketch(text), copied.sketch(base))
        if copied.repeated(text, base) >= copied.THRESHOLD:
            copies += 1
            kept += share >= copied.PREFILTER
        other, _ = copied.estimate(copied.sketch(text), copied.sketch(_text(9000 + trial)))
        unrelated += other >= copied.PREFILTER
    assert copies > 100 and kept == copies
    assert unrelated <= 3  # the shared opening alone is not enough


def test_the_example_jurisdiction_has_one_section_copied_between_agencies(
    tmp_path: Path,
) -> None:
    """make run's reports: 某某区某某办公室 repeats 某某区卫生健康局's 2022 opening; no
    other two agencies of a year share a section."""
    from xxgk import api
    from xxgk.supervise.demo import example_reports

    reports = {}
    for name, data in example_reports():
        (tmp_path / name).write_bytes(data)
        reports[name] = api.parse(tmp_path / name)
    flagged = []
    for name, report in reports.items():
        peers = [r for n, r in reports.items() if n != name and r.year == report.year]
        found = api.check_report(report, peers=peers).findings
        if any(f.code == "TXT-004" and "《" in f.message for f in found):
            flagged.append(name)
    assert sorted(flagged) == [
        "某某区卫生健康局2022年度报告.txt",
        "某某区某某办公室2022年度报告.txt",
    ]
