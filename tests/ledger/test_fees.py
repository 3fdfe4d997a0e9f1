"""信息处理费 (国办函〔2020〕109号): both schedules and the spec's worked examples."""

from __future__ import annotations

import pytest

from xxgk.ledger.fees import FeeError, fee_for, per_piece, per_volume, piece_increment


def test_per_piece_worked_example_35_in_a_month() -> None:
    fee = per_piece(35)
    assert fee.amount == 3000  # 20×100 + 5×200
    assert "11–30 件 20件×100 元=2000 元" in fee.explanation
    assert "31–35 件 5件×200 元=1000 元" in fee.explanation


@pytest.mark.parametrize(
    ("n", "amount"), [(0, 0), (10, 0), (11, 100), (30, 2000), (40, 4000), (41, 4300), (55, 9000)]
)
def test_per_piece_bands(n: int, amount: int) -> None:
    assert per_piece(n).amount == amount


def test_per_volume_worked_example_150_pages() -> None:
    # spec §4: "70×10 + 50×20"; that sum is 1,700 元 (the spec prints 1,200, a slip)
    fee = per_volume(150)
    assert fee.amount == 70 * 10 + 50 * 20 == 1700
    assert "31–100 页 70页×10 元=700 元" in fee.explanation


@pytest.mark.parametrize(("p", "amount"), [(30, 0), (31, 10), (100, 700), (200, 2700), (201, 2740)])
def test_per_volume_bands(p: int, amount: int) -> None:
    assert per_volume(p).amount == amount


def test_increment_falls_on_the_crossing_application() -> None:
    assert [piece_increment(k) for k in (1, 10, 11, 30, 31, 41)] == [0, 0, 100, 100, 200, 300]
    assert sum(piece_increment(k) for k in range(1, 36)) == 3000


def test_one_method_per_application() -> None:
    with pytest.raises(FeeError, match="只能选择"):
        fee_for("per_piece", count=3, pages=40)
    with pytest.raises(FeeError, match="不能为负数"):
        per_volume(-1)
