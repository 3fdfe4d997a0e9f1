"""Page images drawn for the OCR tests: a ruled table with Chinese labels and digits."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from xxgk.render.pdf import cjk_fonts

# a table as printed: the first row one title cell over every column (merged), a label
# cell spanning two rows on the left, a header, digits
HEADER = ["类别", "项目", "自然人", "商业企业", "总计"]
ROWS = [
    ["申请", "本年新收", "21", "3", "24"],
    ["申请", "上年结转", "0", "5", "5"],
    ["结果", "予以公开", "105", "0", "105"],
    ["结果", "不予公开", "7", "16", "23"],
]
TITLE = "申请人情况表"
XS_MM = [10, 30, 62, 84, 106, 124]  # column lines, millimetres from the left
ROW_MM = 9


@dataclass
class Drawn:
    image: Image.Image
    dpi: int
    boxes: dict[tuple[int, int], tuple[int, int, int, int]]  # (row, col) -> pixel box


def font_path() -> str:
    fonts = [f.split(":")[0] for f in cjk_fonts()]
    regular = [f for f in fonts if "Regular" in f and "Sans" in f] or fonts
    if not regular:
        pytest.skip("no Chinese font (make fonts installs fonts-noto-cjk)")
    return regular[0]


def table_image(dpi: int, line: int = 0, rows: list[list[str]] | None = None) -> Drawn:
    """The table drawn at ``dpi`` (black lines, or grey ``line`` 0-255) on a small page."""
    rows = rows or ROWS
    mm = dpi / 25.4
    width, height = round(134 * mm), round((15 + ROW_MM * (len(rows) + 2) + 20) * mm)
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(font_path(), round(3.7 * mm))  # 10.5 pt
    xs = [round(x * mm) for x in XS_MM]
    top = round(15 * mm)
    ys = [top + round(i * ROW_MM * mm) for i in range(len(rows) + 3)]
    stroke = max(1, round(dpi / 150))
    colour = (line, line, line)
    boxes: dict[tuple[int, int], tuple[int, int, int, int]] = {}

    def cell(r: int, c0: int, c1: int, r1: int, text: str) -> None:
        box = (xs[c0], ys[r], xs[c1], ys[r1])
        boxes[(r, c0)] = box
        tw = draw.textlength(text, font=font)
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        draw.text((cx - tw / 2, cy), text, font=font, fill="black", anchor="lm")

    # outer frame and the lines; the title row has no inner column lines, the label
    # column none between the two rows of a group
    for y in (ys[0], ys[1], ys[-1]):
        draw.line([(xs[0], y), (xs[-1], y)], fill=colour, width=stroke)
    for i in range(2, len(ys) - 1):
        x0 = xs[0] if (i - 2) % 2 == 0 else xs[1]
        draw.line([(x0, ys[i]), (xs[-1], ys[i])], fill=colour, width=stroke)
    for x in (xs[0], xs[-1]):
        draw.line([(x, ys[0]), (x, ys[-1])], fill=colour, width=stroke)
    for x in xs[1:-1]:
        draw.line([(x, ys[1]), (x, ys[-1])], fill=colour, width=stroke)
    cell(0, 0, len(xs) - 1, 1, TITLE)
    for c, text in enumerate(HEADER):
        cell(1, c, c + 1, 2, text)
    for i, row in enumerate(rows):
        r = i + 2
        if i % 2 == 0:
            cell(r, 0, 1, r + 2, row[0])
        for c in range(1, len(row)):
            cell(r, c, c + 1, r + 1, row[c])
    draw.text((xs[0], round(6 * mm)), "二、收到和处理政府信息公开申请情况", font=font, fill="black")
    return Drawn(img, dpi, boxes)


def expected_rows(rows: list[list[str]] | None = None) -> list[list[str]]:
    rows = rows or ROWS
    return [[TITLE] * 5, HEADER, *[list(r) for r in rows]]


def rotated(drawn: Drawn, degrees: float) -> Image.Image:
    return drawn.image.rotate(
        degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white"
    )


def sealed(drawn: Drawn, over: tuple[int, int]) -> Image.Image:
    """A red seal (ring, star, text) stamped over the cell ``over``: red ink over the
    print (multiplied: black stays black, white turns red)."""
    img = drawn.image.copy()
    x0, y0, x1, y1 = drawn.boxes[over]
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    r = round(drawn.dpi * 0.8)
    layer = Image.new("RGB", img.size, "white")
    d = ImageDraw.Draw(layer)
    red = (225, 40, 50)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=max(3, r // 12))
    font = ImageFont.truetype(font_path(), r // 4)
    d.text((cx, cy - r // 2), "某某县人民政府", font=font, fill=red, anchor="mm")
    d.regular_polygon((cx, cy, r // 4), 5, fill=red)
    return ImageChops.multiply(img, layer)


def smudged(drawn: Drawn, at: tuple[int, int]) -> Image.Image:
    """A grey stain over the digits of cell ``at``."""
    img = drawn.image.copy()
    x0, y0, x1, y1 = drawn.boxes[at]
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    h = (y1 - y0) // 3
    stain = Image.new("L", img.size, 0)
    ImageDraw.Draw(stain).ellipse([cx - h, cy - h, cx + h // 3, cy], fill=150)
    stain = stain.filter(ImageFilter.GaussianBlur(h / 4))
    grey = Image.new("RGB", img.size, (90, 90, 90))
    return Image.composite(grey, img, stain)


def encoded(img: Image.Image, fmt: str, dpi: int, **options: Any) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, dpi=(dpi, dpi), **options)
    return buf.getvalue()
