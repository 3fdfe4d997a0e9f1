"""The text-layer measure's lookup table agrees with its per-character definition.

``xxgk.ocr.textlayer.measure`` (asked of every PDF page) classifies characters through
a table built once; ``_common``/``_broken`` are the definitions it must agree with.
"""

from __future__ import annotations

import random

from xxgk.ocr import textlayer


def _by_definition(texts: list[str]) -> tuple[int, float, float, float, float, float]:
    squeezed = "".join("".join(texts).split())
    sample = squeezed[:: max(1, len(squeezed) // textlayer.SAMPLE)]
    n = broken = uncommon = latin = cjk = frequent = 0
    for ch in sample:
        n += 1
        if textlayer._broken(ch):
            broken += 1
            uncommon += 1
            continue
        uncommon += not textlayer._common(ch)
        if ord(ch) < 0x80 and not ch.isdigit():
            latin += 1
        elif 0x4E00 <= ord(ch) <= 0x9FFF:
            cjk += 1
            frequent += ch in textlayer._FREQUENT
    if not n:
        return (0, 0.0, 0.0, 0.0, 0.0, 1.0)
    return (n, broken / n, uncommon / n, latin / n, cjk / n, frequent / max(cjk, 1))


def _as_tuple(m: textlayer.Measure) -> tuple[int, float, float, float, float, float]:
    return (m.chars, m.broken, m.uncommon, m.latin, m.cjk, m.frequent)


def test_the_table_classifies_every_character_of_the_basic_plane_as_defined() -> None:
    table = textlayer._classes()
    for o in range(0x21, 0x10000):
        ch = chr(o)
        if 0xD800 <= o <= 0xDFFF or ch.isspace():
            continue
        assert (ch in table) == (textlayer._common(ch) and not textlayer._broken(ch)), hex(o)


def test_measure_equals_its_definition_on_mixed_text() -> None:
    rng = random.Random(3)
    pools = [
        "".join(map(chr, range(0x20, 0x80))),
        "".join(map(chr, range(0x4E00, 0x5000))),
        "".join(sorted(textlayer._FREQUENT)),
        "\ue000\ue123\ufffd\x01\x7f\x85\U000f0001\U00020000",
        "“”—…●\u00a0（），。：；０１２ＡＢ鿿鿮",
        "ĀāБбαβ \t\n\u3000",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 500)))
        parts = [text[: len(text) // 3], text[len(text) // 3 :]]
        assert _as_tuple(textlayer.measure(parts)) == _by_definition(parts), text


def test_a_page_of_report_text_is_usable_and_private_use_glyphs_are_not() -> None:
    page = "本机关2023年主动公开政府信息128条，收到政府信息公开申请36件，全部按期答复。" * 5
    assert not textlayer.unusable([page])
    assert textlayer.unusable(["".join(chr(0xE000 + i % 300) for i in range(200))])


def test_traditional_script_is_text_and_ideographs_at_random_are_not() -> None:
    """A report in traditional characters (typed so, or converted) is its own text, its
    table's labels and its lines judged each alone; the same count of ideographs taken
    at random is garbage."""
    opencc = __import__("pytest").importorskip("opencc")
    to_traditional = opencc.OpenCC("s2t").convert
    labels = [
        "本年新收政府信息公开申请数量",
        "其中：主动公开规范性文件数",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "没有现成信息需要另行制作",
        "属于工商、不动产登记资料等信息查询",
        "以政府信息公开名义变相提出咨询、信访、举报等诉求",
        "本机关不掌握相关政府信息",
        "危及“三安全一稳定”",
    ]
    cells = [to_traditional(t) for t in labels]
    lines = [to_traditional("本机关坚持以公开为常态、不公开为例外，认真落实条例规定。") * 3]
    assert not textlayer.garbled_page(lines, cells)
    rng = random.Random(8)
    garbage = ["".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(len(t))) for t in cells]
    assert textlayer.garbled_page(lines, garbage)
