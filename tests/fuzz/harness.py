"""Seeded mutation fuzzing of every reader and the YAML/JSON loader (issue 9).

A mutant is a seed file changed by a few of the mutations real damage and hostile
files show (byte flips, truncation, duplicated chunks, deleted or swapped lines,
changed digits, control characters, long digit runs, bad bytes, mutated DOCX XML).
Each mutant is checked against the output contract, not only "no exception":

* ``ok`` — ``parse`` + ``check`` give a result whose JSON is strict (no NaN/Infinity);
* ``error`` — a ``ReadError`` naming the file, one line, in Chinese, never 内部错误;
* ``crash`` — anything else (an exception, non-strict JSON, a malformed error).

``mutant(seed_bytes, suffix, rng)`` is deterministic for a given ``random.Random``
state, so ``(seed, index)`` reproduces any case.
"""

from __future__ import annotations

import io
import json
import random
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from xxgk import api
from xxgk.examples import example_paths
from xxgk.readers import ReadError

Mutation = Callable[[bytes, random.Random], bytes]

_HOSTILE = [
    b"\x00", b"\x01", b"\x0c", b"\x1f", b"\x7f", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf",
    b"\xe4\xb8", b"\x81", b"\t", b"|", b"||||", b"\r", b"\n\n\n", b"<", b"]]>", b"&#0;",
    b"&amp;", b"[" * 200, b"{" * 200, b"&a", b"*a", b"NaN", b"Infinity", b"1e400",
    b"-0", b"+17", b"9" * 5000, b"0\n" * 500, "一、总体情况".encode(), "（七）总计".encode(),
    "收到政府信息公开申请".encode(), "其中".encode(), "行政复议".encode(),
]  # fmt: skip


def _flip(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _duplicate(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 4000))
    times = rng.choice((1, 2, 10, 100))
    return data[:b] + data[a:b] * times + data[b:]


def _lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data
    i = rng.randrange(len(lines))
    op = rng.randrange(3)
    if op == 0:
        del lines[i : i + rng.randint(1, 5)]
    elif op == 1:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines.insert(i, lines[rng.randrange(len(lines))])
    return b"\n".join(lines)


def _digits(data: bytes, rng: random.Random) -> bytes:
    spots = [m.start() for m in re.finditer(rb"\d", data[:200_000])]
    if not spots:
        return data
    b = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        b[rng.choice(spots)] = ord(str(rng.randrange(10)))
    return bytes(b)


def _insert(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    piece = rng.choice(_HOSTILE) * rng.choice((1, 1, 3, 50))
    return data[:at] + piece + data[at:]


_TEXT_MUTATIONS: list[Mutation] = [_flip, _truncate, _duplicate, _lines, _digits, _insert]


def _docx(data: bytes, rng: random.Random) -> bytes:
    """Mutate the XML of a DOCX part (document.xml mostly) and zip it again."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _flip(data, rng)
    names = sorted(parts)
    name = "word/document.xml" if "word/document.xml" in parts and rng.random() < 0.8 else None
    name = name or rng.choice(names)
    parts[name] = mutate_text(parts[name], rng)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.writestr(n, parts[n])
    return out.getvalue()


def mutate_text(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.choice((1, 1, 2, 3))):
        data = rng.choice(_TEXT_MUTATIONS)(data, rng)
    return data


def mutant(data: bytes, suffix: str, rng: random.Random) -> bytes:
    if suffix == ".docx" and rng.random() < 0.85:
        return _docx(data, rng)
    return mutate_text(data, rng)


# ------------------------------------------------------------------------- seeds


def seeds(corpus: Path | None) -> list[tuple[str, bytes]]:
    """(name, bytes) of the seed files: the shipped examples in every input type
    (rendered) and, when present, the shared corpus (reports and truth JSON)."""
    from xxgk.render import render

    out: list[tuple[str, bytes]] = []
    for path in example_paths():
        out.append((path.name, path.read_bytes()))
        report = api.parse(path)
        for fmt in ("html", "md", "yaml", "json", "docx"):
            out.append((f"{path.stem}.{fmt}", render(report, fmt)))
    if corpus is not None and corpus.is_dir():
        for path in sorted(corpus.rglob("*")):
            if path.is_file() and path.suffix.lower() in _SUFFIXES:
                out.append((str(path.relative_to(corpus)), path.read_bytes()))
    return out


_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".json", ".yaml", ".yml"}


# ----------------------------------------------------------------------- contract


@dataclass
class Outcome:
    status: str  # ok | error | crash
    detail: str
    seconds: float


_CJK = re.compile(r"[\u4e00-\u9fff]")


def run_one(path: Path) -> Outcome:
    """Parse and check one file; judge the result against the output contract."""
    start = time.perf_counter()
    try:
        result = api.check_report(api.parse(path))
        text = json.dumps(result.contract_dict(), ensure_ascii=False, allow_nan=False)
        json.loads(text)
        status, detail = "ok", ""
    except ReadError as exc:
        problem = exc.problem
        bad = (
            "\n" in problem
            or "内部错误" in problem
            or not _CJK.search(problem)
            or exc.source != str(path)
        )
        status, detail = ("crash" if bad else "error"), problem
    except Exception as exc:  # the point of the harness: anything else is a crash
        status, detail = "crash", f"{type(exc).__name__}: {exc}"[:300]
    return Outcome(status, detail, time.perf_counter() - start)


def cases(
    seed_files: list[tuple[str, bytes]], n: int, seed: int
) -> Iterator[tuple[int, str, str, bytes]]:
    """``n`` mutants: (index, seed name, suffix, bytes), the same for the same seed."""
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        name, data = seed_files[rng.randrange(len(seed_files))]
        suffix = Path(name).suffix.lower() or ".txt"
        yield i, name, suffix, mutant(data, suffix, rng)
