"""The text recogniser: PP-OCRv4's recognition model, run on text-line images.

The model file ships inside the rapidocr-onnxruntime wheel (Apache-2.0) and is run
with onnxruntime directly: one session per process, made on first use, one thread
(many files are read by many processes).  Nothing is downloaded.  Text lines are found
by :mod:`.layout` from the page's ink, so the detection model is not needed.

Besides the text, each character keeps the recogniser's probability and the other
characters it found plausible there: a digit read with doubt is never taken silently.
"""

from __future__ import annotations

import importlib.util
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..readers.document import ReadError

INSTALL_HINT = '未安装文字识别（OCR）组件，无法读取扫描件；请安装：pip install "xxgk[ocr]"'
MODEL = "models/ch_PP-OCRv4_rec_infer.onnx"
HEIGHT = 48  # the model's input height
ALT_MIN = 0.01  # an alternative reading of a character is kept from this probability
MISSED_MIN = 0.05  # a digit this likely where the recogniser read nothing is a doubt
_DIGITS = frozenset("0123456789.")
BATCH_WIDTH = 3200  # padded input width (pixels) of one batch, summed over its images


@dataclass(slots=True, frozen=True)
class Char:
    text: str
    conf: float  # the recogniser's probability for it
    alts: tuple[tuple[str, float], ...] = ()  # other characters it found there, likeliest first


@dataclass(slots=True, frozen=True)
class Reading:
    """One text line as recognised."""

    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)


class Recognizer:
    def __init__(self) -> None:
        try:
            import numpy as np
            import onnxruntime as ort
        except ImportError:
            raise ReadError("", INSTALL_HINT) from None
        spec = importlib.util.find_spec("rapidocr_onnxruntime")
        roots = list(spec.submodule_search_locations or []) if spec is not None else []
        path = next((Path(r) / MODEL for r in roots if (Path(r) / MODEL).is_file()), None)
        if path is None:
            raise ReadError("", INSTALL_HINT)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 4
        self._np = np
        self._session = ort.InferenceSession(
            str(path), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        meta = self._session.get_modelmeta().custom_metadata_map
        self._chars = ["", *meta["character"].splitlines(), " "]
        self._input = self._session.get_inputs()[0].name

    def read(self, crops: list[Any]) -> list[Reading]:
        """Each crop (a grey uint8 image of one text line, dark on light) -> its reading."""
        np = self._np
        out: list[Reading | None] = [None] * len(crops)
        widths = [max(1, math.ceil(HEIGHT * c.shape[1] / max(c.shape[0], 1))) for c in crops]
        order = sorted(range(len(crops)), key=widths.__getitem__)
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and widths[order[end]] * (end - start + 1) <= BATCH_WIDTH:
                end += 1
            batch = order[start:end]
            width = max(widths[i] for i in batch)
            x = np.zeros((len(batch), 3, HEIGHT, width), dtype=np.float32)
            for k, i in enumerate(batch):
                x[k, :, :, : widths[i]] = self._normalised(crops[i], widths[i])
            probs = self._session.run(None, {self._input: x})[0]
            for k, i in enumerate(batch):
                out[i] = self._decode(probs[k])
            start = end
        return [r if r is not None else Reading(()) for r in out]

    def _normalised(self, crop: Any, width: int) -> Any:
        import cv2

        img = cv2.resize(crop, (width, HEIGHT), interpolation=cv2.INTER_AREA)
        return (img.astype(self._np.float32) / 127.5 - 1.0)[None, :, :]

    def _decode(self, probs: Any) -> Reading:
        """CTC greedy decoding, keeping each character's probability and alternatives."""
        np = self._np
        best = probs.argmax(axis=1)
        chars: list[Char] = []
        t = 0
        n = len(best)
        while t < n:
            idx = int(best[t])
            end = t + 1
            while end < n and best[end] == idx:
                end += 1
            if idx != 0:
                span = probs[t:end]
                peak = span.max(axis=0)
                conf = float(peak[idx])
                others = np.nonzero(peak >= ALT_MIN)[0]
                alts = sorted(
                    ((self._chars[j], float(peak[j])) for j in others if j not in (0, idx)),
                    key=lambda a: -a[1],
                )
                chars.append(Char(self._chars[idx], conf, tuple(alts[:4])))
            else:  # a gap: a digit the recogniser half saw there is a doubt too (but
                # for the character on either side, whose frames reach into the gap)
                peak = probs[t:end, 1:].max(axis=0)
                j = int(peak.argmax()) + 1
                beside = {int(best[t - 1]) if t else 0, int(best[end]) if end < n else 0}
                if peak[j - 1] >= MISSED_MIN and self._chars[j] in _DIGITS and j not in beside:
                    p = float(peak[j - 1])
                    chars.append(Char("", 1.0 - p, ((self._chars[j], p),)))
            t = end
        return Reading(tuple(chars))


_ENGINE: Recognizer | None = None
_ENGINE_LOCK = threading.Lock()


def recognizer() -> Recognizer:
    """The process's recogniser, made on first use; ReadError saying how to install it."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = Recognizer()
        return _ENGINE
