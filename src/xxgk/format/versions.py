"""The two national formats of the annual report, declared once.

Labels are as printed in 国办公开办函〔2021〕30号 and 〔2019〕60号 (see the project's
statute notes); ``variants`` are spellings real reports use.  Everything that reads,
checks, renders or stores a report asks this module.
"""

from __future__ import annotations

from .spec import Column, Identity, Kind, Row, Section, Table, Version

SECTIONS: tuple[Section, ...] = (
    Section(1, "总体情况", ("总体情况", "概述", "基本情况", "总体概况")),
    Section(2, "主动公开政府信息情况", ("主动公开",)),
    Section(3, "收到和处理政府信息公开申请情况", ("收到和处理", "依申请公开", "申请情况")),
    Section(4, "政府信息公开行政复议、行政诉讼情况", ("行政复议", "行政诉讼")),
    Section(
        5,
        "存在的主要问题及改进情况",
        ("存在的主要问题", "存在问题", "主要问题", "问题", "改进", "整改"),
    ),
    Section(6, "其他需要报告的事项", ("其他需要报告", "其他事项", "其他需报告")),
)

# ---------------------------------------------------------------- layout words

REPORT_TITLE = "政府信息公开工作年度报告"  # what follows agency and year in a title
CONTENT = "信息内容"  # t2: the label column's heading
APPLICANTS = "申请人情况"  # t3: heading over the seven value columns
ORGANISATIONS = "法人或其他组织"  # t3: heading over the five organisation columns
REVIEW = "行政复议"  # t4: heading over the review group
LITIGATION = "行政诉讼"  # t4: heading over the two litigation groups

# ---------------------------------------------------------------- t3 (both versions)

T3_COLUMNS: tuple[Column, ...] = (
    Column("natural", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("public_interest", "社会公益组织", ("社会组织", "公益组织")),
    Column("legal_service", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计", ("合计",)),
)
T3_APPLICANTS = tuple(c.key for c in T3_COLUMNS if c.key != "total")

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_RESULTS = "三、本年度办理结果"


def _t3(
    key: str,
    label: str,
    *variants: str,
    group: str | None = None,
    role: str = "leaf",
    short: str = "",
    shown: str = "",
) -> Row:
    return Row(key, label, T3_COLUMNS, variants, group=group, role=role, short=short, shown=shown)


_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_REJECTED = "（五）不予处理"
_OTHER = "（六）其他处理"
T3_OTHER_GROUP = _OTHER  # one row in 2019, a group of three rows in 2021

T3_HEAD = (
    _t3(
        "new",
        "一、本年新收政府信息公开申请数量",
        role="input",
        short="本年新收",
        shown="一、本年新收",
    ),
    _t3(
        "carried_over",
        "二、上年结转政府信息公开申请数量",
        role="input",
        short="上年结转",
        shown="二、上年结转",
    ),
    _t3("granted", "（一）予以公开", group=T3_RESULTS),
    _t3(
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（二）部分公开",
        group=T3_RESULTS,
        short="（二）部分公开",
    ),
    _t3("denied_state_secret", "1.属于国家秘密", group=_DENIED),
    _t3(
        "denied_law",
        "2.其他法律行政法规禁止公开",
        "2.其他法律法规禁止公开",
        "2.法律行政法规禁止公开",
        group=_DENIED,
    ),
    _t3("denied_safety", "3.危及“三安全一稳定”", "3.危及三安全一稳定", group=_DENIED),
    _t3("denied_third_party", "4.保护第三方合法权益", group=_DENIED),
    _t3("denied_internal", "5.属于三类内部事务信息", group=_DENIED),
    _t3("denied_process", "6.属于四类过程性信息", group=_DENIED),
    _t3("denied_enforcement", "7.属于行政执法案卷", group=_DENIED),
    _t3("denied_inquiry", "8.属于行政查询事项", group=_DENIED),
    _t3("unable_not_held", "1.本机关不掌握相关政府信息", group=_UNABLE),
    _t3("unable_needs_creation", "2.没有现成信息需要另行制作", group=_UNABLE),
    _t3("unable_unclear", "3.补正后申请内容仍不明确", group=_UNABLE),
    _t3("rejected_petition", "1.信访举报投诉类申请", group=_REJECTED),
    _t3("rejected_duplicate", "2.重复申请", group=_REJECTED),
    _t3("rejected_publication", "3.要求提供公开出版物", group=_REJECTED),
    _t3("rejected_excessive", "4.无正当理由大量反复申请", group=_REJECTED),
    _t3(
        "rejected_confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        group=_REJECTED,
    ),
)
T3_OTHER_2021 = (
    _t3(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
        group=_OTHER,
        shown="1.申请人无正当理由逾期不补正",
    ),
    _t3(
        "other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请",
        group=_OTHER,
        shown="2.申请人逾期未按收费通知要求缴纳费用",
    ),
    _t3("other_other", "3.其他", group=_OTHER),
)
T3_OTHER_2019 = (_t3("other", "（六）其他处理", group=T3_RESULTS),)
T3_TAIL = (
    _t3(
        "results_total",
        "（七）总计",
        group=T3_RESULTS,
        role="total",
        short="办理结果总计",
        shown="三、本年度办理结果（七）总计",
    ),
    _t3(
        "carried_forward",
        "四、结转下年度继续办理",
        role="input",
        short="结转下年度",
        shown="四、结转下年度",
    ),
)
T3_GROUPS = (T3_RESULTS, _DENIED, _UNABLE, _REJECTED, _OTHER)

# ---------------------------------------------------------------- t4 (both versions)

T4_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
T4_PARTS = tuple(c.key for c in T4_COLUMNS if c.key != "total")  # what a group's total sums
T4 = Table(
    "t4",
    4,
    "政府信息公开行政复议、行政诉讼情况",
    (
        Row("review", "行政复议", T4_COLUMNS),
        Row("lit_direct", "未经复议直接起诉", T4_COLUMNS, shown="行政诉讼 未经复议直接起诉"),
        Row("lit_after_review", "复议后起诉", T4_COLUMNS, shown="行政诉讼 复议后起诉"),
    ),
)

# ---------------------------------------------------------------- t2

_ART20_1 = "第二十条第（一）项"
_ART20_5 = "第二十条第（五）项"
_ART20_6 = "第二十条第（六）项"
_ART20_8 = "第二十条第（八）项"
_ART20_9 = "第二十条第（九）项"

_DOCS_2021 = (
    Column("issued", "本年制发件数", cues=("制发", "印发", "出台")),
    Column("repealed", "本年废止件数", cues=("废止",)),
    Column("in_force", "现行有效件数", cues=("现行有效",)),
)
_DECISIONS_2021 = (Column("decisions", "本年处理决定数量"),)

T2_2021 = Table(
    "t2",
    2,
    "主动公开政府信息情况",
    (
        Row("regulation", "规章", _DOCS_2021, caption=_ART20_1),
        Row("normative_doc", "行政规范性文件", _DOCS_2021, ("规范性文件",), caption=_ART20_1),
        Row("permit", "行政许可", _DECISIONS_2021, caption=_ART20_5),
        Row("penalty", "行政处罚", _DECISIONS_2021, caption=_ART20_6),
        Row("compulsion", "行政强制", _DECISIONS_2021, caption=_ART20_6),
        Row(
            "fee",
            "行政事业性收费",
            (Column("amount", "本年收费金额（单位：万元）", ("本年收费金额",), Kind.AMOUNT),),
            caption=_ART20_8,
        ),
    ),
)

_DOCS_2019 = (
    Column("made", "本年新制作数量", cues=("制作",)),
    Column("published", "本年新公开数量", cues=("新公开",)),
    Column("public_total", "对外公开总数量", cues=("对外公开",)),
)
_ITEMS_2019 = (
    Column("prev_items", "上一年项目数量"),
    Column("delta", "本年增/减", ("本年增减",), Kind.SIGNED),
    Column("decisions", "处理决定数量"),
)

T2_2019 = Table(
    "t2",
    2,
    "主动公开政府信息情况",
    (
        Row("regulation", "规章", _DOCS_2019, caption=_ART20_1),
        Row("normative_doc", "规范性文件", _DOCS_2019, ("行政规范性文件",), caption=_ART20_1),
        Row("permit", "行政许可", _ITEMS_2019, caption=_ART20_5),
        Row("other_service", "其他对外管理服务事项", _ITEMS_2019, caption=_ART20_5),
        Row("penalty", "行政处罚", _ITEMS_2019, caption=_ART20_6),
        Row("compulsion", "行政强制", _ITEMS_2019, caption=_ART20_6),
        Row("fee", "行政事业性收费", _ITEMS_2019[:2], caption=_ART20_8),
        Row(
            "procurement",
            "政府集中采购",
            (
                Column("items", "采购项目数量"),
                Column("amount", "采购总金额", (), Kind.AMOUNT),
            ),
            caption=_ART20_9,
        ),
    ),
)


def _t3_table(other_rows: tuple[Row, ...]) -> Table:
    return Table(
        "t3",
        3,
        "收到和处理政府信息公开申请情况",
        (*T3_HEAD, *other_rows, *T3_TAIL),
        note=T3_NOTE,
    )


def _identities(t3: Table) -> tuple[Identity, ...]:
    """The sums of t3 and t4, derived from the rows' roles."""
    out: list[Identity] = []
    leaves = [r.key for r in t3.rows if r.role == "leaf"]
    for col in T3_COLUMNS:
        c = col.key
        out.append(
            Identity(
                "SUM-001",
                (f"t3.new.{c}", f"t3.carried_over.{c}"),
                (f"t3.results_total.{c}", f"t3.carried_forward.{c}"),
                f"第三部分表格{col.label}列",
            )
        )
    for col in T3_COLUMNS:
        c = col.key
        out.append(
            Identity(
                "SUM-002",
                (f"t3.results_total.{c}",),
                tuple(f"t3.{r}.{c}" for r in leaves),
                f"第三部分表格{col.label}列",
            )
        )
    for row in t3.rows:
        out.append(
            Identity(
                "SUM-003",
                (f"t3.{row.key}.total",),
                tuple(f"t3.{row.key}.{c}" for c in T3_APPLICANTS),
                f"第三部分表格“{row.label}”行",
            )
        )
    for row in T4.rows:
        out.append(
            Identity(
                "SUM-004",
                (f"t4.{row.key}.total",),
                tuple(f"t4.{row.key}.{c.key}" for c in T4_COLUMNS if c.key != "total"),
                f"第四部分表格“{row.label}”",
            )
        )
    return tuple(out)


_T3_2021 = _t3_table(T3_OTHER_2021)
_T3_2019 = _t3_table(T3_OTHER_2019)

V2021 = Version(
    "2021",
    "中华人民共和国政府信息公开工作年度报告格式",
    "国办公开办函〔2021〕30号",
    (T2_2021, _T3_2021, T4),
    signals=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期未按收费通知"),
    identities=_identities(_T3_2021),
)
V2019 = Version(
    "2019",
    "中华人民共和国政府信息公开工作年度报告格式（试行）",
    "国办公开办函〔2019〕60号",
    (T2_2019, _T3_2019, T4),
    signals=(
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "政府集中采购",
        "采购项目数量",
    ),
    identities=_identities(_T3_2019),
)

VERSIONS: dict[str, Version] = {"2021": V2021, "2019": V2019}


def version(key: str | None) -> Version:
    """The format version by key; the 2021 format when the key is unknown."""
    return VERSIONS.get(key or "2021", V2021)


def display(cell: str, key: str | None = None) -> str:
    """A cell's human name (``Version.display``) in the given version, else in the other
    one; the key itself only for a key neither version has."""
    first = version(key)
    for v in (first, *(v for v in VERSIONS.values() if v is not first)):
        try:
            return v.display(cell)
        except (KeyError, ValueError):
            continue
    return cell
