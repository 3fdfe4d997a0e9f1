"""Every finding points at a place the user can find: the line of a YAML field, the
paragraph of a Word file, the line and the words around a problem in a text file."""

from __future__ import annotations

import json
from pathlib import Path

import docx
from typer.testing import CliRunner

from xxgk.cli import app
from xxgk.render.data import render_yaml
from xxgk.synth import consistent_report

runner = CliRunner()
NARRATIVE = {1: "本年度公开工作有序开展。", 5: "问题：形式单一。改进：丰富形式。", 6: "无。"}


def _findings(path: Path) -> list[dict[str, object]]:
    res = runner.invoke(app, ["check", str(path), "--json"])
    assert res.exit_code in (0, 1), res.output
    found: list[dict[str, object]] = json.loads(res.stdout)["findings"]
    return found


def _yaml(tmp_path: Path, published: str | None) -> Path:
    r = consistent_report("2021", agency="某某县某某局", year=2024, sections=NARRATIVE)
    r.published = published
    path = tmp_path / "r.yaml"
    path.write_text(render_yaml(r), encoding="utf-8")
    return path


def _line_of(path: Path, finding: dict[str, object]) -> str:
    location = finding["location"]
    assert isinstance(location, dict) and location["line"], finding
    return path.read_text(encoding="utf-8").splitlines()[location["line"] - 1]


def test_a_yaml_without_a_date_says_fill_in_published_at_its_line(tmp_path: Path) -> None:
    path = _yaml(tmp_path, None)
    meta = next(f for f in _findings(path) if f["code"] == "META-001")
    assert "published" in str(meta["message"]) and "填写 published" in str(meta["suggestion"])
    assert _line_of(path, meta).startswith("published:")
    human = runner.invoke(app, ["check", str(path), "--no-tables"]).stdout
    assert "填写 published" in human


def test_late_publication_names_the_deadline_the_delay_and_the_line(tmp_path: Path) -> None:
    path = _yaml(tmp_path, "2025-03-05")
    late = next(f for f in _findings(path) if f["code"] == "DATE-001")
    assert "应于2025年1月31日前发布，逾期33天" in str(late["message"])
    assert _line_of(path, late).startswith("published:")


def test_a_word_files_section_finding_gives_the_paragraph(tmp_path: Path) -> None:
    r = consistent_report(
        "2021",
        agency="某某县某某局",
        year=2024,
        published="2025-01-20",
        sections={**NARRATIVE, 5: "（文字描述）"},
    )
    data = tmp_path / "r.yaml"
    data.write_text(render_yaml(r), encoding="utf-8")
    out = tmp_path / "r.docx"
    res = runner.invoke(app, ["render", str(data), "-o", str(out), "--force"])
    assert res.exit_code == 0, res.output
    hint = next(f for f in _findings(out) if f["code"] == "TXT-008")
    location = hint["location"]
    assert isinstance(location, dict)
    paragraphs = [p.text.strip() for p in docx.Document(str(out)).paragraphs if p.text.strip()]
    assert paragraphs[location["paragraph"] - 1].startswith("五、存在的主要问题")
    assert location["line"] is None  # a Word file has no lines a reader could count
    human = runner.invoke(app, ["check", str(out), "--no-tables"]).stdout
    assert f"正文第{location['paragraph']}段" in human


def test_a_text_files_narrative_finding_gives_the_line_and_the_words_around(
    tmp_path: Path,
) -> None:
    path = tmp_path / "r.txt"
    lines = [
        "某某县某某局2024年政府信息公开工作年度报告",
        "一、总体情况",
        "本局认真贯彻《中华人民共和国政府信息公开条列》，公开工作有序开展。",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    typo = next(f for f in _findings(path) if f["code"] == "TXT-005")
    assert _line_of(path, typo) == lines[2]
    location = typo["location"]
    assert isinstance(location, dict)
    assert "【《中华人民共和国政府信息公开条列》】" in str(location["quote"])
