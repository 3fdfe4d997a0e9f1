"""Rules on the wording: document names, stray foreign words, garbled characters."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..format import SECTIONS
from ..format.statutes import DISCLOSURE, PRC, is_statute
from ..format.statutes import core as statute_core
from ..model import Finding, Severity
from .base import Context, Rule

_PRC = PRC
_BOOK = re.compile(r"《([^《》\n]{2,60})》")
_PRC_LIKE = re.compile(
    r"中.人民共和国|中华.民共和国|中华人.共和国|中华人民.和国|中华人民共.国|中华人民共和."
)


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions (密秘 for 秘密 counts once), giving up
    (returning limit + 1) past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                d = min(d, prev2[j - 2] + 1)
            cur.append(d)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _split_prefix(name: str) -> tuple[str, str]:
    """(prefix as printed, the rest): the prefix is 中华人民共和国 or a spelling one
    character away from it; empty when the name has none."""
    if name.startswith(_PRC):
        return _PRC, name[len(_PRC) :]
    for n in (len(_PRC), len(_PRC) - 1, len(_PRC) + 1):
        head = name[:n]
        if len(name) > n and head[0] == _PRC[0] and _distance(head, _PRC, 1) == 1:
            return head, name[n:]
    return "", name


def _limit(known: str) -> int:
    """How many characters a name may differ from ``known`` and still be taken for it."""
    if len(known) < 5:
        return 0  # 档案法 / 刑法, 宪法 / 立法法: short names differ by whole words
    return 1  # two characters off is another word: 年度报告格式 / 年度报告模板


def misspelling(name: str) -> str | None:
    """The correct name when ``name`` looks like a misspelt disclosure statute, else None.

    A name that is itself a real law or regulation is never a misspelling; nor is a name
    that contains a known one or is contained in it (a different, longer or shorter
    document).  The 中华人民共和国 prefix is compared on its own.
    """
    prefix, rest = _split_prefix(name)
    if prefix == _PRC and is_statute(rest):
        return None
    if not prefix and is_statute(name):
        return None
    fixed = _PRC if prefix else ""
    rest = statute_core(rest)
    for known in DISCLOSURE:
        if rest == known:
            return None if prefix in ("", _PRC) else fixed + known
        if known in rest or rest in known:
            continue
        limit = _limit(known)
        if limit and 0 < _distance(rest, known, limit) <= limit:
            return fixed + known
    if prefix not in ("", _PRC) and is_statute(rest):
        return fixed + rest
    return None


class Misspelled(Rule):
    """法规或文件名称写错。

    引用的法规、文件名称应与原文一字不差。xxgk 对照与政府信息公开有关的常用名称（政府
    信息公开条例、信息处理费管理办法、年报格式、行政复议法、保守国家秘密法等）找出只错
    一个字（或两个字前后颠倒）的写法，以及写错的“中华人民共和国”。本身就是现行或曾经有效的法律、行政法规
    名称的（如《中华人民共和国刑法》《统计法》《行政监察法》），不算写错；名称很短的
    （如《档案法》）只核对“中华人民共和国”几个字。

    例：《中华人系共和国政府信息公开条例》《政府信息公开条列》。修改：
    《中华人民共和国政府信息公开条例》《政府信息公开条例》。
    """

    code = "TXT-005"
    severity = Severity.WARNING
    title = "法规文件名称错误"

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.report.text
        seen: set[str] = set()
        for m in _BOOK.finditer(text):
            name = re.sub(r"\s+", "", m.group(1))
            if name in seen:
                continue
            known = misspelling(name)
            if known is None:
                continue
            seen.add(name)
            yield self.finding(
                ctx,
                f"文件名称《{name}》有误。",
                suggestion=f"改为《{known}》。",
                span=m.span(),
            )
        for m in _PRC_LIKE.finditer(text):
            word = m.group(0)
            if word == _PRC or any(word in s for s in seen):
                continue
            if any(word in f"《{s}》" for s in seen):
                continue
            seen.add(word)
            yield self.finding(
                ctx,
                f"“{word}”有误。",
                suggestion=f"改为“{_PRC}”。",
                span=m.span(),
            )


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


_ALLOWED_WORDS = frozenset(
    [
        "app",
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "wps",
        "ofd",
        "gov",
        "cn",
        "www",
        "http",
        "https",
        "com",
        "org",
        "net",
        "html",
        "htm",
        "ip",
        "wifi",
        "office",
        "excel",
        "word",
        "email",
        "e",
        "mail",
        "qq",
        "wechat",
        "weibo",
        "id",
        "url",
        "ca",
        "oa",
        "it",
        "vr",
        "ai",
        "ok",
        "v",
    ]
)
_WORD = re.compile(r"(?<![A-Za-z0-9./@:_-])([a-z]{2,})(?![A-Za-z0-9./@:_-])")


def _has_cjk(text: str) -> bool:
    """A Chinese character in ``text`` (a loop: a regex of this range costs a
    millisecond to compile at every start-up)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


_MOJIBAKE = re.compile(r"锟斤拷|烫烫烫|屯屯屯|ï»¿|Ã[\x80-\xbf¡-ÿ]|â€|鈥[溿檚]|銆[€?]|锛[歛屾]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_FOREIGN_SCRIPT = re.compile(r"[\u3040-\u30ff\uac00-\ud7af\u0400-\u04ff]{2,}")


class StrayText(Rule):
    """中文正文里夹杂外文单词、乱码或控制字符。

    常见于从其他文档复制粘贴、编码转换出错或模板残留。网址、邮箱、文件扩展名和
    大写缩写（APP、PDF 等）不算。

    文件中有少数损坏的字节（其余部分明确是 UTF-8 或 GB18030）时，xxgk 把它们换成
    “\ufffd”读取其余内容，并在这里列出损坏处的行号，而不拒绝整份报告。

    例：“帮助企业 and 农民了解政策”；“锟斤拷”；不可见的控制字符；损坏的字节。
    """

    code = "TXT-006"
    severity = Severity.WARNING
    title = "外文、乱码或控制字符"

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.report.text
        for m in _WORD.finditer(text):
            word = m.group(1)
            if word in _ALLOWED_WORDS:
                continue
            before = text[max(0, m.start() - 3) : m.start()]
            after = text[m.end() : m.end() + 3]
            if _has_cjk(before) and _has_cjk(after):
                yield self.finding(
                    ctx,
                    f"中文正文中夹有外文单词“{word}”：“{text[max(0, m.start() - 8) : m.end() + 8].strip()}”。",
                    suggestion="删去或改为中文。",
                    span=m.span(),
                )
        damaged = [m.start() for m in re.finditer("\ufffd+", text)]
        if damaged:  # bytes the reader could not decode (replaced by U+FFFD)
            lines = sorted({_line(text, i) for i in damaged[:200]})
            shown = "、".join(str(n) for n in lines[:10]) + ("等" if len(lines) > 10 else "")
            yield self.finding(
                ctx,
                f"正文中有 {len(damaged)} 处无法解码的字符“\ufffd”（第 {shown} 行），"
                "原文件在这些位置有损坏的字节，xxgk 已替换后读取其余部分。",
                suggestion="核对原文，改正这些位置的文字（重新导出或另存为 UTF-8）。",
                span=(damaged[0], damaged[0] + 1),
            )
        for pattern, what in (
            (_MOJIBAKE, "乱码"),
            (_FOREIGN_SCRIPT, "非中文文字"),
            (_CONTROL, "控制字符"),
        ):
            hit = pattern.search(text)
            if hit:
                shown = (
                    hit.group(0).encode("unicode_escape").decode()
                    if pattern is _CONTROL
                    else hit.group(0)
                )
                yield self.finding(
                    ctx,
                    f"正文中有{what}“{shown}”。",
                    suggestion="核对原文，改正编码或删去多余字符。",
                    span=hit.span(),
                )


class Traditional(Rule):
    """报告使用繁体字，xxgk 已转换为简体字后读取。

    政府网站的镜像或“繁体版”页面会把整篇报告转成繁体字。xxgk 按简体的年报格式识别
    栏目，所以先逐字转换（OpenCC）；数值和出处不受影响。正式发布的报告应使用规范汉字。
    """

    code = "TXT-007"
    severity = Severity.INFO
    title = "繁体字报告已转换"

    def check(self, ctx: Context) -> Iterator[Finding]:
        if any(a.kind == "traditional" for a in ctx.report.anomalies):
            yield self.finding(ctx, "报告使用繁体字，已转换为简体字后识别表格和栏目。")


class Revisions(Rule):
    """发布的报告留有修订痕迹：PDF 页面或网页上有用删除线划去的文字（导出时显示了修订标记，或手工加了
    删除线），或 Word 文档中有未接受的修订。

    在 Word、WPS 中开着“修订”改稿，导出 PDF 时又显示了标记，删除的文字会带着删除线、插入的文字带着下划线
    一起印出来，读者无从判断哪个数字算数。xxgk 把划去的文字当作已删除、把 Word 文档按修订后的内容读取，
    并提示核对。发布前应接受或拒绝全部修订，关闭“显示标记”后再导出。
    """

    code = "TXT-009"
    severity = Severity.WARNING
    title = "发布稿留有修订痕迹"

    def check(self, ctx: Context) -> Iterator[Finding]:
        fix = "接受或拒绝全部修订，关闭“显示标记”后重新导出发布，并核对删改处的数字。"
        for a in ctx.report.anomalies:
            if a.kind != "revised":
                continue
            if a.how == "struck":
                shown = a.raw or ""
                shown = shown if len(shown) <= 40 else shown[:40] + "……"
                where = f"第 {a.page} 页" if a.page is not None else "报告中"
                yield self.finding(
                    ctx,
                    f"{where}有 {a.count} 处用删除线划去的文字（修订痕迹）：{shown}"
                    "（已按删除读取）。",
                    suggestion=fix,
                    page=a.page,
                )
            else:
                yield self.finding(
                    ctx,
                    f"Word 文档中有 {a.count} 处未接受的修订，已按修订后的内容读取。",
                    suggestion=fix,
                )


class ProblemsSection(Rule):
    """“五、存在的主要问题及改进情况”没有内容，或只写问题、没写改进措施。

    条例第五十条第（四）项要求年度报告写明存在的主要问题及改进情况。只罗列成绩、
    或只写问题不写改进措施的，都不完整。
    """

    code = "TXT-003"
    severity = Severity.WARNING
    title = "问题与改进情况不完整"

    def check(self, ctx: Context) -> Iterator[Finding]:
        r = ctx.report
        if not any(h.number == 5 for h in r.headings):
            return  # a missing section is FMT-002's
        text = "".join(r.sections.get(5, "").split())
        if len(text) < 10:
            yield self.finding(ctx, "第五部分“存在的主要问题及改进情况”没有实质内容。",
                               suggestion="写明本年度工作存在的主要问题和相应的改进措施。",
                               section=5)  # fmt: skip
        elif not re.search(r"改进|整改|措施|下一步|将(进一步|继续|加强|持续)|加强|完善|提升", text):
            yield self.finding(ctx, "第五部分只写了问题，没有写改进措施。",
                               suggestion="针对所列问题写明改进措施。", section=5)  # fmt: skip


_TEMPLATE_HINT = re.compile(
    r"[（(]\s*(?:文字描述|此处填写|请填写|在此填写|请在此)[^（）()\n]{0,60}[）)]"
)


def _placeholders() -> tuple[str, ...]:
    from ..render.data import PLACEHOLDER

    return tuple("".join(t.split()) for t in PLACEHOLDER.values())


class Placeholder(Rule):
    """某一部分仍是模板的提示文字，没有写入实际内容。

    ``xxgk new`` 生成的录入文件在第一、五、六部分预先写了提示文字（如“（总体情况：主动
    公开、依申请公开……）”），国办印发的 Word 模板在同样位置写着“（文字描述）”。这些提示
    文字不是报告内容：不替换就发布，读者看到的是模板。提示文字未替换之前，
    ``xxgk render`` 不生成报告（除非加 --force）。

    例：第五部分只有“（文字描述）”。修改：删去提示文字，写明本年度的实际情况。
    """

    code = "TXT-008"
    severity = Severity.ERROR
    title = "模板提示文字未替换"

    def check(self, ctx: Context) -> Iterator[Finding]:
        r = ctx.report
        own = _placeholders()
        for number, text in sorted(r.sections.items()):
            flat = "".join(text.split())
            hit = next((p for p in own if p in flat), None)
            if hit is None:
                m = _TEMPLATE_HINT.search(flat)
                hit = m.group(0) if m else None
            if hit is None:
                continue
            heading = SECTIONS[number - 1].heading if 1 <= number <= 6 else f"第{number}部分"
            yield self.finding(
                ctx,
                f"“{heading}”仍是模板的提示文字“{_short(hit)}”，未写入实际内容。",
                suggestion="删去提示文字，写明本年度的实际情况（没有内容的部分写“无”）。",
                section=number,
            )


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


RULES = (Misspelled, StrayText, Traditional, Revisions, ProblemsSection, Placeholder)
