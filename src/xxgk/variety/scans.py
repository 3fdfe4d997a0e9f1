"""Scans of the real reports: page images as a scanner and a clerk's seal make them.

Every report of ``../shared/corpus/real`` that has a page form and a truth file is
printed to PDF — a PDF as it is, a DOCX through LibreOffice (``soffice --headless
--convert-to pdf``), a web page through WeasyPrint (nothing fetched: only ``data:``
URLs) — and each page is rasterised with PDFium in every :data:`VARIANTS` entry:

* ``plain-150`` / ``plain-300`` — as printed, at 150 and 300 dpi;
* ``rotate+2`` / ``rotate-2`` — each page turned by up to 2° (drawn per page between 1°
  and 2°; positive is counter-clockwise), the page size kept, as a skewed sheet;
* ``noise`` — Gaussian noise (σ = 20 grey levels) over the whole page;
* ``jpeg`` — JPEG at quality 12 (blocks, ringing around strokes);
* ``seal`` — a red official seal (42 mm: ring, ring text, star), semi-transparent, stamped
  over the middle of the t3 table's digits, the ink multiplied into the print;
* ``faint-lines`` — the table rulings lightened to 30 % of their darkness (text untouched).

The degraded variants are at 200 dpi, a scanner's usual setting and the dpi of the speed
target.  Each variant is an image-only PDF (Pillow, one JPEG per page, the page size of
the printed page), the same bytes for the same seed; :func:`build` caches them under a
folder with a manifest per file (dpi, per-page angle, the seal's circle and the cells it
covers).  :mod:`xxgk.variety.scan_matrix` scores them against the truth files.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL import Image

    Pixels = npt.NDArray[np.float32]

GENERATOR = 1  # bump when the pixels a variant makes change: cached scans are rebuilt
SEED = 7
SEAL_MM = (
    42.0  # diameter of a government seal (国务院关于国家行政机关和企业事业单位印章的规定: 4.2 cm)
)
SEAL_INK = (205.0, 28.0, 40.0)  # red stamp-pad ink (RGB)
SEAL_OPACITY = 0.82
FAINT = 0.3  # faint rulings keep this share of their darkness
PAGE_FORMS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}
_QUALITY = 90  # JPEG quality of the page images (a scanner's "high" setting)


@dataclass(frozen=True)
class Variant:
    """How one scan is made: dpi and at most a few degradations."""

    name: str
    dpi: int
    about: str
    rotate: float = 0.0  # the largest turn in degrees; the sign is the direction
    noise: float = 0.0  # σ of the Gaussian noise, grey levels
    quality: int = _QUALITY  # JPEG quality of the page images
    seal: bool = False
    faint: bool = False
    quarters: bool = False  # each page turned 90°, 180° or 270° (fed into the scanner so)


VARIANTS: tuple[Variant, ...] = (
    Variant("plain-150", 150, "as printed, 150 dpi"),
    Variant("plain-300", 300, "as printed, 300 dpi"),
    Variant("rotate+2", 200, "each page turned 1-2° counter-clockwise", rotate=2.0),
    Variant("rotate-2", 200, "each page turned 1-2° clockwise", rotate=-2.0),
    Variant("noise", 200, "Gaussian noise, σ 20 grey levels", noise=20.0),
    Variant("jpeg", 200, "JPEG quality 12", quality=12),
    Variant("seal", 200, "a red 42 mm seal over the t3 table's digits", seal=True),
    Variant("faint-lines", 200, "table rulings at 30 % of their darkness", faint=True),
    Variant("turned", 200, "each page turned 90°, 180° or 270°", quarters=True),
)
BY_NAME = {v.name: v for v in VARIANTS}


@dataclass(frozen=True)
class Source:
    """A real report with a page form and the truth file it is scored against."""

    path: Path
    truth: Path

    @property
    def kind(self) -> str:
        return PAGE_FORMS[self.path.suffix.lower()]

    @property
    def name(self) -> str:
        return self.path.name


def sources(real: Path) -> list[Source]:
    """The reports of ``real`` that have a page form (PDF, DOCX, HTML) and a truth file."""
    out = []
    for path in sorted(real.iterdir()):
        truth = real / "truth" / f"{path.stem}.json"
        if path.is_file() and path.suffix.lower() in PAGE_FORMS and truth.is_file():
            out.append(Source(path, truth))
    return out


class NoPageForm(Exception):
    """The page form cannot be made here (LibreOffice missing); the message says why."""


# --------------------------------------------------------------------------- page forms


def page_form(source: Source, timeout: float = 180) -> bytes:
    """The report as a printed PDF (a PDF as it is)."""
    data = source.path.read_bytes()
    if source.kind == "pdf":
        return data
    if source.kind == "html":
        from weasyprint import HTML  # type: ignore[import-untyped]
        from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

        fetcher = URLFetcher(allowed_protocols=("data",))  # offline: no page asset fetched
        pdf = HTML(file_obj=io.BytesIO(data), url_fetcher=fetcher).write_pdf()
        assert isinstance(pdf, bytes)
        return pdf
    from ..office import OfficeError, convert_bytes

    try:
        return convert_bytes(data, source.path.suffix.lower(), "pdf", timeout)
    except OfficeError as exc:
        why = {
            "missing": "LibreOffice (soffice) not found, no page form (make office)",
            "timeout": "LibreOffice timed out",
        }.get(exc.reason, "LibreOffice could not print it to PDF")
        raise NoPageForm(f"{source.name}: {why}") from None


# --------------------------------------------------------------------------- the seal's spot


@dataclass
class SealSpot:
    """Where the seal goes: a page (1-based) and a point in PDF points (top-left origin)."""

    page: int
    x: float
    y: float
    cells: list[str] = field(default_factory=list)  # the t3 digit cells under the seal


def seal_spot(form: bytes) -> SealSpot | None:
    """Over the t3 table's digits: the digit cell whose seal-sized circle holds the most
    digit cells of t3 (the one nearest their middle among equals); None when no t3 cell
    has a box."""
    from ..api import parse_document
    from ..readers.pdf import read_pdf

    report = parse_document(read_pdf(form, "page-form.pdf"))
    points: dict[str, tuple[int, float, float]] = {}
    for key, src in report.cells.items():
        if key.startswith("t3.") and src.page and src.bbox and src.raw and src.raw.isdigit():
            x0, top, x1, bottom = src.bbox
            points[key] = (src.page, (x0 + x1) / 2, (top + bottom) / 2)
    if not points:
        return None
    radius = SEAL_MM / 25.4 * 72 / 2

    def under(p: tuple[int, float, float]) -> list[str]:
        return [
            k
            for k, q in points.items()
            if q[0] == p[0] and math.hypot(q[1] - p[1], q[2] - p[2]) < radius
        ]

    def off_middle(p: tuple[int, float, float]) -> float:
        same = [q for q in points.values() if q[0] == p[0]]
        mx = sum(q[1] for q in same) / len(same)
        my = sum(q[2] for q in same) / len(same)
        return math.hypot(p[1] - mx, p[2] - my)

    best = max(points.values(), key=lambda p: (len(under(p)), -off_middle(p)))
    return SealSpot(best[0], best[1], best[2], under(best))


# --------------------------------------------------------------------------- one scan


@dataclass
class PageNote:
    """What was done to one page (pixels; the seal's circle after any rotation)."""

    width: int
    height: int
    angle: float = 0.0
    seal: tuple[float, float, float] | None = None  # centre x, centre y, radius


@dataclass
class Scan:
    data: bytes
    variant: str
    dpi: int
    pages: list[PageNote] = field(default_factory=list)


def _rng_seed(*parts: object) -> int:
    text = ":".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def scan(
    form: bytes,
    variant: Variant,
    seed: str,
    spot: SealSpot | None = None,
    seal_text: str = "",
    pages: list[int] | None = None,
) -> Scan:
    """The page form as an image-only PDF in ``variant`` (``pages``: 0-based subset)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    images: list[Image.Image] = []
    notes: list[PageNote] = []
    doc = pdfium.PdfDocument(form)
    try:
        for index in range(len(doc)) if pages is None else pages:
            page = doc[index]
            try:
                im = page.render(scale=variant.dpi / 72).to_pil().convert("RGB")
            finally:
                page.close()
            rng = np.random.default_rng(_rng_seed(seed, variant.name, index))
            note = PageNote(im.width, im.height)
            if variant.faint:
                im = faint_lines(im, variant.dpi)
            if variant.seal and spot is not None and spot.page == index + 1:
                scale = variant.dpi / 72
                centre = (spot.x * scale, spot.y * scale)
                im, radius = stamp(im, centre, variant.dpi, seal_text, rng)
                note.seal = (centre[0], centre[1], radius)
            if variant.rotate:
                low = abs(variant.rotate) / 2
                angle = math.copysign(float(rng.uniform(low, abs(variant.rotate))), variant.rotate)
                note.angle = round(angle, 3)
                im = im.rotate(
                    note.angle, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255)
                )
                if note.seal is not None:
                    x, y = turned((note.seal[0], note.seal[1]), note.angle, im.size)
                    note.seal = (x, y, note.seal[2])
            if variant.quarters:  # (after the rest: the angle noted is the small one)
                im = im.rotate(90 * int(rng.integers(1, 4)), expand=True)
            if variant.noise:
                im = noisy(im, variant.noise, rng)
            images.append(im)
            notes.append(note)
    finally:
        doc.close()
    buf = io.BytesIO()
    images[0].save(
        buf,
        "PDF",
        save_all=True,
        append_images=images[1:],
        resolution=float(variant.dpi),
        quality=variant.quality,
        title=f"scan {variant.name}",
        creationDate=None,  # no date: the same bytes every time
        modDate=None,
    )
    return Scan(buf.getvalue(), variant.name, variant.dpi, notes)


def turned(point: tuple[float, float], angle: float, size: tuple[int, int]) -> tuple[float, float]:
    """Where ``point`` goes when the image turns ``angle``° counter-clockwise about its
    centre (Pillow's ``rotate``, y pointing down)."""
    cx, cy = size[0] / 2, size[1] / 2
    a = math.radians(angle)
    dx, dy = point[0] - cx, point[1] - cy
    return cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)


def _array(im: Image.Image) -> Pixels:
    import numpy as np

    return np.asarray(im, dtype=np.float32)


def _image(arr: Pixels) -> Image.Image:
    import numpy as np
    from PIL import Image

    return Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8), "RGB")


def noisy(im: Image.Image, sigma: float, rng: np.random.Generator) -> Image.Image:
    """Grey Gaussian noise of σ ``sigma`` over the page (a scanner's sensor)."""
    arr = _array(im)
    noise = rng.normal(0.0, sigma, size=arr.shape[:2]).astype("float32")
    return _image(arr + noise[:, :, None])


# --------------------------------------------------------------------------- faint rulings


def ruling_mask(im: Image.Image, dpi: int) -> npt.NDArray[np.bool_]:
    """Pixels of straight dark lines at least 0.3 inch long (table rulings, underlines),
    with the one-pixel fringe their antialiasing leaves."""
    import numpy as np

    dark = np.asarray(im.convert("L")) < 160
    length = max(8, round(0.3 * dpi))
    lines = _runs(dark, length) | _runs(dark.T, length).T
    grown = lines.copy()
    grown[1:, :] |= lines[:-1, :]
    grown[:-1, :] |= lines[1:, :]
    grown[:, 1:] |= lines[:, :-1]
    grown[:, :-1] |= lines[:, 1:]
    return grown


def _runs(mask: npt.NDArray[np.bool_], length: int) -> npt.NDArray[np.bool_]:
    """The pixels of ``mask`` inside horizontal runs of at least ``length``."""
    import numpy as np

    h, w = mask.shape
    if w < length:
        return np.zeros_like(mask)
    prefix = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=prefix[:, 1:])
    full = (prefix[:, length:] - prefix[:, :-length]) == length  # window starting at i
    starts = np.zeros((h, full.shape[1] + 1), dtype=np.int32)
    np.cumsum(full, axis=1, out=starts[:, 1:])
    j = np.arange(w)
    hi = np.minimum(j, w - length) + 1
    lo = np.maximum(j - length + 1, 0)
    covered: npt.NDArray[np.bool_] = (starts[:, hi] - starts[:, lo]) > 0
    return covered


def faint_lines(im: Image.Image, dpi: int) -> Image.Image:
    """The page with its rulings at :data:`FAINT` of their darkness."""
    arr = _array(im)
    mask = ruling_mask(im, dpi)
    arr[mask] = 255 - (255 - arr[mask]) * FAINT
    return _image(arr)


# --------------------------------------------------------------------------- the seal


def _seal_font(size: int) -> Any:
    """A CJK font at ``size`` px (a Simplified Chinese face where the collection has
    one), or None when fontconfig lists none."""
    from PIL import ImageFont

    from ..render.pdf import cjk_fonts

    files = sorted({f.rstrip(":").strip() for f in cjk_fonts()}, key=lambda f: ("Sans" not in f, f))
    for path in files:
        fonts = []
        for index in range(10):
            try:
                fonts.append(ImageFont.truetype(path, size, index=index))
            except OSError:
                break
        for font in fonts:
            if " SC" in " ".join(n or "" for n in font.getname()):
                return font
        if fonts:
            return fonts[0]
    return None


def seal_image(diameter: int, text: str, rng: np.random.Generator) -> Image.Image:
    """The seal's ink as a grey mask (255 = full ink), ``diameter`` px wide: a ring, the
    ``text`` along its upper arc, a five-pointed star in the middle; turned by a few
    degrees, as a hand stamps it."""
    from PIL import Image, ImageChops, ImageDraw

    s = 3  # drawn three times larger, then reduced: smooth edges
    size = diameter * s
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    ring = max(3, round(size * 0.035))
    draw.ellipse((0, 0, size - 1, size - 1), outline=255, width=ring)
    c = size / 2
    outer, inner = size * 0.18, size * 0.18 * 0.382
    star = [
        (
            c + (outer if k % 2 == 0 else inner) * math.cos(math.radians(-90 + 36 * k)),
            c + (outer if k % 2 == 0 else inner) * math.sin(math.radians(-90 + 36 * k)),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=255)
    glyph_px = round(size * 0.14)
    font = _seal_font(glyph_px) if text else None
    if font is not None:
        radius = c - ring - glyph_px * 0.75
        step = min(260.0 / max(len(text), 1), 32.0)
        first = -90.0 - step * (len(text) - 1) / 2
        for k, ch in enumerate(text):
            a = first + step * k
            tile = Image.new("L", (glyph_px * 2, glyph_px * 2), 0)
            ImageDraw.Draw(tile).text((glyph_px, glyph_px), ch, fill=255, font=font, anchor="mm")
            tile = tile.rotate(-(a + 90), resample=Image.Resampling.BICUBIC)
            x = c + radius * math.cos(math.radians(a)) - glyph_px
            y = c + radius * math.sin(math.radians(a)) - glyph_px
            layer = Image.new("L", (size, size), 0)
            layer.paste(tile, (round(x), round(y)))
            mask = ImageChops.lighter(mask, layer)
    mask = mask.rotate(float(rng.uniform(-20, 20)), resample=Image.Resampling.BICUBIC)
    return mask.resize((diameter, diameter), Image.Resampling.LANCZOS)


def stamp(
    im: Image.Image,
    centre: tuple[float, float],
    dpi: int,
    text: str,
    rng: np.random.Generator,
) -> tuple[Image.Image, float]:
    """The page with the seal's ink multiplied in at ``centre`` (px); and its radius."""
    import numpy as np

    diameter = round(SEAL_MM / 25.4 * dpi)
    ink = np.asarray(seal_image(diameter, text, rng), dtype=np.float32) / 255.0
    # uneven pad ink: a little less here and there, never more than full
    ink *= SEAL_OPACITY * (0.8 + 0.2 * rng.random(ink.shape, dtype=np.float32))
    arr = _array(im)
    x0 = round(centre[0] - diameter / 2)
    y0 = round(centre[1] - diameter / 2)
    px0, py0 = max(x0, 0), max(y0, 0)
    px1, py1 = min(x0 + diameter, arr.shape[1]), min(y0 + diameter, arr.shape[0])
    if px1 > px0 and py1 > py0:
        a = ink[py0 - y0 : py1 - y0, px0 - x0 : px1 - x0, None]
        colour = np.asarray(SEAL_INK, dtype=np.float32) / 255.0
        arr[py0:py1, px0:px1] *= 1 - a * (1 - colour)
    return _image(arr), diameter / 2


# --------------------------------------------------------------------------- the cache


@dataclass
class Built:
    """One cached scan: its file and its manifest."""

    source: Source
    variant: Variant
    path: Path
    pages: list[PageNote]

    @property
    def truth(self) -> Path:
        return self.source.truth


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _form(source: Source, folder: Path) -> tuple[bytes, SealSpot | None]:
    """The page form and the seal's spot, cached beside the scans."""
    key = f"{GENERATOR}:{_sha(source.path.read_bytes())}"
    pdf, meta = folder / "page-form.pdf", folder / "page-form.json"
    if pdf.is_file() and meta.is_file():
        known = json.loads(meta.read_text(encoding="utf-8"))
        if known.get("key") == key:
            spot = known.get("seal_spot")
            return pdf.read_bytes(), SealSpot(**spot) if spot else None
    form = page_form(source)
    spot = seal_spot(form)
    folder.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(form)
    body = {"key": key, "source": source.name, "seal_spot": asdict(spot) if spot else None}
    meta.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    return form, spot


def _note(d: dict[str, Any]) -> PageNote:
    seal = d.get("seal")
    return PageNote(d["width"], d["height"], d.get("angle", 0.0), tuple(seal) if seal else None)


def _seal_text(source: Source) -> str:
    truth = json.loads(source.truth.read_text(encoding="utf-8"))
    return "".join(str(truth.get("agency") or "").split())


def page_form_path(cache: Path, source: Source) -> Path:
    return cache / source.path.stem / "page-form.pdf"


def build(
    real: Path,
    cache: Path,
    variants: tuple[Variant, ...] = VARIANTS,
    seed: int = SEED,
) -> tuple[list[Built], list[str]]:
    """Every source × variant as a scan under ``cache`` (made once: a scan whose
    manifest key matches is reused); and why a source was left out."""
    built: list[Built] = []
    skipped: list[str] = []
    for source in sources(real):
        folder = cache / source.path.stem
        try:
            form, spot = _form(source, folder)
        except NoPageForm as exc:
            skipped.append(str(exc))
            continue
        for variant in variants:
            path = folder / f"{variant.name}.pdf"
            meta = path.with_suffix(".json")
            key = _sha(f"{GENERATOR}:{seed}:{variant!r}:{_sha(form)}".encode())
            if path.is_file() and meta.is_file():
                known = json.loads(meta.read_text(encoding="utf-8"))
                if known.get("key") == key and known.get("sha256") == _sha(path.read_bytes()):
                    pages = [_note(p) for p in known["pages"]]
                    built.append(Built(source, variant, path, pages))
                    continue
            done = scan(form, variant, f"{seed}:{source.path.stem}", spot, _seal_text(source))
            path.write_bytes(done.data)
            body = {
                "key": key,
                "sha256": _sha(done.data),
                "source": source.name,
                "variant": asdict(variant),
                "pages": [asdict(p) for p in done.pages],
            }
            meta.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
            built.append(Built(source, variant, path, done.pages))
    return built, skipped
