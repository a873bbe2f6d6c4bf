"""media grouping and VICS flags on entries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("bank_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("media_id", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("offender_identified", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("is_distributed", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("extra", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_bank_entries_media_id"), ["media_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("bank_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_entries_media_id"))
        batch_op.drop_column("extra")
        batch_op.drop_column("is_distributed")
        batch_op.drop_column("offender_identified")
        batch_op.drop_column("media_id")
