"""TXT-005 against the list of real statute names (xxgk.format.statutes)."""

from __future__ import annotations

import pytest

from xxgk.checks.txt import misspelling
from xxgk.format.statutes import DISCLOSURE, LAWS, PRC, REGULATIONS, core, is_statute

ALL = sorted(set(LAWS) | set(REGULATIONS))


def test_the_list_is_large_and_has_no_prefixed_or_padded_names() -> None:
    assert len(ALL) >= 300
    for name in ALL:
        assert name == "".join(name.split()) and not name.startswith(PRC), name
    assert all(is_statute(n) for n in DISCLOSURE)


@pytest.mark.parametrize("name", ALL)
def test_a_real_name_is_never_a_misspelling(name: str) -> None:
    assert misspelling(name) is None
    assert misspelling(PRC + name) is None


def test_prefix_and_edition_notes_are_ignored() -> None:
    assert is_statute("中华人民共和国刑法") and is_statute("刑法")
    assert is_statute("中华人民共和国政府信息公开条例（2019年修订）")
    assert is_statute("中国共产党党务公开条例（试行）")
    assert core(" 中华人民共和国 档案法 ") == "档案法"
    assert not is_statute("中华人民共和国政府信息公开法")


@pytest.mark.parametrize("known", [k for k in DISCLOSURE if len(k) >= 5])
def test_one_wrong_or_swapped_character_in_a_disclosure_statute_is_found(known: str) -> None:
    for i in range(1, len(known)):
        wrong = known[:i] + "甲" + known[i + 1 :]
        swapped = known[: i - 1] + known[i] + known[i - 1] + known[i + 1 :]
        for bad in (wrong, swapped):
            if bad == known or is_statute(bad):
                continue
            assert misspelling(bad) == known, bad
            assert misspelling(PRC + bad) == PRC + known, bad


@pytest.mark.parametrize(
    ("name", "fixed"),
    [
        ("中华人系共和国政府信息公开条例", "中华人民共和国政府信息公开条例"),
        ("中华人民共各国档案法", "中华人民共和国档案法"),
        ("中华人民共和囯刑法", "中华人民共和国刑法"),
    ],
)
def test_a_misspelt_prefix_is_found_on_any_real_name(name: str, fixed: str) -> None:
    assert misspelling(name) == fixed


@pytest.mark.parametrize(
    "name",
    ["习近平谈治国理政", "政府信息公开工作年度报告", "某某市政务公开工作要点", "档案管理办法"],
)
def test_names_of_other_documents_are_left_alone(name: str) -> None:
    assert misspelling(name) is None
