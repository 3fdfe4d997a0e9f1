"""The report's title, agency, year and publication date.

Pages put them in many places; each is read from the most reliable one that says it:

- agency: the title line (in its many forms, also split over two lines or with the
  agency on a line of its own), the preamble (特编制××局2023年…, 本报告由××局编制), the
  signature at the end, the narrative's first subject (2020年,××街道办事处认真…), the
  page's metadata (发布机构, 来源);
- year: the title, else the statistical period, else the most frequent year (a guess);
- published: the page's metadata (发布时间 / 发布日期 / 成文日期 …), else the date of the
  signature, else an update date (更新日期).

Mirror sites inject SEO words in front of an agency (新葡京博彩官网区人民政府北京街道办事处):
a name is cut after the last spam word and after the bare administrative words that
dangle there; a name that does not end like an agency is no name.  No agency is
better than a wrong one.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from .labels import normalize
from .lines import Line

_YEAR_TITLE = re.compile(r"(20\d\d)\s*年\s*度?")
_REPORT = re.compile(r"(年度报告|工作报告|年报|年度工作报告|情况的?报告)")
_DATE = re.compile(
    r"(20\d\d)\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})(?!\d)\s*日?"
    r"|(?P<cn>[二〇○零一三四五六七八九]{4})\s*年\s*(?P<cm>[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<cd>[一二三四五六七八九十]{1,3})\s*日"
)
# metadata labels, best first: the page's publication, the document's date, an update
_DATE_LABELS = (
    ("发布时间", 0),
    ("发布日期", 0),
    ("公开日期", 0),
    ("公开时间", 0),
    ("发文日期", 0),
    ("成文日期", 1),
    ("印发日期", 1),
    ("日期", 1),
    ("更新日期", 2),
    ("更新时间", 2),
    ("生成日期", 2),
)
_DATE_LABEL = re.compile(
    "("
    + "|".join(sorted((k for k, _ in _DATE_LABELS if k != "日期"), key=len, reverse=True))
    + r"|(?<![\u4e00-\u9fff])日期)\s*[:：]?\s*"
)
_LABEL_RANK = dict(_DATE_LABELS)
_SIGNATURE_RANK = 1  # a signature's date ranks with the document's own date
_PERIOD = re.compile(r"(20\d\d)\s*年\s*1\s*月\s*1\s*日\s*(至|到|—|-)")
_AGENCY_END = re.compile(
    r"(人民政府|政府|办公室|办公厅|委员会|管委会|局|委|办|厅|部|署|院|中心|乡|镇|街道|办事处|"
    r"公司|集团|所|馆|队|站|会|区|县|市|州|盟|旗)$"
)
# what a name read from running text or page chrome must end with
_STRONG_END = re.compile(
    r"(人民政府|政府|办公室|办公厅|委员会|管委会|局|厅|中心|乡|镇|街道|办事处|管理处|"
    r"服务中心|研究院|总站|分局|支队|大队)$"
)
_TITLE_PREFIX = re.compile(r"^(标题|题目|正文)\s*[:：]?")
_SKIP_TITLE = re.compile(r"(索引号|来源|原文链接|发布机构|浏览次数|访问量|字号|分享|打印)")
# a breadcrumb: 首页 > 政府信息公开 > 年度报告
_NAV = re.compile(r"首页|当前位置|您的位置|[>»＞›]")
# words mirror sites inject (gambling SEO), and Latin letters or digits: never in an agency
_SPAM = re.compile(
    r"[A-Za-z0-9_]+|博彩|彩票|赌|娱乐|官网|开户|注册|登录|下载|真人|棋牌|葡京|威尼斯人|百家乐|"
    r"老虎机|投注|下注|彩金|澳门|网投|网址|入口|平台"
)
# the bare level words left in front of a name once the spam before them is cut
_DANGLING = re.compile(r"^(?:(?:[省市区县州镇乡])?(?:人民政府|政府)|[省市区县州镇乡](?=.{2}))")
_BARE_LEVEL = re.compile(r"^[省市区县州镇乡]")
_CHROME = re.compile(r"[】\]>》|｜:：]")
_EDGES = re.compile(r"^[^\u4e00-\u9fff]+|[^\u4e00-\u9fff）)]+$")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]$")
_CN_YEAR = re.compile(r"[二〇○零一三四五六七八九]{4}(?=\s*年)")
_NOT_NAME = re.compile(
    r"[，,。；;:：！？!?、“”\"《》<>/\\|]|^(关于|根据|按照|依据|为|在|对|由|各|全|该|其|我|本)"
)
# in running text: a committee of the agency, not the agency
_NOT_AGENCY = re.compile(r"信息公开|政务公开工作|领导小组|工作组|[0-9]")


@dataclass
class Meta:
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    year_from: str | None = None  # title | period | text (the most frequent year: a guess)
    published: str | None = None


_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}


def _cn_number(s: str) -> int:
    """一 … 三十一 (days and months)."""
    if "十" not in s:
        return _CN_DIGIT[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def _iso(m: re.Match[str]) -> str | None:
    if m.group("cn"):
        y = int("".join(str(_CN_DIGIT[c]) for c in m.group("cn")))
        mo, d = _cn_number(m.group("cm")), _cn_number(m.group("cd"))
    else:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if 2000 <= y <= 2099 and 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _squash(text: str) -> str:
    """Without whitespace; characters as printed (full-width brackets stay)."""
    return "".join(text.split())


def clean_agency(text: str, *, strict: bool = False) -> str | None:
    """The agency a candidate names, or None when it does not look like one.

    Spam injected in front is cut (after the last spam word, then the bare level words
    that dangle there: 区人民政府北京街道办事处 → 北京街道办事处).  ``strict`` (a name
    read from running text or page chrome) asks for an agency's usual ending and for a
    proper name in front (县民政局 names no county).
    """
    # page chrome in front ends at a closing bracket or a label: "【字体：大 中 小】××局"
    name = _CHROME.split(_squash(text))[-1]
    spam = list(_SPAM.finditer(name))
    if spam:
        name = _EDGES.sub("", name[spam[-1].end() :])
        while (m := _DANGLING.match(name)) and m.end() < len(name):
            name = name[m.end() :]
    name = _EDGES.sub("", name)
    # a second name in brackets: 中共××县委宣传部（县政府新闻办公室）
    bare = _BRACKETED.sub("", name)
    if not 2 <= len(name) <= 40 or _NOT_NAME.search(bare) or _PRONOUN.match(name):
        return None
    if strict and (
        not _STRONG_END.search(bare)
        or _BARE_LEVEL.match(name)
        or _NOT_AGENCY.search(name)
        or len(name) < 4
    ):
        return None
    if not _AGENCY_END.search(bare):
        return None
    return name


def _title(lines: list[Line], first_heading: int | None) -> tuple[str | None, int]:
    """The report title: the first lines before 一、总体情况 that name a report.

    Returns the title and the position of its (last) line among the paragraphs before
    the first heading (-1 when there is no title)."""
    head = _head(lines, first_heading)
    for i, ln in enumerate(head):
        text = _TITLE_PREFIX.sub("", ln.text).strip()
        if (_SKIP_TITLE.search(text) and not _REPORT.search(text)) or _NAV.search(text):
            continue
        nxt = head[i + 1].text if i + 1 < len(head) else ""
        if _REPORT.search(text) and "信息公开" in normalize(text + nxt):
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
                if (
                    prev
                    and not _SKIP_TITLE.search(prev)
                    and not _NAV.search(prev)
                    and not prev.endswith(("。", "：", ":"))
                ):
                    parts.insert(0, prev)
            return "".join(_squash(p) for p in parts), i
        if "信息公开" in text and _REPORT.search(nxt) and len(text) <= 40 and len(nxt) <= 12:
            return _squash(text + nxt), i + 1
    return None, -1


def _head(lines: list[Line], first_heading: int | None) -> list[Line]:
    """The paragraphs before the first heading (at most 12)."""
    stop = first_heading if first_heading is not None else min(len(lines), 12)
    return [ln for ln in lines[: max(stop, 0)] if ln.paragraph][:12]


_PREAMBLE = re.compile(r"^(根据|按照|依据|依照|遵照|为)|如下[:：]?$|。")
_PRONOUN = re.compile(
    r"^(我|本|该)(局|委|办|厅|部|署|院|乡|镇|区|县|市|单位|机关|中心|街道|公司|部门)?$"
)
_PREAMBLE_VERB = re.compile(
    r"(?:编制|公布|公开|发布|印发|形成|现将|特将|制定)了?(?:本机关|本单位)?"
)
_COMPILED_BY = re.compile(
    r"本(?:年度)?报告由([^，,。；;]{2,40}?)(?:负责|统一|组织)?(?:编制|编写|制作)"
)


def _agency_from_title(title: str) -> tuple[str | None, int | None]:
    # 二〇二三年 as 2023年
    title = _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGIT[c]) for c in m.group()), title)
    # a page title carries the site after the report's title: "…年度报告-沭阳县发改局"
    rep = _REPORT.search(title)
    t = title[: rep.end()] if rep and not _PREAMBLE.search(title) else title
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
    year = int(m.group(1)) if m else None
    if m is None:
        # no year: "驼峰路街道办事处政府信息公开工作年度报告"
        agency = re.split(r"(政府信息公开|信息公开|政务公开)", t)[0]
        agency = re.sub(r"(关于)$", "", agency)
        return (clean_agency(agency) if agency != t else None), None
    before = re.sub(r"(关于|的)$", "", t[: m.start()].strip())
    if before:
        agency = before
    else:
        after = t[m.end() :]
        agency = re.split(r"(政府信息公开|信息公开|政务公开)", after)[0]
    agency = agency.strip("《》 ")
    if _PRONOUN.match(agency):
        return None, year  # "现将我局2021年…": the text does not name itself
    return (clean_agency(agency) if agency else None), year


def _agency_line(text: str) -> str | None:
    """A line that is only an agency's name (under or over a title without one)."""
    if len(text) > 30 or _YEAR_TITLE.search(text) or "信息公开" in text:
        return None
    return clean_agency(text)


def extract_meta(lines: list[Line], first_heading: int | None, page_meta: dict[str, str]) -> Meta:
    meta = Meta()
    head = _head(lines, first_heading)
    title, at = _title(lines, first_heading)
    if title is None and page_meta.get("title"):
        title = normalize(page_meta["title"])
    if title:
        meta.title = title
        meta.agency, meta.year = _agency_from_title(title)
        meta.year_from = "title" if meta.year is not None else None
    if title and meta.agency is None and at >= 0 and not _PREAMBLE.search(title):
        # "2022年政府信息公开工作年度报告" with the agency on the line under it (a line
        # over it is joined to the title by _title)
        for j in (at + 1, at + 2):
            if 0 <= j < len(head) and (a := _agency_line(head[j].text)):
                meta.agency = a
                break
    full = [ln.text for ln in lines if ln.paragraph]
    preamble = [normalize(p) for p in full[:8] if _PREAMBLE.search(p)]
    if meta.agency:
        # a title that lost its first characters ("市人民政府办公室…"): the preamble may
        # name the agency in full ("现公开天门市人民政府办公室2025年…")
        for p in preamble:
            longer, _ = _agency_from_title(p)
            if longer and longer != meta.agency and longer.endswith(meta.agency):
                meta.agency = longer
                break
    else:
        meta.agency = _agency_from_preamble(preamble)
    if meta.year is None:
        for p in preamble:
            _, y = _agency_from_title(p)
            if y is not None:
                meta.year, meta.year_from = y, "title"
                break
    if meta.year is None:
        meta.year, meta.year_from = _year_from_text(full)
    # page metadata stands over the report or under it
    chrome = lines[:20] + lines[max(20, len(lines) - 10) :]
    labelled = _labelled(chrome)
    signature = _signature(full)
    if meta.agency is None:
        meta.agency = (
            signature[0]
            or _agency_from_narrative(_opening(lines, first_heading))
            or labelled.get("发布机构")
            or labelled.get("来源")
        )
    meta.published = page_meta.get("published") or _published(chrome, signature[1])
    return meta


def _agency_from_preamble(preamble: list[str]) -> str | None:
    for p in preamble:
        agency, _ = _agency_from_title(p)
        if agency:
            return agency
        m = _COMPILED_BY.search(p)
        if m and (a := clean_agency(m.group(1))):
            return a
    return None


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


def _signature(paragraphs: list[str]) -> tuple[str | None, str | None]:
    """(agency, ISO date) of the signature closing the report: an agency line over a
    date line, or both on one line."""
    tail = [_squash(p) for p in paragraphs[-8:]]
    for i in range(len(tail) - 1, -1, -1):
        m = _DATE.search(tail[i])
        if m is None or m.end() != len(tail[i]):
            continue
        before = tail[i][: m.start()]
        if before and not (agency := clean_agency(before)):
            continue  # a sentence ending in a date, not a signature
        date = _iso(m)
        if not before:
            agency = clean_agency(tail[i - 1]) if i > 0 else None
        return agency, date
    return None, None


_VERBS = (
    "认真|深入|严格|坚持|全面|持续|始终|紧紧|积极|扎实|进一步|不断|高度重视|按照|依据|围绕|"
    "全年|本年|共|主动公开|切实|大力|着力|紧扣|牢固|以习近平"
)
_SUBJECT = re.compile(r"^(?P<a>[^，,。；;：:]{3,50}?)(?:" + _VERBS + ")")
_CLAUSE_YEAR = re.compile(r"^20\d\d\s*年(?:度|以来|上半年)?")


def _opening(lines: list[Line], first_heading: int | None) -> list[str]:
    """The paragraphs before the first heading and the first two after it: where a
    report names itself as the subject of its first sentence."""
    if first_heading is None:
        return [ln.text for ln in lines if ln.paragraph][:12]
    before = [ln.text for ln in lines[:first_heading] if ln.paragraph][:12]
    after = [ln.text for ln in lines[first_heading + 1 :] if ln.paragraph][:2]
    return before + after


def _agency_from_narrative(paragraphs: list[str]) -> str | None:
    """The subject of the narrative's first sentences: "2020年,××街道办事处认真贯彻…"."""
    for p in paragraphs:
        for clause in re.split(r"[，,。；;]", normalize(p)):
            m = _SUBJECT.match(_CLAUSE_YEAR.sub("", clause))
            if m and (a := clean_agency(m.group("a"), strict=True)):
                return a
    return None


# the spaces a page puts between a label's characters: "索 引 号:", "来 源："
_CJK_SPACE = re.compile(
    r"(?<=(?<![\u4e00-\u9fff])[\u4e00-\u9fff])\s(?=[\u4e00-\u9fff](?:\s|[:：]))"
)
_AGENCY_LABELS = ("发布机构", "信息来源", "来源", "发文机关", "发布单位")
_AGENCY_LABEL = re.compile("(" + "|".join(_AGENCY_LABELS) + r")\s*[:：]\s*(\S+)")


def _meta_text(line: Line) -> str:
    """A page-chrome line with its cells joined and the spaces inside labels gone
    ("索 引 号: | … | 来 源: | ××局 |")."""
    text = " ".join(t.text.replace("|", " ").replace("｜", " ") for t in line.toks if t.text)
    return _CJK_SPACE.sub("", unicodedata.normalize("NFKC", text))


def _labelled(lines: list[Line]) -> dict[str, str]:
    """Agency names the page's metadata gives (发布机构, 来源 / 信息来源), written
    "来源：××局" or as a label cell followed by a value cell."""
    out: dict[str, str] = {}
    for ln in lines:
        found = [(m.group(1), m.group(2)) for m in _AGENCY_LABEL.finditer(_meta_text(ln))]
        cells = [_CJK_SPACE.sub("", t.text).strip(" :：") for t in ln.toks if t.text]
        found += [(a, b) for a, b in itertools.pairwise(cells) if a in _AGENCY_LABELS]
        for label, value in found:
            key = "发布机构" if label in ("发布机构", "发文机关", "发布单位") else "来源"
            a = clean_agency(value, strict=True)
            if a and key not in out:
                out[key] = a
    return out


def _published(lines: list[Line], signed: str | None) -> str | None:
    """The best labelled date of the page's metadata; the signature's date ranks with
    the document's own date (成文日期), above an update date."""
    best: tuple[int, str] | None = (_SIGNATURE_RANK, signed) if signed else None
    for ln in lines:
        text = _meta_text(ln)
        for lab in _DATE_LABEL.finditer(text):
            m = _DATE.match(text, lab.end())
            rank = _LABEL_RANK[lab.group(1)]
            if m and (d := _iso(m)) and (best is None or rank < best[0]):
                best = (rank, d)
    return best[1] if best else None
