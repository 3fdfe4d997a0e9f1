"""The report's title, agency, year and publication date."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .labels import normalize
from .lines import Line

_YEAR_TITLE = re.compile(r"(20\d\d)\s*年\s*度?")
_REPORT = re.compile(r"(年度报告|工作报告|年报|年度工作报告)")
_DATE = re.compile(r"(20\d\d)\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_DATE_LABEL = re.compile(r"(发布时间|发布日期|公开日期|成文日期|印发日期|生成日期|日期)\s*[:：]\s*")
_PERIOD = re.compile(r"(20\d\d)\s*年\s*1\s*月\s*1\s*日\s*(至|到|—|-)")
_AGENCY_END = re.compile(
    r"(人民政府|政府|办公室|办公厅|委员会|管委会|局|委|办|厅|部|署|院|中心|乡|镇|街道|办事处|"
    r"公司|集团|所|馆|队|站|会|区|县|市|州|盟|旗)$"
)
_TITLE_PREFIX = re.compile(r"^(标题|题目|正文)\s*[:：]?")
_SKIP_TITLE = re.compile(r"(索引号|来源|原文链接|发布机构|浏览次数|访问量|字号|分享|打印)")


@dataclass
class Meta:
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    year_from: str | None = None  # title | period | text (the most frequent year: a guess)
    published: str | None = None


def _iso(m: re.Match[str]) -> str | None:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _title(lines: list[Line], first_heading: int | None) -> tuple[str | None, int]:
    """The report title: the first lines before 一、总体情况 that name a report."""
    stop = first_heading if first_heading is not None else min(len(lines), 12)
    head = [ln for ln in lines[: max(stop, 0)] if ln.paragraph][:12]
    for i, ln in enumerate(head):
        text = _TITLE_PREFIX.sub("", ln.text).strip()
        if _SKIP_TITLE.search(text) and not _REPORT.search(text):
            continue
        if _REPORT.search(text) and "信息公开" in normalize(
            text + "".join(x.text for x in head[i + 1 : i + 2])
        ):
            parts = [text]
            # a title broken over lines: "隆德县神林乡" / "2023 年…年度报告", "…工作" / "年度报告"
            ym = _YEAR_TITLE.search(text)
            if (
                i > 0
                and ym is not None
                and not text[: ym.start()].strip()
                and len(head[i - 1].text) <= 40
            ):
                prev = _TITLE_PREFIX.sub("", head[i - 1].text).strip()
                if prev and not _SKIP_TITLE.search(prev) and not prev.endswith(("。", "：", ":")):
                    parts.insert(0, prev)
            return "".join(_squash(p) for p in parts), head[i].index
        nxt = head[i + 1].text if i + 1 < len(head) else ""
        if "信息公开" in text and _REPORT.search(nxt) and len(text) <= 40 and len(nxt) <= 12:
            return _squash(text + nxt), head[i].index
    return None, -1


_PREAMBLE = re.compile(r"^(根据|按照|依据|依照|遵照|为)|如下[:：]?$|。")
_PRONOUN = re.compile(r"^(我|本)(局|委|办|厅|部|署|院|乡|镇|区|县|市|单位|机关|中心|街道|公司)?$")
_PREAMBLE_VERB = re.compile(
    r"(?:编制|公布|公开|发布|印发|形成|现将|特将|制定)了?(?:本机关|本单位)?"
)


def _squash(text: str) -> str:
    """Without whitespace; characters as printed (full-width brackets stay)."""
    return "".join(text.split())


def _agency_from_title(title: str) -> tuple[str | None, int | None]:
    t = re.split(r"[-—_|｜]", title)[0] if not title.startswith(("-", "—")) else title
    if _PREAMBLE.search(t):
        # a preamble sentence: "根据《条例》要求，特编制××局2023年政府信息公开工作年度报告。"
        t = t.split("。")[0]
        # words inside 《…》 are titles of other documents, not this report's
        masked = re.sub(r"《[^》]*》", lambda b: "《" + "_" * (len(b.group()) - 2) + "》", t)
        ym = _YEAR_TITLE.search(masked)
        verbs = [v for v in _PREAMBLE_VERB.finditer(masked) if ym and v.end() <= ym.start()]
        if verbs and _REPORT.search(masked):
            t = t[verbs[-1].end() :]
        else:
            return None, None
    m = _YEAR_TITLE.search(t)
    if not m:
        return None, None
    year = int(m.group(1))
    before = t[: m.start()].strip()
    if before:
        agency = before
    else:
        after = t[m.end() :]
        agency = re.split(r"(政府信息公开|信息公开|政务公开)", after)[0]
    agency = agency.strip("《》 ")
    if _PRONOUN.match(agency):
        return None, year  # "现将我局2021年…": the text does not name itself
    return (agency or None), year


def extract_meta(lines: list[Line], first_heading: int | None, page_meta: dict[str, str]) -> Meta:
    meta = Meta()
    title, _ = _title(lines, first_heading)
    if title is None and page_meta.get("title"):
        title = normalize(page_meta["title"])
    if title:
        meta.title = title
        meta.agency, meta.year = _agency_from_title(title)
        meta.year_from = "title" if meta.year is not None else None
    full = [ln.text for ln in lines if ln.paragraph]
    if meta.agency:
        # a title that lost its first characters ("市人民政府办公室…"): the preamble may
        # name the agency in full ("现公开天门市人民政府办公室2025年…")
        for p in full[:8]:
            longer, _ = _agency_from_title(normalize(p)) if _PREAMBLE.search(p) else (None, None)
            if longer and longer != meta.agency and longer.endswith(meta.agency):
                meta.agency = longer
                break
    if meta.year is None:
        meta.year, meta.year_from = _year_from_text(full)
    if meta.agency is None:
        meta.agency = _agency_from_signature(full)
    meta.published = page_meta.get("published") or _published(full)
    return meta


def _year_from_text(paragraphs: list[str]) -> tuple[int | None, str | None]:
    for p in paragraphs:
        m = _PERIOD.search(p)
        if m:
            return int(m.group(1)), "period"
    counts: dict[int, int] = {}
    for p in paragraphs:
        for m in re.finditer(r"(20\d\d)\s*年", p):
            y = int(m.group(1))
            if 2008 <= y <= 2035:
                counts[y] = counts.get(y, 0) + 1
    if not counts:
        return None, None
    return max(counts, key=lambda y: (counts[y], -y)), "text"


def _agency_from_signature(paragraphs: list[str]) -> str | None:
    tail = [p.strip() for p in paragraphs[-4:]]
    for i in range(len(tail) - 1, 0, -1):
        if _DATE.fullmatch(tail[i].replace(" ", "")):
            cand = _squash(tail[i - 1])
            if 2 <= len(cand) <= 40 and _AGENCY_END.search(cand) and "。" not in cand:
                return cand
    return None


def _published(paragraphs: list[str]) -> str | None:
    for p in paragraphs[:15]:
        lab = _DATE_LABEL.search(p)
        if lab:
            m = _DATE.match(p, lab.end())
            if m:
                return _iso(m)
    for p in reversed(paragraphs[-4:]):
        s = p.strip().replace(" ", "")
        m = _DATE.fullmatch(s)
        if m:
            return _iso(m)
    return None
