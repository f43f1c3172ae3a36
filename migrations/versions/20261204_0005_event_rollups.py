"""monthly rollup of events per country and type, for charts over many events

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
_FILL = """
INSERT INTO event_rollups
    (country_iso3, month, event_type, sub_event_type, events, fatalities, equipment_quantity)
SELECT e.country_iso3, {month}, e.event_type, e.sub_event_type, count(*),
       coalesce(sum(e.fatalities), 0), coalesce(sum(q.quantity), 0)
FROM events e
LEFT JOIN (SELECT event_id, sum(quantity) AS quantity FROM event_equipment GROUP BY event_id) q
    ON q.event_id = e.id
GROUP BY e.country_iso3, {month}, e.event_type, e.sub_event_type
"""


def upgrade() -> None:
    op.create_table(
        "event_rollups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("month", sa.Date(), nullable=True),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("sub_event_type", sa.String(length=64), nullable=True),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("fatalities", sa.Integer(), nullable=False),
        sa.Column("equipment_quantity", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_rollups")),
    )
    op.create_index("ix_event_rollups_country_month", "event_rollups", ["country_iso3", "month"])
    op.create_index("ix_event_rollups_month", "event_rollups", ["month"])
    op.execute(_FILL.format(month=_MONTH[op.get_bind().dialect.name]))


def downgrade() -> None:
    op.drop_index("ix_event_rollups_month", table_name="event_rollups")
    op.drop_index("ix_event_rollups_country_month", table_name="event_rollups")
    op.drop_table("event_rollups")
