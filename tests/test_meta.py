"""Agency, year and publication date as reports print them."""

from __future__ import annotations

import pytest

from xxgk.extract import extract
from xxgk.readers.text import parse_text

BODY = "\n一、总体情况\n本年度工作有序开展。\n"


@pytest.mark.parametrize(
    ("head", "agency", "year"),
    [
        ("某某县民政局2023年政府信息公开工作年度报告", "某某县民政局", 2023),
        ("隆德县神林乡\n\n2023 年政府信息公开工作年度报告", "隆德县神林乡", 2023),
        ("阜新市乡村振兴局 2021 年度政府 信息公开工作报告", "阜新市乡村振兴局", 2021),
        ("2024 年上海市科委政府信息公开工作\n年度报告", "上海市科委", 2024),
        (
            "标题：沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局",
            "沭阳县发展和改革局",
            2023,
        ),
        (
            "根据《中华人民共和国政府信息公开条例》要求,特编制湛江市人民政府地方志办公室2023年"
            "政府信息公开工作年度报告。本报告包括总体情况等内容。",
            "湛江市人民政府地方志办公室",
            2023,
        ),
    ],
)
def test_title_gives_agency_and_year(head: str, agency: str, year: int) -> None:
    r = extract(parse_text(head + "\n" + BODY, "x.txt"))
    assert (r.agency, r.year) == (agency, year)


def test_a_preamble_that_names_no_agency_gives_none() -> None:
    head = (
        "按照《中华人民共和国政府信息公开条例》相关规定和县政府《关于做好2021年政府信息公开"
        "工作年度报告编制公布工作的通知》工作要求,现将我局2021年政府信息公开工作报告如下:"
    )
    r = extract(parse_text(head + "\n" + BODY, "x.txt"))
    assert (r.agency, r.year) == (None, 2021)


def test_year_from_the_statistical_period_when_there_is_no_title() -> None:
    r = extract(
        parse_text(
            "一、总体情况\n本报告所列数据统计期限为2022年1月1日至2022年12月31日。2023年将继续努力。\n",
            "x",
        )
    )
    assert r.agency is None and r.year == 2022


@pytest.mark.parametrize(
    ("tail", "published"),
    [
        ("某某局\n\n2022年1月19日", "2022-01-19"),
        ("某某局\n2024-01-17", "2024-01-17"),
    ],
)
def test_signature_date_is_the_publication_date(tail: str, published: str) -> None:
    r = extract(
        parse_text(
            "某某局2021年政府信息公开工作年度报告" + BODY + "六、其他需要报告的事项\n无。\n" + tail,
            "x",
        )
    )
    assert r.published == published


def test_page_header_date() -> None:
    text = "标题: 某某区2023年度政府信息公开工作年度报告\n发布时间: 2024-03-08 15:34\n" + BODY
    assert extract(parse_text(text, "x")).published == "2024-03-08"


def test_a_numbered_sub_item_is_not_taken_for_the_next_section() -> None:
    text = (
        "一、总体情况\n一、主动公开情况\n本年度主动公开信息10条。\n二、依申请公开情况\n无。\n"
        "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
        "四、政府信息公开行政复议、行政诉讼情况\n五、问题及改进\n无。\n六、其他需要报告的事项\n无。\n"
    )
    heads = extract(parse_text(text, "x")).headings
    assert [(h.number, h.text) for h in heads] == [
        (1, "一、总体情况"),
        (2, "二、主动公开政府信息情况"),
        (3, "三、收到和处理政府信息公开申请情况"),
        (4, "四、政府信息公开行政复议、行政诉讼情况"),
        (5, "五、问题及改进"),
        (6, "六、其他需要报告的事项"),
    ]
