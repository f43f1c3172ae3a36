"""covering indexes for bbox pages and per-country charts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 10:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_events_lat_lon", table_name="events")
    op.create_index(
        "ix_events_lat_lon_date", "events", ["latitude", "longitude", "event_date", "id"]
    )
    op.create_index(
        "ix_events_country_date_fatalities", "events", ["country_iso3", "event_date", "fatalities"]
    )


def downgrade() -> None:
    op.drop_index("ix_events_country_date_fatalities", table_name="events")
    op.drop_index("ix_events_lat_lon_date", table_name="events")
    op.create_index("ix_events_lat_lon", "events", ["latitude", "longitude"])
