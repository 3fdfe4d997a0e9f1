"""The request ledger: requests, events, cases, the proactive register, the working-day
calendar and the append-only ledger audit trail (UPDATE/DELETE refused by triggers).

Revision ID: 0002_ledger
Revises: 0001
Create Date: 2026-12-01 11:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_ledger"
down_revision = "0001"
branch_labels = None
depends_on = None

_REFUSE = "ledger_audit is append-only"


def upgrade() -> None:
    op.create_table(
        "ledger_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("submitted", sa.Date(), nullable=True),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("receipt_note", sa.Text(), nullable=False),
        sa.Column("applicant", sa.String(length=200), nullable=False),
        sa.Column("applicant_type", sa.String(length=32), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("handler", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("result", sa.String(length=32), nullable=True),
        sa.Column("closed", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("due_note", sa.Text(), nullable=False),
        sa.Column("fee_method", sa.String(length=16), nullable=True),
        sa.Column("fee_amount", sa.Integer(), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ledger_requests", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_requests_agency", ["agency"], unique=False)
        batch_op.create_index("ix_ledger_requests_received", ["received"], unique=False)
        batch_op.create_index("ix_ledger_requests_closed", ["closed"], unique=False)
        batch_op.create_index("ix_ledger_requests_due", ["due"], unique=False)
        batch_op.create_index("ix_ledger_requests_number", ["agency", "number"], unique=True)

    op.create_table(
        "ledger_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("approver", sa.String(length=100), nullable=True),
        sa.Column("result", sa.String(length=32), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["ledger_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ledger_events", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_events_request_id", ["request_id"], unique=False)

    op.create_table(
        "ledger_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("filed", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("decided", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["ledger_requests.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ledger_cases", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_cases_agency", ["agency"], unique=False)
        batch_op.create_index("ix_ledger_cases_request_id", ["request_id"], unique=False)

    op.create_table(
        "ledger_register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("category", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("repealed", sa.Date(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("first_review_by", sa.String(length=100), nullable=True),
        sa.Column("first_review_on", sa.Date(), nullable=True),
        sa.Column("review_by", sa.String(length=100), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("approve_by", sa.String(length=100), nullable=True),
        sa.Column("approve_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ledger_register", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_register_agency", ["agency"], unique=False)
        batch_op.create_index("ix_ledger_register_published", ["published"], unique=False)

    op.create_table(
        "ledger_calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("workday", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "ledger_calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "ledger_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(length=100), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_key", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ledger_audit", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_audit_at", ["at"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION ledger_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{_REFUSE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER ledger_audit_no_change BEFORE UPDATE OR DELETE ON ledger_audit "
            "FOR EACH ROW EXECUTE FUNCTION ledger_audit_refuse()"
        )
        op.execute(
            "CREATE TRIGGER ledger_audit_no_truncate BEFORE TRUNCATE ON ledger_audit "
            "FOR EACH STATEMENT EXECUTE FUNCTION ledger_audit_refuse()"
        )
    else:
        for what in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER ledger_audit_no_{what.lower()} BEFORE {what} ON ledger_audit "
                f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_audit_no_truncate ON ledger_audit")
        op.execute("DROP TRIGGER IF EXISTS ledger_audit_no_change ON ledger_audit")
        op.execute("DROP FUNCTION IF EXISTS ledger_audit_refuse()")
    else:
        op.execute("DROP TRIGGER IF EXISTS ledger_audit_no_update")
        op.execute("DROP TRIGGER IF EXISTS ledger_audit_no_delete")
    op.drop_table("ledger_audit")
    op.drop_table("ledger_calendar_years")
    op.drop_table("ledger_calendar_days")
    op.drop_table("ledger_register")
    op.drop_table("ledger_cases")
    op.drop_table("ledger_events")
    op.drop_table("ledger_requests")
