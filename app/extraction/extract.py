"""`extract()`: raw news text in, coded events and mentions out, in a few milliseconds."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from app.extraction.casualties import count_casualties
from app.extraction.cues import EventPattern
from app.extraction.dates import DateMention, find_dates
from app.extraction.frames import Frame, choose_pattern, features, usable_cues
from app.extraction.lexicon import ActorEntry, Lexicon
from app.extraction.mentions import (
    ActorMention,
    EquipmentMention,
    PlaceMention,
    SourceMention,
    attach_quantities,
    classify_entities,
    merge_equipment,
    resolve_places,
)
from app.extraction.phrases import PhraseIndex, build_phrase_index
from app.extraction.quantities import Quantity, Token, find_calibres, find_quantities, tokens_of
from app.extraction.scan import Hit, scan
from app.extraction.sentences import split_sentences
from app.extraction.textnorm import normalize_text
from app.extraction.types import (
    ActorRef,
    EquipmentRef,
    Event,
    Evidence,
    Extraction,
    LocationRef,
    Mention,
    SourceRef,
)

# Short texts (ACLED-style notes) describe one event; longer ones are read sentence by sentence.
_NOTE_MAX_WORDS = 170
_TRANSFER_TYPES = frozenset({"Arms transfer", "Troop deployment"})
_REPORTING_ADVERBS = frozenset(
    {
        "also",
        "recently",
        "later",
        "reportedly",
        "previously",
        "has",
        "have",
        "had",
        "earlier",
        "further",
        "separately",
    }
)
_PRECISION = {"country": "country", "admin1": "admin1", "admin2": "admin2"}


class _ByStart:
    """Items in text order with their starts, so range look-ups bisect plain ints (no key calls)."""

    __slots__ = ("items", "starts")

    def __init__(self, items: list) -> None:
        """Index `items`, which must already be sorted by start."""
        self.items = items
        self.starts = [item.start for item in items]

    def within(self, start: int, end: int) -> list:
        """Items whose start lies in [start, end)."""
        starts = self.starts
        low = bisect.bisect_left(starts, start)
        return self.items[low : bisect.bisect_left(starts, end, low)]


@dataclass(slots=True)
class _Doc:
    """Everything read from one text before events are assembled."""

    text: str
    tokens: list[Token]
    sentences: list[tuple[int, int]]
    sentence_of_token: list[int]
    cues: list[Hit]
    actors: list[ActorMention]
    places: list[PlaceMention]
    equipment: list[EquipmentMention]
    quantities: list[Quantity]
    dates: list[DateMention]
    sources: list[SourceMention]
    phrases: PhraseIndex
    published_at: date | None
    source: str | None
    token_starts: tuple[int, ...]
    actor_at: _ByStart
    place_at: _ByStart
    equipment_at: _ByStart
    cue_at: _ByStart
    date_at: _ByStart
    source_at: _ByStart


def extract(
    text: str, lexicon: Lexicon, *, published_at: date | None = None, source: str | None = None
) -> Extraction:
    """Read mentions and coded events from `text`; relative dates anchor on `published_at`."""
    if not text or not text.strip():
        return Extraction((), ())
    doc = _read(text, lexicon, published_at, source)
    frames = _frames(doc, lexicon)
    events = [_assemble(doc, frame, lexicon) for frame in frames]
    events = [e for e in events if e is not None]
    events.sort(key=lambda e: e.evidence.span[0])
    return Extraction(tuple(events), _mentions(doc))


def _read(text: str, lexicon: Lexicon, published_at: date | None, source: str | None) -> _Doc:
    """Run every recogniser once over the text."""
    norm = normalize_text(text)
    tokens = tokens_of(norm)
    found = scan(text, norm, lexicon)
    sentences = split_sentences(text, lexicon.abbreviations)
    sentence_of_token = _sentence_of_token(sentences, norm.orig_starts)
    actors, places, equipment = classify_entities(text, found.entities, tokens, lexicon)
    dates = find_dates(text, lexicon.numbers, published_at, tokens)
    calibres = find_calibres(text)
    skip = [(d.start, d.end) for d in dates]
    skip += [(s, e) for _, s, e in calibres]
    skip += [(m.start, m.end) for m in equipment]
    skip += [(m.start, m.end) for m in actors if m.entry is not None]
    skip += [(m.start, m.end) for m in places]
    quantities = find_quantities(text, tokens, lexicon.numbers, skip)
    resolve_places(places, actors, text, lexicon)
    attach_quantities(equipment, quantities, calibres, tokens, sentence_of_token)
    # Cue words inside dates ("March") or place names ("Imam Sahib") are not cues.
    date_spans = [(d.start, d.end) for d in dates if d.end > d.start]
    date_spans += [
        (p.start, p.end) for p in places if p.chosen is not None and p.rule != "country-context"
    ]
    masked = bytearray(len(text))
    for a, b in date_spans:
        masked[a:b] = b"\x01" * (b - a)
    cues = [c for c in usable_cues(text, found.cues, lexicon) if masked.find(1, c.start, c.end) < 0]
    phrases = build_phrase_index(found.cues)
    sources = _find_sources(text, tokens, actors, lexicon, phrases)
    return _Doc(
        text,
        tokens,
        sentences,
        sentence_of_token,
        cues,
        actors,
        places,
        equipment,
        quantities,
        dates,
        sources,
        phrases,
        published_at,
        source,
        norm.orig_starts,
        _ByStart(actors),
        _ByStart(places),
        _ByStart(equipment),
        _ByStart(cues),
        _ByStart(dates),
        _ByStart(sources),
    )


def _sentence_of_token(
    sentences: list[tuple[int, int]], token_starts: tuple[int, ...]
) -> list[int]:
    """Sentence index of each token (tokens before the first sentence count as in it).

    Bisects once per sentence rather than once per token: sentences are far fewer.
    """
    out: list[int] = []
    done = 0
    for index in range(1, len(sentences)):
        upto = bisect.bisect_left(token_starts, sentences[index][0], done)
        out += [index - 1] * (upto - done)
        done = upto
    out += [max(0, len(sentences) - 1)] * (len(token_starts) - done)
    return out


def _frames(doc: _Doc, lexicon: Lexicon) -> list[Frame]:
    """One frame for a short note; for longer texts, one per event-bearing run of sentences."""
    words = len(doc.tokens)
    if words <= _NOTE_MAX_WORDS or len(doc.sentences) <= 2:
        feats = features(doc.cues, doc.actors, doc.places, doc.equipment, lexicon)
        dead, hurt = count_casualties(
            doc.tokens,
            0,
            len(doc.tokens),
            doc.quantities,
            lexicon,
            doc.phrases,
            doc.sentence_of_token,
        )
        if dead or hurt:
            feats.add("harm")
        chosen = choose_pattern(doc.cues, feats, lexicon)
        if chosen is None:
            return _default_frame(doc, lexicon)
        return [Frame(chosen[0], chosen[1], 0, len(doc.sentences) - 1)]
    frames: list[Frame] = []
    for index, (start, end) in enumerate(doc.sentences):
        actors = doc.actor_at.within(start, end)
        places = doc.place_at.within(start, end)
        equipment = doc.equipment_at.within(start, end)
        if not (actors or equipment or any(p.chosen for p in places)):
            continue
        cues = doc.cue_at.within(start, end)
        feats = features(cues, actors, places, equipment, lexicon)
        chosen = choose_pattern(cues, feats, lexicon)
        if chosen is None:
            continue
        pattern, trigger = chosen
        previous = frames[-1] if frames else None
        if (
            previous is not None
            and previous.pattern.sub_event_type == pattern.sub_event_type
            and index - previous.last_sentence <= 2
        ):
            frames[-1] = Frame(
                previous.pattern,
                previous.trigger,
                previous.first_sentence,
                index,
                (*previous.triggers, (index, trigger)),
            )
            continue
        frames.append(Frame(pattern, trigger, index, index, ((index, trigger),)))
    return frames


def _default_frame(doc: _Doc, lexicon: Lexicon) -> list[Frame]:
    """A note with no event cue still reports something: code the configured default."""
    if not doc.tokens or not (doc.actors or doc.places or doc.dates):
        return []
    event_type, sub_event_type = lexicon.extra["default_event"]
    pattern = EventPattern("default", event_type, sub_event_type, 0, frozenset(), (), (), (), False)
    first = doc.tokens[0]
    trigger = Hit(first.start, first.end, 0, 1, first.text, ())
    return [Frame(pattern, trigger, 0, len(doc.sentences) - 1)]


def _assemble(doc: _Doc, frame: Frame, lexicon: Lexicon) -> Event | None:
    """Fill one event from the mentions inside its frame."""
    start = doc.sentences[frame.first_sentence][0]
    end = doc.sentences[frame.last_sentence][1]
    pattern = frame.pattern
    assert pattern.event_type and pattern.sub_event_type
    places = doc.place_at.within(start, end)
    location = _location(doc.text, places, doc.places, lexicon.words["coded_as"])
    country = location.country_iso3 if location else _fallback_country(doc, lexicon)
    actors = _event_actors(doc, frame, start, end, country, lexicon)
    location = location or _actor_country_location(actors, lexicon)
    tok_start = bisect.bisect_left(doc.token_starts, start)
    tok_end = bisect.bisect_left(doc.token_starts, end, tok_start)
    dead, hurt = count_casualties(
        doc.tokens, tok_start, tok_end, doc.quantities, lexicon, doc.phrases, doc.sentence_of_token
    )
    when = _event_date(doc, start, end)
    equipment = tuple(
        _equipment_ref(doc.text, m) for m in merge_equipment(doc.equipment_at.within(start, end))
    )
    reported = tuple(_source_ref(doc.text, s) for s in doc.source_at.within(start, end))
    if not reported and doc.source:
        reported = (SourceRef(doc.source, None, "", (0, 0)),)
    return Event(
        event_type=pattern.event_type,
        sub_event_type=pattern.sub_event_type,
        event_date=when.value if when else None,
        date_precision=when.precision if when else None,
        actors=actors,
        location=location,
        fatalities=dead,
        injured=hurt,
        equipment=equipment,
        reported_by=reported,
        evidence=Evidence(doc.text[start:end], (start, end)),
    )


def _location(
    text: str,
    places: list[PlaceMention],
    places_all: list[PlaceMention],
    coded_as: frozenset[str] = frozenset(),
) -> LocationRef | None:
    """The most specific place tied to the event, skipping qualifiers and actor countries."""
    best: tuple[float, int, PlaceMention] | None = None
    for order, mention in enumerate(places):
        place = mention.chosen
        if place is None or (
            mention.qualifier_of is not None and places_all[mention.qualifier_of].chosen is not None
        ):
            continue
        tier = {"country": 3.0, "admin1": 2.0}.get(place.feature_type, 0.0)
        if mention.rule == "country-context":
            continue
        if mention.preceded_by in ("from", "to"):
            tier += 0.5
        if mention.preceded_by in coded_as:
            tier -= 5  # ACLED notes say which place they coded: "(coded to Tokmak)"
        candidate = (tier, order, mention)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    if best is None:
        return None
    mention = best[2]
    place = mention.chosen
    assert place is not None
    precision = _PRECISION.get(place.feature_type, "point")
    admin1 = place.name if place.feature_type == "admin1" else place.admin1
    return LocationRef(
        name=place.name,
        id=place.id,
        admin1=admin1,
        country_iso3=place.country_iso3,
        lat=place.lat,
        lon=place.lon,
        precision=precision,
        text=text[mention.start : mention.end],
        span=(mention.start, mention.end),
        rule=mention.rule,
    )


def _actor_country_location(actors: tuple[ActorRef, ...], lexicon: Lexicon) -> LocationRef | None:
    """Without a place, the country of the first state actor taking part ("Kenyan police
    killed a student"), read from that actor's words."""
    for actor in actors:
        if (
            actor.kind in ("state", "state_forces", "government")
            and actor.role in ("initiator", "target")
            and actor.span[1] > actor.span[0]
            and (index := lexicon.country_place.get(actor.country_iso3 or "")) is not None
        ):
            place = lexicon.places[index]
            return LocationRef(
                name=place.name,
                id=place.id,
                admin1=None,
                country_iso3=place.country_iso3,
                lat=place.lat,
                lon=place.lon,
                precision="country",
                text=actor.text,
                span=actor.span,
                rule="actor-country",
            )
    return None


def _fallback_country(doc: _Doc, lexicon: Lexicon) -> str | None:
    """Without a located place, the first country named in the text."""
    for mention in doc.places:
        if mention.chosen is not None and mention.chosen.country_iso3:
            return mention.chosen.country_iso3
    return None


def _event_date(doc: _Doc, start: int, end: int) -> DateMention | None:
    """The first day-precise date in the evidence, else any date in it, else the nearest before."""
    inside = doc.date_at.within(start, end)
    for wanted in ("day", "week", "month", "year"):
        for mention in inside:
            if mention.precision == wanted and not mention.relative:
                return mention
        for mention in inside:
            if mention.precision == wanted:
                return mention
    before = [d for d in doc.dates if d.start < start and d.precision == "day"]
    if before:
        return before[-1]
    if doc.published_at is not None:
        return DateMention(doc.published_at, "day", 0, 0, True)
    return None


def _country_name(iso3: str | None, lexicon: Lexicon) -> str | None:
    """Display name of a country for generic actor labels."""
    state = lexicon.state(iso3)
    if state is not None:
        return state.name
    index = lexicon.country_place.get(iso3 or "")
    return lexicon.places[index].name if index is not None else iso3


def _event_actors(
    doc: _Doc, frame: Frame, start: int, end: int, country: str | None, lexicon: Lexicon
) -> tuple[ActorRef, ...]:
    """Actors inside the evidence with roles read from word order around the trigger."""
    pattern = frame.pattern
    event_type, sub = pattern.event_type, pattern.sub_event_type
    transfer = sub in _TRANSFER_TYPES
    words = lexicon.words
    tokens = doc.tokens

    # The voice around a trigger, read once per trigger rather than once per actor.
    readings: dict[tuple[int, int], tuple[bool, bool]] = {}

    def reading(trigger: Hit) -> tuple[bool, bool]:
        span = (trigger.tok_start, trigger.tok_end)
        found = readings.get(span)
        if found is None:
            passive = any(
                t.text in words["passive_aux"]
                for t in tokens[max(0, trigger.tok_start - 2) : trigger.tok_start]
            )
            flip = transfer and any(
                t.text in words["recipient_verbs"]
                for t in tokens[max(0, trigger.tok_start - 1) : trigger.tok_end]
            )
            found = readings[span] = (passive, flip)
        return found

    refs: list[ActorRef] = []
    seen: set[tuple[str | None, str, str]] = set()
    inside = doc.actor_at.within(start, end)
    generic_country = country
    if transfer:
        # Troops sent by a state are that state's troops, not the destination's.
        states = [
            m.entry.country_iso3
            for m in inside
            if m.entry is not None
            and not m.is_source
            and m.entry.country_iso3
            and m.entry.kind in ("state", "state_forces", "government")
        ]
        generic_country = states[0] if states else country
    for mention in inside:
        if mention.is_source:
            continue
        trigger = frame.trigger_for(doc.sentence_of_token[mention.tok_start])
        ref = _actor_ref(
            doc,
            mention,
            event_type or "",
            generic_country if mention.generic else country,
            lexicon,
            mention.tok_start < trigger.tok_start,
        )
        if ref is None:
            continue
        passive, flip = reading(trigger)
        role = _role(tokens, mention, trigger, words, transfer, flip, passive, ref.kind)
        if transfer and mention.generic and ref.kind == "state_forces":
            role = "supplier" if ref.country_iso3 == generic_country else role
        ref = ActorRef(
            ref.name, ref.id, ref.kind, ref.country_iso3, role, ref.text, ref.span, ref.rule
        )
        key = (
            (ref.id or ref.name, "", "")
            if mention.generic
            else (ref.id or ref.name, role, ref.text.casefold())
        )
        if key in seen:
            continue
        seen.add(key)
        refs.append(ref)
    refs = _implicit_actors(doc, refs, frame, country, lexicon)
    refs.sort(key=_role_order)
    return tuple(refs)


_ROLE_ORDER = {"initiator": 0, "supplier": 0, "target": 1, "recipient": 1, "associated": 2}


def _role_order(ref: ActorRef) -> tuple[int, int]:
    return (_ROLE_ORDER.get(ref.role, 3), ref.span[0])


def _actor_ref(
    doc: _Doc,
    mention: ActorMention,
    event_type: str,
    country: str | None,
    lexicon: Lexicon,
    before_trigger: bool = True,
) -> ActorRef | None:
    """Canonical actor for a mention; generic nouns take the event's country and type."""
    text = doc.text[mention.start : mention.end]
    span = (mention.start, mention.end)
    if mention.entry is not None:
        e = mention.entry
        return ActorRef(
            e.name, e.id, e.kind, e.country_iso3, "associated", text, span, mention.rule
        )
    if mention.named is not None:
        return ActorRef(
            mention.named, None, mention.named_kind, country, "associated", text, span, mention.rule
        )
    generic = lexicon.generics[mention.generic or ""]
    label = _country_name(country, lexicon)
    if generic.suffix:
        entry = lexicon.state_child(country, generic.suffix)
        if entry is not None:
            return ActorRef(
                entry.name,
                entry.id,
                entry.kind,
                entry.country_iso3,
                "associated",
                text,
                span,
                f"{mention.rule}+location-country",
            )
        prefix = "Police Forces" if generic.suffix == "POL" else "Military Forces"
        name = f"{prefix} of {label}" if label else prefix
        return ActorRef(name, None, "state_forces", country, "associated", text, span, mention.rule)
    kind = generic.kind
    base = generic.label or generic.name
    key = doc.text[mention.start : mention.end]
    if kind == "civilians" or mention.generic == "protesters":
        if event_type == "Protests":
            kind, base = "protesters", "Protesters"
        elif event_type == "Riots" and (before_trigger or mention.generic == "protesters"):
            kind, base = "rioters", "Rioters"  # the crowd; whom it attacks stays civilian
        elif event_type == "Battles" and kind == "civilians":
            return None
        elif mention.generic == "protesters":
            kind, base = "protesters", "Protesters"
    if mention.generic == "rioters" and event_type == "Protests":
        kind, base = "protesters", "Protesters"
    name = f"{base} ({label})" if label else base
    del key
    return ActorRef(name, None, kind, country, "associated", text, span, mention.rule)


def _role(
    tokens: list[Token],
    mention: ActorMention,
    trigger: Hit,
    words,
    transfer: bool,
    flip: bool,
    passive: bool,
    kind: str,
) -> str:
    """Initiator/target (or supplier/recipient) from position, 'by', 'from' and 'to'."""
    before_words = [t.text for t in tokens[max(0, mention.tok_start - 2) : mention.tok_start]]
    nearest = before_words[-1] if before_words else ""
    before = mention.tok_start < trigger.tok_start
    if transfer:
        if nearest in words["source_markers"] or "from" in before_words:
            return "supplier"
        if nearest in words["destination_markers"]:
            return "recipient"
        return "supplier" if before != flip else "recipient"
    if kind in ("protesters", "rioters"):
        return "initiator"
    if kind == "civilians":
        return "target"
    if any(w in words["agent_markers"] for w in before_words):
        return "initiator"
    if passive:
        return "target" if before else "initiator"
    return "initiator" if before else "target"


def _implicit_actors(
    doc: _Doc, refs: list[ActorRef], frame: Frame, country: str | None, lexicon: Lexicon
) -> list[ActorRef]:
    """Protests always have protesters, riots rioters, attacks on civilians a civilian target."""
    event_type = frame.pattern.event_type
    wanted = {
        "Protests": ("protesters", "Protesters", "initiator"),
        "Riots": ("rioters", "Rioters", "initiator"),
        "Violence against civilians": ("civilians", "Civilians", "target"),
    }.get(event_type or "")
    if wanted is None or any(r.kind == wanted[0] for r in refs):
        return refs
    kind, base, role = wanted
    label = _country_name(country, lexicon)
    trigger = frame.trigger
    name = f"{base} ({label})" if label else base
    return [
        *refs,
        ActorRef(
            name,
            None,
            kind,
            country,
            role,
            doc.text[trigger.start : trigger.end],
            (trigger.start, trigger.end),
            f"implicit:{kind}",
        ),
    ]


def _equipment_ref(text: str, mention: EquipmentMention) -> EquipmentRef:
    """Contract form of an equipment mention."""
    entry = mention.entry
    calibre = entry.caliber_mm if entry.caliber_mm is not None else mention.calibre
    return EquipmentRef(
        entry.name,
        entry.id,
        entry.category,
        calibre,
        mention.quantity,
        text[mention.start : mention.end],
        (mention.start, mention.end),
        mention.rule,
    )


def _source_ref(text: str, source: SourceMention) -> SourceRef:
    """Contract form of an attribution."""
    return SourceRef(
        source.name,
        source.id,
        text[source.start : source.end],
        (source.start, source.end),
        tuple(_source_ref(text, c) for c in source.citing),
    )


def _find_sources(
    text: str,
    tokens: list[Token],
    actors: list[ActorMention],
    lexicon: Lexicon,
    phrases: PhraseIndex,
) -> list[SourceMention]:
    """Media named with a reporting verb, and whoever follows 'according to' or 'citing'."""
    by_tok = {m.tok_start: m for m in actors}
    citing_marks = [(i, i + w) for i, w in phrases.positions("citing", 0, len(tokens))]
    found: list[SourceMention] = []
    for mention in actors:
        entry = mention.entry
        nxt = mention.tok_end
        if nxt < len(tokens) and tokens[nxt].text in _REPORTING_ADVERBS:
            nxt += 1
        reporting = bool(phrases.at("after_source", nxt, len(tokens)))
        cited = phrases.ends_before_any(
            "before_source", max(0, mention.tok_start - 2), mention.tok_start
        )
        is_media = entry is not None and entry.kind == "media"
        generic_source = mention.generic is not None and reporting
        if not (
            is_media
            or cited
            or generic_source
            or (reporting and entry is not None and entry.kind in ("international_org", "media"))
        ):
            continue
        mention.is_source = True
        name = entry.name if entry is not None else text[mention.start : mention.end]
        source = SourceMention(
            mention.start,
            mention.end,
            mention.tok_start,
            name,
            entry.id if entry is not None else None,
        )
        for mark_start, mark in citing_marks:
            if mention.tok_end <= mark_start <= mention.tok_end + 3:
                cited_mention = next(
                    (by_tok[k] for k in range(mark, mark + 3) if k in by_tok), None
                )
                if cited_mention is not None:
                    cited_mention.is_source = True
                    c_entry = cited_mention.entry
                    source.citing.append(
                        SourceMention(
                            cited_mention.start,
                            cited_mention.end,
                            cited_mention.tok_start,
                            c_entry.name
                            if c_entry
                            else text[cited_mention.start : cited_mention.end],
                            c_entry.id if c_entry else None,
                        )
                    )
        found.append(source)
    found.sort(key=lambda s: s.start)
    cited_at = {c.start for f in found for c in f.citing}
    return [s for s in found if s.start not in cited_at]


def _mentions(doc: _Doc) -> tuple[Mention, ...]:
    """All mentions in text order, each with its canonical entity and rule."""
    text = doc.text
    out: list[Mention] = []
    for a in doc.actors:
        entry: ActorEntry | None = a.entry
        out.append(
            Mention(
                "actor",
                text[a.start : a.end],
                (a.start, a.end),
                entry.id if entry else None,
                entry.name if entry else (a.named or a.generic),
                a.rule,
            )
        )
    for e in doc.equipment:
        out.append(
            Mention(
                "equipment",
                text[e.start : e.end],
                (e.start, e.end),
                e.entry.id,
                e.entry.name,
                e.rule,
            )
        )
    for p in doc.places:
        if p.chosen is not None and p.rule != "country-context":
            out.append(
                Mention(
                    "location",
                    text[p.start : p.end],
                    (p.start, p.end),
                    p.chosen.id,
                    p.chosen.name,
                    p.rule,
                )
            )
    for q in doc.quantities:
        out.append(
            Mention(
                "quantity",
                text[q.start : q.end],
                (q.start, q.end),
                None,
                q.value,
                "vague" if q.vague else "number",
            )
        )
    for d in doc.dates:
        if d.end > d.start:
            out.append(
                Mention(
                    "date",
                    text[d.start : d.end],
                    (d.start, d.end),
                    None,
                    d.value.isoformat(),
                    f"{'relative' if d.relative else 'absolute'}:{d.precision}",
                )
            )
    out.sort(key=_SPAN_KIND)
    return tuple(out)


# ((start, end), kind) orders as (start, end, kind), with no Python call per mention.
_SPAN_KIND = attrgetter("span", "kind")
