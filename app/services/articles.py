"""Article use cases: extract without storing, or hash, extract, resolve and store in one go."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.errors import NotFound
from app.extraction import contract, extract
from app.extraction import types as extracted
from app.extraction.contract import MENTION_GROUPS
from app.models import Article, Event, Mention
from app.schemas.articles import ArticleIn, ArticleOut, ExtractionOut, MentionOut, Mentions
from app.schemas.events import EventIn, EventOut
from app.services import events as event_service
from app.services.catalog import Catalog


def extract_article(*, catalog: Catalog, article: ArticleIn) -> ExtractionOut:
    """Read events from a text; nothing is stored."""
    result = _run_extractor(catalog, article)
    return ExtractionOut(
        events=[_event_out(e) for e in result.events],
        mentions=_group_mentions(
            catalog,
            ((m.kind, m.text, m.span, m.entity_id, m.value, m.rule) for m in result.mentions),
        ),
    )


def ingest_article(
    *, session: Session, catalog: Catalog, article: ArticleIn
) -> tuple[ArticleOut, bool]:
    """Store the article, its mentions and events at once; the same text twice is stored once."""
    content_hash = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    existing = session.scalar(select(Article).where(Article.content_hash == content_hash))
    if existing is not None:
        return _article_out(session, catalog, existing), False
    result = _run_extractor(catalog, article)
    row = Article(
        content_hash=content_hash,
        text=article.text,
        url=article.url,
        title=article.title,
        outlet=article.source,
        published_at=article.published_at,
    )
    try:
        session.add(row)
        session.flush()
        mentions = [
            {
                "article_id": row.id,
                "kind": mention.kind,
                "text": mention.text[:512],
                "span_start": mention.span[0],
                "span_end": mention.span[1],
                "entity_id": mention.entity_id,
                "value": None if mention.value is None else str(mention.value),
                "rule": mention.rule,
            }
            for mention in result.mentions
        ]
        if mentions:  # one bulk insert: a model instance per mention cost more than extraction
            session.execute(insert(Mention), mentions)
        for event in result.events:
            event_in = EventIn.model_validate(_event_out(event).model_dump())
            event_service.add_event(
                session=session, catalog=catalog, event_in=event_in, article_id=row.id, fuzzy=False
            )
        session.commit()
    except IntegrityError:
        # A concurrent post of the same text won the race: answer with its stored article.
        session.rollback()
        winner = session.scalar(select(Article).where(Article.content_hash == content_hash))
        if winner is None:
            raise
        return _article_out(session, catalog, winner), False
    return _article_out(session, catalog, row), True


def get_article(*, session: Session, catalog: Catalog, article_id: int) -> ArticleOut:
    """A stored article with its mentions and events."""
    row = session.get(Article, article_id)
    if row is None:
        raise NotFound(f"article {article_id} does not exist")
    return _article_out(session, catalog, row)


def _run_extractor(catalog: Catalog, article: ArticleIn) -> extracted.Extraction:
    return extract(
        article.text, catalog.lexicon, published_at=article.published_at, source=article.source
    )


def _article_out(session: Session, catalog: Catalog, row: Article) -> ArticleOut:
    events = session.scalars(
        select(Event).where(Event.article_id == row.id).order_by(Event.evidence_start, Event.id)  # type: ignore[arg-type]
    ).all()
    mentions = session.scalars(
        select(Mention).where(Mention.article_id == row.id).order_by(Mention.span_start, Mention.id)  # type: ignore[arg-type]
    ).all()
    return ArticleOut(
        id=row.id,  # type: ignore[arg-type]
        content_hash=row.content_hash,
        url=row.url,
        title=row.title,
        source=row.outlet,
        published_at=row.published_at,
        created_at=event_service.as_utc(row.created_at),
        text=row.text,
        events=event_service.present_events(session=session, catalog=catalog, events=events),
        mentions=_group_mentions(
            catalog,
            (
                (m.kind, m.text, (m.span_start, m.span_end), m.entity_id, m.value, m.rule)
                for m in mentions
            ),
        ),
    )


def _event_out(event: extracted.Event) -> EventOut:
    """The extractor's event in the contract's shape; entities it could not name stay unresolved."""
    data = contract.event_dict(event)
    for item in [*data["actors"], *data["equipment"], data["location"]]:
        if item is not None:
            item["resolved"] = item["id"] is not None
    return EventOut.model_validate(data)


def _group_mentions(
    catalog: Catalog,
    rows: Iterable[tuple[str, str, tuple[int, int], str | None, object, str | None]],
) -> Mentions:
    groups: dict[str, list[MentionOut]] = {group: [] for group in MENTION_GROUPS.values()}
    resolver = catalog.resolver
    for kind, text, span, entity_id, value, rule in rows:
        out = MentionOut(text=text, span=span, rule=rule, id=entity_id)
        if kind == "actor" and (actor := resolver.actors.get(entity_id or "")):
            out = out.model_copy(
                update={"name": actor.name, "kind": actor.kind, "country_iso3": actor.country_iso3}
            )
        elif kind == "equipment" and (model := resolver.equipment.get(entity_id or "")):
            out = out.model_copy(
                update={
                    "name": model.name,
                    "category": model.category,
                    "caliber_mm": model.caliber_mm,
                }
            )
        elif kind == "location" and (place := catalog.gazetteer.get(entity_id or "")):
            out = out.model_copy(
                update={
                    "name": place.name,
                    "country_iso3": place.country_iso3,
                    "admin1": place.admin1,
                    "lat": place.lat,
                    "lon": place.lon,
                }
            )
        else:
            out = out.model_copy(update={"value": _plain(value)})
        groups[MENTION_GROUPS[kind]].append(out)
    return Mentions(**groups)


def _plain(value: object) -> str | int | None:
    if value is None or isinstance(value, int):
        return value
    return str(value)
