"""The dataset's handy views and the five ready queries a supervisor asks.

Each is plain DuckDB SQL over the views ``reports``, ``cells`` and ``findings``
(``dataset.define_views``); docs/dataset.md prints the same text (a test compares
them) and ``xxgk dataset --query NAME`` runs one.  Cell keys are the contract's
(``t3.results_total.total``); a test checks the key lists against ``xxgk.format``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# An agency's level from its name (the same reading as DATE-001's agency_kind):
# the name without a trailing 人民政府/政府 (``bare``) ends with 乡/镇/街道… → township; a
# government (人民政府, or a name ending 省/市/县/区/州/盟/旗) by its last word;
# 管委会/工委 may report as either → unknown; a department's last word → 部门.
LEVEL = """CASE
    WHEN bare = '' THEN '未知'
    WHEN regexp_matches(bare, '(乡|镇|街道|街道办事处|街道办|办事处)$') THEN '乡镇（街道）'
    WHEN regexp_matches(bare, '(省|自治区)$') THEN '省级政府'
    WHEN regexp_matches(bare, '(市|州|盟)$') THEN '市级政府'
    WHEN regexp_matches(bare, '(县|区|旗)$') THEN '县级政府'
    WHEN bare <> agency THEN '政府（级别不明）'
    WHEN regexp_matches(bare, '(管委会|管理委员会|工委)$') THEN '未知'
    WHEN regexp_matches(bare, '(局|厅|委员会|委|办公室|办|部|署|中心|院|所|站|队|馆|处|科|会|社|公司|集团|台|行|监狱|学校|大学|学院)$')
         THEN '部门'
    ELSE '未知'
END"""

# 条例第四十九条: departments (and townships, as DATE-001 counts them) by 31 January
# of the next year, a local government's own report by 31 March; an agency whose
# level the name does not tell gets the later date, as DATE-001 does.
DEADLINE = """CASE
    WHEN year IS NULL THEN NULL
    WHEN level IN ('部门', '乡镇（街道）') THEN make_date(year + 1, 1, 31)
    ELSE make_date(year + 1, 3, 31)
END"""

REPORT_META = f"""SELECT * EXCLUDE (bare), {DEADLINE} AS deadline
FROM (SELECT *, {LEVEL} AS level
      FROM (SELECT *, regexp_replace(coalesce(agency, ''), '(人民政府|政府)$', '') AS bare
            FROM reports
            WHERE status = 'ok'))"""

# Headline figures: t3 totals (the 总计 column) by row group, t4 group totals.
DENIED_KEYS = (
    "t3.denied_state_secret.total",
    "t3.denied_law.total",
    "t3.denied_safety.total",
    "t3.denied_third_party.total",
    "t3.denied_internal.total",
    "t3.denied_process.total",
    "t3.denied_enforcement.total",
    "t3.denied_inquiry.total",
)
UNABLE_KEYS = (
    "t3.unable_not_held.total",
    "t3.unable_needs_creation.total",
    "t3.unable_unclear.total",
)
REJECTED_KEYS = (
    "t3.rejected_petition.total",
    "t3.rejected_duplicate.total",
    "t3.rejected_publication.total",
    "t3.rejected_excessive.total",
    "t3.rejected_confirmation.total",
)
OTHER_KEYS = (  # 2021: three rows; 2019: one row
    "t3.other_no_correction.total",
    "t3.other_no_fee.total",
    "t3.other_other.total",
    "t3.other.total",
)
SINGLE = {
    "new_total": "t3.new.total",
    "carried_over_total": "t3.carried_over.total",
    "granted_total": "t3.granted.total",
    "partial_total": "t3.partial.total",
    "results_total": "t3.results_total.total",
    "carried_forward_total": "t3.carried_forward.total",
    "review_total": "t4.review.total",
    "lit_direct_total": "t4.lit_direct.total",
    "lit_after_review_total": "t4.lit_after_review.total",
}
GROUPED = {
    "denied_total": DENIED_KEYS,
    "unable_total": UNABLE_KEYS,
    "rejected_total": REJECTED_KEYS,
    "other_total": OTHER_KEYS,
}


def _in(keys: tuple[str, ...]) -> str:
    return ", ".join(f"'{k}'" for k in keys)


def _figures() -> str:
    cols = [f"max(value) FILTER (WHERE key = '{k}') AS {name}" for name, k in SINGLE.items()]
    # a group's total: the sum of its rows' totals (blank rows add nothing; all blank: null)
    cols += [f"sum(value) FILTER (WHERE key IN ({_in(ks)})) AS {n}" for n, ks in GROUPED.items()]
    every = tuple(SINGLE.values()) + tuple(k for ks in GROUPED.values() for k in ks)
    body = ",\n       ".join(cols)
    return f"""SELECT m.hash, m.source, m.agency, m.agency_key, m.level, m.year, m.format,
       m.published, m.deadline, m.errors, m.warnings, m.infos,
       f.* EXCLUDE (hash)
FROM report_meta AS m
LEFT JOIN (
SELECT hash,
       {body}
FROM cells
WHERE key IN ({_in(every)})
GROUP BY hash
) AS f USING (hash)"""


VIEWS: dict[str, str] = {
    # reports that were read, with the level and deadline their agency name implies
    "report_meta": REPORT_META,
    # one row per report: its headline figures side by side
    "report_figures": _figures(),
    # every report published after its deadline
    "late_reports": """SELECT agency, level, year, published, deadline,
       published - deadline AS days_late, source, hash
FROM report_meta
WHERE published > deadline
ORDER BY days_late DESC, agency, year""",
}


@dataclass(frozen=True)
class Query:
    """A ready query: its CLI name, the DuckDB view it is saved as, what it answers."""

    name: str
    view: str
    title: str  # Chinese, shown above the result
    question: str  # English, for docs
    sql: str
    headers: dict[str, str]  # column → Chinese header
    percent: frozenset[str] = field(default_factory=frozenset)


QUERIES: tuple[Query, ...] = (
    Query(
        name="sum-errors-by-year",
        view="q_sum_errors_by_year",
        title="各年度存在勾稽错误（SUM-* 错误）的报告占比",
        question="Share of reports with 勾稽 (arithmetic) errors — any SUM-* finding of "
        "severity error — by report year.",
        sql="""SELECT m.year,
       count(*) AS reports,
       count(s.hash) AS with_sum_errors,
       count(s.hash) / count(*) AS share
FROM report_meta AS m
LEFT JOIN (
    SELECT DISTINCT hash FROM findings
    WHERE code LIKE 'SUM-%' AND severity = 'error'
) AS s USING (hash)
GROUP BY m.year
ORDER BY m.year NULLS LAST""",
        headers={
            "year": "年度",
            "reports": "报告数",
            "with_sum_errors": "有勾稽错误",
            "share": "占比",
        },
        percent=frozenset({"share"}),
    ),
    Query(
        name="most-denied",
        view="q_most_denied",
        title="不予公开件数最多的机关（各年合计，前 20 名）",
        question="Agencies with the most 不予公开 (t3 row group （三）不予公开: the sum of "
        "its eight rows' 总计), over all years, with the share of all results.",
        sql="""SELECT arg_max(agency, year) AS agency,
       count(*) AS reports,
       min(year) AS first_year,
       max(year) AS last_year,
       sum(denied_total) AS denied,
       sum(results_total) AS results,
       sum(denied_total) / nullif(sum(results_total), 0) AS denied_share
FROM report_figures
WHERE agency_key IS NOT NULL
GROUP BY agency_key
ORDER BY denied DESC NULLS LAST, agency
LIMIT 20""",
        headers={
            "agency": "机关",
            "reports": "报告数",
            "first_year": "起始年度",
            "last_year": "截止年度",
            "denied": "不予公开",
            "results": "办理结果总计",
            "denied_share": "不予公开占比",
        },
        percent=frozenset({"denied_share"}),
    ),
    Query(
        name="carry-over",
        view="q_carry_over",
        title="结转衔接不一致：本年“上年结转”≠ 同一机关上年“结转下年度”",
        question="Carry-over continuity: this year's 上年结转 (t3.carried_over.total) "
        "against the same agency's previous year's 结转下年度 (t3.carried_forward.total); "
        "the mismatches.",
        sql="""SELECT cur.agency,
       prev.year AS previous_year,
       prev.carried_forward_total AS previous_carried_forward,
       cur.year,
       cur.carried_over_total AS carried_over,
       cur.carried_over_total - prev.carried_forward_total AS difference,
       prev.source AS previous_source,
       cur.source
FROM report_figures AS cur
JOIN report_figures AS prev
  ON prev.agency_key = cur.agency_key AND prev.year = cur.year - 1
WHERE cur.carried_over_total <> prev.carried_forward_total
ORDER BY abs(difference) DESC, cur.agency, cur.year""",
        headers={
            "agency": "机关",
            "previous_year": "上年度",
            "previous_carried_forward": "上年结转下年度",
            "year": "年度",
            "carried_over": "本年上年结转",
            "difference": "差额",
            "previous_source": "上年报告文件",
            "source": "本年报告文件",
        },
    ),
    Query(
        name="late-by-level",
        view="q_late_by_level",
        title="逾期发布的报告：按年度和机关层级",
        question="Late publication by level: reports published after their deadline "
        "(departments and townships 1月31日, local governments 3月31日 of the next year), "
        "by report year and the level read from the agency name.",
        sql="""SELECT year,
       level,
       count(*) AS reports,
       count(*) FILTER (WHERE published > deadline) AS late,
       count(*) FILTER (WHERE published > deadline) / count(*) AS share,
       max(published - deadline) FILTER (WHERE published > deadline) AS max_days_late
FROM report_meta
WHERE published IS NOT NULL AND year IS NOT NULL
GROUP BY year, level
ORDER BY year, level""",
        headers={
            "year": "年度",
            "level": "层级",
            "reports": "有发布日期的报告",
            "late": "逾期",
            "share": "逾期占比",
            "max_days_late": "最多逾期天数",
        },
        percent=frozenset({"share"}),
    ),
    Query(
        name="disclosure-rate",
        view="q_disclosure_rate",
        title="实质公开率：（予以公开 + 部分公开）÷ 办理结果总计",
        question="实质公开率 (substantive disclosure rate) by agency and year: "
        "(予以公开 t3.granted.total + 部分公开 t3.partial.total) / 办理结果总计 "
        "t3.results_total.total; null when the total is 0 or blank.",
        sql="""SELECT agency,
       year,
       granted_total AS granted,
       partial_total AS partial,
       results_total AS results,
       (granted_total + partial_total) / nullif(results_total, 0) AS rate
FROM report_figures
ORDER BY year DESC NULLS LAST, rate DESC NULLS LAST, agency""",
        headers={
            "agency": "机关",
            "year": "年度",
            "granted": "予以公开",
            "partial": "部分公开",
            "results": "办理结果总计",
            "rate": "实质公开率",
        },
        percent=frozenset({"rate"}),
    ),
)

NAMES = tuple(q.name for q in QUERIES)


def by_name(name: str) -> Query:
    """The query called ``name`` (its CLI name or its view name); KeyError otherwise."""
    for q in QUERIES:
        if name in (q.name, q.view):
            return q
    raise KeyError(name)
