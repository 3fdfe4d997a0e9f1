"""Notices as Word files from the ledger and from templates the office edits."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest

from xxgk.ledger import service as L
from xxgk.ledger.documents import DocumentError, render_document
from xxgk.store.base import Store


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _worked(s):  # type: ignore[no-untyped-def]
    req = L.add_request(
        s,
        agency="某某县某某局",
        channel="当面",
        submitted=date(2024, 9, 3),
        applicant="张三",
        applicant_type="自然人",
        content="某路段规划许可",
        who="李四",
    )
    L.add_event(s, req, "correction_notice", date(2024, 9, 6), "李四", until=date(2024, 9, 20))
    L.add_event(s, req, "correction_received", date(2024, 9, 13), "李四")
    L.add_event(s, req, "consultation_sent", date(2024, 9, 18), "李四", note="某某建设有限公司")
    L.add_event(s, req, "consultation_answered", date(2024, 10, 10), "李四")
    L.add_event(s, req, "extension", date(2024, 10, 28), "李四", approver="王主任")
    L.add_event(s, req, "fee_notice", date(2024, 11, 1), "李四", method="per_volume", pages=150)
    L.add_event(s, req, "fee_paid", date(2024, 11, 8), "李四")
    L.decide(s, req, "partial", date(2024, 11, 20), "李四")
    return req


def test_each_notice_states_the_clock_as_it_stood(sqlite_store: Store) -> None:
    with sqlite_store.session() as s:
        req = _worked(s)
        cal = L.load_calendar(s)
        receipt = _text(render_document(req, "receipt", cal))
        assert "收到申请之日为2024年9月3日" in receipt and "于2024年10月8日前作出答复" in receipt
        ext = _text(render_document(req, "extension", cal))
        assert "经王主任同意，答复期限延长20个工作日，本机关将于2024年12月2日前作出答复" in ext
        assert ext.rstrip().endswith("承办人：—") and "2024年10月28日" in ext
        letter = _text(render_document(req, "consultation", cal))
        assert letter.startswith("政府信息公开征求意见函") and "某某建设有限公司：" in letter
        assert "2024年10月14日前" in letter
        fee = _text(render_document(req, "fee", cal))
        assert "按量计收信息处理费1700元" in fee and "请于2024年11月29日前缴纳" in fee
        answer = _text(render_document(req, "answer", cal))
        assert "能够作区分处理" in answer and "六十日内依法申请行政复议" in answer


def test_an_office_template_with_a_field_split_over_runs(
    sqlite_store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    d = docx.Document()
    p = d.add_paragraph()
    for piece in ("本局收到", "{{申", "请人}}", "的申请，编号 {{编号}}。"):
        p.add_run(piece)
    d.save(folder / "receipt.docx")
    with sqlite_store.session() as s:
        req = _worked(s)
        cal = L.load_calendar(s)
        assert _text(render_document(req, "receipt", cal, folder=folder)) == (
            f"本局收到张三的申请，编号 {req.number}。"
        )
        d.add_paragraph("{{不存在的字段}}")
        d.save(folder / "receipt.docx")
        with pytest.raises(
            DocumentError, match=r"receipt\.docx中有台账不认识的字段：\{\{不存在的字段\}\}"
        ):
            render_document(req, "receipt", cal, folder=folder)
        (folder / "fee.docx").write_bytes(b"not a docx")
        with pytest.raises(DocumentError, match="不是可读的 Word 文件"):
            render_document(req, "fee", cal, folder=folder)


def test_a_notice_needs_its_event(sqlite_store: Store) -> None:
    with sqlite_store.session() as s:
        req = L.add_request(
            s,
            agency="某某县某某局",
            channel="网络",
            confirmed=date(2024, 3, 4),
            applicant="某公司",
            applicant_type="商业企业",
            who="李四",
        )
        cal = L.load_calendar(s)
        with pytest.raises(L.LedgerError, match="还没有办理决定"):
            render_document(req, "answer", cal)
        with pytest.raises(L.LedgerError, match="不能制作政府信息公开申请延期答复告知书"):
            render_document(req, "extension", cal)
        with pytest.raises(DocumentError, match="没有“notice”这种文书"):
            render_document(req, "notice", cal)
