"""audit records: no unique index on the record hash

Every lookup writes an audit record, thousands a second. A unique index on a SHA-256 takes keys in
random order: once it outgrew the page cache, each batch of records rewrote a page of it per
record, doubling the cost of writing the log. It guarded nothing: ``seq`` is unique, and each hash
covers its record's ``seq``, so two records cannot share a hash.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite keeps the constraint unnamed (inline in the table); this names it for the table rebuild.
_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "audit_records", recreate="always", naming_convention=_NAMES
        ) as batch_op:
            batch_op.drop_constraint("uq_audit_records_hash", type_="unique")
    else:
        op.drop_constraint("audit_records_hash_key", "audit_records", type_="unique")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("audit_records") as batch_op:
        batch_op.create_unique_constraint("audit_records_hash_key", ["hash"])
