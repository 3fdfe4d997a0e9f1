"""The year's annual report (2021 format) built from the ledger.

Counting rules, per applicant column (the request's applicant type):
- 一、本年新收: requests received in the year;
- 二、上年结转: requests received before the year and not answered before it;
- 三、办理结果: requests answered in the year, by the decision's result row;
- 四、结转下年度: requests received by the year's end and not answered by then.
So 一 + 二 = 三（七） + 四 holds by construction, and this year's 二 is last year's 四
(XYR-001).  t4 counts every case active in the year (filed by its end, not decided
before it): decided in the year → its result, otherwise 尚未审结.  t2 counts approved
register items (审批 done): 规章 and 行政规范性文件 issued, repealed and in force at the
year's end; 行政许可/处罚/强制 decisions; 行政事业性收费 in 万元.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..format import SECTIONS, T3_APPLICANTS
from ..model import Report
from ..store.ledger_models import LedgerCase, LedgerEvent, LedgerRequest, RegisterItem
from ..synth import consistent_report
from .service import LedgerError, requests_of


class Figures:
    """What the year's tables and sentences are made from."""

    def __init__(self) -> None:
        self.new: Counter[str] = Counter()
        self.over: Counter[str] = Counter()
        self.forward: Counter[str] = Counter()
        self.results: dict[str, Counter[str]] = {}
        self.cases: dict[str, Counter[str]] = {}
        self.t2: dict[str, dict[str, int | float]] = {}
        self.published = 0
        self.fee_notices = 0
        self.fee_paid = 0
        self.fee_total = 0
        self.fee_methods: Counter[str] = Counter()
        self.extensions = 0
        self.consultations = 0
        self.corrections = 0
        self.reasons_asked = 0  # 第三十五条: the applicant asked for their reasons


def figures(s: Session, year: int, agency: str | None = None) -> Figures:
    start, end = date(year, 1, 1), date(year, 12, 31)
    f = Figures()
    for req in requests_of(s, agency):
        col = req.applicant_type
        if req.received > end:
            continue
        answered_before = req.closed is not None and req.closed < start
        if start <= req.received:
            f.new[col] += 1
        elif not answered_before:
            f.over[col] += 1
        if req.closed is not None and start <= req.closed <= end:
            if req.result is None:
                raise LedgerError(f"申请 {req.number} 已办结但没有办理结果")
            f.results.setdefault(req.result, Counter())[col] += 1
        elif req.closed is None or req.closed > end:
            f.forward[col] += 1
        for e in req.events:
            if not start <= e.on <= end:
                continue
            if e.kind == "extension":
                f.extensions += 1
            elif e.kind == "consultation_sent":
                f.consultations += 1
            elif e.kind == "correction_notice":
                f.corrections += 1
            elif e.kind == "reasons_asked":
                f.reasons_asked += 1
            elif e.kind == "fee_notice":
                f.fee_notices += 1
                f.fee_methods[e.method or ""] += 1
        paid = [e for e in req.events if e.kind == "fee_paid" and start <= e.on <= end]
        if paid:
            f.fee_paid += 1
            f.fee_total += req.fee_amount or 0
    cases = select(LedgerCase).where(LedgerCase.filed <= end)
    if agency:
        cases = cases.where(LedgerCase.agency == agency)
    for case in s.scalars(cases):
        if case.decided is not None and case.decided < start:
            continue
        part = case.result if case.decided is not None and case.decided <= end else "pending"
        f.cases.setdefault(case.kind, Counter())[part] += 1
    _register(s, f, start, end, agency)
    return f


def _register(s: Session, f: Figures, start: date, end: date, agency: str | None) -> None:
    q = select(RegisterItem).where(RegisterItem.approve_on.is_not(None))
    if agency:
        q = q.where(RegisterItem.agency == agency)
    t2: dict[str, dict[str, int | float]] = {
        "regulation": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_doc": {"issued": 0, "repealed": 0, "in_force": 0},
        "permit": {"decisions": 0},
        "penalty": {"decisions": 0},
        "compulsion": {"decisions": 0},
        "fee": {"amount": 0},
    }
    fee = 0.0
    for item in s.scalars(q):
        day = item.published
        if day is None or day > end:
            continue
        if day >= start:
            f.published += 1
        if item.kind in ("regulation", "normative_doc"):
            row = t2[item.kind]
            if day >= start:
                row["issued"] = int(row["issued"]) + 1
            if item.repealed is not None and start <= item.repealed <= end:
                row["repealed"] = int(row["repealed"]) + 1
            if item.repealed is None or item.repealed > end:
                row["in_force"] = int(row["in_force"]) + 1
        elif item.kind in ("permit", "penalty", "compulsion") and day >= start:
            t2[item.kind]["decisions"] = int(t2[item.kind]["decisions"]) + 1
        elif item.kind == "fee" and day >= start:
            fee += float(item.amount or 0)
    t2["fee"]["amount"] = round(fee, 4)
    f.t2 = t2


def _n(counter: Counter[str] | None) -> int:
    return sum((counter or Counter()).values())


def sentences(f: Figures, year: int) -> dict[int, str]:
    """Narrative sentences drafted from the figures: short statements of the year's
    numbers (each section under 100 characters), which the office completes with its
    own account of the year's work before publishing."""
    new, over, fwd = _n(f.new), _n(f.over), _n(f.forward)
    done = sum(_n(c) for c in f.results.values())

    def rows(prefix: str) -> int:
        return sum(_n(c) for k, c in f.results.items() if k.startswith(prefix))

    t2 = f.t2
    s1 = (
        "本机关坚持以公开为常态、不公开为例外，依法做好政府信息公开工作。"
        f"{year}年，本机关共收到政府信息公开申请{new}件，上年结转{over}件，"
        f"办结{done}件，结转下年度继续办理{fwd}件。"
    )
    s2 = (
        f"全年主动公开政府信息{f.published}条。"
        f"制发规章{t2['regulation']['issued']}件、行政规范性文件{t2['normative_doc']['issued']}件，"
        f"作出行政许可决定{t2['permit']['decisions']}件、行政处罚决定{t2['penalty']['decisions']}件、"
        f"行政强制决定{t2['compulsion']['decisions']}件。"
    )
    s3 = (
        f"本年度新收政府信息公开申请{new}件，办理结果中予以公开{rows('granted')}件，"
        f"部分公开{rows('partial')}件，不予公开{rows('denied_')}件，无法提供{rows('unable_')}件，"
        f"不予处理{rows('rejected_')}件，其他处理{rows('other_')}件。"
    )
    review = _n(f.cases.get("review"))
    lit = _n(f.cases.get("lit_direct")) + _n(f.cases.get("lit_after_review"))
    s4 = (
        f"本年度因政府信息公开引起行政复议{review}件、行政诉讼{lit}件。"
        if review or lit
        else "本年度未发生因政府信息公开引起的行政复议、行政诉讼。"
    )
    asked = f"，依据条例第三十五条要求说明理由{f.reasons_asked}件次" if f.reasons_asked else ""
    s5 = (
        f"本年度发出补正告知{f.corrections}件次、征求意见{f.consultations}件次、"
        f"延期答复{f.extensions}件次{asked}，部分申请办理周期较长。"
        "下一步，本机关将加强台账管理和期限提醒，提高答复质量。"
    )
    if f.fee_notices:
        piece = f.fee_methods.get("per_piece", 0)
        volume = f.fee_methods.get("per_volume", 0)
        s6 = (
            f"本年度依据国办函〔2020〕109号发出信息处理费收费通知{f.fee_notices}件"
            f"（按件计收{piece}件、按量计收{volume}件），"
            f"申请人缴纳{f.fee_paid}件，收取信息处理费{f.fee_total}元。"
        )
    else:
        s6 = "本年度未收取信息处理费。"
    return {1: s1, 2: s2, 3: s3, 4: s4, 5: s5, 6: s6}


def ledger_report(
    s: Session, year: int, agency: str | None = None, published: str | None = None
) -> Report:
    """The year's report (2021 format) from the ledger; its sums hold by construction."""
    if year < 2021:
        raise LedgerError("台账生成的年度报告采用 2021 年格式，年度须为 2021 年或以后")
    f = figures(s, year, agency)
    report = consistent_report(
        "2021",
        leaves={row: dict(c) for row, c in f.results.items()},
        carried_over=dict(f.over),
        carried_forward=dict(f.forward),
        cases={k: dict(c) for k, c in f.cases.items()},
        t2=f.t2,
        agency=agency or _only_agency(s),
        year=year,
        published=published,
        sections=sentences(f, year),
    )
    t3 = report.tables["t3"]
    for col in T3_APPLICANTS:  # 本年新收 from the balance must be what the ledger counted
        if t3["new"][col] != f.new[col]:
            raise LedgerError(
                f"台账数据不一致：{col} 本年新收按台账为 {f.new[col]} 件，按勾稽关系为 "
                f"{t3['new'][col]} 件（可能有答复日期早于收到日期的申请）"
            )
    report.source = f"台账：{report.agency} {year}年"
    report.published = published
    report.title = f"{report.agency}{year}年政府信息公开工作年度报告"
    report.text = "\n".join(
        f"{sec.title}\n{report.sections.get(sec.number, '')}" for sec in SECTIONS
    )
    return report


def _only_agency(s: Session) -> str:
    names = sorted(set(s.scalars(select(LedgerRequest.agency).distinct())))
    if len(names) == 1:
        return names[0]
    if not names:
        raise LedgerError("台账中还没有申请；请先登记申请或用 --agency 指明机关")
    raise LedgerError("台账中有多个机关（" + "、".join(names[:5]) + "…），请用 --agency 指明")


__all__ = ["Figures", "LedgerEvent", "figures", "ledger_report", "sentences"]
