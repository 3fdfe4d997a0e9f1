"""What a clerk sees on the command line (issue 8): each test shows the user-visible
behaviour a fix changed."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from xxgk import checks
from xxgk.cli import app
from xxgk.model import Report
from xxgk.render.data import render_yaml
from xxgk.synth import consistent_report

from .test_properties import reports

runner = CliRunner()
SUMS = {"SUM-001", "SUM-002", "SUM-003", "SUM-004"}
_STEP = re.compile(r"将“(.+?)”由 (\S+) 改为 (\d+(?:\.\d+)?)")


def _entry(tmp_path: Path, edit: dict[str, int] | None = None, **kw: object) -> Path:
    """A data-entry file as `xxgk new` writes it, with narrative filled and cells set."""
    r = consistent_report(
        "2021",
        agency="某某县某某局",
        year=2024,
        published="2025-01-20",
        sections={1: "本年度公开工作有序开展。", 5: "问题：形式单一。改进：丰富形式。", 6: "无。"},
    )
    for key, value in (edit or {}).items():
        t, row, col = key.split(".")
        r.tables[t][row][col] = value
    r = dataclasses.replace(r, **kw)
    path = tmp_path / "r.yaml"
    path.write_text(render_yaml(r), encoding="utf-8")
    return path


def _apply_suggestion(report: Report, suggestion: str) -> Report:
    """The report after doing what the suggestion says, reading only its words."""
    names = {report.version.display(k): k for k in report.version.cell_keys()}
    steps = _STEP.findall(suggestion)
    assert steps, suggestion
    fixed = copy.deepcopy(report)
    for name, _old, new in steps:
        t, r, c = names[name].split(".")
        fixed.tables[t][r][c] = float(new) if "." in new else int(new)
    return fixed


# ---------------------------------------------------------------- item 2


def test_suggestion_of_a_wrong_results_cell_keeps_every_sum() -> None:
    """予以公开·总计 8 instead of 7: the advice is to correct that cell, not the total."""
    r = consistent_report("2021", leaves={"granted": {"natural": 7}})
    r.tables["t3"]["granted"]["total"] = 8
    found = [f for f in checks.run(r) if f.code in SUMS]
    assert {f.code for f in found} == {"SUM-002", "SUM-003"}
    for f in found:
        assert "将“第三部分 （一）予以公开 · 总计”由 8 改为 7" in f.suggestion
        assert "办理结果总计应为" not in f.suggestion
        assert not [e for e in checks.run(_apply_suggestion(r, f.suggestion)) if e.code in SUMS]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), st.data())
def test_every_sum_suggestion_applied_removes_its_finding_and_adds_no_error(
    report: Report, data: st.DataObject
) -> None:
    keys = [k for k in report.version.cell_keys() if k.startswith(("t3.", "t4."))]
    key = data.draw(st.sampled_from(keys))
    t, r, c = key.split(".")
    old = report.tables[t][r][c] or 0
    report.tables[t][r][c] = old + data.draw(
        st.sampled_from([-3, -1, 1, 2, 7]).filter(lambda d: old + d >= 0)
    )
    before = checks.run(report)
    errors = {f.key() for f in before if f.severity.value == "error"}
    for f in before:
        if f.code not in SUMS:
            continue
        after = checks.run(_apply_suggestion(report, f.suggestion))
        assert f.key() not in {g.key() for g in after}, (f.message, f.suggestion)
        new = {g.key() for g in after if g.severity.value == "error"} - errors
        assert not new, (f.suggestion, new)


# ---------------------------------------------------------------- item 1


def test_a_blank_entry_form_is_an_error_and_is_not_rendered(tmp_path: Path) -> None:
    new = runner.invoke(app, ["new", "--year", "2024", "--agency", "某某县某某局"])
    assert new.exit_code == 0
    form = tmp_path / "r.yaml"
    form.write_text(new.stdout, encoding="utf-8")
    res = runner.invoke(app, ["check", str(form), "--no-tables"])
    assert res.exit_code == 1
    assert res.stdout.count("TXT-008") == 3
    assert "“一、总体情况”仍是模板的提示文字" in res.stdout
    found = json.loads(runner.invoke(app, ["check", str(form), "--json"]).stdout)["findings"]
    lines = form.read_text(encoding="utf-8").splitlines()
    for f in (f for f in found if f["code"] == "TXT-008"):  # the line of the section
        assert lines[f["location"]["line"] - 1].strip() in ("1: |-", "5: |-", "6: |-")
    out = tmp_path / "r.docx"
    res = runner.invoke(app, ["render", str(form), "-o", str(out)])
    assert res.exit_code == 1 and not out.exists()
    assert "TXT-008" in res.stderr
    res = runner.invoke(app, ["render", str(form), "-o", str(out), "--force"])
    assert res.exit_code == 0 and out.exists()


def test_the_official_templates_hint_is_an_error(tmp_path: Path) -> None:
    path = _entry(tmp_path, sections={1: "（文字描述）", 5: "已整改。", 6: "无。"})
    res = runner.invoke(app, ["check", str(path), "--json"])
    found = [f for f in json.loads(res.stdout)["findings"] if f["code"] == "TXT-008"]
    assert [f["severity"] for f in found] == ["error"]
    assert "（文字描述）" in found[0]["message"]


# ---------------------------------------------------------------- items 3 and 4


def test_fix_without_output_says_what_will_happen_and_names_cells_as_printed(
    tmp_path: Path,
) -> None:
    path = _entry(tmp_path, {"t3.granted.total": 1, "t3.new.total": 0})
    path.write_text(
        path.read_text(encoding="utf-8").replace("granted:", "granted:", 1), encoding="utf-8"
    )
    res = runner.invoke(app, ["fix", str(path)])
    assert "已采用" not in res.stdout
    assert "将采用第 1 种；加 -o 文件 写出修正后的报告" in res.stdout
    assert "第三部分 （一）予以公开 · 总计：1 → 0" in res.stdout
    assert not re.search(r"\bt[234]\.\w+\.\w+", res.stdout)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.yaml"]
    fixed = tmp_path / "fixed.yaml"
    res = runner.invoke(app, ["fix", str(path), "-o", str(fixed)])
    assert "已采用" in res.stdout and fixed.exists()
    data = json.loads(runner.invoke(app, ["fix", str(path), "--json"]).stdout)
    assert data["candidates"][0]["changes"][0]["cell"] == "t3.granted.total"


def test_check_human_output_never_shows_keys_and_json_keeps_them(tmp_path: Path) -> None:
    path = _entry(tmp_path, {"t3.granted.total": 8, "t3.granted.natural": 7})
    res = runner.invoke(app, ["check", str(path), "--no-tables"])
    assert "SUM-002" in res.stdout
    assert not re.search(r"\bt[234]\.\w+\.\w+", res.stdout)
    data = json.loads(runner.invoke(app, ["check", str(path), "--json"]).stdout)
    assert any("t3.granted.total" in f["cells"] for f in data["findings"])


def test_conversion_lists_cells_by_name_and_says_null_when_it_writes_null(
    tmp_path: Path,
) -> None:
    r = consistent_report("2019", year=2022, published="2023-01-20")
    r.tables["t3"]["other"]["natural"] = None
    path = tmp_path / "old.yaml"
    path.write_text(render_yaml(r), encoding="utf-8")
    res = runner.invoke(app, ["fix", str(path)])
    assert "未能转换 第三部分 （六）其他处理 1.申请人无正当理由逾期不补正" in res.stdout
    assert not re.search(r"\bt[234]\.\w+\.\w+", res.stdout)
    lines = [x for x in res.stdout.replace("\n", "").split("未能转换") if "2.申请人逾期" in x]
    assert any("· 自然人：" in x and "记为空" in x for x in lines)
    assert any("· 商业企业：" in x and "记为 0" in x for x in lines)


# ---------------------------------------------------------------- item 7


def test_a_notice_is_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(
        "关于做好2025年春节期间安全生产工作的通知\n各乡镇、各部门：\n"
        "一、提高思想认识\n各单位要充分认识安全生产工作的重要性。\n"
        "二、加强隐患排查\n发现问题及时整改。\n某某县安全生产委员会办公室\n2025年1月20日\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["check", str(path)])
    assert res.exit_code == 2
    assert "不是政府信息公开工作年度报告" in res.stderr
    res = runner.invoke(app, ["parse", str(path), "--json"])
    assert res.exit_code == 2 and not res.stdout


def test_a_report_with_tables_and_no_headings_still_parses(tmp_path: Path) -> None:
    from xxgk.render.text import render_text

    text = render_text(consistent_report("2021", leaves={"granted": {"natural": 3}}), "tabs")
    for s in ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        text = text.replace(s, "")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["parse", str(path), "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["tables"]["t3"]["granted"]["natural"] == 3


# ---------------------------------------------------------------- item 9


def test_new_refuses_an_implausible_year_or_the_wrong_format() -> None:
    res = runner.invoke(app, ["new", "--year", "25", "--agency", "某某局"])
    assert res.exit_code == 2 and "四位数" in res.stderr and not res.stdout
    res = runner.invoke(app, ["new", "--year", "2025", "--format", "2019", "--agency", "某某局"])
    assert res.exit_code == 2 and "2021年格式" in res.stderr and not res.stdout
    res = runner.invoke(app, ["new", "--year", "2052", "--agency", "某某局"])
    assert res.exit_code == 2 and "2052" in res.stderr
    res = runner.invoke(app, ["new", "--year", "2020", "--format", "2019", "--agency", "某某局"])
    assert res.exit_code == 0 and 'format: "2019"' in res.stdout


def test_a_report_published_before_its_year_ended_or_for_2052_is_an_error(
    tmp_path: Path,
) -> None:
    path = _entry(tmp_path, published="2024-06-30")
    res = runner.invoke(app, ["check", str(path), "--json"])
    codes = {f["code"]: f["message"] for f in json.loads(res.stdout)["findings"]}
    assert res.exit_code == 1 and "早于该年度结束" in codes["DATE-002"]
    path = _entry(tmp_path, year=2052, published="2053-01-10")
    codes = {
        f["code"]
        for f in json.loads(runner.invoke(app, ["check", str(path), "--json"]).stdout)["findings"]
    }
    assert "META-002" in codes


# ---------------------------------------------------------------- item 10

_THREE = (
    "（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t{a}\n"
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t{b}\n"
    "3.其他\t{c}\n"
)


def _one_other_row(tmp_path: Path, other: dict[str, int]) -> Path:
    from xxgk.render.text import render_text

    r = consistent_report(
        "2021",
        leaves={"granted": {"natural": 3}, "other_other": other},
        published="2024-01-20",
        sections={1: "工作有序开展。", 5: "问题：形式单一。改进：丰富形式。", 6: "无。"},
    )
    text = render_text(r, "tabs")

    def row(key: str) -> str:
        return "\t".join(str(r.tables["t3"][key][c]) for c in r.tables["t3"][key])

    old = _THREE.format(a=row("other_no_correction"), b=row("other_no_fee"), c=row("other_other"))
    assert old in text
    text = text.replace(old, f"（六）其他处理\t{row('other_other')}\n")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_fix_derives_the_three_other_rows_from_a_printed_zero(tmp_path: Path) -> None:
    path = _one_other_row(tmp_path, {})
    res = runner.invoke(app, ["fix", str(path), "-o", str(tmp_path / "fixed.yaml")])
    flat = res.stdout.replace("\n", "")
    assert "报告只印了一行“（六）其他处理”" in flat and "各列都记为 0" in flat
    checked = runner.invoke(app, ["check", str(tmp_path / "fixed.yaml"), "--json"])
    data = json.loads(checked.stdout)
    assert data["report"]["tables"]["t3"]["other_no_fee"]["natural"] == 0
    assert data["report"]["tables"]["t3"]["other_other"]["total"] == 0
    assert not [f for f in data["findings"] if f["code"] == "NUM-002"]


def test_fix_leaves_a_nonzero_other_column_blank_and_says_so(tmp_path: Path) -> None:
    path = _one_other_row(tmp_path, {"natural": 2})
    res = runner.invoke(app, ["fix", str(path), "--json"])
    derived = json.loads(res.stdout)["derived"]
    assert [d["value"] for d in derived] == [0, None]
    assert "t3.other_other.natural" in derived[1]["cells"]
    assert "t3.other_no_fee.commercial" in derived[0]["cells"]
    assert "自然人、总计列不为 0" in derived[1]["why"]


# ---------------------------------------------------------------- item 5


def test_full_width_digits_and_thousands_separators_are_read_with_a_note(
    tmp_path: Path,
) -> None:
    cells = ("new", "granted", "results_total")
    path = _entry(tmp_path, {f"t3.{r}.{c}": 1200 for r in cells for c in ("natural", "total")})
    text = path.read_text(encoding="utf-8")
    text = text.replace("natural: 1200", "natural: １２００", 1).replace(
        "total: 1200", 'total: "1,200"', 1
    )
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["check", str(path), "--json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["report"]["tables"]["t3"]["new"] == {
        **dict.fromkeys(data["report"]["tables"]["t3"]["new"], 0),
        "natural": 1200,
        "total": 1200,
    }
    notes = [f for f in data["findings"] if f["code"] == "NUM-007"]
    assert [f["severity"] for f in notes] == ["info", "info"]
    assert "“第三部分 一、本年新收 · 自然人”填写为“１２００”，已读作 1200" in notes[0]["message"]


# ---------------------------------------------------------------- item 8


def _workbook(tmp_path: Path) -> tuple[Path, Report]:
    r = consistent_report(
        "2021",
        leaves={"granted": {"natural": 3}, "denied_law": {"commercial": 2}},
        cases={"review": {"upheld": 2}},
        agency="某某县某某局",
        year=2024,
        published="2025-01-20",
        sections={1: "本年度工作有序开展。", 5: "问题：形式单一。改进：丰富形式。", 6: "无。"},
    )
    r.tables["t2"]["fee"]["amount"] = 12.5
    path = tmp_path / "r.xlsx"
    from xxgk.render import render

    path.write_bytes(render(r, "xlsx"))
    return path, r


def test_xxgks_own_workbook_reads_back_with_the_values_as_edited(tmp_path: Path) -> None:
    import openpyxl  # type: ignore[import-untyped]

    path, r = _workbook(tmp_path)
    res = runner.invoke(app, ["check", str(path), "--json"])
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["findings"] == []
    rep = data["report"]
    assert (rep["agency"], rep["year"], rep["published"]) == ("某某县某某局", 2024, "2025-01-20")
    for key in r.version.cell_keys():
        t, row, c = key.split(".")
        assert rep["tables"][t][row][c] == r.value(key), key
    assert rep["sections"]["5"] == "问题：形式单一。改进：丰富形式。"
    # the clerk adds one 予以公开 request for a 自然人 and one new request in Excel
    wb = openpyxl.load_workbook(path)
    ws = wb["申请情况"]
    for label, delta in (("（一）予以公开", 1), ("一、本年新收政府信息公开申请数量", 1)):
        row = next(c.row for line in ws.iter_rows() for c in line if c.value == label)
        ws.cell(row, 4).value += delta
    wb.save(path)
    data = json.loads(runner.invoke(app, ["check", str(path), "--json"]).stdout)
    t3 = data["report"]["tables"]["t3"]
    assert t3["granted"]["natural"] == 4 and t3["granted"]["total"] == 4  # the formula followed
    assert t3["results_total"]["total"] == 6 and t3["new"]["total"] == 6
    assert data["findings"] == []


def test_other_spreadsheets_get_a_true_message(tmp_path: Path) -> None:
    import openpyxl

    foreign = tmp_path / "统计.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "申请数"
    wb.save(foreign)
    res = runner.invoke(app, ["check", str(foreign)])
    assert res.exit_code == 2
    assert "这是 Excel 电子表格，但不是 xxgk 生成的" in res.stderr
    assert "LibreOffice" not in res.stderr
    xls = tmp_path / "报告.xls"
    xls.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le")
    )
    res = runner.invoke(app, ["check", str(xls)])
    assert res.exit_code == 2
    assert "旧版 Excel 电子表格（.xls）" in res.stderr and "LibreOffice" not in res.stderr


# ---------------------------------------------------------------- item 15


def test_forced_workbook_keeps_the_printed_total_like_the_word_file(tmp_path: Path) -> None:
    import openpyxl

    path = _entry(tmp_path, {"t4.review.total": 11, "t4.review.upheld": 0})
    out = tmp_path / "r.xlsx"
    res = runner.invoke(app, ["render", str(path), "-o", str(out), "--force"])
    assert res.exit_code == 0
    back = json.loads(runner.invoke(app, ["parse", str(out), "--json"]).stdout)
    assert back["tables"]["t4"]["review"]["total"] == 11  # as printed, as in the .docx
    ws = openpyxl.load_workbook(out)["复议诉讼"]
    row = next(
        c.row for line in ws.iter_rows() for c in line if c.value == "第四部分 行政复议 · 总计"
    )
    assert ws.cell(row, 3).value.startswith("=SUM(")


def test_docx_title_breaks_between_words_and_tables_keep_with_their_heading(
    tmp_path: Path,
) -> None:
    import docx  # type: ignore[import-untyped]
    from docx.oxml.ns import qn  # type: ignore[import-untyped]

    path = _entry(tmp_path, agency="某某省某某市某某区发展和改革局")
    out = tmp_path / "r.docx"
    assert runner.invoke(app, ["render", str(path), "-o", str(out)]).exit_code == 0
    document = docx.Document(str(out))
    title = document.paragraphs[0].text
    assert title.split("\n") == ["某某省某某市某某区发展和改革局", "2024年政府信息公开工作年度报告"]
    body = document.element.body
    blocks = list(body.iterchildren())
    for i, el in enumerate(blocks):
        if el.tag != qn("w:tbl"):
            continue
        before = blocks[i - 1]
        assert before.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
        rows = el.findall(qn("w:tr"))
        for row in rows[:-1]:
            for p in row.iter(qn("w:p")):
                assert p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
        for p in rows[-1].iter(qn("w:p")):
            assert p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is None
    back = json.loads(runner.invoke(app, ["parse", str(out), "--json"]).stdout)
    assert back["agency"] == "某某省某某市某某区发展和改革局" and back["year"] == 2024


# ---------------------------------------------------------------- item 6


def test_a_yaml_finding_names_the_line_to_edit(tmp_path: Path) -> None:
    path = _entry(tmp_path, {"t3.granted.total": 8, "t3.granted.natural": 7})
    res = runner.invoke(app, ["check", str(path), "--json"])
    f = next(f for f in json.loads(res.stdout)["findings"] if f["code"] == "SUM-003")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[f["location"]["line"] - 1].strip().startswith("total: 8")
    assert f["location"]["cell"] == "第三部分 （一）予以公开 · 总计"
    human = runner.invoke(app, ["check", str(path), "--no-tables"]).stdout
    assert f"[第{f['location']['line']}行]" in human


def test_grid_findings_name_table_row_and_column_not_the_page_source_line(
    tmp_path: Path,
) -> None:
    from xxgk.render import render

    r = consistent_report("2021", leaves={"granted": {"natural": 3}})
    r.tables["t4"]["review"]["total"] = 5
    for to in ("html", "docx"):
        path = tmp_path / f"r.{to}"
        path.write_bytes(render(r, to))
        data = json.loads(runner.invoke(app, ["check", str(path), "--json"]).stdout)
        f = next(f for f in data["findings"] if f["code"] == "SUM-004")
        where = f["location"]
        assert (where["table"], where["row"]) == (3, 4), where  # table 四's value row
        assert where["col"] == 5 and where["cell"] == "第四部分 行政复议 · 总计"
        human = runner.invoke(app, ["check", str(path), "--no-tables"]).stdout
        assert "[第3个表格第4行第5列]" in human


def test_findings_of_a_one_line_crawler_dump_quote_the_text_around_the_value(
    tmp_path: Path,
) -> None:
    from xxgk.render.text import render_text

    r = consistent_report("2021", leaves={"granted": {"natural": 3}, "partial": {"natural": 2}})
    r.tables["t3"]["granted"]["total"] = 4
    r.tables["t3"]["partial"]["total"] = 9
    path = tmp_path / "dump.txt"
    path.write_text(render_text(r, "pipes").replace("\n", " "), encoding="utf-8")
    data = json.loads(runner.invoke(app, ["check", str(path), "--json"]).stdout)
    found = [f for f in data["findings"] if f["code"] == "SUM-003"]
    assert len(found) == 2 and found[0]["location"]["line"] == found[1]["location"]["line"]
    quotes = [f["location"]["quote"] for f in found]
    assert quotes[0] != quotes[1]
    assert all("【" in q for q in quotes)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), st.data())
def test_carry_over_advice_applied_removes_the_finding_and_keeps_every_sum(
    report: Report, data: st.DataObject
) -> None:
    """XYR-001 used to advise only “上年结转应为 3”, which broke SUM-001 and SUM-003."""
    previous = copy.deepcopy(report)
    previous.year = (report.year or 2023) - 1
    col = data.draw(st.sampled_from(["natural", "commercial"]))
    forward = dict(report.tables["t3"]["carried_over"])  # last year's report agreed …
    forward[col] = (forward[col] or 0) + data.draw(st.integers(1, 5))  # … but for one column
    forward["total"] = sum(v or 0 for k, v in forward.items() if k != "total")
    previous.tables["t3"]["carried_forward"] = forward
    found = [f for f in checks.run(report, previous) if f.code == "XYR-001"]
    assert found
    fixed = _apply_suggestion(report, found[0].suggestion)
    after = checks.run(fixed, previous)
    assert not [f for f in after if f.code == "XYR-001"], found[0].suggestion
    assert not [f for f in after if f.severity.value == "error"], found[0].suggestion


def test_cell_messages_carry_the_part_and_the_group(tmp_path: Path) -> None:
    """“2.重复申请” alone is ambiguous (three groups number their rows 1., 2., …)."""
    path = _entry(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    denied_law:  # （三）不予公开 2.其他法律行政法规禁止公开\n      natural: 0",
        "    denied_law:  # （三）不予公开 2.其他法律行政法规禁止公开\n      natural: null",
    )
    path.write_text(text, encoding="utf-8")
    data = json.loads(runner.invoke(app, ["check", str(path), "--json"]).stdout)
    f = next(f for f in data["findings"] if f["code"] == "NUM-002")
    assert f["message"].startswith(
        "“第三部分 （三）不予公开 2.其他法律行政法规禁止公开 · 自然人”为空白"
    )


def test_a_text_report_finding_gives_the_line_and_the_table_position() -> None:
    from xxgk.examples import example_paths

    bad = next(p for p in example_paths() if p.name == "township-2023-errors.txt")
    data = json.loads(runner.invoke(app, ["check", str(bad), "--json"]).stdout)
    f = next(f for f in data["findings"] if f["code"] == "SUM-001")
    where = f["location"]
    lines = bad.read_text(encoding="utf-8").splitlines()
    assert lines[where["line"] - 1].strip() == "1"  # one cell per line: the value's own
    assert lines[where["line"] - 2].strip().startswith("一、本年新收")
    assert "【1】" in where["quote"]
