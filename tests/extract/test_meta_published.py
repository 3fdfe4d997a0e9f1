"""The publication date from the metadata lines pages carry, or the signature; DATE-001
follows from it."""

from __future__ import annotations

import itertools

import pytest

from xxgk.api import check_report
from xxgk.extract import extract
from xxgk.readers.text import parse_text

TITLE = "某某县民政局2023年政府信息公开工作年度报告"
BODY = "\n一、总体情况\n本年度工作有序开展。\n六、其他需要报告的事项\n无。\n"
DATES = ((2024, 1, 9), (2024, 3, 26), (2023, 12, 31), (2022, 10, 2))

LINES = {
    "colon": "发布时间:{y}-{m:02d}-{d:02d}",
    "fullwidth-cn": "发布日期：{y}年{m}月{d}日",
    "with-time": "发布时间：{y}-{m:02d}-{d:02d} 10:20:33",
    "short-time": "发布时间：{y}-{m}-{d} 9:05",
    "slashes": "发布日期: {y}/{m}/{d}",
    "pipes": "| 发布时间 | {y}-{m:02d}-{d:02d} |",
    "pipe-block": "索 引 号: | 6107000043/{y}-000051 | 发布时间: | {y}年{m:02d}月{d:02d}日 08:47 |",
    "chrome": "来源:原创     发布时间:{y}-{m:02d}-{d:02d} 13:24    浏览次数:次",
    "written": "成文日期：{y}年{m}月{d}日",
    "updated": "更新日期:{y}-{m:02d}-{d:02d} 信息来源:某某县政务公开办 浏览:",
}


@pytest.mark.parametrize("form", sorted(LINES))
@pytest.mark.parametrize("where", ["over", "under"])
def test_published_from_every_metadata_form(form: str, where: str) -> None:
    for y, m, d in DATES:
        line = LINES[form].format(y=y, m=m, d=d)
        head = f"{line}\n{TITLE}" if where == "over" else f"{TITLE}\n{line}"
        r = extract(parse_text(head + BODY, "x.txt"))
        assert r.published == f"{y}-{m:02d}-{d:02d}", head


@pytest.mark.parametrize(
    "tail",
    [
        "某某县民政局\n{y}年{m}月{d}日",
        "某某县民政局\n\n{y}-{m:02d}-{d:02d}",
        "某某县民政局 {y}年{m}月{d}日",
        "{y}年{m}月{d}日",
        "某某县民政局\n{cn}",
    ],
)
def test_published_from_the_signature(tail: str) -> None:
    cn = {
        (2024, 1, 9): "二〇二四年一月九日",
        (2024, 3, 26): "二〇二四年三月二十六日",
        (2023, 12, 31): "二〇二三年十二月三十一日",
        (2022, 10, 2): "二〇二二年十月二日",
    }
    for y, m, d in DATES:
        text = TITLE + BODY + tail.format(y=y, m=m, d=d, cn=cn[(y, m, d)])
        assert extract(parse_text(text, "x.txt")).published == f"{y}-{m:02d}-{d:02d}", text


def test_the_page_publication_wins_over_signature_and_update() -> None:
    head = "更新日期:2024-05-01\n发布时间:2024-01-20 10:00\n" + TITLE
    text = head + BODY + "某某县民政局\n2024年1月18日"
    assert extract(parse_text(text, "x.txt")).published == "2024-01-20"
    # the signature is the report's own date; an update date comes last
    text = "更新日期:2024-05-01\n" + TITLE + BODY + "某某县民政局\n2024年1月18日"
    assert extract(parse_text(text, "x.txt")).published == "2024-01-18"


@pytest.mark.parametrize(
    "text",
    [
        TITLE + "\n统计日期:2024-02-01" + BODY,  # not a date of the page
        TITLE + BODY + "本报告将于2024年1月31日前公开。",  # a sentence, not a signature
        TITLE + "\n发布时间: 2024-13-40" + BODY,  # no such date
    ],
)
def test_dates_that_are_not_the_publication(text: str) -> None:
    assert extract(parse_text(text, "x.txt")).published is None


@pytest.mark.parametrize(("form", "late"), list(itertools.product(sorted(LINES), [False, True])))
def test_date_001_follows_from_the_metadata(form: str, late: bool) -> None:
    y, m, d = (2024, 3, 26) if late else (2024, 1, 9)
    head = TITLE + "\n" + LINES[form].format(y=y, m=m, d=d)
    result = check_report(extract(parse_text(head + BODY, "x.txt")))
    codes = {f.code for f in result.findings}
    assert ("DATE-001" in codes) is late
