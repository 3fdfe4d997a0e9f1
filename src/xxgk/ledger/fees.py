"""信息处理费 (国办函〔2020〕109号): per piece or per volume, 超额累进, one method per
application (art. 3).

- 按件计收 (art. 4): by the applicant's cumulative applications in one natural month:
  1–10 free, 11–30 at 100 元/件, then bands of 10 applications, each band 100 元/件 more
  (31–40 at 200, 41–50 at 300, …; spec FEE-001).
- 按量计收 (art. 5): by the pages of one application: 1–30 free, 31–100 at 10 元/页,
  101–200 at 20 元/页, 201 and above at 40 元/页 (spec FEE-002).

Worked examples (spec §4): 35 applications in a month → 20×100 + 5×200 = 3,000 元; 150
pages → 70×10 + 50×20 = 1,700 元 (the spec prints the sum as 1,200 元, an addition slip:
its own bands and FEE-002 give 1,700).
"""

from __future__ import annotations

from dataclasses import dataclass

PER_PIECE = "per_piece"
PER_VOLUME = "per_volume"
METHODS = {PER_PIECE: "按件计收", PER_VOLUME: "按量计收"}


class FeeError(ValueError):
    pass


@dataclass(frozen=True)
class Band:
    first: int
    last: int | None  # None: open-ended
    rate: int  # 元 per unit
    units: int  # units charged in this band

    @property
    def amount(self) -> int:
        return self.rate * self.units


@dataclass(frozen=True)
class Fee:
    method: str
    count: int
    amount: int  # 元
    bands: tuple[Band, ...]
    explanation: str

    def contract_dict(self) -> dict[str, object]:
        return {"fee": self.amount, "method": self.method, "explanation": self.explanation}


def _piece_bands(n: int) -> list[tuple[int, int | None, int]]:
    bands: list[tuple[int, int | None, int]] = [(1, 10, 0), (11, 30, 100)]
    k = 1
    while 30 + 10 * (k - 1) < n:
        bands.append((21 + 10 * k, 30 + 10 * k, 100 + 100 * k))
        k += 1
    return bands


VOLUME_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


def _charge(method: str, n: int, bands: list[tuple[int, int | None, int]], unit: str) -> Fee:
    if n < 0:
        raise FeeError(f"数量不能为负数：{n}")
    out: list[Band] = []
    for first, last, rate in bands:
        top = n if last is None else min(n, last)
        units = max(0, top - first + 1)
        out.append(Band(first, last, rate, units))
    amount = sum(b.amount for b in out)
    what = "同一申请人同一自然月累计申请" if method == PER_PIECE else "本件申请"
    parts = []
    for b in out:
        if b.units == 0:
            continue
        top = b.last if b.last is not None and b.last <= n else n
        span = f"第 {b.first} {unit}" if top == b.first else f"{b.first}–{top} {unit}"
        parts.append(
            f"{span}免收" if b.rate == 0 else f"{span} {b.units}{unit}×{b.rate} 元={b.amount} 元"
        )
    body = "；".join(parts) if parts else "无"
    explanation = (
        f"{METHODS[method]}（国办函〔2020〕109号，超额累进）：{what} {n} {unit}；{body}；"
        f"合计 {amount} 元"
    )
    return Fee(method, n, amount, tuple(out), explanation)


def per_piece(count: int) -> Fee:
    """The cumulative fee for ``count`` applications of one applicant in one natural month."""
    return _charge(PER_PIECE, count, _piece_bands(count), "件")


def per_volume(pages: int) -> Fee:
    """The fee for one application of ``pages`` pages."""
    return _charge(PER_VOLUME, pages, list(VOLUME_BANDS), "页")


def piece_increment(nth: int) -> int:
    """What the ``nth`` application of the month adds (the fee falls on the application
    that crosses each band)."""
    if nth < 1:
        raise FeeError(f"当月第几件申请应为正整数：{nth}")
    return per_piece(nth).amount - per_piece(nth - 1).amount


def fee_for(method: str, *, count: int | None = None, pages: int | None = None) -> Fee:
    """One method per application (art. 3): exactly one of ``count``/``pages``."""
    if method == PER_PIECE and count is not None and pages is None:
        return per_piece(count)
    if method == PER_VOLUME and pages is not None and count is None:
        return per_volume(pages)
    raise FeeError("同一件申请只能选择按件计收或按量计收中的一种（国办函〔2020〕109号第三条）")
