"""initial schema: banks, entries, scan checkpoints

Revision ID: 0001
Revises:
Create Date: 2026-11-29

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "banks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pdq_threshold", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_path", sa.String(length=4000), nullable=False),
        sa.Column("roots", sa.JSON(), nullable=False),
        sa.Column("banks", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("elapsed_seconds", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scans_report_path"), ["report_path"], unique=False)

    op.create_table(
        "bank_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("signal_type", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=400), nullable=False),
        sa.Column("category_scheme", sa.String(length=64), nullable=True),
        sa.Column("category_code", sa.String(length=32), nullable=True),
        sa.Column("series", sa.String(length=300), nullable=True),
        sa.Column("victim_identified", sa.Boolean(), nullable=True),
        sa.Column("baseline", sa.Boolean(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["bank_id"], ["banks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bank_id", "signal_type", "value", name="uq_bank_signal_value"),
    )
    with op.batch_alter_table("bank_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bank_entries_bank_id"), ["bank_id"], unique=False)
        batch_op.create_index("ix_entries_signal_value", ["signal_type", "value"], unique=False)

    op.create_table(
        "scan_records",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.BigInteger(), nullable=False),
        sa.Column("item_index", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("scan_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scan_records_order", ["scan_id", "ordinal", "item_index"], unique=False
        )

    op.create_table(
        "scan_units",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("unit_path", sa.Text(), nullable=False),
        sa.Column("ordinal", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scan_id", "unit_path", name="uq_scan_unit"),
    )
    with op.batch_alter_table("scan_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scan_units_scan_id"), ["scan_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("scan_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scan_units_scan_id"))

    op.drop_table("scan_units")
    with op.batch_alter_table("scan_records", schema=None) as batch_op:
        batch_op.drop_index("ix_scan_records_order")

    op.drop_table("scan_records")
    with op.batch_alter_table("bank_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_entries_signal_value")
        batch_op.drop_index(batch_op.f("ix_bank_entries_bank_id"))

    op.drop_table("bank_entries")
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scans_report_path"))

    op.drop_table("scans")
    op.drop_table("banks")
