"""The ledger's service against the statute's rules that go beyond the plain periods
(SQLite and PostgreSQL): 补正 is told once (条例第三十条) and a late correction needs a
good reason; a late payment lapses (109号); a late consultation answer does not
lengthen the pause (第三十二条); an extension only while the period runs (第三十三条);
events in an impossible order; and whether a closed request was answered on time."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.ledger import helpers
from xxgk.ledger import service as L
from xxgk.ledger.calendar import Pause, deadline
from xxgk.store.base import Store
from xxgk.store.ledger_models import LedgerEvent

AGENCY = helpers.AGENCY
_request = helpers.new_request
_counts = helpers.counts


def test_a_correction_notice_is_given_once(store: Store) -> None:
    with store.session() as s:
        req = _request(s, date(2024, 9, 3))
        assert L.refusal(req, "correction_notice") is None
        L.add_event(s, req, "correction_notice", date(2024, 9, 6), "李四", until=date(2024, 9, 20))
        s.flush()
        before = _counts(s)
        for on, until in ((date(2024, 9, 9), date(2024, 9, 30)), (date(2024, 9, 13), None)):
            with pytest.raises(L.LedgerError) as refused:
                L.add_event(s, req, "correction_notice", on, "李四", until=until)
            assert str(refused.value).startswith(
                "补正告知只能发一次：本申请已于 2024-09-06 告知补正（条例第三十条"
            )
        assert "补正后申请内容仍不明确" in str(refused.value)
        assert _counts(s) == before
        # after the correction, still once; the request is answered instead
        L.add_event(s, req, "correction_received", date(2024, 9, 13), "李四")
        assert L.refusal(req, "correction_notice") == str(refused.value)
        assert L.refusal(req, "correction_received") == (
            "已于 2024-09-13 收到补正后的申请，不能再记录收到补正"
        )
        c = L.decide(s, req, "unable_unclear", date(2024, 9, 20), "李四")
        assert c.state == "closed" and req.result == "unable_unclear"
    with store.session() as s:
        kinds = s.scalars(select(LedgerEvent.kind).order_by(LedgerEvent.id)).all()
        assert kinds.count("correction_notice") == 1


def test_a_late_correction_needs_the_applicants_good_reason(store: Store) -> None:
    with store.session() as s:
        req = _request(s, date(2024, 9, 3))
        L.add_event(s, req, "correction_notice", date(2024, 9, 6), "李四", until=date(2024, 9, 20))
        with pytest.raises(L.LedgerError, match="补正期限 2024-09-20 已届满：申请人无正当理由"):
            L.add_event(s, req, "correction_received", date(2024, 9, 24), "李四")
        _, c = L.add_event(
            s, req, "correction_received", date(2024, 9, 24), "李四", note="申请人住院，有证明"
        )
        assert c.start == date(2024, 9, 24)
        assert c.due is not None and c.due.due == deadline(date(2024, 9, 24)).due
        # a second request never corrected lapses after its deadline (（六）1), not before
        other = _request(s, date(2024, 9, 3), "王五")
        L.add_event(
            s, other, "correction_notice", date(2024, 9, 6), "李四", until=date(2024, 9, 20)
        )
        with pytest.raises(L.LedgerError, match="尚未届满"):
            L.decide(s, other, "other_no_correction", date(2024, 9, 20), "李四")
        c = L.decide(s, other, "other_no_correction", date(2024, 9, 23), "李四")
        assert c.answered is not None
        assert (c.answered.verdict, c.answered.due) == ("不计答复期限", None)
        assert c.answered.why == "申请人逾期未补正，视为放弃申请，不判断是否按期"


def test_a_payment_after_its_deadline_is_refused_and_the_request_lapses(store: Store) -> None:
    with store.session() as s:
        req = _request(s, date(2024, 9, 3))
        ev, c = L.add_event(
            s, req, "fee_notice", date(2024, 9, 10), "李四", method="per_volume", pages=150
        )
        assert ev.until == deadline(date(2024, 9, 10), 20).due == date(2024, 10, 14)
        with pytest.raises(L.LedgerError, match="早于收费通知之日 2024-09-10"):
            L.add_event(s, req, "fee_paid", date(2024, 9, 9), "李四")
        with pytest.raises(L.LedgerError) as late:
            L.add_event(s, req, "fee_paid", date(2024, 10, 15), "李四")
        assert str(late.value).startswith(
            "缴费期限 2024-10-14 已届满：申请人逾期未缴费的，视为放弃申请"
        )
        c = L.decide(s, req, "other_no_fee", date(2024, 10, 15), "李四")
        assert c.answered is not None and c.answered.verdict == "不计答复期限"
        # paid on the last day is in time
        paid = _request(s, date(2024, 9, 3), "王五")
        L.add_event(s, paid, "fee_notice", date(2024, 9, 10), "李四", method="per_volume", pages=40)
        L.add_event(s, paid, "fee_paid", date(2024, 10, 14), "李四")
        assert L.refusal(paid, "fee_paid") == "已于 2024-10-14 记录缴费"


def test_a_late_consultation_answer_does_not_lengthen_the_pause(store: Store) -> None:
    with store.session() as s:
        cal = L.load_calendar(s)
        on_time = _request(s, date(2024, 9, 3))
        late = _request(s, date(2024, 9, 3), "王五")
        reply_due = deadline(date(2024, 9, 18), 15, cal).due
        for req in (on_time, late):
            L.add_event(s, req, "consultation_sent", date(2024, 9, 18), "李四", note="某公司")
        _, c = L.add_event(s, on_time, "consultation_answered", reply_due, "李四")
        assert c.due is not None
        assert (
            c.due.due
            == deadline(date(2024, 9, 3), 20, cal, pauses=[Pause(date(2024, 9, 18), reply_due)]).due
        )
        assert c.warnings == []
        # answered two weeks after its 15 working days: only those 15 are not counted
        _, c = L.add_event(s, late, "consultation_answered", date(2024, 10, 28), "李四")
        assert c.due is not None and late.due == c.due.due
        assert c.due.due == on_time.due
        assert c.due.paused == 15
        assert "征求意见（对方逾期答复，按 15 个工作日计）" in c.note
        assert c.warnings == [
            f"征求意见的答复 2024-10-28 晚于答复期限 {reply_due.isoformat()}："
            "超过期限的工作日计入答复期限（条例第三十二条）"
        ]
        with pytest.raises(L.LedgerError, match="没有待答复的征求意见函"):
            L.add_event(s, late, "consultation_answered", date(2024, 10, 29), "李四")
        L.add_event(s, late, "consultation_sent", date(2024, 10, 29), "李四")
        with pytest.raises(L.LedgerError, match="早于征求意见函发出之日 2024-10-29"):
            L.add_event(s, late, "consultation_answered", date(2024, 10, 28), "李四")


def test_an_extension_only_while_the_period_runs(store: Store) -> None:
    with store.session() as s:
        req = _request(s, date(2024, 9, 27))  # due 2024-10-30
        with pytest.raises(L.LedgerError) as refused:
            L.add_event(s, req, "extension", date(2024, 10, 31), "李四", approver="王主任")
        assert str(refused.value).startswith("答复期限已于 2024-10-30 届满，不能再延期")
        _, c = L.add_event(s, req, "extension", date(2024, 10, 30), "李四", approver="王主任")
        assert c.due is not None and c.due.counted == 40
        assert L.refusal(req, "extension") == (
            "延长答复期限最长不得超过 20 个工作日（条例第三十三条），已延长 20 个"
        )
        waiting = _request(s, date(2024, 9, 27), "王五")
        L.add_event(
            s, waiting, "correction_notice", date(2024, 9, 30), "李四", until=date(2024, 10, 18)
        )
        with pytest.raises(L.LedgerError, match="答复期限尚未起算"):
            L.add_event(s, waiting, "extension", date(2024, 10, 8), "李四", approver="王主任")


def test_events_in_an_impossible_order_are_refused(store: Store) -> None:
    with store.session() as s:
        req = _request(s, date(2024, 9, 3))
        with pytest.raises(L.LedgerError, match="补正期限 2024-09-05 应晚于告知日期 2024-09-06"):
            L.add_event(
                s, req, "correction_notice", date(2024, 9, 6), "李四", until=date(2024, 9, 5)
            )
        L.add_event(s, req, "correction_notice", date(2024, 9, 6), "李四", until=date(2024, 9, 20))
        with pytest.raises(L.LedgerError, match="收到补正日期 2024-09-05 早于补正告知之日"):
            L.add_event(s, req, "correction_received", date(2024, 9, 5), "李四")
        L.add_event(s, req, "correction_received", date(2024, 9, 10), "李四")
        L.add_event(s, req, "decision", date(2024, 9, 20), "李四", result="granted")
        with pytest.raises(L.LedgerError, match="答复日期 2024-09-19 早于办理决定之日 2024-09-20"):
            L.add_event(s, req, "answer", date(2024, 9, 19), "李四")


def test_closed_requests_say_whether_they_were_answered_on_time(store: Store) -> None:
    with store.session() as s:
        cal = L.load_calendar(s)
        # received 2024-09-27 (Fri): due 2024-10-30, as test_calendar works out
        on_time = _request(s, date(2024, 9, 27), "甲")
        late = _request(s, date(2024, 9, 27), "乙")
        paused = _request(s, date(2024, 9, 27), "丙")
        extended = _request(s, date(2024, 9, 27), "丁")
        c = L.decide(s, on_time, "granted", date(2024, 10, 30), "李四")
        assert c.answered is not None
        assert (c.answered.verdict, c.answered.late, c.answered.on_time) == ("按期答复", 0, True)
        assert c.answered.why == deadline(date(2024, 9, 27), 20, cal).explanation
        # 10-31, 11-01 and 11-04 are past the due date
        c = L.decide(s, late, "granted", date(2024, 10, 31), "李四", answered=date(2024, 11, 4))
        assert c.answered is not None
        assert c.answered.verdict == "逾期答复（超过期限 3 个工作日）"
        assert c.answered.due is not None and c.answered.due.due == date(2024, 10, 30)
        assert c.note.startswith("已于 2024-11-04 答复办结；逾期答复（超过期限 3 个工作日）；")
        # the same answer date, with a consultation's days not counted: on time
        L.add_event(s, paused, "consultation_sent", date(2024, 10, 8), "李四", note="某局")
        L.add_event(s, paused, "consultation_answered", date(2024, 10, 11), "李四")
        c = L.decide(s, paused, "partial", date(2024, 11, 4), "李四")
        assert c.answered is not None and c.answered.verdict == "按期答复"
        assert c.answered.due is not None and c.answered.due.due == date(2024, 11, 4)
        # extended by 5: due 5 working days after 10-30 (11-06); answered 11-08 → 2 late
        L.add_event(s, extended, "extension", date(2024, 10, 28), "李四", approver="王主任", days=5)
        c = L.decide(s, extended, "granted", date(2024, 11, 8), "李四")
        assert c.answered is not None and c.answered.due is not None
        assert c.answered.due.due == date(2024, 11, 6)
        assert c.answered.verdict == "逾期答复（超过期限 2 个工作日）"
        t = L.timeliness(s, 2024, AGENCY)
        assert (t.answered, t.on_time, t.late, t.late_days, t.not_judged) == (4, 2, 2, 5, 0)
        assert t.sentence() == (
            "2024 年答复 4 件：按期答复 2 件，逾期答复 2 件（共超过期限 5 个工作日）"
        )
        assert L.timeliness(s, 2023, AGENCY).answered == 0
        # judged by the clock, not stored: 10-31 made an off day leaves 2 days late
        L.set_calendar_day(s, date(2024, 10, 31), False, "测试", "李四")
        answered = L.clock(late, L.load_calendar(s)).answered
        assert answered is not None and answered.verdict == "逾期答复（超过期限 2 个工作日）"


def test_a_late_answer_after_a_fee_says_what_the_other_reading_of_109_gives(
    store: Store,
) -> None:
    with store.session() as s:
        cal = L.load_calendar(s)
        req = _request(s, date(2024, 9, 27))  # due 2024-10-30, the time to pay counted
        L.add_event(s, req, "fee_notice", date(2024, 10, 8), "李四", method="per_volume", pages=40)
        L.add_event(s, req, "fee_paid", date(2024, 10, 29), "李四")
        c = L.decide(s, req, "granted", date(2024, 11, 4), "李四")
        assert c.answered is not None
        assert c.answered.verdict == "逾期答复（超过期限 3 个工作日）" and c.answered.fee_doubt
        other = deadline(
            date(2024, 9, 27), 20, cal, pauses=[Pause(date(2024, 10, 8), date(2024, 10, 29))]
        ).due
        assert c.answered.why.endswith(
            f"；若缴费期间不计入答复期限（国办函〔2020〕109号未明确），期限为 {other.isoformat()}，"
            "则为按期答复"
        )
        plain = _request(s, date(2024, 9, 27), "王五")
        c = L.decide(s, plain, "granted", date(2024, 11, 4), "李四")
        assert c.answered is not None and not c.answered.fee_doubt
        t = L.timeliness(s, 2024, AGENCY)
        assert (t.late, t.fee_doubt) == (2, 1)
        assert t.sentence().endswith(
            "逾期答复 2 件（共超过期限 6 个工作日；其中 1 件若缴费期间不计入答复期限则不逾期或逾期更少）"
        )


def test_requests_past_their_correction_or_payment_deadline_are_listed_to_lapse(
    store: Store,
) -> None:
    with store.session() as s:
        unclear = _request(s, date(2024, 9, 3), "甲")
        unpaid = _request(s, date(2024, 9, 3), "乙")
        corrected = _request(s, date(2024, 9, 3), "丙")
        for req in (unclear, corrected):
            L.add_event(
                s, req, "correction_notice", date(2024, 9, 6), "李四", until=date(2024, 9, 20)
            )
        L.add_event(s, corrected, "correction_received", date(2024, 9, 19), "李四")
        L.add_event(
            s, unpaid, "fee_notice", date(2024, 9, 10), "李四", method="per_volume", pages=40
        )
        # while the 补正 is outstanding the period has not started
        assert L.refusal(unclear, "consultation_sent") == (
            "已发补正告知，答复期限待收到补正后的申请才起算：收到补正前不能记录征求意见函发出"
            "（可记录收到补正，或补正期限届满后按逾期不补正作出办理决定）"
        )
        with pytest.raises(L.LedgerError, match="收到补正前不能记录收费通知"):
            L.add_event(s, unclear, "fee_notice", date(2024, 9, 10), "李四", method="per_piece")
        assert L.lapsing(s, date(2024, 9, 20), AGENCY) == []
        assert [(r.applicant, why) for r, why in L.lapsing(s, date(2024, 9, 23), AGENCY)] == [
            ("甲", "补正期限 2024-09-20 已过，未收到补正：可按逾期不补正办结（（六）1）")
        ]
        listed = [(r.applicant, why) for r, why in L.lapsing(s, date(2024, 10, 15), AGENCY)]
        assert listed == [
            ("甲", "补正期限 2024-09-20 已过，未收到补正：可按逾期不补正办结（（六）1）"),
            ("乙", "缴费期限 2024-10-14 已过，未缴费：可按逾期未缴费办结（（六）2）"),
        ]
        # neither is in the overdue list (the first has no due date yet)
        assert unclear not in L.overdue(s, date(2024, 10, 15), AGENCY)
        L.decide(s, unclear, "other_no_correction", date(2024, 10, 15), "李四")
        L.decide(s, unpaid, "other_no_fee", date(2024, 10, 15), "李四")
        assert L.lapsing(s, date(2024, 10, 15), AGENCY) == []
