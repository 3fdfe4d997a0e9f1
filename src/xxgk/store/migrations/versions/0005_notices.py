"""Review decisions keyed by subject as well (a finding without cells: TXT-004's section
and the report it names, another rule's message), and the notices as issued with their
整改期限 and status (``store/review_models.py``, ``store/notice_models.py``).

A decision stored before on a finding without cells stood for every finding of that
rule without cells in the file; it becomes one decision per such finding (the same
conclusion, reason, user and time), so each can then be changed on its own.

Revision ID: 0005_notices
Revises: 0004_filing
Create Date: 2026-12-01 17:20:00
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005_notices"
down_revision = "0004_filing"
branch_labels = None
depends_on = None

# review_models.subject_of as it was written with this migration (frozen here: the
# migration must keep meaning what it meant when the code moves on)
_COPIED = (
    re.compile(r"^(“[^”]*”)有[\d.]+%的文字与(.+?)报告的同一部分"),
    re.compile(r"^(“[^”]*”)与(.+?)的同一部分有[\d.]+%的文字"),
)
_SHARE = re.compile(r"\d+(?:\.\d+)?%")


def _subject(finding: dict[str, Any]) -> str:
    if finding.get("cells"):
        return ""
    message = " ".join(str(finding.get("message") or "").split())
    if finding.get("code") == "TXT-004":
        for pattern in _COPIED:
            m = pattern.match(message)
            if m:
                return f"{m.group(1)} · {m.group(2)}"[:500]
    return _SHARE.sub("%", message)[:500]


def _split_cell_less_decisions() -> None:
    conn = op.get_bind()
    reviews = sa.table(
        "finding_reviews",
        sa.column("id", sa.Integer),
        sa.column("file_sha256", sa.String),
        sa.column("code", sa.String),
        sa.column("cells", sa.String),
        sa.column("subject", sa.String),
        sa.column("decision", sa.String),
        sa.column("reason", sa.Text),
        sa.column("user_id", sa.Integer),
        sa.column("username", sa.String),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    stored = sa.table("reports", sa.column("file_sha256", sa.String), sa.column("result", sa.JSON))
    old = conn.execute(sa.select(reviews).where(reviews.c.cells == "")).mappings().all()
    for r in old:
        subjects: set[str] = set()
        results = conn.execute(
            sa.select(stored.c.result).where(stored.c.file_sha256 == r["file_sha256"])
        ).scalars()
        for result in results:
            if isinstance(result, str):  # a driver that hands JSON back as text
                result = json.loads(result)
            for f in (result or {}).get("findings") or []:
                if isinstance(f, dict) and f.get("code") == r["code"] and not f.get("cells"):
                    subjects.add(_subject(f))
        if not subjects:
            continue  # nothing to split: the row keeps its empty subject
        for subject in sorted(subjects):
            conn.execute(
                reviews.insert().values(
                    file_sha256=r["file_sha256"],
                    code=r["code"],
                    cells="",
                    subject=subject,
                    decision=r["decision"],
                    reason=r["reason"],
                    user_id=r["user_id"],
                    username=r["username"],
                    at=r["at"],
                )
            )
        conn.execute(reviews.delete().where(reviews.c.id == r["id"]))


def upgrade() -> None:
    with op.batch_alter_table("finding_reviews") as batch:
        batch.add_column(
            sa.Column("subject", sa.String(length=500), nullable=False, server_default="")
        )
        batch.drop_constraint("uq_finding_review", type_="unique")
        batch.create_unique_constraint(
            "uq_finding_review", ["file_sha256", "code", "cells", "subject"]
        )
    _split_cell_less_decisions()
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("issued", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("office", sa.String(length=100), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("settled_report_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("settled_by", sa.String(length=100), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["settled_report_id"], ["reports.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notices_report_id", "notices", ["report_id"])
    op.create_index("ix_notices_agency_id", "notices", ["agency_id"])


def downgrade() -> None:
    op.drop_index("ix_notices_agency_id", table_name="notices")
    op.drop_index("ix_notices_report_id", table_name="notices")
    op.drop_table("notices")
    # one decision per (file, rule, cells) again: the earliest of those split
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "DELETE FROM finding_reviews WHERE id NOT IN (SELECT MIN(id) FROM finding_reviews"
            " GROUP BY file_sha256, code, cells)"
        )
    )
    with op.batch_alter_table("finding_reviews") as batch:
        batch.drop_constraint("uq_finding_review", type_="unique")
        batch.create_unique_constraint("uq_finding_review", ["file_sha256", "code", "cells"])
        batch.drop_column("subject")
