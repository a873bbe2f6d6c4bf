"""drop two bank-entry indexes that bulk imports paid for and no query needs

``ix_entries_signal_value`` (signal_type, value) took keys in hash order, so every import wrote
each new hash into a second random-order B-tree; lookups name the banks they search, so the
unique (bank_id, signal_type, value) index serves them. ``ix_entry_sources_entry_id`` repeated
the first column of the unique (entry_id, source) index.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.drop_index("ix_entries_signal_value", table_name="bank_entries")
    op.drop_index("ix_entry_sources_entry_id", table_name="entry_sources")


def downgrade() -> None:
    """Downgrade schema."""
    op.create_index("ix_entry_sources_entry_id", "entry_sources", ["entry_id"], unique=False)
    op.create_index("ix_entries_signal_value", "bank_entries", ["signal_type", "value"])
