"""How a numeric cell's readings become a number or a doubt (no model needed): specks
beside a number, several pieces in one cell, the recogniser's spaces in Chinese text."""

from __future__ import annotations

from xxgk.ocr import digits
from xxgk.ocr.engine import Char, Reading
from xxgk.ocr.page import tidy


def reading(*chars: tuple[str, float]) -> Reading:
    return Reading(tuple(Char(t, p) for t, p in chars))


def test_a_number_beside_unsure_specks_is_that_number_with_doubt() -> None:
    # grain read as characters around a 0 ("烧 0", "0 K"): the number without them
    for r in (reading(("烧", 0.41), (" ", 0.8), ("0", 0.99)), reading(("0", 0.99), ("K", 0.3))):
        clean = digits.speckled(r)
        assert clean is not None and digits.number_text(clean) == "0"
        assert digits.candidates(digits.edged(clean)) == ("0",)
    # a character read surely is a word, not a speck; nothing left is no number
    assert digits.speckled(reading(("3", 0.99), ("件", 0.98))) is None
    assert digits.speckled(reading(("无", 0.5))) is None
    assert digits.speckled(reading(("1", 0.99), ("2", 0.6))) is None  # nothing to drop


def test_pieces_of_one_cell_give_every_reading_never_a_glued_guess() -> None:
    zero, two = reading(("0", 0.99)), reading(("2", 0.99))
    assert digits.pieces_of_a_number([zero, two])
    assert digits.pieced_candidates([zero, two]) == ("0", "2")  # "02" is no number
    one, five = reading(("1", 0.99)), reading(("5", 0.99))
    assert digits.pieced_candidates([one, five])[:3] == ("15", "1", "5")
    # a piece the recogniser half saw ("N" for a 2) offers what it may be
    n = Reading((Char("N", 0.9, (("2", 0.07),)),))
    assert digits.pieced_candidates([n, reading(("6", 0.99))])[0] == "26"
    assert digits.pieces_of_a_number([reading(("设", 0.4)), zero])  # a speck beside 0
    assert not digits.pieces_of_a_number([reading(("合", 0.99), ("计", 0.99)), zero])
    assert not digits.pieces_of_a_number([reading(("-", 0.9)), reading(("/", 0.9))])


def test_the_recognisers_spaces_between_chinese_characters_are_dropped() -> None:
    assert tidy(" 一、 总体情况 ") == "一、总体情况"
    assert tidy("第二十条第 （一）项") == "第二十条第（一）项"
    assert tidy("2023 年 1 月") == "2023 年 1 月"  # beside digits as the PDF reader has it
    assert tidy("submit 首页") == "submit 首页"
