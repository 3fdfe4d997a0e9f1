"""The office's notices as Word files, filled from the ledger.

Six kinds: 受理回执 (``receipt``), 补正告知书 (``correction``), 延期答复告知书
(``extension``), 征求意见函 (``consultation``), 收费通知书 (``fee``) and the 答复书
(``answer``, worded by the decision's result row).  A template is an ordinary DOCX whose
text holds fields such as ``{{申请人}}``; the office edits its copy in Word or WPS
(``xxgk ledger templates DIR`` writes the defaults) and keeps it in
``XXGK_DATA/ledger-templates/<kind>.docx``, which then replaces the default.  A field
the ledger does not know is an error naming the template, never left in the notice.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from ..store.ledger_models import LedgerEvent, LedgerRequest
from .calendar import Calendar
from .channels import CHANNELS
from .fees import METHODS
from .service import APPLICANT_LABELS, RESULT_LABELS, LedgerError, clock

KINDS = {
    "receipt": "政府信息公开申请受理回执",
    "correction": "政府信息公开申请补正告知书",
    "extension": "政府信息公开申请延期答复告知书",
    "consultation": "政府信息公开征求意见函",
    "fee": "政府信息公开信息处理费收费通知书",
    "reasons": "政府信息公开申请说明理由通知书",
    "delay": "政府信息公开申请延迟答复告知书",
    "answer": "政府信息公开申请答复书",
}
FIELD = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
REMEDY = (
    "如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议，"
    "或者自收到本答复之日起六个月内依法提起行政诉讼。"
)
# the 答复书's finding per result row (条例 articles as mapped in the spec, §1.5)
ANSWERS = {
    "granted": "经审查，你（单位）申请获取的政府信息属于公开范围，现予以公开（见附件）。依据：条例第三十六条第（二）项。",
    "partial": "经审查，你（单位）申请获取的政府信息中含有不应当公开的内容，但能够作区分处理，现向你（单位）提供可以公开的部分。依据：条例第三十七条。",
    "denied_state_secret": "经审查，你（单位）申请获取的政府信息属于国家秘密，不予公开。依据：条例第十四条、第三十六条第（三）项。",
    "denied_law": "经审查，你（单位）申请获取的政府信息属于法律、行政法规禁止公开的政府信息，不予公开。依据：条例第十四条、第三十六条第（三）项。",
    "denied_safety": "经审查，你（单位）申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，不予公开。依据：条例第十四条、第三十六条第（三）项。",
    "denied_third_party": "经审查，你（单位）申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，不予公开。依据：条例第十五条、第三十二条、第三十六条第（三）项。",
    "denied_internal": "经审查，你（单位）申请获取的政府信息属于人事管理、后勤管理、内部工作流程等内部事务信息，可以不予公开。依据：条例第十六条第一款。",
    "denied_process": "经审查，你（单位）申请获取的政府信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，可以不予公开。依据：条例第十六条第二款。",
    "denied_enforcement": "经审查，你（单位）申请获取的政府信息属于行政执法案卷信息，可以不予公开。依据：条例第十六条第二款。",
    "denied_inquiry": "经审查，你（单位）申请获取的信息属于行政查询事项，请依照有关法律、行政法规的规定办理。依据：条例第三十六条第（七）项。",
    "unable_not_held": "经检索，本机关未制作或获取你（单位）申请获取的政府信息，该政府信息不存在。依据：条例第三十六条第（四）项。",
    "unable_needs_creation": "经审查，你（单位）申请获取的信息需要本机关对现有政府信息进行加工、分析，本机关可以不予提供。依据：条例第三十八条。",
    "unable_unclear": "经审查，你（单位）补正后的申请内容仍不明确，本机关无法提供。依据：条例第三十条。",
    "rejected_petition": "经审查，你（单位）以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关告知你（单位）通过相应渠道提出，不作为政府信息公开申请处理。依据：条例第三十九条第一款。",
    "rejected_duplicate": "经审查，你（单位）提出的申请与此前的申请重复，本机关已作出答复，不予重复处理。依据：条例第三十六条第（六）项。",
    "rejected_publication": "经审查，你（单位）要求提供的是公开出版物，请通过相应渠道获取。依据：条例第三十九条第二款。",
    "rejected_excessive": "经审查，你（单位）申请公开政府信息的数量、频次明显超过合理范围，且说明的理由不合理，本机关不予处理。依据：条例第三十五条。",
    "rejected_confirmation": "经审查，你（单位）要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请的处理范围，不予处理。",
    "other_no_correction": "本机关已于{{补正告知日期}}向你（单位）发出补正告知，你（单位）无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。依据：条例第三十条。",
    "other_no_fee": "本机关已于{{收费通知日期}}向你（单位）发出收费通知，你（单位）逾期未缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。依据：国办函〔2020〕109号。",
    "other_other": "你（单位）的申请已按其他方式处理：{{备注}}",
}
BODIES = {
    "receipt": [
        "{{申请人}}：",
        "你（单位）以{{渠道}}方式提交的政府信息公开申请（编号：{{编号}}）已收到。"
        "依据《中华人民共和国政府信息公开条例》第三十一条，收到申请之日为{{收到日期}}。",
        "申请内容：{{申请内容}}",
        "本机关将依照条例第三十三条，于{{答复期限}}前作出答复（{{期限说明}}）。",
    ],
    "correction": [
        "{{申请人}}：",
        "本机关于{{收到日期}}收到你（单位）的政府信息公开申请（编号：{{编号}}）。"
        "经审查，你（单位）的申请内容不明确：{{补正事项}}",
        "依据《中华人民共和国政府信息公开条例》第三十条，请你（单位）于{{补正期限}}前补正。"
        "答复期限自本机关收到补正的申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
    ],
    "extension": [
        "{{申请人}}：",
        "本机关于{{收到日期}}收到你（单位）的政府信息公开申请（编号：{{编号}}）。"
        "因{{延期理由}}，不能在规定期限内作出答复。",
        "依据《中华人民共和国政府信息公开条例》第三十三条第二款，经{{批准人}}同意，"
        "答复期限延长{{延长天数}}个工作日，本机关将于{{答复期限}}前作出答复（{{期限说明}}）。",
    ],
    "consultation": [
        "{{征求对象}}：",
        "本机关于{{收到日期}}收到{{申请人}}的政府信息公开申请（编号：{{编号}}），"
        "申请获取：{{申请内容}}。该信息可能涉及你方合法权益（或需与你方协商确定）。",
        "依据《中华人民共和国政府信息公开条例》第三十二条（第三十四条），现书面征求你方意见，"
        "请于收到本函之日起十五个工作日内（{{意见期限}}前）提出书面意见。"
        "逾期未提出意见的，由本机关依照条例的规定决定是否公开。",
    ],
    "fee": [
        "{{申请人}}：",
        "本机关于{{收到日期}}收到你（单位）的政府信息公开申请（编号：{{编号}}）。"
        "依据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》"
        "（国办函〔2020〕109号），本机关{{计费方式}}信息处理费{{金额}}元。",
        "计费依据：{{计费说明}}",
        "请于{{缴费期限}}前缴纳。逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
    ],
    "reasons": [
        "{{申请人}}：",
        "本机关于{{收到日期}}收到你（单位）的政府信息公开申请（编号：{{编号}}）。"
        "经审查，你（单位）申请公开政府信息的数量、频次明显超过合理范围。{{说明事项}}",
        "依据《中华人民共和国政府信息公开条例》第三十五条，请你（单位）于{{说明理由期限}}前说明理由。"
        "理由不合理的，本机关将告知你（单位）不予处理；理由合理但无法在条例第三十三条规定的期限内"
        "答复的，本机关将确定延迟答复的合理期限并告知你（单位）。",
    ],
    "delay": [
        "{{申请人}}：",
        "本机关于{{收到日期}}收到你（单位）的政府信息公开申请（编号：{{编号}}），并于{{要求说明理由日期}}"
        "要求你（单位）说明理由。经审查，你（单位）说明的理由合理，但因{{延迟理由}}，"
        "本机关无法在条例第三十三条规定的期限内作出答复。",
        "依据《中华人民共和国政府信息公开条例》第三十五条，本机关确定延迟答复的合理期限，"
        "将于{{答复期限}}前作出答复。",
    ],
    "answer": [
        "{{申请人}}：",
        "本机关于{{收到日期}}收到你（单位）的政府信息公开申请（编号：{{编号}}），申请获取：{{申请内容}}。"
        "现答复如下：",
        "{{答复意见}}",
        REMEDY,
    ],
}
CLOSING = ["{{机关}}", "{{日期}}"]


class DocumentError(ValueError):
    pass


def default_template(kind: str) -> bytes:
    """The shipped template of ``kind`` as a DOCX (the office edits a copy)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if kind not in KINDS:
        raise DocumentError(
            f"没有“{kind}”这种文书；可用：" + "、".join(f"{k}（{v}）" for k, v in KINDS.items())
        )
    d = docx.Document()
    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(KINDS[kind])
    run.bold, run.font.size = True, Pt(18)
    d.add_paragraph("（编号：{{编号}}）").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in BODIES[kind]:
        d.add_paragraph(text)
    for text in CLOSING:
        d.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("承办人：{{承办人}}")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def template(kind: str, folder: Path | None) -> tuple[bytes, str]:
    """The office's template of ``kind`` (``folder/<kind>.docx``) or the default."""
    if folder is not None:
        path = folder / f"{kind}.docx"
        if path.is_file():
            return path.read_bytes(), str(path)
    return default_template(kind), f"默认模板 {kind}"


def _last(req: LedgerRequest, kind: str) -> LedgerEvent | None:
    return next((e for e in reversed(req.events) if e.kind == kind), None)


def _cn(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


CHANNEL_PHRASES = {
    "in_person": "当面",
    "registered_mail": "邮寄（挂号信）",
    "ordinary_mail": "邮寄（平信）",
    "online": "网络",
    "fax": "传真",
}
# the event a notice is issued with (its date and the clock as it stood then)
ISSUED_WITH = {
    "correction": "correction_notice",
    "extension": "extension",
    "consultation": "consultation_sent",
    "fee": "fee_notice",
    "reasons": "reasons_asked",
    "delay": "delay",
    "answer": "answer",
}


def _as_of(req: LedgerRequest, upto: LedgerEvent | None) -> LedgerRequest:
    """``req`` as it stood when ``upto`` was recorded (None: at receipt)."""
    events = [] if upto is None else req.events[: req.events.index(upto) + 1]
    closed = upto is not None and upto.kind == "answer"
    view = SimpleNamespace(
        received=req.received,
        state="closed" if closed else "open",
        closed=upto.on if closed and upto is not None else None,
        result=req.result if closed else None,
        events=events,
    )
    return cast(LedgerRequest, view)


def fields(
    req: LedgerRequest, kind: str, cal: Calendar, today: date | None = None
) -> dict[str, str]:
    """What the ledger knows about ``req`` for a notice of ``kind``: the clock and the
    date as they stood when the notice was issued (its event), not as they stand now."""
    event = _last(req, ISSUED_WITH[kind]) if kind in ISSUED_WITH else None
    if kind == "answer" and event is None:
        event = _last(req, "decision")
    c = clock(_as_of(req, event), cal)
    issued = event.on if event is not None else req.received
    out = {
        "机关": req.agency,
        "年度": str(req.received.year),
        "编号": req.number,
        "申请人": req.applicant,
        "申请人类型": APPLICANT_LABELS.get(req.applicant_type, ""),
        "渠道": CHANNEL_PHRASES.get(req.channel, CHANNELS.get(req.channel, req.channel)),
        "提交日期": _cn(req.submitted or req.received),
        "收到日期": _cn(req.received),
        "申请内容": req.content or "（见申请书）",
        "承办人": req.handler or "—",
        "日期": _cn(today or issued),
        "答复期限": _cn(c.due.due) if c.due else "—",
        "期限说明": c.note,
    }
    notice = _last(req, "correction_notice")
    out["补正期限"] = _cn(notice.until) if notice else "—"
    out["补正事项"] = (
        notice.note
        if notice and notice.note
        else "请明确所需政府信息的名称、文号或者便于查询的其他特征性描述。"
    )
    out["补正告知日期"] = _cn(notice.on) if notice else "—"
    ext = [e for e in req.events if e.kind == "extension"]
    out["批准人"] = "、".join(e.approver or "" for e in ext) or "—"
    out["延长天数"] = str(sum(e.days or 0 for e in ext))
    out["延期理由"] = ext[-1].note if ext and ext[-1].note else "所申请的信息需进一步检索、审查"
    letter = _last(req, "consultation_sent")
    out["征求对象"] = letter.note if letter and letter.note else "第三方"
    reply = next((d for w, d in c.deadlines if w.startswith("征求意见")), None)
    out["意见期限"] = _cn(reply.due) if reply else "—"
    fee = _last(req, "fee_notice")
    out["计费方式"] = METHODS.get(fee.method or "", "—") if fee else "—"
    out["金额"] = str(fee.amount) if fee and fee.amount is not None else "—"
    out["计费说明"] = fee.note if fee else "—"
    out["缴费期限"] = _cn(fee.until) if fee else "—"
    out["收费通知日期"] = _cn(fee.on) if fee else "—"
    asked = _last(req, "reasons_asked")
    out["说明理由期限"] = _cn(asked.until) if asked else "—"
    out["要求说明理由日期"] = _cn(asked.on) if asked else "—"
    out["说明事项"] = asked.note if asked and asked.note else "请说明申请上述政府信息的用途和理由。"
    delay = _last(req, "delay")
    out["延迟答复期限"] = _cn(delay.until) if delay else "—"
    out["延迟理由"] = (
        delay.note if delay and delay.note else "申请的政府信息数量较多，需逐件检索、审查"
    )
    decision = _last(req, "decision")
    out["结果"] = RESULT_LABELS.get(decision.result or "", "") if decision else "—"
    out["备注"] = decision.note if decision and decision.note else "—"
    if kind == "answer":
        if decision is None or decision.result is None:
            raise LedgerError(f"申请 {req.number} 还没有办理决定，不能制作答复书")
        out["答复意见"] = _fill_text(ANSWERS[decision.result], out, "答复意见")
    needs = {
        "correction": notice,
        "extension": ext[-1] if ext else None,
        "consultation": letter,
        "fee": fee,
        "reasons": asked,
        "delay": delay,
    }
    if kind in needs and needs[kind] is None:
        raise LedgerError(f"申请 {req.number} 没有相应的办理事项，不能制作{KINDS[kind]}")
    return out


def _fill_text(text: str, values: dict[str, str], where: str) -> str:
    unknown = sorted({m.group(1) for m in FIELD.finditer(text)} - set(values))
    if unknown:
        raise DocumentError(
            f"{where}中有台账不认识的字段："
            + "、".join("{{" + u + "}}" for u in unknown)
            + "；可用字段："
            + "、".join(sorted(values))
        )
    return FIELD.sub(lambda m: values[m.group(1)], text)


def _paragraphs(doc: Any) -> Any:
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in doc.sections:
        for part in (section.header, section.footer):
            yield from part.paragraphs


def fill(data: bytes, values: dict[str, str], name: str) -> bytes:
    """``data`` (a DOCX) with every ``{{字段}}`` replaced.  A field split over runs (as
    Word does after editing) is joined into the paragraph's first run."""
    import docx

    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise DocumentError(f"{name} 不是可读的 Word 文件（.docx）：{type(exc).__name__}") from None
    for p in _paragraphs(doc):
        text = p.text
        if "{{" not in text:
            continue
        new = _fill_text(text, values, name)
        runs = p.runs
        if not runs:
            continue
        for r in runs:  # fields inside one run keep that run's format
            if FIELD.search(r.text):
                r.text = _fill_text(r.text, values, name)
        if "{{" in p.text:  # a field split over runs (Word does this after edits)
            runs[0].text = new
            for r in runs[1:]:
                r.text = ""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_document(
    req: LedgerRequest,
    kind: str,
    cal: Calendar,
    *,
    folder: Path | None = None,
    today: date | None = None,
) -> bytes:
    if kind not in KINDS:
        raise DocumentError(
            f"没有“{kind}”这种文书；可用：" + "、".join(f"{k}（{v}）" for k, v in KINDS.items())
        )
    data, name = template(kind, folder)
    return fill(data, fields(req, kind, cal, today), name)
