"""Random consistent reports for the generality harness, from a seeded ``random.Random``.

Values mix zeros (most cells of a real report), small counts and large numbers
(行政处罚 2648, 采购总金额 246900.5); 2019's 本年增/减 may be negative.  Every prescribed
sum holds (:func:`xxgk.synth.consistent_report`), so a reader that splits glued digits by
arithmetic has what a real report gives it.
"""

from __future__ import annotations

import random

from ..format import T3_APPLICANTS, T4_PARTS, VERSIONS, Kind
from ..model import Report
from ..synth import consistent_report

AGENCIES = (
    "某某县某某局",
    "某某市某某区人民政府",
    "隆德县神林乡",
    "某某市某某区某某街道办事处",
    "某某省某某厅",
    "某某市人民政府办公室",
)


def count(rng: random.Random) -> int:
    """A count as reports print them: mostly 0 or small, sometimes large."""
    r = rng.random()
    if r < 0.4:
        return 0
    if r < 0.8:
        return rng.randint(1, 30)
    if r < 0.95:
        return rng.randint(31, 999)
    return rng.randint(1000, 99_999)


def _amount(rng: random.Random) -> float:
    r = rng.random()
    if r < 0.3:
        return 0.0
    if r < 0.6:
        return rng.randint(1, 999) / 100  # 0.35 万元
    return rng.randint(100, 99_999_999) / 100


def _signed(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.3:
        return 0
    if r < 0.8:
        return rng.randint(-30, 30)
    return rng.randint(-20_000, 20_000)


def random_report(rng: random.Random, version_key: str | None = None) -> Report:
    """A consistent report of one version (drawn at random when not given)."""
    key = version_key or rng.choice(sorted(VERSIONS))
    v = VERSIONS[key]
    leaves = [r.key for r in v.table("t3").rows if r.role == "leaf"]
    t2: dict[str, dict[str, int | float]] = {}
    for row in v.table("t2").rows:
        t2[row.key] = {}
        for col in row.columns:
            if col.kind is Kind.AMOUNT:
                t2[row.key][col.key] = _amount(rng)
            elif col.kind is Kind.SIGNED:
                t2[row.key][col.key] = _signed(rng)
            else:
                t2[row.key][col.key] = count(rng)
    year = rng.randint(2019, 2025) if key == "2021" else rng.randint(2019, 2021)
    agency = rng.choice(AGENCIES)
    sections = {
        1: f"{year}年，{agency}坚持以公开为常态、不公开为例外，全面推进政务公开工作。",
        2: f"全年通过政府网站主动公开政府信息{rng.randint(10, 900)}条。",
        3: "本机关依法受理并按时答复政府信息公开申请。",
        4: "全年政府信息公开工作平稳有序。",
        5: "一是公开内容不够全面。\n二是解读形式较为单一。",
        6: "本年度无其他需要报告的事项。",
    }
    return consistent_report(
        key,
        leaves={r: {c: count(rng) for c in T3_APPLICANTS} for r in leaves},
        carried_over={c: count(rng) for c in T3_APPLICANTS},
        carried_forward={c: count(rng) for c in T3_APPLICANTS},
        cases={g.key: {c: count(rng) for c in T4_PARTS} for g in v.table("t4").rows},
        t2=t2,
        agency=agency,
        year=year,
        published=f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}",
        sections=sections,
    )
