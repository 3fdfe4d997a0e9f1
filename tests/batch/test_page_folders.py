"""A folder holding only page images is one scanned report in ``xxgk check DIR``, at
any depth, with the result ``api.parse`` of that folder gives; a folder of other files
keeps its images out (as before); the pages travel packed to a worker that does not
share the disk.  Needs the ``ocr`` extra (skipped without it) and a Chinese font."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from xxgk import api
from xxgk.batch import InlineExecutor, inputs
from xxgk.batch.pairing import previous_mismatch
from xxgk.examples import example_paths
from xxgk.model import Report
from xxgk.readers import ReadError

if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("cv2") is None:
    pytest.skip(
        'the ocr extra is not installed (pip install "xxgk[ocr]"; make test installs it)',
        allow_module_level=True,
    )

from ..ocr.drawing import encoded, table_image  # Pillow comes with the extra

GOOD = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")
OTHER = next(p for p in example_paths() if p.name == "bureau-2020-pipes.txt")
THIRD = next(p for p in example_paths() if p.name == "township-2023-errors.txt")
DPI = 150


@pytest.fixture(scope="module")
def pages() -> list[bytes]:
    """An example report as a scanner gives it: its PDF pages as PNG images."""
    import pypdfium2 as pdfium

    from xxgk.render.pdf import cjk_fonts

    if not cjk_fonts():
        pytest.skip("no Chinese font: run `make fonts` (Debian fonts-noto-cjk)")
    pdf = pdfium.PdfDocument(api.render_report(api.parse(GOOD), "pdf"))
    try:
        images = [pdf[i].render(scale=DPI / 72).to_pil().convert("L") for i in range(len(pdf))]
    finally:
        pdf.close()
    return [encoded(img, "PNG", DPI) for img in images]


@pytest.fixture(scope="module")
def tree(pages: list[bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """报告/ with a text report, a scanned report two folders down, a folder of other
    files with a stray image, and a folder of one table page."""
    root = tmp_path_factory.mktemp("batch-pages") / "报告"
    scans = root / "扫描件" / "某某局"
    scans.mkdir(parents=True)
    for number, data in enumerate(pages, 1):  # p2 before p10: the names' natural order
        (scans / f"p{number}.png").write_bytes(data)
    (scans / "Thumbs.db").write_bytes(b"\x00" * 16)  # a scanner's leftovers do not count
    (root / "a.txt").write_bytes(OTHER.read_bytes())
    (root / "其他").mkdir()
    (root / "其他" / "b.txt").write_bytes(THIRD.read_bytes())
    (root / "其他" / "p1.png").write_bytes(pages[0])  # among other files: not a report
    (root / "一页").mkdir()
    (root / "一页" / "p1.png").write_bytes(encoded(table_image(DPI).image, "PNG", DPI))
    return root


@pytest.fixture(scope="module")
def scanned(tree: Path) -> Report:
    return api.parse(tree / "扫描件" / "某某局")


@pytest.fixture(scope="module")
def expected(tree: Path, scanned: Report) -> dict[str, Any]:
    """Each input's result as checked alone: a folder through ``api.parse``."""
    out: dict[str, Any] = {}
    for path in (
        tree / "a.txt",
        tree / "其他" / "b.txt",
        tree / "扫描件" / "某某局",
        tree / "一页",
    ):
        try:
            report = scanned if path.name == "某某局" else api.parse(path)
            result = api.check_report(report)
            out[str(path)] = json.loads(json.dumps(result.contract_dict()))
        except ReadError as exc:
            out[str(path)] = {"source": str(path), "error": exc.problem}
    return out


def status(results: dict[str, Any]) -> int:
    """The exit status of ``xxgk check`` over these results."""
    if any("error" in o for o in results.values()):
        return 2
    found = [f for o in results.values() for f in o["findings"]]
    return 1 if any(f["severity"] == "error" for f in found) else 0


def _xxgk(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("xxgk")
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=600, check=False
    )


def test_the_scanned_report_is_read_from_its_pages(expected: dict[str, Any], tree: Path) -> None:
    scan = expected[str(tree / "扫描件" / "某某局")]["report"]
    plain = api.parse(GOOD)
    assert scan["year"] == plain.year and scan["published"] == plain.published
    assert scan["tables"]["t3"] == json.loads(json.dumps(plain.tables["t3"]))


def test_a_folder_of_page_images_is_one_input_at_any_depth(tree: Path) -> None:
    items, problems = inputs.gather([tree])
    assert problems == []
    assert [(Path(i.source).relative_to(tree).as_posix(), i.pages) for i in items] == [
        ("a.txt", False),
        ("一页", True),
        ("其他/b.txt", False),
        ("扫描件/某某局", True),
    ]
    named, _ = inputs.gather([tree / "扫描件" / "某某局"])  # the folder itself named
    assert [(i.source, i.pages) for i in named] == [(str(tree / "扫描件" / "某某局"), True)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_dir_json_gives_each_folder_its_report(
    jobs: str, tree: Path, expected: dict[str, Any]
) -> None:
    done = _xxgk("check", str(tree), "--json", "--jobs", jobs)
    assert done.returncode == status(expected), done.stderr
    got = {o["source"]: o for o in json.loads(done.stdout)}
    assert got == expected
    assert "p1.png" not in done.stderr and "p1.png" not in done.stdout


def test_check_dir_jsonl_gives_the_same_lines(tree: Path, expected: dict[str, Any]) -> None:
    done = _xxgk("check", str(tree), "--jsonl", "--jobs", "2")
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert {o["source"]: o for o in lines} == expected
    assert len(lines) == len(expected) and done.returncode == status(expected)


def test_pages_travel_packed_to_a_worker_without_the_disk(
    tree: Path, expected: dict[str, Any]
) -> None:
    folder = tree / "扫描件" / "某某局"
    item = inputs.gather([folder])[0][0]
    packed = inputs.load(item)
    names = [name for name, _ in inputs.unpack_pages(packed)]
    assert names == [f"p{n}.png" for n in range(1, len(names) + 1)]
    # an Executor of the caller's is sent contents, never paths: the packed pages
    got = {o.source: o.as_dict() for o in api.check_many(tree, scheduler=InlineExecutor())}
    assert json.loads(json.dumps(got)) == expected


def test_a_pack_that_is_damaged_is_refused() -> None:
    with pytest.raises(ValueError):
        inputs.unpack_pages(b"not pages")
    bad = inputs.PAGES_MAGIC + b"\x00\x00\x00\x05" + b"\x00" * 7 + b"\x01" + b"../x"
    with pytest.raises(ValueError):
        inputs.unpack_pages(bad + b"y")


def test_a_folder_of_page_images_may_be_the_previous_report(tree: Path, scanned: Report) -> None:
    other = tree / "其他" / "b.txt"
    (got,) = list(api.check_many(other, previous=tree / "扫描件" / "某某局", jobs=1))
    assert got.error is None and got.source == str(other)
    # read as last year's report: compared, or told why not, as with any --previous
    assert got.note == previous_mismatch(api.parse(other), scanned)
    assert (got.previous is None) == (got.note is not None)
