"""The agency tree: adding, importing (CSV/XLSX as offices keep it), matching the
loose names reports print to an agency, and the ids below a region."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import LEVELS, Agency, AgencyAlias

# the columns of an import file (the first row); 别名 may hold several, separated by 、，；,;
COLUMNS = ("名称", "级别", "上级", "别名")
_SPLIT = re.compile(r"[、，；,;|/\n]+")
_DROP = re.compile(r"[\s\u3000·・\-—_（）()【】\[\]“”\"'《》]+")


class StoreError(ValueError):
    """A problem a user can fix, in Chinese (bad input, unknown name …)."""


def normalize(name: str) -> str:
    """A name as compared: NFKC (full-width letters and digits folded), spaces,
    brackets and punctuation dropped, Latin letters lowercased."""
    return _DROP.sub("", unicodedata.normalize("NFKC", name)).lower()


def by_name(session: Session, name: str) -> Agency | None:
    """The agency named ``name`` or having it as an alias (normalised)."""
    key = normalize(name)
    if not key:
        return None
    for agency in session.scalars(select(Agency)):
        if normalize(agency.name) == key:
            return agency
    alias = session.scalar(select(AgencyAlias).where(AgencyAlias.normalized == key))
    return alias.agency if alias is not None else None


def require(session: Session, name: str) -> Agency:
    agency = by_name(session, name)
    if agency is None:
        raise StoreError(f"没有名为“{name}”的机关或地区（先用 xxgk agencies add 添加）")
    return agency


def add(
    session: Session,
    name: str,
    level: str,
    parent: str | None = None,
    aliases: Iterable[str] = (),
) -> Agency:
    name = name.strip()
    if not name:
        raise StoreError("机关名称不能为空")
    if level not in LEVELS:
        raise StoreError(f"级别“{level}”不对，应为 {'、'.join(LEVELS)} 之一")
    if by_name(session, name) is not None:
        raise StoreError(f"机关“{name}”已存在")
    parent_row = require(session, parent) if parent else None
    agency = Agency(name=name, level=level, parent=parent_row)
    session.add(agency)
    session.flush()
    for alias in aliases:
        add_alias(session, agency, alias)
    return agency


def add_alias(session: Session, agency: Agency, alias: str) -> None:
    alias = alias.strip()
    key = normalize(alias)
    if not key or key == normalize(agency.name):
        return
    other = by_name(session, alias)
    if other is not None:
        if other.id == agency.id:
            return
        raise StoreError(f"别名“{alias}”已属于“{other.name}”")
    session.add(AgencyAlias(agency_id=agency.id, alias=alias, normalized=key))
    session.flush()


def children(session: Session) -> dict[int | None, list[int]]:
    tree: dict[int | None, list[int]] = {}
    for aid, parent in session.execute(select(Agency.id, Agency.parent_id)):
        tree.setdefault(parent, []).append(aid)
    return tree


def subtree(session: Session, agency_id: int) -> set[int]:
    """The agency and every agency below it."""
    tree = children(session)
    found = {agency_id}
    todo = [agency_id]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def match(session: Session, name: str | None, within: set[int] | None = None) -> Agency | None:
    """The agency a report's printed name means: the same name or an alias after
    normalisation; else the one agency whose name (or alias) ends the printed name
    (``某某市某某局`` for ``某某局``, at least four characters), restricted to ``within``."""
    if not name:
        return None
    key = normalize(name)
    if not key:
        return None
    candidates: dict[int, Agency] = {}
    names: list[tuple[str, Agency]] = []
    for agency in session.scalars(select(Agency)):
        if within is None or agency.id in within:
            names.append((normalize(agency.name), agency))
            names.extend((a.normalized, agency) for a in agency.aliases)
    for n, agency in names:
        if n == key:
            return agency
    best = 0
    for n, agency in names:
        if len(n) >= 4 and (key.endswith(n) or (n.endswith(key) and len(key) >= 4)):
            size = min(len(n), len(key))
            if size > best:
                best, candidates = size, {agency.id: agency}
            elif size == best:
                candidates[agency.id] = agency
    return next(iter(candidates.values())) if len(candidates) == 1 else None


@dataclass
class Row:
    line: int
    name: str
    level: str
    parent: str
    aliases: list[str]


def read_table(path: Path) -> list[Row]:
    """The rows of an agency table (CSV in UTF-8 or GBK, or the first sheet of an
    XLSX): a header row naming 名称, 级别, 上级 (optional) and 别名 (optional)."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"无法读取 {path}：{exc.strerror or exc}") from None
    grid: list[list[str]]
    if suffix == ".csv":
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise StoreError(f"{path}：无法识别文字编码（请存为 UTF-8 或 GBK）")
        grid = [list(r) for r in csv.reader(io.StringIO(text))]
    elif suffix == ".xlsx":
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise StoreError(f"{path}：不是有效的 Excel（.xlsx）文件") from None
        sheet = wb.worksheets[0]
        grid = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    else:
        raise StoreError(f"{path}：只能导入 .xlsx 或 .csv 文件")
    while grid and not any(c.strip() for c in grid[0]):
        grid.pop(0)
    if not grid:
        raise StoreError(f"{path}：文件是空的")
    header = [c.strip() for c in grid[0]]
    where = {}
    for col in COLUMNS:
        if col in header:
            where[col] = header.index(col)
    if "名称" not in where or "级别" not in where:
        raise StoreError(
            f"{path}：第一行应有“名称”和“级别”两列（可选“上级”“别名”），实际为：{'、'.join(header)}"
        )

    def cell(r: list[str], col: str) -> str:
        i = where.get(col)
        return r[i].strip() if i is not None and i < len(r) and r[i] else ""

    rows = []
    for n, r in enumerate(grid[1:], start=2):
        if not any(c.strip() for c in r):
            continue
        aliases = [a for a in _SPLIT.split(cell(r, "别名")) if a.strip()]
        rows.append(Row(n, cell(r, "名称"), cell(r, "级别"), cell(r, "上级"), aliases))
    return rows


def import_table(session: Session, path: Path) -> tuple[int, int]:
    """Add the agencies of a table (parents may come after children); an agency that
    exists already gets the aliases listed.  Returns (added, updated)."""
    rows = read_table(path)
    names = {normalize(r.name) for r in rows}
    for r in rows:
        if not r.name:
            raise StoreError(f"{path} 第{r.line}行：名称为空")
        if r.level not in LEVELS:
            raise StoreError(
                f"{path} 第{r.line}行：级别“{r.level}”不对，应为 {'、'.join(LEVELS)} 之一"
            )
        if r.parent and normalize(r.parent) not in names and by_name(session, r.parent) is None:
            raise StoreError(f"{path} 第{r.line}行：上级“{r.parent}”不在表中，也不在已有机关中")
    added = updated = 0
    todo = list(rows)
    while todo:
        left = []
        for r in todo:
            existing = by_name(session, r.name)
            if existing is not None:
                for a in r.aliases:
                    add_alias(session, existing, a)
                updated += 1
            elif not r.parent or by_name(session, r.parent) is not None:
                add(session, r.name, r.level, r.parent or None, r.aliases)
                added += 1
            else:
                left.append(r)
        if len(left) == len(todo):
            raise StoreError(f"{path} 第{left[0].line}行：上级关系成环（“{left[0].parent}”）")
        todo = left
    return added, updated
