"""Example reports over several years for the example jurisdiction of ``make run``
(``xxgk init-example``), so its dashboard has trends, rankings, a year-over-year pair,
a section copied from last year and one copied from another agency (TXT-004) to show.  Deterministic: the same bytes every run, so
running init-example again stores nothing twice.  ``example_ledger`` fills one
agency's request ledger (simulated years) for the ledger's pages."""

from __future__ import annotations

import zlib
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# (agency, years) — the shipped example files cover 某某市某某局 2020 and three 2023 reports
PLAN = (
    ("某某县发展和改革局", (2021, 2022)),
    ("某某县某某镇人民政府", (2021, 2022)),
    ("某某区某某办公室", (2021, 2022)),
    ("某某区卫生健康局", (2021, 2022, 2023)),
    ("某某县", (2021, 2022, 2023)),
    ("某某市某某局", (2021, 2022, 2023)),
)
_SENTENCES = (
    "本年度，{a}认真贯彻落实《中华人民共和国政府信息公开条例》，把政务公开纳入重点工作统筹推进。",
    "围绕优化营商环境，及时公开行政许可、行政处罚等执法信息，方便企业群众查询办事。",
    "加强政府网站和政务新媒体管理，栏目内容定期更新，全年未发生泄密和不当公开事件。",
    "这一年，{a}以标准化规范化为抓手，梳理公开事项目录，明确公开主体、时限和方式。",
    "财政预决算、“三公”经费和重大建设项目信息按要求公开，公开内容更加完整具体。",
    "依申请公开实行登记、审核、答复全流程管理，答复文书统一格式，告知救济途径。",
    "过去一年，{a}聚焦群众关切，对就业、教育、医疗等民生政策开展图文解读和在线访谈。",
    "建立健全政策文件公开前审查机制，落实保密审查和个人信息保护要求，风险防控更加有效。",
    "开展政务公开业务培训两次，工作人员依法公开意识和答复能力进一步增强。",
)


# the twelve lines of the affine plane over Z3 (points 3x + y): any two share at most
# one point, so any two openings share at most one sentence of the pool
_LINES = tuple(
    tuple(3 * x + (m * x + b) % 3 for x in range(3)) for m in range(3) for b in range(3)
) + tuple(tuple(3 * c + y for y in range(3)) for c in range(3))
# 某某区某某办公室 repeats 某某区卫生健康局's 2022 opening in its own 2022 report (TXT-004
# 内容雷同 between two agencies of one jurisdiction)
_PEER_COPY = {("某某区某某办公室", 2022): "某某区卫生健康局"}


def _opening(agency: str, year: int) -> str:
    """Three sentences of the pool: another three for each agency, and for each year
    (two openings share at most one sentence, so none repeats another's text)."""
    source = _PEER_COPY.get((agency, year), agency)
    at = next(i for i, (name, _) in enumerate(PLAN) if name == source)
    line = _LINES[(2 * at + year - 2021) % len(_LINES)]
    return "".join(_SENTENCES[i].format(a=agency) for i in line)


def _n(name: str, year: int, salt: str, low: int, high: int) -> int:
    return low + zlib.crc32(f"{name}{year}{salt}".encode()) % (high - low + 1)


def example_reports() -> list[tuple[str, bytes]]:
    """(file name, text report) for each agency and year of ``PLAN``."""
    from ..render.text import render_text
    from ..synth import consistent_report

    out = []
    for agency, years in PLAN:
        big = agency in ("某某县", "某某市某某局", "某某区卫生健康局")
        for year in years:
            scale = 4 if big else 1
            granted = _n(agency, year, "g", 5, 30) * scale
            partial = _n(agency, year, "p", 0, 8) * scale
            denied = _n(agency, year, "d", 0, 4)
            unable = _n(agency, year, "u", 0, 6) * scale
            # 某某区卫生健康局 repeats its 2022 opening in 2023 (TXT-004 内容与上年雷同)
            late = f"{year + 1}-02-20"  # after a township's 1月31日: 逾期发布
            copied = agency == "某某区卫生健康局" and year == 2023
            opening = _opening(agency, year - 1 if copied else year)
            report = consistent_report(
                leaves={
                    "granted": {"natural": granted},
                    "partial": {"natural": partial},
                    "denied_state_secret": {"natural": denied},
                    "unable_not_held": {"natural": unable},
                },
                cases={
                    "review": {
                        "upheld": _n(agency, year, "ru", 0, 3),
                        "corrected": _n(agency, year, "rc", 0, 1),
                    }
                },
                agency=agency,
                year=year,
                published=late
                if (agency, year) == ("某某县某某镇人民政府", 2022)
                else f"{year + 1}-01-{_n(agency, year, 'day', 10, 28):02d}",
                sections={
                    1: opening,
                    5: f"存在问题：{year}年公开形式较为单一。改进措施：丰富公开形式，加强解读。",
                    6: "无。",
                },
            )
            out.append((f"{agency}{year}年度报告.txt", render_text(report, "tabs").encode()))
    return out


# the example agency whose request ledger make run fills (its clerk's pages are not empty)
LEDGER_AGENCY = "某某县发展和改革局"
LEDGER_YEARS = ((2024, 40), (2025, 30))  # (year, requests) simulated, in this order


def example_ledger(session: Session) -> int:
    """Simulated ledger years for ``LEDGER_AGENCY`` through the ledger's own service
    (``xxgk.ledger.simulate``; same seed, same ledger); nothing when it already has
    requests.  Returns the requests added.  2025's requests still open at its end stay
    open, so the ledger's overdue list has something to show."""
    from sqlalchemy import select

    from ..ledger.simulate import simulate
    from ..store.ledger_models import LedgerRequest

    if session.scalar(
        select(LedgerRequest.id).where(LedgerRequest.agency == LEDGER_AGENCY).limit(1)
    ):
        return 0
    return sum(simulate(session, y, n, 1, LEDGER_AGENCY).added for y, n in LEDGER_YEARS)


# how many of the agencies filing in the example file after the deadline (the last
# ones by name): /filings shows 按期报送 and 逾期报送
LATE_FILINGS = 1


def filed_on(name: str, year: int, deadline: date, published: str | None, late: bool) -> datetime:
    """When an example agency filed its report of ``year`` for review, as an office
    would: in office hours (Beijing, UTC+8; stored in UTC), 3 to 12 days before the
    deadline and before the report's own publication date when it is earlier; or,
    ``late``, 3 to 12 days after the deadline.  The same for the same agency and year."""
    days = _n(name, year, "filed", 3, 12)
    if late:
        day = deadline + timedelta(days=days)
    else:
        try:
            printed = date.fromisoformat(published or "")
        except ValueError:
            printed = deadline
        day = min(deadline, printed if printed.year == year + 1 else deadline)
        day -= timedelta(days=days)
    hour, minute = _n(name, year, "hour", 1, 8), _n(name, year, "minute", 0, 59)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def example_filings(session: Session, user_id: int) -> tuple[int, int, int]:
    """Half of the agencies (every other one, by name) with a checked report for the
    newest year file it for review (报送审核), so ``/filings`` shows agencies that filed
    and agencies that did not; an agency that has a filing for the year is left alone
    (running init-example again files nothing twice).  The filings are dated as the
    offices would have filed them (``filed_on``): before the deadline, the last
    ``LATE_FILINGS`` after it.  The year, filed, agencies."""
    from sqlalchemy import func, select

    from ..store import filing_models as filings
    from ..store.models import Agency, StoredReport, User
    from ..store.reports import newest_version

    done = (StoredReport.status == "done", StoredReport.agency_id.is_not(None))
    year = session.scalar(select(func.max(StoredReport.year)).where(*done))
    user = session.get(User, user_id)
    if year is None or user is None:
        return 0, 0, 0
    names = session.execute(
        select(Agency.id, Agency.name)
        .join(StoredReport, StoredReport.agency_id == Agency.id)
        .where(*done, StoredReport.year == year)
        .distinct()
        .order_by(Agency.name)
    ).all()
    filing = names[::2]
    filed = 0
    for i, (agency_id, name) in enumerate(filing):
        report = newest_version(session, agency_id, year)
        if report is None or filings.find(session, agency_id, year) is not None:
            continue
        made = filings.submit(session, user, report)
        deadline, _ = filings.deadline_of(session, made.agency, year)
        published = ((report.result or {}).get("report") or {}).get("published")
        late = i >= len(filing) - LATE_FILINGS
        when = filed_on(name, year, deadline, published, late)
        made.submitted = made.updated = made.events[-1].at = when
        filed += 1
    session.flush()
    return year, filed, len(names)
