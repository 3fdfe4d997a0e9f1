"""Rules on the wording: document names, stray foreign words, garbled characters."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Finding, Severity
from .base import Context, Rule

KNOWN_TITLES = (
    "中华人民共和国政府信息公开条例",
    "政府信息公开条例",
    "政府信息公开信息处理费管理办法",
    "中华人民共和国政府信息公开工作年度报告格式",
    "中华人民共和国行政复议法",
    "中华人民共和国行政诉讼法",
    "中华人民共和国保守国家秘密法",
    "中华人民共和国档案法",
    "中华人民共和国个人信息保护法",
    "中华人民共和国数据安全法",
    "中华人民共和国行政许可法",
    "中华人民共和国行政处罚法",
    "中华人民共和国行政强制法",
    "中华人民共和国宪法",
)
_PRC = "中华人民共和国"
_BOOK = re.compile(r"《([^《》\n]{2,60})》")
_PRC_LIKE = re.compile(
    r"中.人民共和国|中华.民共和国|中华人.共和国|中华人民.和国|中华人民共.国|中华人民共和."
)


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


class Misspelled(Rule):
    """法规或文件名称写错。

    引用的法规、文件名称应与原文一字不差。xxgk 对照常用名称（政府信息公开条例、
    信息处理费管理办法、年报格式等）找出只差一两个字的写法。

    例：《中华人系共和国政府信息公开条例》。修改：《中华人民共和国政府信息公开条例》。
    """

    code = "TXT-005"
    severity = Severity.WARNING
    title = "法规文件名称错误"

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.report.text
        seen: set[str] = set()
        for m in _BOOK.finditer(text):
            name = re.sub(r"\s+", "", m.group(1))
            if name in KNOWN_TITLES or name in seen:
                continue
            for known in KNOWN_TITLES:
                limit = 1 if len(known) < 10 else 2
                if 0 < _distance(name, known, limit) <= limit:
                    seen.add(name)
                    yield self.finding(
                        ctx,
                        f"文件名称《{name}》有误。",
                        suggestion=f"改为《{known}》。",
                        line=_line(text, m.start()),
                    )
                    break
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
                line=_line(text, m.start()),
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
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MOJIBAKE = re.compile(
    r"锟斤拷|烫烫烫|屯屯屯|ï»¿|Ã[\x80-\xbf¡-ÿ]|â€|鈥[溿檚]|銆[€?]|锛[歛屾]|\ufffd"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_FOREIGN_SCRIPT = re.compile(r"[\u3040-\u30ff\uac00-\ud7af\u0400-\u04ff]{2,}")


class StrayText(Rule):
    """中文正文里夹杂外文单词、乱码或控制字符。

    常见于从其他文档复制粘贴、编码转换出错或模板残留。网址、邮箱、文件扩展名和
    大写缩写（APP、PDF 等）不算。

    例：“帮助企业 and 农民了解政策”；“锟斤拷”；不可见的控制字符。
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
            if _CJK.search(before) and _CJK.search(after):
                yield self.finding(
                    ctx,
                    f"中文正文中夹有外文单词“{word}”：“{text[max(0, m.start() - 8) : m.end() + 8].strip()}”。",
                    suggestion="删去或改为中文。",
                    line=_line(text, m.start()),
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
                    line=_line(text, hit.start()),
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
                               suggestion="写明本年度工作存在的主要问题和相应的改进措施。")  # fmt: skip
        elif not re.search(r"改进|整改|措施|下一步|将(进一步|继续|加强|持续)|加强|完善|提升", text):
            yield self.finding(ctx, "第五部分只写了问题，没有写改进措施。",
                               suggestion="针对所列问题写明改进措施。")  # fmt: skip


RULES = (Misspelled, StrayText, Traditional, ProblemsSection)
