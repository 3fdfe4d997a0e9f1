"""Write the example reports shipped in src/xxgk/examples/ (run: make examples).

They are synthetic (made by xxgk from fixed numbers), in the text layouts real dumps
use; one carries typical mistakes so that `make run` shows what the checks find.
"""

from __future__ import annotations

from pathlib import Path

from xxgk.render.text import render_text
from xxgk.synth import consistent_report

OUT = Path(__file__).resolve().parents[1] / "src" / "xxgk" / "examples"

OVERVIEW = (
    "2023年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。"
    "全年主动公开政府信息156条，其中政策文件12条，工作动态98条，通知公告46条。"
    "全年共收到政府信息公开申请7件，均已按期答复。"
)
PROBLEMS = "存在问题：政策解读形式较为单一。改进措施：丰富图解、视频等解读形式，加强业务培训。"
OTHER = "本年度未收取信息处理费。"


def bureau_2023() -> str:
    r = consistent_report(
        leaves={
            "granted": {"natural": 3, "commercial": 1},
            "partial": {"natural": 1},
            "unable_not_held": {"natural": 1},
        },
        carried_over={"natural": 1},
        carried_forward={"natural": 1},
        cases={"review": {"upheld": 1}},
        t2={
            "normative_doc": {"issued": 2, "repealed": 1, "in_force": 15},
            "permit": {"decisions": 1325},
            "penalty": {"decisions": 47},
            "compulsion": {"decisions": 3},
            "fee": {"amount": 0},
        },
        agency="某某县发展和改革局",
        year=2023,
        published="2024-01-18",
        sections={1: OVERVIEW, 5: PROBLEMS, 6: OTHER},
    )
    return render_text(r, "tabs")


def township_2023_errors() -> str:
    r = consistent_report(
        leaves={"granted": {"natural": 1}, "rejected_duplicate": {"natural": 1}},
        cases={"review": {"corrected": 1}},
        t2={"permit": {"decisions": 12}, "penalty": {"decisions": 2}},
        agency="某某县某某镇人民政府",
        year=2023,
        published="2024-02-05",
        sections={
            1: "本镇严格执行《中华人民共和国政府信息公开条列》。今年共收到依申请公开3件，均按时答复。"
            "全年主动公开信息40条，其中工作动态25条、通知公告10条、财政信息8条。",
            5: PROBLEMS,
            6: OTHER,
        },
    )
    text = render_text(r, "cells")
    # typical mistakes: an Arabic-numbered heading, a count typed one short, "/" in cells
    text = text.replace("一、总体情况", "1、 总体情况", 1)
    new_row = "\t一、本年新收政府信息公开申请数量\n\t2\n"
    assert new_row in text
    text = text.replace(new_row, "\t一、本年新收政府信息公开申请数量\n\t1\n", 1)
    text = text.replace("\t行政强制\n\t0\n", "\t行政强制\n\t/\n", 1)
    return text


def bureau_2020_pipes() -> str:
    r = consistent_report(
        "2019",
        leaves={"granted": {"natural": 2}, "other": {"natural": 1}},
        t2={
            "normative_doc": {"made": 3, "published": 3, "public_total": 21},
            "permit": {"prev_items": 14, "delta": -2, "decisions": 230},
            "fee": {"prev_items": 2, "delta": 0},
            "procurement": {"items": 4, "amount": 86.5},
        },
        agency="某某市某某局",
        year=2020,
        published="2021-01-26",
        sections={1: "2020年共收到政府信息公开申请3件，均已办结。", 5: PROBLEMS, 6: "无。"},
    )
    return render_text(r, "pipes")


def office_2023_old_format() -> str:
    r = consistent_report(
        "2019",
        agency="某某区某某办公室",
        year=2023,
        published="2024-01-25",
        sections={1: "本年度未收到政府信息公开申请。", 5: PROBLEMS, 6: "无。"},
    )
    return render_text(r, "tabs")


def main() -> None:
    files = {
        "bureau-2023-tabs.txt": bureau_2023(),
        "township-2023-errors.txt": township_2023_errors(),
        "bureau-2020-pipes.txt": bureau_2020_pipes(),
        "office-2023-old-format.txt": office_2023_old_format(),
    }
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
