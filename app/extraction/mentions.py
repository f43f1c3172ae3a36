"""Turn raw hits into typed mentions: actors (with metonyms and demonym+force nouns), places
(disambiguated by context), equipment (with quantities and calibres) and sources."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from app.extraction.lexicon import (
    ACTOR,
    EQUIP,
    GENERIC,
    PLACE,
    ActorEntry,
    EquipmentEntry,
    Lexicon,
    PlaceEntry,
)
from app.extraction.quantities import Quantity, Token
from app.extraction.scan import Hit
from app.extraction.textnorm import normalize_key


@dataclass(slots=True)
class ActorMention:
    """An actor read from the text; generic ones get their country from the event later."""

    start: int
    end: int
    tok_start: int
    tok_end: int
    entry: ActorEntry | None
    generic: str | None
    rule: str
    alias_type: str = "name"
    is_source: bool = False
    named: str | None = None
    named_kind: str = "militia"


@dataclass(slots=True)
class PlaceMention:
    """A place read from the text with its candidate places and the one chosen."""

    start: int
    end: int
    tok_start: int
    tok_end: int
    candidates: tuple[int, ...]
    chosen: PlaceEntry | None = None
    qualifier_of: int | None = None
    qualifiers: list[int] = field(default_factory=list)
    region_word: bool = False
    admin2_word: bool = False
    preceded_by: str = ""
    common: bool = False
    facility: bool = False
    rule: str = "gazetteer"


@dataclass(slots=True)
class EquipmentMention:
    """A weapon system read from the text with the count and calibre given for it."""

    start: int
    end: int
    tok_start: int
    tok_end: int
    entry: EquipmentEntry
    quantity: int | None = None
    calibre: float | None = None
    rule: str = "alias"


@dataclass(slots=True)
class SourceMention:
    """An attribution: who reported, and whom they cited."""

    start: int
    end: int
    tok_start: int
    name: str
    id: str | None
    citing: list[SourceMention] = field(default_factory=list)


def _alias_type(entry: tuple[str, object, str]) -> str:
    return entry[2].split("|", 1)[0]


def _prev_words(tokens: list[Token], index: int, count: int) -> list[str]:
    """Up to `count` token texts before token `index`, nearest last."""
    return [t.text for t in tokens[max(0, index - count) : index]]


def _matches_before(tokens: list[Token], index: int, phrases: frozenset[str]) -> str:
    """The longest phrase of `phrases` that ends right before token `index`, or ''.

    Each wider phrase is the last one with a word put in front, so it is grown, not rebuilt.
    """
    best = ""
    phrase = ""
    for width in (1, 2, 3):
        if index < width:
            break
        word = tokens[index - width].text
        phrase = word if width == 1 else f"{word} {phrase}"
        if phrase in phrases:
            best = phrase  # longer than any narrower match
    return best


def classify_entities(
    text: str, hits: tuple[Hit, ...], tokens: list[Token], lexicon: Lexicon
) -> tuple[list[ActorMention], list[PlaceMention], list[EquipmentMention]]:
    """Decide for each entity hit whether it is an actor, a place or equipment."""
    actors: list[ActorMention] = []
    places: list[PlaceMention] = []
    equipment: list[EquipmentMention] = []
    words = lexicon.words
    previous: Hit | None = None
    for hit in hits:
        prev_hit, previous = previous, hit
        top = hit.entries[0]
        if top[0] == EQUIP:
            entry = lexicon.equipment[top[1]]  # type: ignore[index]
            equipment.append(
                EquipmentMention(hit.start, hit.end, hit.tok_start, hit.tok_end, entry)
            )
            continue
        if top[0] == ACTOR:
            place_entries = hit.of(PLACE)
            entry = lexicon.actors[top[1]]  # type: ignore[index]
            alias = _alias_type(top)
            if place_entries and _reads_as_place(text, hit, tokens, alias, entry, words, prev_hit):
                group = lexicon.place_groups[place_entries[0][1]]  # type: ignore[index]
                places.append(_place(hit, group, tokens, words, text))
                continue
            actors.append(
                ActorMention(
                    hit.start,
                    hit.end,
                    hit.tok_start,
                    hit.tok_end,
                    entry,
                    None,
                    f"alias:{alias}",
                    alias,
                )
            )
            if place_entries and entry.kind == "state":
                # A country named as an actor still tells us which country the text is about:
                # that country, not another place of the same name ("Somali" is also a region).
                country = lexicon.country_place.get(entry.country_iso3 or "")
                group = lexicon.place_groups[place_entries[0][1]]  # type: ignore[index]
                if country is not None:
                    group = (country,)
                mention = _place(hit, group, tokens, words)
                mention.rule = "country-context"
                places.append(mention)
            continue
        if top[0] == GENERIC:
            if text[hit.start].isupper() and text[max(0, hit.start - 1) : hit.start] == "(":
                continue  # "(Military and Conflict News)": part of a name, not an actor
            actors.append(
                ActorMention(
                    hit.start,
                    hit.end,
                    hit.tok_start,
                    hit.tok_end,
                    None,
                    str(top[1]),
                    f"generic:{top[1]}",
                )
            )
            continue
        if _inside_longer_name(text, hit, tokens, words) or _part_of_word(text, hit):
            continue
        group = lexicon.place_groups[top[1]]  # type: ignore[index]
        places.append(_place(hit, group, tokens, words, text))
    actors = _compose_state_forces(actors, tokens, lexicon)
    actors = _named_groups(text, tokens, actors, places, lexicon)
    return actors, places, equipment


def _named_groups(
    text: str,
    tokens: list[Token],
    actors: list[ActorMention],
    places: list[PlaceMention],
    lexicon: Lexicon,
) -> list[ActorMention]:
    """'Rahanweyn-Mirifle-Hubeer sub-clan militia', 'Kyaikto Revolution Force': unseeded groups."""
    heads: dict[str, str] = lexicon.extra.get("named_group_heads", {})
    if not heads:
        return actors
    taken = bytearray(len(tokens) + 1)
    for actor in actors:
        if actor.entry is not None:
            taken[actor.tok_start : actor.tok_end] = b"\x01" * (actor.tok_end - actor.tok_start)
    found: list[ActorMention] = []
    last_words = lexicon.extra.get("named_group_last_words") or frozenset(
        k.split()[-1] for k in heads
    )
    n = len(tokens)
    for end_tok in range(n):
        if tokens[end_tok].text not in last_words or taken[end_tok]:
            continue
        matched = 0
        for width in (4, 3, 2, 1):
            first = end_tok - width + 1
            if first >= 0 and " ".join(t.text for t in tokens[first : end_tok + 1]) in heads:
                matched = width
                break
        i = end_tok - matched + 1
        if not matched or any(taken[i : end_tok + 1]):
            continue
        # Walk back over capitalised name words (joined by spaces or hyphens).
        j = i
        while j > 0:
            prev = tokens[j - 1]
            gap = text[prev.end : tokens[j].start]
            if gap not in (" ", "-") or not text[prev.start].isupper() or taken[j - 1]:
                break
            if prev.text in lexicon.words["common"]:
                break
            j -= 1
        if j < i:
            start, end = tokens[j].start, tokens[i + matched - 1].end
            name = text[start:end]
            if not all(t.text in lexicon.words["common"] for t in tokens[j:i]):
                kind = heads[" ".join(t.text for t in tokens[i : i + matched])]
                found.append(
                    ActorMention(
                        start,
                        end,
                        j,
                        i + matched,
                        None,
                        None,
                        "pattern:named-group",
                        "name",
                        named=name,
                        named_kind=kind,
                    )
                )
                taken[j : i + matched] = b"\x01" * (i + matched - j)
    if not found:
        return actors
    kept = [a for a in actors if not any(f.tok_start <= a.tok_start < f.tok_end for f in found)]
    return sorted(kept + found, key=lambda a: a.start)


def _inside_longer_name(text: str, hit: Hit, tokens: list[Token], words) -> bool:
    """`Husain` in `Husain Khel`, `Rapid` in `Rapid Intervention Unit`: part of an unknown name."""
    if hit.tok_end < len(tokens):
        nxt = tokens[hit.tok_end]
        gap = text[hit.end : nxt.start]
        if (
            gap == " "
            and text[nxt.start].isupper()
            and nxt.text not in words["region_words"]
            and nxt.text not in words["admin2_words"]
            and nxt.text not in words["common"]
        ):
            return True
    if hit.tok_start > 0:
        prev = tokens[hit.tok_start - 1]
        gap = text[prev.end : hit.start]
        before = text[: prev.start].rstrip()
        sentence_start = not before or before[-1] in ".!?:\n"
        if (
            gap == " "
            and text[prev.start].isupper()
            and not sentence_start
            and prev.text not in words["common"]
        ):
            return True
    return False


def _part_of_word(text: str, hit: Hit) -> bool:
    """`Cali` in `Xaaji-Cali`, `Non` in `Non-violent`, `NGO` or `IFO`: not a place name."""
    before = text[max(0, hit.start - 2) : hit.start]
    after = text[hit.end : hit.end + 2]
    if (len(before) == 2 and before[1] == "-" and before[0].isalpha()) or (
        len(after) == 2 and after[0] == "-" and after[1].isalpha()
    ):
        return True
    surface = text[hit.start : hit.end]
    return surface.isupper() and len(surface) <= 4


def _place(
    hit: Hit, group: tuple[int, ...], tokens: list[Token], words, text: str = ""
) -> PlaceMention:
    """A place mention with the words around it that matter for resolution."""
    nxt = tokens[hit.tok_end] if hit.tok_end < len(tokens) else None
    after = nxt.text if nxt is not None else ""
    return PlaceMention(
        hit.start,
        hit.end,
        hit.tok_start,
        hit.tok_end,
        group,
        region_word=after in words["region_words"],
        admin2_word=after in words["admin2_words"],
        preceded_by=_matches_before(tokens, hit.tok_start, words["place_lead"]),
        common=hit.key in words["common"],
        facility=bool(
            nxt is not None
            and text
            and text[nxt.start].isupper()
            and text[hit.end : nxt.start] == " "
            and after in words["facility_words"]
        ),
    )


def _reads_as_place(
    text: str,
    hit: Hit,
    tokens: list[Token],
    alias: str,
    entry: ActorEntry,
    words,
    prev_hit: Hit | None,
) -> bool:
    """Capital or country names: a place after a locative word, an actor otherwise."""
    if alias not in ("metonym", "name") or entry.kind not in ("state", "government"):
        return False
    following = tokens[hit.tok_end].text if hit.tok_end < len(tokens) else ""
    if following == "s" and text[hit.end : hit.end + 1] in ("'", "\u2019"):
        return False
    if following in words["place_nouns"] and alias == "metonym":
        # "Dhaka city", "Jilib town": a settlement noun makes the capital a place.
        after = tokens[hit.tok_end + 1].text if hit.tok_end + 1 < len(tokens) else ""
        return after not in words["government_nouns"]
    before = _matches_before(tokens, hit.tok_start, words["place_before"])
    if before:
        return True
    prev = _prev_words(tokens, hit.tok_start, 1)
    if prev and prev[0] in words["metonym_after"]:
        two = _prev_words(tokens, hit.tok_start, 3)
        if any(w in words["metonym_troops"] for w in two[:-1]):
            return False
        return prev[0] != "by"
    # "in Roysambu, Nairobi": a capital after an unknown capitalised place name is its region.
    if hit.tok_start >= 1 and text[max(0, hit.start - 2) : hit.start] == ", ":
        before = tokens[hit.tok_start - 1]
        if text[before.start].isupper() and before.text not in words["common"]:
            return True
    # "Town, Country" and "Town (District, Country)": a country closing a place chain.
    if prev_hit is not None and prev_hit.has(PLACE):
        gap = text[prev_hit.end : hit.start].strip()
        if gap in (",", "(", ", (", ") (", ")") or (gap.startswith(("(", ",")) and len(gap) < 30):
            return True
    return False


def _compose_state_forces(
    actors: list[ActorMention], tokens: list[Token], lexicon: Lexicon
) -> list[ActorMention]:
    """`Russian` + `forces`, `Kenyan` + `police`, `Ukraine's` + `army` -> that state's forces."""
    words = lexicon.words
    out: list[ActorMention] = []
    skip_next = False
    for i, mention in enumerate(actors):
        if skip_next:
            skip_next = False
            continue
        entry = mention.entry
        nxt = actors[i + 1] if i + 1 < len(actors) else None
        if (
            entry is not None
            and entry.kind in ("rebel_group", "militia", "other")
            and nxt is not None
            and nxt.generic == "unidentified"
            and nxt.tok_start == mention.tok_end
        ):
            # "Al Shabaab militants" is Al Shabaab, not an unidentified group beside it.
            out.append(
                ActorMention(
                    mention.start,
                    nxt.end,
                    mention.tok_start,
                    nxt.tok_end,
                    entry,
                    None,
                    f"{mention.rule}+generic",
                    mention.alias_type,
                )
            )
            skip_next = True
            continue
        if entry is None or entry.kind != "state":
            out.append(mention)
            continue
        j = mention.tok_end
        if j < len(tokens) and tokens[j].text == "s":
            j += 1
        while j < len(tokens) and tokens[j].text in (
            "air",
            "naval",
            "ground",
            "special",
            "military",
            "armed",
            "security",
        ):
            if nxt is not None and nxt.tok_start == j:
                break
            j += 1
        if nxt is not None and nxt.generic and nxt.tok_start == j:
            spec = lexicon.generics[nxt.generic]
            if spec.suffix:
                child = lexicon.state_child(entry.country_iso3, spec.suffix) or entry
                out.append(
                    ActorMention(
                        mention.start,
                        nxt.end,
                        mention.tok_start,
                        nxt.tok_end,
                        child,
                        None,
                        f"{mention.rule}+generic:{nxt.generic}",
                        "composite",
                    )
                )
                skip_next = True
                continue
        found = None
        for width in (3, 2, 1):
            phrase = " ".join(t.text for t in tokens[j : j + width])
            if len(tokens[j : j + width]) < width:
                continue
            if nxt is not None and nxt.tok_start < j + width:
                continue
            for group, suffix in (
                ("force_nouns", "MIL"),
                ("police_nouns", "POL"),
                ("government_nouns", "GOV"),
            ):
                if phrase in words[group]:
                    found = (suffix, j + width, group)
                    break
            if found:
                break
        if found:
            suffix, end_tok, group = found
            child = lexicon.state_child(entry.country_iso3, suffix) or entry
            out.append(
                ActorMention(
                    mention.start,
                    tokens[end_tok - 1].end,
                    mention.tok_start,
                    end_tok,
                    child,
                    None,
                    f"{mention.rule}+{group}",
                    "composite",
                )
            )
            continue
        if (
            mention.alias_type in ("demonym", "demonym-plural")
            and j < len(tokens)
            and (tokens[j].text in words["demonym_not_actor"])
        ):
            continue
        out.append(mention)
    return out


class _PlaceCache:
    """Per-text memo of gazetteer rows, which are rebuilt from columns on each access."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._table = lexicon.places
        self._rows: dict[int, PlaceEntry] = {}

    def __getitem__(self, index: int) -> PlaceEntry:
        row = self._rows.get(index)
        if row is None:
            row = self._rows[index] = self._table[index]
        return row

    def feature_type(self, index: int) -> str:
        return self._table.feature_type(index)


def resolve_places(
    places: list[PlaceMention], actors: list[ActorMention], text: str, lexicon: Lexicon
) -> None:
    """Pick one candidate per place mention using qualifiers, countries named and population."""
    table = _PlaceCache(lexicon)
    strong: set[str] = set()
    weak: set[str] = set()
    for mention in places:
        if mention.rule == "country-context":
            continue  # a demonym or actor country is weak evidence, counted below
        areas = {
            table[c].country_iso3
            for c in mention.candidates[:12]
            if table.feature_type(c) in ("country", "admin1")
        }
        if len(areas) == 1:
            strong |= {iso for iso in areas if iso}
    for actor in actors:
        if (
            actor.entry
            and actor.entry.country_iso3
            and actor.entry.kind not in ("media", "international_org")
        ):
            weak.add(actor.entry.country_iso3)
    # Chains such as "Orikhiv, Zaporizhia" or "Buratai (Biu, Borno)": later items qualify.
    for i, mention in enumerate(places):
        j = i
        while j + 1 < len(places):
            gap = text[places[j].end : places[j + 1].start]
            stripped = gap.strip()
            if stripped in (",", "(", "),", ", (", ") (", "-", "in", ",  ") or (
                stripped.startswith(("(", ","))
                and len(gap) <= 24
                and all(ch.isalpha() or ch in " ,()" for ch in gap)
                and _gap_is_admin_words(gap, lexicon)
            ):
                mention.qualifiers.append(j + 1)
                j += 1
            else:
                break
        # "Bafoussam town (Mifi, Ouest)": places inside the parentheses that follow qualify,
        # even when some items of the chain are unknown to the gazetteer.
        if not mention.qualifiers:
            opened = _parenthesis_after(text, mention.end, lexicon)
            if opened is not None:
                first, last = opened
                mention.qualifiers.extend(
                    k
                    for k in range(i + 1, len(places))
                    if first <= places[k].start and places[k].end <= last
                )
    for i, mention in enumerate(places):
        for q in mention.qualifiers:
            if places[q].qualifier_of is None:
                places[q].qualifier_of = i
    admin_hints: dict[int, set[tuple[str, str]]] = {}
    for i, mention in enumerate(places):
        hints: set[tuple[str, str]] = set()
        for q in mention.qualifiers:
            key = _key_of(text, places[q])
            hints |= set(lexicon.admin1_by_key.get(key, ()))
            for c in places[q].candidates[:20]:
                cand = table[c]
                if cand.feature_type == "admin1" and cand.country_iso3:
                    hints.add((cand.country_iso3, cand.name))
                if cand.feature_type == "country" and cand.country_iso3:
                    hints.add((cand.country_iso3, "*"))
        admin_hints[i] = hints
    for i, mention in enumerate(places):
        hints = admin_hints[i]
        key = normalize_key(text[mention.start : mention.end])
        best: tuple[float, int] | None = None
        for c in mention.candidates[:60]:
            cand = table[c]
            score = math.log10(cand.population + 1)
            if cand.feature_type == "country":
                score += 6
            if cand.feature_type == "admin2" and (mention.admin2_word or mention.region_word):
                score += 14  # "Jaghuri district", "Kani township": the unit, over a namesake
            if cand.feature_type == "admin1":
                # A bare name is the town; "X region" or the last item of a chain is the region.
                if mention.region_word or mention.qualifier_of is not None:
                    score += 12
                elif not any(
                    table[o].feature_type == "populated_place"
                    and normalize_key(table[o].name) == key
                    for o in mention.candidates[:20]
                ):
                    score += 4
                else:
                    score -= 4
            if hints:
                if (cand.country_iso3, cand.admin1) in hints or (
                    cand.feature_type == "admin1" and (cand.country_iso3, cand.name) in hints
                ):
                    score += 40
                elif (cand.country_iso3, "*") in hints:
                    score += 15
                elif any(iso == cand.country_iso3 for iso, _ in hints):
                    score += 12
            if cand.country_iso3 in strong:
                score += 10
            elif cand.country_iso3 in weak:
                score += 3
            if best is None or score > best[0]:
                best = (score, c)
        if best is not None:
            chosen = table[best[1]]
            hinted = (chosen.country_iso3, chosen.admin1) in hints
            if mention.common and not (mention.region_word or mention.qualifier_of is not None):
                continue  # "Centre", "Southern": only as a region word or in a place chain
            if (
                mention.facility
                and chosen.population < 100_000
                and chosen.feature_type not in ("admin1", "country")
            ):
                continue  # "Westgate Mall", "Jabulani Mall": a facility, not the town
            if (
                not hinted
                and strong
                and chosen.feature_type == "populated_place"
                and chosen.country_iso3 not in strong
                and chosen.country_iso3 not in weak
                and chosen.population < 1_000_000
            ):
                continue
            if (
                hints
                and chosen.feature_type == "populated_place"
                and (chosen.country_iso3, chosen.admin1) not in hints
                and any(iso == chosen.country_iso3 and name != "*" for iso, name in hints)
                and chosen.population < 50_000
            ):
                # "Rubizhne, Kharkiv" when only Luhansk's Rubizhne is known: trust the region.
                continue
            mention.chosen = chosen
            if mention.region_word and chosen.feature_type == "admin1":
                mention.rule = "gazetteer:region"
    # A qualifier names the region of its head: read it in the head's country.
    for mention in places:
        head = places[mention.qualifier_of].chosen if mention.qualifier_of is not None else None
        if head is None:
            continue
        same = [c for c in mention.candidates[:40] if table[c].country_iso3 == head.country_iso3]
        if same:
            named = [c for c in same if table[c].name == head.admin1]
            mention.chosen = table[(named or same)[0]]
        elif mention.common and mention.chosen is not None:
            # "Mulanje (Mulanje, Southern)": a generic word is a short form of the head's own
            # region ("Southern Region"), else some other country's region: not this one.
            region = lexicon.admin1_place.get(
                (head.country_iso3 or "", normalize_key(head.admin1 or ""))
            )
            short = normalize_key(head.admin1 or "").startswith(_key_of(text, mention) + " ")
            mention.chosen = table[region] if region is not None and short else None
    _drop_other_regions(places, text, lexicon)
    areas_named = {
        p.chosen.country_iso3
        for p in places
        if p.chosen is not None and p.chosen.feature_type in ("country", "admin1")
    }
    _drop_outliers(places, {iso for iso in areas_named if iso} | weak, table)


def _drop_other_regions(places: list[PlaceMention], text: str, lexicon: Lexicon) -> None:
    """Small towns outside every region the text names ("... districts, Nangarhar") are other
    towns of the same name."""
    named = {
        (p.chosen.country_iso3, p.chosen.name)
        for p in places
        if p.chosen is not None
        and p.chosen.feature_type == "admin1"
        and (p.region_word or p.qualifier_of is not None or p.preceded_by == ",")
    }
    named |= {
        (p.chosen.country_iso3, p.chosen.name)
        for p in places
        if p.chosen is not None
        and p.chosen.feature_type == "admin1"
        and text[max(0, p.start - 2) : p.start] == ", "
    }
    if not named:
        return
    countries = {iso for iso, _ in named}
    for mention in places:
        place = mention.chosen
        if (
            place is not None
            and place.feature_type == "populated_place"
            and place.country_iso3 in countries
            and (place.country_iso3, place.admin1) not in named
            and place.population < 50_000
        ):
            mention.chosen = None


def _drop_outliers(places: list[PlaceMention], context: set[str], table: _PlaceCache) -> None:
    """Drop small towns in countries nothing else in the text points to; a name known in one
    country alone stays when only actors' countries point elsewhere."""
    if not context:
        return
    chosen = [p.chosen for p in places if p.chosen is not None]
    if not any(c.country_iso3 in context for c in chosen):
        return
    anchored = any(
        p.chosen is not None and p.rule != "country-context" and p.chosen.country_iso3 in context
        for p in places
    )
    for mention in places:
        place = mention.chosen
        if (
            place is not None
            and place.feature_type == "populated_place"
            and place.country_iso3 not in context
            and place.population < 1_000_000
            and (
                anchored
                or any(table[c].country_iso3 != place.country_iso3 for c in mention.candidates[:20])
            )
        ):
            mention.chosen = None


def _parenthesis_after(text: str, end: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """The span inside '( ... )' right after a place (admin words such as 'town' may come first)."""
    rest = text[end : end + 40]
    opening = rest.find("(")
    if opening < 0 or not _gap_is_admin_words(rest[:opening], lexicon):
        return None
    closing = text.find(")", end + opening)
    if closing < 0 or closing - (end + opening) > 80:
        return None
    if text[end + opening + 1 : closing].lower().startswith("coded"):
        return None
    return end + opening + 1, closing


def _gap_is_admin_words(gap: str, lexicon: Lexicon) -> bool:
    """A gap made only of admin words (`district`, `region`, `township`) keeps a chain going."""
    words = [w for w in gap.replace("(", " ").replace(")", " ").replace(",", " ").lower().split()]
    if not words:
        return True
    # Checked set by set: building their union on every call cost more than the test.
    admin2, region, nouns = (
        lexicon.words["admin2_words"],
        lexicon.words["region_words"],
        lexicon.words["place_nouns"],
    )
    return all(w in admin2 or w in region or w in nouns for w in words)


def _key_of(text: str, mention: PlaceMention) -> str:
    """Normalized surface of a mention."""
    return normalize_key(text[mention.start : mention.end])


def attach_quantities(
    equipment: list[EquipmentMention],
    quantities: list[Quantity],
    calibres: list[tuple[float, int, int]],
    tokens: list[Token],
    sentence_of_token: list[int],
) -> None:
    """Give each equipment mention the count before it and the calibre near it."""
    q_by_end = sorted((q for q in quantities if not q.vague), key=lambda q: q.tok_end)
    for k, mention in enumerate(equipment):
        previous_equipment_end = equipment[k - 1].tok_end if k else -1
        for q in reversed(q_by_end):
            if q.tok_end > mention.tok_start:
                continue
            if q.tok_end < previous_equipment_end:
                break
            gap = mention.tok_start - q.tok_end
            if gap > 10 or sentence_of_token[q.tok_start] != sentence_of_token[mention.tok_start]:
                break
            between = {t.text for t in tokens[q.tok_end : mention.tok_start]}
            if gap > 3 and not between & {
                "based",
                "type",
                "such",
                "including",
                "variant",
                "version",
                "systems",
                "launchers",
                "modernized",
            }:
                break
            mention.quantity = q.value
            mention.rule = "alias+quantity"
            break
    for mm, start, end in calibres:
        nearest = None
        for mention in equipment:
            distance = start - mention.end if start >= mention.end else mention.start - end
            if 0 <= distance <= 60 and (nearest is None or distance < nearest[0]):
                nearest = (distance, mention)
        if nearest is not None:
            nearest[1].calibre = mm


def merge_equipment(mentions: list[EquipmentMention]) -> list[EquipmentMention]:
    """One mention per system within an event: keep the first, with any count seen."""
    by_id: dict[str, EquipmentMention] = {}
    for mention in mentions:
        known = by_id.get(mention.entry.id)
        if known is None:
            by_id[mention.entry.id] = mention
        elif known.quantity is None and mention.quantity is not None:
            by_id[mention.entry.id] = replace(mention)
    return list(by_id.values())
