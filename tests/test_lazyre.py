"""A lazily compiled pattern answers as the compiled one does, and is compiled only
when first used."""

from __future__ import annotations

import re

from xxgk.lazyre import Lazy


def test_a_lazy_pattern_is_compiled_on_first_use_and_answers_as_re() -> None:
    text = "本年新收 12 件，办结 10 件"
    lazy = Lazy(r"(\d+)\s*件")
    assert lazy._compiled is None
    eager = re.compile(r"(\d+)\s*件")
    assert lazy.findall(text) == eager.findall(text) == ["12", "10"]
    assert lazy._compiled is not None
    m, n = lazy.search(text), eager.search(text)
    assert m is not None and n is not None and m.span() == n.span()
    assert lazy.match(text) is None and lazy.match(text, 5) is not None
    assert [x.group(1) for x in lazy.finditer(text)] == ["12", "10"]
    assert lazy.sub("N", text) == eager.sub("N", text)
