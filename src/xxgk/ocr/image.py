"""Page images: decoded, brought to one scale, red seals taken out, straightened.

Every page is worked on at :data:`WORK_DPI` (scans come at 150–600 dpi): the resolution
is the image's own when it says one, else the one that makes the page A4.  A page scanned
sideways or upside down is turned upright first (:mod:`.orient`).  Red and pink
pixels (a seal stamped over the text, a red letterhead) become white before anything
else looks at the page; black text under a seal stays dark and is kept.  The skew
(±5°) is the angle at which the rows of ink line up best.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ..readers.document import ReadError

WORK_DPI = 200
MAX_SKEW = 5.0  # degrees
MIN_DPI, MAX_DPI = 100, 1200  # a resolution outside this is not believed
A4_SHORT_INCHES = 8.27
MAX_PIXELS = 120_000_000  # one page image, decoded
NOISY = 2.0  # grain (see noise_level) from which a page is smoothed before it is read


@dataclass(slots=True)
class PageImage:
    """One page, ready to read: ``gray`` at WORK_DPI, straightened, without red."""

    number: int  # 1-based
    gray: Any  # numpy uint8 array, height x width
    scale: float  # work pixels per pixel of the image as given
    angle: float  # degrees the page was turned to straighten it
    noise: float = 0.0  # the grain found (grey levels); from NOISY the page is smoothed
    quarter: int = 0  # quarter turns (counter-clockwise) that made the page upright


def frames(data: bytes, source: str) -> list[tuple[Any, float | None]]:
    """The pages of a PNG, JPEG or (multi-page) TIFF as RGB images, with their dpi."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        out: list[tuple[Any, float | None]] = []
        for frame in ImageSequence.Iterator(img):
            out.append((_rgb(frame), _dpi(frame.info.get("dpi"))))
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ReadError(source, "图片无法解码（格式不受支持或图片过大）") from None
    except (OSError, ValueError, SyntaxError):
        raise ReadError(source, "图片已损坏或不完整，无法读取") from None
    if not out:
        raise ReadError(source, "图片中没有可读取的页面")
    return out


def _rgb(frame: Any) -> Any:
    if frame.mode in ("RGBA", "LA", "P", "PA"):
        from PIL import Image

        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if frame.mode == "I;16" or frame.mode == "I":
        return frame.point(lambda v: v / 256).convert("RGB")
    return frame.convert("RGB")


def _dpi(value: object) -> float | None:
    if isinstance(value, tuple) and value:
        try:
            dpi = float(value[0])
        except (TypeError, ValueError):
            return None
        return dpi if MIN_DPI <= dpi <= MAX_DPI else None
    return None


def prepare(rgb: Any, number: int, dpi: float | None = None) -> PageImage:
    """A page image (PIL RGB, or numpy RGB) -> a PageImage at WORK_DPI."""
    import cv2
    import numpy as np

    arr = np.asarray(rgb, dtype=np.uint8)
    h, w = arr.shape[:2]
    if dpi is None:
        dpi = min(h, w) / A4_SHORT_INCHES
        dpi = min(max(dpi, MIN_DPI), MAX_DPI)
    scale = WORK_DPI / dpi
    if abs(scale - 1) > 0.05:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        arr = np.asarray(
            cv2.resize(arr, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC),
            dtype=np.uint8,
        )
    else:
        scale = 1.0
    gray = without_red(arr)
    from .orient import upright

    gray, quarter = upright(gray)  # a page scanned sideways or upside down
    noise = noise_level(gray)
    angle = skew(gray)
    if angle:
        gray = turned(gray, angle)
    return PageImage(number, gray, scale, angle, noise, quarter)


def noise_level(gray: Any) -> float:
    """The page's grain (a scanner's sensor noise, JPEG-blurred or not), in grey levels:
    the median of the grey's standard deviation in 5 × 5 windows (most windows are plain
    paper, where a clean page has none; the print's edges are the fewer)."""
    import cv2
    import numpy as np

    part = (gray[::2, ::2] if gray.size > 8_000_000 else gray).astype(np.float32)
    mean = cv2.blur(part, (5, 5))
    spread = cv2.blur(part * part, (5, 5)) - mean * mean
    return round(float(np.sqrt(max(float(np.median(spread)), 0.0))), 2)


def denoised(gray: Any, noise: float) -> Any:
    """A grainy page smoothed where it is plain and kept sharp at strokes: a bilateral
    filter (a pixel averaged with its neighbours of about its own grey), so specks go,
    while thin digits and faint rulings (darker than the grain) keep their edges."""
    import cv2

    return cv2.bilateralFilter(gray, 5, max(30.0, 4 * noise), 3)


def without_red(rgb: Any) -> Any:
    """Grey page in which red ink (seals, red headings) is light and black print under it
    stays dark: where red prevails, the red channel is the grey (JPEG's colours blurred
    at a seal's strokes included), and bright red is white; black rulings under a seal
    keep their dark red channel."""
    import cv2
    import numpy as np

    r = rgb[:, :, 0].astype(np.int16)
    g = rgb[:, :, 1].astype(np.int16)
    b = rgb[:, :, 2].astype(np.int16)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    reddish = r - np.maximum(g, b) > 15
    gray[reddish] = np.maximum(gray, rgb[:, :, 0])[reddish]
    gray[(r - np.maximum(g, b) > 40) & (r > 150)] = 255  # the ink itself: white
    return gray


def skew(gray: Any) -> float:
    """The page's skew in degrees (within ±MAX_SKEW): where rows of ink line up best."""
    import cv2
    import numpy as np

    # ink taken at full resolution, then its share per pixel of a quarter-size page: a
    # thin ruling keeps its weight (thresholding the shrunk page would lose it, and a
    # page of rulings with little text would have nothing left to line up)
    paper = float(np.median(gray[::4, ::4]))
    dark = (gray < min(paper - 55, 200)).astype(np.float32)
    ink = cv2.resize(dark, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    if ink.sum() < 50:
        return 0.0

    def sharpness(angle: float) -> float:
        rows = turned(ink, angle, 0.0).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=sharpness)
    fine = max(np.arange(best - 0.5, best + 0.51, 0.05), key=sharpness)
    return round(float(fine), 2) if abs(fine) >= 0.05 else 0.0


def turned(img: Any, angle: float, fill: float = 255) -> Any:
    """``img`` turned by ``angle`` degrees about its centre (the same size)."""
    import cv2

    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(
        img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )
