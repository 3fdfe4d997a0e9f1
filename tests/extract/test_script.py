"""Traditional script told on short pages (mirror sites convert whole pages s→t)."""

from __future__ import annotations

from functools import cache

import opencc
import pytest

from tests.samples import sample
from xxgk.extract import extract
from xxgk.extract.script import is_traditional
from xxgk.readers.text import parse_text
from xxgk.render.text import LAYOUTS, render_text


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def _windows(text: str, size: int) -> list[str]:
    """Excerpts of ``size`` characters from the start, the tables and the end."""
    step = max(size // 2, 1)
    return [text[i : i + size] for i in range(0, max(len(text) - size, 1), step)]


def _pages(version: str) -> list[str]:
    report = sample(version)
    return [render_text(report, layout) for layout in LAYOUTS]


@pytest.mark.parametrize("version", ["2021", "2019"])
@pytest.mark.parametrize("size", [400, 700, 1500])
def test_every_short_traditional_excerpt_is_told(version: str, size: int) -> None:
    for page in _pages(version):
        for window in _windows(_s2t().convert(page), size):
            doc = parse_text(window, "x.txt")
            assert is_traditional(doc), window[:80]


@pytest.mark.parametrize("version", ["2021", "2019"])
@pytest.mark.parametrize("size", [400, 700, 1500])
def test_simplified_excerpts_with_a_few_traditional_words_are_not(version: str, size: int) -> None:
    # names, quotations and a mirror's chrome bring a few traditional characters into
    # simplified text; they do not make the page traditional
    words = ("張國榮", "臺灣", "《說文解字》", "繁體中文", "開啟", "關於我們", "聯繫")
    for page in _pages(version):
        for n, window in enumerate(_windows(page, size)):
            cut = len(window) // 2
            injected = window[:cut] + "".join(words[: 2 + n % 5]) + window[cut:]
            assert not is_traditional(parse_text(window, "x.txt")), window[:80]
            assert not is_traditional(parse_text(injected, "x.txt")), injected[:80]


def test_a_traditional_excerpt_reads_like_its_simplified_original() -> None:
    page = render_text(sample("2019"), "pipes")
    cut = page[: page.index("三、")]
    trad = extract(parse_text(_s2t().convert(cut), "x.txt"))
    plain = extract(parse_text(cut, "x.txt"))
    assert trad.tables["t2"] == plain.tables["t2"]
    assert trad.agency == plain.agency
    assert any(a.kind == "traditional" for a in trad.anomalies)


def test_too_little_text_is_not_judged() -> None:
    assert not is_traditional(parse_text("規章 0 0 0", "x.txt"))
