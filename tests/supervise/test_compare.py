"""Year over year: tables side by side, the narrative diffed by sentence and character,
the copied-text measure (TXT-004) and peers."""

from __future__ import annotations

import copy

import pytest

from tests.conftest import corpus_path
from xxgk.api import check_report, parse
from xxgk.checks import copied, run
from xxgk.supervise import compare
from xxgk.synth import consistent_report

# twenty distinct sentences (no six-character run shared between any two)
FACTS = [
    f"第{i}项工作{topic}，全年完成{i * 7 + 3}件。"
    for i, topic in enumerate(
        ["梳理公开目录", "更新办事指南", "召开新闻发布会", "开展政策解读", "答复人大建议",
         "清理失效文件", "培训基层人员", "建设专题专栏", "核查网站链接", "整改评估问题",
         "规范申请答复", "完善保密审查", "推进数据开放", "公开财政预算", "发布重大项目",
         "征求公众意见", "回应社会关切", "改版门户网站", "编制年度要点", "接受社会评议"],
        start=1,
    )
]  # fmt: skip


def _with(text5: str, year: int, text1: str = "本年度工作有序开展。") -> object:
    return consistent_report(
        year=year, published=f"{year + 1}-01-20", sections={1: text1, 5: text5}
    )


def test_sentences_cut_at_chinese_stops_and_ignore_white_space() -> None:
    got = copied.sentences("一是加强 领导。二是完善\n制度；三是？！四是没有句号")
    assert got == ["一是加强领导。", "二是完善制度；", "三是？！", "四是没有句号"]


@pytest.mark.parametrize("kept", [20, 17, 16, 15, 10, 0])
def test_the_share_repeated_follows_the_sentences_kept(kept: int) -> None:
    last = "".join(FACTS)
    now = "".join(FACTS[:kept]) + "".join(f"新增的第{i}条措施落实到位。" for i in range(20 - kept))
    share = copied.repeated(now, last)
    kept_chars = sum(len(s) for s in FACTS[:kept])
    assert share == pytest.approx(kept_chars / len(copied.flat(now)), abs=0.02)
    assert copied.covered(now, last) >= share  # the rule's linear gate never hides a copy
    findings = run(_with(now, 2023), _with(last, 2022), only=["TXT-004"])  # type: ignore[arg-type]
    assert bool(findings) == (share >= copied.THRESHOLD)
    if findings:
        assert (
            findings[0].severity.value == "warning" and "五、存在的主要问题" in findings[0].message
        )
        assert f"{share:.0%}" in findings[0].message


def test_tables_side_by_side_give_before_after_and_delta() -> None:
    last = consistent_report(leaves={"granted": {"natural": 5}}, year=2022)
    now = consistent_report(leaves={"granted": {"natural": 8}, "partial": {"research": 2}})
    now.tables["t2"]["fee"]["amount"] = 1.5
    got = compare.compare_tables(now, last, changed_only=True)
    by_cell = {c.cell: c for cs in got.values() for c in cs}
    assert by_cell["t3.granted.natural"].as_dict()["delta"] == 3
    assert (
        by_cell["t3.results_total.total"].before == 5
        and by_cell["t3.results_total.total"].after == 10
    )
    assert by_cell["t3.partial.research"].delta == 2
    assert by_cell["t2.fee.amount"].delta == 1.5
    assert "t3.granted.commercial" not in by_cell  # unchanged cells only when asked
    every = compare.compare_tables(now, last)
    assert sum(len(cs) for cs in every.values()) == len(list(now.version.cell_keys()))
    assert "予以公开" in by_cell["t3.granted.natural"].label
    blank = copy.deepcopy(last)
    blank.tables["t3"]["granted"]["natural"] = None
    gap = compare.compare_tables(now, blank, changed_only=True)
    assert next(c for c in gap["t3"] if c.cell == "t3.granted.natural").delta is None


def test_the_narrative_diff_shows_sentences_and_characters() -> None:
    last = "".join(FACTS[:3])
    now = FACTS[0] + FACTS[1].replace("更新办事指南", "修订办事指南") + "另有新增一项工作。"
    ops = compare.diff_text(now, last)
    tags = [o.tag for o in ops]
    assert tags[0] == "equal" and ops[0].before == [FACTS[0]]
    changed = next(o for o in ops if o.tag == "replace")
    assert FACTS[2] in changed.before and "另有新增一项工作。" in changed.after
    pieces = {(t, a, b) for t, a, b in changed.chars}
    assert ("replace", "更新", "修订") in pieces
    sections = compare.compare_sections(_with(now, 2023), _with(last, 2022))
    five = next(s for s in sections if s.number == 5)
    assert five.heading == "五、存在的主要问题及改进情况" and 0 < five.ratio < 1
    assert not five.copied
    assert compare.year_over_year(_with(now, 2023), _with(last, 2022)).as_dict()["sections"][4][
        "ops"
    ]


def test_stored_json_compares_like_the_report() -> None:
    last, now = _with("".join(FACTS), 2022), _with("".join(FACTS[:18]) + "新的一句话在这里。", 2023)
    as_json = compare.year_over_year(
        check_report(now).contract_dict(), check_report(last).contract_dict()
    )
    direct = compare.year_over_year(now, last)
    assert as_json.as_dict() == direct.as_dict()


def test_peers_most_repeated_first() -> None:
    text = "".join(FACTS[:10])
    peers = {"甲局": "".join(FACTS[:10]), "乙局": "".join(FACTS[10:]), "丙局": "".join(FACTS[:6])}
    got = compare.compare_peers(text, peers)
    assert [m.peer for m in got] == ["甲局", "丙局", "乙局"]
    assert got[0].copied and got[0].repeated == 1.0 and not got[2].copied
    mine = _with(text, 2023)
    others = {"甲局": _with("".join(FACTS[:10]), 2023), "乙局": _with("无。", 2023)}
    assert compare.peer_sections(mine, others, 5)[0].peer == "甲局"


def test_a_real_pair_of_years_and_a_copy_of_it() -> None:
    before = parse(corpus_path("real", "pingtan-2019.txt"))
    after = parse(corpus_path("real", "pingtan-2023.txt"))
    assert run(after, before, only=["TXT-004"]) == []  # rewritten between the years
    copy_of = copy.deepcopy(before)
    copy_of.year = 2020
    flagged = run(copy_of, before, only=["TXT-004"])
    long_ones = [n for n, t in before.sections.items() if len(copied.flat(t)) >= copied.MIN_CHARS]
    assert long_ones and len(flagged) == len(long_ones)
