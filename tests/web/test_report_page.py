"""The report page: tables as printed with marked cells, the evidence of a finding
(the PDF page with the cell's box drawn, the text passage with the value marked),
the downloads, last year's report used for XYR-*, and scope on every route."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import corpus_path
from tests.web.conftest import Site, login
from xxgk import api
from xxgk.examples import example_paths
from xxgk.web.worker import run_pending

EXAMPLES = {p.name: p for p in example_paths()}
TOWNSHIP = EXAMPLES[
    "township-2023-errors.txt"
]  # 某某县某某镇人民政府 2023, SUM-001 on t3.new.natural
BUREAU = EXAMPLES["bureau-2023-tabs.txt"]  # 某某县发展和改革局 2023, no findings alone


@pytest.fixture(scope="module")
def township_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The township example rendered as PDF (``xxgk render --to pdf``)."""
    from xxgk.render import RenderError

    try:
        data = api.render_report(api.parse(TOWNSHIP), "pdf")
    except RenderError as exc:
        pytest.skip(f"PDF output unavailable here ({exc}); make fonts installs it")
    path = tmp_path_factory.mktemp("pdf") / "某某镇-2023.pdf"
    path.write_bytes(data)
    return path


def _upload(site: Site, user: str, path: Path, name: str | None = None) -> int:
    answer = site.client.post(
        "/api/v1/reports",
        files={"file": (name or path.name, path.read_bytes())},
        headers=site.api(user),
    )
    assert answer.status_code == 201, answer.text
    rid: int = answer.json()["id"]
    return rid


def _finding(html: str, code: str) -> str:
    """The <li> of the first finding with ``code``."""
    for m in re.finditer(r'<li id="f\d+".*?</li>', html, re.S):
        if f"<code>{code}</code>" in m.group(0):
            return m.group(0)
    raise AssertionError(f"no {code} finding on the page")


def test_the_tables_are_laid_out_as_printed_with_cells_marked(site: Site) -> None:
    rid = _upload(site, "管理员", TOWNSHIP)
    run_pending(site.store)
    login(site.client, "管理员")
    page = site.client.get(f"/reports/{rid}")
    assert page.status_code == 200
    html = page.text
    # the printed headers of 表三, the group over the results, 表四's two heads
    for words in ("申请人情况", "法人或其他组织", "三、本年度办理结果", "行政复议", "行政诉讼"):
        assert words in html
    cell = re.search(r'<td id="t3\.new\.natural"[^>]*>(.*?)</td>', html, re.S)
    assert cell, "表三 本年新收·自然人 has no cell"
    assert "mark-error" in cell.group(0)
    assert re.search(r'title="[^"]*SUM-001', cell.group(0))
    assert re.search(r'<a class="ref" href="#f\d+">', cell.group(1))
    assert cell.group(1).startswith("1")  # the value as printed
    clean = re.search(r'<td id="t2\.regulation\.issued"[^>]*>', html)
    assert clean and "mark-" not in clean.group(0)


def test_a_text_finding_shows_the_passage_with_the_value_marked(site: Site) -> None:
    rid = _upload(site, "管理员", TOWNSHIP)
    run_pending(site.store)
    login(site.client, "管理员")
    item = _finding(site.client.get(f"/reports/{rid}").text, "SUM-001")
    passage = re.search(r'<blockquote class="passage">(.*?)<mark>(.*?)</mark>', item, re.S)
    assert passage, item
    assert passage.group(2) == "1"
    assert "本年新收" in passage.group(1)
    assert "建议：" in item and "由 1 改为 2" in item


def test_a_pdf_finding_shows_its_page_with_the_cell_boxed(site: Site, township_pdf: Path) -> None:
    rid = _upload(site, "管理员", township_pdf)
    run_pending(site.store)
    login(site.client, "管理员")
    html = site.client.get(f"/reports/{rid}").text
    item = _finding(html, "SUM-001")
    assert 'data-page="2"' in item and f"/reports/{rid}/pages/2.png" in item
    boxes = json.loads(re.search(r'data-boxes="([^"]*)"', item).group(1).replace("&#34;", '"'))
    assert boxes and all(0 < b["left"] < 100 and 0 < b["top"] < 100 for b in boxes)
    parse = site.client.get(f"/reports/{rid}/parse.json").json()
    x0, top, _x1, bottom = parse["cells"]["t3.new.natural"]["bbox"]
    assert parse["cells"]["t3.new.natural"]["page"] == 2
    plain = Image.open(io.BytesIO(site.client.get(f"/reports/{rid}/pages/2.png").content))
    answer = site.client.get(f"/reports/{rid}/pages/2.png?cell=t3.new.natural")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    drawn = Image.open(io.BytesIO(answer.content)).convert("RGB")
    assert drawn.size == plain.size
    assert abs(drawn.size[0] - 595 * 1.5) <= 1 and abs(drawn.size[1] - 842 * 1.5) <= 1  # A4
    # the outline runs just outside the cell's box (points × 1.5, top-left origin)
    y = round((top + bottom) / 2 * 1.5)
    edge = round(x0 * 1.5) - 3
    r, g, b = drawn.getpixel((edge, y))
    assert r > 150 and g < 80 and b < 80, (r, g, b)
    assert plain.convert("RGB").getpixel((edge, y)) != (r, g, b)
    assert site.client.get(f"/reports/{rid}/pages/9.png").status_code == 404
    assert site.client.get(f"/reports/{rid}/pages/1.png?scale=7").status_code == 404
    cached = list((site.store.data / "pages").rglob("*.png"))
    assert len(cached) == 1 and "-p2-x1.5" in cached[0].name


def test_the_downloads(site: Site, tmp_path: Path) -> None:
    import openpyxl

    rid = _upload(site, "管理员", TOWNSHIP)
    run_pending(site.store)
    login(site.client, "管理员")
    original = site.client.get(f"/reports/{rid}/file")
    assert original.content == TOWNSHIP.read_bytes()
    assert "attachment" in original.headers["content-disposition"]
    parse = site.client.get(f"/reports/{rid}/parse.json").json()
    assert parse["tables"] == api.parse(TOWNSHIP).contract_dict()["tables"]
    docx = site.client.get(f"/reports/{rid}/corrected.docx")
    assert docx.status_code == 200
    assert "%E6%9B%B4%E6%AD%A3%E7%A8%BF.docx" in docx.headers["content-disposition"]  # 更正稿
    fixed = tmp_path / "fixed.docx"
    fixed.write_bytes(docx.content)
    again = api.check(fixed)
    assert again.report.value("t3.new.natural") == 2  # the repair's change, read back
    assert not [f for f in again.findings if f.code.startswith("SUM-")]
    xlsx = site.client.get(f"/reports/{rid}/corrected.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    book = openpyxl.load_workbook(
        io.BytesIO(site.client.get(f"/reports/{rid}/findings.xlsx").content)
    )
    codes = [row[3] for row in book["问题"].iter_rows(min_row=2, values_only=True)]
    stored = site.client.get(f"/api/v1/reports/{rid}", headers=site.api("管理员")).json()
    assert sorted(codes) == sorted(f["code"] for f in stored["findings"])
    assert site.client.get(f"/reports/{rid}/corrected.txt").status_code == 404


def test_last_years_report_is_used_for_xyr_in_either_order(site: Site, tmp_path: Path) -> None:
    earlier = tmp_path / "bureau-2022.txt"
    earlier.write_text(BUREAU.read_text().replace("2023", "2022").replace("2024", "2023"))
    first = _upload(site, "发改填报", BUREAU)  # 2023 first: nothing to compare yet
    run_pending(site.store)
    alone = site.client.get(f"/api/v1/reports/{first}", headers=site.api("发改填报")).json()
    assert not [f for f in alone["findings"] if f["code"].startswith("XYR-")]
    before = _upload(site, "发改填报", earlier)  # then 2022: 2023 is checked again
    run_pending(site.store)
    later = site.client.get(f"/api/v1/reports/{first}", headers=site.api("发改填报")).json()
    assert "XYR-002" in [f["code"] for f in later["findings"]]
    login(site.client, "发改填报")
    page = site.client.get(f"/reports/{first}").text
    assert f'href="/reports/{before}">2022 年度报告</a>' in page
    # a new version of 2023 is compared with 2022 at once
    newer = tmp_path / "bureau-2023-v2.txt"
    newer.write_bytes(BUREAU.read_bytes().replace("156条".encode(), "157条".encode()))
    second = _upload(site, "发改填报", newer)
    run_pending(site.store)
    got = site.client.get(f"/api/v1/reports/{second}", headers=site.api("发改填报")).json()
    assert got["version"] == 2 and "XYR-002" in [f["code"] for f in got["findings"]]


def test_another_agencys_report_is_404_on_every_route(site: Site) -> None:
    rid = _upload(site, "发改填报", BUREAU)
    run_pending(site.store)
    login(site.client, "区办填报")
    for path in (
        "",
        "/file",
        "/parse.json",
        "/findings.xlsx",
        "/corrected.docx",
        "/pages/1.png",
    ):
        answer = site.client.get(f"/reports/{rid}{path}")
        assert answer.status_code == 404, path
        assert "没有编号为" in answer.text
    anonymous = site.fresh_client().get(f"/reports/{rid}/file", follow_redirects=False)
    assert anonymous.status_code in (303, 307) and "/login" in anonymous.headers["location"]


def test_a_real_pdfs_cell_box_lands_on_the_printed_value(site: Site) -> None:
    path = corpus_path("real", "hzq-2023.pdf")
    rid = _upload(site, "管理员", path)
    run_pending(site.store)
    login(site.client, "管理员")
    cell = site.client.get(f"/reports/{rid}/parse.json").json()["cells"]["t3.new.natural"]
    assert cell["raw"] == "21" and cell["page"] == 3
    x0, top, x1, bottom = cell["bbox"]
    url = f"/reports/{rid}/pages/3.png?scale=2&cell=t3.new.natural"
    drawn = Image.open(io.BytesIO(site.client.get(url).content)).convert("RGB")
    plain = Image.open(io.BytesIO(site.client.get(f"/reports/{rid}/pages/3.png?scale=2").content))
    inside = plain.convert("L").crop(
        (round(x0 * 2), round(top * 2), round(x1 * 2), round(bottom * 2))
    )
    assert inside.getextrema()[0] < 100  # the printed digits are inside the box
    r, g, b = drawn.getpixel((round(x0 * 2) - 3, round(top + bottom)))
    assert r > 150 and g < 80 and b < 80


def test_without_javascript_a_finding_link_shows_its_page(site: Site, township_pdf: Path) -> None:
    rid = _upload(site, "管理员", township_pdf)
    run_pending(site.store)
    login(site.client, "管理员")
    html = site.client.get(f"/reports/{rid}").text
    item = _finding(html, "SUM-001")
    index = int(re.search(r'<li id="f(\d+)"', item).group(1))
    link = re.search(r'<a class="show" href="([^"]+)">在原文第 2 页查看</a>', item)
    assert link and link.group(1) == f"?show={index}#viewer"
    shown = site.client.get(f"/reports/{rid}?show={index}").text
    viewer = re.search(r'<figure id="viewer".*?</figure>', shown, re.S)
    assert viewer and " hidden" not in viewer.group(0).split(">", 1)[0]
    assert f"问题 {index + 1} · 原文第 2 页" in viewer.group(0)
    assert f'src="/reports/{rid}/pages/2.png"' in viewer.group(0)
    stored = site.client.get(f"/api/v1/reports/{rid}", headers=site.api("管理员")).json()
    cells = stored["findings"][index]["cells"]  # t3 cells on page 2, each boxed
    assert viewer.group(0).count('<span class="box"') == len(cells)
    drawn = re.search(r'id="viewer-open" href="([^"]+)"', viewer.group(0))
    assert drawn and "cell=t3.new.natural" in drawn.group(1)


def test_the_corrected_pdf_reads_back_corrected(
    site: Site, township_pdf: Path, tmp_path: Path
) -> None:
    rid = _upload(site, "管理员", township_pdf)  # township_pdf: skipped without PDF output
    run_pending(site.store)
    login(site.client, "管理员")
    answer = site.client.get(f"/reports/{rid}/corrected.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    fixed = tmp_path / "更正稿.pdf"
    fixed.write_bytes(answer.content)
    again = api.check(fixed)
    assert again.report.value("t3.new.natural") == 2
    assert not [f for f in again.findings if f.code.startswith("SUM-")]


@pytest.mark.parametrize("to", ["docx", "html"])
def test_a_word_or_web_tables_value_is_marked_in_its_row(
    site: Site, tmp_path: Path, to: str
) -> None:
    path = tmp_path / f"某某镇2023.{to}"
    path.write_bytes(api.render_report(api.parse(TOWNSHIP), to))
    assert api.parse(path).cells["t3.new.natural"].start is None  # no offsets: the row is found
    rid = _upload(site, "管理员", path)
    run_pending(site.store)
    login(site.client, "管理员")
    item = _finding(site.client.get(f"/reports/{rid}").text, "SUM-001")
    passage = re.search(
        r'<blockquote class="passage">(.*?)<mark>(.*?)</mark>(.*?)</blockquote>', item, re.S
    )
    assert passage, item
    assert passage.group(1).rstrip().endswith("一、本年新收政府信息公开申请数量")
    assert passage.group(2) == "1"  # 自然人, the first of the row's values
    assert passage.group(3).startswith(" 0 0 0 0 0 2")
