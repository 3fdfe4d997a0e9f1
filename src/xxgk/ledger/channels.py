"""The date of receipt of an application, per channel (条例第三十一条).

- 当面提交: the day it is submitted;
- 邮寄（挂号等需签收）: the day the agency signs for it;
- 邮寄（平信，无需签收）: the day the disclosure office confirms it with the applicant — the
  office must confirm on the day the letter arrives, so a later confirmation is flagged;
- 网络、传真: the day both parties confirm it (§3: "internet or fax = the date both
  parties confirm").

A receipt date on a holiday stays the receipt date: the period starts the next day and
simply counts the next working days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .calendar import Calendar, default_calendar, weekday

CHANNELS = {
    "in_person": "当面提交",
    "registered_mail": "邮寄（挂号）",
    "ordinary_mail": "邮寄（平信）",
    "online": "网络",
    "fax": "传真",
}
# what the user may type
CHANNEL_WORDS = {
    **{v: k for k, v in CHANNELS.items()},
    "当面": "in_person",
    "挂号": "registered_mail",
    "挂号信": "registered_mail",
    "邮寄": "registered_mail",
    "平信": "ordinary_mail",
    "网络": "online",
    "网上": "online",
    "在线": "online",
    "传真": "fax",
}


class ReceiptError(ValueError):
    pass


@dataclass(frozen=True)
class Receipt:
    channel: str
    received: date
    explanation: str
    warnings: list[str] = field(default_factory=list)


def channel_key(word: str) -> str:
    key = CHANNEL_WORDS.get(word.strip(), word.strip())
    if key not in CHANNELS:
        raise ReceiptError(
            f"不认识的申请渠道“{word}”；可用："
            + "、".join(CHANNELS.values())
            + "（或 当面、挂号、平信）"
        )
    return key


def receipt(
    channel: str,
    *,
    submitted: date | None = None,
    signed: date | None = None,
    arrived: date | None = None,
    confirmed: date | None = None,
    cal: Calendar | None = None,
) -> Receipt:
    """The date of receipt for ``channel`` (a key of CHANNELS) from the dates given."""
    cal = cal or default_calendar()
    key = channel_key(channel)
    name = CHANNELS[key]
    warnings: list[str] = []
    if key == "in_person":
        day = submitted
        need, rule = "提交日期", "当面提交的，以提交之日为收到申请之日"
    elif key == "registered_mail":
        day = signed or submitted
        need, rule = "签收日期", "以邮寄方式提交的，以行政机关签收之日为收到申请之日"
    elif key == "ordinary_mail":
        day = confirmed
        need = "确认日期"
        rule = "以平常信函等无需签收的邮寄方式提交的，以政府信息公开工作机构与申请人确认之日为收到申请之日"
        if confirmed is not None and arrived is not None and confirmed != arrived:
            warnings.append(
                f"平信 {arrived.isoformat()} 到达，{confirmed.isoformat()} 才与申请人确认："
                "条例第三十一条要求于收到申请的当日与申请人确认"
            )
    else:
        day = confirmed
        need = "双方确认日期"
        rule = f"通过{name}提交的，以双方确认之日为收到申请之日"
    if day is None:
        raise ReceiptError(f"{name}提交的申请需要{need}（条例第三十一条：{rule}）")
    # "当面提交的，…" names its channel already; the others say which one it was
    head = rule if name in rule else f"{name}：{rule}"
    text = f"{head}（条例第三十一条）→ {day.isoformat()}（{weekday(day)}）"
    if cal.covers(day) and not cal.is_workday(day):
        holiday = cal.holidays.get(day)
        what = f"{holiday}假期" if holiday else "休息日"
        text += f"；该日为{what}，仍为收到日，期限自次日起算，遇节假日顺延至工作日"
    return Receipt(key, day, text, warnings)
