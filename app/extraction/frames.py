"""Event frames: which ACLED (sub-)type a clause expresses, decided by data-driven cue patterns."""

from __future__ import annotations

from dataclasses import dataclass

from app.extraction.cues import EventPattern
from app.extraction.lexicon import CUE, GROUP, Lexicon
from app.extraction.mentions import ActorMention, EquipmentMention, PlaceMention
from app.extraction.scan import Hit


@dataclass(frozen=True, slots=True)
class Frame:
    """A chosen pattern for a stretch of sentences, with the cue that triggered it."""

    pattern: EventPattern
    trigger: Hit
    first_sentence: int
    last_sentence: int
    triggers: tuple[tuple[int, Hit], ...] = ()

    def trigger_for(self, sentence: int) -> Hit:
        """The cue of the given sentence when it has one, else the frame's first cue."""
        for index, hit in self.triggers:
            if index == sentence:
                return hit
        return self.trigger


def usable_cues(text: str, cues: tuple[Hit, ...], lexicon: Lexicon) -> list[Hit]:
    """Drop cues inside suppressor phrases and note labels that are not at the start."""
    suppressor_cues = lexicon.suppressor_cues
    suppressors = [(h.start, h.end) for h in cues if not suppressor_cues.isdisjoint(h.entries)]
    label_end = _label_end(text)
    kept: list[Hit] = []
    for hit in cues:
        if suppressors and any(
            a <= hit.start and hit.end <= b and (b - a) > (hit.end - hit.start)
            for a, b in suppressors
        ):
            continue
        if label_end == 0 and lexicon.label_cues.isdisjoint(hit.entries):
            kept.append(hit)
            continue
        entries = []
        for entry in hit.entries:
            if entry[0] == CUE:
                pattern = lexicon.patterns[entry[1]]  # type: ignore[index]
                if pattern.label and not (label_end and hit.end <= label_end):
                    continue
                if not pattern.label and label_end and hit.end <= label_end:
                    continue
            entries.append(entry)
        if entries:
            kept.append(
                Hit(hit.start, hit.end, hit.tok_start, hit.tok_end, hit.key, tuple(entries))
            )
    return kept


def _label_end(text: str) -> int:
    """End of a leading note label such as `Interception:`; 0 when there is none."""
    head = text[:48]
    colon = head.find(":")
    if colon <= 0:
        return 0
    label = head[:colon]
    if any(ch.isdigit() for ch in label) or len(label.split()) > 5:
        return 0
    return colon


def features(
    cues: list[Hit],
    actors: list[ActorMention],
    places: list[PlaceMention],
    equipment: list[EquipmentMention],
    lexicon: Lexicon,
) -> set[str]:
    """Feature strings of a scope: cue groups, actor kinds, generic classes, equipment, places."""
    out: set[str] = set()
    group_features = lexicon.group_features
    for hit in cues:
        for entry in hit.entries:
            if entry[0] == GROUP:
                out.add(group_features[entry[1]])  # type: ignore[index]
    for actor in actors:
        if actor.is_source:
            continue
        if actor.generic:
            out.add(f"generic:{actor.generic}")
        elif actor.entry is not None:
            out.add(f"actor:{actor.entry.kind}")
    for item in equipment:
        out.add("equip")
        out.add(f"equip:{item.entry.category}")
    if any(p.chosen is not None and p.rule != "country-context" for p in places):
        out.add("place")
    return out


def choose_pattern(
    cues: list[Hit], feats: set[str], lexicon: Lexicon
) -> tuple[EventPattern, Hit] | None:
    """The highest-ranked pattern whose cue occurs and whose conditions hold in the scope."""
    present: dict[int, Hit] = {}
    near: _ScopeMarks | None = None
    for hit in cues:
        for entry in hit.entries:
            if entry[0] == CUE:
                index = int(entry[1])  # type: ignore[arg-type]
                pattern = lexicon.patterns[index]
                if not pattern.sub_event_type or index in present:
                    continue
                if pattern.object_any:
                    if near is None:
                        near = _ScopeMarks(cues, lexicon.object_groups)
                    if not near.object_near(hit, pattern.object_any):
                        continue
                present[index] = hit
    passing: dict[int, Hit] = {}
    for index, hit in present.items():
        pattern = lexicon.patterns[index]
        # Set operations in C, rather than a generator per feature list.
        if pattern.requires_any and feats.isdisjoint(pattern.requires_any):
            continue
        if pattern.requires_all and not feats.issuperset(pattern.requires_all):
            continue
        passing[index] = hit
    fired = {f"pattern:{lexicon.patterns[i].id}" for i in passing}
    best: tuple[int, int, EventPattern, Hit] | None = None
    for index, hit in passing.items():
        pattern = lexicon.patterns[index]
        if not (feats.isdisjoint(pattern.excludes_any) and fired.isdisjoint(pattern.excludes_any)):
            continue
        if (
            pattern.requires_any
            and feats.isdisjoint(pattern.requires_any)
            and fired.isdisjoint(pattern.requires_any)
        ):
            continue
        candidate = (pattern.rank, -hit.start, pattern, hit)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return (best[2], best[3]) if best else None


# "attack by X on Y" is a noun; "shot by X" is passive.
_IRREGULAR_PARTICIPLES = frozenset({"shot", "hit", "struck", "beaten", "taken", "held", "fought"})


class _ScopeMarks:
    """Where the scope's voice markers and cue groups start, by token.

    Built once per scope, so each pattern needing an object looks positions up instead of
    rescanning every cue of the scope.
    """

    __slots__ = ("agent", "groups", "passive")

    def __init__(self, cues: list[Hit], object_groups: frozenset[str]) -> None:
        """Index the starts of `agent_marker` and `passive_marker` hits and of the groups
        patterns take as objects."""
        self.agent: set[int] = set()
        self.passive: set[int] = set()
        self.groups: dict[object, list[int]] = {}
        for hit in cues:
            for entry in hit.entries:
                if entry[1] == "agent_marker":
                    self.agent.add(hit.tok_start)
                elif entry[1] == "passive_marker":
                    self.passive.add(hit.tok_start)
                if entry[0] == GROUP and entry[1] in object_groups:
                    self.groups.setdefault(entry[1], []).append(hit.tok_start)

    def object_near(self, trigger: Hit, groups: tuple[str, ...]) -> bool:
        """A cue of one of `groups` right after the trigger (or before it, in 'attacked by')."""
        last = trigger.key.split(" ")[-1]
        participle = last.endswith(("ed", "en")) or last in _IRREGULAR_PARTICIPLES
        passive = participle and trigger.tok_end in self.agent
        # "12 soldiers were killed": the object stands before a passive verb.
        before_passive = (
            trigger.tok_start - 2 in self.passive or trigger.tok_start - 1 in self.passive
        )
        for group in groups:
            for tok_start in self.groups.get(group, ()):
                if passive or before_passive:
                    # Passive voice: the one acted on stands before the verb; after "by" is
                    # the agent.
                    if trigger.tok_start - 6 <= tok_start < trigger.tok_start:
                        return True
                elif trigger.tok_end <= tok_start <= trigger.tok_end + 6:
                    return True
        return False
