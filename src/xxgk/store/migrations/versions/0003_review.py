"""Review of findings: a supervisor's 确认 / 不成立 with a reason, keyed by the file's
hash, the rule's code and the finding's cells (``store/review_models.py``).

Revision ID: 0003_review
Revises: 0002_ledger
Create Date: 2026-12-01 12:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_review"
down_revision = "0002_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "finding_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("cells", sa.String(length=2000), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("file_sha256", "code", "cells", name="uq_finding_review"),
    )
    op.create_index("ix_finding_reviews_file_sha256", "finding_reviews", ["file_sha256"])


def downgrade() -> None:
    op.drop_index("ix_finding_reviews_file_sha256", table_name="finding_reviews")
    op.drop_table("finding_reviews")
