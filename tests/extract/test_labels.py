"""Printed labels matched to the format's rows (xxgk.extract.labels)."""

from __future__ import annotations

import pytest

from xxgk.extract.labels import column_cores, core, matcher
from xxgk.format import VERSIONS


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("(一)予以公开", "granted"),  # half-width brackets
        ("（二）部分公开(区分处理的,只计这一情形,不计其他情形)", "partial"),
        ("三、本年度办 理结果（一）予以公开", "granted"),  # a stray space, the group in front
        ("一、本年新收政府信息公开 申请数量", "new"),
        ('3.危及"三安全一稳定"', "denied_safety"),
        ("四、结转下年度继续办理:", "carried_forward"),
    ],
)
def test_punctuation_and_spaces_do_not_matter(text: str, key: str) -> None:
    got = matcher("2021", "t3").match(text)
    assert got is not None and (got.key, got.alien) == (key, False)


def test_column_label_with_a_stray_space() -> None:
    cols = dict(column_cores("2021", "t3", "new"))
    assert cols[core("社会公益 组织")[0]] == "public_interest"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("（一）予以公幵", "granted"),  # one character of four wrong: its enumerator decides
        ("(二)部分公幵", "partial"),
        ("2.重复申情", "rejected_duplicate"),
        ("2.其他法律行政法规禁止公幵", "denied_law"),
        ("5.要求行政机关确认或重新出具己获取信息", "rejected_confirmation"),
    ],
)
def test_misspelled_label_matches_its_row(text: str, key: str) -> None:
    got = matcher("2021", "t3").match(text)
    assert got is not None and got.key == key


def test_a_label_between_two_rows_matches_neither() -> None:
    """Half of 1.申请人无正当理由逾期不补正… and half of 2.申请人逾期未按收费通知…"""
    text = "申请人无正当理由逾期知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    assert matcher("2021", "t3").match(text) is None


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_no_single_typo_matches_another_row(version: str) -> None:
    """Every label with one character replaced, dropped or doubled: its own row or none."""
    wrong = []
    for table in VERSIONS[version].tables:
        if table.key == "t4":
            continue
        m = matcher(version, table.key)
        for row in table.rows:
            for label in row.labels:
                for i, ch in enumerate(label):
                    if not "\u4e00" <= ch <= "\u9fff":
                        continue
                    for typo in (label[:i] + "甲" + label[i + 1 :], label[:i] + label[i + 1 :]):
                        got = m.match(typo)
                        if got is not None and got.key != row.key:
                            wrong.append((typo, got.key, row.key))
    assert wrong == []
