"""video signatures (vPDQ bank entries) and live-stream alerts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "video_signatures",
        sa.Column("entry_id", _BIG_ID, nullable=False),
        sa.Column("frame_count", sa.Integer(), nullable=False),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("frames", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["bank_entries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id"),
    )
    op.create_table(
        "stream_alerts",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("stream", sa.String(length=500), nullable=False),
        sa.Column("stream_time", sa.Float(), nullable=False),
        sa.Column("wall_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bank", sa.String(length=200), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column("signal_type", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=400), nullable=False),
        sa.Column("distance", sa.Integer(), nullable=False),
        sa.Column("frame_pdq", sa.String(length=64), nullable=False),
        sa.Column("frame_quality", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stream_alerts_stream", "stream_alerts", ["stream", "id"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_stream_alerts_stream", table_name="stream_alerts")
    op.drop_table("stream_alerts")
    op.drop_table("video_signatures")
