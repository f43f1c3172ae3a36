"""dataset ids: imported events keep their ACLED/UCDP id; unresolved actors keep kind and country

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Deleting a source checks its citations; without this index SQLite scans the whole table.
    with op.batch_alter_table("event_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_sources_cited_by_id"), ["cited_by_id"], unique=False
        )
    # 0001 missed these two EventActor columns the model already declares.
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.create_index("ix_event_actors_event_actor", ["event_id", "actor_id"], unique=False)
        batch_op.add_column(
            sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column("country_iso3", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True)
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("dataset", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "dataset_event_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
            )
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_events_dataset"), ["dataset", "dataset_event_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("event_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_sources_cited_by_id"))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_events_dataset"), type_="unique")
        batch_op.drop_column("dataset_event_id")
        batch_op.drop_column("dataset")
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.drop_index("ix_event_actors_event_actor")
        batch_op.drop_column("country_iso3")
        batch_op.drop_column("kind")
