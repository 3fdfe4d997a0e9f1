"""Agency and year from where pages put them: title (many forms), preamble, signature,
narrative, page metadata; spam injected in front of the name is cut, never guessed."""

from __future__ import annotations

import itertools

import pytest

from xxgk.extract import extract
from xxgk.extract.meta import clean_agency
from xxgk.readers.text import parse_text

AGENCIES = (
    "西柳镇人民政府",
    "桃江县松木塘镇人民政府",
    "宁强县自然资源局",
    "湛江市人民政府地方志办公室",
    "驼峰路街道办事处",
    "某某市卫生健康委员会",
    "某某县政务服务中心",
    "某某区发展和改革局",
)
YEARS = (2020, 2023, 2024)
REPORT = "政府信息公开工作年度报告"
PERIOD = "本报告所列数据的统计期限为{y}年1月1日至{y}年12月31日。"
BODY = (
    "\n一、总体情况\n本年度工作有序开展,全年主动公开政府信息32条。\n"
    "二、主动公开政府信息情况\n第二十条第(一)项 |\n信息内容 | 本年制发件数 | 本年废止件数 | "
    "现行有效件数 |\n规章 | 0 | 0 | 0 |\n"
)

TITLES = {
    "agency-year": "{a}{y}年" + REPORT,
    "agency-year-du": "{a}{y}年度" + REPORT,
    "agency-spaced": "{a} {y} 年度政府 信息公开工作报告",
    "year-agency": "{y}年{a}" + REPORT,
    "split-agency-over": "{a}\n\n{y}年" + REPORT,
    "split-agency-under": "{y}年" + REPORT + "\n{a}",
    "split-agency-under-twice": "{y}年" + REPORT + "\n{a}\n{y}年" + REPORT,
    "split-report-word": "{y}年{a}政府信息公开工作\n年度报告",
    "guanyu": "{a}关于{y}年度政府信息公开情况的报告",
    "guanyu-split": "{a}关于{y}年度政府信息公开情况的报告\n\n{a}\n\n关于{y}年度政府信息公开情况的",
    "labelled": "标题：{a}{y}年政府信息公开年度报告-{a}",
    "preamble": "根据《中华人民共和国政府信息公开条例》要求,特编制{a}{y}年"
    + REPORT
    + "。本报告包括总体情况等内容。",
    "preamble-xian": "根据《中华人民共和国政府信息公开条例》规定,现公布{a}{y}年" + REPORT + "。",
    "compiled-by": "本报告由{a}编制。" + PERIOD,
    "chrome-prefix": "【字体：大 中 小】{a}{y}年" + REPORT,
    "cn-year": "{a}{cy}年度" + REPORT,
    "cn-year-first": "{cy}年{a}" + REPORT,
    "word-file": "Microsoft Word - {a}{y}年" + REPORT + ".docx",
    "full-text": "{a}{y}年" + REPORT + "（全文）",
}
_CN_DIGITS = "〇一二三四五六七八九"


def _cn_year(y: int) -> str:
    return "".join(_CN_DIGITS[int(c)] for c in str(y))


@pytest.mark.parametrize("form", sorted(TITLES))
def test_agency_and_year_from_every_title_form(form: str) -> None:
    for a, y in itertools.product(AGENCIES, YEARS):
        head = TITLES[form].format(a=a, y=y, cy=_cn_year(y))
        r = extract(parse_text(head + "\n" + BODY, "x.txt"))
        assert (r.agency, r.year) == (a, y), head


def test_title_without_a_year_gives_the_agency_and_the_period_the_year() -> None:
    for a, y in itertools.product(AGENCIES, YEARS):
        head = f"{a}{REPORT}\n" + PERIOD.format(y=y)
        r = extract(parse_text(head + BODY, "x.txt"))
        assert (r.agency, r.year) == (a, y), head


SPAM = ("新葡京博彩官网", "bat365官网登录下载_365bet开户娱乐", "澳门百家乐真人", "365bet")
# what the spam replaced: the district's name; the bare level words stay behind
DANGLING = ("区人民政府", "县", "市人民政府", "")
CLEAN = ("北京街道办事处", "驼峰路街道办事处", "松木塘镇人民政府", "宁强县自然资源局")


def test_spam_in_front_of_the_agency_is_cut_in_the_title() -> None:
    for spam, dangling, a, y in itertools.product(SPAM, DANGLING, CLEAN, YEARS):
        head = f"{spam}{dangling}{a}{y}年{REPORT}"
        r = extract(parse_text(head + BODY, "x.txt"))
        assert (r.agency, r.year) == (a, y), head


def test_spam_in_front_of_the_narrative_subject_is_cut() -> None:
    for spam, dangling, a in itertools.product(SPAM, DANGLING, CLEAN):
        text = (
            "一、总体情况\n2020年,在区委、区政府的正确领导下,"
            f"{spam}{dangling}{a}认真贯彻落实《中华人民共和国政府信息公开条例》。\n"
            "二、主动公开政府信息情况\n"
        )
        assert extract(parse_text(text, "x.txt")).agency == a, text


@pytest.mark.parametrize(
    "head",
    [
        # spam and nothing that ends like an agency
        "新葡京博彩官网2020年" + REPORT,
        "365bet娱乐平台2020年" + REPORT,
        # the report does not name itself
        "现将我局2021年政府信息公开工作报告如下:",
        "2021年" + REPORT,
    ],
)
def test_no_agency_rather_than_a_wrong_one(head: str) -> None:
    assert extract(parse_text(head + BODY, "x.txt")).agency is None


@pytest.mark.parametrize(
    "subject",
    [
        "我局",  # a pronoun
        "县民政局",  # names no county
        "各镇街道",  # not one agency
        "政府信息公开工作领导小组办公室",  # a committee of the agency
    ],
)
def test_narrative_subjects_that_name_no_agency(subject: str) -> None:
    text = (
        f"一、总体情况\n2022年,{subject}认真贯彻落实《中华人民共和国政府信息公开条例》。\n"
        "二、主动公开政府信息情况\n"
    )
    assert extract(parse_text(text, "x.txt")).agency is None


@pytest.mark.parametrize("a", AGENCIES)
@pytest.mark.parametrize(
    "signature",
    ["{a}\n{y}年1月20日", "{a}\n\n{y}-01-20", "{a} {y}年1月20日", "{a}\n二〇二一年一月二十日"],
)
def test_agency_from_the_signature(a: str, signature: str) -> None:
    text = "一、总体情况\n本机关认真落实条例。\n六、其他需要报告的事项\n无。\n" + signature.format(
        a=a, y=2021
    )
    r = extract(parse_text(text, "x.txt"))
    assert (r.agency, r.published) == (a, "2021-01-20")


@pytest.mark.parametrize("a", AGENCIES)
@pytest.mark.parametrize(
    "chrome",
    [
        "来源：{a}",
        "信息来源: {a}  浏览次数:12",
        "来 源: | {a} | 发布机构: | {a} |",
        "| 发布机构 | {a} | 发布时间 | 2022-01-24 |",
    ],
)
def test_agency_from_the_page_metadata(a: str, chrome: str) -> None:
    text = chrome.format(a=a) + "\n一、总体情况\n我局认真落实条例。\n"
    assert extract(parse_text(text, "x.txt")).agency == a


@pytest.mark.parametrize("source", ["来源：原创", "来源:本站", "信息来源：人民网", "来源：县政府"])
def test_a_source_that_is_no_agency_is_not_taken(source: str) -> None:
    text = source + "\n一、总体情况\n我局认真落实条例。\n"
    assert extract(parse_text(text, "x.txt")).agency is None


def test_the_title_wins_over_the_page_chrome() -> None:
    text = "双塔区前进街道2020年" + REPORT + "\n信息来源:双塔区政务公开办\n" + BODY
    assert extract(parse_text(text, "x.txt")).agency == "双塔区前进街道"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("新葡京博彩官网区人民政府北京街道办事处", "北京街道办事处"),
        ("  宁强县 自然资源局 ", "宁强县自然资源局"),
        ("bat365区", None),
        ("中共某某县委宣传部（县政府新闻办公室）", "中共某某县委宣传部（县政府新闻办公室）"),
        ("某某县人民政府办公室·", "某某县人民政府办公室"),
        ("365bet - 区人民政府某某街道办事处", "某某街道办事处"),
        ("原创", None),
    ],
)
def test_clean_agency(raw: str, clean: str | None) -> None:
    assert clean_agency(raw) == clean


def test_an_agency_named_later_in_the_narrative_is_not_taken_for_the_reports() -> None:
    # another agency as the subject of a later paragraph says nothing of who reports
    text = (
        "一、总体情况\n本年度工作有序开展。\n全年主动公开政府信息32条。\n"
        "宁强县融媒体中心积极配合做好政策解读。\n二、主动公开政府信息情况\n"
    )
    assert extract(parse_text(text, "x.txt")).agency is None


def test_a_site_banner_over_a_title_without_agency_is_not_the_agency() -> None:
    text = "宁强县人民政府。\n2022年" + REPORT + "\n" + BODY
    assert extract(parse_text(text, "x.txt")).agency is None


@pytest.mark.parametrize(
    "nav", ["首页 > 政府信息公开 > 年度报告", "当前位置：首页»信息公开»年度报告"]
)
def test_a_breadcrumb_is_not_the_title(nav: str) -> None:
    text = nav + "\n某某县民政局2023年" + REPORT + BODY
    r = extract(parse_text(text, "x.txt"))
    assert (r.title, r.agency) == ("某某县民政局2023年" + REPORT, "某某县民政局")


def test_a_breadcrumb_over_a_title_without_agency_is_not_joined_to_it() -> None:
    text = "首页 > 政府信息公开 > 年度报告\n2023年" + REPORT + BODY
    r = extract(parse_text(text, "x.txt"))
    assert (r.title, r.agency, r.year) == ("2023年" + REPORT, None, 2023)
