"""Alembic environment: runs on the connection egide hands over (see egide.store.database)."""

from alembic import context
from sqlalchemy import Connection

from egide.store.models import Base

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - egide always passes its connection
    raise RuntimeError("egide migrations run through egide.store.migrate(engine)")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
