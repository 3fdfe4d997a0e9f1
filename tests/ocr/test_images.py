"""Page images read by OCR: a ruled table drawn in the test, at several resolutions,
turned, stamped with a red seal, JPEG-compressed, with faint lines, in a TIFF."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from xxgk.ocr import digits, read_image
from xxgk.readers import ReadError, read_bytes
from xxgk.readers.document import Document, Table

from .drawing import ROWS, encoded, expected_rows, rotated, sealed, table_image


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def only_table(doc: Document) -> Table:
    tables = doc.tables()
    assert len(tables) == 1, [texts(t) for t in tables]
    return tables[0]


@pytest.mark.parametrize(
    ("dpi", "degrees", "fmt"),
    [(150, 0.0, "PNG"), (300, 3.0, "PNG"), (200, -2.5, "JPEG"), (600, 2.0, "JPEG")],
    ids=["150dpi", "300dpi-turned-3", "200dpi-turned-2.5-jpeg", "600dpi-turned-2-jpeg"],
)
def test_table_cells_read_exactly(dpi: int, degrees: float, fmt: str) -> None:
    drawn = table_image(dpi)
    img = rotated(drawn, degrees) if degrees else drawn.image
    options = {"quality": 60} if fmt == "JPEG" else {}
    doc = read_bytes(encoded(img, fmt, dpi, **options), f"scan.{fmt.lower()}")
    assert doc.kind == "image" and doc.pages == 1
    table = only_table(doc)
    assert texts(table) == expected_rows()
    assert table.grid
    # merged cells: the title over every column, each group label over two rows
    title = table.rows[0]
    assert title[0].colspan == 5 and not title[0].merged and all(c.merged for c in title[1:])
    assert table.rows[2][0].rowspan == 2 and table.rows[3][0].merged
    assert not any(c.where.alts is not None for row in table.rows for c in row)
    assert [p.text for p in doc.paragraphs()] == ["二、收到和处理政府信息公开申请情况"]


def test_provenance_is_the_page_and_the_pixel_box() -> None:
    drawn = table_image(300)
    table = only_table(read_image(encoded(drawn.image, "PNG", 300), "scan.png"))
    for (r, c), box in drawn.boxes.items():
        where = table.rows[r][c].where
        assert where.page == 1 and where.row == r and where.col == c and where.table == 0
        assert where.pixels is not None
        assert all(abs(a - b) <= 8 for a, b in zip(where.pixels, box, strict=True)), (r, c)
        assert where.bbox is None  # an image has no PDF page
    assert table.rows[2][2].where.conf == 1.0


def test_faint_grey_lines_still_make_the_grid() -> None:
    drawn = table_image(200, line=195)
    assert texts(only_table(read_image(encoded(drawn.image, "PNG", 200), "faint.png"))) == (
        expected_rows()
    )


def test_red_seal_over_digits_is_taken_out_and_no_digit_is_silently_wrong() -> None:
    drawn = table_image(200)
    img = sealed(drawn, (4, 2))  # over 予以公开 · 自然人 (105) and its neighbours
    table = only_table(read_image(encoded(img, "JPEG", 200, quality=40), "sealed.jpg"))
    want = expected_rows()
    got = texts(table)
    assert got[:2] == want[:2]
    for r in range(2, len(want)):
        assert got[r][:2] == want[r][:2]  # the labels: no seal text in them
        for c in range(2, 5):
            cell = table.rows[r][c]
            # a digit under the seal is read, or carries its doubt: never silently wrong
            assert cell.text == want[r][c] or cell.where.alts is not None, (r, c, cell.text)
    assert not any("政府" in c.text for row in table.rows for c in row)


def test_a_digit_partly_lost_is_doubtful_with_its_candidates() -> None:
    rows = [["申请", "本年新收", "9", "2", "11"], *ROWS[1:]]
    drawn = table_image(200, rows=rows)
    img = drawn.image.copy()
    x0, y0, x1, y1 = drawn.boxes[(2, 2)]
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    ImageDraw.Draw(img).rectangle((cx - 9, cy - 15, cx - 2, cy + 15), fill="white")  # 9's left
    cell = only_table(read_image(encoded(img, "PNG", 200), "lost.png")).rows[2][2]
    assert cell.where.conf is not None and cell.where.conf < digits.MIN_CONF
    assert cell.where.alts is not None and "9" in cell.where.alts, cell.where.alts


def test_every_page_of_a_tiff() -> None:
    first, second = table_image(200), table_image(200, rows=[list(r) for r in reversed(ROWS)])
    buf = io.BytesIO()
    first.image.save(buf, "TIFF", save_all=True, append_images=[second.image], dpi=(200, 200))
    doc = read_bytes(buf.getvalue(), "scan.tif")
    assert doc.pages == 2
    tables = doc.tables()
    assert [t.where.page for t in tables] == [1, 2]
    assert texts(tables[1])[2:] == [list(r) for r in reversed(ROWS)]


def test_a_blank_image_and_a_broken_one_are_clear_errors() -> None:
    blank = encoded(Image.new("RGB", (800, 1100), "white"), "PNG", 100)
    with pytest.raises(ReadError) as info:
        read_bytes(blank, "blank.png")
    assert info.value.source == "blank.png" and "没有识别出文字" in info.value.problem
    with pytest.raises(ReadError) as info:
        read_bytes(blank[:200], "cut.png")
    assert "图片" in info.value.problem
