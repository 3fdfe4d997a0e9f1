"""Pages that once went wrong: a grid with a ring of unruled space around a ruled box,
a page of thin rulings and little text turned 1.8°, a grainy scan (faint rulings too),
digits in several pieces in one cell (wrapped, apart, two rows whose ruling was lost),
a page whose reading fails unexpectedly; folders of page images."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from xxgk.ocr import digits, image, layout, read_image
from xxgk.readers import ReadError, read, read_bytes
from xxgk.readers.document import Table

from .drawing import (
    ROWS,
    boxed_frame_image,
    encoded,
    expected_rows,
    lost_ruling_image,
    noisy,
    pieces_image,
    rotated,
    ruled_sparse_image,
    table_image,
)


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def test_a_ruled_box_inside_an_unruled_ring_is_its_own_cell() -> None:
    drawn = boxed_frame_image(200)
    tables = read_image(encoded(drawn.image, "PNG", 200), "box.png").tables()
    assert len(tables) == 1
    table = tables[0]
    assert len(table.rows) == 3 and len(table.rows[0]) == 3
    box = table.rows[1][1]
    assert box.text == "21" and box.rowspan == 1 and box.colspan == 1 and not box.merged
    assert box.where.conf == 1.0
    assert box.where.pixels is not None
    assert all(abs(a - b) <= 8 for a, b in zip(box.where.pixels, drawn.boxes[(1, 1)], strict=True))
    # the ring is cut into rectangles along its rulings: the left part over all rows,
    # the top right part over two columns; no text lands in the box or twice
    left = table.rows[0][0]
    assert left.text == "说明" and left.rowspan == 3 and table.rows[2][0].merged
    assert table.rows[0][1].text == "附注" and table.rows[0][1].colspan == 2
    everything = [c.text for row in table.rows for c in row if not c.merged and c.text]
    assert sorted(everything) == sorted(["21", "说明", "附注"])


def test_thin_rulings_with_little_text_are_straightened_and_read() -> None:
    # (the skew once came out 0° here: thin rulings vanished from the shrunk page)
    drawn = ruled_sparse_image(200)
    turned = rotated(drawn, 1.8).resize(drawn.image.size)  # a scanner's skew
    gray = image.without_red(np.asarray(turned))
    assert image.skew(gray) == pytest.approx(-1.8, abs=0.1)
    table = read_image(encoded(turned, "PNG", 200), "turned.png").tables()[0]
    got = texts(table)
    assert len(got) == 7 and all(len(row) == 8 for row in got)
    for r, row in enumerate(got):
        assert row[0] == f"{r + 1}.情形"
        assert row[1] == row[-1] == str(r % 10), (r, row)
        assert row[2:-1] == [""] * 5


def test_grain_is_measured_and_a_grainy_scan_reads_like_a_clean_one() -> None:
    drawn = table_image(200)
    clean = image.without_red(np.asarray(drawn.image))
    grainy = noisy(drawn.image, 20.0)
    assert (
        image.noise_level(clean)
        < 0.5
        < image.NOISY
        < image.noise_level(image.without_red(np.asarray(grainy)))
    )
    doc = read_bytes(encoded(grainy, "JPEG", 200, quality=90), "grainy.jpg")
    table = doc.tables()[0]
    assert texts(table) == expected_rows()
    assert not any(c.where.alts is not None for row in table.rows for c in row)
    assert [p.text for p in doc.paragraphs()] == ["二、收到和处理政府信息公开申请情况"]


def test_grain_does_not_cost_the_faint_rulings() -> None:
    grainy = noisy(table_image(200, line=195).image, 20.0, seed=11)
    table = read_image(encoded(grainy, "PNG", 200), "faint-grainy.png").tables()[0]
    assert texts(table) == expected_rows()


def test_digits_in_pieces_are_one_number_only_when_wrapped() -> None:
    drawn = pieces_image(200)
    row = read_image(encoded(drawn.image, "PNG", 200), "pieces.png").tables()[0].rows[0]
    wrapped, apart, single = row
    assert wrapped.text == "35" and wrapped.where.conf == 1.0 and wrapped.where.alts is None
    # "0" and a "4" far apart in one cell: no reading says which is the number
    assert apart.where.conf is not None and apart.where.conf < digits.MIN_CONF
    assert apart.where.alts is not None and {"0", "4"} <= set(apart.where.alts)
    assert "04" not in apart.where.alts
    assert single.text == "7" and single.where.alts is None


def test_an_unforeseen_failure_on_one_page_is_a_note_and_on_all_a_read_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = table_image(150), table_image(150)
    buf = io.BytesIO()
    first.image.save(buf, "TIFF", save_all=True, append_images=[second.image], dpi=(150, 150))
    real = layout.grids
    calls = {"n": 0}

    def second_fails(h: object, v: object) -> list[layout.Grid]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ValueError("min() arg is an empty sequence")
        return real(h, v)

    monkeypatch.setattr(layout, "grids", second_fails)
    doc = read_bytes(buf.getvalue(), "two.tif")
    assert [t.where.page for t in doc.tables()] == [1]
    assert texts(doc.tables()[0]) == expected_rows()
    assert "第 2 页识别时出错，未读取" in doc.meta["note"]

    def always_fails(h: object, v: object) -> list[layout.Grid]:
        raise ValueError("min() arg is an empty sequence")

    monkeypatch.setattr(layout, "grids", always_fails)
    with pytest.raises(ReadError) as info:
        read_bytes(encoded(Image.new("RGB", (400, 300), "white"), "PNG", 150), "one.png")
    assert info.value.source == "one.png" and "识别时出错" in info.value.problem


def test_a_folder_of_page_images_is_one_report_in_the_order_of_the_names(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "扫描件"
    folder.mkdir()
    second = table_image(150, rows=[list(r) for r in reversed(ROWS)])
    (folder / "page10.png").write_bytes(encoded(second.image, "PNG", 150))
    (folder / "page2.jpg").write_bytes(encoded(table_image(150).image, "JPEG", 150, quality=80))
    (folder / "Thumbs.db").write_bytes(b"\x00" * 16)  # a scanner's leftovers do not count
    doc = read(folder)
    assert doc.source == str(folder) and doc.kind == "image" and doc.pages == 2
    tables = doc.tables()
    assert [t.where.page for t in tables] == [1, 2]
    assert texts(tables[0]) == expected_rows()  # page2 before page10
    assert texts(tables[1])[2:] == [list(r) for r in reversed(ROWS)]
    assert "目录中 2 个图片文件" in doc.meta["note"]


def test_a_folder_with_anything_but_page_images_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "page1.png").write_bytes(encoded(table_image(150).image, "PNG", 150))
    (tmp_path / "说明.txt").write_text("扫描件", encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read(tmp_path)
    assert info.value.source == str(tmp_path) and "只有全部是扫描页图片" in info.value.problem
    (tmp_path / "empty").mkdir()
    with pytest.raises(ReadError) as info:
        read(tmp_path / "empty")
    assert "只有全部是扫描页图片" in info.value.problem


def test_numbers_of_two_rows_whose_ruling_was_lost_are_no_wrapped_number() -> None:
    drawn = lost_ruling_image(200)
    rows = read_image(encoded(drawn.image, "PNG", 200), "lost.png").tables()[0].rows
    assert [c.text for c in (rows[0][0], rows[1][0])] == ["甲", "乙"]
    cell = rows[0][1]
    assert cell.rowspan == 2 and rows[1][1].merged
    # not 310: which line is whose row the image no longer says
    assert cell.where.alts is not None and {"3", "10"} <= set(cell.where.alts)
    assert cell.where.conf is not None and cell.where.conf < digits.MIN_CONF
