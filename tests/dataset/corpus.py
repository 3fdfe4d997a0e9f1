"""Generated reports with values the tests set, written as files, and what each holds.

A supervisor's folder in small: six agencies of every level over three years, some
with a 勾稽 error put in on purpose, one with a blank total, one with nothing
handled, publication dates before and after each deadline, a copy of one file under
another name and a file that is no report.  The tests compute every expected answer
from the ``Made`` list, never from a run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from xxgk.model import Report
from xxgk.render import render
from xxgk.render.text import render_text
from xxgk.synth import consistent_report

# agency → the level a person gives it (the query derives it from the name)
AGENCIES = {
    "江苏省人民政府": "省级政府",
    "南京市人民政府": "市级政府",
    "江宁区人民政府": "县级政府",
    "南京市教育局": "部门",
    "溧水区交通运输局": "部门",
    "汤山镇人民政府": "乡镇（街道）",
    "秣陵街道办事处": "乡镇（街道）",
}
YEARS = (2021, 2022, 2023)
DENIED = (
    "denied_state_secret",
    "denied_law",
    "denied_safety",
    "denied_third_party",
    "denied_internal",
    "denied_process",
    "denied_enforcement",
    "denied_inquiry",
)
MISMATCH = ("溧水区交通运输局", 2023)  # its 上年结转 is not last year's 结转下年度
NOTHING = ("汤山镇人民政府", 2021)  # no application at all: the rate's total is 0
BLANK = ("南京市教育局", 2022)  # 办理结果总计 left blank


@dataclass
class Made:
    """One generated report file and the truth about it."""

    path: Path
    report: Report  # the values written
    sum_error: bool  # a 勾稽 error was put in

    @property
    def agency(self) -> str:
        return str(self.report.agency)

    @property
    def year(self) -> int:
        return int(self.report.year or 0)

    def value(self, key: str) -> float | None:
        v = self.report.value(key)
        return None if v is None else float(v)


def make(folder: Path, seed: int = 7) -> list[Made]:
    """Write the reports into ``folder`` (text dumps and YAML data files)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Made] = []
    forward: dict[str, int] = {}
    n = 0
    for year in YEARS:
        for agency in AGENCIES:
            over = forward.get(agency, rng.randint(0, 2))
            if (agency, year) == MISMATCH:
                over += 2
            leaves: dict[str, dict[str, int]] = {}
            if (agency, year) != NOTHING:
                leaves = {
                    "granted": {"natural": rng.randint(0, 9), "commercial": rng.randint(0, 2)},
                    "partial": {"commercial": rng.randint(0, 4)},
                    "unable_not_held": {"natural": rng.randint(0, 3)},
                }
                for row in rng.sample(DENIED, 2):
                    leaves[row] = {"natural": rng.randint(0, 3)}
            fwd = rng.randint(0, 3) if (agency, year) != NOTHING else 0
            if (agency, year) == NOTHING:
                over = 0
            published = rng.choice((f"{year + 1}-01-20", f"{year + 1}-02-10", f"{year + 1}-04-02"))
            report = consistent_report(
                agency=agency,
                year=year,
                published=published,
                leaves=leaves,
                carried_over={"natural": over},
                carried_forward={"natural": fwd},
            )
            forward[agency] = int(report.value("t3.carried_forward.natural") or 0)
            sum_error = (agency, year) not in (NOTHING, BLANK) and rng.random() < 0.3
            if sum_error:  # 本年新收 one too many for 自然人: SUM-001 and SUM-003
                report.tables["t3"]["new"]["natural"] = int(report.value("t3.new.natural") or 0) + 1
            n += 1
            if (agency, year) == BLANK:
                report.tables["t3"]["results_total"]["total"] = None
                path = folder / f"{n:02d}.yaml"
                path.write_bytes(render(report, "yaml"))
            elif n % 3 == 0:
                path = folder / "data" / f"{n:02d}.yaml"
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(render(report, "yaml"))
            else:
                path = folder / "text" / f"{n:02d}.txt"
                path.parent.mkdir(exist_ok=True)
                path.write_text(render_text(report), encoding="utf-8")
            made.append(Made(path, report, sum_error))
    return made


def extras(folder: Path, made: list[Made]) -> tuple[Path, Path]:
    """A copy of the first report under another name, and a file that is no report."""
    copy = folder / "copy-of-first.txt"
    copy.write_bytes(made[0].path.read_bytes())
    bad = folder / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a PDF")
    return copy, bad
