"""full-text search over event notes and evidence: FTS5 on SQLite, tsvector + GIN on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 09:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = [
    "CREATE VIRTUAL TABLE events_fts USING fts5("
    "notes, evidence_text, content='events', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN "
    "INSERT INTO events_fts(rowid, notes, evidence_text) "
    "VALUES (new.id, new.notes, new.evidence_text); END",
    "CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN "
    "INSERT INTO events_fts(events_fts, rowid, notes, evidence_text) "
    "VALUES ('delete', old.id, old.notes, old.evidence_text); END",
    "CREATE TRIGGER events_fts_update AFTER UPDATE OF notes, evidence_text ON events BEGIN "
    "INSERT INTO events_fts(events_fts, rowid, notes, evidence_text) "
    "VALUES ('delete', old.id, old.notes, old.evidence_text); "
    "INSERT INTO events_fts(rowid, notes, evidence_text) "
    "VALUES (new.id, new.notes, new.evidence_text); END",
    "INSERT INTO events_fts(events_fts) VALUES ('rebuild')",
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS events_fts_update",
    "DROP TRIGGER IF EXISTS events_fts_delete",
    "DROP TRIGGER IF EXISTS events_fts_insert",
    "DROP TABLE IF EXISTS events_fts",
]
_POSTGRES_UP = [
    "ALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('english', coalesce(notes, '') || ' ' || coalesce(evidence_text, ''))) STORED",
    "CREATE INDEX ix_events_search_vector ON events USING gin (search_vector)",
]
_POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_events_search_vector",
    "ALTER TABLE events DROP COLUMN IF EXISTS search_vector",
]


def upgrade() -> None:
    for statement in _POSTGRES_UP if _is_postgres() else _SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in _POSTGRES_DOWN if _is_postgres() else _SQLITE_DOWN:
        op.execute(statement)


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"
