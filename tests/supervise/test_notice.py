"""Notices (年报审查意见): DOCX filled from the template, PDF through LibreOffice, zips,
and ``xxgk notice``."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from xxgk import office
from xxgk.api import check
from xxgk.cli import app as cli_app
from xxgk.examples import example_paths
from xxgk.supervise import notice as nt

EXAMPLES = {p.name: p for p in example_paths()}
TOWNSHIP = EXAMPLES["township-2023-errors.txt"]  # errors and warnings
CLEAN = EXAMPLES["bureau-2023-tabs.txt"]  # nothing to correct
DUE = date(2026, 12, 31)
ISSUED = date(2026, 12, 1)


def _text(data: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(data))
    body = "\n".join(p.text for p in doc.paragraphs)
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    return body, rows


def test_every_finding_is_a_row_with_where_and_what_to_do() -> None:
    result = check(TOWNSHIP)
    one = nt.notice_of(result)
    wanted = [f for f in result.findings if f.severity.value in ("error", "warning")]
    assert len(one.items) == len(wanted) > 0
    body, rows = _text(nt.render_docx(one, DUE, "某某县人民政府办公室", issued=ISSUED))
    assert "{{" not in body and not any("{{" in c for r in rows for c in r)
    assert result.report.agency and f"{result.report.agency}：" in body
    assert "2026年12月31日前" in body and "2026年12月1日" in body and "某某县人民政府办公室" in body
    assert f"发现以下{len(wanted)}个问题" in body
    assert f"错误{len(result.errors)}个" in body
    assert rows[0] == list(nt.ROW_FIELDS)
    assert len(rows) == 1 + len(wanted)
    for row, finding in zip(rows[1:], wanted, strict=True):
        _number, kind, message, where, todo = row
        assert finding.code in kind and nt.SEVERITY_NAMES[finding.severity.value] in kind
        assert message == finding.message
        described = finding.location.describe()
        assert (described or "全文") in where
        assert todo == (finding.suggestion or "核实后修改，或书面说明理由。")
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, len(wanted) + 1)]


def test_stored_json_gives_the_same_notice() -> None:
    result = check(TOWNSHIP)
    assert nt.notice_of(result.contract_dict()) == nt.notice_of(result)
    only_errors = nt.notice_of(result, severities=("error",))
    assert {i.severity for i in only_errors.items} == {"error"}
    chosen = nt.notice_of(result, findings=result.findings[:1])  # e.g. the confirmed ones
    assert [i.code for i in chosen.items] == [result.findings[0].code]


def test_no_finding_is_one_row_saying_so() -> None:
    one = nt.notice_of(check(CLEAN))
    assert one.items == []
    body, rows = _text(nt.render_docx(one, DUE, issued=ISSUED))
    assert len(rows) == 2 and "未发现需要整改的问题" in rows[1][2]
    assert nt.DEFAULT_OFFICE in body


def test_an_office_template_with_placeholders_split_over_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = Document()
    p = doc.add_paragraph()
    for piece in ("致", "{{机", "关}}", "：请于{{期限}}前整改", "{{未知}}"):
        p.add_run(piece)
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "{{序号}}"
    table.rows[0].cells[1].text = "{{问题}}（{{类别}}）"
    own = tmp_path / "templates" / "审查意见模板.docx"
    own.parent.mkdir()
    doc.save(str(own))
    monkeypatch.setenv("XXGK_DATA", str(tmp_path))
    assert nt.template_path() == own
    one = nt.notice_of(check(TOWNSHIP))
    body, rows = _text(nt.render_docx(one, DUE, issued=ISSUED))
    assert body == f"致{one.agency}：请于2026年12月31日前整改{{{{未知}}}}"  # unknown ones stay
    assert len(rows) == len(one.items)
    assert rows[0][1].startswith(one.items[0].message + "（")


def test_a_template_that_is_not_a_word_file_is_one_chinese_line(tmp_path: Path) -> None:
    bad = tmp_path / "模板.docx"
    bad.write_text("不是 Word 文件", encoding="utf-8")
    with pytest.raises(nt.NoticeError, match="不是可用的 Word"):
        nt.render_docx(nt.notice_of(check(TOWNSHIP)), template=bad)
    with pytest.raises(nt.NoticeError, match="模板文件不存在"):
        nt.template_path(tmp_path / "没有.docx")


def test_the_shipped_template_is_the_built_one() -> None:
    shipped = Document(str(nt.SHIPPED))
    built = nt._built()
    assert [p.text for p in shipped.paragraphs] == [p.text for p in built.paragraphs]
    assert [[c.text for c in r.cells] for r in shipped.tables[0].rows] == [
        [c.text for c in r.cells] for r in built.tables[0].rows
    ]


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice (soffice) not installed")
def test_pdf_through_libreoffice_shows_the_agency_and_the_deadline(tmp_path: Path) -> None:
    one = nt.notice_of(check(TOWNSHIP))
    pdf = nt.to_pdf(nt.render_docx(one, DUE, issued=ISSUED))
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    path = tmp_path / "n.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert one.agency in flat and "2026年12月31日" in flat and one.items[0].code in flat
    if shutil.which("pdftoppm"):  # for a person to look at (artifacts/render/)
        out = Path("artifacts/render")
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(path),
                        str(out / "notice")], check=True)  # fmt: skip


def test_pdf_without_libreoffice_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    with pytest.raises(nt.NoticeError, match="未找到 LibreOffice"):
        nt.to_pdf(b"")


def test_a_zip_keeps_every_notice_under_its_own_name() -> None:
    data = nt.zip_notices([("a.docx", b"1"), ("a.docx", b"2"), ("b.docx", b"3")])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == ["a.docx", "a-2.docx", "b.docx"]
        assert z.read("a-2.docx") == b"2"


def test_cli_one_report_many_reports_and_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    one = tmp_path / "一份.docx"
    got = runner.invoke(
        cli_app, ["notice", str(TOWNSHIP), "--deadline", "2026-12-31", "-o", str(one)]
    )
    assert got.exit_code == 0, got.output
    assert got.stdout.strip() == str(one)
    body, rows = _text(one.read_bytes())
    assert "2026年12月31日前" in body and len(rows) > 1
    many = tmp_path / "全部.zip"
    got = runner.invoke(cli_app, ["notice", str(TOWNSHIP), str(CLEAN), EXAMPLES["office-2023-old-format.txt"].as_posix(), "-o", str(many)])  # fmt: skip
    assert got.exit_code == 0, got.output
    assert "没有需要整改的问题" in got.stderr and CLEAN.name in got.stderr
    with zipfile.ZipFile(many) as z:
        assert len(z.namelist()) == 2 and all(n.endswith(".docx") for n in z.namelist())
    bad = runner.invoke(cli_app, ["notice", str(TOWNSHIP), "--deadline", "明年"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.stderr
    missing = runner.invoke(cli_app, ["notice", str(tmp_path / "没有.txt"), "-o", str(tmp_path)])
    assert missing.exit_code == 2 and "没有.txt" in missing.stderr
    assert "Traceback" not in missing.output
    tpl = tmp_path / "模板.docx"
    got = runner.invoke(cli_app, ["notice", "--template-out", str(tpl)])
    assert got.exit_code == 0 and "{{机关}}" in _text(tpl.read_bytes())[0]
