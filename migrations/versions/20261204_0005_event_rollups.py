"""monthly rollups of events per country and type, and per actor, for charts over many events

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MONTH = {
    "sqlite": "date(e.event_date, 'start of month')",
    "postgresql": "CAST(date_trunc('month', e.event_date) AS DATE)",
}
_QUANTITY = "(SELECT sum(q.quantity) FROM event_equipment q WHERE q.event_id = e.id)"
_FILL_EVENTS = """
INSERT INTO event_rollups
    (country_iso3, month, event_type, sub_event_type, events, fatalities, equipment_quantity)
SELECT e.country_iso3, {month}, e.event_type, e.sub_event_type, count(*),
       coalesce(sum(e.fatalities), 0), coalesce(sum({quantity}), 0)
FROM events e
GROUP BY e.country_iso3, {month}, e.event_type, e.sub_event_type
"""
_FILL_ACTORS = """
INSERT INTO actor_rollups
    (actor_id, country_iso3, month, event_type, sub_event_type,
     events, fatalities, equipment_quantity)
WITH RECURSIVE lineage(actor_id, ancestor_id) AS (
    SELECT id, id FROM actors
    UNION ALL
    SELECT l.actor_id, a.parent_id FROM lineage l JOIN actors a ON a.id = l.ancestor_id
    WHERE a.parent_id IS NOT NULL
)
SELECT p.ancestor_id, e.country_iso3, {month}, e.event_type, e.sub_event_type, count(*),
       coalesce(sum(e.fatalities), 0), coalesce(sum({quantity}), 0)
FROM (SELECT DISTINCT l.ancestor_id, ea.event_id
      FROM event_actors ea JOIN lineage l ON l.actor_id = ea.actor_id) p
JOIN events e ON e.id = p.event_id
GROUP BY p.ancestor_id, e.country_iso3, {month}, e.event_type, e.sub_event_type
"""


def _rollup_table(name: str, *key: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        *key,
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("month", sa.Date(), nullable=True),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("sub_event_type", sa.String(length=64), nullable=True),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("fatalities", sa.Integer(), nullable=False),
        sa.Column("equipment_quantity", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    _rollup_table("event_rollups")
    op.create_index("ix_event_rollups_country_month", "event_rollups", ["country_iso3", "month"])
    op.create_index("ix_event_rollups_month", "event_rollups", ["month"])
    _rollup_table("actor_rollups", sa.Column("actor_id", sa.String(length=64), nullable=False))
    op.create_index("ix_actor_rollups_actor_month", "actor_rollups", ["actor_id", "month"])
    op.create_index("ix_actor_rollups_country_month", "actor_rollups", ["country_iso3", "month"])
    parts = {"month": _MONTH[op.get_bind().dialect.name], "quantity": _QUANTITY}
    op.execute(_FILL_EVENTS.format(**parts))
    op.execute(_FILL_ACTORS.format(**parts))


def downgrade() -> None:
    op.drop_index("ix_actor_rollups_country_month", table_name="actor_rollups")
    op.drop_index("ix_actor_rollups_actor_month", table_name="actor_rollups")
    op.drop_table("actor_rollups")
    op.drop_index("ix_event_rollups_month", table_name="event_rollups")
    op.drop_index("ix_event_rollups_country_month", table_name="event_rollups")
    op.drop_table("event_rollups")
