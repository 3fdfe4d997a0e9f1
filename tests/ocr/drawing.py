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


def _page(dpi: int, width_mm: float, height_mm: float) -> tuple[Image.Image, Any, Any, float]:
    mm = dpi / 25.4
    img = Image.new("RGB", (round(width_mm * mm), round(height_mm * mm)), "white")
    font = ImageFont.truetype(font_path(), round(3.7 * mm))
    return img, ImageDraw.Draw(img), font, mm


def boxed_frame_image(dpi: int = 200) -> Drawn:
    """A frame with a ruled box inside it, the box hung from the top border by a ruling:
    the unruled space around the box is one ring of grid positions, no rectangle (the
    shape a scan's broken rulings made, on which the grid once failed).  Texts: "21" in
    the box, "说明" in the frame's left part, "附注" right of the hanging ruling."""
    img, draw, font, mm = _page(dpi, 134, 75)
    x = [round(v * mm) for v in (10, 50, 90, 124)]
    y = [round(v * mm) for v in (15, 30, 45, 60)]
    stroke = max(1, round(dpi / 150))
    draw.rectangle((x[0], y[0], x[3], y[3]), outline="black", width=stroke)
    draw.rectangle((x[1], y[1], x[2], y[2]), outline="black", width=stroke)
    draw.line([(x[1], y[0]), (x[1], y[1])], fill="black", width=stroke)
    boxes = {(1, 1): (x[1], y[1], x[2], y[2])}

    def text(cx: float, cy: float, s: str) -> None:
        draw.text((cx, cy), s, font=font, fill="black", anchor="mm")

    text((x[1] + x[2]) / 2, (y[1] + y[2]) / 2, "21")
    text((x[0] + x[1]) / 2, (y[0] + y[3]) / 2, "说明")
    text((x[1] + x[3]) / 2, (y[0] + y[1]) / 2, "附注")
    return Drawn(img, dpi, boxes)


def pieces_image(dpi: int = 200) -> Drawn:
    """One ruled row of three cells: "3" over "5" (a number wrapped in a narrow cell),
    "0" with a lone "4" far right of it on the same line (which is the number?), "7"."""
    img, draw, font, mm = _page(dpi, 134, 50)
    x = [round(v * mm) for v in (10, 22, 112, 124)]
    y = [round(v * mm) for v in (10, 38)]
    stroke = max(1, round(dpi / 150))
    draw.rectangle((x[0], y[0], x[3], y[1]), outline="black", width=stroke)
    for v in x[1:3]:
        draw.line([(v, y[0]), (v, y[1])], fill="black", width=stroke)
    boxes = {(0, c): (x[c], y[0], x[c + 1], y[1]) for c in range(3)}
    cy = (y[0] + y[1]) / 2
    draw.text(((x[0] + x[1]) / 2, cy - 4 * mm), "3", font=font, fill="black", anchor="mm")
    draw.text(((x[0] + x[1]) / 2, cy + 4 * mm), "5", font=font, fill="black", anchor="mm")
    draw.text((x[1] + 3 * mm, cy), "0", font=font, fill="black", anchor="lm")
    draw.text((x[2] - 3 * mm, cy), "4", font=font, fill="black", anchor="rm")
    draw.text(((x[2] + x[3]) / 2, cy), "7", font=font, fill="black", anchor="mm")
    return Drawn(img, dpi, boxes)


def ruled_sparse_image(dpi: int = 200) -> Drawn:
    """A page of thin rulings and little text (one digit per row, a short label): a
    table continued on its own page, many narrow columns mostly blank."""
    img, draw, font, mm = _page(dpi, 180, 240)
    xs = [round(v * mm) for v in (15, 60, 80, 95, 110, 125, 140, 155, 170)]
    ys = [round((20 + 30 * i) * mm) for i in range(8)]
    for v in xs:
        draw.line([(v, ys[0]), (v, ys[-1])], fill="black", width=1)
    for v in ys:
        draw.line([(xs[0], v), (xs[-1], v)], fill="black", width=1)
    boxes: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for r in range(len(ys) - 1):
        cy = (ys[r] + ys[r + 1]) / 2
        draw.text((xs[0] + 3 * mm, cy), f"{r + 1}.情形", font=font, fill="black", anchor="lm")
        for c in (1, len(xs) - 2):
            boxes[(r, c)] = (xs[c], ys[r], xs[c + 1], ys[r + 1])
            draw.text(
                ((xs[c] + xs[c + 1]) / 2, cy), str(r % 10), font=font, fill="black", anchor="mm"
            )
    return Drawn(img, dpi, boxes)


def noisy(img: Image.Image, sigma: float, seed: int = 7) -> Image.Image:
    """Grey Gaussian noise of σ ``sigma`` over the page (a scanner's sensor)."""
    import numpy as np

    arr = np.asarray(img, dtype=np.float32)
    grain = np.random.default_rng(seed).normal(0.0, sigma, size=arr.shape[:2])
    return Image.fromarray(np.clip(np.rint(arr + grain[:, :, None]), 0, 255).astype(np.uint8))


def lost_ruling_image(dpi: int = 200) -> Drawn:
    """Two rows, labels "甲" and "乙" and their numbers 3 and 10, the ruling between the
    rows missing in the number column (lost in a scan): one cell over two rows."""
    img, draw, font, mm = _page(dpi, 80, 45)
    x = [round(v * mm) for v in (10, 40, 70)]
    y = [round(v * mm) for v in (10, 20, 30)]
    stroke = max(1, round(dpi / 150))
    draw.rectangle((x[0], y[0], x[2], y[2]), outline="black", width=stroke)
    draw.line([(x[1], y[0]), (x[1], y[2])], fill="black", width=stroke)
    draw.line([(x[0], y[1]), (x[1], y[1])], fill="black", width=stroke)
    for r, (label, number) in enumerate((("甲", "3"), ("乙", "10"))):
        cy = (y[r] + y[r + 1]) / 2
        draw.text(((x[0] + x[1]) / 2, cy), label, font=font, fill="black", anchor="mm")
        draw.text((x[1] + 4 * mm, cy), number, font=font, fill="black", anchor="lm")
    return Drawn(img, dpi, {})
