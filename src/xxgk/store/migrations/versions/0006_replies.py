"""The agency's answers to a notice (整改反馈, ``store/reply_models.py``): the text, the
new version of the report uploaded with it, an explanation per noticed finding, and
the supervisor's acceptance or return (with a note or a reason).  A notice is then
also 已反馈（待审核） (``replied``) or 无需整改 (``waived``: every noticed finding was
dismissed on review); going down, those are 待整改 again.

Revision ID: 0006_replies
Revises: 0005_notices
Create Date: 2026-12-01 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_replies"
down_revision = "0005_notices"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("explanations", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notice_replies_notice_id", "notice_replies", ["notice_id"])


def downgrade() -> None:
    op.drop_index("ix_notice_replies_notice_id", table_name="notice_replies")
    op.drop_table("notice_replies")
    notices = sa.table("notices", sa.column("status", sa.String))
    op.get_bind().execute(
        notices.update().where(notices.c.status.in_(("replied", "waived"))).values(status="pending")
    )
