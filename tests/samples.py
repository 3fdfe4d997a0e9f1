"""Reports for tests: a fixed sample with nonzero numbers, and random consistent reports."""

from __future__ import annotations

from hypothesis import strategies as st

from xxgk.format import T3_APPLICANTS, T4_PARTS, VERSIONS, Kind
from xxgk.model import Report
from xxgk.synth import consistent_report

SEED = ("seeds", "004_0ff62b739310a2bd.txt")
AGENCIES = ("某某县某某局", "某某市某某区人民政府", "隆德县神林乡", "某某市某某区某某街道办事处")
NARRATIVE = {
    1: "本机关坚持以公开为常态、不公开为例外。\n全年共召开专题会议3次。",
    2: "全年主动公开政府信息128条。",
    3: "全年共收到政府信息公开申请。",
    4: "全年未发生因政府信息公开引起的行政复议、行政诉讼。",
    5: "一是公开内容不够全面。\n二是解读形式较为单一。",
    6: "本年度未收取信息处理费。",
}


def sample(key: str) -> Report:
    """A consistent report with nonzero numbers everywhere, 0.35 万元 fees, 2019 −2."""
    v = VERSIONS[key]
    leaves = [r.key for r in v.table("t3").rows if r.role == "leaf"]
    t2: dict[str, dict[str, int | float]] = {}
    for i, row in enumerate(v.table("t2").rows):
        t2[row.key] = {}
        for j, col in enumerate(row.columns):
            value: int | float = i * 3 + j + 1
            if col.kind is Kind.AMOUNT:
                value = 0.35 if row.key == "fee" else 7730.28
            elif col.kind is Kind.SIGNED:
                value = -2 if row.key == "permit" else -i
            t2[row.key][col.key] = value
    return consistent_report(
        key,
        leaves={
            row: {c: (i + j) % 6 + 1 for j, c in enumerate(T3_APPLICANTS)}
            for i, row in enumerate(leaves)
        },
        carried_over={"natural": 2, "commercial": 1},
        carried_forward={"natural": 3, "legal_service": 1},
        cases={
            "review": {"upheld": 2, "corrected": 1, "other": 1, "pending": 1},
            "lit_direct": {"upheld": 1, "corrected": 2, "other": 1, "pending": 2},
            "lit_after_review": {"upheld": 1, "corrected": 1, "other": 3, "pending": 1},
        },
        t2=t2,
        agency="某某市某某区人民政府",
        year=2023 if key == "2021" else 2019,
        published="2024-01-20" if key == "2021" else "2020-01-15",
        sections=NARRATIVE,
    )


counts = st.integers(min_value=0, max_value=400)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    """Random consistent reports of both versions, with amounts in cents and signed deltas."""
    key = draw(st.sampled_from(sorted(VERSIONS)))
    v = VERSIONS[key]
    leaves = [r.key for r in v.table("t3").rows if r.role == "leaf"]
    t2: dict[str, dict[str, int | float]] = {}
    for row in v.table("t2").rows:
        t2[row.key] = {}
        for col in row.columns:
            if col.kind is Kind.AMOUNT:
                t2[row.key][col.key] = draw(st.integers(0, 10_000_000)) / 100
            elif col.kind is Kind.SIGNED:
                t2[row.key][col.key] = draw(st.integers(-500, 500))
            else:
                t2[row.key][col.key] = draw(counts)
    year = draw(st.integers(2019, 2024))
    return consistent_report(
        key,
        leaves={r: {c: draw(counts) for c in T3_APPLICANTS} for r in leaves},
        carried_over={c: draw(counts) for c in T3_APPLICANTS},
        carried_forward={c: draw(counts) for c in T3_APPLICANTS},
        cases={g.key: {c: draw(counts) for c in T4_PARTS} for g in v.table("t4").rows},
        t2=t2,
        agency=draw(st.sampled_from(AGENCIES)),
        year=year,
        published=f"{year + 1}-{draw(st.integers(1, 3)):02d}-{draw(st.integers(1, 28)):02d}",
        sections=NARRATIVE,
    )


def assert_same(report: Report, back: Report) -> None:
    """Same format, agency, year, date, and every cell of the three tables."""
    assert back.format == report.format
    assert (back.agency, back.year, back.published) == (
        report.agency,
        report.year,
        report.published,
    )
    for key in report.version.cell_keys():
        assert back.value(key) == report.value(key), key
    assert back.tables == report.tables
