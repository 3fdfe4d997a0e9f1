"""What a supervisor reads about many reports: one row per file, and every finding.

Shared by the terminal summary (``show``) and the ``--xlsx`` workbook; no Rich here.
"""

from __future__ import annotations

from io import BytesIO

from .batch import Outcome
from .format import VERSIONS, Version
from .model import Finding, Severity

SEVERITY = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
FORMAT = {"2021": "2021年格式", "2019": "2019年试行格式"}
COLUMNS = ("文件", "机关", "年度", "格式", "错误", "警告", "提示", "问题编号", "跨年核对")
FINDING_COLUMNS = ("文件", "机关", "年度", "编号", "级别", "说明", "单元格", "位置", "建议")
_NUMERALS = "一二三四五六"


def row_label(version: Version, table: str, row: str) -> str:
    """A row as printed, with its group when its number alone repeats:
    （三）不予公开 1.属于国家秘密."""
    r = version.table(table).row(row)
    label = getattr(r, "shown", "") or (r.short if r.short.startswith(("（", "(")) else r.label)
    if r.group and r.group[:1] in "（(" and not label.startswith(("（", "(")):
        return f"{r.group} {label}"
    return label


def cell_name(version: Version, key: str) -> str:
    """A cell as a person finds it: 第三部分 （三）不予公开 1.属于国家秘密 · 自然人."""
    try:
        t, r, c = key.split(".")
        table = version.table(t)
        col = table.row(r).column(c).label
        return f"第{_NUMERALS[table.section - 1]}部分 {row_label(version, t, r)} · {col}"
    except (KeyError, ValueError, IndexError):
        return key


def where(f: Finding) -> str:
    bits = []
    if f.location.page:
        bits.append(f"第{f.location.page}页")
    if f.location.line:
        bits.append(f"第{f.location.line}行")
    return " ".join(bits)


def summary_row(o: Outcome) -> list[str | int | None]:
    """The summary values of one file, in COLUMNS order (None: unknown)."""
    if o.result is None:
        return [o.source, None, None, None, None, None, None, f"无法读取：{o.error}", None]
    r = o.result.report
    e, w, i = o.counts()
    codes = " ".join(sorted({f.code for f in o.result.findings})) or "无"
    if o.previous is not None:
        cross = f"对照{o.previous_year or '上一'}年度"
    elif o.note is not None:
        cross = "未核对（--previous 不符）"
    else:
        cross = ""
    return [
        o.source,
        r.agency,
        r.year,
        FORMAT.get(r.format or "", "未能识别"),
        e,
        w,
        i,
        codes,
        cross,
    ]


def finding_rows(o: Outcome) -> list[list[str | int | None]]:
    if o.result is None:
        return [[o.source, None, None, "—", "错误", f"无法读取：{o.error}", "", "", ""]]
    r = o.result.report
    version = VERSIONS.get(r.format or "2021", VERSIONS["2021"])
    return [
        [
            o.source,
            r.agency,
            r.year,
            f.code,
            SEVERITY[f.severity],
            f.message,
            "；".join(cell_name(version, c) for c in f.cells),
            where(f),
            f.suggestion,
        ]
        for f in o.result.findings
    ]


def summary_xlsx(outcomes: list[Outcome]) -> bytes:
    """Sheet 汇总 (one row per file) and sheet 问题 (one row per finding)."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "汇总"
    ws.append(list(COLUMNS))
    for o in outcomes:
        ws.append([_safe(v) for v in summary_row(o)])
    fs = wb.create_sheet("问题")
    fs.append(list(FINDING_COLUMNS))
    for o in outcomes:
        for row in finding_rows(o):
            fs.append([_safe(v) for v in row])
    sheets = ((ws, (40, 28, 8, 14, 6, 6, 6, 40, 30)), (fs, (40, 28, 8, 10, 6, 70, 40, 14, 50)))
    for sheet, widths in sheets:
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for n, w in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = w
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _safe(v: str | int | None) -> str | int | None:
    """Text a worksheet can hold: no control characters."""
    if not isinstance(v, str):
        return v
    return "".join(ch for ch in v if ch >= " " or ch in "\t\n")
