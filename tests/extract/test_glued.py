"""Glued crawler dumps: cells concatenated without separators (xxgk.extract.glued)."""

from __future__ import annotations

from tests.samples import sample
from xxgk.extract import extract
from xxgk.extract.glued import run_pieces, splits
from xxgk.format import Kind
from xxgk.model import Report
from xxgk.readers.text import parse_text
from xxgk.render.text import render_text
from xxgk.synth import consistent_report


def _report_2019() -> Report:
    return consistent_report(
        "2019",
        leaves={"granted": {"natural": 3}},
        t2={
            "penalty": {"prev_items": 2648, "delta": -18538, "decisions": 7},
            "fee": {"prev_items": 35, "delta": -15},
            "procurement": {"items": 1, "amount": 246900},
        },
        year=2019,
    )


def _read(text: str) -> Report:
    return extract(parse_text(text, "glued.txt"))


def test_units_and_signs_mark_cell_boundaries() -> None:
    assert run_pieces("1个246900元") == ["1", "246900"]
    assert run_pieces("0.35万元") == ["0.35"]
    assert run_pieces("2648-18538", signed=True) == ["2648", "-18538"]
    assert run_pieces("2648-18538") == ["2648-18538"]  # no signed column: no boundary
    assert run_pieces("12 5", signed=True) == ["12", "5"]


def test_glued_signed_delta_and_a_unit_between_cells() -> None:
    report = _report_2019()
    text = render_text(report, "glued")
    assert "行政处罚2648-185387" in text and "政府集中采购1246900" in text
    back = _read(text.replace("政府集中采购1246900", "政府集中采购1个246900元"))
    t2 = back.tables["t2"]
    # the sign starts 本年增/减: 上一年项目数量 is certain; -18538|7 or -1853|87 … stay null
    assert t2["penalty"] == {"prev_items": 2648, "delta": None, "decisions": None}
    assert t2["fee"] == {"prev_items": 35, "delta": -15}
    assert t2["procurement"] == {"items": 1, "amount": 246900}
    amb = [a for a in back.anomalies if a.kind == "ambiguous" and "t2.penalty.delta" in a.cells]
    assert amb and "-18538,7" in amb[0].candidates


def test_glued_label_with_stray_space_and_misspelled_heading() -> None:
    report = _report_2019()
    text = render_text(report, "glued")
    good = _read(text)
    assert good.value("t4.review.total") == report.value("t4.review.total")
    bad = text.replace("政府集中采购", "政府集中 采购").replace(
        "四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政法复议、行政诉讼情况"
    )
    back = _read(bad)
    assert back.tables["t2"]["procurement"] == good.tables["t2"]["procurement"]
    assert back.tables["t3"] == good.tables["t3"]
    assert back.tables["t4"] == good.tables["t4"]
    assert 4 in {h.number for h in back.headings}


def test_glued_misspelled_label_keeps_its_run() -> None:
    report = consistent_report("2021", leaves={"denied_process": {"natural": 5}}, year=2023)
    text = render_text(report, "glued")
    good = _read(text)
    assert good.value("t3.denied_process.natural") == 5
    back = _read(text.replace("6.属于四类过程性信息", "6.属于四类过乙性信息"))
    assert back.tables["t3"]["denied_process"] == good.tables["t3"]["denied_process"]


def test_a_digit_run_after_a_blank_mark_is_not_a_misspelled_label() -> None:
    """``规章29/0行政规范性文件/6409``: the words between carry digits and ``/`` — no
    row is read from them (it was: 行政规范性文件 got 6409 split as 6,40,9)."""
    report = consistent_report(
        "2021",
        t2={
            "regulation": {"issued": 29, "in_force": 0},
            "normative_doc": {"repealed": 6, "in_force": 409},
        },
        year=2023,
    )
    text = render_text(report, "glued")
    back = _read(
        text.replace("规章2900", "规章29/0").replace("行政规范性文件06409", "行政规范性文件/6409")
    )
    for key in ("issued", "repealed", "in_force"):
        got = back.value(f"t2.normative_doc.{key}")
        assert got is None or got == report.value(f"t2.normative_doc.{key}")


def test_long_runs_of_large_numbers_are_cut_where_the_total_prints_its_sum() -> None:
    """A 36-digit t3 row has far too many cuts to list; the total's digits end the run
    and every part is bounded by it, so the one cut that adds up is found quickly."""
    kinds = [Kind.COUNT] * 7
    totals = {6: (0, 1, 2, 3, 4, 5)}
    run = "197415878210526763697830172468499742"
    assert splits(run, kinds) is None  # past the budget without the sum
    assert splits(run, kinds, totals=totals) == [(1974, 158782, 1052, 67636, 97830, 172468, 499742)]
    assert splits("021816036", kinds, totals=totals) == [(0, 21, 8, 1, 6, 0, 36)]
    # t4: three groups, each total inside the run: 1,2,0,3=6 2,0,0,5=7 8,1,4,0=13
    t4 = {4: (0, 1, 2, 3), 9: (5, 6, 7, 8), 14: (10, 11, 12, 13)}
    got = splits("1203620057814013", [Kind.COUNT] * 15, totals=t4)
    assert got is not None
    assert (1, 2, 0, 3, 6, 2, 0, 0, 5, 7, 8, 1, 4, 0, 13) in got
    assert all(c[4] == sum(c[0:4]) and c[9] == sum(c[5:9]) and c[14] == sum(c[10:14]) for c in got)


def test_glued_report_with_large_numbers_reads_its_t3_rows() -> None:
    report = consistent_report(
        "2021",
        leaves={
            "granted": {"natural": 1974, "commercial": 158782, "research": 1052},
            "denied_process": {"public_interest": 67636, "legal_service": 97830},
        },
        carried_over={"other_org": 172468},
        year=2023,
    )
    back = _read(render_text(report, "glued"))
    for key in report.version.cell_keys():
        got = back.value(key)
        assert got is None or got == report.value(key), key
    assert back.tables["t3"]["granted"] == report.tables["t3"]["granted"]
    assert back.tables["t3"]["carried_over"] == report.tables["t3"]["carried_over"]


def test_glued_misspelled_group_label_leaves_the_row_before_its_digits() -> None:
    """``8.属于行政查询事项2030005（四）天法提供1.本机关…``: the digits after the last
    row of （三） are still its run when the group label after them is misspelled."""
    report = consistent_report(
        "2021", leaves={"denied_inquiry": {"natural": 2, "research": 3}}, year=2023
    )
    text = render_text(report, "glued")
    assert "8.属于行政查询事项2030005（四）无法提供" in text
    back = _read(text.replace("（四）无法提供", "（四）天法提供"))
    assert back.tables["t3"]["denied_inquiry"] == report.tables["t3"]["denied_inquiry"]


def test_glued_narrative_after_a_heading_keeps_its_leading_year() -> None:
    report = sample("2021")
    report.sections[3] = "2023年本机关共收到政府信息公开申请，均按时答复"
    back = _read(render_text(report, "glued"))
    assert back.sections[3].startswith("2023年本机关共收到")
    assert back.tables == report.tables


def test_glued_row_whose_cuts_all_miss_its_total_is_left_null() -> None:
    """``（一）予以公开0001961``: seven digits for seven cells, but 0+0+0+1+9+6 is not 1 —
    two cells were printed empty (0,0,_,1,_,9,61 … ) — so nothing is read from it."""
    report = consistent_report("2021", leaves={"granted": {"natural": 3}}, year=2023)
    text = render_text(report, "glued")
    assert "（一）予以公开3000003" in text
    back = _read(text.replace("（一）予以公开3000003", "（一）予以公开0001961"))
    assert set(back.tables["t3"]["granted"].values()) == {None}
    amb = [a for a in back.anomalies if a.kind == "ambiguous" and "t3.granted.total" in a.cells]
    assert amb and "本行总计" in amb[0].candidates
    assert back.tables["t3"]["partial"] == report.tables["t3"]["partial"]


def test_glued_file_cut_inside_a_label_keeps_its_enumerator_out_of_the_run() -> None:
    """A dump cut as ``…（四）无法提供1.本``: the ``1`` numbers the next label."""
    from xxgk.extract.glued import deglue
    from xxgk.extract.lines import flatten

    report = consistent_report("2021", leaves={"denied_inquiry": {"natural": 2}}, year=2023)
    text = render_text(report, "glued")
    cut = text[: text.index("（四）无法提供") + len("（四）无法提供1.本")]
    lines = deglue(flatten(parse_text(cut, "cut.txt")))
    group = [ln for ln in lines if ln.toks[0].text.endswith("无法提供")]
    assert group and len(group[0].toks) == 1  # no value "1" after the group label


def test_a_dash_blank_at_the_end_of_a_glued_row_is_its_own_cell() -> None:
    """``行政许可204-16-``: 204 | -16 | - (the last cell blank), never 2 | 0 | 4."""
    from xxgk.synth import consistent_report

    report = consistent_report("2019", agency="某某乡人民政府", year=2020)
    report.tables["t2"]["permit"] = {"prev_items": 204, "delta": -16, "decisions": None}
    text = render_text(report, "glued")
    assert "行政许可204-16" in text
    back = _read(text.replace("行政许可204-16", "行政许可204-16-", 1))
    assert back.tables["t2"]["permit"] == {"prev_items": 204, "delta": -16, "decisions": None}


def test_a_dash_between_digits_may_be_a_blank_cell_in_a_signed_row() -> None:
    """``行政处罚24-11`` reads 24 | -1 | 1 and 24 | (blank) | 11: only 24 is certain."""
    from xxgk.synth import consistent_report

    report = consistent_report("2019", agency="某某乡人民政府", year=2020)
    report.tables["t2"]["penalty"] = {"prev_items": 24, "delta": None, "decisions": 11}
    text = render_text(report, "glued").replace("行政处罚2411", "行政处罚24-11", 1)
    assert "行政处罚24-11" in text
    back = _read(text)
    assert back.tables["t2"]["penalty"] == {"prev_items": 24, "delta": None, "decisions": None}
    assert any(a.kind == "ambiguous" and "t2.penalty.decisions" in a.cells for a in back.anomalies)


def test_pieces_printed_apart_are_never_joined_into_one_number() -> None:
    """Fewer pieces than cells, printed apart (a PDF paragraph ``26 1 19 73`` of a row
    whose 尚未审结 is blank): a piece may hold several cells, but no number spans two
    pieces, so 26 1 19 is never re-cut as 2 61 1 9 to meet the total."""
    kinds = [Kind.COUNT] * 5
    totals = {4: (0, 1, 2, 3)}
    assert (2, 61, 1, 9, 73) in (splits("2611973", kinds, totals=totals) or [])
    assert splits("26 1 19 73", kinds, totals=totals, apart=True) == []
    assert splits("26 1 19 73", kinds, apart=True) == [
        (2, 6, 1, 19, 73),
        (26, 1, 1, 9, 73),
        (26, 1, 19, 7, 3),
    ]
    assert splits("2 6 1 19 73", kinds, totals=totals, apart=True) == []
    assert splits("2 6 1 19 28", kinds, totals=totals, apart=True) == [(2, 6, 1, 19, 28)]
    assert splits("13 4 20037", kinds, totals=totals, apart=True) == [(13, 4, 20, 0, 37)]


def test_a_table4_row_with_a_blank_cell_printed_apart_reads_no_wrong_number() -> None:
    """Table 4's values as one paragraph, a space apart, one cell left blank (a PDF
    table without rulings): fifteen cells, fourteen numbers.  The after-review group
    (26 1 19 _ 73) adds up if 26 1 19 is re-cut 2 61 1 9; the pieces stay apart, no
    cut meets every total, and the row is null with NUM-005, never 2, 61, 1, 9."""
    report = _report_2019()
    text = render_text(report, "tabs")
    head = "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
    at = text.rindex(head) + len(head)
    end = text.index("\n", at)
    text = text[:at] + "13 4 20 0 37 0 323 19 23 365 26 1 19 73" + text[end:]
    back = _read(text)
    t4 = back.tables["t4"]
    assert all(v is None for cols in t4.values() for v in cols.values()), t4
    assert any(a.kind == "ambiguous" for a in back.anomalies)
