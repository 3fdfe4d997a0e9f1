"""A folder of page images inside a .zip (``报告/001.png …``, or page images at the
archive's top) is one input, as the same folder on disk is: listed by the same test,
its pages packed the same, checked with the same result in ``xxgk check X.zip`` and in
the engine.  Small images; without the ``ocr`` extra the result is the folder's own
clear message (the comparison with the folder on disk holds either way)."""

from __future__ import annotations

import importlib.util
import json
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from xxgk import api
from xxgk.batch import inputs
from xxgk.examples import example_paths
from xxgk.readers import ReadError

TEXT = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")
NO_REPORTS = "压缩包中没有报告文件（.txt .html .docx .pdf .md .yaml .json …）"
OCR = all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "cv2", "PIL"))


def blank_png(width: int = 64, height: int = 48) -> bytes:
    """A white greyscale PNG, made without Pillow (the ocr extra may be absent)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    head = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(rows))


@pytest.fixture(scope="module")
def page() -> bytes:
    """One scanned page: a table page at 100 dpi with the ocr extra, else a blank one."""
    if not OCR:
        return blank_png()
    from ..ocr.drawing import encoded, table_image

    try:
        return encoded(table_image(100).image, "PNG", 100)
    except Exception:  # no Chinese font to draw with: a blank page is read just the same
        return blank_png()


@pytest.fixture(scope="module")
def made(page: bytes, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An archive of a text report, a folder of pages (names in an order that is not the
    pages'), images among other files, a folder holding a folder; an archive of page
    images at its top; the same folders on disk."""
    root = tmp_path_factory.mktemp("zip-pages")
    a = root / "年报.zip"
    with zipfile.ZipFile(a, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("其他/a.txt", TEXT.read_bytes())
        z.writestr("其他/p1.png", blank_png(8, 8))  # among other files: not a report
        for name in ("10.png", "1.png", "2.png"):
            z.writestr(f"报告/{name}", page if name == "1.png" else blank_png())
        z.writestr("报告/Thumbs.db", b"\x00" * 16)  # a scanner's leftovers do not count
        z.writestr("__MACOSX/报告/._1.png", b"\x00\x05\x16\x07")
        z.writestr("深/层/扫描/page-1.png", blank_png())  # at any depth
        z.writestr("深/层/封面.png", blank_png())  # beside a folder: not a report
    top = root / "扫描件.zip"
    with zipfile.ZipFile(top, "w") as z:
        z.writestr("page-2.png", blank_png())
        z.writestr("page-1.png", blank_png(32, 32))
    disk = root / "盘上" / "报告"
    disk.mkdir(parents=True)
    for name in ("10.png", "1.png", "2.png"):
        (disk / name).write_bytes(page if name == "1.png" else blank_png())
    (disk / "Thumbs.db").write_bytes(b"\x00" * 16)
    flat = root / "盘上" / "扫描件"
    flat.mkdir()
    (flat / "page-2.png").write_bytes(blank_png())
    (flat / "page-1.png").write_bytes(blank_png(32, 32))
    return {"a": a, "top": top, "disk": disk, "flat": flat}


def alone(path: Path) -> dict[str, Any]:
    """The result ``api.parse`` of the folder on disk gives, as JSON (or its error)."""
    try:
        return json.loads(json.dumps(api.check_report(api.parse(path)).contract_dict()))
    except ReadError as exc:
        return {"source": str(path), "error": exc.problem}


def renamed(data: dict[str, Any], source: str) -> dict[str, Any]:
    """``data`` as if it had been read from ``source``."""
    text = json.dumps(data, ensure_ascii=False)
    for old in {data["source"], data.get("report", {}).get("source", data["source"])}:
        text = text.replace(
            json.dumps(old, ensure_ascii=False), json.dumps(source, ensure_ascii=False)
        )
    out: dict[str, Any] = json.loads(text)
    return out


def test_a_zips_folders_of_page_images_are_one_input_each(made: dict[str, Path]) -> None:
    items, problems = inputs.gather([made["a"]], zip_scans=True)
    assert problems == []
    assert [(i.source, i.member, i.pages) for i in items] == [
        (f"{made['a']}!其他/a.txt", "其他/a.txt", False),
        (f"{made['a']}!报告", "报告/", True),
        (f"{made['a']}!深/层/扫描", "深/层/扫描/", True),
    ]
    (top,) = inputs.gather([made["top"]], zip_scans=True)[0]  # images at the top: one report
    assert (top.source, top.member, top.pages) == (str(made["top"]), "", True)
    # a caller that keeps each member as a file (the web app's upload) sees the files only
    assert [i.source for i in inputs.gather([made["a"]])[0]] == [f"{made['a']}!其他/a.txt"]
    assert inputs.gather([made["top"]]) == (
        [],
        [inputs.Outcome(source=str(made["top"]), error=NO_REPORTS, order=0)],
    )


def test_a_zips_pages_travel_packed_as_the_folder_on_disk(made: dict[str, Path]) -> None:
    zipped = {i.member: i for i in inputs.gather([made["a"]], zip_scans=True)[0]}["报告/"]
    (on_disk,) = inputs.gather([made["disk"]])[0]
    packed = inputs.load(zipped)
    assert packed == inputs.load(on_disk)
    assert [n for n, _ in inputs.unpack_pages(packed)] == ["1.png", "2.png", "10.png"]
    (top,) = inputs.gather([made["top"]], zip_scans=True)[0]
    (flat,) = inputs.gather([made["flat"]])[0]
    assert inputs.load(top) == inputs.load(flat)


def test_xxgk_check_zip_gives_each_folder_the_result_on_disk(made: dict[str, Path]) -> None:
    exe = Path(sys.executable).with_name("xxgk")
    done = subprocess.run(
        [str(exe), "check", str(made["a"]), "--json", "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    got = {o["source"]: o for o in json.loads(done.stdout)}
    folder = f"{made['a']}!报告"
    assert got[folder] == renamed(alone(made["disk"]), folder)
    text = f"{made['a']}!其他/a.txt"
    assert got[text] == renamed(alone(TEXT), text)
    assert set(got) == {folder, text, f"{made['a']}!深/层/扫描"}
    if "error" in got[folder]:  # told on standard error, naming the folder in the archive
        assert f"xxgk: 无法读取 {folder}：{got[folder]['error']}" in done.stderr
    assert done.returncode == max(
        2 if "error" in o else int(any(f["severity"] == "error" for f in o["findings"]))
        for o in got.values()
    )


def test_the_engine_reads_a_zip_of_pages_as_the_folder(made: dict[str, Path]) -> None:
    (o,) = list(api.check_many(made["top"], jobs=1))
    assert o.source == str(made["top"])
    assert o.as_dict() == renamed(alone(made["flat"]), str(made["top"]))
    if not OCR:  # the folder's own message: what to install
        assert o.error == alone(made["flat"])["error"]
