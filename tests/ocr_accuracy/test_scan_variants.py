"""The scan variants (xxgk.variety.scans): image-only, deterministic, at the declared dpi
and angle, the seal red and over the t3 digits, the rulings faint; and the scoring.

Made from page 3 of the real hzq-2023.pdf (t3's first half), one page per scan, so these
stay fast; ``make accuracy`` scans every page of every real report.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy", reason="the ocr extra (numpy) is not installed")

import pypdfium2 as pdfium  # noqa: E402
from PIL import Image  # noqa: E402

from tests.conftest import corpus_path  # noqa: E402
from xxgk import office  # noqa: E402
from xxgk.api import parse  # noqa: E402
from xxgk.variety import scans  # noqa: E402
from xxgk.variety.scan_matrix import code_diff, finding_diff, score  # noqa: E402

PAGE = 2  # 0-based: page 3 holds the top of t3
SEED = "test:hzq"


@pytest.fixture(scope="module")
def form() -> bytes:
    return corpus_path("real", "hzq-2023.pdf").read_bytes()


@pytest.fixture(scope="module")
def spot(form: bytes) -> scans.SealSpot:
    found = scans.seal_spot(form)
    assert found is not None
    return found


def _scan(
    form: bytes, name: str, spot: scans.SealSpot | None = None, page: int = PAGE
) -> scans.Scan:
    return scans.scan(form, scans.BY_NAME[name], SEED, spot, "淮安市洪泽区人民政府", [page])


def _pages(data: bytes) -> list[Image.Image]:
    doc = pdfium.PdfDocument(data)
    out = []
    for page in doc:
        (image,) = list(page.get_objects())  # one image, nothing else
        out.append(image.get_bitmap().to_pil().convert("RGB"))
    return out


def _gray(im: Image.Image) -> Any:
    return np.asarray(im.convert("L"), dtype=np.float32)


def test_every_real_report_with_a_page_form_is_a_source() -> None:
    real = corpus_path("real")
    names = {s.name for s in scans.sources(real)}
    assert names == {"hzq-2023.pdf", "shuyang-fgj-2023-word.docx", "shuyang-fgj-2023.html"}
    assert {v.name for v in scans.VARIANTS} >= {
        "plain-150",
        "plain-300",
        "rotate+2",
        "rotate-2",
        "noise",
        "jpeg",
        "seal",
        "faint-lines",
    }


@pytest.mark.parametrize("name", ["plain-150", "plain-300"])
def test_image_only_pdf_at_the_declared_dpi(form: bytes, name: str) -> None:
    dpi = scans.BY_NAME[name].dpi
    done = _scan(form, name)
    doc = pdfium.PdfDocument(done.data)
    assert len(doc) == 1
    page = doc[0]
    assert page.get_textpage().count_chars() == 0  # no text layer: only OCR can read it
    (image,) = list(page.get_objects())
    assert isinstance(image, pdfium.PdfImage)
    width_px, height_px = image.get_px_size()
    original = pdfium.PdfDocument(form)[PAGE].get_size()
    assert (width_px, height_px) == (done.pages[0].width, done.pages[0].height)
    assert width_px == pytest.approx(original[0] * dpi / 72, abs=1)
    assert height_px == pytest.approx(original[1] * dpi / 72, abs=1)
    # the page keeps the printed page's size: the image's dpi is the declared one
    assert page.get_size() == pytest.approx(original, abs=0.5)


def test_same_seed_same_bytes_another_seed_other_pixels(form: bytes) -> None:
    a = scans.scan(form, scans.BY_NAME["noise"], "s1", pages=[PAGE])
    b = scans.scan(form, scans.BY_NAME["noise"], "s1", pages=[PAGE])
    c = scans.scan(form, scans.BY_NAME["noise"], "s2", pages=[PAGE])
    assert a.data == b.data
    assert a.data != c.data


def _skew(im: Image.Image) -> float:
    """The angle (°, counter-clockwise) the page was turned by: the back-rotation that
    makes the dark rows of the page sharpest (table rulings and text lines)."""
    small = im.convert("L").resize((im.width // 2, im.height // 2))
    ink = Image.eval(small, lambda v: 255 if v < 128 else 0)
    best, best_score = 0.0, -1.0
    for tenth in range(-30, 31):
        back = ink.rotate(-tenth / 10, resample=Image.Resampling.BILINEAR)
        rows = np.asarray(back, dtype=np.float32).sum(axis=1)
        sharp = float((rows**2).sum())
        if sharp > best_score:
            best, best_score = tenth / 10, sharp
    return best


@pytest.mark.parametrize("name", ["rotate+2", "rotate-2"])
def test_each_page_is_turned_by_its_declared_angle(form: bytes, name: str) -> None:
    done = _scan(form, name)
    angle = done.pages[0].angle
    sign = 1 if name.endswith("+2") else -1
    assert 1.0 <= sign * angle <= 2.0
    (im,) = _pages(done.data)
    assert (im.width, im.height) == (done.pages[0].width, done.pages[0].height)
    assert _skew(im) == pytest.approx(angle, abs=0.15)
    unturned = replace(scans.BY_NAME[name], rotate=0.0)
    (plain,) = _pages(scans.scan(form, unturned, SEED, pages=[PAGE]).data)
    assert abs(_skew(plain)) <= 0.1


def test_turned_pages_are_the_page_form_turned_by_quarters(form: bytes) -> None:
    done = scans.scan(form, scans.BY_NAME["turned"], SEED)
    plain = scans.scan(form, replace(scans.BY_NAME["turned"], quarters=False), SEED)
    turns = []
    for im, ref in zip(_pages(done.data), _pages(plain.data), strict=True):
        found = [
            q
            for q in (1, 2, 3)
            if im.size == ref.rotate(90 * q, expand=True).size
            and (np.abs(_gray(im) - _gray(ref.rotate(90 * q, expand=True))).mean() < 1.0)
        ]
        assert len(found) == 1
        turns.append(found[0])
    assert len(set(turns)) > 1  # not every page the same way round


def _red(im: Image.Image) -> Any:
    rgb = np.asarray(im, dtype=np.int16)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return (r > 150) & (r - g > 70) & (r - b > 60)


def test_the_seal_is_red_and_lies_over_the_t3_digits(form: bytes, spot: scans.SealSpot) -> None:
    page = spot.page - 1
    done = _scan(form, "seal", spot, page)
    seal = done.pages[0].seal
    assert seal is not None
    cx, cy, radius = seal
    dpi = scans.BY_NAME["seal"].dpi
    assert radius * 2 == pytest.approx(scans.SEAL_MM / 25.4 * dpi, abs=1)
    (im,) = _pages(done.data)
    red = _red(im)
    ys, xs = np.nonzero(red)
    assert len(xs) > 0.05 * np.pi * radius**2  # ring, text and star: a good share of the disc
    # every red pixel is inside the seal's circle, and the ink spreads over the whole disc
    assert (np.hypot(xs - cx, ys - cy) <= radius + 3).all()
    assert xs.min() < cx - 0.8 * radius and xs.max() > cx + 0.8 * radius
    assert ys.min() < cy - 0.8 * radius and ys.max() > cy + 0.8 * radius
    # over the table: the centre lies inside t3's cells on that page, among its digits
    report = parse(corpus_path("real", "hzq-2023.pdf"))
    boxes = [
        src.bbox
        for key, src in report.cells.items()
        if key.startswith("t3.") and src.page == spot.page and src.bbox
    ]
    scale = dpi / 72
    assert min(b[0] for b in boxes) * scale < cx < max(b[2] for b in boxes) * scale
    assert min(b[1] for b in boxes) * scale < cy < max(b[3] for b in boxes) * scale
    assert len(spot.cells) >= 10
    for key in spot.cells:
        x0, top, x1, bottom = report.cells[key].bbox or (0, 0, 0, 0)
        assert np.hypot((x0 + x1) / 2 * scale - cx, (top + bottom) / 2 * scale - cy) < radius
        assert report.value(key) is not None
    # no red without the seal, nor on the seal variant's other pages
    (plain,) = _pages(_scan(form, "faint-lines", page=page).data)
    assert not _red(plain).any()
    (other,) = _pages(_scan(form, "seal", spot, page=page - 1).data)
    assert not _red(other).any()


def test_faint_lines_keep_the_text_dark(form: bytes) -> None:
    (plain,) = _pages(
        scans.scan(
            form, replace(scans.BY_NAME["faint-lines"], faint=False), SEED, pages=[PAGE]
        ).data
    )
    (faint,) = _pages(_scan(form, "faint-lines").data)
    rulings = scans.ruling_mask(plain, scans.BY_NAME["faint-lines"].dpi)
    before, after = _gray(plain), _gray(faint)
    assert rulings.sum() > 20_000  # the t3 grid
    core = rulings & (before < 100)  # the lines' dark middle (the mask has their fringe)
    assert core.sum() > 10_000
    ink_before, ink_after = 255 - before[core], 255 - after[core]
    assert ink_after.mean() < 0.4 * ink_before.mean()  # at 30 % of their darkness, + JPEG
    assert np.percentile(after[core], 5) > 150
    text = (before < 100) & ~rulings
    assert text.sum() > 5_000
    assert np.median(after[text]) < 100  # characters, digits: as dark as before


def test_noise_and_jpeg(form: bytes) -> None:
    noise = _gray(_pages(_scan(form, "noise").data)[0])
    clean = _gray(
        _pages(scans.scan(form, replace(scans.BY_NAME["noise"], noise=0), SEED, pages=[PAGE]).data)[
            0
        ]
    )
    margin = (slice(10, 110), slice(10, 110))  # the page's blank top-left corner
    assert clean[margin].std() < 2
    assert 10 < noise[margin].std() < 25  # σ 20, softened a little by the page's JPEG
    jpeg = _scan(form, "jpeg")
    same_dpi = scans.scan(form, replace(scans.BY_NAME["jpeg"], quality=90), SEED, pages=[PAGE])
    assert len(jpeg.data) < 0.6 * len(same_dpi.data)
    (im,) = _pages(jpeg.data)
    assert np.abs(_gray(im) - _gray(_pages(same_dpi.data)[0])).mean() > 1


def test_build_makes_each_scan_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "truth").mkdir(parents=True)
    shutil.copy(corpus_path("real", "hzq-2023.pdf"), real)
    shutil.copy(corpus_path("real", "truth", "hzq-2023.json"), real / "truth")
    cache = tmp_path / "cache"
    variants = (scans.BY_NAME["plain-150"],)
    (first,), skipped = scans.build(real, cache, variants)
    assert skipped == []
    assert first.path == cache / "hzq-2023" / "plain-150.pdf"
    manifest = json.loads(first.path.with_suffix(".json").read_text(encoding="utf-8"))
    assert manifest["variant"]["dpi"] == 150 and len(manifest["pages"]) == 5
    stamp = first.path.stat().st_mtime_ns
    (again,), _ = scans.build(real, cache, variants)
    assert again.path.stat().st_mtime_ns == stamp  # reused
    assert again.pages == first.pages
    first.path.write_bytes(b"%PDF-1.4 broken")
    (rebuilt,), _ = scans.build(real, cache, variants)
    assert rebuilt.path.read_bytes()[:4] == b"%PDF" and rebuilt.path.stat().st_size > 100_000


def test_docx_without_libreoffice_is_skipped_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    (real / "truth").mkdir(parents=True)
    shutil.copy(corpus_path("real", "shuyang-fgj-2023-word.docx"), real)
    shutil.copy(corpus_path("real", "truth", "shuyang-fgj-2023-word.json"), real / "truth")
    monkeypatch.setattr(office, "soffice", lambda: None)
    built, skipped = scans.build(real, tmp_path / "cache", (scans.BY_NAME["plain-150"],))
    assert built == []
    assert skipped == [
        "shuyang-fgj-2023-word.docx: LibreOffice (soffice) not found, no page form (make office)"
    ]


# --------------------------------------------------------------------------- scoring


def _result(tables: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any]:
    return {"report": {"tables": tables}, "findings": findings}


def test_score_counts_exact_flagged_wrong_and_silent_nulls() -> None:
    truth = {"tables": {"t3": {"new": {"natural": 21, "commercial": 0, "research": None}},
                        "t4": {"review": {"upheld": 10, "total": 11, "other": 3}}}}  # fmt: skip
    result = _result(
        {
            "t3": {"new": {"natural": 21, "commercial": None, "research": 7}},
            "t4": {"review": {"upheld": 16, "total": None, "other": 3}},
        },
        [{"code": "OCR-001", "cells": ["t3.new.commercial"]}, {"code": "SUM-004", "cells": []}],
    )
    s = score(result, truth, "r.pdf", "seal")
    assert (s.total, s.exact, s.flagged, s.wrong, s.null) == (5, 2, 1, 2, 1)
    assert {(m.key, m.truth, m.read) for m in s.wrongs} == {
        ("t3.new.research", None, 7),  # a number where the original is blank
        ("t4.review.upheld", 10, 16),
    }
    assert [m.key for m in s.nulls] == ["t4.review.total"]
    assert s.share == pytest.approx(0.4)


def test_code_diff_names_what_the_scan_added_and_lost() -> None:
    got = Counter({"OCR-001": 3, "FMT-005": 1, "META-001": 1})
    want = Counter({"SUM-004": 2, "FMT-005": 1, "META-001": 1})
    assert code_diff(got, want) == "+OCR-001×3 −SUM-004×2"
    assert code_diff(want, want) == ""


def test_finding_diff_lists_the_findings_only_one_side_raised() -> None:
    form = [
        {"code": "SUM-004", "cells": ["t4.review.total"], "message": "复议总计不等"},
        {"code": "META-001", "cells": [], "message": "未找到发布日期"},
    ]
    scan = [
        {"code": "META-001", "cells": [], "message": "未找到发布日期"},
        {"code": "NUM-001", "cells": ["t3.new.total"], "message": "“2 V”不是数字"},
        {"code": "OCR-001", "cells": ["t3.new.natural"], "message": "识别没有把握"},
    ]
    assert finding_diff(scan, form) == [
        "+NUM-001 t3.new.total: “2 V”不是数字",
        "−SUM-004 t4.review.total: 复议总计不等",
    ]


def test_failing_pages_names_the_pages_that_fail_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xxgk.variety import scan_matrix

    pages = [Image.new("RGB", (60, 80), c) for c in ("white", "red", "white", "red")]
    pdf = tmp_path / "scan.pdf"
    pages[0].save(pdf, "PDF", save_all=True, append_images=pages[1:], resolution=72.0)

    def fake(path: Path, cache: Path | None = None, code: str = "") -> scan_matrix.Checked:
        (im,) = _pages(path.read_bytes())
        red = im.getpixel((5, 5))[1] < 100  # green low: a red page
        return scan_matrix.Checked(None, "xxgk 内部出错", 0.0, trace="Traceback" if red else "")

    monkeypatch.setattr(scan_matrix, "check", fake)
    assert scan_matrix.failing_pages(pdf, None, "") == [2, 4]
