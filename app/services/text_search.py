"""Full-text match and rank over event notes and evidence, one expression per database.

SQLite answers through the FTS5 table `events_fts`, PostgreSQL through the `search_vector`
column and its GIN index (both made by migration 0003).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Boolean, Float, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_query(text: str) -> str:
    """Quote every word so user input can never be read as FTS5 syntax; words are ANDed."""
    return " ".join(f'"{word}"' for word in _WORD.findall(text))


class TextMatch(ColumnElement[bool]):
    """True for events whose notes or evidence match the words."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, text: str) -> None:
        self.text = text


class TextRank(ColumnElement[float]):
    """Relevance, larger is better, for ordering matches."""

    inherit_cache = False
    type = Float()

    def __init__(self, text: str) -> None:
        self.text = text


@compiles(TextMatch, "postgresql")
def _match_postgres(element: TextMatch, compiler: Any, **kw: Any) -> str:
    query = compiler.process(literal(element.text), **kw)
    return f"events.search_vector @@ websearch_to_tsquery('english', {query})"


@compiles(TextMatch, "sqlite")
def _match_sqlite(element: TextMatch, compiler: Any, **kw: Any) -> str:
    query = compiler.process(literal(fts5_query(element.text)), **kw)
    return f"events.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH {query})"


@compiles(TextRank, "postgresql")
def _rank_postgres(element: TextRank, compiler: Any, **kw: Any) -> str:
    query = compiler.process(literal(element.text), **kw)
    return f"ts_rank(events.search_vector, websearch_to_tsquery('english', {query}))"


@compiles(TextRank, "sqlite")
def _rank_sqlite(element: TextRank, compiler: Any, **kw: Any) -> str:
    query = compiler.process(literal(fts5_query(element.text)), **kw)
    return (
        "(SELECT -bm25(events_fts) FROM events_fts "
        f"WHERE events_fts MATCH {query} AND events_fts.rowid = events.id)"
    )
