"""Issue 9: hostile and damaged inputs end in a result or one clear ReadError line, in
bounded time, and the output is strict JSON.  Each test is an input that failed before."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from xxgk import api
from xxgk.examples import example_paths
from xxgk.model import CheckResult, Report
from xxgk.readers import ReadError, read_bytes
from xxgk.readers.limits import DEFAULT_LIMITS


def _example_path(name: str = "bureau-2023-tabs.txt") -> Path:
    return next(p for p in example_paths() if p.name == name)


def _example(name: str = "bureau-2023-tabs.txt") -> str:
    return _example_path(name).read_text(encoding="utf-8")


def _strict_json(result: CheckResult) -> dict[str, object]:
    """The JSON `xxgk check --json` prints, refusing NaN and Infinity."""
    text = json.dumps(result.contract_dict(), ensure_ascii=False, allow_nan=False)
    data: dict[str, object] = json.loads(text)
    return data


def _check(path: Path) -> CheckResult:
    result = api.check_report(api.parse(path))
    _strict_json(result)
    return result


def _read_error(path: Path) -> str:
    with pytest.raises(ReadError) as info:
        api.parse(path)
    problem = info.value.problem
    assert info.value.source == str(path)
    assert "\n" not in problem and "内部错误" not in problem
    assert any("\u4e00" <= ch <= "\u9fff" for ch in problem), problem
    return problem


def _within(seconds: float, fn: Callable[[], object]) -> object:
    """``fn()``, failing the test if it takes longer than ``seconds``."""
    start = time.perf_counter()
    out = fn()
    took = time.perf_counter() - start
    assert took < seconds, f"took {took:.1f} s (bound {seconds} s)"
    return out


# --------------------------------------------------------------------------- HTML


@pytest.mark.parametrize("bad", ["\x0c", "\x01", "\x1f", "\x0b"])
def test_html_control_character_in_cell_text_and_tail(bad: str) -> None:
    page = (
        "<html><body><p>一、总体情况</p><table><tr><td>行政复议"
        f"{bad}</td><td><span>1</span>{bad}尾</td></tr>"
        f"<tr><td><b>x</b>{bad}</td><td>{bad}2</td></tr></table>"
        f"<p>正文{bad}</p>{bad}tail</body></html>"
    )
    doc = read_bytes(page.encode(), "ctrl.html")
    cells = [c.text for t in doc.tables() for row in t.rows for c in row]
    assert any("行政复议" in c for c in cells)


# ---------------------------------------------------------------- YAML/JSON data


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("list.yaml", "format: '2021'\nsections: [一, 二]\n", "sections 应为"),
        ("keys.yaml", "format: '2021'\nsections: {a: 正文}\n", "sections 的键"),
        ("keys.json", '{"sections": {"七": "正文"}}', "sections 的键"),
        ("agency.yaml", "agency: 1\n", "agency 应为机关名称"),
        ("year.yaml", "year: 二〇二三\n", "year 应为四位数字"),
        ("year.json", '{"year": [2023]}', "year 应为四位数字"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "嵌套层数过多"),
        ("deep.yaml", "[" * 100_000 + "]" * 100_000, "嵌套层数过多"),
        ("deepmap.yaml", "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "1\n",
         "嵌套层数过多"),
    ],
)  # fmt: skip
def test_data_file_of_the_wrong_shape_is_one_read_error(
    tmp_path: Path, name: str, content: str, says: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert says in _read_error(path)


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append("tables: *a9")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = _within(5, lambda: _read_error(path))
    assert "别名" in str(problem)


def test_recursive_yaml_alias_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("tables: &t {t2: *t}\n", encoding="utf-8")
    _read_error(path)


def test_date_that_does_not_exist_is_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "date.yaml"
    path.write_text("agency: 某局\nyear: 2023\npublished: 2024-13-40\n", encoding="utf-8")
    assert _check(path).report.published == "2024-13-40"


def test_data_file_larger_than_its_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: 100 MB as stat sees it
    assert "文件过大" in _within(2, lambda: _read_error(path))  # type: ignore[operator]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400", "9" * 5000])
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_non_finite_or_huge_value_is_num_001_and_output_stays_strict_json(
    tmp_path: Path, value: str, suffix: str
) -> None:
    if suffix == ".yaml":
        value = {"NaN": ".nan", "Infinity": ".inf", "-Infinity": "-.inf"}.get(value, value)
        text = f"agency: 某局\nyear: 2023\ntables: {{t2: {{normative_doc: {{issued: {value}}}}}}}\n"
    else:
        text = json.dumps({"agency": "某局", "year": 2023}).rstrip("}")
        text += f', "tables": {{"t2": {{"normative_doc": {{"issued": {value}}}}}}}}}'
    path = tmp_path / f"value{suffix}"
    path.write_text(text, encoding="utf-8")
    result = _check(path)
    assert result.report.tables["t2"]["normative_doc"]["issued"] is None
    bad = [f for f in result.findings if f.code == "NUM-001"]
    assert bad and bad[0].cells == ["t2.normative_doc.issued"]
    assert len(bad[0].message) < 200  # the value is shown cut, not 5,000 digits


# ------------------------------------------------------------------------ numbers


def test_cell_of_5000_digits_is_not_a_number(tmp_path: Path) -> None:
    text = _example().replace("\t5\t1\t0\t0\t0\t0\t6", "\t" + "5" * 5000 + "\t1\t0\t0\t0\t0\t6", 1)
    assert "5" * 5000 in text
    path = tmp_path / "digits.txt"
    path.write_text(text, encoding="utf-8")
    result = _check(path)
    assert result.report.tables["t3"]["new"]["natural"] is None


def test_decimal_cell_of_400_digits_is_not_infinity(tmp_path: Path) -> None:
    text = _example().replace("\t5\t1\t0\t0\t0\t0\t6", "\t" + "5" * 400 + ".5\t1\t0\t0\t0\t0\t6", 1)
    path = tmp_path / "float.txt"
    path.write_text(text, encoding="utf-8")
    assert _check(path).report.tables["t3"]["new"]["natural"] is None


def test_narrative_figure_of_5000_digits(tmp_path: Path) -> None:
    text = _example().replace("收到政府信息公开申请6件", "收到政府信息公开申请" + "6" * 5000 + "件")
    text = text.replace("156条，其中", "1" * 5000 + "条，其中")
    path = tmp_path / "narrative.txt"
    path.write_text(text, encoding="utf-8")
    result = _check(path)
    assert result.report.tables["t3"]["new"]["total"] == 6


# --------------------------------------------------------------------------- time


def test_enumeration_pattern_is_linear_on_long_digit_runs(tmp_path: Path) -> None:
    text = _example().replace("均已按期答复。", "均已按期答复" + "1" * 30_000 + "。")
    path = tmp_path / "run.txt"
    path.write_text(text, encoding="utf-8")
    _within(3, lambda: _check(path))


def test_many_lines_of_zero_after_a_report(tmp_path: Path) -> None:
    path = tmp_path / "zeros.txt"
    path.write_text(_example() + "0\n" * 30_000, encoding="utf-8")
    _within(6, lambda: _check(path))


def test_many_enumerations_in_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "enum.txt"
    path.write_text(_example() + "主动公开1条，其中" * 50_000 + "\n", encoding="utf-8")
    _within(8, lambda: _check(path))


def test_million_lines_are_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "lines.txt"
    path.write_text(_example() + "0\n" * 1_000_000, encoding="utf-8")
    assert "行数过多" in _within(3, lambda: _read_error(path))  # type: ignore[operator]


@pytest.mark.parametrize("rows", [200_000, 1_000_000])
def test_tab_rows_beyond_the_cell_limit_are_refused_quickly(tmp_path: Path, rows: int) -> None:
    path = tmp_path / "tabs.txt"
    path.write_text(_example() + "a\t1\t2\t3\n" * rows, encoding="utf-8")
    problem = _within(3, lambda: _read_error(path))
    assert "上限" in str(problem)


# ------------------------------------------------------------ files that are not


def test_symlink_to_dev_zero_is_refused(tmp_path: Path) -> None:
    for name in ("zero.txt", "zero.yaml"):
        link = tmp_path / name
        link.symlink_to("/dev/zero")
        assert "不是普通文件" in _within(2, lambda link=link: _read_error(link))  # type: ignore[misc,operator]


def test_fifo_does_not_block(tmp_path: Path) -> None:
    for name in ("pipe.txt", "pipe.json"):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        got: list[str] = []

        def run(f: Path = fifo, out: list[str] = got) -> None:
            out.append(_read_error(f))

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(5)
        assert not thread.is_alive(), "reading a FIFO blocked"
        assert got and "不是普通文件" in got[0]


def test_unreadable_file_is_one_chinese_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(_example(), encoding="utf-8")
    real_open = os.open

    def denied(file: object, *args: object, **kwargs: object) -> int:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)
    assert "没有读取权限" in _read_error(path)


# ---------------------------------------------------------------------- encodings


def _values(report: Report) -> dict[str, object]:
    return {k: report.tables[k] for k in ("t2", "t3", "t4")}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path: Path, encoding: str) -> None:
    text = _example()
    path = tmp_path / "u16.txt"
    path.write_bytes(text.encode(encoding))
    plain = tmp_path / "u8.txt"
    plain.write_text(text, encoding="utf-8")
    assert _values(_check(path).report) == _values(_check(plain).report)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_few_bad_bytes_are_replaced_and_reported(tmp_path: Path, encoding: str) -> None:
    text = _example()
    data = text.encode(encoding)
    cut = data.index("均已按期答复".encode(encoding))
    damaged = data[:cut] + b"\xff" + data[cut:]
    path = tmp_path / "bad.txt"
    path.write_bytes(damaged)
    result = _check(path)
    plain = tmp_path / "good.txt"
    plain.write_bytes(data)
    assert _values(result.report) == _values(_check(plain).report)
    stray = [f for f in result.findings if f.code == "TXT-006"]
    line = text[: text.index("均已按期答复")].count("\n") + 1
    assert any("1 处无法解码" in f.message and f.location.line == line for f in stray), stray


def test_binary_is_still_refused() -> None:
    data = bytes(range(256)) * 64
    with pytest.raises(ReadError):
        read_bytes(data, "noise.txt")


def test_limits_live_in_one_place() -> None:
    assert DEFAULT_LIMITS.max_digits == 15
    assert DEFAULT_LIMITS.max_lines >= 10_000 and DEFAULT_LIMITS.max_cells >= 10_000


# ------------------------------------------------------------------ glued rows


@pytest.mark.parametrize("digits", [2_000, 5_000])
def test_glued_row_of_thousands_of_digits_is_null_with_a_finding(
    tmp_path: Path, digits: int
) -> None:
    from xxgk.render.text import render_text

    glued = render_text(api.parse(_example_path()), "glued")  # a crawler dump
    values = re.search(r"总计(\d{15})五、", glued)  # the t4 values, glued
    assert values is not None
    text = glued[: values.start(1)] + "1" * digits + glued[values.end(1) :]
    path = tmp_path / "glued.txt"
    path.write_text(text, encoding="utf-8")
    result = _within(3, lambda: _check(path))
    assert isinstance(result, CheckResult)
    review = result.report.tables["t4"]["review"]
    assert all(v is None for v in review.values())
    assert any(any(c.startswith("t4.") for c in f.cells) for f in result.findings)


def test_every_reader_is_bounded_in_paragraphs(tmp_path: Path) -> None:
    from xxgk.readers import Limits, read

    page = "<html><body>" + "<p>收到政府信息公开申请1件，其中</p>" * 50 + "</body></html>"
    path = tmp_path / "many.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read(path, Limits(max_lines=20))
    assert "上限 20" in info.value.problem


def test_sum_suggestion_search_is_bounded() -> None:
    """A fuzz mutant (seed 9, #195 of scripts/fuzz.py) whose many broken sums made the
    smallest-correction search of the SUM rules solve 28,757 systems (20 s); now at most
    ``repair.arith.MAX_SOLVES``."""
    path = Path(__file__).parent / "fuzz" / "cases" / "sum-search-195.html"
    result = _within(10, lambda: _check(path))
    assert isinstance(result, CheckResult)
    assert any(f.code.startswith("SUM-") for f in result.findings)


def test_deep_yaml_after_a_long_text_is_refused_not_a_crash(tmp_path: Path) -> None:
    """libyaml crashes the process (segmentation fault) on 100,000 nested brackets; the
    nesting is bounded before it parses, wherever the brackets stand in the file."""
    path = tmp_path / "late.yaml"
    text = 'sections: {1: "' + "x" * 1_100_000 + '"}\ntables: ' + "[" * 100_000 + "]" * 100_000
    path.write_text(text + "\n", encoding="utf-8")
    assert "嵌套层数过多" in _read_error(path)


def test_brackets_inside_json_text_are_text(tmp_path: Path) -> None:
    path = tmp_path / "brackets.json"
    data = {"agency": "某局", "year": 2023, "sections": {"1": "[" * 100 + "见附件"}}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert _check(path).report.sections[1].startswith("[" * 100)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("big.yaml", "tables: {t2: {x: [" + "1, " * 5_000_000 + "1]}}\n"),  # 15 MB
        ("many.yaml", "tables:\n  t2:\n    x:\n" + "    - 1\n" * 600_000),
        ("big.json", '{"tables": {"t2": {"x": [' + "1," * 5_000_000 + "1]}}}"),
        ("many.json", '{"tables": {"t2": {"x": [' + "1," * 300_000 + "1]}}}"),
    ],
)
def test_huge_data_files_are_refused_in_bounded_time(tmp_path: Path, name: str, text: str) -> None:
    """A 15 MB YAML list took 24 s and 1.7 GB before it failed."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    problem = _within(3, lambda: _read_error(path))
    assert "过大" in str(problem)


def test_glued_rows_read_narrative_figures_in_linear_time() -> None:
    """A fuzz mutant (seed 2026, #6390) of a glued crawler dump whose long digit runs
    made the narrative search of the glued-row solver quadratic (3.6 s, 7 s under load);
    a figure of more than 4,300 digits there raised ValueError."""
    path = Path(__file__).parent / "fuzz" / "cases" / "glued-stated-6390.txt"
    _within(2, lambda: _check(path))


def test_glued_narrative_figure_of_5000_digits(tmp_path: Path) -> None:
    from xxgk.extract.glued import _stated

    text = "本年度废止规范性文件" + "7" * 5000 + "件，废止规范性文件3件。"
    assert _within(1, lambda: _stated(text, ("行政规范性文件",), ("废止",))) == {3}


def test_label_matching_of_a_very_long_cell_is_fast() -> None:
    """A fuzz mutant (seed 2027, #13820) duplicated a chunk into one 250 KB table cell:
    the fuzzy label match compared it with every row label (5 s)."""
    from xxgk.extract.labels import Matcher
    from xxgk.format import VERSIONS

    version = VERSIONS["2021"]
    matcher = Matcher(version.table("t3"), version.table("t2"))
    cell = "（三）不予公开 1.属于国家秘密" + "申请人情况自然人法人" * 25_000
    assert _within(1, lambda: matcher.match(cell)) is None
    assert matcher.match("（三）不予公开 1.属于国家秘蜜") is not None  # a typo still matches


@pytest.mark.parametrize(
    "text",
    [
        '{"year": ' + "2" * 250_000 + "}",  # fuzz seed 31, #2046
        '{"year": "' + "2" * 5_000 + '"}',
        '{"sections": {"' + "1" * 5_000 + '": "正文"}}',
    ],
)
def test_year_or_section_of_thousands_of_digits_is_a_read_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "digits.json"
    path.write_text(text, encoding="utf-8")
    assert "应为" in _read_error(path)
