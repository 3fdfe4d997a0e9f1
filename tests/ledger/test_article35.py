"""条例第三十五条 (requests clearly beyond a reasonable volume or frequency) and the
consulted party's 15 working days from the letter's delivery (第三十二条), in the
ledger's service on SQLite and PostgreSQL, with real 2024/2025 holidays: the reasons
asked and given, the delayed period (a new due date, judged by timeliness), the
（五）4 closing counted in the year's table, and the refusals that store nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.ledger import helpers
from xxgk.ledger import service as L
from xxgk.ledger.report import ledger_report
from xxgk.store.base import Store
from xxgk.store.ledger_models import LedgerRequest

AGENCY = helpers.AGENCY


def _request(s: Session, day: date, applicant: str = "张三") -> LedgerRequest:
    return helpers.new_request(s, day, applicant, content="本县全部道路的规划许可")


_counts = helpers.counts


def _refused(s: Session, req: LedgerRequest, kind: str, on: date, start: str, **kw: object) -> str:
    before = _counts(s)
    with pytest.raises(L.LedgerError) as refused:
        L.add_event(s, req, kind, on, "李四", **kw)  # type: ignore[arg-type]
    assert str(refused.value).startswith(start), str(refused.value)
    assert _counts(s) == before  # nothing stored
    return str(refused.value)


def test_a_delayed_period_is_the_new_due_date_and_judges_the_answer(store: Store) -> None:
    # received Fri 2024-09-27: 09-29 (Sun) and 10-12 (Sat) are worked, 10-01…10-07 off
    with store.session() as s:
        req = _request(s, date(2024, 9, 27))
        assert req.due == date(2024, 10, 30)
        # no delay before the reasons are asked, nor before they are given
        _refused(
            s, req, "delay", date(2024, 10, 8), "延迟答复须先要求申请人说明理由（条例第三十五条"
        )
        _refused(s, req, "reasons_asked", date(2024, 10, 8), "要求说明理由须写明说明理由的期限")
        _, c = L.add_event(
            s, req, "reasons_asked", date(2024, 10, 8), "李四", until=date(2024, 10, 15)
        )
        # the answer period keeps running while the reasons are awaited (REASONS_PAUSE)
        assert c.due is not None and c.due.due == date(2024, 10, 30) == req.due
        assert ("说明理由期限（条例第三十五条）", date(2024, 10, 15)) in [
            (w, d.due) for w, d in c.deadlines
        ]
        assert c.article35.startswith(
            "已于 2024-10-08 要求申请人说明理由（条例第三十五条），说明理由期限至 2024-10-15；"
            "待申请人说明理由"
        )
        assert L.REASONS_RULE in c.article35 and "按不中止计算" in L.REASONS_RULE
        _refused(s, req, "reasons_asked", date(2024, 10, 9), "已于 2024-10-08 要求申请人说明理由")
        _refused(s, req, "delay", date(2024, 10, 9), "申请人尚未说明理由：认定理由合理后")
        _refused(s, req, "reasons_given", date(2024, 10, 7), "申请人说明理由日期 2024-10-07 早于")
        _, c = L.add_event(s, req, "reasons_given", date(2024, 10, 14), "李四", note="课题研究")
        assert "申请人已于 2024-10-14 说明理由，待认定" in c.article35
        # the period must end after the statutory due date, and be set before it passes
        for until in (date(2024, 10, 25), date(2024, 10, 30)):
            _refused(
                s,
                req,
                "delay",
                date(2024, 10, 21),
                f"延迟答复期限 {until.isoformat()} 应晚于法定答复期限 2024-10-30",
                until=until,
            )
        _refused(
            s,
            req,
            "delay",
            date(2024, 10, 31),
            "答复期限已于 2024-10-30 届满，不能再确定延迟答复期限",
            until=date(2024, 11, 29),
        )
        _refused(s, req, "delay", date(2024, 10, 21), "延迟答复须写明延迟答复的合理期限")
        _, c = L.add_event(s, req, "delay", date(2024, 10, 21), "李四", until=date(2024, 11, 29))
        assert req.due == date(2024, 11, 29)
        assert c.due is not None and c.due.explanation.startswith(
            "法定答复期限：2024-09-27（周五）收到，次日起算 20 个工作日"
        )
        assert c.due.explanation.endswith(
            "2024-10-21 认定申请理由合理，依条例第三十五条确定延迟答复的合理期限 → 2024-11-29（周五）"
        )
        assert ("法定答复期限（条例第三十三条）", date(2024, 10, 30)) in [
            (w, d.due) for w, d in c.deadlines
        ]
        assert "已于 2024-10-21 确定延迟答复的合理期限至 2024-11-29" in c.article35
        # on 2024-11-28 one working day is left, none is overdue
        assert c.progress(date(2024, 11, 28), L.load_calendar(s))[1:] == (1, 0)
        assert req in L.due_soon(s, date(2024, 11, 25), 5)
        assert req not in L.overdue(s, date(2024, 11, 29))
        _refused(s, req, "delay", date(2024, 10, 22), "已于 2024-10-21 确定延迟答复的合理期限至")
        _refused(s, req, "extension", date(2024, 10, 22), "已确定延迟答复的合理期限", approver="王")
        _refused(
            s,
            req,
            "decision",
            date(2024, 11, 1),
            "已认定申请理由合理并确定延迟答复的合理期限",
            result="rejected_excessive",
        )
        c = L.decide(s, req, "granted", date(2024, 11, 28), "李四")
        assert c.answered is not None and c.answered.verdict == "按期答复"
        assert c.answered.due is not None and c.answered.due.due == date(2024, 11, 29)
        # another, answered the Monday after its delayed period: late by one working day
        late = _request(s, date(2024, 9, 27), "王五")
        L.add_event(s, late, "reasons_asked", date(2024, 10, 8), "李四", until=date(2024, 10, 15))
        L.add_event(s, late, "reasons_given", date(2024, 10, 10), "李四")
        L.add_event(s, late, "delay", date(2024, 10, 30), "李四", until=date(2024, 11, 29))
        c = L.decide(s, late, "granted", date(2024, 12, 2), "李四")
        assert c.answered is not None and c.answered.verdict == "逾期答复（超过期限 1 个工作日）"
        # and events after closing are refused
        for kind in ("reasons_asked", "reasons_given", "delay", "consultation_delivered"):
            _refused(s, req, kind, date(2024, 12, 3), f"申请 {req.number} 已于 2024-11-28 办结")
        t = L.timeliness(s, 2024)
        assert (t.answered, t.on_time, t.late, t.late_days) == (2, 1, 1, 1)


def test_unreasonable_or_missing_reasons_close_the_request_as_row_5_4(store: Store) -> None:
    # received Fri 2025-01-24: 01-26 (Sun) and 02-08 (Sat) are worked, 01-28…02-04 off
    with store.session() as s:
        silent = _request(s, date(2025, 1, 24))
        assert silent.due == date(2025, 2, 27)
        _refused(
            s,
            silent,
            "decision",
            date(2025, 2, 5),
            "以“无正当理由大量反复申请”不予处理，须先要求申请人说明理由（条例第三十五条）",
            result="无正当理由大量反复申请",
        )
        L.add_event(s, silent, "reasons_asked", date(2025, 1, 27), "李四", until=date(2025, 2, 10))
        _refused(
            s,
            silent,
            "decision",
            date(2025, 2, 10),
            "说明理由期限 2025-02-10 尚未届满，申请人尚未说明理由",
            result="rejected_excessive",
        )
        # listed once the period for the reasons has passed with none given
        assert L.lapsing(s, date(2025, 2, 10)) == []
        assert [(r.number, why) for r, why in L.lapsing(s, date(2025, 2, 11))] == [
            (
                silent.number,
                "说明理由期限 2025-02-10 已过，申请人未说明理由：可按“无正当理由大量反复申请”"
                "不予处理（（五）4，条例第三十五条）",
            )
        ]
        c = L.decide(s, silent, "rejected_excessive", date(2025, 2, 11), "李四")
        assert L.lapsing(s, date(2025, 2, 11)) == []
        assert silent.state == "closed" and silent.result == "rejected_excessive"
        assert c.article35.endswith(
            "申请人逾期未说明理由，不予处理（（五）4.无正当理由大量反复申请）"
        )
        assert c.answered is not None and c.answered.verdict == "按期答复"
        # the reasons given and judged unreasonable: closed the same day they came
        given = _request(s, date(2025, 3, 3), "王五")
        L.add_event(s, given, "reasons_asked", date(2025, 3, 4), "李四", until=date(2025, 3, 14))
        L.add_event(s, given, "reasons_given", date(2025, 3, 7), "李四", note="收集资料")
        c = L.decide(s, given, "rejected_excessive", date(2025, 3, 7), "李四")
        assert c.article35.endswith(
            "申请人说明的理由不合理，不予处理（（五）4.无正当理由大量反复申请）"
        )
        # one more (a legal person) still waiting for its reasons at the year's end
        other = L.add_request(
            s,
            agency=AGENCY,
            channel="当面",
            submitted=date(2025, 12, 1),
            applicant="某公司",
            applicant_type="商业企业",
            who="李四",
        )
        L.add_event(s, other, "reasons_asked", date(2025, 12, 2), "李四", until=date(2025, 12, 12))
        s.flush()
        report = ledger_report(s, 2025)
        t3 = report.tables["t3"]
        assert t3["rejected_excessive"]["natural"] == 2
        assert t3["rejected_excessive"]["total"] == 2
        assert t3["carried_forward"]["commercial"] == 1
        assert t3["new"]["total"] == 3
        # the reasons asked are counted in the narrative, with the other steps of the
        # year's requests (one request's reasons asked in 2025-01 counts in 2025)
        five = report.sections[5]
        assert five.startswith(
            "本年度发出补正告知0件次、征求意见0件次、延期答复0件次，"
            "依据条例第三十五条要求说明理由3件次，部分申请办理周期较长。"
        ), five
        assert len(five) < 100  # a short draft, not judged for copying (TXT-004)
        assert "依据条例第三十五条要求说明理由3件次" in report.text
        assert "第三十五条" not in ledger_report(s, 2026).sections[5]  # none asked


def test_the_third_partys_fifteen_days_count_from_delivery(store: Store) -> None:
    # received Fri 2024-09-20; letters sent Wed 09-25; National Day 10-01…10-07 off,
    # 09-29 (Sun) and 10-12 (Sat) worked
    with store.session() as s:
        kept = _request(s, date(2024, 9, 20))
        _refused(
            s, kept, "consultation_delivered", date(2024, 9, 30), "没有待记录送达日期的征求意见函"
        )
        _, c = L.add_event(s, kept, "consultation_sent", date(2024, 9, 25), "李四", note="某公司")
        reply = dict((w, d) for w, d in c.deadlines)["征求意见答复期限（某公司）"]
        assert reply.due == date(2024, 10, 21)
        assert reply.explanation.startswith(
            "2024-09-25（周三）发出征求意见函（未记录送达日期，按当日送达计），次日起算 15 个工作日"
        )
        _refused(
            s,
            kept,
            "consultation_delivered",
            date(2024, 9, 24),
            "送达日期 2024-09-24 早于征求意见函发出之日 2024-09-25",
        )
        _, c = L.add_event(s, kept, "consultation_delivered", date(2024, 9, 30), "李四")
        reply = dict((w, d) for w, d in c.deadlines)["征求意见答复期限（某公司）"]
        assert reply.due == date(2024, 10, 25)
        assert reply.explanation.startswith(
            "2024-09-25（周三）发出征求意见函，2024-09-30（周一）征求意见书送达，次日起算 15 个工作日"
        )
        _refused(
            s, kept, "consultation_delivered", date(2024, 10, 1), "没有待记录送达日期的征求意见函"
        )
        _refused(
            s,
            kept,
            "consultation_answered",
            date(2024, 9, 27),
            "收到意见日期 2024-09-27 早于征求意见书送达之日 2024-09-30",
        )
        # answered on 10-24: within 15 working days of delivery, the whole time uncounted
        _, c = L.add_event(s, kept, "consultation_answered", date(2024, 10, 24), "李四")
        assert c.due is not None and c.due.due == date(2024, 11, 18) == kept.due
        assert not c.warnings
        # the same answer without a delivery recorded is late against the sending date:
        # the days after 10-21 count again (第三十二条)
        unknown = _request(s, date(2024, 9, 20), "王五")
        L.add_event(s, unknown, "consultation_sent", date(2024, 9, 25), "李四", note="某公司")
        _, c = L.add_event(s, unknown, "consultation_answered", date(2024, 10, 24), "李四")
        assert c.due is not None and c.due.due == date(2024, 11, 13)
        assert c.warnings == [
            "征求意见的答复 2024-10-24 晚于答复期限 2024-10-21：超过期限的工作日计入答复期限"
            "（条例第三十二条）"
        ]
        # recorded afterwards (the postal receipt came back), the answer is in time again
        _refused(
            s,
            unknown,
            "consultation_delivered",
            date(2024, 10, 25),
            "送达日期 2024-10-25 晚于收到该函意见之日 2024-10-24",
        )
        _, c = L.add_event(s, unknown, "consultation_delivered", date(2024, 9, 30), "李四")
        assert c.due is not None and c.due.due == date(2024, 11, 18) == unknown.due
        # an answer on 11-14 is on time for the first, the second answered on 11-19 is late
        a = L.decide(s, kept, "granted", date(2024, 11, 14), "李四").answered
        assert a is not None and a.verdict == "按期答复"
        a = L.decide(s, unknown, "granted", date(2024, 11, 19), "李四").answered
        assert a is not None and a.verdict == "逾期答复（超过期限 1 个工作日）"


def test_the_choice_to_pause_for_reasons_is_one_constant(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the other reading of 第三十五条: the days from the request for reasons to the
    # reasons are not counted (like a consultation); the clock follows the constant
    with sqlite_store.session() as s:
        req = _request(s, date(2024, 9, 27))
        L.add_event(s, req, "reasons_asked", date(2024, 10, 8), "李四", until=date(2024, 10, 15))
        _, c = L.add_event(s, req, "reasons_given", date(2024, 10, 14), "李四")
        assert c.due is not None and c.due.due == date(2024, 10, 30)
        monkeypatch.setattr(L, "REASONS_PAUSE", True)
        c = L.clock(req, L.load_calendar(s))
        # 10-09…10-14 (Wed–Mon, with the worked Saturday 10-12): 5 working days later
        assert c.due is not None and c.due.due == date(2024, 11, 6)
        assert "要求说明理由（10-08 起至 10-14）5 个工作日不计入" in c.due.explanation


def test_the_notices_for_reasons_and_the_delay_state_their_dates(sqlite_store: Store) -> None:
    import io

    import docx

    from xxgk.ledger.documents import render_document

    def text(data: bytes) -> str:
        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)

    with sqlite_store.session() as s:
        req = _request(s, date(2024, 9, 27))
        cal = L.load_calendar(s)
        with pytest.raises(
            L.LedgerError, match="没有相应的办理事项，不能制作政府信息公开申请说明理由"
        ):
            render_document(req, "reasons", cal)
        L.add_event(
            s,
            req,
            "reasons_asked",
            date(2024, 10, 8),
            "李四",
            until=date(2024, 10, 15),
            note="你（单位）本月已提出 40 件申请。",
        )
        L.add_event(s, req, "reasons_given", date(2024, 10, 14), "李四")
        L.add_event(
            s, req, "delay", date(2024, 10, 21), "李四", until=date(2024, 11, 29), note="件数多"
        )
        asked = text(render_document(req, "reasons", cal))
        assert asked.startswith("政府信息公开申请说明理由通知书")
        assert "明显超过合理范围。你（单位）本月已提出 40 件申请。" in asked
        assert "请你（单位）于2024年10月15日前说明理由" in asked and "2024年10月8日" in asked
        delay = text(render_document(req, "delay", cal))
        assert "并于2024年10月8日要求你（单位）说明理由" in delay and "因件数多" in delay
        assert "将于2024年11月29日前作出答复" in delay and "2024年10月21日" in delay


def test_a_consultation_after_the_delay_can_move_the_statutory_date_past_it(
    sqlite_store: Store,
) -> None:
    with sqlite_store.session() as s:
        req = _request(s, date(2024, 9, 27))
        L.add_event(s, req, "reasons_asked", date(2024, 10, 8), "李四", until=date(2024, 10, 15))
        L.add_event(s, req, "reasons_given", date(2024, 10, 14), "李四")
        L.add_event(s, req, "delay", date(2024, 10, 21), "李四", until=date(2024, 11, 1))
        assert req.due == date(2024, 11, 1)
        # letter 10-22, answered 10-29 (5 working days uncounted): statutory 10-30 → 11-06
        L.add_event(s, req, "consultation_sent", date(2024, 10, 22), "李四")
        _, c = L.add_event(s, req, "consultation_answered", date(2024, 10, 29), "李四")
        assert req.due == date(2024, 11, 6)
        assert c.warnings == [
            "延迟答复的合理期限 2024-11-01 早于顺延后的法定答复期限 2024-11-06"
            "（征求意见的时间不计入法定期限）：按法定答复期限计算"
        ]
