"""Loading xxgk's data files (YAML, JSON) within bounds: size, nesting, aliases, digits.

``yaml.safe_load`` and ``json.loads`` trust their input: 100,000 nested brackets end
in RecursionError, nine aliases of nine aliases build a structure of a billion values
that the first walk over it never finishes, and a 5,000-digit integer raises
ValueError.  Here every such input ends in one ``ReadError`` line, and a number too
long to be a count reaches the report as text (NUM-001), never as output.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import yaml

from .readers import ReadError
from .readers.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from .format import Column, Version


class _LongNumber(str):
    """A number printed with more digits than ``max_digits``: kept as its text."""


def _int_or_text(text: str) -> int | str:
    digits = text.lstrip("+-").replace("_", "").replace(",", "")
    if len(digits) > DEFAULT_LIMITS.max_digits:
        return _LongNumber(text)
    return int(text.replace("_", "").replace(",", ""))


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML whose integers are parsed only up to ``max_digits`` digits."""


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    value = str(loader.construct_scalar(node))
    if len(value.lstrip("+-").replace("_", "")) > DEFAULT_LIMITS.max_digits:
        return _LongNumber(value)
    return int(yaml.SafeLoader.construct_yaml_int(loader, node))


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """A date as YAML reads it; one that does not exist (2024-13-40) stays its text,
    for the date rules to report."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_data(raw: bytes, source: str, suffix: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """The data of a YAML or JSON file, or ReadError with one line in Chinese."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(source, f"不是 UTF-8 编码的文本（第 {exc.start} 个字节无法解码）") from None
    if suffix != ".json" and len(raw) > limits.max_yaml_bytes:
        mb = 1024 * 1024
        raise ReadError(
            source,
            f"文件过大（{len(raw) / mb:.0f} MB，YAML 上限 {limits.max_yaml_bytes // mb} MB）",
        )
    # every value but the first follows a separator: more separators than allowed
    # values is refused before the parser builds them all (time and memory)
    separators = sum(text.count(ch) for ch in ",:\n-")
    if separators > 2 * limits.max_nodes:
        raise ReadError(source, f"数据过大（超过 {limits.max_nodes:,} 个值）")
    deep = _deepest_brackets(text) if suffix != ".json" else 0  # json raises RecursionError
    if deep > limits.max_depth:
        raise ReadError(source, f"嵌套层数过多（{deep} 层，上限 {limits.max_depth} 层）")
    try:
        if suffix == ".json":
            data: Any = json.loads(
                text, parse_int=_int_or_text, parse_constant=_LongNumber, parse_float=_float
            )
        else:
            data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise ReadError(source, f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else "格式错误"
        raise ReadError(source, f"不是有效的 YAML（{where}）") from None
    except RecursionError:
        raise ReadError(source, f"嵌套层数过多（上限 {limits.max_depth} 层）") from None
    except (ValueError, TypeError, OverflowError) as exc:
        what = "JSON" if suffix == ".json" else "YAML"
        raise ReadError(source, f"不是有效的 {what}（有无法读取的值：{_one_line(exc)}）") from None
    _check_size(data, source, limits)
    return data


def _float(text: str) -> float | str:
    number = float(text)
    return _LongNumber(text) if number in (float("inf"), float("-inf")) else number


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:120] or type(exc).__name__


def _deepest_brackets(text: str) -> int:
    """An upper bound of the bracket nesting of YAML flow collections, without parsing
    (brackets inside strings count too: only a bound).  It is checked before libyaml
    sees the text: 100,000 nested ``[`` crash the C parser (a segmentation fault)."""
    if text.count("[") + text.count("{") <= DEFAULT_LIMITS.max_depth:
        return 0  # cannot be deeper than the brackets it has
    depth = deepest = 0
    for m in re.finditer(r"[\[\]{}]", text):
        if m.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


def _check_size(data: Any, source: str, limits: Limits) -> None:
    """Walk the loaded data once (shared YAML aliases counted at every use), refusing
    it beyond ``max_depth`` levels or ``max_nodes`` values: an alias bomb is refused
    after a bounded walk instead of exhausting time and memory later."""
    budget = limits.max_nodes
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise ReadError(
                source,
                f"数据过大（超过 {limits.max_nodes:,} 个值；YAML 别名每次引用都计入，疑似别名炸弹）",
            )
        if depth > limits.max_depth:
            raise ReadError(source, f"嵌套层数过多（上限 {limits.max_depth} 层）")
        if isinstance(node, dict):
            stack.extend((k, depth + 1) for k in node)
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list | tuple):
            stack.extend((v, depth + 1) for v in node)


def meta_fields(
    data: dict[Any, Any], source: str
) -> tuple[str | None, int | None, str | None, dict[int, str]]:
    """agency, year, published and sections of a data file, checked: a value of the
    wrong kind is a ReadError naming the field (never a guess)."""
    agency = data.get("agency")
    if agency is not None and not isinstance(agency, str):
        raise ReadError(source, f"agency 应为机关名称（文字），而不是 {_shown(agency)}")
    year = data.get("year")
    if year is not None:
        if isinstance(year, str) and _small_int(year):
            year = int(year.strip())
        if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
            raise ReadError(source, f"year 应为四位数字的年度，如 2023，而不是 {_shown(year)}")
    published = data.get("published")
    if published in (None, ""):
        published = None
    elif isinstance(published, dt.datetime):
        published = published.date().isoformat()
    elif isinstance(published, dt.date):
        published = published.isoformat()
    elif isinstance(published, str) and not isinstance(published, _LongNumber):
        published = published.strip() or None
    else:
        raise ReadError(source, f"published 应为日期，如 2024-01-31，而不是 {_shown(published)}")
    raw_sections = data.get("sections") or {}
    if not isinstance(raw_sections, dict):
        raise ReadError(source, "sections 应为各部分的正文（1 至 6: 文本），而不是列表或单个值")
    sections: dict[int, str] = {}
    for key, text in raw_sections.items():
        number = key if isinstance(key, int) and not isinstance(key, bool) else None
        if isinstance(key, str) and _small_int(key):
            number = int(key.strip())
        if number is None or not 1 <= number <= 6:
            raise ReadError(source, f"sections 的键应为 1 至 6 的部分编号，而不是 {_shown(key)}")
        if text is not None and not isinstance(text, str | int | float):
            raise ReadError(source, f"sections 第 {number} 部分应为文本")
        sections[number] = "" if text is None else str(text)
    return agency, year, published, sections


def _small_int(text: str) -> bool:
    """ASCII digits few enough for a year or a section number (int() of a 5,000-digit
    string raises ValueError)."""
    t = text.strip()
    return t.isascii() and t.isdigit() and len(t) <= 6


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 40 else text[:40] + "…"


def table_entries(version: Version, tables: Any) -> Iterator[tuple[str, Column, dict[str, Any]]]:
    """(cell key, its column, the row's dict) for every cell of the format that a data
    file's ``tables`` sets; rows and tables that are not mappings are passed over (the
    model refuses them later)."""
    if not isinstance(tables, dict):
        return
    for t in version.tables:
        rows = tables.get(t.key)
        if not isinstance(rows, dict):
            continue
        for r in t.rows:
            cols = rows.get(r.key)
            if not isinstance(cols, dict):
                continue
            for c in r.columns:
                if cols.get(c.key) is not None:
                    yield f"{t.key}.{r.key}.{c.key}", c, cols
