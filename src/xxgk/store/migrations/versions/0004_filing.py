"""Filing before publishing (报送审核: filings, their steps, local deadlines) and the
trail of clerks' corrections of values (``store/filing_models.py``).

Revision ID: 0004_filing
Revises: 0003_review
Create Date: 2026-12-01 12:50:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004_filing"
down_revision = "0003_review"
branch_labels = None
depends_on = None


def _who() -> list[Any]:
    return [
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
    ]


def upgrade() -> None:
    op.create_table(
        "filing_deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency_id"),
    )
    op.create_table(
        "filings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("approved_sha256", sa.String(length=64), nullable=True),
        sa.Column("override", sa.Text(), nullable=True),
        sa.Column("published_id", sa.Integer(), nullable=True),
        sa.Column("differences", sa.JSON(), nullable=True),
        sa.Column("submitted", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["published_id"], ["reports.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency_id", "year", name="uq_filing_agency_year"),
    )
    op.create_table(
        "filing_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        *_who(),
        sa.ForeignKeyConstraint(["filing_id"], ["filings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_filing_events_filing_id", "filing_events", ["filing_id"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=True),
        sa.Column("cell", sa.String(length=100), nullable=False),
        sa.Column("before", sa.String(length=100), nullable=True),
        sa.Column("after", sa.String(length=100), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        *_who(),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["base_id"], ["reports.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_corrections_report_id", "corrections", ["report_id"])


def downgrade() -> None:
    op.drop_index("ix_corrections_report_id", table_name="corrections")
    op.drop_table("corrections")
    op.drop_index("ix_filing_events_filing_id", table_name="filing_events")
    op.drop_table("filing_events")
    op.drop_table("filings")
    op.drop_table("filing_deadlines")
